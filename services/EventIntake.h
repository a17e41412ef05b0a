#pragma once

#include "EventStore.h"
#include "WebhookReceiver.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace activity {

namespace intake {
struct Guard;
struct Reporter;
} // namespace intake

// What eventStored() says of an event besides the store's answer.
struct IntakeEvent
{
    EventSource source = EventSource::Receiver;
    qint64 receivedAtMs = 0;
    EventFacts facts; // id, type, for_user_id, filter, tag (EventStore::describe)
    QString peer; // the receiver's: who delivered it
};

// Where live events enter the event store (#16): the webhook receiver's valid deliveries, and
// (through acceptStreamEvent) the activity stream's events. A delivery is acknowledged to X (the
// receiver's 200) only once the store reports its row durable; a duplicate (same event id) is
// acknowledged too, and the store counts it on the first row. A store failure is answered 500, so
// X delivers it again.
//
// The store's answer comes on its writer thread; the ack goes straight to the receiver (which may
// be on a thread of its own) and the signals below come on this object's thread.
class EventIntake : public QObject
{
    Q_OBJECT
public:
    // Neither is owned. The store must outlive this object; the receiver may live on a thread of
    // its own (its sink is cleared on that thread when the intake goes).
    EventIntake(WebhookReceiver *receiver, EventStore *store, QObject *parent = nullptr);
    ~EventIntake() override;

    // One event of the activity stream (source Stream, no signature to check). `done` runs on the
    // store's writer thread once durable (or failed), if given.
    void acceptStreamEvent(const QByteArray &body, qint64 receivedAtMs,
                           std::function<void(const EventAppendResult &)> done = {});

    // Counted on the store's thread as the answers come (whether or not anyone listens).
    qint64 storedCount() const;
    qint64 duplicateCount() const;

Q_SIGNALS:
    void eventStored(qint64 rowId, const activity::EventAppendResult &result,
                     const activity::IntakeEvent &event);
    void storeFailed(const QString &error, const activity::IntakeEvent &event);
    void deliveryRejected(const activity::RejectedDelivery &rejected);
    void crcAnswered(const activity::CrcCheck &check);

protected:
    // Reports cross to this thread only while eventStored or storeFailed has a receiver: a
    // benchmark or a headless intake pays nothing for them.
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    friend struct intake::Reporter;
    void report(const EventAppendResult &result, const IntakeEvent &event);

    QPointer<WebhookReceiver> m_receiver;
    std::shared_ptr<intake::Guard> m_guard;
};

} // namespace activity

Q_DECLARE_METATYPE(activity::IntakeEvent)
