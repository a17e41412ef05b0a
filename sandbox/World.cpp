// The world state: records, the clock, seeding and the state half of the test API.

#include "World.h"

#include "Crc.h"
#include "RandomToken.h"
#include "SandboxDemo.h"

namespace activity::sandbox {

World::World(QObject *parent)
    : QObject(parent)
    , m_controlToken(randomToken(32))
{
}

QDateTime World::now() const
{
    return QDateTime::currentDateTimeUtc().addMSecs(m_clockOffset.count());
}

void World::setNow(const QDateTime &utc)
{
    m_clockOffset = std::chrono::milliseconds(QDateTime::currentDateTimeUtc().msecsTo(utc.toUTC()));
}

void World::advance(std::chrono::seconds seconds)
{
    m_clockOffset += seconds;
}

void World::setLimits(const SandboxLimits &limits)
{
    m_limits = limits;
    m_limits.deliveries = qMax<qsizetype>(1, limits.deliveries);
    m_limits.receivedEvents = qMax<qsizetype>(1, limits.receivedEvents);
    m_limits.nonces = qMax<qsizetype>(1, limits.nonces);
    m_limits.requestBodyBytes = qMax<qint64>(0, limits.requestBodyBytes);
    m_journal.setCapacity(limits.journalEntries);
    m_limits.journalEntries = m_journal.capacity();
    if (m_deliveries.size() > m_limits.deliveries)
        m_deliveries.remove(0, m_deliveries.size() - m_limits.deliveries);
    if (m_received.size() > m_limits.receivedEvents)
        m_received.remove(0, m_received.size() - m_limits.receivedEvents);
    m_limits.activityEvents = qMax<qsizetype>(1, limits.activityEvents);
    if (m_activityEvents.size() > m_limits.activityEvents)
        m_activityEvents.remove(0, m_activityEvents.size() - m_limits.activityEvents);
}

QString World::receiverUrl(const QString &name) const
{
    return m_baseUrl.toString() + QStringLiteral("/sandbox/receiver/") + name;
}

QString World::webhookUrl(const WebhookRecord &webhook) const
{
    return webhook.ownReceiverName.isEmpty() ? webhook.url : receiverUrl(webhook.ownReceiverName);
}

int World::subscriptionCount(const QString &appId) const
{
    int count = 0;
    for (const auto &[id, w] : webhooks) {
        if (w.appId == appId)
            count += int(w.subscribers.size());
    }
    return count;
}

const User *World::userWithPassword(const QString &username, const QString &password) const
{
    const User *user = nullptr;
    for (const User &candidate : users) {
        if (!candidate.password.isEmpty() && candidate.username.compare(username, Qt::CaseInsensitive) == 0)
            user = &candidate;
    }
    if (!user || !crc::constantTimeEquals(user->password.toUtf8(), password.toUtf8()))
        return nullptr;
    return user;
}

bool World::hasRunningReplay(const QString &webhookId) const
{
    for (const ReplayRecord &job : replayJobs) {
        if (job.webhookId == webhookId && job.running)
            return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Records

void World::recordRequest(const JournalEntry &entry)
{
    m_journal.append(entry);
    Q_EMIT requestHandled(entry);
}

void World::recordDelivery(const DeliveryRecord &record)
{
    appendBounded(m_deliveries, record, m_limits.deliveries);
    Q_EMIT eventDelivered(record);
}

QList<ReceivedEvent> World::receivedEvents(const QString &receiverName) const
{
    if (receiverName.isEmpty())
        return m_received;
    QList<ReceivedEvent> out;
    for (const ReceivedEvent &event : m_received) {
        if (event.receiverName == receiverName)
            out.append(event);
    }
    return out;
}

void World::recordReceived(const ReceivedEvent &event)
{
    appendBounded(m_received, event, m_limits.receivedEvents);
    Q_EMIT receiverEventReceived(event);
}

void World::recordActivityEvent(const ActivityEventRecord &record)
{
    appendBounded(m_activityEvents, record, m_limits.activityEvents);
    Q_EMIT activityEventEmitted(record);
}

void World::reportReplayFinished(const QString &jobId, const QString &webhookId, bool complete)
{
    const auto it = replayJobs.find(jobId);
    if (it != replayJobs.end())
        it->running = false; // the slot frees once the status was posted
    Q_EMIT replayFinished(jobId, webhookId, complete);
}

// ---------------------------------------------------------------------------------------------
// Seed and the test API

namespace {

// Deterministic "First Last" names for generated users.
User generatedUser(qint64 id, int index)
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

} // namespace

void World::seedDemo()
{
    if (m_seeded)
        return;
    m_seeded = true;

    App app;
    app.id = demo::appId;
    app.name = demo::appName;
    app.accountName = demo::accountName;
    app.consumerKey = demo::consumerKey;
    app.consumerSecret = demo::consumerSecret;
    app.bearerToken = demo::bearerToken;
    app.callbackUrls = {demo::callbackUrl, demo::appSchemeCallbackUrl};
    app.ownerUserId = demo::ownerUserId;
    apps.insert(app.id, app);
    // Its OAuth 2.0 clients: a confidential one (Basic client id:secret) and a public one.
    oauth2.clients.insert(
        demo::oauth2ClientId,
        OAuth2Client {demo::oauth2ClientId, demo::oauth2ClientSecret, app.id, {demo::oauth2RedirectUri}});
    oauth2.clients.insert(demo::oauth2PublicClientId,
                          OAuth2Client {demo::oauth2PublicClientId, {}, app.id, {demo::oauth2RedirectUri}});

    users.insert(demo::ownerUserId,
                 User {demo::ownerUserId, demo::ownerUsername, demo::ownerName, demo::ownerPassword});
    accessTokens.insert(
        demo::ownerToken,
        AccessToken {demo::ownerToken, demo::ownerTokenSecret, demo::ownerUserId, app.id, true});
    for (const demo::User *u : {&demo::alice, &demo::bob, &demo::carol, &demo::dave, &demo::eve}) {
        users.insert(u->id, User {u->id, u->username, u->name, u->password});
        if (!u->token.isEmpty()) {
            accessTokens.insert(u->token,
                                AccessToken {u->token, u->tokenSecret, u->id, app.id, u->id != demo::eve.id});
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
    webhooks.insert_or_assign(valid.id, valid);

    WebhookRecord invalid;
    invalid.id = demo::invalidWebhookId;
    invalid.appId = app.id;
    invalid.url = demo::invalidWebhookUrl;
    invalid.valid = false;
    invalid.createdAt = created.addDays(2);
    webhooks.insert_or_assign(invalid.id, invalid);

    settings.provisionedSubscriptions = demo::provisionedSubscriptions;
    subscribe(demo::validWebhookId, demo::alice.id);
    addSubscriptions(demo::validWebhookId, demo::seededSubscriberCount);

    // X Activity API: one webhook subscription with a tag, one stream-only, one with a direction.
    insertActivitySubscription(demo::activityBioSubscriptionId.toLongLong(), app.id,
                               {QStringLiteral("profile.update.bio"),
                                {demo::alice.id, {}, {}},
                                demo::activityBioTag,
                                demo::validWebhookId});
    insertActivitySubscription(demo::activityPostSubscriptionId.toLongLong(), app.id,
                               {QStringLiteral("post.create"), {demo::bob.id, {}, {}}, {}, {}});
    insertActivitySubscription(demo::activityLikeSubscriptionId.toLongLong(), app.id,
                               {QStringLiteral("like.create"),
                                {demo::alice.id, {}, QStringLiteral("inbound")},
                                {},
                                demo::validWebhookId});
}

void World::addSubscriptions(const QString &webhookId, int count)
{
    auto it = webhooks.find(webhookId);
    if (it == webhooks.end())
        return;
    for (int i = 0; i < count; ++i) {
        const qint64 id = m_nextUserId++;
        const int index = int(id - 3000000000000000001LL);
        User user = generatedUser(id, index);
        users.insert(user.id, user);
        it->second.subscriberOrder.append(user.id);
        it->second.subscribers.insert(user.id);
    }
}

QString World::addWebhook(const QString &url, bool valid)
{
    WebhookRecord w;
    w.id = newWebhookId();
    w.appId = demo::appId;
    w.url = url;
    w.valid = valid;
    w.createdAt = now();
    webhooks.insert_or_assign(w.id, w);
    return w.id;
}

bool World::subscribe(const QString &webhookId, const QString &userId)
{
    const auto it = webhooks.find(webhookId);
    if (it == webhooks.end() || !users.contains(userId))
        return false;
    if (!it->second.subscribers.contains(userId)) {
        it->second.subscribers.insert(userId);
        it->second.subscriberOrder.append(userId);
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// X Activity API subscriptions

namespace {

QString activityKey(const QString &appId, const ActivitySubscription &s)
{
    const QChar sep(0x1f); // a separator no id, type or keyword holds
    return appId + sep + s.eventType + sep + s.filter.userId + sep + s.filter.keyword + sep +
        s.filter.direction + sep + s.webhookId;
}

} // namespace

QString World::insertActivitySubscription(qint64 id, const QString &appId,
                                          const ActivitySubscriptionRequest &request)
{
    const QString type = xaa::canonicalEventType(request.eventType);
    if (type.isEmpty() || activitySubscriptions.count(id))
        return {};
    ActivityRecord record;
    record.appId = appId;
    ActivitySubscription &s = record.subscription;
    s.id = QString::number(id);
    s.eventType = type;
    s.filter = request.filter;
    s.tag = request.tag;
    s.webhookId = request.webhookId;
    // X's timestamps have milliseconds.
    const QDateTime current = QDateTime::fromMSecsSinceEpoch(now().toMSecsSinceEpoch(), Qt::UTC);
    s.createdAt = current;
    s.updatedAt = current;
    m_activityKeys.insert(activityKey(appId, s), id);
    ++m_activityCounts[appId];
    activitySubscriptions.emplace(id, std::move(record));
    m_nextActivityId = qMax(m_nextActivityId, id + 1);
    return QString::number(id);
}

QString World::addActivitySubscription(const QString &appId, const ActivitySubscriptionRequest &request)
{
    return insertActivitySubscription(m_nextActivityId, appId, request);
}

void World::addActivitySubscriptions(int count, const QString &webhookId)
{
    // The public types (the app's Bearer token is enough for them), all filtered by user_id.
    QStringList types;
    for (const xaa::EventType &type : xaa::eventTypes()) {
        if (type.visibility == xaa::Visibility::Public &&
            type.filters == xaa::FilterFields(xaa::FilterField::UserId))
            types.append(type.name);
    }
    const QDateTime current = QDateTime::fromMSecsSinceEpoch(now().toMSecsSinceEpoch(), Qt::UTC);
    const QString prefix = QStringLiteral("bench-");
    const QChar sep(0x1f);
    const QString keyPrefix = QString(demo::appId) + sep;
    qint64 &appCount = m_activityCounts[demo::appId];
    // Written out rather than through insertActivitySubscription: 75,000 must take well under a second.
    for (int i = 0; i < count; ++i) {
        const qint64 id = m_nextActivityId++;
        ActivityRecord record;
        record.appId = demo::appId;
        ActivitySubscription &s = record.subscription;
        s.id = QString::number(id);
        s.eventType = types.at(i % types.size());
        s.filter.userId = QString::number(m_nextBenchUserId++);
        s.tag = prefix + QString::number(i + 1);
        s.webhookId = webhookId;
        s.createdAt = current;
        s.updatedAt = current;
        m_activityKeys.insert(keyPrefix + s.eventType + sep + s.filter.userId + sep + sep + sep + webhookId,
                              id);
        ++appCount;
        activitySubscriptions.emplace_hint(activitySubscriptions.end(), id, std::move(record));
    }
}

const ActivityRecord *World::activitySubscription(const QString &id) const
{
    bool ok = false;
    const qint64 number = id.toLongLong(&ok);
    const auto it = ok ? activitySubscriptions.find(number) : activitySubscriptions.end();
    return it == activitySubscriptions.end() ? nullptr : &it->second;
}

bool World::updateActivitySubscription(const QString &id, const std::optional<QString> &tag,
                                       const std::optional<QString> &webhookId)
{
    auto *record = const_cast<ActivityRecord *>(activitySubscription(id));
    if (!record)
        return false;
    ActivitySubscription &s = record->subscription;
    m_activityKeys.remove(activityKey(record->appId, s));
    if (tag)
        s.tag = *tag;
    if (webhookId)
        s.webhookId = *webhookId;
    s.updatedAt = QDateTime::fromMSecsSinceEpoch(now().toMSecsSinceEpoch(), Qt::UTC);
    m_activityKeys.insert(activityKey(record->appId, s), id.toLongLong());
    return true;
}

bool World::removeActivitySubscription(const QString &id)
{
    const ActivityRecord *record = activitySubscription(id);
    if (!record)
        return false;
    m_activityKeys.remove(activityKey(record->appId, record->subscription));
    --m_activityCounts[record->appId];
    activitySubscriptions.erase(id.toLongLong());
    return true;
}

QString World::sameActivitySubscription(const QString &appId, const ActivitySubscription &subscription) const
{
    const auto it = m_activityKeys.constFind(activityKey(appId, subscription));
    return it == m_activityKeys.cend() ? QString() : QString::number(it.value());
}

WebhookState World::stateOf(const WebhookRecord &w) const
{
    return WebhookState {w.id, webhookUrl(w), w.valid, w.createdAt, int(w.subscribers.size())};
}

QList<WebhookState> World::webhookStates() const
{
    QList<WebhookState> out;
    for (const auto &[id, w] : webhooks)
        out.append(stateOf(w));
    return out;
}

std::optional<WebhookState> World::webhookState(const QString &id) const
{
    const auto it = webhooks.find(id);
    if (it == webhooks.end())
        return std::nullopt;
    return stateOf(it->second);
}

} // namespace activity::sandbox
