#pragma once

#include "FaultInjector.h"
#include "Journal.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonValue>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace activity::sandbox {

class HttpFrontEnd;
struct App;
struct Exchange;
struct Reply;
struct Route;
struct SandboxState;
struct WebhookRecord;

// A webhook as the sandbox holds it (for tests and the console; the API answers carry the same).
struct WebhookState
{
    QString id;
    QString url;
    bool valid = false;
    QDateTime createdAt;
    int subscriptionCount = 0;
};

// One POST the sandbox made to a webhook: a live event, a replayed one, or a replay_job_status.
struct DeliveryRecord
{
    QString eventId; // the same for an original and its replays
    QDateTime at; // when this POST was made (sandbox clock)
    QDateTime eventTime; // when the event happened; replays keep the original's time
    QString webhookId;
    QString forUserId; // empty for replay_job_status
    QString eventKey; // "favorite_events", ..., "replay_job_status"
    QByteArray body;
    int httpStatus = 0; // 0 = no answer (refused, timed out, not contacted)
    bool delivered = false; // 2xx answer
    QString replayJobId; // non-empty for replayed events and job status posts
};

// What the sandbox's own demo receiver (/sandbox/receiver/<name>) was sent.
struct ReceivedEvent
{
    QString receiverName;
    QDateTime at;
    QByteArray body;
    bool signatureValid = false; // x-twitter-webhooks-signature checked with the demo consumer secret
};

// An emulated X Account Activity API server on a loopback address (v1.1 Enterprise and v2, OAuth
// 1.0a with real signature checks, OAuth 2 bearer, the 3-legged login pages, CRC, events, replay,
// rate limits, fault injection). In-memory state; usable in-process and by the activity-sandbox
// executable. Everything is asynchronous: CRC checks and deliveries never block a handler.
//
// Error conventions (v1.1 codes and messages as X documents them):
//  * v1.1: {"errors":[{"code":N,"message":"..."}]}.
//  * v2: {"errors":[{"title":Name,"detail":..,"type":T}],"title":Name,"detail":..,"type":T,"status":S}
//    with T = https://api.x.com/2/problems/<kind>: 400 invalid-request (CrcValidationFailed,
//    UrlValidationFailed, QueryParamInvalid), 403 usage-capped (WebhookLimitExceeded,
//    SubscriptionLimitExceeded), 404 resource-not-found (WebhookIdInvalid, SubscriptionNotFound),
//    409 conflict (DuplicateUrlFailed, DuplicateSubscriptionFailed, ReplayConflictError).
//    Auth failures: 401 {"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"};
//    a credential of the wrong kind: 403 "Unsupported Authentication" (unsupported-authentication).
//  * 429 on both: {"errors":[{"code":88,"message":"Rate limit exceeded"}]}.
//
// Rate-limit keys (setRateLimit): v1.1 "webhooks.register|list|validate|delete",
// "subscriptions.subscribe|check|count|list|unsubscribe|delete", "replay", "users.lookup";
// v2 the same names prefixed "v2." plus "v2.webhooks.replay" and "v2.users". Pools are per key and
// per credential (the app for bearer calls, the token for user-context calls). Headers
// x-rate-limit-limit/-remaining/-reset come with every answer that passed authentication.
class SandboxServer : public QObject
{
    Q_OBJECT
public:
    explicit SandboxServer(QObject *parent = nullptr);
    ~SandboxServer() override;

    // Serve https with this certificate and key instead of plain http (TLS tests). Call before listen().
    void useTls(const QSslCertificate &certificate, const QSslKey &privateKey);
    // Returns false when the port is taken. Call once.
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0); // 0 = ephemeral
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:PORT (https after useTls())

    // The demo world of SandboxDemo.h: app, owner, alice/bob/carol/dave/eve, two webhooks (one valid
    // at the demo receiver, one invalid), seededSubscriberCount generated subscribers plus alice.
    // May be called before or after listen().
    void seedDemo();

    // The clock every rule uses (timestamps, windows, replay, expiry). Default: the system clock.
    // setNow/advance shift it; it keeps ticking from there.
    QDateTime now() const;
    void setNow(const QDateTime &utc);
    void advance(std::chrono::seconds seconds);

    // Limits (defaults as X documents them).
    void setWebhookLimit(int limit); // default 3 per app
    void setProvisionedSubscriptions(int count); // default demo::provisionedSubscriptions
    void setRateLimit(const QString &endpointKey, int limit, std::chrono::seconds window);
    void setCrcTimeout(std::chrono::milliseconds timeout); // default 3 s
    void setDeliveryTimeout(std::chrono::milliseconds timeout); // default 10 s
    // Also accept http://127.0.0.1:PORT/... and http://localhost:PORT/... webhook URLs (default true).
    void setLenientLoopbackUrls(bool lenient);
    // Answer oauth/request_token and oauth/access_token the way X does: form data labelled
    // text/html, with a trailing newline. Default false: application/x-www-form-urlencoded.
    void setXStyleTokenAnswers(bool xStyle);

    // Bulk subscribers with generated names (for benchmarks); ignores the provisioned count.
    void addSubscriptions(const QString &webhookId, int count);

    FaultInjector &faults();
    const Journal &journal() const;
    void clearJournal();

    // --- state, for tests and the console ---
    QString demoReceiverUrl(const QString &name = QStringLiteral("demo")) const;
    QList<WebhookState> webhooks() const;
    std::optional<WebhookState> webhook(const QString &id) const;
    // Adds a webhook of the demo app directly (no CRC); returns its id.
    QString addWebhook(const QString &url, bool valid);
    void setWebhookValid(const QString &webhookId, bool valid);
    bool isSubscribed(const QString &webhookId, const QString &userId) const;
    QStringList subscribers(const QString &webhookId) const;
    int subscriptionCount() const; // across the demo app's webhooks
    // Subscribes directly (no auth, no limit check); false for an unknown webhook or user.
    bool subscribe(const QString &webhookId, const QString &userId);
    bool hasRunningReplay(const QString &webhookId) const;
    QList<DeliveryRecord> deliveries() const;
    QList<ReceivedEvent> receivedEvents(const QString &receiverName = {}) const;

    // Posts one synthetic event for `forUserId` to every valid webhook the user is subscribed to,
    // signed with x-twitter-webhooks-signature. `eventKey` is favorite_events, follow_events,
    // direct_message_events, tweet_create_events, block_events, mute_events, ...; `items` replaces
    // the generated array when given. Returns the number of webhooks it is sent to.
    // Also reachable as POST /sandbox/events {"for_user_id":"..","event":"favorite_events"}.
    int deliverEvent(const QString &forUserId, const QString &eventKey, const QJsonValue &items = {});

