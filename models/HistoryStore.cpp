#include "HistoryStore.h"

#include "HistoryPruning.h"
#include "SqliteFile.h"

#include "ActivityConfig.h"
#include "EndpointCatalogue.h"
#include "Redaction.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLockFile>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>
#include <QUrl>
#include <QUuid>

namespace activity {

namespace {

constexpr int busyTimeoutMs = historyBusyTimeoutMs;

QDateTime fromIso(const QVariant &value)
{
    if (value.isNull())
        return {};
    QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (time.isValid())
        time = time.toUTC();
    return time;
}

QVariant nullable(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

// A URL keeps scheme, host, port, path and query; a user name or password in it goes.
QJsonValue scrubbedValue(const QJsonValue &value)
{
    if (!value.isString())
        return value;
    const QString text = value.toString();
    if (!text.contains(QLatin1String("://")))
        return value;
    QUrl url(text);
    if (!url.isValid() || (url.userName().isEmpty() && url.password().isEmpty()))
        return value;
    url.setUserInfo({});
    return url.toString();
}

} // namespace

HistoryStore::HistoryStore(const QString &databasePath, const QString &runId, QObject *parent)
    : QObject(parent)
    , m_path(databasePath.isEmpty() ? defaultPath() : databasePath)
    , m_runId(runId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : runId)
    , m_connectionName(sqlitefile::connectionName(QStringLiteral("activity-history")))
    , m_prune(std::make_unique<sqlitefile::BackgroundPass>())
{
    m_open = open();
}

HistoryStore::~HistoryStore()
{
    // A prune still running stops after the batch in hand; the rest goes in the next run's.
    m_prune.reset();
    sqlitefile::close(m_connectionName);
    if (m_runLock)
        m_runLock->unlock();
}

bool HistoryStore::isPruning() const
{
    return m_prune->isRunning();
}

void HistoryStore::pruneInBackground()
{
    if (m_prune->isRunning())
        return;
    if (!m_open && !(m_open = open()))
        return;
    auto outcome = std::make_shared<HistoryPruneOutcome>();
    m_prune->start(
        this,
        [path = m_path, retention = m_retention, at = now(), outcome](const std::atomic_bool &cancelled) {
            *outcome = pruneHistoryDatabase(path, retention, at, cancelled);
        },
        [this, outcome] {
            if (!outcome->failure.isEmpty())
                setError(tr("Old history entries could not be removed; they are tried again next time."),
                         outcome->failure);
            Q_EMIT pruned(outcome->removed);
        });
}

QString HistoryStore::defaultPath()
{
    // Not AppDataLocation of the calling program: activity-cli has another application name, and
    // both must find the console's file.
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base).filePath(QStringLiteral(ACTIVITY_DEFAULT_HISTORY_FILE));
}

QDateTime HistoryStore::now() const
{
    return m_clock ? m_clock().toUTC() : QDateTime::currentDateTimeUtc();
}

void HistoryStore::setError(const QString &what, const QString &detail) const
{
    m_lastError = detail.isEmpty() ? what : QStringLiteral("%1 (%2)").arg(what, detail);
    Q_EMIT const_cast<HistoryStore *>(this)->errorOccurred(m_lastError);
}

QString HistoryStore::runLockPath(const QString &runId) const
{
    const QFileInfo info(m_path);
    return QDir(info.absolutePath()).filePath(QStringLiteral("%1.runs/%2.lock").arg(info.fileName(), runId));
}

bool HistoryStore::open()
{
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath())) {
        setError(tr("The history could not be opened: the folder %1 cannot be created. Actions still "
                    "run, but are not recorded.")
                     .arg(QDir::toNativeSeparators(info.absolutePath())),
                 {});
        return false;
    }

    // A second attempt (begin() retries a failed open) starts from a fresh connection.
    QSqlDatabase db;
    QString failure;
    if (!sqlitefile::openWal(db, m_connectionName, m_path, sqlitefile::Sync::Normal, busyTimeoutMs,
                             failure)) {
        if (!db.isValid()) {
            setError(tr("The history could not be opened: Qt's SQLite driver is not installed. "
                        "Actions still run, but are not recorded."),
                     {});
        } else {
            setError(tr("The history database %1 could not be opened. Actions still run, but are "
                        "not recorded.")
                         .arg(QDir::toNativeSeparators(m_path)),
                     failure);
        }
        return false;
    }
    if (!migrate())
        return false;

    // Held for the life of this run: another process that finds it locked knows this run is alive.
    QDir().mkpath(QFileInfo(runLockPath(m_runId)).absolutePath());
    m_runLock = std::make_unique<QLockFile>(runLockPath(m_runId));
    m_runLock->setStaleLockTime(0);
    if (!m_runLock->tryLock(0))
        m_runLock.reset(); // without it, a live run looks interrupted to others: harmless
    m_lastError.clear();
    return true;
}

