#include "SandboxServer.h"

#include "Crc.h"
#include "RandomToken.h"
#include "SandboxDemo.h"
#include "SandboxInternal.h"
#include "Validation.h"

#include <QHttpServerRequest>
#include <QMetaEnum>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSslSocket>
#include <QTcpServer>
#include <QTimer>
#include <QUrlQuery>

namespace activity::sandbox {

using namespace std::chrono_literals;

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

void forgetOldNonces(SandboxState &state)
{
    while (qsizetype(state.nonceOrder.size()) > state.limits.nonces) {
        const auto &[key, storedAt] = state.nonceOrder.front();
        // A key used again later has a newer time in the hash and stays.
        if (state.seenNonces.value(key) == storedAt)
            state.seenNonces.remove(key);
        state.nonceOrder.pop_front();
    }
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

Generation Exchange::generation() const
{
    if (route)
        return route->generation;
    return path.startsWith(QLatin1String("/2/")) ? Generation::V2 : Generation::V1;
}

// ---------------------------------------------------------------------------------------------
// Front door: the listening socket, with the body limit applied before QHttpServer reads a body

namespace {

// Request line and headers longer than this are QHttpServer's to refuse; the door stops copying.
constexpr qsizetype maxWatchedHeadBytes = 64 * 1024;

} // namespace

FrontDoor::FrontDoor(SandboxServer *server, QObject *parent)
    : QTcpServer(parent)
    , m_server(server)
{
}

FrontDoor::~FrontDoor()
{
    // QTcpServer's destructor deletes connections still pending; their destroyed() must not reach
    // this half-destroyed door.
    for (auto it = m_watches.keyBegin(); it != m_watches.keyEnd(); ++it)
        disconnect(*it, nullptr, this, nullptr);
}

void FrontDoor::incomingConnection(qintptr descriptor)
{
    const QSslConfiguration &tls = m_server->m_state->tls;
    if (tls.isNull()) {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        watch(socket);
        addPendingConnection(socket);
        return;
    }
    auto *socket = new QSslSocket(this);
    socket->setSslConfiguration(tls);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // Handed on once encrypted; newConnection() too, for a QHttpServer that listens to that.
    // Until then the socket is the door's to delete; from then on QHttpServer's, which keeps it
    // while an answer is being written.
    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QSslSocket::encrypted, this, [this, socket] {
        disconnect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        watch(socket);
        addPendingConnection(socket);
        Q_EMIT newConnection();
    });
    socket->startServerEncryption();
}

void FrontDoor::watch(QTcpSocket *socket)
{
    m_watches.insert(socket, Watch {});
    // Connected before QHttpServer's own handler (it connects once the socket is pending), so
    // this sees each piece of data before QHttpServer reads it.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] { m_watches.remove(socket); });
}

void FrontDoor::requestCompleted(QTcpSocket *socket)
{
    const auto it = m_watches.find(socket);
    if (it != m_watches.end())
        *it = Watch {};
}

void FrontDoor::onReadyRead(QTcpSocket *socket)
{
    const auto it = m_watches.find(socket);
    if (it == m_watches.end())
        return;
    Watch &w = *it;
    const qint64 limit = m_server->m_state->limits.requestBodyBytes;
    const QByteArray piece = socket->peek(socket->bytesAvailable());
    w.received += piece.size();
    if (w.headerBytes < 0) {
        if (w.head.size() < maxWatchedHeadBytes)
            w.head += piece.left(maxWatchedHeadBytes - w.head.size());
        const qsizetype end = w.head.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        w.headerBytes = end + 4;
        const QList<QByteArray> lines = w.head.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        w.method = requestLine.value(0);
        const QByteArray target = requestLine.value(1);
        w.path =
            QString::fromLatin1(target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?')));
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray &line = lines.at(i);
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0)
                w.announced = line.mid(colon + 1).trimmed().toLongLong();
        }
        w.head.clear();
    }
    const qint64 bodyBytes = w.received - w.headerBytes;
    if (w.announced > limit || bodyBytes > limit) {
        const Watch refused = w;
        m_watches.erase(it);
        // What the client has still to send after this piece, as far as it said.
        m_server->refuseOversizedBody(socket, refused.method, refused.path,
                                      qMax<qint64>(0, refused.announced - bodyBytes));
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP front end

bool HttpFrontEnd::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (auto *door = dynamic_cast<FrontDoor *>(socket->parent()))
        door->requestCompleted(socket);
    auto ex = std::make_shared<Exchange>();
    const QMetaEnum methods = QMetaEnum::fromType<QHttpServerRequest::Method>();
    ex->method = QByteArray(methods.valueToKey(int(request.method()))).toUpper();
    ex->url = request.url();
    ex->path = ex->url.path();
    const auto headers = request.headers();
    for (const auto &header : headers)
        ex->headers.insert(header.first.toLower(), header.second);
    ex->body = request.body();
    ex->socket = socket;
    ex->responder.emplace(makeResponder(request, socket));
    m_server->dispatch(ex);
    return true;
}

void HttpFrontEnd::missingHandler(const QHttpServerRequest &, QTcpSocket *)
{
    // handleRequest() takes every request.
}

// ---------------------------------------------------------------------------------------------
// SandboxServer: setup, clock, limits

static const QHash<QString, int> &defaultRateLimits()
{
    // Requests per 15 minutes: reference §1.2 (v1.1) and §3.3 (v2), §7 (users).
    static const QHash<QString, int> limits {
        {QStringLiteral("webhooks.register"), 15},
        {QStringLiteral("webhooks.list"), 15},
        {QStringLiteral("webhooks.validate"), 15},
        {QStringLiteral("webhooks.delete"), 15},
        {QStringLiteral("subscriptions.subscribe"), 500},
        {QStringLiteral("subscriptions.check"), 500},
        {QStringLiteral("subscriptions.count"), 15},
        {QStringLiteral("subscriptions.list"), 50},
        {QStringLiteral("subscriptions.unsubscribe"), 500},
        {QStringLiteral("subscriptions.delete"), 500},
        {QStringLiteral("replay"), 5},
        {QStringLiteral("users.lookup"), 300},
        {QStringLiteral("v2.webhooks.register"), 450},
        {QStringLiteral("v2.webhooks.list"), 450},
        {QStringLiteral("v2.webhooks.validate"), 450},
        {QStringLiteral("v2.webhooks.delete"), 450},
        {QStringLiteral("v2.webhooks.replay"), 100},
        {QStringLiteral("v2.subscriptions.subscribe"), 250},
        {QStringLiteral("v2.subscriptions.check"), 450},
        {QStringLiteral("v2.subscriptions.count"), 450},
        {QStringLiteral("v2.subscriptions.list"), 450},
        {QStringLiteral("v2.subscriptions.delete"), 450},
        {QStringLiteral("v2.replay"), 450},
        {QStringLiteral("v2.users"), 300},
    };
    return limits;
}

SandboxServer::SandboxServer(QObject *parent)
    : QObject(parent)
    , m_state(std::make_unique<SandboxState>())
    , m_http(std::make_unique<HttpFrontEnd>(this))
{
    qRegisterMetaType<JournalEntry>();
    qRegisterMetaType<DeliveryRecord>();
    qRegisterMetaType<ReceivedEvent>();
    m_state->controlToken = randomToken(32);
    m_state->nam = new QNetworkAccessManager(this);
    // CRC calls and deliveries go to loopback receivers only; a system proxy must not see them.
    m_state->nam->setProxy(QNetworkProxy::NoProxy);
    for (auto it = defaultRateLimits().cbegin(); it != defaultRateLimits().cend(); ++it)
        m_state->rateRules.insert(it.key(), RateRule {it.value(), 15min});
    registerRoutes();
}

SandboxServer::~SandboxServer()
{
    // Outgoing CRC calls and deliveries still in flight must not call back into a half-destroyed
    // server: silence and abort them before the state goes away.
    const auto replies = m_state->nam->findChildren<QNetworkReply *>();
    for (QNetworkReply *reply : replies) {
        QObject::disconnect(reply, nullptr, nullptr, nullptr);
        reply->abort();
    }
    delete m_state->nam;
    m_state->nam = nullptr;
}

void SandboxServer::useTls(const QSslCertificate &certificate, const QSslKey &privateKey)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(certificate);
    tls.setPrivateKey(privateKey);
    m_state->tls = tls;
    m_tls = true;
}