Q_SIGNALS:
    void requestHandled(const activity::sandbox::JournalEntry &entry);
    void eventDelivered(const activity::sandbox::DeliveryRecord &record);
    void crcChecked(const QString &webhookId, bool passed);
    void replayFinished(const QString &jobId, const QString &webhookId, bool complete);
    void receiverEventReceived(const activity::sandbox::ReceivedEvent &event);

private:
    friend class HttpFrontEnd;
    using ExchangePtr = std::shared_ptr<Exchange>;

    void registerRoutes();
    void dispatch(const ExchangePtr &ex);
    void route(const ExchangePtr &ex);
    bool authenticate(const ExchangePtr &ex, const Route &route);
    bool checkRateLimit(const ExchangePtr &ex, const Route &route);
    void applyFault(const ExchangePtr &ex, const Fault &fault);
    void finish(const ExchangePtr &ex, Reply reply);
    const App &demoApp() const;
    QString webhookUrl(const WebhookRecord &webhook) const;

    // v1.1 and v2 (generation read from the exchange's route)
    void handleListWebhooks(const ExchangePtr &ex);
    void handleRegisterWebhook(const ExchangePtr &ex);
    void handleValidateWebhook(const ExchangePtr &ex);
    void handleDeleteWebhook(const ExchangePtr &ex);
    void handleSubscribe(const ExchangePtr &ex);
    void handleCheckSubscription(const ExchangePtr &ex);
    void handleUnsubscribeSelf(const ExchangePtr &ex);
    void handleUnsubscribeUser(const ExchangePtr &ex);
    void handleSubscriptionCount(const ExchangePtr &ex);
    void handleSubscriptionList(const ExchangePtr &ex);
    void handleReplay(const ExchangePtr &ex);
    void handleWebhooksReplay(const ExchangePtr &ex);
    void handleUsersLookup(const ExchangePtr &ex);
    void handleUsersV2(const ExchangePtr &ex);
    // OAuth
    void handleRequestToken(const ExchangePtr &ex);
    void handleAuthorizePage(const ExchangePtr &ex);
    void handleAuthorizeSubmit(const ExchangePtr &ex);
    void handleAccessToken(const ExchangePtr &ex);
    void handleBearerToken(const ExchangePtr &ex);
    // sandbox extras
    void handleReceiverGet(const ExchangePtr &ex);
    void handleReceiverPost(const ExchangePtr &ex);
    void handleReceiverEvents(const ExchangePtr &ex);
    void handlePostEvents(const ExchangePtr &ex);

    // CRC GET against `url` with the app's consumer secret; `done(ok, v1Message, v2Detail)`.
    void runCrc(const QByteArray &consumerSecret, const QString &url,
                const std::function<void(bool, QString, QString)> &done);
    // POSTs record.body to the webhook record.webhookId, signed; stores and reports the outcome.
    void post(DeliveryRecord record, const std::function<void(const DeliveryRecord &)> &done);
    QByteArray secretForWebhook(const QString &webhookId) const;
    void runReplay(const QString &jobId, const QString &webhookId, const QDateTime &from,
                   const QDateTime &to);

    std::unique_ptr<SandboxState> m_state;
    std::unique_ptr<HttpFrontEnd> m_http;
    bool m_tls = false;
};

} // namespace activity::sandbox

Q_DECLARE_METATYPE(activity::sandbox::JournalEntry)
Q_DECLARE_METATYPE(activity::sandbox::DeliveryRecord)
Q_DECLARE_METATYPE(activity::sandbox::ReceivedEvent)