bool HistoryStore::execWrite(const std::function<bool()> &statements, QString &failure)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    return sqlitefile::transaction(db, statements, failure);
}

bool HistoryStore::migrate()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    // One step per version, all in one transaction (sqlitefile::upgradeSchema), so a crash leaves the
    // old schema. The schema_version row's time is SQLite's, in historyTimestamp()'s form.
    static_assert(schemaVersion == 1, "one step per version below");
    const QStringList v1 {
        QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                       " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS history ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " run_id TEXT NOT NULL,"
                       " source TEXT NOT NULL DEFAULT '',"
                       " started_at TEXT NOT NULL,"
                       " finished_at TEXT,"
                       " profile_id TEXT,"
                       " profile_name TEXT,"
                       " api_generation TEXT NOT NULL,"
                       " host TEXT,"
                       " account_user_id TEXT,"
                       " account_username TEXT,"
                       " operation TEXT NOT NULL,"
                       " parameters TEXT NOT NULL DEFAULT '{}',"
                       " state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),"
                       " http_status INTEGER,"
                       " error_kind TEXT,"
                       " error_cause TEXT,"
                       " error_remedy TEXT,"
                       " summary TEXT,"
                       " duration_ms INTEGER)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS history_state ON history (state, id)"),
        QStringLiteral("INSERT OR REPLACE INTO schema_version (version, applied_at)"
                       " VALUES (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"),
    };
    QString failure;
    const bool ok = sqlitefile::upgradeSchema(db, {v1}, failure);
    if (!ok) {
        setError(tr("The history database %1 cannot be used. Actions still run, but are not recorded.")
                     .arg(QDir::toNativeSeparators(m_path)),
                 failure);
    }
    return ok;
}

qint64 HistoryStore::begin(const HistoryAction &action)
{
    if (!m_open && !(m_open = open()))
        return 0;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const QDateTime started = now();
    const QByteArray parameters =
        QJsonDocument(withoutSecrets(action.parameters)).toJson(QJsonDocument::Compact);
    qint64 id = 0;
    QString failure;
    const bool ok = execWrite(
        [&] {
            QSqlQuery q(db);
            q.prepare(QStringLiteral(
                "INSERT INTO history (run_id, source, started_at, profile_id, profile_name, api_generation,"
                " host, account_user_id, account_username, operation, parameters, state)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')"));
            q.addBindValue(m_runId);
            q.addBindValue(action.source.isEmpty() ? QStringLiteral("") : action.source); // null binds NULL
            q.addBindValue(historyTimestamp(started));
            q.addBindValue(nullable(action.profileId));
            q.addBindValue(nullable(action.profileName));
            q.addBindValue(endpoints::generationName(action.generation));
            q.addBindValue(nullable(action.host));
            q.addBindValue(nullable(action.accountUserId));
            q.addBindValue(nullable(action.accountUsername));
            q.addBindValue(operationKey(action.operation));
            q.addBindValue(QString::fromUtf8(parameters));
            if (!q.exec()) {
                failure = q.lastError().text();
                return false;
            }
            id = q.lastInsertId().toLongLong();
            return id > 0;
        },
        failure);
    if (!ok) {
        setError(tr("The action could not be recorded in the history; it runs anyway."), failure);
        return 0;
    }
    m_lastError.clear();
    QElapsedTimer timer;
    timer.start();
    m_timers.insert(id, timer);
    Q_EMIT entryAdded(id);
    return id;
}

bool HistoryStore::complete(qint64 id, const HistoryOutcome &outcome)
{
    if (id <= 0 || !m_open)
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const QDateTime finished = now();
    qint64 duration = outcome.durationMs;
    if (duration < 0) {
        const auto timer = m_timers.constFind(id);
        duration = timer != m_timers.cend() ? timer->elapsed() : -1;
    }
    QString failure;
    bool changed = false;
    const bool ok = execWrite(
        [&] {
            QSqlQuery q(db);
            q.prepare(QStringLiteral(
                "UPDATE history SET state = ?, finished_at = ?, http_status = ?, error_kind = ?,"
                " error_cause = ?, error_remedy = ?, summary = ?, duration_ms = ?"
                " WHERE id = ? AND state = 'pending'"));
            q.addBindValue(stateKey(outcome.succeeded ? HistoryState::Succeeded : HistoryState::Failed));
            q.addBindValue(historyTimestamp(finished));
            q.addBindValue(outcome.httpStatus > 0 ? QVariant(outcome.httpStatus)
                                                  : QVariant(QMetaType(QMetaType::Int)));
            q.addBindValue(nullable(outcome.errorKind));
            q.addBindValue(nullable(outcome.errorCause));
            q.addBindValue(nullable(outcome.errorRemedy));
            q.addBindValue(nullable(outcome.summary));
            q.addBindValue(duration >= 0 ? QVariant(duration) : QVariant(QMetaType(QMetaType::LongLong)));
            q.addBindValue(id);
            if (!q.exec()) {
                failure = q.lastError().text();
                return false;
            }
            changed = q.numRowsAffected() == 1;
            return true;
        },
        failure);
    if (!ok) {
        setError(tr("The result of an action could not be recorded in the history."), failure);
        return false;
    }
    m_timers.remove(id);
    m_lastError.clear();
    if (changed)
        Q_EMIT entryCompleted(id);
    return changed;
}

