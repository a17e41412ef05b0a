#pragma once

// Internal to the sandbox library: the courier makes the sandbox's outgoing calls, the way X calls
// a webhook: CRC GETs and signed event POSTs, to loopback addresses only, each with a timeout.

#include "SandboxServer.h"

#include <QNetworkAccessManager>
#include <QObject>

#include <functional>

namespace activity::sandbox {

class World;

class Courier : public QObject
{
public:
    Courier(World &world, QObject *parent);
    ~Courier() override;

    // CRC GET against `url` with the app's consumer secret; `done(ok, v1Message, v2Detail)`.
    void checkCrc(const QByteArray &consumerSecret, const QString &url,
                  const std::function<void(bool, QString, QString)> &done);
    // POSTs record.body to the webhook record.webhookId, signed; records the outcome in the world
    // (which reports it) and then calls `done`, if given.
    void post(DeliveryRecord record, const std::function<void(const DeliveryRecord &)> &done);
    // Drops every call in flight without calling back (the server is going away).
    void abortAll();

private:
    QByteArray secretForWebhook(const QString &webhookId) const;

    World &m_world;
    QNetworkAccessManager *m_nam;
};

} // namespace activity::sandbox