bool SandboxServer::listen(const QHostAddress &address, quint16 port)
{
    auto *door = new FrontDoor(this, m_http.get());
    if (!door->listen(address, port)) {
        delete door;
        return false;
    }
    m_http->bind(door);
    // The Host values a request may carry: this server's own names, nothing a web page could
    // point at it by way of DNS.
    const QString suffix = QLatin1Char(':') + QString::number(door->serverPort());
    QStringList authorities {QStringLiteral("127.0.0.1") + suffix, QStringLiteral("localhost") + suffix};
    const QHostAddress bound = door->serverAddress();
    if (bound == QHostAddress::Any || bound == QHostAddress::AnyIPv6 || bound == QHostAddress::LocalHostIPv6)
        authorities.append(QStringLiteral("[::1]") + suffix);
    else if (bound != QHostAddress::AnyIPv4 && bound != QHostAddress::LocalHost)
        authorities.append((bound.protocol() == QAbstractSocket::IPv6Protocol
                                ? QLatin1Char('[') + bound.toString() + QLatin1Char(']')
                                : bound.toString())
                               .toLower() +
                           suffix);
    m_state->ownAuthorities = authorities;
    return true;
}

QByteArray SandboxServer::controlToken() const
{
    return m_state->controlToken;
}

SandboxLimits SandboxServer::limits() const
{
    return m_state->limits;
}

