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

    // SandboxServer::emitActivityEvent() and emitActivityEventsForAll().
    int emitEvent(const QString &eventType, const ActivityFilter &filter, const QJsonObject &payload);
    int emitForAll();

private:
    void create(const ExchangePtr &ex);
    void list(const ExchangePtr &ex);
    void update(const ExchangePtr &ex);
    void remove(const ExchangePtr &ex);
    void removeMany(const ExchangePtr &ex);
    void postEvents(const ExchangePtr &ex); // POST /sandbox/activity/events

    // Makes, records and (with a valid webhook) delivers one event for `record`.
    // Events for the subscriptions `ids` that still exist; how many were made.
    int emitForIds(const QList<qint64> &ids, const QJsonObject &payload, const QString &direction);
    // `direction`: the one asked for, for a subscription that takes both.
    void emitFor(const ActivityRecord &record, const QJsonObject &payload, const QString &direction);

    // The caller's subscription `id`, or nullptr after answering 404.
    const ActivityRecord *ownSubscription(const ExchangePtr &ex, const QString &id);
};

} // namespace activity::sandbox
