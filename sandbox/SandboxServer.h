#pragma once

#include "ActivityEventTypes.h"
#include "ApiTypes.h"
#include "FaultInjector.h"
#include "Journal.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace activity::sandbox {

class ActivityHandlers;
class ActivityStreamHandlers;
class Authenticator;
class Courier;
class EventDeliveryHandlers;
class HandlerGroup;
class HttpFrontEnd;
class RateLimiter;
class Router;
class World;

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
    qsizetype activityEvents = 10000; // X Activity API events made (for the stream)
    qsizetype nonces = 20000; // OAuth nonces remembered against replays (5-minute window)
    qint64 requestBodyBytes = 1024 * 1024; // larger bodies: 413, without reading them in
};

// One X Activity API event the sandbox made for one subscription (x-api-2026.md §4.6): posted to
// the subscription's webhook when it has a valid one, and kept for the stream.
struct ActivityEventRecord
{
    QString eventUuid;
    QString subscriptionId;
    QString eventType; // canonical
    QString webhookId; // empty: stream only
    QString appId; // the subscription's app: its streams carry the event
    QDateTime at;
    QByteArray body; // the envelope {"data":{...}}, as delivered
};

// An OAuth 2.0 grant made by SandboxServer::issueOAuth2Token(), as the token endpoint would answer it.
struct IssuedOAuth2Token
{
    QByteArray accessToken; // empty: unknown user or client
    QByteArray refreshToken; // only with offline.access
    QStringList scopes; // sorted
};

// Which documented answer shape the X Activity API's create, update and delete use
// (x-api-2026.md §4.2, §4.4 tables), so client tests can meet each. The list answer is always the
// reference's emulator choice (data + meta with result_count, total_subscriptions, next_token).
enum class ActivityAnswerShape {
    Spec2167, // {"data":{"subscription":{..}}}, update adds data.total_subscriptions, delete
              // {"data":{"deleted":true}}
    Spec2166, // 2.167's plus data.total_subscriptions_for_instance_id and meta.total_subscriptions
    Quickstart, // create {"data":[{..}],"meta":{..}}, update the bare subscription as data, + meta
};

// How the demo receiver (/sandbox/receiver/<name>) answers a CRC GET, so that every item of the
// CRC doctor can be made to fail (the other faults — status, delay, drop — are FaultInjector's).
struct ReceiverCrcAnswer
{
    enum class Mode {
        Correct, // 200, application/json, the token made with the demo app's consumer secret
        OtherSecret, // the same, made with `secret` (another app's, or the OAuth 2.0 client secret)
        PlainText, // the right token, labelled text/plain
        Redirect, // 302 to the same path with "/moved" appended (never followed by X)
        GzipWhenAsked, // gzip-compressed and declared when the request accepts gzip: correct
        GzipDeclaredNotUsed, // Content-Encoding: gzip on a plain body
        GzipUndeclared, // gzip bytes without Content-Encoding
        GzipAlways, // compressed and declared even when the request asks for identity
    };
    Mode mode = Mode::Correct;
    QByteArray secret = {}; // OtherSecret only
};

// The header that carries SandboxServer::controlToken().
inline constexpr char sandboxTokenHeader[] = "X-Sandbox-Token";