void SandboxServer::setLimits(const SandboxLimits &limits)
{
    SandboxState &s = *m_state;
    s.limits = limits;
    s.limits.deliveries = qMax<qsizetype>(1, limits.deliveries);
    s.limits.receivedEvents = qMax<qsizetype>(1, limits.receivedEvents);
    s.limits.nonces = qMax<qsizetype>(1, limits.nonces);
    s.limits.requestBodyBytes = qMax<qint64>(0, limits.requestBodyBytes);
    s.journal.setCapacity(limits.journalEntries);
    s.limits.journalEntries = s.journal.capacity();
    if (s.deliveries.size() > s.limits.deliveries)
        s.deliveries.remove(0, s.deliveries.size() - s.limits.deliveries);
    if (s.received.size() > s.limits.receivedEvents)
        s.received.remove(0, s.received.size() - s.limits.receivedEvents);
    forgetOldNonces(s);
}

quint16 SandboxServer::port() const
{
    const auto servers = m_http->servers();
    return servers.isEmpty() ? 0 : servers.first()->serverPort();
}

QUrl SandboxServer::baseUrl() const
{
    const auto servers = m_http->servers();
    if (servers.isEmpty())
        return {};
    const QHostAddress address = servers.first()->serverAddress();
    QUrl url;
    url.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4 ||
        address == QHostAddress::AnyIPv6 || address == QHostAddress::LocalHost) {
        url.setHost(QStringLiteral("127.0.0.1"));
    } else {
        url.setHost(address.toString());
    }
    url.setPort(port());
    return url;
}

QDateTime SandboxServer::now() const
{
    return QDateTime::currentDateTimeUtc().addMSecs(m_state->clockOffset.count());
}

void SandboxServer::setNow(const QDateTime &utc)
{
    m_state->clockOffset = std::chrono::milliseconds(QDateTime::currentDateTimeUtc().msecsTo(utc.toUTC()));
}

void SandboxServer::advance(std::chrono::seconds seconds)
{
    m_state->clockOffset += seconds;
}

void SandboxServer::setWebhookLimit(int limit)
{
    m_state->webhookLimit = limit;
}

void SandboxServer::setProvisionedSubscriptions(int count)
{
    m_state->provisionedSubscriptions = count;
}

