#pragma once

#include "HandlerGroup.h"

namespace activity::sandbox {

// Subscriptions, v1.1 and v2: subscribe, check, count, list, unsubscribe (by id, or the user's own
// on v1.1).
class SubscriptionHandlers : public HandlerGroup
{
public:
    explicit SubscriptionHandlers(const SandboxParts &parts);
    void registerRoutes() override;

private:
    void subscribe(const ExchangePtr &ex);
    void check(const ExchangePtr &ex);
    void unsubscribeSelf(const ExchangePtr &ex);
    void unsubscribeUser(const ExchangePtr &ex);
    void count(const ExchangePtr &ex);
    void list(const ExchangePtr &ex);
};

} // namespace activity::sandbox