// An emulated X Account Activity API server on a loopback address (v1.1 Enterprise and v2, OAuth
// 1.0a with real signature checks, OAuth 2 bearer, the 3-legged login pages, OAuth 2.0
// Authorization Code with PKCE, CRC, events, replay, rate limits, fault injection). In-memory state; usable
// in-process and by the activity-sandbox executable. Everything is asynchronous: CRC checks and deliveries
// never block a handler.
//
// Parts (internal headers in sandbox/; SandboxServer is the public facade that owns and wires them):
//  * World (World.h): the world state, what the emulated X holds (apps, users, tokens, webhooks,
//    subscribers, replay jobs, deliveries, received events, X Activity subscriptions and events,
//    the journal, the clock, the settings),
//    with the state half of the test API below; it reports through signals this class passes on.
//  * Router (Router.h): the route table and the pipeline every request takes: journal entry →
//    Host/Origin/body-size admission → fault injection hook (FaultInjector) → route match →
//    control token and content type → Authenticator → RateLimiter → handler → finish().
//  * Authenticator (Authenticator.h): OAuth 1.0a signatures recomputed over what arrived, nonces,
//    bearer tokens, and which credential (AuthNeed) a route takes.
//  * RateLimiter (RateLimiter.h): windows per rate-limit key and credential.
//  * FrontDoor / HttpFrontEnd (FrontDoor.h): the listening socket and QHttpServer underneath.
//  * Courier (Courier.h): outgoing calls: CRC GETs and signed event POSTs, loopback only.
//  * Handler groups (HandlerGroup.h), one per resource, each adding its routes to the router:
//    WebhookHandlers, SubscriptionHandlers, ReplayHandlers, UserHandlers (lookup, users/me),
//    OAuthHandlers (request/access token, oauth2/token), LoginPageHandlers (OAuth 1.0a's authorize
//    pages), OAuth2Handlers (/2/oauth2/token and revoke), OAuth2PageHandlers (OAuth 2.0's authorize
//    page), EventDeliveryHandlers (events to webhooks, the demo receiver, /sandbox control
//    endpoints) and ActivityHandlers (the X Activity API's /2/activity/subscriptions: create, list,
//    update, delete, bulk delete; x-api-2026.md §4; and its events, whose payloads ActivityEvents.h
//    makes, with POST /sandbox/activity/events), ActivityStreamHandlers (ActivityStream.h:
//    GET /2/activity/stream, a long-lived chunked answer started by Router::beginStream() and
//    written with the request's QHttpServerResponder::writeBody(); the test API below).
//    A new part of the API is a new handler group listed in the constructor, nothing more here.
//
// Names come from the endpoint catalogue (network/EndpointCatalogue.h): each route of a catalogued
// call names its Operation and ApiGeneration, and takes its method, path and rate-limit key from
// endpoints::find(op, generation).
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
//    X Activity API (/2/activity/subscriptions, no names documented, so the sandbox's): a body or
//    query that breaks the spec's rules is 400 invalid-request with "parameter" (and "value")
//    naming it (filter fields as filter.user_id); 403 unsupported-authentication for a private event
//    type with the app's Bearer token and for a user token on update/delete; 403 "Forbidden" with
//    missing_scopes for an OAuth 2.0 token without the type's scope; 403 not-authorized-for-resource
//    (resource_type user) for mute/block of another user than the token's; 403 usage-capped
//    SubscriptionLimitExceeded at the tier's limit; 404 resource-not-found WebhookIdInvalid for a
//    webhook_id not the app's, SubscriptionIdInvalid (resource_type subscription) for an unknown
//    subscription id; 409 conflict DuplicateActivitySubscription for the same type, filter and
//    webhook. Bulk delete reports unknown ids in errors[] {subscription_id, reason
//    "resource-not-found", message} next to data[] and meta.total_subscriptions.
//    A 2xx may carry "errors" next to "data" (users lookup with unknown ids).
//    Auth failures: 401 {"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"};
//    a credential of the wrong kind: 403 "Unsupported Authentication" (unsupported-authentication).
//  * 429 on both: {"errors":[{"code":88,"message":"Rate limit exceeded"}]}.
//  * GET /2/activity/stream: 400 invalid-request QueryParamInvalid with "parameter" and "value"
//    (backfill_minutes not 0-5, start_time/end_time not YYYY-MM-DDTHH:mm:ssZ, end before start);
//    a third connection of the app: 429 with the reference's body, byte for byte:
//    {"title":"ConnectionException","detail":"This stream is currently at the maximum allowed
//    connection limit.","connection_issue":"TooManyConnections","type":
//    "https://api.x.com/2/problems/streaming-connection"}.
//
// Rate-limit keys (setRateLimit) are the catalogue's: endpoints::find(op, generation)->rateLimitKey,
// e.g. "v1.1/webhooks.list", "v2/subscriptions.add", "v2/replay.webhooks", each starting at its
// documentedLimitPer15Min per 15 minutes. v1.1's POST users/lookup.json shares the GET's key; the
// OAuth endpoints, login pages and /sandbox/* are unrated. The X Activity API's are
// "v2/activity.subscriptions.create|list|update|delete" (500 per 15 minutes) whichever generation
// the client uses; its bulk delete has no documented limit and is unrated; the stream's is
// "v2/activity.stream" (450 per 15 minutes, counted per connection attempt). Pools are per key and
// per credential (the app for bearer calls, the token for user-context calls). Headers
// x-rate-limit-limit/-remaining/-reset come with every answer that passed authentication.
//
// Any program on the machine, a web page in a browser included, can reach a loopback port, so the
// sandbox answers only what is addressed to it: a Host other than 127.0.0.1:PORT, localhost:PORT
// (or [::1]:PORT when it listens there) gets 421, a request with a foreign Origin header 403.
// The control endpoints (POST /sandbox/events, POST /sandbox/activity/events,
// GET /sandbox/receiver/<name>/events, POST /sandbox/oauth2/redirect-uris) also need the
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
    // `rateLimitKey`: the catalogue's, endpoints::find(op, generation)->rateLimitKey. A new rule
    // starts a fresh window.
    void setRateLimit(const QString &rateLimitKey, int limit, std::chrono::seconds window);
    void setCrcTimeout(std::chrono::milliseconds timeout); // default 3 s
    void setDeliveryTimeout(std::chrono::milliseconds timeout); // default 10 s
    // Also accept http://127.0.0.1:PORT/... and http://[::1]:PORT/... webhook URLs (default true).
    void setLenientLoopbackUrls(bool lenient);
    // How the demo receiver answers CRC GETs (default: correctly).
    void setReceiverCrcAnswer(const ReceiverCrcAnswer &answer);
    // Lets the server answer requests addressed to `host` (no port: as https://host/ on 443 would
    // be), for a client that routes that name here through a stand-in host table. Returns the
    // table's entry, "host=127.0.0.1:PORT" (the CRC doctor's ACTIVITY_CRC_DOCTOR_HOSTS). After listen().
    QString addPublicName(const QString &host);
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

    // --- OAuth 2.0 user sign-in (x-api-2026.md §5; seedDemo() makes the demo app's two clients,
    // demo::oauth2ClientId with its secret and the public demo::oauth2PublicClientId, both with the
    // redirect URI demo::oauth2RedirectUri) ---
    // Registers one more redirect URI for a client (a loopback listener's
    // http://127.0.0.1:PORT/callback); it must then be sent exactly so. false: unknown client.
    // A standalone sandbox does the same for POST /sandbox/oauth2/redirect-uris with the run's
    // X-Sandbox-Token and {"client_id":"..","redirect_uri":".."}.
    bool addOAuth2RedirectUri(const QByteArray &clientId, const QString &redirectUri);
    // Ends every OAuth 2.0 grant of the user (access and refresh tokens), as if they removed the app
    // at x.com/settings/connected_apps. Returns how many grants ended.
    int revokeOAuth2Grants(const QString &userId);
    // How many requests POST /2/oauth2/token received naming this grant_type ("authorization_code",
    // "refresh_token", ...), whatever the answer.
    int oauth2TokenRequests(const QString &grantType) const;
    // A grant made directly, without the authorize page and the code exchange: `scopes` as given
    // (not checked), for `clientId` (empty: demo::oauth2ClientId).
    IssuedOAuth2Token issueOAuth2Token(const QString &userId, const QStringList &scopes,
                                       const QByteArray &clientId = {});
    // The scopes granted to a live access token; empty when it is unknown, expired or revoked.
    QStringList oauth2Scopes(const QByteArray &accessToken) const;

    // Posts one synthetic event for `forUserId` to every valid webhook the user is subscribed to,
    // signed with x-twitter-webhooks-signature. `eventKey` is favorite_events, follow_events,
    // direct_message_events, tweet_create_events, block_events, mute_events, ...; `items` replaces
    // the generated array when given. Returns the number of webhooks it is sent to.
    // Also reachable as POST /sandbox/events {"for_user_id":"..","event":"favorite_events"}.
    int deliverEvent(const QString &forUserId, const QString &eventKey, const QJsonValue &items = {});

    // --- X Activity API (x-api-2026.md §4) ---
    void setActivityTier(activity::xaa::Tier tier); // default Enterprise
    activity::xaa::Tier activityTier() const;
    void setActivityAnswerShape(ActivityAnswerShape shape); // default Spec2167
    QList<activity::ActivitySubscription> activitySubscriptions() const; // creation order
    std::optional<activity::ActivitySubscription> activitySubscription(const QString &id) const;
    // Directly, no auth/checks/limit; any accepted event-type spelling; returns the new id (empty
    // for an unknown event type). The subscription belongs to the demo app.
    QString addActivitySubscription(const activity::ActivitySubscriptionRequest &request);
    // `count` generated subscriptions (public types cycling, generated numeric user ids, tag
    // "bench-N"), for benchmarks; ignores the tier limit.
    void addActivitySubscriptions(int count, const QString &webhookId = {});
    // One event for each subscription of `eventType` (any accepted spelling) whose filter matches
    // `filter` (an empty field matches anything; a subscription without direction takes both);
    // `payload` replaces the generated one (and drops the generated includes) when not empty.
    // Posted signed (x-twitter-webhooks-signature, as AAA deliveries; in deliveries() with eventKey =
    // the event type and forUserId = the subscription's filter.user_id) to the subscription's webhook
    // when it has a valid one, and kept in activityEvents() (a ring of SandboxLimits::activityEvents).
    // Returns how many events were made. Also POST /sandbox/activity/events with the run's
    // X-Sandbox-Token and {"event_type":..,"user_id"?,"keyword"?,"direction"?,"payload"?:{..}} or
    // {"all":true}, answering {"emitted":N}.
    int emitActivityEvent(const QString &eventType, const activity::ActivityFilter &filter = {},
                          const QJsonObject &payload = {});
    int emitActivityEventsForAll(); // one generated event per subscription (demo traffic)
    QList<ActivityEventRecord> activityEvents() const;

    // --- the X Activity stream, GET /2/activity/stream (x-api-2026.md §4.5; the emulator's
    // choices): every event made for the app (emitActivityEvent, emitActivityEventsForAll, POST
    // /sandbox/activity/events) goes at once to each of the app's open streams, one envelope per
    // line ending in \r\n; a bare \r\n after each heartbeat interval without a write. Query:
    // backfill_minutes (0-5) sends the kept events of the last N minutes (sandbox clock) first;
    // start_time/end_time the kept events in that window (start_time wins over backfill; neither:
    // no backlog), then live ones up to end_time, then the answer ends (at once for an end_time
    // not after now). Faults for client tests: ---
    void setActivityStreamHeartbeat(std::chrono::milliseconds interval); // default 20 s, all streams
    int openActivityStreams() const; // connections now open (a closed one is gone at once)
    // Aborts every open stream's connection now, mid-answer (no final chunk); returns how many.
    int dropActivityStreams();
    // Stops every stream's events and heartbeats, the connections staying open; events made
    // meanwhile are held per stream and sent, in order, by resumeActivityStreams(); so is the end of
    // a bounded answer whose end_time passed meanwhile. New streams opened while stalled start
    // stalled too.
    void stallActivityStreams();
    void resumeActivityStreams();
    // The next `count` events that reach at least one stream are written twice in a row (same
    // event_uuid) to each stream that takes them.
    void duplicateNextActivityStreamEvents(int count);
    // Writes {"errors":[{"title":"operational-disconnect","disconnect_type":
    // "UpstreamOperationalDisconnect","detail":<detail>,"type":".../operational-disconnect"}]} as a
    // line to every open stream, then ends each answer (final chunk) and closes; returns how many.
    int disconnectActivityStreamsWithError(
        const QString &detail = QStringLiteral("This stream has been disconnected for operational reasons."));

