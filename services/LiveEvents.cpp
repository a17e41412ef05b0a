#include "LiveEvents.h"

#include "ActivityStreamThread.h"
#include "WebhookReceiverThread.h"

namespace activity {

LiveEvents::LiveEvents(EventStore *store, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_network(network)
    , m_streamIntake(std::make_unique<EventIntake>(nullptr, store))
    , m_forwarding(std::make_unique<EventForwarding>(store, network))
{
    qRegisterMetaType<StreamCounters>();
    connectIntake(m_streamIntake.get());
    connect(m_forwarding.get(), &EventForwarding::forwarded, this, &LiveEvents::forwarded);
}

LiveEvents::~LiveEvents()
{
    // Sources first (their threads end), then what they fed.
    m_stream.reset();
    m_receiverIntake.reset();
    m_receiver.reset();
}

void LiveEvents::connectIntake(EventIntake *intake)
{
    const bool stream = intake == m_streamIntake.get();
    connect(intake, &EventIntake::eventStored, this,
            [this, stream](qint64 rowId, const EventAppendResult &result, const IntakeEvent &event) {
                if (m_autoForward && result.stored && !result.duplicate)
                    m_forwarding->resend({rowId});
                Q_EMIT eventStored(rowId, result, event);
                if (stream)
                    settleStreamEvent();
            });
    connect(intake, &EventIntake::storeFailed, this,
            [this, stream](const QString &error, const IntakeEvent &) {
                Q_EMIT storeFailed(error);
                if (stream)
                    settleStreamEvent();
            });
}

void LiveEvents::settleStreamEvent()
{
    if (m_streamInFlight > 0 && --m_streamInFlight == 0)
        Q_EMIT streamEventsSettled();
}

void LiveEvents::startStream(const ActivityStreamConfig &config)
{
    m_stream.reset();
    m_stream = std::make_unique<ActivityStreamThread>(config);
    ActivityStreamClient *client = m_stream->client();
    connect(client, &ActivityStreamClient::eventsReceived, this, [this](const QList<StreamEvent> &events) {
        m_streamInFlight += int(events.size());
        for (const StreamEvent &event : events)
            m_streamIntake->acceptStreamEvent(event.raw, event.receivedAtMs);
    });
    connect(client, &ActivityStreamClient::stateChanged, this,
            [this](ActivityStreamClient::State state, const QString &message) {
                m_streamState = state;
                Q_EMIT streamStateChanged(state, message);
            });
    connect(client, &ActivityStreamClient::countersChanged, this, &LiveEvents::streamCountersChanged);
    connect(client, &ActivityStreamClient::malformedLine, this,
            [this](const QString &why, const QByteArray &) {
                Q_EMIT streamNotice(tr("A stream line was not an event: %1").arg(why));
            });
    connect(client, &ActivityStreamClient::serverError, this, [this](const QString &problem) {
        Q_EMIT streamNotice(tr("X ended the stream: %1. Reconnecting.").arg(problem));
    });
    connect(client, &ActivityStreamClient::eventsMayBeMissing, this,
            [this](const QDateTime &, const QDateTime &, const QString &message) {
                Q_EMIT streamNotice(message);
            });
    m_stream->start();
}

void LiveEvents::stopStream()
{
    if (!m_stream)
        return;
    m_stream.reset();
    m_streamState = ActivityStreamClient::State::Idle;
    Q_EMIT streamStateChanged(m_streamState, tr("Stopped."));
}

std::optional<QString> LiveEvents::startReceiver(const QHostAddress &address, quint16 port,
                                                 const QByteArray &consumerSecret,
                                                 const WebhookReceiverOptions &options)
{
    stopReceiver();
    if (consumerSecret.isEmpty())
        return tr("The receiver checks every delivery with the app's consumer secret, which this profile "
                  "does not have. Add it in the profile.");
    auto receiver = std::make_unique<WebhookReceiverThread>(consumerSecret, options);
    auto intake = std::make_unique<EventIntake>(receiver->receiver(), m_store);
    connectIntake(intake.get());
    connect(intake.get(), &EventIntake::deliveryRejected, this, &LiveEvents::deliveryRejected);
    connect(intake.get(), &EventIntake::crcAnswered, this, &LiveEvents::crcAnswered);
    if (std::optional<QString> problem = receiver->listen(address, port)) {
        intake.reset();
        return problem;
    }
    m_receiver = std::move(receiver);
    m_receiverIntake = std::move(intake);
    return std::nullopt;
}

void LiveEvents::stopReceiver()
{
    m_receiverIntake.reset();
    m_receiver.reset();
}

QString LiveEvents::receiverUrl() const
{
    return m_receiver ? m_receiver->url() : QString();
}

QHostAddress LiveEvents::receiverAddress() const
{
    return m_receiver ? m_receiver->address() : QHostAddress();
}

quint16 LiveEvents::receiverPort() const
{
    return m_receiver ? m_receiver->port() : 0;
}

QString LiveEvents::setForwardTarget(const QUrl &target, const QByteArray &consumerSecret)
{
    if (target.isEmpty()) {
        m_autoForward = false;
        m_forwardTarget.clear();
        return {};
    }
    if (QString problem = m_forwarding->setTarget(target); !problem.isEmpty())
        return problem;
    m_forwarding->setConsumerSecret(consumerSecret);
    m_forwardTarget = target;
    m_autoForward = true;
    return {};
}

QString LiveEvents::resend(const QList<qint64> &rowIds)
{
    if (m_forwardTarget.isEmpty())
        return tr("Set where events go first (Forward to...).");
    m_forwarding->resend(rowIds);
    return {};
}

} // namespace activity
