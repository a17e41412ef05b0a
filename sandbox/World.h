#pragma once

// Internal to the sandbox library: the world state, what the emulated X holds (apps, users, tokens,
// webhooks and their subscribers, replay jobs, what was delivered and received, the journal, the
// clock and the knobs tests turn). Handler groups read and change it; SandboxServer's test API is a
// thin layer over it. It reports what happens through its signals, which SandboxServer passes on.

#include "FaultInjector.h"
#include "Journal.h"
#include "OAuth2Store.h"
#include "SandboxServer.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <map>
#include <optional>

namespace activity::sandbox {

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
    // How long a request token can be taken through the login pages and exchanged.
    static constexpr qint64 lifetimeSeconds = 10 * 60;

    QByteArray token;
    QByteArray secret;
    QString appId;
    QString callback; // "oob" or a registered URL
    QDateTime createdAt;
    QString approvedUserId; // set when the user allowed the app
    QByteArray verifier;
    bool used = false;

    bool expiredAt(const QDateTime &now) const { return createdAt.secsTo(now) > lifetimeSeconds; }
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

// An X Activity API subscription and the app that owns it.
struct ActivityRecord
{
    ActivitySubscription subscription;
    QString appId;
};

struct ReplayRecord
{
    QString jobId;
    QString webhookId;
    QDateTime createdAt;
    bool running = true;
};

// The knobs of SandboxServer's setters; defaults as X documents them.
struct WorldSettings
{
    int webhookLimit = 3;
    int provisionedSubscriptions = 500;
    std::chrono::milliseconds crcTimeout {3000};
    std::chrono::milliseconds deliveryTimeout {10000};
    bool lenientLoopbackUrls = true;
    bool xStyleTokenAnswers = false;
    xaa::Tier activityTier = xaa::Tier::Enterprise;
    ActivityAnswerShape activityAnswerShape = ActivityAnswerShape::Spec2167;
    ReceiverCrcAnswer receiverCrc;
};

// Appends to a bounded record, dropping the oldest beyond `capacity`.
template<typename T> void appendBounded(QList<T> &list, const T &item, qsizetype capacity)
{
    if (list.size() >= capacity)
        list.remove(0, list.size() - qMax<qsizetype>(1, capacity) + 1);
    list.append(item);
}

class World : public QObject
{
    Q_OBJECT
public:
    explicit World(QObject *parent = nullptr);

    // What the emulated X holds. Open to the parts of the sandbox, its only users.
    QHash<QString, App> apps; // by id
    QHash<QString, User> users; // by id
    QHash<QByteArray, AccessToken> accessTokens; // by token
    QHash<QByteArray, RequestToken> requestTokens; // by token
    std::map<QString, WebhookRecord> webhooks; // by id, ordered
    QHash<QString, ReplayRecord> replayJobs; // by job id
    OAuth2Store oauth2; // OAuth 2.0 clients, codes and grants (user sign-in with PKCE)
    // X Activity API subscriptions by numeric id: ids grow, so this is creation order. Changed only
    // through the activity functions below, which keep the duplicate index and counts with it.
    std::map<qint64, ActivityRecord> activitySubscriptions;
    WorldSettings settings;
    FaultInjector faults;

    // The clock every rule uses; the system clock shifted by setNow()/advance().
    QDateTime now() const;
    void setNow(const QDateTime &utc);
    void advance(std::chrono::seconds seconds);

    SandboxLimits limits() const { return m_limits; }
    // Trims the records kept beyond the new sizes (the authenticator trims its nonces itself).
    void setLimits(const SandboxLimits &limits);
    QByteArray controlToken() const { return m_controlToken; }

    // Where the server listens (empty before listen()): webhooks at the demo receiver need it.
    QUrl baseUrl() const { return m_baseUrl; }
    void setBaseUrl(const QUrl &url) { m_baseUrl = url; }
    QString receiverUrl(const QString &name) const;
    QString webhookUrl(const WebhookRecord &webhook) const;
    QByteArray consumerSecretOf(const QString &appId) const { return apps.value(appId).consumerSecret; }

    // New ids, in X's number ranges.
    QString newWebhookId() { return QString::number(m_nextWebhookId++); }
    QString newReplayJobId() { return QString::number(m_nextJobId++); }
    qint64 newEventNumber() { return m_nextEventNumber++; }

