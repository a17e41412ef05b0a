// The route table and the request pipeline: admission, fault injection, routing, the
// authenticator and the rate limiter in front of each handler, and writing the answer.

#include "Router.h"

#include "Crc.h"
#include "RateLimiter.h"
#include "Redaction.h"
#include "World.h"

#include <QSet>
#include <QTimer>

namespace activity::sandbox {

using namespace std::chrono_literals;

Router::Router(World &world, Authenticator &authenticator, RateLimiter &rateLimiter, QObject *parent)
    : QObject(parent)
    , m_world(world)
    , m_authenticator(authenticator)
    , m_rateLimiter(rateLimiter)
{
}

// One capture per placeholder, in order.
QString Router::patternOf(const QString &pathTemplate)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{[a-z_]+\\}"));
    QString pattern;
    qsizetype from = 0;
    for (auto it = placeholder.globalMatch(pathTemplate); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        pattern += QRegularExpression::escape(pathTemplate.mid(from, match.capturedStart() - from));
        pattern += QStringLiteral("([^/]+)");
        from = match.capturedEnd();
    }
    return pattern + QRegularExpression::escape(pathTemplate.mid(from));
}

Route &Router::add(Route route)
{
    m_routes.push_back(std::move(route));
    return m_routes.back();
}

Route &Router::addApi(Operation op, ApiGeneration generation, AuthNeed auth, Route::Handler handler)
{
    const Endpoint *endpoint = endpoints::find(op, generation);
    if (!endpoint)
        qFatal("The endpoint catalogue has no %s endpoint for this operation (%d).",
               qPrintable(endpoints::generationName(generation)), int(op));
    Route route;
    route.method = endpoint->method;
    route.path = QRegularExpression(QRegularExpression::anchoredPattern(patternOf(endpoint->pathTemplate)));
    route.family = endpoint->generationIndependent ? RouteFamily::OAuth
        : generation == ApiGeneration::V2          ? RouteFamily::V2
                                                   : RouteFamily::V1;
    route.auth = auth;
    route.endpoint = endpoint;
    // Endpoints without a documented limit (the OAuth ones, X Activity bulk delete) have no rule in
    // the RateLimiter, so they stay unrated, as on X, unless a test sets one for their key.
    route.rateLimitKey = endpoint->rateLimitKey;
    route.handler = std::move(handler);
    return add(std::move(route));
}

Route &Router::addLocal(const QByteArray &method, const QString &pattern, RouteFamily family, AuthNeed auth,
                        Route::Handler handler, const QString &rateLimitKey)
{
    Route route;
    route.method = method;
    route.path = QRegularExpression(QRegularExpression::anchoredPattern(pattern));
    route.family = family;
    route.auth = auth;
    route.rateLimitKey = rateLimitKey;
    route.handler = std::move(handler);
    return add(std::move(route));
}

void Router::setOwnAuthorities(const QStringList &authorities, bool tls)
{
    m_ownAuthorities = authorities;
    m_tls = tls;
}

// ---------------------------------------------------------------------------------------------
// The pipeline

