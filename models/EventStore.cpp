#include "EventStore.h"

#include "SqliteFile.h"

#include "ActivityConfig.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPointer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace activity {

namespace {

// How long a writer waits for another process's write lock (the CLI's receiver, a second console).
constexpr int busyTimeoutMs = 5000;
// Appends per transaction at most: a burst larger than this takes several commits, so the first
// callers are not kept waiting for the last.
constexpr std::size_t maxBatch = 512;
// Rows per pruning transaction.
constexpr int pruneBatchRows = 500;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QVariant nullable(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

// The schema, created in one transaction (a crash leaves none or all of it).
bool migrate(QSqlDatabase &db, QString &failure)
{
    return sqlitefile::transaction(
        db,
        [&] {
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
                failure = q.lastError().text();
                return false;
            }
            const int version = q.value(0).toInt();
            q.finish();
            if (version > EventStore::schemaVersion) {
                failure = QStringLiteral("written by a newer version (schema %1, this one knows %2)")
                              .arg(version)
                              .arg(EventStore::schemaVersion);
                return false;
            }
            if (version == EventStore::schemaVersion)
                return true;
            const QStringList v1 {
                // One row per event. A later delivery of the same event_id (X's retries, the stream's
                // backfill, the receiver and the stream both seeing it) only counts up
                // duplicate_count: the body is never stored twice, a duplicate adds no bytes, and the
                // pane's duplicate mark is the count. Each delivery's own headers are not kept: X
                // sends the same ones again.
                QStringLiteral("CREATE TABLE IF NOT EXISTS events ("
                               " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                               " event_id TEXT NOT NULL,"
                               " source TEXT NOT NULL,"
                               " received_at INTEGER NOT NULL," // UTC ms
                               " event_type TEXT NOT NULL DEFAULT '',"
                               " for_user_id TEXT,"
                               " filter TEXT,"
                               " tag TEXT,"
                               " headers TEXT NOT NULL DEFAULT '{}',"
                               " body BLOB NOT NULL,"
                               " body_size INTEGER NOT NULL,"
                               " signature TEXT NOT NULL,"
                               " duplicate_count INTEGER NOT NULL DEFAULT 0,"
                               " last_duplicate_at INTEGER,"
                               " forward_status INTEGER,"
                               " forward_duration_ms INTEGER,"
                               " forward_at INTEGER,"
                               " forward_error TEXT)"),
                // Whatever the source: the stream and the receiver may both bring one event.
                QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS events_event_id ON events (event_id)"),
                QStringLiteral("CREATE INDEX IF NOT EXISTS events_received_at ON events (received_at)"),
                QStringLiteral("CREATE INDEX IF NOT EXISTS events_type ON events (event_type, id)"),
                QStringLiteral("CREATE INDEX IF NOT EXISTS events_user ON events (for_user_id, id)"),
            };
            for (const QString &statement : v1) {
                if (!q.exec(statement)) {
                    failure = q.lastError().text();
                    return false;
                }
            }
            if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(EventStore::schemaVersion))) {
                failure = q.lastError().text();
                return false;
            }
            return true;
        },
        failure);
}

struct PruneOutcome
{
    qint64 removed = 0;
    QString failure;
};

