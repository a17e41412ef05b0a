#pragma once

#include "HandlerGroup.h"

namespace activity::sandbox {

// OAuth: oauth/request_token, oauth/access_token and oauth2/token.
class OAuthHandlers : public HandlerGroup
{
public:
    explicit OAuthHandlers(const SandboxParts &parts);
    void registerRoutes() override;

private:
    void requestToken(const ExchangePtr &ex);
    void accessToken(const ExchangePtr &ex);
    void bearerToken(const ExchangePtr &ex);
};

} // namespace activity::sandbox
