#include "EventStore.h"

#include "EventWriter.h"
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

// Rows per pruning transaction.
constexpr int pruneBatchRows = 500;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
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
        if (sqlitefile::openWal(db, name, path, sqlitefile::Sync::Normal, eventdb::busyTimeoutMs,
                                outcome.failure)) {
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

// An append as the writer takes it, every column made ready here (the writer's thread only
// writes); nullopt, with `done` answered, for a body over the limit.
std::optional<EventWriter::Job> prepareJob(EventRecord record,
                                           std::function<void(const EventAppendResult &)> done,
                                           qint64 maxBody, QByteArray *block = nullptr)
{
    if (maxBody > 0 && record.body.size() > maxBody) {
        EventAppendResult refused;
        refused.error =
            QStringLiteral("The event was not stored: its body has %1 bytes, more than the %2 kept.")
                .arg(record.body.size())
                .arg(maxBody);
        if (done)
            done(refused);
        return std::nullopt;
    }
    if (record.eventId.isEmpty() || record.eventType.isEmpty()) {
        const EventFacts facts = EventStore::describe(record.body);
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
    job.row = block ? eventdb::EventRow::appendTo(*block, record) : eventdb::EventRow::from(record);
    job.done = std::move(done);
    return job;
}

} // namespace

EventStore::EventStore(const QString &databasePath, QObject *parent)
    : EventStore(databasePath, EventDurability::ProgramCrash, parent)
{
}

EventStore::EventStore(const QString &databasePath, EventDurability durability, QObject *parent)
    : QObject(parent)
    , m_path(databasePath.isEmpty() ? defaultPath() : databasePath)
    , m_connectionName(sqlitefile::connectionName(QStringLiteral("activity-events")))
    , m_durability(durability)
    , m_prune(std::make_unique<sqlitefile::BackgroundPass>())
{
    qRegisterMetaType<EventAppendResult>();
    m_open = openReader();
    m_writer = std::make_unique<EventWriter>(m_path, m_durability);
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
    if (!sqlitefile::openWal(db, m_connectionName, m_path, sqlitefile::Sync::Full, eventdb::busyTimeoutMs,
                             failure) ||
        !eventdb::migrate(db, failure)) {
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
    std::optional<EventWriter::Job> job =
        prepareJob(std::move(record), std::move(done), m_writer->retention().maxBodyBytes);
    if (job)
        m_writer->push(std::move(*job));
}

void EventStore::append(std::vector<PendingAppend> appends)
{
    const qint64 maxBody = m_writer->retention().maxBodyBytes;
    std::vector<EventWriter::Job> jobs;
    jobs.reserve(appends.size());
    // The rows' text columns in one block they all share: one allocation for the whole group, and
    // one block for the writer's thread to let go of, not one per row (each block the receiver's
    // thread allocates and the writer's frees costs both glibc's arena lock).
    QByteArray block;
    block.reserve(qsizetype(appends.size()) * 512);
    for (PendingAppend &append : appends) {
        if (std::optional<EventWriter::Job> job =
                prepareJob(std::move(append.record), std::move(append.done), maxBody, &block))
            jobs.push_back(std::move(*job));
    }
    for (EventWriter::Job &job : jobs)
        job.row.text = block;
    if (!jobs.empty())
        m_writer->push(std::move(jobs));
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