// On the pruning thread, with a connection of its own: events past the age limit, then the oldest
// beyond the size limit, a few hundred per short transaction.
PruneOutcome pruneEventDatabase(const QString &path, const EventRetention &retention, qint64 at,
                                const std::atomic_bool &cancelled)
{
    PruneOutcome outcome;
    const QString name = sqlitefile::connectionName(QStringLiteral("activity-events-prune"));
    {
        QSqlDatabase db;
        const auto deleteWhere = [&](const QString &where, const QVariantList &bindings) -> qint64 {
            qint64 removed = -1;
            sqlitefile::transaction(
                db,
                [&] {
                    QSqlQuery q(db);
                    q.prepare(QStringLiteral("DELETE FROM events WHERE ") + where);
                    for (const QVariant &binding : bindings)
                        q.addBindValue(binding);
                    if (!q.exec()) {
                        outcome.failure = q.lastError().text();
                        return false;
                    }
                    removed = q.numRowsAffected();
                    return true;
                },
                outcome.failure);
            if (removed > 0)
                outcome.removed += removed;
            return removed;
        };
        if (sqlitefile::openWal(db, name, path, sqlitefile::Sync::Normal, busyTimeoutMs, outcome.failure)) {
            if (retention.maxAgeDays > 0) {
                const qint64 cutoff = at - qint64(retention.maxAgeDays) * 24 * 3600 * 1000;
                qint64 removed = pruneBatchRows;
                while (removed == pruneBatchRows && !cancelled)
                    removed = deleteWhere(QStringLiteral("id IN (SELECT id FROM events WHERE received_at < ?"
                                                         " ORDER BY id LIMIT %1)")
                                              .arg(pruneBatchRows),
                                          {cutoff});
            }
            if (retention.maxTotalBytes > 0 && outcome.failure.isEmpty()) {
                QSqlQuery total(db);
                qint64 excess = 0;
                if (total.exec(
                        QStringLiteral("SELECT COALESCE(SUM(body_size + length(headers)), 0) FROM events")) &&
                    total.next())
                    excess = total.value(0).toLongLong() - retention.maxTotalBytes;
                else
                    outcome.failure = total.lastError().text();
                total.finish();
                while (excess > 0 && !cancelled && outcome.failure.isEmpty()) {
                    // The oldest rows until their bytes cover the excess, at most a batch of them.
                    QSqlQuery oldest(db);
                    oldest.setForwardOnly(true);
                    if (!oldest.exec(QStringLiteral("SELECT id, body_size + length(headers) FROM events"
                                                    " ORDER BY id LIMIT %1")
                                         .arg(pruneBatchRows))) {
                        outcome.failure = oldest.lastError().text();
                        break;
                    }
                    qint64 lastId = 0;
                    qint64 bytes = 0;
                    while (bytes < excess && oldest.next()) {
                        lastId = oldest.value(0).toLongLong();
                        bytes += oldest.value(1).toLongLong();
                    }
                    oldest.finish();
                    if (lastId == 0 || deleteWhere(QStringLiteral("id <= ?"), {lastId}) <= 0)
                        break;
                    excess -= bytes;
                }
            }
            db.close();
        }
    }
    sqlitefile::close(name);
    return outcome;
}

} // namespace

// The writes, on a thread of their own with a connection of their own. Jobs queue under a mutex;
// the thread takes everything queued (up to maxBatch) into one transaction, commits it, then
// answers each job. Whatever arrives during a commit waits for the next one: under load, one fsync
// covers many appends (group commit); alone, an append is committed at once.
class EventWriter
{
public:
    struct Job
    {
        EventRecord record; // an append
        std::function<void(const EventAppendResult &)> done;
        qint64 forwardRowId = 0; // a forward outcome instead
        ForwardOutcome forward = {};
        std::function<void(bool)> forwardDone;
    };

    explicit EventWriter(QString path)
        : m_path(std::move(path))
    {
        m_thread.reset(QThread::create([this] { run(); }));
        m_thread->setObjectName(QStringLiteral("event-writer"));
        m_thread->start();
    }

    ~EventWriter()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_one();
        m_thread->wait(); // answers every job queued so far first
    }

    void push(Job job)
    {
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(std::move(job));
        }
        m_wake.notify_one();
    }

    EventRetention retention() const
    {
        std::lock_guard lock(m_mutex);
        return m_retention;
    }

    void setRetention(const EventRetention &retention)
    {
        std::lock_guard lock(m_mutex);
        m_retention = retention;
    }