void SandboxServer::setRateLimit(const QString &endpointKey, int limit, std::chrono::seconds window)
{
    m_state->rateRules.insert(endpointKey, RateRule {limit, window});
    // A new rule starts a fresh window.
    for (auto it = m_state->ratePools.begin(); it != m_state->ratePools.end();) {
        if (it.key().startsWith(endpointKey + QLatin1Char('|')))
            it = m_state->ratePools.erase(it);
        else
            ++it;
    }
}

void SandboxServer::setCrcTimeout(std::chrono::milliseconds timeout)
{
    m_state->crcTimeout = timeout;
}

void SandboxServer::setDeliveryTimeout(std::chrono::milliseconds timeout)
{
    m_state->deliveryTimeout = timeout;
}

void SandboxServer::setLenientLoopbackUrls(bool lenient)
{
    m_state->lenientLoopbackUrls = lenient;
}

void SandboxServer::setXStyleTokenAnswers(bool xStyle)
{
    m_state->xStyleTokenAnswers = xStyle;
}

FaultInjector &SandboxServer::faults()
{
    return m_state->faults;
}

const Journal &SandboxServer::journal() const
{
    return m_state->journal;
}

void SandboxServer::clearJournal()
{
    m_state->journal.clear();
}

// ---------------------------------------------------------------------------------------------
// Seed and state

const App &SandboxServer::demoApp() const
{
    static const App none;
    const auto it = m_state->apps.constFind(demo::appId);
    return it == m_state->apps.cend() ? none : *it;
}

QString SandboxServer::demoReceiverUrl(const QString &name) const
{
    return baseUrl().toString() + QStringLiteral("/sandbox/receiver/") + name;
}

QString SandboxServer::webhookUrl(const WebhookRecord &webhook) const
{
    return webhook.ownReceiverName.isEmpty() ? webhook.url : demoReceiverUrl(webhook.ownReceiverName);
}

// Deterministic "First Last" names for generated users.
static User generatedUser(qint64 id, int index)
{
    static const QStringList first {
        QStringLiteral("Ada"),      QStringLiteral("Grace"),     QStringLiteral("Alan"),
        QStringLiteral("Edsger"),   QStringLiteral("Barbara"),   QStringLiteral("Donald"),
        QStringLiteral("Margaret"), QStringLiteral("Ken"),       QStringLiteral("Frances"),
        QStringLiteral("Dennis"),   QStringLiteral("Radia"),     QStringLiteral("Linus"),
        QStringLiteral("Sophie"),   QStringLiteral("Niklaus"),   QStringLiteral("Hedy"),
        QStringLiteral("Tim"),      QStringLiteral("Katherine"), QStringLiteral("John"),
        QStringLiteral("Mary"),     QStringLiteral("Bjarne")};
    static const QStringList last {
        QStringLiteral("Lovelace"), QStringLiteral("Hopper"),   QStringLiteral("Turing"),
        QStringLiteral("Dijkstra"), QStringLiteral("Liskov"),   QStringLiteral("Knuth"),
        QStringLiteral("Hamilton"), QStringLiteral("Thompson"), QStringLiteral("Allen"),
        QStringLiteral("Ritchie"),  QStringLiteral("Perlman"),  QStringLiteral("Torvalds"),
        QStringLiteral("Wilson"),   QStringLiteral("Wirth"),    QStringLiteral("Lamarr"),
        QStringLiteral("Berners")};
    const QString f = first.at(index % first.size());
    const QString l = last.at((index / first.size()) % last.size());
    const int combos = int(first.size() * last.size());
    User user;
    user.id = QString::number(id);
    user.name = f + QLatin1Char(' ') + l;
    user.username = f.toLower() + QLatin1Char('_') + l.toLower();
    if (index >= combos) {
        user.name += QLatin1Char(' ') + QString::number(index / combos + 1);
        user.username += QString::number(index);
    }
    return user;
}

