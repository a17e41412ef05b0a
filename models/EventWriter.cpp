#include "EventWriter.h"

#include "SqliteFile.h"
#include "ThreadPriority.h"
#include "WalCheckpointer.h"

#include <QDateTime>
#include <QSqlDriver>
#include <QStringEncoder>
#include <QThread>

#include <sqlite3.h>

#include <algorithm>
#include <vector>

namespace activity {

namespace eventdb {

bool migrate(QSqlDatabase &db, QString &failure)
{
    static_assert(EventStore::schemaVersion == 2, "one step per version below");
    // One row per event. A later delivery of the same event_id (X's retries, the stream's backfill,
    // the receiver and the stream both seeing it) only counts up duplicate_count: the body is never
    // stored twice, a duplicate adds no bytes, and the pane's duplicate mark is the count. Each
    // delivery's own headers are not kept: X sends the same ones again.
    const QStringList v1 {
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
    // The type and account indexes cost more than a third of every commit's time at the receiver's
    // rates (#16: 140 -> 85 us per commit in bench_receiver); filtering by type or account now reads
    // the newest rows first until the page is full, as the text filter always did.
    const QStringList v2 {
        QStringLiteral("DROP INDEX IF EXISTS events_type"),
        QStringLiteral("DROP INDEX IF EXISTS events_user"),
    };
    return sqlitefile::upgradeSchema(db, {v1, v2}, failure);
}

EventRow EventRow::from(const EventRecord &record)
{
    QByteArray text;
    EventRow row = appendTo(text, record);
    row.text = std::move(text);
    return row;
}

EventRow EventRow::appendTo(QByteArray &block, const EventRecord &record)
{
    EventRow row;
    const QString *texts[] = {&record.eventId, &record.eventType, &record.forUserId, &record.filter,
                              &record.tag};
    qsizetype size = 64; // the headers' JSON beyond their names and values
    for (const QString *text : texts)
        size += text->size() * 3; // UTF-8 at most triples a UTF-16 code unit
    for (const auto &[name, value] : record.headers)
        size += name.size() + value.size() + 8;
    // Encoded straight into the block, without a temporary QByteArray per column (five allocations
    // per event on the receiver's thread).
    row.begin = block.size();
    block.resize(row.begin + size);
    char *const start = block.data();
    char *end = start + row.begin;
    QStringEncoder toUtf8(QStringEncoder::Utf8);
    for (int i = EventId; i < Headers; ++i) {
        end = toUtf8.appendToBuffer(end, *texts[i]);
        row.ends[i] = end - start;
    }
    block.truncate(row.ends[Tag]); // the capacity stays, for the headers
    EventStore::appendSelectedHeaders(block, record.headers);
    row.ends[Headers] = block.size();
    row.source = EventStore::sourceKeyLatin1(record.source);
    row.signature = EventStore::verdictKeyLatin1(record.signature);
    row.receivedAtMs = record.receivedAtMs;
    row.body = record.body;
    return row;
}

} // namespace eventdb

namespace {

// Appends per transaction at most: a burst larger than this takes several commits, so the first
// callers are not kept waiting for the last.
constexpr std::size_t maxBatch = 512;

// The writer's CPU priority below the receiver's and the GUI's. On a busy machine the writer, woken
// once per batch, would otherwise take the core of the thread that reads the next requests and
// answers the acks (#16: the receiver thread waited 3-5 us per event for a core in bench_receiver).
// Given way to, the writer finds larger batches (fewer commits, less CPU per event) and still gets
// about a third of a contended core, several times what a real webhook's rate needs.
constexpr int writerNiceSteps = 5;

// One prepared statement, kept for the connection's life. Text and blobs are bound without a
// copy: the batch's rows outlive each step.
class Statement
{
public:
    Statement(sqlite3 *db, const char *sql)
    {
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr) != SQLITE_OK)
            m_statement = nullptr;
    }
    ~Statement() { sqlite3_finalize(m_statement); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool isValid() const { return m_statement != nullptr; }
    sqlite3_stmt *get() const { return m_statement; }

    void text(int index, QByteArrayView value)
    {
        // An empty (even a null) one is bound as '', not NULL.
        sqlite3_bind_text(m_statement, index, value.isNull() ? "" : value.data(), int(value.size()),
                          SQLITE_STATIC);
    }
    void textOrNull(int index, QByteArrayView value)
    {
        if (value.isEmpty())
            sqlite3_bind_null(m_statement, index);
        else
            text(index, value);
    }
    void blob(int index, const QByteArray &value)
    {
        if (value.isEmpty())
            sqlite3_bind_zeroblob(m_statement, index, 0); // a null pointer would bind NULL
        else
            sqlite3_bind_blob(m_statement, index, value.constData(), int(value.size()), SQLITE_STATIC);
    }
    void integer(int index, qint64 value) { sqlite3_bind_int64(m_statement, index, value); }
    void integerOrNull(int index, qint64 value, bool isNull)
    {
        if (isNull)
            sqlite3_bind_null(m_statement, index);
        else
            integer(index, value);
    }

    int step() { return sqlite3_step(m_statement); }
    qint64 column(int index) const { return sqlite3_column_int64(m_statement, index); }
    void reset() { sqlite3_reset(m_statement); }

private:
    sqlite3_stmt *m_statement = nullptr;
};

// The writer thread's connection: opened by Qt (the same WAL, busy timeout and schema as every
// other connection), written through SQLite's handle.
class WriterConnection
{
public:
    WriterConnection(QString name, QString path, sqlitefile::Sync sync, WalCheckpointer &checkpointer)
        : m_name(std::move(name))
        , m_path(std::move(path))
        , m_sync(sync)
        , m_checkpointer(checkpointer)
    {
    }
    ~WriterConnection()
    {
        const bool watched = m_statements != nullptr; // opened: ensureOpen() watched it
        m_statements.reset(); // finalized before Qt closes the handle
        if (watched)
            WalCheckpointer::unwatch(m_db); // before the checkpointer goes
    }

