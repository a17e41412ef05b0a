#pragma once

#include "HandlerGroup.h"

namespace activity::sandbox {

// The login pages a browser shows between request_token and access_token: GET and POST
// oauth/authorize (oauth/authenticate too).
class LoginPageHandlers : public HandlerGroup
{
public:
    explicit LoginPageHandlers(const SandboxParts &parts);
    void registerRoutes() override;

private:
    void authorizePage(const ExchangePtr &ex);
    void authorizeSubmit(const ExchangePtr &ex);
};

} // namespace activity::sandbox
