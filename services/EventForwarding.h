#pragma once

#include "EventForwarder.h"
#include "EventStore.h"

#include <QByteArray>
#include <QObject>
#include <QQueue>
#include <QUrl>

class QNetworkAccessManager;

namespace activity {

// Forwarding and resending stored events, for the console and activity-cli alike: each event goes
// to the target with its original body and headers, re-signed with the profile's consumer secret,
// and the result (status and duration, or why there was none) is kept with the event in the store.
// Events are started in the order asked for, at most maxInFlight at a time, so a resend of
// thousands does not flood the program and one slow answer does not hold up the rest.
class EventForwarding : public QObject
{
    Q_OBJECT
public:
    static constexpr int maxInFlight = 4;

    EventForwarding(EventStore *store, QNetworkAccessManager *network, QObject *parent = nullptr);

    // The program's address; an invalid one is refused with the sentence to show.
    QString setTarget(const QUrl &target);
    QUrl target() const { return m_target; }
    void setConsumerSecret(const QByteArray &secret) { m_secret = secret; }

    // Queues the stored events (by row id) to be sent, each read from the store when its turn
    // comes; an id the store does not have is reported through forwarded() with an error.
    void resend(const QList<qint64> &rowIds);
    int pending() const { return int(m_queue.size()) + m_inFlight; }

    static QList<std::pair<QByteArray, QByteArray>> headersOf(const StoredEvent &event);

Q_SIGNALS:
    void forwarded(qint64 rowId, const QString &eventId, const activity::ForwardResult &result);
    void idle(); // nothing queued or in flight any more

private:
    void pump();
    void send(const StoredEvent &event);

    EventStore *m_store;
    EventForwarder m_forwarder;
    QUrl m_target;
    QByteArray m_secret;
    QQueue<qint64> m_queue; // row ids
    int m_inFlight = 0;
};

} // namespace activity

Q_DECLARE_METATYPE(activity::ForwardResult)