void SandboxServer::seedDemo()
{
    SandboxState &s = *m_state;
    if (s.seeded)
        return;
    s.seeded = true;

    App app;
    app.id = demo::appId;
    app.name = demo::appName;
    app.accountName = demo::accountName;
    app.consumerKey = demo::consumerKey;
    app.consumerSecret = demo::consumerSecret;
    app.bearerToken = demo::bearerToken;
    app.callbackUrls = {demo::callbackUrl, demo::appSchemeCallbackUrl};
    app.ownerUserId = demo::ownerUserId;
    s.apps.insert(app.id, app);

    s.users.insert(demo::ownerUserId,
                   User {demo::ownerUserId, demo::ownerUsername, demo::ownerName, demo::ownerPassword});
    s.accessTokens.insert(
        demo::ownerToken,
        AccessToken {demo::ownerToken, demo::ownerTokenSecret, demo::ownerUserId, app.id, true});
    for (const demo::User *u : {&demo::alice, &demo::bob, &demo::carol, &demo::dave, &demo::eve}) {
        s.users.insert(u->id, User {u->id, u->username, u->name, u->password});
        if (!u->token.isEmpty()) {
            s.accessTokens.insert(
                u->token, AccessToken {u->token, u->tokenSecret, u->id, app.id, u->id != demo::eve.id});
        }
    }

    QDateTime created = now().addDays(-30);
    created.setTime(QTime(created.time().hour(), created.time().minute(), created.time().second()));
    WebhookRecord valid;
    valid.id = demo::validWebhookId;
    valid.appId = app.id;
    valid.ownReceiverName = demo::receiverName;
    valid.valid = true;
    valid.createdAt = created;
    s.webhooks.insert_or_assign(valid.id, valid);

    WebhookRecord invalid;
    invalid.id = demo::invalidWebhookId;
    invalid.appId = app.id;
    invalid.url = demo::invalidWebhookUrl;
    invalid.valid = false;
    invalid.createdAt = created.addDays(2);
    s.webhooks.insert_or_assign(invalid.id, invalid);

    s.provisionedSubscriptions = demo::provisionedSubscriptions;
    subscribe(demo::validWebhookId, demo::alice.id);
    addSubscriptions(demo::validWebhookId, demo::seededSubscriberCount);
}

void SandboxServer::addSubscriptions(const QString &webhookId, int count)
{
    auto it = m_state->webhooks.find(webhookId);
    if (it == m_state->webhooks.end())
        return;
    for (int i = 0; i < count; ++i) {
        const qint64 id = m_state->nextUserId++;
        const int index = int(id - 3000000000000000001LL);
        User user = generatedUser(id, index);
        m_state->users.insert(user.id, user);
        it->second.subscriberOrder.append(user.id);
        it->second.subscribers.insert(user.id);
    }
}

QList<WebhookState> SandboxServer::webhooks() const
{
    QList<WebhookState> out;
    for (const auto &[id, w] : m_state->webhooks)
        out.append(WebhookState {w.id, webhookUrl(w), w.valid, w.createdAt, int(w.subscribers.size())});
    return out;
}

std::optional<WebhookState> SandboxServer::webhook(const QString &id) const
{
    const auto it = m_state->webhooks.find(id);
    if (it == m_state->webhooks.end())
        return std::nullopt;
    const WebhookRecord &w = it->second;
    return WebhookState {w.id, webhookUrl(w), w.valid, w.createdAt, int(w.subscribers.size())};
}

QString SandboxServer::addWebhook(const QString &url, bool valid)
{
    WebhookRecord w;
    w.id = QString::number(m_state->nextWebhookId++);
    w.appId = demo::appId;
    w.url = url;
    w.valid = valid;
    w.createdAt = now();
    m_state->webhooks.insert_or_assign(w.id, w);
    return w.id;
}

void SandboxServer::setWebhookValid(const QString &webhookId, bool valid)
{
    const auto it = m_state->webhooks.find(webhookId);
    if (it != m_state->webhooks.end())
        it->second.valid = valid;
}

bool SandboxServer::isSubscribed(const QString &webhookId, const QString &userId) const
{
    const auto it = m_state->webhooks.find(webhookId);
    return it != m_state->webhooks.end() && it->second.subscribers.contains(userId);
}

