#pragma once

// Internal to the sandbox library: one request in flight, the answer it gets, and the builders of
// X's answer shapes. Every part (router, authenticator, rate limiter, handler groups) speaks these.

#include "ApiTypes.h"
#include "Journal.h"
#include "OAuth1.h"

#include <QByteArray>
#include <QHash>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QUrl>

#include <memory>
#include <optional>

namespace activity::sandbox {

struct Route;

// Which family of X's API a route belongs to: decides the error envelope a refusal is sent in.
enum class RouteFamily { V1, V2, OAuth, Sandbox };

// An answer before it is written.
struct Reply
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    int errorCode = 0; // journaled: the v1.1 error code
    QString errorName; // journaled: the v2 problem's name
};

// One request in flight. Handlers answer through Router::finish(); CRC checks and replay jobs keep
// it alive by holding the shared pointer.
struct Exchange
{
    QByteArray method;
    QUrl url; // as received: http://127.0.0.1:PORT/path?query
    QString path;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    QRegularExpressionMatch match;
    const Route *route = nullptr;

    // filled by the authenticator
    CredentialKind credential = CredentialKind::None;
    bool verified = false;
    QString appId;
    QString userId; // the token's user (OAuth1 with token)
    QByteArray token; // the presented token (never journaled)
    oauth1::ParamList oauthParams;
    // filled by the rate limiter
    QList<std::pair<QByteArray, QByteArray>> rateHeaders;

    QPointer<QTcpSocket> socket;
    std::optional<QHttpServerResponder> responder;
    JournalEntry entry;
    bool finished = false;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QString capture(int i) const { return match.captured(i); }
    QString queryValue(const QString &key) const;
    // Form body parameters when the content type is form-encoded; empty otherwise.
    oauth1::ParamList formParams() const;
    QByteArray param(const QByteArray &key) const; // query first, then form body
    RouteFamily family() const;
    bool isV2() const { return family() == RouteFamily::V2; }
};

using ExchangePtr = std::shared_ptr<Exchange>;

// The value of `key` in `params`, or nullptr.
const QByteArray *findParam(const oauth1::ParamList &params, const char *key);

// Answer builders.
Reply jsonReply(int status, const QJsonDocument &doc);
Reply jsonReply(int status, const QJsonObject &object);
Reply dataReply(const QJsonValue &data); // 200 {"data": ...}, v2's success shape
Reply emptyReply(int status);
Reply v1Error(int status, int code, const QString &message);
// kind: the problem type suffix; empty = derived from the status (see SandboxServer.h).
// One top-level problem {"type","title","detail":"<name>: <detail>","status"} plus `extra` fields.
Reply v2Error(int status, const QString &name, const QString &detail, const QString &kind = {},
              const QJsonObject &extra = {});
Reply v2Unauthorized();
Reply v2UnsupportedAuth(const QString &detail);
// 403 for an OAuth 2.0 user token without every scope the endpoint needs: a problem shaped like
// v2Unauthorized()'s ("title":"Forbidden", "type":"about:blank") whose detail, and its
// "missing_scopes" array, name what is missing.
Reply v2MissingScopes(const QStringList &missing, const QStringList &needed);
Reply rateLimited();
Reply formReply(const oauth1::ParamList &params);
Reply htmlReply(int status, const QString &html);
Reply textReply(int status, const QString &text);

QString isoTime(const QDateTime &utc, bool millis); // 2016-06-02T23:54:02Z / ...02.000Z

} // namespace activity::sandbox
