#pragma once

#include "HistoryStore.h"

#include <QHash>
#include <QObject>

#include <functional>

class QThread;

namespace activity {

class HistoryWriterWorker;

// The writes of one run to the history, on a thread of their own: begin() and complete() return at
// once, so a window never waits for SQLite's busy timeout while another process (the CLI, a second
// console) holds the database. The thread has its own HistoryStore on the same file and run id as
// `reader`, the store the caller reads from; results come back on the writer's thread as signals.
//
// Writes are done in the order they were asked for. Destroying the writer waits for the ones still
// queued (a write takes milliseconds, at most the busy timeout), so nothing asked for is lost.
class HistoryWriter : public QObject
{
    Q_OBJECT
public:
    explicit HistoryWriter(const HistoryStore &reader, QObject *parent = nullptr);
    ~HistoryWriter() override;

    // "UTC now" for the timestamps (tests inject a fixed one); set before the first write.
    void setClock(std::function<QDateTime()> clock);

    // Queues the Pending entry; returns a ticket for complete() (never 0).
    qint64 begin(const HistoryAction &action);
    // Queues the settling of the entry `ticket` names; nothing for ticket 0.
    void complete(qint64 ticket, const HistoryOutcome &outcome);
    // `done` runs on this object's thread once every write asked for so far is done and its signal
    // delivered (the CLI waits for it before it exits).
    void whenIdle(QObject *context, std::function<void()> done);

    int pendingWrites() const { return m_pending; }

Q_SIGNALS:
    // `id` is the entry's id in the database (what HistoryStore::entry() takes).
    void entryAdded(qint64 ticket, qint64 id);
    void entryCompleted(qint64 ticket, qint64 id);
    // A write failed; the action went ahead. The message says so in a sentence.
    void errorOccurred(const QString &message);

private:
    QThread *m_thread = nullptr;
    HistoryWriterWorker *m_worker = nullptr;
    qint64 m_nextTicket = 1;
    int m_pending = 0;
};

} // namespace activity
