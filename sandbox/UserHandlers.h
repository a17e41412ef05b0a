#pragma once

#include "HandlerGroup.h"

namespace activity::sandbox {

// Users: v1.1 users/lookup.json (GET and POST), v2 GET /2/users, and GET /2/users/me (whose token
// it is: an OAuth 2.0 user token with tweet.read users.read, or an OAuth 1.0a user token).
class UserHandlers : public HandlerGroup
{
public:
    explicit UserHandlers(const SandboxParts &parts);
    void registerRoutes() override;

private:
    void lookupV1(const ExchangePtr &ex);
    void lookupV2(const ExchangePtr &ex);
    void lookupByUsername(const ExchangePtr &ex);
    void me(const ExchangePtr &ex);
};

} // namespace activity::sandbox