    // Another try per batch while it fails: the folder may have appeared, the lock gone.
    void ensureOpen()
    {
        if (m_statements)
            return;
        QSqlDatabase db;
        if (!sqlitefile::openWal(db, m_name, m_path, m_sync, eventdb::busyTimeoutMs, m_failure) ||
            !eventdb::migrate(db, m_failure))
            return;
        const QVariant handle = db.driver()->handle();
        if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0) {
            m_failure = QStringLiteral("the SQLite driver gave no connection handle");
            return;
        }
        m_db = *static_cast<sqlite3 *const *>(handle.constData());
        auto statements = std::make_unique<Statements>(m_db);
        if (!statements->isValid()) {
            m_failure = QString::fromUtf8(sqlite3_errmsg(m_db));
            return;
        }
        m_statements = std::move(statements);
        m_checkpointer.watch(m_db);
        m_failure.clear();
    }

    void write(EventWriter::Job *batch, std::size_t count)
    {
        std::vector<EventAppendResult> results(count);
        QString failure = m_failure;
        const bool ok = m_statements && execute(m_statements->begin, failure) &&
            writeRows(batch, count, results, failure) && execute(m_statements->commit, failure);
        if (m_statements && !ok)
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        // Committed (durable as the store's EventDurability says) or rolled back as a whole: now
        // the answers.
        for (std::size_t i = 0; i < count; ++i) {
            EventWriter::Job &job = batch[i];
            if (job.forwardRowId > 0) {
                if (job.forwardDone)
                    job.forwardDone(ok && results[i].stored);
                continue;
            }
            EventAppendResult &result = results[i];
            result.eventId = QString::fromUtf8(job.row.column(eventdb::EventRow::EventId));
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

private:
    struct Statements
    {
        explicit Statements(sqlite3 *db)
            : insert(db,
                     "INSERT INTO events (event_id, source, received_at, event_type, for_user_id, filter,"
                     " tag, headers, body, body_size, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                     " ON CONFLICT (event_id) DO NOTHING")
            , duplicate(db,
                        "UPDATE events SET duplicate_count = duplicate_count + 1, last_duplicate_at = ?"
                        " WHERE event_id = ? RETURNING id")
            , forward(db,
                      "UPDATE events SET forward_status = ?, forward_duration_ms = ?, forward_at = ?,"
                      " forward_error = ? WHERE id = ?")
            , begin(db, "BEGIN IMMEDIATE")
            , commit(db, "COMMIT")
        {
        }
        bool isValid() const
        {
            return insert.isValid() && duplicate.isValid() && forward.isValid() && begin.isValid() &&
                commit.isValid();
        }

        Statement insert;
        Statement duplicate;
        Statement forward;
        // Prepared once too: sqlite3_exec parses its text on every call, twice per commit.
        Statement begin;
        Statement commit;
    };

    bool execute(Statement &statement, QString &failure)
    {
        const bool done = statement.step() == SQLITE_DONE;
        if (!done)
            failure = QString::fromUtf8(sqlite3_errmsg(m_db)); // before reset() answers for it
        statement.reset();
        return done;
    }

    bool writeRows(const EventWriter::Job *batch, std::size_t count, std::vector<EventAppendResult> &results,
                   QString &failure)
    {
        for (std::size_t i = 0; i < count; ++i) {
            const EventWriter::Job &job = batch[i];
            const bool ok =
                job.forwardRowId > 0 ? writeForward(job, results[i]) : writeEvent(job.row, results[i]);
            if (!ok) {
                failure = QString::fromUtf8(sqlite3_errmsg(m_db));
                return false;
            }
        }
        return true;
    }

    bool writeEvent(const eventdb::EventRow &row, EventAppendResult &result)
    {
        Statement &insert = m_statements->insert;
        using Text = eventdb::EventRow::Text;
        insert.text(1, row.column(Text::EventId));
        insert.text(2, row.source);
        insert.integer(3, row.receivedAtMs);
        insert.text(4, row.column(Text::EventType));
        insert.textOrNull(5, row.column(Text::ForUserId));
        insert.textOrNull(6, row.column(Text::Filter));
        insert.textOrNull(7, row.column(Text::Tag));
        insert.text(8, row.column(Text::Headers));
        insert.blob(9, row.body);
        insert.integer(10, row.body.size());
        insert.text(11, row.signature);
        const int inserted = insert.step();
        insert.reset();
        if (inserted != SQLITE_DONE)
            return false;
        if (sqlite3_changes(m_db) == 1) {
            result.rowId = sqlite3_last_insert_rowid(m_db);
            return true;
        }
        // The id is stored already: the first row counts this delivery (a rare path).
        Statement &duplicate = m_statements->duplicate;
        duplicate.integer(1, row.receivedAtMs);
        duplicate.text(2, row.column(eventdb::EventRow::EventId));
        const bool found = duplicate.step() == SQLITE_ROW;
        if (found)
            result.rowId = duplicate.column(0);
        const bool done = !found || duplicate.step() == SQLITE_DONE;
        duplicate.reset();
        result.duplicate = found;
        return found && done;
    }

    bool writeForward(const EventWriter::Job &job, EventAppendResult &result)
    {
        Statement &forward = m_statements->forward;
        const ForwardOutcome &outcome = job.forward;
        forward.integerOrNull(1, outcome.httpStatus, outcome.httpStatus <= 0);
        forward.integer(2, outcome.durationMs);
        forward.integer(3, outcome.atMs > 0 ? outcome.atMs : QDateTime::currentMSecsSinceEpoch());
        const QByteArray error = outcome.error.toUtf8();
        forward.textOrNull(4, error);
        forward.integer(5, job.forwardRowId);
        const bool ok = forward.step() == SQLITE_DONE;
        forward.reset();
        result.stored = ok && sqlite3_changes(m_db) == 1;
        return ok;
    }

    QString m_name;
    QString m_path;
    sqlitefile::Sync m_sync;
    QString m_failure;
    sqlite3 *m_db = nullptr;
    std::unique_ptr<Statements> m_statements;
    WalCheckpointer &m_checkpointer; // unwatched in the destructor, before it goes
};

} // namespace

EventWriter::EventWriter(QString path, EventDurability durability)
    : m_path(std::move(path))
    , m_durability(durability)
    // Started from this thread, not the writer's, so it keeps this thread's CPU priority: at the
    // writer's lower one the copies fell behind a writer at full speed and the WAL outgrew its bound
    // (tst_eventstore).
    , m_checkpointer(std::make_unique<WalCheckpointer>(m_path))
{
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("event-writer"));
    m_thread->start();
}

EventWriter::~EventWriter()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread->wait(); // answers every job queued so far first
}

void EventWriter::push(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void EventWriter::push(std::vector<Job> jobs)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.insert(m_queue.end(), std::make_move_iterator(jobs.begin()),
                       std::make_move_iterator(jobs.end()));
    }
    m_wake.notify_one();
}

