// The X Activity stream's pure pieces (x-api-2026.md §4.5, §4.6): a line into an event, an
// in-stream error or a malformed line; the duplicate window; the reconnect backoff.

#include "ActivityStreamProtocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <algorithm>
#include <cmath>

namespace activity {

namespace {

StreamLine malformed(QString why)
{
    StreamLine line;
    line.kind = StreamLine::Kind::Malformed;
    line.problem = std::move(why);
    return line;
}

bool isNumberChar(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// A JSON number exactly as written in the line: a 19-digit id does not survive a double, so the
// text is taken from the bytes. Every "event_uuid" key is tried; the one whose number matches the
// parsed value wins (a payload may carry a key of the same name).
QString numberLiteral(const QByteArray &line, double value)
{
    static const QByteArray key = QByteArrayLiteral("\"event_uuid\"");
    for (qsizetype at = line.indexOf(key); at >= 0; at = line.indexOf(key, at + 1)) {
        qsizetype i = at + key.size();
        while (i < line.size() && QChar::isSpace(uchar(line.at(i))))
            ++i;
        if (i >= line.size() || line.at(i) != ':')
            continue;
        ++i;
        while (i < line.size() && QChar::isSpace(uchar(line.at(i))))
            ++i;
        const qsizetype start = i;
        while (i < line.size() && isNumberChar(line.at(i)))
            ++i;
        const QByteArray literal = line.mid(start, i - start);
        bool ok = false;
        if (!literal.isEmpty() && literal.toDouble(&ok) == value && ok)
            return QString::fromLatin1(literal);
    }
    if (std::trunc(value) == value && std::abs(value) < 9.0e15)
        return QString::number(qint64(value));
    return QString::number(value, 'g', 17);
}

// event_uuid in any form the docs show (§4.6 ⚠): a string of digits, a negative number as a string,
// a UUID, or a bare JSON number. Empty when absent or of another type.
QString eventUuid(const QJsonValue &value, const QByteArray &line)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return numberLiteral(line, value.toDouble());
    return {};
}

QString text(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(qint64(value.toDouble()));
    return {};
}

// "operational-disconnect (UpstreamOperationalDisconnect): detail" for each problem.
QString describeProblems(const QJsonObject &object)
{
    QJsonArray problems = object.value(QStringLiteral("errors")).toArray();
    if (problems.isEmpty())
        problems.append(object); // a bare problem at the top level (§6.1)
    QStringList parts;
    for (const QJsonValue &value : std::as_const(problems)) {
        const QJsonObject problem = value.toObject();
        QString name = problem.value(QStringLiteral("title")).toString();
        if (name.isEmpty())
            name = problem.value(QStringLiteral("type")).toString().section(QLatin1Char('/'), -1);
        if (name.isEmpty())
            name = problem.value(QStringLiteral("message")).toString();
        QString part = name.isEmpty() ? QStringLiteral("an unnamed error") : name;
        for (const char *detailKey : {"disconnect_type", "connection_issue"}) {
            const QString kind = problem.value(QLatin1String(detailKey)).toString();
            if (!kind.isEmpty())
                part += QStringLiteral(" (%1)").arg(kind);
        }
        const QString detail = problem.value(QStringLiteral("detail")).toString();
        if (!detail.isEmpty())
            part += QStringLiteral(": ") + detail;
        parts.append(part);
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace

namespace streamline {

StreamLine parse(QByteArray line, qint64 receivedAtMs)
{
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.trimmed().isEmpty()) {
        StreamLine keepAlive;
        keepAlive.kind = StreamLine::Kind::KeepAlive;
        return keepAlive;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError) {
        return malformed(QStringLiteral("The line is not JSON (%1 at byte %2).")
                             .arg(error.errorString())
                             .arg(error.offset));
    }
    if (!document.isObject())
        return malformed(QStringLiteral("The line is not a JSON object."));
    const QJsonObject object = document.object();

    if (!object.contains(QStringLiteral("data"))) {
        // §4.5: {"errors":[...]} ends the connection; a bare problem (§6.1) is read the same way.
        if (object.value(QStringLiteral("errors")).isArray() || object.contains(QStringLiteral("type")) ||
            object.contains(QStringLiteral("title"))) {
            StreamLine serverError;
            serverError.kind = StreamLine::Kind::ServerError;
            serverError.problem = describeProblems(object);
            return serverError;
        }
        return malformed(QStringLiteral("The line has neither \"data\" nor \"errors\"."));
    }
    const QJsonValue dataValue = object.value(QStringLiteral("data"));
    if (!dataValue.isObject())
        return malformed(QStringLiteral("\"data\" is not an object."));
    const QJsonObject data = dataValue.toObject();

    StreamLine out;
    out.kind = StreamLine::Kind::Event;
    StreamEvent &event = out.event;
    event.eventUuid = eventUuid(data.value(QStringLiteral("event_uuid")), line);
    if (event.eventUuid.isEmpty())
        return malformed(QStringLiteral("The event has no event_uuid."));
    event.eventType = data.value(QStringLiteral("event_type")).toString();
    if (event.eventType.isEmpty())
        return malformed(QStringLiteral("The event %1 has no event_type.").arg(event.eventUuid));
    const QJsonValue filterValue = data.value(QStringLiteral("filter"));
    if (!filterValue.isUndefined() && !filterValue.isNull() && !filterValue.isObject())
        return malformed(
            QStringLiteral("The event %1 has a filter that is not an object.").arg(event.eventUuid));
    const QJsonObject filter = filterValue.toObject();
    event.filter = QJsonDocument(filter).toJson(QJsonDocument::Compact);
    event.forUserId = text(filter.value(QStringLiteral("user_id")));
    event.tag = data.value(QStringLiteral("tag")).toString();
    event.raw = std::move(line);
    event.receivedAtMs = receivedAtMs;
    return out;
}

QString problemSummary(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    return document.isObject() ? describeProblems(document.object()) : QString();
}

int backfillMinutes(std::chrono::milliseconds gap, bool *beyondReach)
{
    constexpr qint64 minuteMs = 60000;
    const qint64 covering = (std::max<qint64>(gap.count(), 0) + minuteMs - 1) / minuteMs; // ceil
    if (beyondReach)
        *beyondReach = covering > maxBackfillMinutes;
    return int(std::clamp<qint64>(covering, 1, maxBackfillMinutes));
}

} // namespace streamline

RecentEventIds::RecentEventIds(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(1, capacity))
{
}

bool RecentEventIds::remember(const QString &id)
{
    if (m_ids.contains(id))
        return false;
    m_ids.insert(id);
    m_order.push_back(id);
    while (qsizetype(m_order.size()) > m_capacity) {
        m_ids.remove(m_order.front());
        m_order.pop_front();
    }
    return true;
}

std::chrono::milliseconds StreamBackoff::delay(BackoffKind kind, int attempt) const
{
    attempt = std::max(1, attempt);
    const auto doubling = [attempt](std::chrono::milliseconds base, std::chrono::milliseconds cap) {
        std::chrono::milliseconds wait = base;
        // Doubling step by step stops at the cap, so no attempt count can overflow.
        for (int i = 1; i < attempt && wait < cap; ++i)
            wait *= 2;
        return std::min(wait, cap);
    };
    switch (kind) {
    case BackoffKind::Network:
        // At most networkCap / step steps: no overflow for any attempt.
        return std::min<std::chrono::milliseconds>(networkStep * std::min(attempt, 1 << 20), networkCap);
    case BackoffKind::Http:
        return doubling(httpBase, httpCap);
    case BackoffKind::RateLimited:
        return doubling(rateLimitedBase, rateLimitedCap);
    }
    return networkCap;
}

QString backoffKindName(BackoffKind kind)
{
    switch (kind) {
    case BackoffKind::Network:
        return QStringLiteral("network");
    case BackoffKind::Http:
        return QStringLiteral("http");
    case BackoffKind::RateLimited:
        return QStringLiteral("429");
    }
    return {};
}

} // namespace activity