namespace {

QString tooLargeText(const SandboxLimits &limits)
{
    return QStringLiteral("The request body is larger than the sandbox accepts (%1 bytes).")
        .arg(limits.requestBodyBytes);
}

// application/json, or a structured type that says +json.
bool isJsonContentType(const QByteArray &contentType)
{
    const QByteArray type =
        contentType.left(contentType.indexOf(';') < 0 ? contentType.size() : contentType.indexOf(';'))
            .trimmed()
            .toLower();
    return type == "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

QString redactedQuery(const QUrl &url)
{
    // The network layer's one list of secret names, plus the nonce (which makes a request replayable).
    oauth1::ParamList params = oauth1::queryParameters(url);
    for (auto &[key, value] : params) {
        // OAuth 2.0's code and code_verifier are single-use secrets too (only in a form body when a
        // client follows X's docs, but a query is journaled).
        if (redact::isSensitiveKey(key) || key == "oauth_nonce" || key == "nonce" || key == "code" ||
            key == "code_verifier")
            value = QByteArray(redact::marker.data(), redact::marker.size());
    }
    return QString::fromUtf8(oauth1::formEncode(params));
}

} // namespace

void Router::dispatch(const ExchangePtr &ex)
{
    ex->entry.at = m_world.now();
    ex->entry.method = ex->method;
    ex->entry.path = ex->path;
    ex->entry.query = redactedQuery(ex->url);
    if (!admit(ex))
        return;

    if (const auto fault = m_world.faults.take(ex->method, ex->path)) {
        ex->entry.fault = Fault::kindName(fault->kind);
        if (fault->kind == Fault::Kind::Latency) {
            QTimer::singleShot(fault->latency, this, [this, ex] { route(ex); });
            return;
        }
        applyFault(ex, *fault);
        return;
    }
    route(ex);
}

bool Router::admit(const ExchangePtr &ex)
{
    // A web page can reach a loopback port too: by a DNS name that resolves to 127.0.0.1 (so the
    // Host is that name), or from its own origin (so the browser says which in Origin).
    const QString host = QString::fromLatin1(ex->header(QByteArrayLiteral("host")).trimmed()).toLower();
    if (!m_ownAuthorities.contains(host)) {
        finish(ex,
               textReply(421,
                         QStringLiteral("This is the Activity Console sandbox; it answers only requests "
                                        "addressed to %1.")
                             .arg(m_ownAuthorities.join(QStringLiteral(" or ")))));
        return false;
    }
    const QByteArray origin = ex->header(QByteArrayLiteral("origin")).trimmed();
    if (!origin.isEmpty()) {
        const QString scheme = m_tls ? QStringLiteral("https://") : QStringLiteral("http://");
        const QString asked = QString::fromLatin1(origin).toLower();
        bool own = false;
        for (const QString &authority : std::as_const(m_ownAuthorities))
            own = own || asked == scheme + authority;
        if (!own) {
            finish(ex,
                   textReply(403,
                             QStringLiteral("Requests from web pages of other origins are refused by the "
                                            "sandbox.")));
            return false;
        }
    }
    if (ex->body.size() > m_world.limits().requestBodyBytes) {
        finish(ex, jsonReply(413, QJsonObject {{QStringLiteral("error"), tooLargeText(m_world.limits())}}));
        return false;
    }
    return true;
}

void Router::refuseOversizedBody(QTcpSocket *socket, const QByteArray &method, const QString &path,
                                 qint64 unsentBytes)
{
    JournalEntry entry;
    entry.at = m_world.now();
    entry.method = method;
    entry.path = path;
    entry.status = 413;
    m_world.recordRequest(entry);

    // Nothing more of this connection reaches QHttpServer, which would read the body in.
    QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction(); // QHttpServer's: it would keep what is read for a rollback
    const QByteArray body =
        QJsonDocument(QJsonObject {{QStringLiteral("error"), tooLargeText(m_world.limits())}})
            .toJson(QJsonDocument::Compact);
    socket->write(QByteArrayLiteral("HTTP/1.1 413 Payload Too Large\r\n"
                                    "Content-Type: application/json; charset=utf-8\r\n"
                                    "Connection: close\r\nContent-Length: ") +
                  QByteArray::number(body.size()) + "\r\n\r\n" + body);
    // The client reads the answer once it has sent its body: take the rest of it (discarding it)
    // and close when it is all there, or after a few seconds.
    // What is buffered now was counted already (the door peeked at it); `unsentBytes` is the rest.
    auto remaining = std::make_shared<qint64>(unsentBytes);
    socket->skip(socket->bytesAvailable());
    const auto closeWhenDrained = [socket, remaining] {
        const qint64 available = socket->bytesAvailable();
        *remaining -= available;
        socket->skip(available);
        if (*remaining <= 0)
            socket->disconnectFromHost();
    };
    QObject::connect(socket, &QTcpSocket::readyRead, socket, closeWhenDrained);
    QTimer::singleShot(5s, socket, [socket] { socket->disconnectFromHost(); });
    if (*remaining <= 0)
        socket->disconnectFromHost();
}

void Router::route(const ExchangePtr &ex)
{
    if (!ex->socket)
        return; // the client went away while a latency fault held the request
    for (const Route &r : m_routes) {
        if (r.method != ex->method)
            continue;
        QRegularExpressionMatch match = r.path.match(ex->path);
        if (!match.hasMatch())
            continue;
        ex->route = &r;
        ex->match = match;
        ex->entry.endpointKey = r.rateLimitKey;
        if ((r.flags & ControlToken) &&
            !crc::constantTimeEquals(ex->header(QByteArrayLiteral("x-sandbox-token")),
                                     m_world.controlToken())) {
            finish(ex,
                   jsonReply(403,
                             QJsonObject {{QStringLiteral("error"),
                                           QStringLiteral("This sandbox control endpoint needs the "
                                                          "run's token in the X-Sandbox-Token header "
                                                          "(activity-sandbox prints it).")}}));
            return;
        }
        if ((r.flags & JsonBody) && !isJsonContentType(ex->header(QByteArrayLiteral("content-type")))) {
            const QString detail = QStringLiteral("Send the body as application/json.");
            finish(ex,
                   r.family == RouteFamily::V2
                       ? v2Error(415, QStringLiteral("UnsupportedMediaType"), detail)
                       : jsonReply(415, QJsonObject {{QStringLiteral("error"), detail}}));
            return;
        }
        if (auto refusal = m_authenticator.authenticate(*ex, r)) {
            finish(ex, std::move(*refusal));
            return;
        }
        if (auto refusal = m_rateLimiter.admit(*ex, r.rateLimitKey)) {
            finish(ex, std::move(*refusal));
            return;
        }
        r.handler(ex);
        return;
    }
    finish(ex, v1Error(404, 34, QStringLiteral("Sorry, that page does not exist.")));
}

void Router::finish(const ExchangePtr &ex, Reply reply)
{
    if (ex->finished)
        return;
    ex->finished = true;

    JournalEntry &entry = ex->entry;
    entry.credential = ex->credential;
    entry.credentialVerified = ex->verified;
    entry.status = reply.status;
    entry.errorCode = reply.errorCode;
    entry.errorName = reply.errorName;

    if (ex->socket && ex->responder) {
        QHttpServerResponder &responder = *ex->responder;
        responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
        for (const auto &[name, value] : std::as_const(ex->rateHeaders))
            responder.writeHeader(name, value);
        for (const auto &[name, value] : std::as_const(reply.headers))
            responder.writeHeader(name, value);
        if (!reply.contentType.isEmpty())
            responder.writeHeader(QByteArrayLiteral("Content-Type"), reply.contentType);
        responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(reply.body.size()));
        responder.writeBody(reply.body);
    }
    ex->responder.reset();
    m_world.recordRequest(entry);
}

