#include "EventIntake.h"

#include <QMetaMethod>

#include <mutex>

namespace activity {

namespace intake {

// The store answers on its writer thread: the report reaches the intake only while it exists (the
// destructor clears the pointer under the mutex; an event posted before is dropped with the object).
struct Guard
{
    std::mutex mutex;
    EventIntake *intake = nullptr;
    std::atomic_bool reporting = false; // eventStored or storeFailed is connected
};

} // namespace intake

EventIntake::EventIntake(WebhookReceiver *receiver, EventStore *store, QObject *parent)
    : QObject(parent)
    , m_receiver(receiver)
    , m_store(store)
    , m_guard(std::make_shared<intake::Guard>())
{
    qRegisterMetaType<IntakeEvent>();
    qRegisterMetaType<EventAppendResult>();
    m_guard->intake = this;
    if (!m_receiver)
        return;
    connect(m_receiver, &WebhookReceiver::deliveryRejected, this, &EventIntake::deliveryRejected);
    connect(m_receiver, &WebhookReceiver::crcAnswered, this, &EventIntake::crcAnswered);
    // Runs on the receiver's thread; append() is thread-safe and returns at once.
    m_receiver->setSink([this](ReceivedDelivery delivery, WebhookReceiver::Ack ack) {
        EventRecord record;
        record.source = EventSource::Receiver;
        record.signature =
            delivery.verdict == SignatureCheck::Valid ? SignatureVerdict::Valid : SignatureVerdict::Invalid;
        record.receivedAtMs = delivery.receivedAtMs;
        // Described here, once: the record carries the facts, so append() does not parse again.
        const EventFacts facts = EventStore::describe(delivery.body);
        record.eventId = facts.eventId;
        record.eventType = facts.eventType;
        record.forUserId = facts.forUserId;
        record.filter = facts.filter;
        record.tag = facts.tag;
        record.body = std::move(delivery.body);
        record.headers = std::move(delivery.headers);
        IntakeEvent event {EventSource::Receiver, record.receivedAtMs, facts, delivery.peer};
        append(std::move(record), std::move(event),
               [ack = std::move(ack)](const EventAppendResult &result) { ack(result.stored, result.error); });
    });
}

EventIntake::~EventIntake()
{
    if (m_receiver)
        m_receiver->setSink({});
    std::lock_guard lock(m_guard->mutex);
    m_guard->intake = nullptr;
}

void EventIntake::acceptStreamEvent(const QByteArray &body, qint64 receivedAtMs,
                                    std::function<void(const EventAppendResult &)> done)
{
    EventRecord record;
    record.source = EventSource::Stream;
    record.signature = SignatureVerdict::NotApplicable;
    record.body = body;
    record.receivedAtMs = receivedAtMs;
    const EventFacts facts = EventStore::describe(body);
    record.eventId = facts.eventId;
    record.eventType = facts.eventType;
    record.forUserId = facts.forUserId;
    record.filter = facts.filter;
    record.tag = facts.tag;
    append(std::move(record), IntakeEvent {EventSource::Stream, receivedAtMs, facts, {}}, std::move(done));
}

void EventIntake::append(EventRecord record, IntakeEvent event,
                         std::function<void(const EventAppendResult &)> done)
{
    m_store->append(
        std::move(record),
        [guard = m_guard, event = std::move(event), done = std::move(done)](const EventAppendResult &result) {
            // On the writer's thread: the ack first (it only posts), then the report for the UIs.
            if (done)
                done(result);
            std::lock_guard lock(guard->mutex);
            EventIntake *intake = guard->intake;
            if (!intake)
                return;
            if (result.stored) {
                ++intake->m_stored;
                if (result.duplicate)
                    ++intake->m_duplicates;
            }
            if (guard->reporting)
                QMetaObject::invokeMethod(
                    intake, [intake, result, event] { intake->report(result, event); }, Qt::QueuedConnection);
        });
}

void EventIntake::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&EventIntake::eventStored) ||
        signal == QMetaMethod::fromSignal(&EventIntake::storeFailed))
        m_guard->reporting = true;
}

void EventIntake::disconnectNotify(const QMetaMethod &signal)
{
    // An invalid method: everything was disconnected at once.
    if (!signal.isValid() || signal == QMetaMethod::fromSignal(&EventIntake::eventStored) ||
        signal == QMetaMethod::fromSignal(&EventIntake::storeFailed))
        m_guard->reporting = isSignalConnected(QMetaMethod::fromSignal(&EventIntake::eventStored)) ||
            isSignalConnected(QMetaMethod::fromSignal(&EventIntake::storeFailed));
}

void EventIntake::report(const EventAppendResult &result, const IntakeEvent &event)
{
    if (!result.stored) {
        Q_EMIT storeFailed(result.error, event);
        return;
    }
    Q_EMIT eventStored(result.rowId, result, event);
}

} // namespace activity