QStringList SandboxServer::subscribers(const QString &webhookId) const
{
    const auto it = m_state->webhooks.find(webhookId);
    return it == m_state->webhooks.end() ? QStringList() : it->second.subscriberOrder;
}

int SandboxServer::subscriptionCount() const
{
    int count = 0;
    for (const auto &[id, w] : m_state->webhooks) {
        if (w.appId == demo::appId)
            count += int(w.subscribers.size());
    }
    return count;
}

bool SandboxServer::subscribe(const QString &webhookId, const QString &userId)
{
    const auto it = m_state->webhooks.find(webhookId);
    if (it == m_state->webhooks.end() || !m_state->users.contains(userId))
        return false;
    if (!it->second.subscribers.contains(userId)) {
        it->second.subscribers.insert(userId);
        it->second.subscriberOrder.append(userId);
    }
    return true;
}

bool SandboxServer::hasRunningReplay(const QString &webhookId) const
{
    for (const ReplayRecord &job : m_state->replayJobs) {
        if (job.webhookId == webhookId && job.running)
            return true;
    }
    return false;
}

QList<DeliveryRecord> SandboxServer::deliveries() const
{
    return m_state->deliveries;
}

QList<ReceivedEvent> SandboxServer::receivedEvents(const QString &receiverName) const
{
    if (receiverName.isEmpty())
        return m_state->received;
    QList<ReceivedEvent> out;
    for (const ReceivedEvent &event : m_state->received) {
        if (event.receiverName == receiverName)
            out.append(event);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Request pipeline: journal entry → fault → route → authentication → rate limit → handler

static QString tooLargeText(const SandboxLimits &limits)
{
    return QStringLiteral("The request body is larger than the sandbox accepts (%1 bytes).")
        .arg(limits.requestBodyBytes);
}

// application/json, or a structured type that says +json.
static bool isJsonContentType(const QByteArray &contentType)
{
    const QByteArray type =
        contentType.left(contentType.indexOf(';') < 0 ? contentType.size() : contentType.indexOf(';'))
            .trimmed()
            .toLower();
    return type == "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

static QString redactedQuery(const QUrl &url)
{
    static const QSet<QByteArray> hidden {
        "oauth_token", "oauth_verifier", "oauth_signature", "crc_token", "access_token", "password", "nonce"};
    oauth1::ParamList params = oauth1::queryParameters(url);
    for (auto &[key, value] : params) {
        if (hidden.contains(key))
            value = QByteArrayLiteral("[redacted]");
    }
    return QString::fromUtf8(oauth1::formEncode(params));
}

void SandboxServer::dispatch(const ExchangePtr &ex)
{
    ex->entry.at = now();
    ex->entry.method = ex->method;
    ex->entry.path = ex->path;
    ex->entry.query = redactedQuery(ex->url);
    if (!admit(ex))
        return;

    if (const auto fault = m_state->faults.take(ex->method, ex->path)) {
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

bool SandboxServer::admit(const ExchangePtr &ex)
{
    // A web page can reach a loopback port too: by a DNS name that resolves to 127.0.0.1 (so the
    // Host is that name), or from its own origin (so the browser says which in Origin).
    const QString host = QString::fromLatin1(ex->header(QByteArrayLiteral("host")).trimmed()).toLower();
    if (!m_state->ownAuthorities.contains(host)) {
        finish(ex,
               textReply(421,
                         QStringLiteral("This is the Activity Console sandbox; it answers only requests "
                                        "addressed to %1.")
                             .arg(m_state->ownAuthorities.join(QStringLiteral(" or ")))));
        return false;
    }
    const QByteArray origin = ex->header(QByteArrayLiteral("origin")).trimmed();
    if (!origin.isEmpty()) {
        const QString scheme = m_tls ? QStringLiteral("https://") : QStringLiteral("http://");
        const QString asked = QString::fromLatin1(origin).toLower();
        bool own = false;
        for (const QString &authority : std::as_const(m_state->ownAuthorities))
            own = own || asked == scheme + authority;
        if (!own) {
            finish(ex,
                   textReply(403,
                             QStringLiteral("Requests from web pages of other origins are refused by the "
                                            "sandbox.")));
            return false;
        }
    }
    if (ex->body.size() > m_state->limits.requestBodyBytes) {
        finish(ex, jsonReply(413, QJsonObject {{QStringLiteral("error"), tooLargeText(m_state->limits)}}));
        return false;
    }
    return true;
}

void SandboxServer::refuseOversizedBody(QTcpSocket *socket, const QByteArray &method, const QString &path,
                                        qint64 unsentBytes)
{
    JournalEntry entry;
    entry.at = now();
    entry.method = method;
    entry.path = path;
    entry.status = 413;
    m_state->journal.append(entry);
    Q_EMIT requestHandled(entry);

    // Nothing more of this connection reaches QHttpServer, which would read the body in.
    QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction(); // QHttpServer's: it would keep what is read for a rollback
    const QByteArray body =
        QJsonDocument(QJsonObject {{QStringLiteral("error"), tooLargeText(m_state->limits)}})
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

void SandboxServer::route(const ExchangePtr &ex)
{
    if (!ex->socket)
        return; // the client went away while a latency fault held the request
    for (const Route &r : m_state->routes) {
        if (r.method != ex->method)
            continue;
        QRegularExpressionMatch match = r.path.match(ex->path);
        if (!match.hasMatch())
            continue;
        ex->route = &r;
        ex->match = match;
        ex->entry.endpointKey = r.endpointKey;
        if ((r.flags & ControlToken) &&
            !crc::constantTimeEquals(ex->header(QByteArrayLiteral("x-sandbox-token")),
                                     m_state->controlToken)) {
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
                   r.generation == Generation::V2
                       ? v2Error(415, QStringLiteral("UnsupportedMediaType"), detail)
                       : jsonReply(415, QJsonObject {{QStringLiteral("error"), detail}}));
            return;
        }
        if (!authenticate(ex, r) || !checkRateLimit(ex, r))
            return;
        (this->*r.handler)(ex);
        return;
    }
    finish(ex, v1Error(404, 34, QStringLiteral("Sorry, that page does not exist.")));
}

void SandboxServer::finish(const ExchangePtr &ex, Reply reply)
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
    m_state->journal.append(entry);
    Q_EMIT requestHandled(entry);
}

bool SandboxServer::checkRateLimit(const ExchangePtr &ex, const Route &route)
{
    if (route.endpointKey.isEmpty())
        return true;
    const RateRule rule = m_state->rateRules.value(route.endpointKey, RateRule {});
    // User-context and app-only calls draw on separate pools (reference §3.3).
    const QString identity = ex->credential == CredentialKind::AppOnly
        ? QString(QStringLiteral("app:") + ex->appId)
        : QString(QStringLiteral("user:") + ex->userId + QLatin1Char('@') + ex->appId);
    RatePool &pool = m_state->ratePools[route.endpointKey + QLatin1Char('|') + identity];
    const QDateTime current = now();
    const qint64 windowSeconds = rule.window.count();
    if (!pool.windowStart.isValid() || current >= pool.windowStart.addSecs(windowSeconds)) {
        pool.windowStart = current;
        pool.used = 0;
    }
    const QByteArray reset = QByteArray::number(pool.windowStart.addSecs(windowSeconds).toSecsSinceEpoch());
    const bool exhausted = pool.used >= rule.limit;
    if (!exhausted)
        ++pool.used;
    ex->rateHeaders = {
        {QByteArrayLiteral("x-rate-limit-limit"), QByteArray::number(rule.limit)},
        {QByteArrayLiteral("x-rate-limit-remaining"), QByteArray::number(qMax(0, rule.limit - pool.used))},
        {QByteArrayLiteral("x-rate-limit-reset"), reset}};
    if (exhausted) {
        finish(ex, rateLimited());
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Faults

void SandboxServer::applyFault(const ExchangePtr &ex, const Fault &fault)
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
        m_state->journal.append(ex->entry);
        Q_EMIT requestHandled(ex->entry);
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
        m_state->journal.append(ex->entry);
        Q_EMIT requestHandled(ex->entry);
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
