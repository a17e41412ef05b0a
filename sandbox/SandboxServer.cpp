// The facade: builds the parts, lists the handler groups, listens, and passes the test API on to
// the world state.

#include "SandboxServer.h"

#include "ActivityHandlers.h"
#include "ActivityStream.h"
#include "Authenticator.h"
#include "Courier.h"
#include "EventDeliveryHandlers.h"
#include "FrontDoor.h"
#include "LoginPageHandlers.h"
#include "OAuth2Handlers.h"
#include "OAuth2PageHandlers.h"
#include "OAuthHandlers.h"
#include "RateLimiter.h"
#include "ReplayHandlers.h"
#include "Router.h"
#include "SandboxDemo.h"
#include "SubscriptionHandlers.h"
#include "UserHandlers.h"
#include "WebhookHandlers.h"
#include "World.h"

namespace activity::sandbox {

SandboxServer::SandboxServer(QObject *parent)
    : QObject(parent)
    , m_world(std::make_unique<World>())
    , m_authenticator(std::make_unique<Authenticator>(*m_world))
    , m_rateLimiter(std::make_unique<RateLimiter>(*m_world))
    , m_router(std::make_unique<Router>(*m_world, *m_authenticator, *m_rateLimiter, nullptr))
    , m_courier(std::make_unique<Courier>(*m_world, nullptr))
    , m_http(std::make_unique<HttpFrontEnd>(*m_router))
{
    qRegisterMetaType<JournalEntry>();
    qRegisterMetaType<DeliveryRecord>();
    qRegisterMetaType<ReceivedEvent>();
    qRegisterMetaType<ActivityEventRecord>();
    connect(m_world.get(), &World::requestHandled, this, &SandboxServer::requestHandled);
    connect(m_world.get(), &World::eventDelivered, this, &SandboxServer::eventDelivered);
    connect(m_world.get(), &World::crcChecked, this, &SandboxServer::crcChecked);
    connect(m_world.get(), &World::replayFinished, this, &SandboxServer::replayFinished);
    connect(m_world.get(), &World::receiverEventReceived, this, &SandboxServer::receiverEventReceived);
    connect(m_world.get(), &World::activityEventEmitted, this, &SandboxServer::activityEventEmitted);

    // The API, one handler group per resource.
    const SandboxParts parts {*m_world, *m_router, *m_courier};
    m_handlerGroups.push_back(std::make_unique<WebhookHandlers>(parts));
    m_handlerGroups.push_back(std::make_unique<SubscriptionHandlers>(parts));
    m_handlerGroups.push_back(std::make_unique<ReplayHandlers>(parts));
    m_handlerGroups.push_back(std::make_unique<UserHandlers>(parts));
    m_handlerGroups.push_back(std::make_unique<OAuthHandlers>(parts));
    m_handlerGroups.push_back(std::make_unique<LoginPageHandlers>(parts));
    m_handlerGroups.push_back(std::make_unique<OAuth2Handlers>(parts));
    m_handlerGroups.push_back(std::make_unique<OAuth2PageHandlers>(parts));
    auto activityGroup = std::make_unique<ActivityHandlers>(parts);
    m_activity = activityGroup.get();
    m_handlerGroups.push_back(std::move(activityGroup));
    auto stream = std::make_unique<ActivityStreamHandlers>(parts);
    m_stream = stream.get();
    m_handlerGroups.push_back(std::move(stream));
    auto events = std::make_unique<EventDeliveryHandlers>(parts);
    m_events = events.get();
    m_handlerGroups.push_back(std::move(events));
    for (const auto &group : m_handlerGroups)
        group->registerRoutes();
}

SandboxServer::~SandboxServer()
{
    // Outgoing CRC calls and deliveries still in flight must not call back into a half-destroyed
    // server: silenced and aborted before any part goes away.
    m_courier->abortAll();
}

void SandboxServer::useTls(const QSslCertificate &certificate, const QSslKey &privateKey)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(certificate);
    tls.setPrivateKey(privateKey);
    m_tls = tls;
}

bool SandboxServer::listen(const QHostAddress &address, quint16 port)
{
    auto *door = new FrontDoor(m_tls, *m_world, *m_router, m_http.get());
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
    m_router->setOwnAuthorities(authorities, !m_tls.isNull());

    QUrl url;
    url.setScheme(m_tls.isNull() ? QStringLiteral("http") : QStringLiteral("https"));
    if (bound == QHostAddress::Any || bound == QHostAddress::AnyIPv4 || bound == QHostAddress::AnyIPv6 ||
        bound == QHostAddress::LocalHost) {
        url.setHost(QStringLiteral("127.0.0.1"));
    } else {
        url.setHost(bound.toString());
    }
    url.setPort(door->serverPort());
    m_world->setBaseUrl(url);
    return true;
}

