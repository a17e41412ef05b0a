#pragma once

#include "HandlerGroup.h"

namespace activity::sandbox {

// The OAuth 2.0 authorize page a browser shows before the code exchange: GET and POST
// /i/oauth2/authorize (X's address) and /2/oauth2/authorize (the spec's).
class OAuth2PageHandlers : public HandlerGroup
{
public:
    explicit OAuth2PageHandlers(const SandboxParts &parts);
    void registerRoutes() override;

private:
    void authorizePage(const ExchangePtr &ex);
    void authorizeSubmit(const ExchangePtr &ex);
};

} // namespace activity::sandbox
