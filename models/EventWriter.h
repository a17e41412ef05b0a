#pragma once

#include "EventStore.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

class QThread;

// The event store's schema and its writer thread. Internal to models/ (it names QSql types).
namespace activity {

namespace eventdb {

// How long a connection waits for another process's write lock (the CLI's receiver, a second console).
constexpr int busyTimeoutMs = 5000;

// Creates or upgrades the schema in one transaction (a crash leaves none or all of it).
bool migrate(QSqlDatabase &db, QString &failure);

// An event as the writer binds it: every column already in the bytes SQLite takes, made on the
// appending thread, so the one writer thread only writes. The text columns share one allocation:
// the row is made on the receiver's thread and freed on the writer's, and each block that crosses
// threads costs both of them glibc's arena lock.
struct EventRow
{
    enum Text { EventId, EventType, ForUserId, Filter, Tag, Headers, TextCount };

    // The Text columns back to back (headers as compact JSON) from `begin`: the row's own, or the
    // block it shares with the other rows of one append (EventStore::append of a vector).
    QByteArray text;
    qsizetype begin = 0;
    qsizetype ends[TextCount] = {}; // where each ends in `text`
    const char *source = ""; // EventStore::sourceKeyLatin1
    const char *signature = ""; // EventStore::verdictKeyLatin1
    qint64 receivedAtMs = 0;
    QByteArray body;

    QByteArrayView column(Text which) const
    {
        const qsizetype from = which == EventId ? begin : ends[which - 1];
        return QByteArrayView(text).sliced(from, ends[which] - from);
    }

    static EventRow from(const EventRecord &record);
    // The record's Text columns appended to `block`, which the row's `text` must be set to once no
    // more rows are appended to it.
    static EventRow appendTo(QByteArray &block, const EventRecord &record);
};

} // namespace eventdb

class WalCheckpointer;

// The writes, on a thread of their own with a connection of their own. Jobs queue under a mutex;
// the thread takes everything queued, writes it in transactions of up to 512 jobs, and answers
// each transaction's jobs once it is committed. Whatever arrives during a commit waits for the
// next one: under load one commit (and with EventDurability::PowerLoss one fsync) covers many
// appends (group commit); alone, an append is committed at once.
//
// The rows go through SQLite's own prepared statements on the connection Qt opened: Qt SQL's
// per-value QVariant and QString round trips cost more than the insert itself at the receiver's
// rates (#16).
class EventWriter
{
public:
    struct Job
    {
        eventdb::EventRow row; // an append
        std::function<void(const EventAppendResult &)> done;
        qint64 forwardRowId = 0; // a forward outcome instead
        ForwardOutcome forward = {};
        std::function<void(bool)> forwardDone;
    };

    EventWriter(QString path, EventDurability durability);
    // Answers every job queued so far, then closes.
    ~EventWriter();

    void push(Job job);
    void push(std::vector<Job> jobs); // one wake for all

    EventRetention retention() const;
    void setRetention(const EventRetention &retention);

private:
    void run();

    QString m_path;
    EventDurability m_durability;
    std::unique_ptr<WalCheckpointer> m_checkpointer; // outlives the writer's thread (joined first)
    std::unique_ptr<QThread> m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    // Swapped with the writer's batch, so both keep their capacity: no allocation per job.
    std::vector<Job> m_queue;
    bool m_stopping = false;
    EventRetention m_retention;
};

} // namespace activity