quint16 SandboxServer::port() const
{
    return quint16(m_world->baseUrl().port(0));
}

QUrl SandboxServer::baseUrl() const
{
    return m_world->baseUrl();
}

QByteArray SandboxServer::controlToken() const
{
    return m_world->controlToken();
}

void SandboxServer::seedDemo()
{
    m_world->seedDemo();
}

// ---------------------------------------------------------------------------------------------
// Clock and limits

QDateTime SandboxServer::now() const
{
    return m_world->now();
}

void SandboxServer::setNow(const QDateTime &utc)
{
    m_world->setNow(utc);
}

void SandboxServer::advance(std::chrono::seconds seconds)
{
    m_world->advance(seconds);
}

void SandboxServer::setWebhookLimit(int limit)
{
    m_world->settings.webhookLimit = limit;
}

void SandboxServer::setProvisionedSubscriptions(int count)
{
    m_world->settings.provisionedSubscriptions = count;
}

void SandboxServer::setRateLimit(const QString &rateLimitKey, int limit, std::chrono::seconds window)
{
    m_rateLimiter->setRule(rateLimitKey, limit, window);
}

void SandboxServer::setCrcTimeout(std::chrono::milliseconds timeout)
{
    m_world->settings.crcTimeout = timeout;
}

void SandboxServer::setDeliveryTimeout(std::chrono::milliseconds timeout)
{
    m_world->settings.deliveryTimeout = timeout;
}

void SandboxServer::setReceiverCrcAnswer(const ReceiverCrcAnswer &answer)
{
    m_world->settings.receiverCrc = answer;
}

QString SandboxServer::addPublicName(const QString &host)
{
    QStringList authorities = m_router->ownAuthorities();
    if (!authorities.contains(host.toLower()))
        authorities.append(host.toLower());
    m_router->setOwnAuthorities(authorities, !m_tls.isNull());
    return QStringLiteral("%1=127.0.0.1:%2").arg(host.toLower()).arg(port());
}

void SandboxServer::setLenientLoopbackUrls(bool lenient)
{
    m_world->settings.lenientLoopbackUrls = lenient;
}

void SandboxServer::setXStyleTokenAnswers(bool xStyle)
{
    m_world->settings.xStyleTokenAnswers = xStyle;
}

SandboxLimits SandboxServer::limits() const
{
    return m_world->limits();
}

void SandboxServer::setLimits(const SandboxLimits &limits)
{
    m_world->setLimits(limits);
    m_authenticator->forgetOldNonces();
}

FaultInjector &SandboxServer::faults()
{
    return m_world->faults;
}

const Journal &SandboxServer::journal() const
{
    return m_world->journal();
}

void SandboxServer::clearJournal()
{
    m_world->clearJournal();
}

// ---------------------------------------------------------------------------------------------
// State, for tests and the console

void SandboxServer::addSubscriptions(const QString &webhookId, int count)
{
    m_world->addSubscriptions(webhookId, count);
}

QString SandboxServer::demoReceiverUrl(const QString &name) const
{
    return m_world->receiverUrl(name);
}

QList<WebhookState> SandboxServer::webhooks() const
{
    return m_world->webhookStates();
}

std::optional<WebhookState> SandboxServer::webhook(const QString &id) const
{
    return m_world->webhookState(id);
}

QString SandboxServer::addWebhook(const QString &url, bool valid)
{
    return m_world->addWebhook(url, valid);
}

void SandboxServer::setWebhookValid(const QString &webhookId, bool valid)
{
    const auto it = m_world->webhooks.find(webhookId);
    if (it != m_world->webhooks.end())
        it->second.valid = valid;
}

bool SandboxServer::isSubscribed(const QString &webhookId, const QString &userId) const
{
    const auto it = m_world->webhooks.find(webhookId);
    return it != m_world->webhooks.end() && it->second.subscribers.contains(userId);
}

QStringList SandboxServer::subscribers(const QString &webhookId) const
{
    const auto it = m_world->webhooks.find(webhookId);
    return it == m_world->webhooks.end() ? QStringList() : it->second.subscriberOrder;
}

int SandboxServer::subscriptionCount() const
{
    return m_world->subscriptionCount(demo::appId);
}

bool SandboxServer::subscribe(const QString &webhookId, const QString &userId)
{
    return m_world->subscribe(webhookId, userId);
}

