// The event store's queries (the pane, the CLI): they run on the calling thread with the
// store's reading connection, never on the writer's.
#include "EventStore.h"

#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace activity {

QList<StoredEvent> EventStore::events(const EventQuery &query) const
{
    QList<StoredEvent> result;
    if (!m_open)
        return result;
    QStringList where;
    QVariantList bindings;
    if (!query.types.isEmpty()) {
        QStringList marks;
        for (const QString &type : query.types) {
            marks << QStringLiteral("?");
            bindings << type;
        }
        where << QStringLiteral("event_type IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    if (!query.forUserId.isEmpty()) {
        where << QStringLiteral("for_user_id = ?");
        bindings << query.forUserId;
    }
    if (query.sinceMs > 0) {
        where << QStringLiteral("received_at >= ?");
        bindings << query.sinceMs;
    }
    if (query.minRowId > 0) {
        where << QStringLiteral("id >= ?");
        bindings << query.minRowId;
    }
    if (query.maxRowId > 0) {
        where << QStringLiteral("id <= ?");
        bindings << query.maxRowId;
    }
    if (!query.text.isEmpty()) {
        const QString needle = query.text.toLower();
        where << QStringLiteral("(instr(lower(CAST(body AS TEXT)), ?) > 0 OR instr(lower(event_type), ?) > 0"
                                " OR instr(lower(COALESCE(tag, '')), ?) > 0)");
        bindings << needle << needle << needle;
    }
    return select(where.join(QStringLiteral(" AND ")), bindings, query.limit, query.withBodies);
}

QList<StoredEvent> EventStore::select(const QString &where, const QVariantList &bindings, int limit,
                                      bool withBodies) const
{
    QList<StoredEvent> result;
    QString sql =
        QStringLiteral("SELECT id, event_id, source, received_at, event_type, for_user_id, filter, tag,"
                       " headers, %1, body_size, signature, duplicate_count, last_duplicate_at,"
                       " forward_status, forward_duration_ms, forward_at, forward_error FROM events")
            .arg(withBodies ? QStringLiteral("body") : QStringLiteral("NULL"));
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where;
    sql += QStringLiteral(" ORDER BY id DESC");
    if (limit > 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);

    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &binding : std::as_const(bindings))
        q.addBindValue(binding);
    if (!q.exec()) {
        setError(tr("The event store could not be read."), q.lastError().text());
        return result;
    }
    while (q.next()) {
        StoredEvent e;
        e.rowId = q.value(0).toLongLong();
        e.eventId = q.value(1).toString();
        e.source = sourceFromKey(q.value(2).toString()).value_or(EventSource::Stream);
        e.receivedAtMs = q.value(3).toLongLong();
        e.eventType = q.value(4).toString();
        e.forUserId = q.value(5).toString();
        e.filter = q.value(6).toString();
        e.tag = q.value(7).toString();
        e.headers = QJsonDocument::fromJson(q.value(8).toString().toUtf8()).object();
        e.body = q.value(9).toByteArray();
        e.bodySize = q.value(10).toLongLong();
        e.signature = verdictFromKey(q.value(11).toString()).value_or(SignatureVerdict::NotApplicable);
        e.duplicates = q.value(12).toInt();
        e.lastDuplicateAtMs = q.value(13).toLongLong();
        if (!q.value(16).isNull()) {
            ForwardOutcome forward;
            forward.httpStatus = q.value(14).toInt();
            forward.durationMs = q.value(15).toLongLong();
            forward.atMs = q.value(16).toLongLong();
            forward.error = q.value(17).toString();
            e.forward = forward;
        }
        result.append(e);
    }
    m_lastError.clear();
    return result;
}

QList<StoredEvent> EventStore::newest(int count) const
{
    EventQuery query;
    query.limit = count;
    return events(query);
}

std::optional<StoredEvent> EventStore::event(qint64 rowId) const
{
    if (!m_open)
        return std::nullopt;
    const QList<StoredEvent> found = select(QStringLiteral("id = ?"), {rowId}, 1, true);
    return found.isEmpty() ? std::nullopt : std::optional<StoredEvent>(found.constFirst());
}

std::optional<StoredEvent> EventStore::eventById(const QString &eventId) const
{
    if (!m_open)
        return std::nullopt;
    const QList<StoredEvent> found = select(QStringLiteral("event_id = ?"), {eventId}, 1, true);
    return found.isEmpty() ? std::nullopt : std::optional<StoredEvent>(found.constFirst());
}

QList<std::pair<QString, qint64>> EventStore::countPerType(qint64 sinceMs) const
{
    QList<std::pair<QString, qint64>> result;
    if (!m_open)
        return result;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT event_type, COUNT(*) FROM events WHERE received_at >= ?"
                             " GROUP BY event_type ORDER BY 2 DESC, 1"));
    q.addBindValue(sinceMs);
    if (!q.exec()) {
        setError(tr("The event store could not be read."), q.lastError().text());
        return result;
    }
    while (q.next())
        result.append({q.value(0).toString(), q.value(1).toLongLong()});
    return result;
}

QList<qint64> EventStore::perMinute(qint64 at, int minutes) const
{
    QList<qint64> result(qMax(minutes, 0), 0);
    if (!m_open || minutes <= 0)
        return result;
    const qint64 start = at - qint64(minutes) * 60000;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT (received_at - ?) / 60000, COUNT(*) FROM events"
                             " WHERE received_at >= ? AND received_at < ? GROUP BY 1"));
    q.addBindValue(start);
    q.addBindValue(start);
    q.addBindValue(at);
    if (!q.exec()) {
        setError(tr("The event store could not be read."), q.lastError().text());
        return result;
    }
    while (q.next()) {
        const qint64 minute = q.value(0).toLongLong();
        if (minute >= 0 && minute < minutes)
            result[minute] = q.value(1).toLongLong();
    }
    return result;
}

qint64 EventStore::count() const
{
    if (!m_open)
        return 0;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM events")) || !q.next())
        return 0;
    return q.value(0).toLongLong();
}

} // namespace activity
