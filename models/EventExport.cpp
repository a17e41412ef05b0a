#include "EventExport.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QObject>

namespace activity::eventexport {

QJsonObject toJson(const StoredEvent &event, bool withBody)
{
    QJsonObject object {
        {QStringLiteral("row"), event.rowId},
        {QStringLiteral("event_id"), event.eventId},
        {QStringLiteral("received_at"),
         QDateTime::fromMSecsSinceEpoch(event.receivedAtMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("source"), EventStore::sourceKey(event.source)},
        {QStringLiteral("event_type"), event.eventType},
        {QStringLiteral("for_user_id"), event.forUserId},
        {QStringLiteral("tag"), event.tag},
        {QStringLiteral("signature"), EventStore::verdictKey(event.signature)},
        {QStringLiteral("duplicates"), event.duplicates},
        {QStringLiteral("body_size"), event.bodySize},
        {QStringLiteral("headers"), event.headers},
    };
    if (!event.filter.isEmpty())
        object.insert(QStringLiteral("filter"), QJsonDocument::fromJson(event.filter.toUtf8()).object());
    if (event.forward) {
        QJsonObject forward {
            {QStringLiteral("status"), event.forward->httpStatus},
            {QStringLiteral("duration_ms"), event.forward->durationMs},
            {QStringLiteral("at"),
             QDateTime::fromMSecsSinceEpoch(event.forward->atMs, Qt::UTC).toString(Qt::ISODateWithMs)}};
        if (!event.forward->error.isEmpty())
            forward.insert(QStringLiteral("error"), event.forward->error);
        object.insert(QStringLiteral("forward"), forward);
    }
    if (withBody) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(event.body, &error);
        if (error.error == QJsonParseError::NoError && document.isObject())
            object.insert(QStringLiteral("body"), document.object());
        else
            object.insert(QStringLiteral("body_text"), QString::fromUtf8(event.body));
    }
    return object;
}

QByteArray jsonLine(const StoredEvent &event)
{
    // The body goes in as the bytes received, so an export keeps X's key order and spelling (a
    // QJsonObject would sort the keys); only a body that is not one line of JSON becomes text.
    QJsonParseError error;
    QJsonDocument::fromJson(event.body, &error);
    const bool spliceable =
        error.error == QJsonParseError::NoError && !event.body.contains('\n') && !event.body.contains('\r');
    if (!spliceable)
        return QJsonDocument(toJson(event)).toJson(QJsonDocument::Compact) + '\n';
    QByteArray line = QJsonDocument(toJson(event, false)).toJson(QJsonDocument::Compact);
    line.chop(1); // the closing brace
    return line + ",\"body\":" + event.body.trimmed() + "}\n";
}

QString prettyBody(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return QString::fromUtf8(body);
    return QString::fromUtf8(document.toJson(QJsonDocument::Indented));
}

QString forwardSummary(const StoredEvent &event)
{
    if (!event.forward)
        return {};
    if (!event.forward->error.isEmpty())
        return QObject::tr("failed: %1").arg(event.forward->error);
    return QObject::tr("%1 in %2 ms").arg(event.forward->httpStatus).arg(event.forward->durationMs);
}

} // namespace activity::eventexport