bool SandboxServer::hasRunningReplay(const QString &webhookId) const
{
    return m_world->hasRunningReplay(webhookId);
}

QList<DeliveryRecord> SandboxServer::deliveries() const
{
    return m_world->deliveries();
}

QList<ReceivedEvent> SandboxServer::receivedEvents(const QString &receiverName) const
{
    return m_world->receivedEvents(receiverName);
}

// ---------------------------------------------------------------------------------------------
// OAuth 2.0

bool SandboxServer::addOAuth2RedirectUri(const QByteArray &clientId, const QString &redirectUri)
{
    return m_world->oauth2.addRedirectUri(clientId, redirectUri);
}

int SandboxServer::revokeOAuth2Grants(const QString &userId)
{
    return m_world->oauth2.revokeUser(userId);
}

int SandboxServer::oauth2TokenRequests(const QString &grantType) const
{
    return m_world->oauth2.tokenRequests.value(grantType);
}

IssuedOAuth2Token SandboxServer::issueOAuth2Token(const QString &userId, const QStringList &scopes,
                                                  const QByteArray &clientId)
{
    const OAuth2Client *client = m_world->oauth2.client(clientId.isEmpty() ? demo::oauth2ClientId : clientId);
    if (!client || !m_world->users.contains(userId))
        return {};
    const OAuth2Issued issued =
        m_world->oauth2.newGrant(client->id, client->appId, userId, scopes, m_world->now());
    return IssuedOAuth2Token {issued.accessToken, issued.refreshToken, issued.scopes};
}

QStringList SandboxServer::oauth2Scopes(const QByteArray &accessToken) const
{
    const OAuth2Grant *grant = m_world->oauth2.grantOfAccessToken(accessToken, m_world->now());
    return grant ? grant->scopes : QStringList();
}

int SandboxServer::deliverEvent(const QString &forUserId, const QString &eventKey, const QJsonValue &items)
{
    return m_events->deliverEvent(forUserId, eventKey, items);
}

// ---------------------------------------------------------------------------------------------
// X Activity API

void SandboxServer::setActivityTier(xaa::Tier tier)
{
    m_world->settings.activityTier = tier;
}

xaa::Tier SandboxServer::activityTier() const
{
    return m_world->settings.activityTier;
}

void SandboxServer::setActivityAnswerShape(ActivityAnswerShape shape)
{
    m_world->settings.activityAnswerShape = shape;
}

QList<ActivitySubscription> SandboxServer::activitySubscriptions() const
{
    QList<ActivitySubscription> out;
    out.reserve(qsizetype(m_world->activitySubscriptions.size()));
    for (const auto &[id, record] : m_world->activitySubscriptions)
        out.append(record.subscription);
    return out;
}

std::optional<ActivitySubscription> SandboxServer::activitySubscription(const QString &id) const
{
    const ActivityRecord *record = m_world->activitySubscription(id);
    if (!record)
        return std::nullopt;
    return record->subscription;
}

QString SandboxServer::addActivitySubscription(const ActivitySubscriptionRequest &request)
{
    return m_world->addActivitySubscription(demo::appId, request);
}

void SandboxServer::addActivitySubscriptions(int count, const QString &webhookId)
{
    m_world->addActivitySubscriptions(count, webhookId);
}

int SandboxServer::emitActivityEvent(const QString &eventType, const ActivityFilter &filter,
                                     const QJsonObject &payload)
{
    return m_activity->emitEvent(eventType, filter, payload);
}

int SandboxServer::emitActivityEventsForAll()
{
    return m_activity->emitForAll();
}

QList<ActivityEventRecord> SandboxServer::activityEvents() const
{
    return m_world->activityEvents();
}

void SandboxServer::setActivityStreamHeartbeat(std::chrono::milliseconds interval)
{
    m_stream->setHeartbeatInterval(interval);
}

int SandboxServer::openActivityStreams() const
{
    return m_stream->openStreams();
}

int SandboxServer::dropActivityStreams()
{
    return m_stream->dropAll();
}

void SandboxServer::stallActivityStreams()
{
    m_stream->setStalled(true);
}

void SandboxServer::resumeActivityStreams()
{
    m_stream->setStalled(false);
}

void SandboxServer::duplicateNextActivityStreamEvents(int count)
{
    m_stream->duplicateNext(count);
}

int SandboxServer::disconnectActivityStreamsWithError(const QString &detail)
{
    return m_stream->sendErrorAndClose(detail);
}

} // namespace activity::sandbox