    int subscriptionCount(const QString &appId) const; // across the app's webhooks
    // The user who signs in with this username (any case) and password on a login page, or nullptr.
    const User *userWithPassword(const QString &username, const QString &password) const;
    bool hasRunningReplay(const QString &webhookId) const;

    // --- seeding and the test API (SandboxServer's public functions of the same names) ---
    void seedDemo();
    void addSubscriptions(const QString &webhookId, int count);
    QString addWebhook(const QString &url, bool valid); // a demo-app webhook, no CRC
    bool subscribe(const QString &webhookId, const QString &userId); // no auth, no limit check
    QList<WebhookState> webhookStates() const;

    // --- X Activity API subscriptions (no checks here; ActivityHandlers makes them) ---
    // Adds one for `appId` with the canonical event type; the new id, or empty for an unknown type.
    QString addActivitySubscription(const QString &appId, const ActivitySubscriptionRequest &request);
    void addActivitySubscriptions(int count, const QString &webhookId); // generated, for benchmarks
    const ActivityRecord *activitySubscription(const QString &id) const;
    // Changes the tag and/or webhook (updated_at = now); false for an unknown id.
    bool updateActivitySubscription(const QString &id, const std::optional<QString> &tag,
                                    const std::optional<QString> &webhookId);
    bool removeActivitySubscription(const QString &id);
    qint64 activitySubscriptionCount(const QString &appId) const { return m_activityCounts.value(appId); }
    // The id of the app's subscription with the same event type, filter and webhook, other than
    // `except`; empty if none.
    QString sameActivitySubscription(const QString &appId, const ActivitySubscription &subscription,
                                     const QString &except = {}) const;
    std::optional<WebhookState> webhookState(const QString &id) const;

    // --- records; each also reports through the matching signal ---
    const Journal &journal() const { return m_journal; }
    void clearJournal() { m_journal.clear(); }
    void recordRequest(const JournalEntry &entry);
    const QList<DeliveryRecord> &deliveries() const { return m_deliveries; }
    void recordDelivery(const DeliveryRecord &record);
    QList<ReceivedEvent> receivedEvents(const QString &receiverName) const; // empty name = all
    void recordReceived(const ReceivedEvent &event);
    const QList<ActivityEventRecord> &activityEvents() const { return m_activityEvents; }
    void recordActivityEvent(const ActivityEventRecord &record);
    void reportCrc(const QString &webhookId, bool passed) { Q_EMIT crcChecked(webhookId, passed); }
    void reportReplayFinished(const QString &jobId, const QString &webhookId, bool complete);

Q_SIGNALS:
    void requestHandled(const activity::sandbox::JournalEntry &entry);
    void eventDelivered(const activity::sandbox::DeliveryRecord &record);
    void crcChecked(const QString &webhookId, bool passed);
    void replayFinished(const QString &jobId, const QString &webhookId, bool complete);
    void receiverEventReceived(const activity::sandbox::ReceivedEvent &event);
    void activityEventEmitted(const activity::sandbox::ActivityEventRecord &record);

private:
    WebhookState stateOf(const WebhookRecord &webhook) const;
    QString insertActivitySubscription(qint64 id, const QString &appId,
                                       const ActivitySubscriptionRequest &request);

    Journal m_journal;
    QList<DeliveryRecord> m_deliveries;
    QList<ReceivedEvent> m_received;
    QList<ActivityEventRecord> m_activityEvents;
    SandboxLimits m_limits;
    QByteArray m_controlToken;
    QUrl m_baseUrl;
    std::chrono::milliseconds m_clockOffset {0};
    bool m_seeded = false;
    qint64 m_nextWebhookId = 1500000000000000101LL;
    qint64 m_nextJobId = 1600000000000000001LL;
    qint64 m_nextUserId = 3000000000000000001LL;
    qint64 m_nextEventNumber = 1;
    // Below the first id: the demo's three (SandboxDemo.h) take 1900000000000000001..3.
    qint64 m_nextActivityId = 1900000000000000101LL;
    qint64 m_nextBenchUserId = 4000000000000000001LL;
    // app + type + filter + webhook → ids: more than one only when the test API added duplicates.
    QMultiHash<QString, qint64> m_activityKeys;
    QHash<QString, qint64> m_activityCounts; // by app id (the tier limit counts per app)
};

} // namespace activity::sandbox
