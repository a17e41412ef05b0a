#include "EventIntake.h"

#include <QMetaMethod>
#include <QThread>
#include <QVarLengthArray>

#include <mutex>
#include <optional>

namespace activity {

namespace intake {

// What the receiver's sink and the store's callbacks share with the intake. They run on other
// threads and may outlive it: the report reaches the intake only while it exists (the destructor
// clears the pointer under the mutex; an event posted before is dropped with the object).
struct Pass;

struct Guard
{
    ~Guard();

    EventStore *store = nullptr;
    std::mutex mutex;
    EventIntake *intake = nullptr;
    std::atomic_bool reporting = false; // eventStored or storeFailed is connected
    std::atomic<qint64> stored = 0;
    std::atomic<qint64> duplicates = 0;
    // The receiver's valid deliveries of one pass of its event loop, handed to the store together
    // at the end of the pass (one wake of the writer, one commit for all), and their answers. The
    // receiver's thread only.
    std::vector<EventStore::PendingAppend> pending;
    Pass *pass = nullptr;

    // On the writer's thread as each row is answered: the counts, and the report for the UIs when
    // there is one and someone listens.
    void count(const EventAppendResult &result, std::optional<IntakeEvent> &&event);
};

// The store's callbacks reach the intake's private report() through here.
struct Reporter
{
    static void report(EventIntake *intake, const EventAppendResult &result, const IntakeEvent &event)
    {
        intake->report(result, event);
    }
};

// The answers to one pass's deliveries. Each append's callback only points here, so it fits in
// std::function's own storage: a delivery allocates no closure on the receiver's thread that the
// writer's would free (each such block costs both threads glibc's arena lock). The acks go out
// together once the last row is answered (a pass's rows are one append, committed together): one
// lock of the receiver's queue per pass rather than one per event, which the writer, at its lower
// CPU priority, would otherwise hold while preempted by the receiver that waits for it. The last
// answer deletes the pass; the store answers every append exactly once.
struct Pass
{
    std::shared_ptr<Guard> guard; // from the hand-over on (before, the guard owns the pass)
    std::vector<WebhookReceiver::Ack> acks;
    QVarLengthArray<bool, 64> stored; // sized at the hand-over
    std::vector<std::optional<IntakeEvent>> reports; // only while someone listens
    std::atomic<std::size_t> unanswered = 0;

