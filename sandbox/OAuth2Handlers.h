#pragma once

#include "HandlerGroup.h"

namespace activity::sandbox {

struct OAuth2Client;

// OAuth 2.0 user sign-in, the calls after the authorize page (x-api-2026.md §5.2): POST
// /2/oauth2/token (authorization_code and refresh_token grants) and POST /2/oauth2/revoke; and the
// control endpoint POST /sandbox/oauth2/redirect-uris (a loopback listener's redirect URI).
class OAuth2Handlers : public HandlerGroup
{
public:
    explicit OAuth2Handlers(const SandboxParts &parts);
    void registerRoutes() override;

private:
    void token(const ExchangePtr &ex);
    void revoke(const ExchangePtr &ex);
    void addRedirectUri(const ExchangePtr &ex);
    void exchangeCode(const ExchangePtr &ex, const OAuth2Client &client, const oauth1::ParamList &form);
    void refresh(const ExchangePtr &ex, const OAuth2Client &client, const oauth1::ParamList &form);
    // The client the request authenticates as (Basic client_id:secret, or a public client's
    // client_id in the body), or nullptr after answering 401 invalid_client.
    const OAuth2Client *authenticateClient(const ExchangePtr &ex, const oauth1::ParamList &form);
    // false after answering 400 when the body is not a form.
    bool requireForm(const ExchangePtr &ex);
};

} // namespace activity::sandbox
