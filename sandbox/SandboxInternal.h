#pragma once

// Internal to the sandbox library: the in-memory state, one request in flight, the route table
// entry and the answer builders. Not installed, not used outside sandbox/.

#include "ApiTypes.h"
#include "FaultInjector.h"
#include "Journal.h"
#include "OAuth1.h"
#include "SandboxServer.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QTcpSocket>

#include <QSslConfiguration>
#include <QTcpServer>

#include <chrono>
#include <deque>
#include <map>
#include <optional>

namespace activity::sandbox {

class SandboxServer;
struct Exchange;

struct App
{
    QString id;
    QString name;
    QString accountName;
    QByteArray consumerKey;
    QByteArray consumerSecret;
    QByteArray bearerToken;
    QStringList callbackUrls;
    QString ownerUserId;
};

struct User
{
    QString id;
    QString username;
    QString name;
    QString password; // empty = cannot sign in
};

struct AccessToken
{
    QByteArray token;
    QByteArray secret;
    QString userId;
    QString appId;
    bool permitsSubscriptions = true; // false → 403/348 on subscribe
};

struct RequestToken
{
    QByteArray token;
    QByteArray secret;
    QString appId;
    QString callback; // "oob" or a registered URL
    QDateTime createdAt;
    QString approvedUserId; // set when the user allowed the app
    QByteArray verifier;
    bool used = false;
};

struct WebhookRecord
{
    QString id;
    QString appId;
    QString url; // empty when ownReceiverName is set
    QString ownReceiverName; // the URL is <baseUrl>/sandbox/receiver/<name>, known once listening
    bool valid = false;
    QDateTime createdAt;
    QStringList subscriberOrder; // subscription order, for the list answer
    QSet<QString> subscribers;
};

struct ReplayRecord
{
    QString jobId;
    QString webhookId;
    QDateTime createdAt;
    bool running = true;
};

struct RatePool
{
    QDateTime windowStart;
    int used = 0;
};

struct RateRule
{
    int limit = 15;
    std::chrono::seconds window {15 * 60};
};

// Which API family a route belongs to: decides the error envelope.
enum class Generation { V1, V2, OAuth, Sandbox };

// Which credential a route demands.
enum class AuthNeed {
    None,
    AppOnly, // bearer
    OwnerOnly, // OAuth1 with the app owner's token
    AppOrOwner, // bearer or OAuth1 with the owner's token (v2 webhook writes, per the OpenAPI)
    UserOnly, // OAuth1 with any user's access token (the owner included)
    AppOrUser, // bearer or OAuth1 user token
    ConsumerOnly, // OAuth1 without a token (request_token)
    RequestToken, // OAuth1 with a request token (access_token)
};

struct Route
{
    QByteArray method;
    QRegularExpression path;
    Generation generation = Generation::V1;
    AuthNeed auth = AuthNeed::None;
    QString endpointKey; // rate-limit key; empty = unrated
    void (SandboxServer::*handler)(const std::shared_ptr<Exchange> &) = nullptr;
    // v1.1 register with app-only auth answers 403/261 rather than 403/220 (X's FAQ).
    bool bearerIs261 = false;
    unsigned flags = 0; // RouteFlag
};

enum RouteFlag : unsigned {
    JsonBody = 1, // the body is read as JSON: application/json required (415)
    ControlToken = 2, // a sandbox control endpoint: X-Sandbox-Token required (403)
};

struct SandboxState
{
    QList<Route> routes;
    QHash<QString, App> apps; // by id
    QHash<QString, User> users; // by id
    QHash<QByteArray, AccessToken> accessTokens; // by token
    QHash<QByteArray, RequestToken> requestTokens; // by token
    std::map<QString, WebhookRecord> webhooks; // by id, ordered
    QHash<QString, ReplayRecord> replayJobs;
    QHash<QString, RateRule> rateRules; // by endpoint key
    QHash<QString, RatePool> ratePools; // by key + credential identity
    QHash<QByteArray, QDateTime> seenNonces; // consumer key + token + nonce → when
    // seenNonces' keys with the time they were stored, oldest first: a ring of limits.nonces.
    std::deque<std::pair<QByteArray, QDateTime>> nonceOrder;
    QList<DeliveryRecord> deliveries;
    QList<ReceivedEvent> received;
    Journal journal;
    FaultInjector faults;
    SandboxLimits limits;
    QByteArray controlToken;
    // "127.0.0.1:PORT", "localhost:PORT" (and "[::1]:PORT"), lower-case: the Host values it answers.
    QStringList ownAuthorities;
    QSslConfiguration tls; // null: plain http