    void answer(std::size_t index, const EventAppendResult &result)
    {
        stored[qsizetype(index)] = result.stored;
        guard->count(result, index < reports.size() ? std::move(reports[index]) : std::nullopt);
        if (--unanswered > 0)
            return;
        WebhookReceiver::Ack::answerAll(acks, std::span(stored.constData(), std::size_t(stored.size())));
        delete this;
    }
};

// A pass whose hand-over never ran (the receiver went first) goes with the guard.
Guard::~Guard()
{
    delete pass;
}

void Guard::count(const EventAppendResult &result, std::optional<IntakeEvent> &&event)
{
    if (result.stored) {
        ++stored;
        if (result.duplicate)
            ++duplicates;
    }
    if (!event || !reporting)
        return;
    std::lock_guard lock(mutex);
    if (EventIntake *target = intake)
        QMetaObject::invokeMethod(
            target, [target, result, event = std::move(*event)] { Reporter::report(target, result, event); },
            Qt::QueuedConnection);
}

namespace {

EventRecord recordOf(EventSource source, SignatureVerdict verdict, QByteArray body, qint64 receivedAtMs,
                     EventFacts facts)
{
    // The record carries the facts, so append() does not parse the body again.
    EventRecord record;
    record.source = source;
    record.signature = verdict;
    record.body = std::move(body);
    record.receivedAtMs = receivedAtMs;
    record.eventId = std::move(facts.eventId);
    record.eventType = std::move(facts.eventType);
    record.forUserId = std::move(facts.forUserId);
    record.filter = std::move(facts.filter);
    record.tag = std::move(facts.tag);
    return record;
}

// What the store calls back with once the row is committed (on the writer's thread): `done` first
// (an ack only posts), then the report for the UIs, when there is one (someone listens).
template<typename Done>
std::function<void(const EventAppendResult &)> whenStored(const std::shared_ptr<Guard> &guard,
                                                          std::optional<IntakeEvent> event, Done done)
{
    return
        [guard, event = std::move(event), done = std::move(done)](const EventAppendResult &result) mutable {
            done(result);
            guard->count(result, std::move(event));
        };
}

// The end of a pass of the receiver's event loop: its deliveries to the store, together.
void handOver(const std::shared_ptr<Guard> &guard)
{
    Pass *pass = std::exchange(guard->pass, nullptr);
    if (!pass)
        return;
    pass->guard = guard;
    pass->stored.resize(qsizetype(pass->acks.size()));
    // Set before the first answer can come (append() answers a refused one at once).
    pass->unanswered = pass->acks.size();
    guard->store->append(std::exchange(guard->pending, {}));
}

void append(const std::shared_ptr<Guard> &guard, EventRecord record, IntakeEvent event,
            std::function<void(const EventAppendResult &)> done)
{
    guard->store->append(
        std::move(record),
        whenStored(guard, std::move(event), [done = std::move(done)](const EventAppendResult &result) {
            if (done)
                done(result);
        }));
}

} // namespace

} // namespace intake

EventIntake::EventIntake(WebhookReceiver *receiver, EventStore *store, QObject *parent)
    : QObject(parent)
    , m_receiver(receiver)
    , m_guard(std::make_shared<intake::Guard>())
{
    qRegisterMetaType<IntakeEvent>();
    qRegisterMetaType<EventAppendResult>();
    m_guard->store = store;
    m_guard->intake = this;
    if (!m_receiver)
        return;
    connect(m_receiver, &WebhookReceiver::deliveryRejected, this, &EventIntake::deliveryRejected);
    connect(m_receiver, &WebhookReceiver::crcAnswered, this, &EventIntake::crcAnswered);
    // Runs on the receiver's thread. A pass of its event loop collects its deliveries; the hand-over
    // runs once the pass has read every ready connection.
    m_receiver->setSink(
        [guard = m_guard](ReceivedDelivery delivery, WebhookReceiver::Ack ack) {
            if (!guard->pass)
                guard->pass = new intake::Pass;
            intake::Pass *pass = guard->pass;
            EventFacts facts = EventStore::describe(delivery.body);
            // The report for the UIs needs its own copy of the facts, only while someone listens.
            if (guard->reporting) {
                pass->reports.resize(pass->acks.size());
                pass->reports.push_back(
                    IntakeEvent {EventSource::Receiver, delivery.receivedAtMs, facts, delivery.peer});
            }
            EventRecord record =
                intake::recordOf(EventSource::Receiver,
                                 delivery.verdict == SignatureCheck::Valid ? SignatureVerdict::Valid
                                                                           : SignatureVerdict::Invalid,
                                 std::move(delivery.body), delivery.receivedAtMs, std::move(facts));
            record.headers = std::move(delivery.headers);
            const std::size_t index = pass->acks.size();
            pass->acks.push_back(std::move(ack));
            guard->pending.push_back({std::move(record), [pass, index](const EventAppendResult &result) {
                                          pass->answer(index, result);
                                      }});
        },
        // If the receiver goes first, so does this pass, and nobody waits for its answers (the sender
        // sends again).
        [guard = m_guard] { intake::handOver(guard); });
}

EventIntake::~EventIntake()
{
    // The sink is the receiver's: cleared on its thread (it may be calling it right now).
    if (WebhookReceiver *receiver = m_receiver.data()) {
        if (receiver->thread() == QThread::currentThread() || !receiver->thread()->isRunning())
            receiver->setSink({});
        else
            QMetaObject::invokeMethod(
                receiver, [receiver] { receiver->setSink({}); }, Qt::BlockingQueuedConnection);
    }
    std::lock_guard lock(m_guard->mutex);
    m_guard->intake = nullptr;
}

qint64 EventIntake::storedCount() const
{
    return m_guard->stored;
}

qint64 EventIntake::duplicateCount() const
{
    return m_guard->duplicates;
}

void EventIntake::acceptStreamEvent(const QByteArray &body, qint64 receivedAtMs,
                                    std::function<void(const EventAppendResult &)> done)
{
    const EventFacts facts = EventStore::describe(body);
    intake::append(
        m_guard,
        intake::recordOf(EventSource::Stream, SignatureVerdict::NotApplicable, body, receivedAtMs, facts),
        IntakeEvent {EventSource::Stream, receivedAtMs, facts, {}}, std::move(done));
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
