#include "WebhookTimeline.h"

#include "SqliteFile.h"

#include "ActivityConfig.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

namespace activity {

namespace {

constexpr int busyTimeoutMs = 5000;

bool migrate(QSqlDatabase &db, QString &failure)
{
    const QStringList v1 {
        // Only changes of `valid` (and each webhook's first sight): a week of 5-minute polls of a
        // healthy webhook is one row.
        QStringLiteral("CREATE TABLE IF NOT EXISTS webhook_changes ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " profile TEXT NOT NULL, webhook_id TEXT NOT NULL, url TEXT NOT NULL,"
                       " valid INTEGER NOT NULL, at_ms INTEGER NOT NULL)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS webhook_changes_webhook ON webhook_changes (profile, "
                       "webhook_id, id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS webhook_checks ("
                       " profile TEXT NOT NULL, webhook_id TEXT NOT NULL, url TEXT NOT NULL,"
                       " valid INTEGER NOT NULL, since_ms INTEGER NOT NULL,"
                       " last_checked_ms INTEGER NOT NULL, last_seen_valid_ms INTEGER NOT NULL,"
                       " PRIMARY KEY (profile, webhook_id))"),
    };
    return sqlitefile::upgradeSchema(db, {v1}, failure);
}

WebhookHealth healthFrom(const QSqlQuery &q)
{
    WebhookHealth h;
    h.profile = q.value(0).toString();
    h.webhookId = q.value(1).toString();
    h.url = q.value(2).toString();
    h.valid = q.value(3).toBool();
    h.sinceMs = q.value(4).toLongLong();
    h.lastCheckedMs = q.value(5).toLongLong();
    h.lastSeenValidMs = q.value(6).toLongLong();
    return h;
}

const QString healthColumns = QStringLiteral("SELECT profile, webhook_id, url, valid, since_ms, "
                                             "last_checked_ms, last_seen_valid_ms FROM webhook_checks");

} // namespace

WebhookTimeline::WebhookTimeline(const QString &path)
    : m_path(path.isEmpty() ? defaultPath() : path)
    , m_connection(sqlitefile::connectionName(QStringLiteral("activity-health")))
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSqlDatabase db;
    QString failure;
    m_open =
        sqlitefile::openWal(db, m_connection, m_path, sqlitefile::Sync::Normal, busyTimeoutMs, failure) &&
        migrate(db, failure);
    if (!m_open)
        m_lastError = QStringLiteral("The webhook timeline %1 could not be opened (%2).")
                          .arg(QDir::toNativeSeparators(m_path), failure);
}

WebhookTimeline::~WebhookTimeline()
{
    sqlitefile::close(m_connection);
}

QString WebhookTimeline::defaultPath()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base).filePath(
        QStringLiteral(ACTIVITY_ORGANISATION "/" ACTIVITY_APPLICATION_NAME "/health.sqlite"));
}

std::optional<WebhookTimeline::Change> WebhookTimeline::record(const WebhookValidity &seen)
{
    if (!m_open)
        return std::nullopt;
    const std::optional<WebhookHealth> known = health(seen.profile, seen.webhookId);
    // A null QString binds as NULL: the URL column takes '' when none is known.
    const QString url = seen.url.isNull() ? QStringLiteral("") : seen.url;
    const bool changed = !known || known->valid != seen.valid;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QString failure;
    const bool ok = sqlitefile::transaction(
        db,
        [&] {
            const qint64 since = changed ? seen.atMs : known->sinceMs;
            const qint64 lastValid = seen.valid ? seen.atMs : (known ? known->lastSeenValidMs : 0);
            QSqlQuery q(db);
            q.prepare(QStringLiteral(
                "INSERT INTO webhook_checks (profile, webhook_id, url, valid, since_ms, last_checked_ms,"
                " last_seen_valid_ms) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (profile, webhook_id) DO "
                "UPDATE"
                " SET url = excluded.url, valid = excluded.valid, since_ms = excluded.since_ms,"
                " last_checked_ms = excluded.last_checked_ms, last_seen_valid_ms = "
                "excluded.last_seen_valid_ms"));
            for (const QVariant &value : QVariantList {seen.profile, seen.webhookId, url, seen.valid ? 1 : 0,
                                                       since, seen.atMs, lastValid})
                q.addBindValue(value);
            if (!q.exec()) {
                failure = q.lastError().text();
                return false;
            }
            if (!changed)
                return true;
            QSqlQuery change(db);
            change.prepare(QStringLiteral("INSERT INTO webhook_changes (profile, webhook_id, url, valid, "
                                          "at_ms) VALUES (?, ?, ?, ?, ?)"));
            for (const QVariant &value :
                 QVariantList {seen.profile, seen.webhookId, url, seen.valid ? 1 : 0, seen.atMs})
                change.addBindValue(value);
            if (!change.exec()) {
                failure = change.lastError().text();
                return false;
            }
            return true;
        },
        failure);
    if (!ok) {
        m_lastError = QStringLiteral("A webhook check could not be recorded (%1).").arg(failure);
        return std::nullopt;
    }
    if (!changed)
        return std::nullopt;
    return Change {known ? std::optional<bool>(known->valid) : std::nullopt, seen};
}

std::optional<WebhookHealth> WebhookTimeline::health(const QString &profile, const QString &webhookId) const
{
    if (!m_open)
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(healthColumns + QStringLiteral(" WHERE profile = ? AND webhook_id = ?"));
    q.addBindValue(profile);
    q.addBindValue(webhookId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return healthFrom(q);
}

QList<WebhookHealth> WebhookTimeline::healthOf(const QString &profile) const
{
    QList<WebhookHealth> out;
    if (!m_open)
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(healthColumns + QStringLiteral(" WHERE profile = ? ORDER BY webhook_id"));
    q.addBindValue(profile);
    if (!q.exec())
        return out;
    while (q.next())
        out.append(healthFrom(q));
    return out;
}

QList<WebhookValidity> WebhookTimeline::changes(const QString &profile, const QString &webhookId,
                                                qint64 sinceMs) const
{
    QList<WebhookValidity> out;
    if (!m_open)
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(
        QStringLiteral("SELECT url, valid, at_ms FROM webhook_changes WHERE profile = ? AND webhook_id = ?"
                       " AND at_ms >= ? ORDER BY id"));
    q.addBindValue(profile);
    q.addBindValue(webhookId);
    q.addBindValue(sinceMs);
    if (!q.exec())
        return out;
    while (q.next())
        out.append({profile, webhookId, q.value(0).toString(), q.value(1).toBool(), q.value(2).toLongLong()});
    return out;
}

} // namespace activity