    std::chrono::milliseconds clockOffset {0};
    int webhookLimit = 3;
    int provisionedSubscriptions = 500;
    std::chrono::milliseconds crcTimeout {3000};
    std::chrono::milliseconds deliveryTimeout {10000};
    bool lenientLoopbackUrls = true;
    bool xStyleTokenAnswers = false;
    bool seeded = false;
    qint64 nextWebhookId = 1500000000000000101LL;
    qint64 nextJobId = 1600000000000000001LL;
    qint64 nextUserId = 3000000000000000001LL;
    qint64 nextEventId = 1;
    QNetworkAccessManager *nam = nullptr;
};

// An answer before it is written.
struct Reply
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    int errorCode = 0;
    QString errorName;
};

// One request in flight. Handlers answer through finish(); CRC and replay keep it alive by copy.
struct Exchange
{
    QByteArray method;
    QUrl url; // as received: http://127.0.0.1:PORT/path?query
    QString path;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    QRegularExpressionMatch match;
    const Route *route = nullptr;

    // filled by authentication
    CredentialKind credential = CredentialKind::None;
    bool verified = false;
    QString appId;
    QString userId; // the token's user (OAuth1 with token)
    QByteArray token; // the presented token (never journaled)
    oauth1::ParamList oauthParams;
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
    Generation generation() const;
};

using ExchangePtr = std::shared_ptr<Exchange>;

// Answer builders.
Reply jsonReply(int status, const QJsonDocument &doc);
Reply jsonReply(int status, const QJsonObject &object);
Reply emptyReply(int status);
Reply v1Error(int status, int code, const QString &message);
// kind: the problem type suffix; empty = derived from the status (see SandboxServer.h).
// One top-level problem {"type","title","detail":"<name>: <detail>","status"} plus `extra` fields.
Reply v2Error(int status, const QString &name, const QString &detail, const QString &kind = {},
              const QJsonObject &extra = {});
Reply v2Unauthorized();
Reply v2UnsupportedAuth(const QString &detail);
Reply rateLimited();
Reply formReply(const oauth1::ParamList &params);
Reply htmlReply(int status, const QString &html);
Reply textReply(int status, const QString &text);

QString isoTime(const QDateTime &utc, bool millis); // 2016-06-02T23:54:02Z / ...02.000Z
// Drops the oldest remembered OAuth nonces beyond limits.nonces.
void forgetOldNonces(SandboxState &state);
// validate::isLoopbackAddress: the addresses the sandbox calls and accepts plain http webhooks on.

// Appends to a bounded record, dropping the oldest beyond `capacity`.
template<typename T> void appendBounded(QList<T> &list, const T &item, qsizetype capacity)
{
    if (list.size() >= capacity)
        list.remove(0, list.size() - qMax<qsizetype>(1, capacity) + 1);
    list.append(item);
}

// The listening socket. Qt 6.4's QHttpServer reads a whole request body into memory before it
// hands the request on; the front door watches each connection first (its readyRead handler is
// connected before QHttpServer's) and refuses a body over the limit as soon as the headers
// announce it, or once that many bytes arrived, without reading it in.
class FrontDoor : public QTcpServer
{
public:
    FrontDoor(SandboxServer *server, QObject *parent);
    ~FrontDoor() override;
    // The request on `socket` is complete: the next one starts counting from zero.
    void requestCompleted(QTcpSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Watch
    {
        QByteArray head; // the request line and headers, until the blank line
        qsizetype headerBytes = -1; // -1 until the blank line was seen
        qint64 received = 0; // bytes of this request so far
        qint64 announced = -1; // Content-Length, -1 when none was given
        QByteArray method;
        QString path;
    };
    void watch(QTcpSocket *socket);
    void onReadyRead(QTcpSocket *socket);

    SandboxServer *m_server;
    QHash<QTcpSocket *, Watch> m_watches;
};

// The QAbstractHttpServer underneath: hands each parsed request to the SandboxServer with its socket.
class HttpFrontEnd : public QAbstractHttpServer
{
public:
    explicit HttpFrontEnd(SandboxServer *server)
        : m_server(server)
    {
    }
    static QHttpServerResponder responderFor(const QHttpServerRequest &request, QTcpSocket *socket)
    {
        return makeResponder(request, socket);
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    SandboxServer *m_server;
};

} // namespace activity::sandbox