private:
    void run()
    {
        const QString name = sqlitefile::connectionName(QStringLiteral("activity-events-writer"));
        {
            QSqlDatabase db;
            QString openFailure;
            // synchronous=FULL, not the history's NORMAL: in WAL mode NORMAL skips the fsync at
            // commit, so a committed row survives the program being killed but not a power cut or
            // a kernel crash. An append answers "stored" and the receiver then tells X 200, after
            // which X never sends the event again: the row must be on the disk itself. FULL's fsync
            // per commit is what group commit spreads over many appends.
            bool open =
                sqlitefile::openWal(db, name, m_path, sqlitefile::Sync::Full, busyTimeoutMs, openFailure) &&
                migrate(db, openFailure);
            std::deque<Job> batch;
            for (;;) {
                {
                    std::unique_lock lock(m_mutex);
                    m_wake.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
                    if (m_queue.empty())
                        break;
                    while (!m_queue.empty() && batch.size() < maxBatch) {
                        batch.push_back(std::move(m_queue.front()));
                        m_queue.pop_front();
                    }
                }
                if (!open) // another try per batch: the folder may have appeared, the lock gone
                    open = sqlitefile::openWal(db, name, m_path, sqlitefile::Sync::Full, busyTimeoutMs,
                                               openFailure) &&
                        migrate(db, openFailure);
                write(db, open, openFailure, batch);
                batch.clear();
            }
        }
        sqlitefile::close(name);
    }

    void write(QSqlDatabase &db, bool open, const QString &openFailure, std::deque<Job> &batch)
    {
        std::vector<EventAppendResult> results(batch.size());
        QString failure = openFailure;
        const bool ok =
            open &&
            sqlitefile::transaction(
                db,
                [&] {
                    QSqlQuery insert(db);
                    insert.prepare(QStringLiteral(
                        "INSERT INTO events (event_id, source, received_at, event_type, for_user_id, filter,"
                        " tag, headers, body, body_size, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT (event_id) DO UPDATE SET duplicate_count = duplicate_count + 1,"
                        " last_duplicate_at = excluded.received_at RETURNING id, duplicate_count"));
                    QSqlQuery forward(db);
                    forward.prepare(QStringLiteral(
                        "UPDATE events SET forward_status = ?, forward_duration_ms = ?, forward_at = ?,"
                        " forward_error = ? WHERE id = ?"));
                    for (std::size_t i = 0; i < batch.size(); ++i) {
                        Job &job = batch[i];
                        if (job.forwardRowId > 0) {
                            forward.addBindValue(job.forward.httpStatus > 0
                                                     ? QVariant(job.forward.httpStatus)
                                                     : QVariant(QMetaType(QMetaType::Int)));
                            forward.addBindValue(job.forward.durationMs);
                            forward.addBindValue(job.forward.atMs > 0 ? job.forward.atMs : nowMs());
                            forward.addBindValue(nullable(job.forward.error));
                            forward.addBindValue(job.forwardRowId);
                            if (!forward.exec()) {
                                failure = forward.lastError().text();
                                return false;
                            }
                            results[i].stored = forward.numRowsAffected() == 1;
                            continue;
                        }
                        const EventRecord &r = job.record;
                        insert.addBindValue(r.eventId);
                        insert.addBindValue(EventStore::sourceKey(r.source));
                        insert.addBindValue(r.receivedAtMs);
                        insert.addBindValue(r.eventType);
                        insert.addBindValue(nullable(r.forUserId));
                        insert.addBindValue(nullable(r.filter));
                        insert.addBindValue(nullable(r.tag));
                        insert.addBindValue(
                            QString::fromUtf8(QJsonDocument(EventStore::selectedHeaders(r.headers))
                                                  .toJson(QJsonDocument::Compact)));
                        insert.addBindValue(r.body);
                        insert.addBindValue(qint64(r.body.size()));
                        insert.addBindValue(EventStore::verdictKey(r.signature));
                        if (!insert.exec() || !insert.next()) {
                            failure = insert.lastError().text();
                            return false;
                        }
                        results[i].rowId = insert.value(0).toLongLong();
                        results[i].duplicate = insert.value(1).toInt() > 0;
                        results[i].eventId = r.eventId;
                        insert.finish(); // RETURNING: done with this row before the next
                    }
                    return true;
                },
                failure);
        // Committed (synchronous=FULL: on the disk) or rolled back as a whole: now the answers.
        for (std::size_t i = 0; i < batch.size(); ++i) {
            Job &job = batch[i];
            if (job.forwardRowId > 0) {
                if (job.forwardDone)
                    job.forwardDone(ok && results[i].stored);
                continue;
            }
            EventAppendResult &result = results[i];
            result.eventId = job.record.eventId;
            result.stored = ok;
            if (!ok) {
                result.rowId = 0;
                result.duplicate = false;
                result.error = QStringLiteral("The event could not be stored (%1).").arg(failure);
            }
            if (job.done)
                job.done(result);
        }
    }

    QString m_path;
    std::unique_ptr<QThread> m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    bool m_stopping = false;
    EventRetention m_retention;
};

EventStore::EventStore(const QString &databasePath, QObject *parent)
    : QObject(parent)
    , m_path(databasePath.isEmpty() ? defaultPath() : databasePath)
    , m_connectionName(sqlitefile::connectionName(QStringLiteral("activity-events")))
    , m_prune(std::make_unique<sqlitefile::BackgroundPass>())
{
    qRegisterMetaType<EventAppendResult>();
    m_open = openReader();
    m_writer = std::make_unique<EventWriter>(m_path);
}

EventStore::~EventStore()
{
    m_prune.reset();
    m_writer.reset();
    sqlitefile::close(m_connectionName);
}

