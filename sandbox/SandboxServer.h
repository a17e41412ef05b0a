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

class QTcpSocket;

namespace activity::sandbox {

class FrontDoor;
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

// What the sandbox's own demo receiver (/sandbox/receiver/<name>) was sent. Only bodies whose
// x-twitter-webhooks-signature holds (checked with the demo consumer secret) are kept.
struct ReceivedEvent
{
    QString receiverName;
    QDateTime at;
    QByteArray body;
    bool signatureValid = false; // always true for a kept event
};

// How much the sandbox keeps and accepts. Every record is a ring: the oldest entries go first.
struct SandboxLimits
{
    qsizetype journalEntries = 10000;
    qsizetype deliveries = 10000; // also what a replay can re-send
    qsizetype receivedEvents = 1000;
    qsizetype nonces = 20000; // OAuth nonces remembered against replays (5-minute window)
    qint64 requestBodyBytes = 1024 * 1024; // larger bodies: 413, without reading them in
};

// The header that carries SandboxServer::controlToken().
inline constexpr char sandboxTokenHeader[] = "X-Sandbox-Token";

// An emulated X Account Activity API server on a loopback address (v1.1 Enterprise and v2, OAuth
// 1.0a with real signature checks, OAuth 2 bearer, the 3-legged login pages, CRC, events, replay,
// rate limits, fault injection). In-memory state; usable in-process and by the activity-sandbox
// executable. Everything is asynchronous: CRC checks and deliveries never block a handler.
//
// Error conventions (v1.1 codes and messages as X documents them):
//  * v1.1: {"errors":[{"code":N,"message":"..."}]}.
//  * v2: one problem at the top level, as X sends it (x-api-2026.md §6.1):
//    {"type":T,"title":..,"detail":"Name: ..","status":S[,"resource_type",..]}
//    with T = https://api.x.com/2/problems/<kind>: 400 invalid-request (CrcValidationFailed,
//    UrlValidationFailed, QueryParamInvalid), 403 usage-capped (WebhookLimitExceeded,
//    SubscriptionLimitExceeded), 404 resource-not-found (WebhookIdInvalid, SubscriptionNotFound),
//    409 conflict (DuplicateUrlFailed, DuplicateSubscriptionFailed, ReplayConflictError);
//    the retired POST /2/account_activity/replay/... answers 404 resource-not-found.
//    A 2xx may carry "errors" next to "data" (users lookup with unknown ids).
//    Auth failures: 401 {"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"};
//    a credential of the wrong kind: 403 "Unsupported Authentication" (unsupported-authentication).
//  * 429 on both: {"errors":[{"code":88,"message":"Rate limit exceeded"}]}.
//
// Rate-limit keys (setRateLimit): v1.1 "webhooks.register|list|validate|delete",
// "subscriptions.subscribe|check|count|list|unsubscribe|delete", "replay", "users.lookup";
// v2 the same names prefixed "v2." plus "v2.webhooks.replay" and "v2.users". Pools are per key and
// per credential (the app for bearer calls, the token for user-context calls). Headers
// x-rate-limit-limit/-remaining/-reset come with every answer that passed authentication.
//
// Any program on the machine, a web page in a browser included, can reach a loopback port, so the
// sandbox answers only what is addressed to it: a Host other than 127.0.0.1:PORT, localhost:PORT
// (or [::1]:PORT when it listens there) gets 421, a request with a foreign Origin header 403.
// The control endpoints (POST /sandbox/events, GET /sandbox/receiver/<name>/events) also need the
// run's random controlToken() in the X-Sandbox-Token header (403 without it); the demo receiver
// itself (GET/POST /sandbox/receiver/<name>) plays a webhook and is called like one. JSON bodies
// must be sent as application/json (415), and no body may be larger than
// SandboxLimits::requestBodyBytes (413).
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
    // A fresh random value per server, for the X-Sandbox-Token header of the control endpoints.
    QByteArray controlToken() const;

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
    // Also accept http://127.0.0.1:PORT/... and http://[::1]:PORT/... webhook URLs (default true).
    void setLenientLoopbackUrls(bool lenient);
    // Answer oauth/request_token and oauth/access_token the way X does: form data labelled
    // text/html, with a trailing newline. Default false: application/x-www-form-urlencoded.
    void setXStyleTokenAnswers(bool xStyle);

    SandboxLimits limits() const;
    void setLimits(const SandboxLimits &limits); // trims what is kept beyond the new sizes at once

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
    friend class FrontDoor;
    friend class HttpFrontEnd;
    using ExchangePtr = std::shared_ptr<Exchange>;

    void registerRoutes();
    void dispatch(const ExchangePtr &ex);
    // Host, Origin and body size: false when the request was refused (and answered).
    bool admit(const ExchangePtr &ex);
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
    void handleRetiredReplay(const ExchangePtr &ex);
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

    // A body that passed the limit before it was read in: journals and answers 413 on the socket.
    void refuseOversizedBody(QTcpSocket *socket, const QByteArray &method, const QString &path,
                             qint64 unsentBytes);

    std::unique_ptr<SandboxState> m_state;
    std::unique_ptr<HttpFrontEnd> m_http;
    bool m_tls = false;
};

} // namespace activity::sandbox

Q_DECLARE_METATYPE(activity::sandbox::JournalEntry)
Q_DECLARE_METATYPE(activity::sandbox::DeliveryRecord)
Q_DECLARE_METATYPE(activity::sandbox::ReceivedEvent)
