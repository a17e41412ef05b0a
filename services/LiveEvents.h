#pragma once

#include "ActivityStreamClient.h"
#include "EventForwarding.h"
#include "EventIntake.h"
#include "EventStore.h"
#include "WebhookReceiver.h"

#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace activity {

class ActivityStreamThread;
class WebhookReceiverThread;

// The live events of #16 for the console and activity-cli alike (`events tail`, the Events pane):
// the X Activity stream and the webhook receiver, each on a thread of its own, feed one event
// store through EventIntake (a delivery is acknowledged only once durable), and every event newly
// stored is forwarded, re-signed, when a forward target is set. The store is not owned.
class LiveEvents : public QObject
{
    Q_OBJECT
public:
    LiveEvents(EventStore *store, QNetworkAccessManager *network, QObject *parent = nullptr);
    ~LiveEvents() override;

    EventStore *store() const { return m_store; }

    // The stream (GET /2/activity/stream) with the app's Bearer token; a running one is replaced.
    void startStream(const ActivityStreamConfig &config);
    void stopStream();
    bool isStreamRunning() const { return bool(m_stream); }
    ActivityStreamClient::State streamState() const { return m_streamState; }
    // Stream events handed to the store whose answer has not been reported yet (eventStored or
    // storeFailed); streamEventsSettled() when it comes back to 0. A bounded fetch is complete
    // when the stream has ended and this is 0.
    int streamEventsInFlight() const { return m_streamInFlight; }

    // The receiver on address:port (port 0: any free one), verifying with the consumer secret; a
    // sentence when it cannot listen. A running one is closed first.
    std::optional<QString> startReceiver(const QHostAddress &address, quint16 port,
                                         const QByteArray &consumerSecret,
                                         const WebhookReceiverOptions &options = {});
    void stopReceiver();
    bool isReceiving() const { return bool(m_receiver); }
    QString receiverUrl() const; // empty when not receiving
    QHostAddress receiverAddress() const;
    quint16 receiverPort() const; // as bound (port 0 asked: the one chosen); 0 when not receiving

    // Forward every newly stored event (not its duplicates) there; a sentence when the URL is not
    // one. An empty URL stops forwarding.
    QString setForwardTarget(const QUrl &target, const QByteArray &consumerSecret);
    QUrl forwardTarget() const { return m_forwardTarget; }
    // Sends stored events again to the forward target; a sentence when none is set.
    QString resend(const QList<qint64> &rowIds);
    EventForwarding *forwarding() const { return m_forwarding.get(); }

Q_SIGNALS:
    void eventStored(qint64 rowId, const activity::EventAppendResult &result,
                     const activity::IntakeEvent &event);
    void storeFailed(const QString &error);
    void streamStateChanged(activity::ActivityStreamClient::State state, const QString &message);
    void streamCountersChanged(const activity::StreamCounters &counters);
    void streamNotice(const QString &message); // malformed lines, in-stream errors, missing windows
    void deliveryRejected(const activity::RejectedDelivery &rejected);
    void crcAnswered(const activity::CrcCheck &check);
    void forwarded(qint64 rowId, const QString &eventId, const activity::ForwardResult &result);
    void streamEventsSettled();

private:
    void connectIntake(EventIntake *intake);
    void settleStreamEvent();

    EventStore *m_store;
    QNetworkAccessManager *m_network;
    std::unique_ptr<EventIntake> m_streamIntake; // stream events (no receiver)
    std::unique_ptr<ActivityStreamThread> m_stream;
    ActivityStreamClient::State m_streamState = ActivityStreamClient::State::Idle;
    int m_streamInFlight = 0;
    // The intake goes before the receiver thread (it clears the receiver's sink).
    std::unique_ptr<WebhookReceiverThread> m_receiver;
    std::unique_ptr<EventIntake> m_receiverIntake;
    std::unique_ptr<EventForwarding> m_forwarding;
    QUrl m_forwardTarget;
    bool m_autoForward = false;
};

} // namespace activity