HistoryEntry::Progress HistoryStore::progressOf(const QString &runId, HistoryState state) const
{
    if (state != HistoryState::Pending)
        return HistoryEntry::Progress::Finished;
    if (runId == m_runId)
        return HistoryEntry::Progress::Running;
    // A lock we can take belongs to a run that is over (or never had one): take it and drop it,
    // which also tidies the file away.
    QLockFile lock(runLockPath(runId));
    lock.setStaleLockTime(0);
    if (lock.tryLock(0)) {
        lock.unlock();
        return HistoryEntry::Progress::Interrupted;
    }
    return lock.error() == QLockFile::LockFailedError ? HistoryEntry::Progress::RunningElsewhere
                                                      : HistoryEntry::Progress::Interrupted;
}

QList<HistoryEntry> HistoryStore::select(const QString &where, const QVariantList &bindings, int limit) const
{
    QList<HistoryEntry> result;
    if (!m_open)
        return result;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    QString sql = QStringLiteral(
        "SELECT id, run_id, source, started_at, finished_at, profile_id, profile_name, api_generation,"
        " host, account_user_id, account_username, operation, parameters, state, http_status,"
        " error_kind, error_cause, error_remedy, summary, duration_ms FROM history");
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where;
    sql += QStringLiteral(" ORDER BY id DESC");
    if (limit > 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    q.prepare(sql);
    for (const QVariant &binding : bindings)
        q.addBindValue(binding);
    if (!q.exec()) {
        setError(tr("The history could not be read."), q.lastError().text());
        return result;
    }
    QHash<QString, HistoryEntry::Progress> runs; // one lock check per run
    while (q.next()) {
        HistoryEntry e;
        e.id = q.value(0).toLongLong();
        e.runId = q.value(1).toString();
        e.action.source = q.value(2).toString();
        e.startedAt = fromIso(q.value(3));
        e.finishedAt = fromIso(q.value(4));
        e.action.profileId = q.value(5).toString();
        e.action.profileName = q.value(6).toString();
        // An unknown name reads as v2, the default generation.
        e.action.generation =
            endpoints::generationFromName(q.value(7).toString()).value_or(ApiGeneration::V2);
        e.action.host = q.value(8).toString();
        e.action.accountUserId = q.value(9).toString();
        e.action.accountUsername = q.value(10).toString();
        e.operationKey = q.value(11).toString();
        if (const auto op = operationFromKey(e.operationKey))
            e.action.operation = *op;
        e.action.parameters = QJsonDocument::fromJson(q.value(12).toString().toUtf8()).object();
        e.state = stateFromKey(q.value(13).toString()).value_or(HistoryState::Pending);
        e.httpStatus = q.value(14).toInt();
        e.errorKind = q.value(15).toString();
        e.errorCause = q.value(16).toString();
        e.errorRemedy = q.value(17).toString();
        e.summary = q.value(18).toString();
        e.durationMs = q.value(19).isNull() ? -1 : q.value(19).toLongLong();
        if (e.state == HistoryState::Pending) {
            auto it = runs.find(e.runId);
            if (it == runs.end())
                it = runs.insert(e.runId, progressOf(e.runId, e.state));
            e.progress = *it;
        }
        result.append(e);
    }
    m_lastError.clear();
    return result;
}

QList<HistoryEntry> HistoryStore::entries(const HistoryQuery &query) const
{
    if (query.state)
        return select(QStringLiteral("state = ?"), {stateKey(*query.state)}, query.limit);
    return select({}, {}, query.limit);
}

std::optional<HistoryEntry> HistoryStore::entry(qint64 id) const
{
    const QList<HistoryEntry> found = select(QStringLiteral("id = ?"), {id}, 1);
    if (found.isEmpty())
        return std::nullopt;
    return found.constFirst();
}

QList<HistoryEntry> HistoryStore::pendingFromEarlierRuns() const
{
    QList<HistoryEntry> result;
    const QList<HistoryEntry> pending =
        select(QStringLiteral("state = 'pending' AND run_id <> ?"), {m_runId}, 0);
    for (const HistoryEntry &e : pending) {
        if (e.progress == HistoryEntry::Progress::Interrupted)
            result.append(e);
    }
    return result;
}

QJsonObject HistoryStore::withoutSecrets(const QJsonObject &parameters)
{
    QJsonObject clean;
    for (auto it = parameters.begin(); it != parameters.end(); ++it) {
        if (!redact::looksSensitive(it.key())) // never kept, whatever the caller passes
            clean.insert(it.key(), scrubbedValue(it.value()));
    }
    return clean;
}

} // namespace activity