Q_SIGNALS:
    void requestHandled(const activity::sandbox::JournalEntry &entry);
    void eventDelivered(const activity::sandbox::DeliveryRecord &record);
    void crcChecked(const QString &webhookId, bool passed);
    void replayFinished(const QString &jobId, const QString &webhookId, bool complete);
    void receiverEventReceived(const activity::sandbox::ReceivedEvent &event);
    void activityEventEmitted(const activity::sandbox::ActivityEventRecord &record);

private:
    std::unique_ptr<World> m_world;
    std::unique_ptr<Authenticator> m_authenticator;
    std::unique_ptr<RateLimiter> m_rateLimiter;
    std::unique_ptr<Router> m_router;
    std::unique_ptr<Courier> m_courier;
    std::vector<std::unique_ptr<HandlerGroup>> m_handlerGroups;
    EventDeliveryHandlers *m_events = nullptr; // in m_handlerGroups; serves deliverEvent()
    ActivityHandlers *m_activity = nullptr; // in m_handlerGroups; serves emitActivityEvent()
    ActivityStreamHandlers *m_stream = nullptr; // in m_handlerGroups; the stream's test API
    std::unique_ptr<HttpFrontEnd> m_http;
    QSslConfiguration m_tls; // null: plain http
};

} // namespace activity::sandbox

Q_DECLARE_METATYPE(activity::sandbox::JournalEntry)
Q_DECLARE_METATYPE(activity::sandbox::DeliveryRecord)
Q_DECLARE_METATYPE(activity::sandbox::ReceivedEvent)
Q_DECLARE_METATYPE(activity::sandbox::ActivityEventRecord)
