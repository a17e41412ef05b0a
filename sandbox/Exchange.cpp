// X's answer shapes and the accessors of a request in flight.

#include "Exchange.h"

#include "Router.h"

#include <QUrlQuery>

namespace activity::sandbox {

// ---------------------------------------------------------------------------------------------
// Answer builders

Reply jsonReply(int status, const QJsonDocument &doc)
{
    Reply reply;
    reply.status = status;
    reply.contentType = QByteArrayLiteral("application/json; charset=utf-8");
    reply.body = doc.toJson(QJsonDocument::Compact);
    return reply;
}

Reply jsonReply(int status, const QJsonObject &object)
{
    return jsonReply(status, QJsonDocument(object));
}

Reply dataReply(const QJsonValue &data)
{
    return jsonReply(200, QJsonObject {{QStringLiteral("data"), data}});
}

Reply emptyReply(int status)
{
    Reply reply;
    reply.status = status;
    return reply;
}

Reply v1Error(int status, int code, const QString &message)
{
    const QJsonObject error {{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    Reply reply = jsonReply(status, QJsonObject {{QStringLiteral("errors"), QJsonArray {error}}});
    reply.errorCode = code;
    return reply;
}

static QString problemKind(int status)
{
    switch (status) {
    case 403:
        return QStringLiteral("usage-capped");
    case 404:
        return QStringLiteral("resource-not-found");
    case 409:
        return QStringLiteral("conflict");
    default:
        return QStringLiteral("invalid-request");
    }
}

// Titles as X's documentation examples show them (the spec defines none).
static QString problemTitle(const QString &kind)
{
    if (kind == QLatin1String("resource-not-found"))
        return QStringLiteral("Not Found Error");
    if (kind == QLatin1String("invalid-request"))
        return QStringLiteral("Invalid Request");
    if (kind == QLatin1String("usage-capped"))
        return QStringLiteral("Usage Capped");
    if (kind == QLatin1String("conflict"))
        return QStringLiteral("Conflict");
    return QStringLiteral("Error");
}

Reply v2Error(int status, const QString &name, const QString &detail, const QString &kind,
              const QJsonObject &extra)
{
    // One RFC 7807 problem at the top level (x-api-2026.md §6.1); the reason X names in its docs
    // leads the detail ("CrcValidationFailed: ..."), as the reference's emulator choice says.
    const QString suffix = kind.isEmpty() ? problemKind(status) : kind;
    const QString type = QStringLiteral("https://api.x.com/2/problems/") + suffix;
    const QString fullDetail = name.isEmpty() ? detail : QString(name + QStringLiteral(": ") + detail);
    QJsonObject problem {{QStringLiteral("type"), type},
                         {QStringLiteral("title"), problemTitle(suffix)},
                         {QStringLiteral("detail"), fullDetail},
                         {QStringLiteral("status"), status}};
    if (suffix == QLatin1String("resource-not-found") && !extra.contains(QStringLiteral("resource_type")))
        problem.insert(QStringLiteral("resource_type"), QStringLiteral("webhook"));
    for (auto it = extra.begin(); it != extra.end(); ++it)
        problem.insert(it.key(), it.value());
    Reply reply = jsonReply(status, problem);
    reply.contentType = QByteArrayLiteral("application/problem+json");
    reply.errorName = name.isEmpty() ? problemTitle(suffix) : name;
    return reply;
}

Reply v2Unauthorized()
{
    Reply reply = jsonReply(401,
                            QJsonObject {{QStringLiteral("title"), QStringLiteral("Unauthorized")},
                                         {QStringLiteral("type"), QStringLiteral("about:blank")},
                                         {QStringLiteral("status"), 401},
                                         {QStringLiteral("detail"), QStringLiteral("Unauthorized")}});
    reply.contentType = QByteArrayLiteral("application/problem+json");
    reply.errorName = QStringLiteral("Unauthorized");
    return reply;
}

Reply v2UnsupportedAuth(const QString &detail)
{
    Reply reply =
        jsonReply(403,
                  QJsonObject {{QStringLiteral("title"), QStringLiteral("Unsupported Authentication")},
                               {QStringLiteral("detail"), detail},
                               {QStringLiteral("type"),
                                QStringLiteral("https://api.x.com/2/problems/unsupported-authentication")},
                               {QStringLiteral("status"), 403}});
    reply.contentType = QByteArrayLiteral("application/problem+json");
    reply.errorName = QStringLiteral("Unsupported Authentication");
    return reply;
}

Reply v2MissingScopes(const QStringList &missing, const QStringList &needed)
{
    const QString detail =
        QStringLiteral("Missing OAuth 2.0 scope%1: %2. This endpoint needs a user token granted %3.")
            .arg(missing.size() == 1 ? QString() : QStringLiteral("s"), missing.join(QStringLiteral(", ")),
                 needed.join(QLatin1Char(' ')));
    Reply reply =
        jsonReply(403,
                  QJsonObject {{QStringLiteral("title"), QStringLiteral("Forbidden")},
                               {QStringLiteral("type"), QStringLiteral("about:blank")},
                               {QStringLiteral("status"), 403},
                               {QStringLiteral("detail"), detail},
                               {QStringLiteral("missing_scopes"), QJsonArray::fromStringList(missing)}});
    reply.contentType = QByteArrayLiteral("application/problem+json");
    reply.errorName = QStringLiteral("Forbidden");
    return reply;
}

Reply rateLimited()
{
    return v1Error(429, 88, QStringLiteral("Rate limit exceeded"));
}

Reply formReply(const oauth1::ParamList &params)
{
    Reply reply;
    reply.contentType = QByteArrayLiteral("application/x-www-form-urlencoded");
    reply.body = oauth1::formEncode(params);
    return reply;
}

Reply htmlReply(int status, const QString &html)
{
    Reply reply;
    reply.status = status;
    reply.contentType = QByteArrayLiteral("text/html; charset=utf-8");
    reply.body = html.toUtf8();
    return reply;
}

Reply textReply(int status, const QString &text)
{
    Reply reply;
    reply.status = status;
    reply.contentType = QByteArrayLiteral("text/plain; charset=utf-8");
    reply.body = text.toUtf8();
    return reply;
}

QString isoTime(const QDateTime &utc, bool millis)
{
    return utc.toUTC().toString(millis ? QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")
                                       : QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

// ---------------------------------------------------------------------------------------------
// Exchange

QString Exchange::queryValue(const QString &key) const
{
    return QUrlQuery(url).queryItemValue(key, QUrl::FullyDecoded);
}

oauth1::ParamList Exchange::formParams() const
{
    if (!header("content-type").toLower().startsWith("application/x-www-form-urlencoded"))
        return {};
    return oauth1::parseFormEncoded(body);
}

QByteArray Exchange::param(const QByteArray &key) const
{
    for (const auto &[k, v] : oauth1::queryParameters(url)) {
        if (k == key)
            return v;
    }
    for (const auto &[k, v] : formParams()) {
        if (k == key)
            return v;
    }
    return {};
}

RouteFamily Exchange::family() const
{
    if (route)
        return route->family;
    return path.startsWith(QLatin1String("/2/")) ? RouteFamily::V2 : RouteFamily::V1;
}

const QByteArray *findParam(const oauth1::ParamList &params, const char *key)
{
    for (const auto &[k, v] : params) {
        if (k == key)
            return &v;
    }
    return nullptr;
}

} // namespace activity::sandbox
