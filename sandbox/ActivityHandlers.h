#pragma once

#include "HandlerGroup.h"

namespace activity::sandbox {

// The X Activity API's subscriptions (x-api-2026.md §4.1–§4.4): create, list, update, delete and
// bulk delete, under /2/activity whichever generation the client otherwise uses.
class ActivityHandlers : public HandlerGroup
{
public:
    explicit ActivityHandlers(const SandboxParts &parts);
    void registerRoutes() override;

private:
    void create(const ExchangePtr &ex);
    void list(const ExchangePtr &ex);
    void update(const ExchangePtr &ex);
    void remove(const ExchangePtr &ex);
    void removeMany(const ExchangePtr &ex);

    // The caller's subscription `id`, or nullptr after answering 404.
    const ActivityRecord *ownSubscription(const ExchangePtr &ex, const QString &id);
};

} // namespace activity::sandbox
