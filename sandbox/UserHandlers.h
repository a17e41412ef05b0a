#pragma once

#include "HandlerGroup.h"

namespace activity::sandbox {

// Users lookup: v1.1 users/lookup.json (GET and POST) and v2 GET /2/users.
class UserHandlers : public HandlerGroup
{
public:
    explicit UserHandlers(const SandboxParts &parts);
    void registerRoutes() override;

private:
    void lookupV1(const ExchangePtr &ex);
    void lookupV2(const ExchangePtr &ex);
};

} // namespace activity::sandbox
