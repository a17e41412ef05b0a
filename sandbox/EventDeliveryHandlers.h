#pragma once

#include "HandlerGroup.h"

#include <QJsonValue>

namespace activity::sandbox {

// Event delivery: synthetic events to subscribed users' webhooks, the demo receiver
// (/sandbox/receiver/<name>) and the /sandbox control endpoints.
class EventDeliveryHandlers : public HandlerGroup
{
public:
    explicit EventDeliveryHandlers(const SandboxParts &parts);
    void registerRoutes() override;

    // SandboxServer::deliverEvent(): posts one event for `forUserId` to every valid webhook the
    // user is subscribed to; returns how many.
    int deliverEvent(const QString &forUserId, const QString &eventKey, const QJsonValue &items);

private:
    void receiverCrc(const ExchangePtr &ex);
    void receiverPost(const ExchangePtr &ex);
    void receiverEvents(const ExchangePtr &ex);
    void postEvents(const ExchangePtr &ex);
};

} // namespace activity::sandbox