EventRetention EventWriter::retention() const
{
    std::lock_guard lock(m_mutex);
    return m_retention;
}

void EventWriter::setRetention(const EventRetention &retention)
{
    std::lock_guard lock(m_mutex);
    m_retention = retention;
}

void EventWriter::run()
{
    threadpriority::lowerCurrentThread(writerNiceSteps);
    const QString name = sqlitefile::connectionName(QStringLiteral("activity-events-writer"));
    {
        // WAL with synchronous=NORMAL: a commit is in the WAL file before append() answers, so it
        // survives the program being killed (kill -9), not a power cut. FULL adds an fsync per
        // commit (what group commit spreads over many appends) and survives that too.
        WriterConnection connection(name, m_path,
                                    m_durability == EventDurability::PowerLoss ? sqlitefile::Sync::Full
                                                                               : sqlitefile::Sync::Normal,
                                    *m_checkpointer);
        std::vector<Job> batch;
        for (;;) {
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
                if (m_queue.empty())
                    break;
                batch.swap(m_queue);
            }
            for (std::size_t from = 0; from < batch.size(); from += maxBatch) {
                connection.ensureOpen();
                connection.write(batch.data() + from, std::min(maxBatch, batch.size() - from));
            }
            batch.clear();
        }
    }
    sqlitefile::close(name);
}

} // namespace activity