bool Router::beginStream(const ExchangePtr &ex, const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    if (ex->finished)
        return false;
    ex->finished = true;
    JournalEntry &entry = ex->entry;
    entry.credential = ex->credential;
    entry.credentialVerified = ex->verified;
    entry.status = 200;
    m_world.recordRequest(entry);
    if (!ex->socket || !ex->socket->isOpen() || !ex->responder) {
        ex->responder.reset();
        return false;
    }
    QHttpServerResponder &responder = *ex->responder;
    responder.writeStatusLine(QHttpServerResponder::StatusCode::Ok);
    for (const auto &[name, value] : std::as_const(ex->rateHeaders))
        responder.writeHeader(name, value);
    for (const auto &[name, value] : headers)
        responder.writeHeader(name, value);
    responder.writeBody(QByteArray()); // the blank line after the headers
    return true;
}

// ---------------------------------------------------------------------------------------------
// Faults

void Router::applyFault(const ExchangePtr &ex, const Fault &fault)
{
    const QByteArray json = QByteArrayLiteral(
        "{\"data\":[{\"id\":\"1500000000000000001\",\"url\":\"https://hooks.example.com/activity\","
        "\"valid\":true,\"created_at\":\"2016-06-02T23:54:02Z\"}],\"meta\":{\"result_count\":1}}");
    Reply reply;
    reply.contentType = QByteArrayLiteral("application/json; charset=utf-8");
    switch (fault.kind) {
    case Fault::Kind::Latency:
        route(ex);
        return;
    case Fault::Kind::Status:
        if (fault.status == 503)
            reply = v1Error(503, 130, QStringLiteral("Over capacity"));
        else
            reply = v1Error(fault.status, 131, QStringLiteral("Internal error"));
        reply.status = fault.status;
        break;
    case Fault::Kind::DropConnection:
        ex->finished = true;
        ex->responder.reset();
        if (ex->socket)
            ex->socket->abort();
        ex->entry.status = 0;
        m_world.recordRequest(ex->entry);
        return;
    case Fault::Kind::TruncatedJson:
        reply.body = json.left(json.size() / 2);
        break;
    case Fault::Kind::Answer:
        reply.status = fault.status;
        reply.contentType = fault.contentType;
        reply.body = fault.body;
        break;
    case Fault::Kind::MalformedJson:
        reply.body = QByteArrayLiteral("{\"data\": [ {\"id\": 15000000, \"url\": } ,, oops");
        break;
    case Fault::Kind::WrongContentType:
        reply.contentType = QByteArrayLiteral("text/html; charset=utf-8");
        reply.body = QByteArrayLiteral("<!DOCTYPE html><html><head><title>Something went wrong</title></head>"
                                       "<body><h1>Something went wrong, but don't fret — let's give it "
                                       "another shot.</h1></body></html>");
        break;
    case Fault::Kind::OversizedBody: {
        const QByteArray head = QByteArrayLiteral("{\"padding\":\"");
        const QByteArray tail = QByteArrayLiteral("\"}");
        const qint64 fill = qMax<qint64>(0, fault.oversizedBytes - head.size() - tail.size());
        reply.body = head + QByteArray(fill, 'x') + tail;
        break;
    }
    case Fault::Kind::SlowBody: {
        ex->finished = true;
        ex->entry.status = 200;
        m_world.recordRequest(ex->entry);
        if (!ex->socket || !ex->responder)
            return;
        QHttpServerResponder &responder = *ex->responder;
        responder.writeStatusLine(QHttpServerResponder::StatusCode::Ok);
        responder.writeHeader(QByteArrayLiteral("Content-Type"), reply.contentType);
        responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(json.size()));
        const int chunks = qMax(1, fault.slowChunks);
        const qsizetype chunkSize = (json.size() + chunks - 1) / chunks;
        responder.writeBody(json.left(chunkSize));
        const auto interval = std::chrono::milliseconds(fault.latency.count() / chunks);
        QPointer<QTcpSocket> socket = ex->socket;
        for (int i = 1; i < chunks; ++i) {
            QTimer::singleShot(interval * i, this, [socket, piece = json.mid(i * chunkSize, chunkSize)] {
                if (socket)
                    socket->write(piece);
            });
        }
        // Keep the responder (and so the connection's answer) alive until the last piece is out.
        QTimer::singleShot(interval * chunks, this, [ex] { ex->responder.reset(); });
        return;
    }
    }
    finish(ex, reply);
}

} // namespace activity::sandbox