QString EventStore::defaultPath()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base).filePath(QStringLiteral(ACTIVITY_DEFAULT_EVENTS_FILE));
}

void EventStore::setError(const QString &what, const QString &detail) const
{
    m_lastError = detail.isEmpty() ? what : QStringLiteral("%1 (%2)").arg(what, detail);
    Q_EMIT const_cast<EventStore *>(this)->errorOccurred(m_lastError);
}

bool EventStore::openReader()
{
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath())) {
        setError(tr("The event store could not be opened: the folder %1 cannot be created.")
                     .arg(QDir::toNativeSeparators(info.absolutePath())),
                 {});
        return false;
    }
    QSqlDatabase db;
    QString failure;
    // The schema comes first from here, so the queries find it before the writer's first append.
    if (!sqlitefile::openWal(db, m_connectionName, m_path, sqlitefile::Sync::Full, busyTimeoutMs, failure) ||
        !migrate(db, failure)) {
        setError(tr("The event store %1 could not be opened.").arg(QDir::toNativeSeparators(m_path)),
                 failure);
        return false;
    }
    return true;
}

EventRetention EventStore::retention() const
{
    return m_writer->retention();
}

void EventStore::setRetention(const EventRetention &retention)
{
    m_writer->setRetention(retention);
}

void EventStore::append(EventRecord record, std::function<void(const EventAppendResult &)> done)
{
    const qint64 maxBody = m_writer->retention().maxBodyBytes;
    if (maxBody > 0 && record.body.size() > maxBody) {
        EventAppendResult refused;
        refused.error =
            QStringLiteral("The event was not stored: its body has %1 bytes, more than the %2 kept.")
                .arg(record.body.size())
                .arg(maxBody);
        if (done)
            done(refused);
        return;
    }
    // Parsed here, on the caller's thread: the writer's thread only writes.
    if (record.eventId.isEmpty() || record.eventType.isEmpty()) {
        const EventFacts facts = describe(record.body);
        if (record.eventId.isEmpty())
            record.eventId = facts.eventId;
        if (record.eventType.isEmpty())
            record.eventType = facts.eventType;
        if (record.forUserId.isEmpty())
            record.forUserId = facts.forUserId;
        if (record.filter.isEmpty())
            record.filter = facts.filter;
        if (record.tag.isEmpty())
            record.tag = facts.tag;
    }
    if (record.receivedAtMs <= 0)
        record.receivedAtMs = nowMs();
    EventWriter::Job job;
    job.record = std::move(record);
    job.done = std::move(done);
    m_writer->push(std::move(job));
}

qint64 EventStore::append(EventRecord record)
{
    const qint64 ticket = m_nextTicket++;
    QPointer<EventStore> self(this);
    append(std::move(record), [self, ticket](const EventAppendResult &result) {
        // Queued to this object's thread; dropped if the store is gone by then.
        QMetaObject::invokeMethod(self.data(), [self, ticket, result] {
            if (!self)
                return;
            if (!result.stored)
                self->setError(result.error, {});
            Q_EMIT self->appended(ticket, result);
        });
    });
    return ticket;
}

void EventStore::setForwardOutcome(qint64 rowId, const ForwardOutcome &outcome)
{
    if (rowId <= 0)
        return;
    QPointer<EventStore> self(this);
    EventWriter::Job job;
    job.forwardRowId = rowId;
    job.forward = outcome;
    job.forwardDone = [self, rowId](bool ok) {
        QMetaObject::invokeMethod(self.data(), [self, rowId, ok] {
            if (self)
                Q_EMIT self->forwardRecorded(rowId, ok);
        });
    };
    m_writer->push(std::move(job));
}

void EventStore::pruneInBackground(qint64 at)
{
    if (m_prune->isRunning() || !m_open)
        return;
    auto outcome = std::make_shared<PruneOutcome>();
    m_prune->start(
        this,
        [path = m_path, retention = retention(), at = at > 0 ? at : nowMs(),
         outcome](const std::atomic_bool &cancelled) {
            *outcome = pruneEventDatabase(path, retention, at, cancelled);
        },
        [this, outcome] {
            if (!outcome->failure.isEmpty())
                setError(tr("Old events could not be removed; they are tried again next time."),
                         outcome->failure);
            Q_EMIT pruned(outcome->removed);
        });
}

bool EventStore::isPruning() const
{
    return m_prune->isRunning();
}

} // namespace activity
