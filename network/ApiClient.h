#pragma once

#include "ApiCall.h"
#include "ApiTypes.h"
#include "EndpointCatalogue.h"
#include "OAuth2.h"
#include "RateLimits.h"
#include "Redaction.h"
#include "Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace activity {

class RequestLog;

struct ClientConfig
{
    // https; checked with validate::baseUrl.
    QUrl baseUrl {QStringLiteral("https://api.x.com")};
    // Plain http to a loopback address (validate::isLoopbackAddress): only for a sandbox profile
    // or a local test server the person confirmed, since every credential then travels in clear.
    bool allowInsecureLoopback = false;
    ApiGeneration generation = ApiGeneration::V2;
    std::chrono::milliseconds transferTimeout {15000};
    int maxAttempts = 3; // per idempotent GET; everything else is sent once
    std::chrono::milliseconds backoffBase {500}; // delay before retry n: base * 2^(n-1) + jitter(0..base)
    // "Now" in UTC for replay-window checks, OAuth timestamps and the log; empty: the system clock.
    std::function<QDateTime()> clock;
    // OAuth nonces; empty: 32 random alphanumerics. Tests make signatures reproducible with it.
    std::function<QByteArray()> nonce;
    // Larger answers are refused (MalformedResponse) instead of being buffered without bound.
    qint64 maxResponseBytes = 16 * 1024 * 1024;
    // Trusted in addition to the system's CAs (a test's self-signed sandbox, a company root).
    // Certificate verification itself is never turned off.
    QList<QSslCertificate> extraCaCertificates;
};

// The app's own credentials (developer portal "Keys and tokens").
struct AppCredentials
{
    QByteArray consumerKey;
    QByteArray consumerSecret;
    QByteArray ownerToken; // the app owner's access token: register, validate, delete (v1.1)
    QByteArray ownerTokenSecret;
    QByteArray bearerToken; // optional: fetched with oauth2/token when empty
    // OAuth 2.0 user sign-in (x-api-2026.md §5): the client id, and the secret of a confidential
    // client (empty for a public one).
    QByteArray oauth2ClientId = {};
    QByteArray oauth2ClientSecret = {};
};

// A subscribing user's access token (3-legged OAuth): subscribe, check, unsubscribe-self.
struct UserCredentials
{
    QByteArray token; // OAuth 1.0a; empty when the user signed in with OAuth 2.0 only
    QByteArray tokenSecret;
    QString userId;
    QString username;
    // The OAuth 2.0 sign-in (access token, granted scopes, expiry, refresh token); empty without one.
    // Its access token is used instead of the OAuth 1.0a token wherever the endpoint takes it with
    // the granted scopes; refreshing it is the caller's business (services/OAuth2Tokens).
    oauth2::Token oauth2 = {};

    bool hasOAuth1() const { return !token.isEmpty(); }
    bool hasOAuth2() const { return !oauth2.accessToken.isEmpty(); }
};

// The typed client of the Account Activity API, for one app and one API generation, over an
// injected QNetworkAccessManager. Every method checks what it can before sending (URL, ids,
// replay window), returns the call object (abortable), and invokes `done` exactly once, unless
// `context` is destroyed first. A 2xx that also carries v2 "errors" arrives as a success whose
// Result::partialErrors() lists them. Calls still running when the client is destroyed end silently.
//
// App-only calls use the configured bearer token, or fetch one with oauth2/token once (calls made
// meanwhile wait for that single fetch) and keep it for the client's lifetime; an "Invalid or
// expired token" (89) answer drops it so the next call fetches a fresh one.
class ApiClient : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Callback = std::function<void(const Result<T> &)>;

    // `log` may be shared between clients; when null the client keeps its own.
    ApiClient(QNetworkAccessManager *network, ClientConfig config, AppCredentials credentials,
              RequestLog *log = nullptr, QObject *parent = nullptr);
    ~ApiClient() override;

    const ClientConfig &config() const { return m_config; }
    ApiGeneration generation() const { return m_config.generation; }
    // Set when the base URL was refused; every call then fails with it, and nothing is sent.
    std::optional<ApiError> configurationError() const { return m_configError; }
    RequestLog *requestLog() const { return m_log; }
    RateLimits *rateLimits() const { return m_rateLimits; }
    RateLimitState rateLimit(Operation op) const;
    bool hasBearerToken() const { return !m_bearerToken.isEmpty(); }
    // The app's Bearer token for a connection the client does not make itself (the X Activity
    // stream): the profile's, or one obtained with the consumer key and secret (POST
    // /oauth2/token) as for any app-only call. `done` runs once, unless `context` is gone.
    void withBearerToken(QObject *context, std::function<void(const Result<QByteArray> &)> done);
    // Not secret (it is in every authorize URL); the OAuth 2.0 sign-in needs it.
    QByteArray oauth2ClientId() const { return m_credentials.oauth2ClientId; }
    // The endpoint this client uses for `op`, or nullptr when its generation has none.
    const Endpoint *endpoint(Operation op) const;

    ApiCall *listWebhooks(QObject *context, Callback<QList<Webhook>> done);
    ApiCall *registerWebhook(const QString &url, QObject *context, Callback<Webhook> done);
    // true: the CRC passed (v1.1 204) or v2 reported valid; false: v2 reported not valid.
    ApiCall *validateWebhook(const QString &webhookId, QObject *context, Callback<bool> done);
    ApiCall *deleteWebhook(const QString &webhookId, QObject *context, Callback<Done> done);

    // Succeeds only when X confirms: v1.1 204, v2 {"data":{"subscribed":true}}; anything else is an
    // error (Kind::NotConfirmed when X answered 2xx but said otherwise).
    ApiCall *subscribe(const QString &webhookId, const UserCredentials &user, QObject *context,
                       Callback<Done> done);
    // true: subscribed. A "not subscribed" answer is false, not an error; unknown webhooks,
    // authentication and permission problems stay errors.
    ApiCall *checkSubscription(const QString &webhookId, const UserCredentials &user, QObject *context,
                               Callback<bool> done);
    ApiCall *subscriptionCount(QObject *context, Callback<SubscriptionCount> done);
    ApiCall *listSubscriptions(const QString &webhookId, QObject *context, Callback<SubscriptionList> done);
    // Succeeds only when X confirms: v1.1 204, v2 {"data":{"subscribed":false}}.
    ApiCall *unsubscribe(const QString &webhookId, const QString &userId, QObject *context,
                         Callback<Done> done);
    // v1.1 only (deprecated): the subscribed user removes their own subscription.
    ApiCall *unsubscribeSelf(const QString &webhookId, const UserCredentials &user, QObject *context,
                             Callback<Done> done);

    // The replay of this client's generation: v1.1 POST /1.1/account_activity/replay/... (5 days),
    // v2 POST /2/webhooks/replay (24 hours). The window is checked by validate::replayWindow first.
    ApiCall *replay(const QString &webhookId, const QDateTime &from, const QDateTime &to, QObject *context,
                    Callback<ReplayJob> done);

    // At most 100 ids per call (endpoints::maxUsersPerLookup); unknown users are left out.
    ApiCall *lookupUsers(const QStringList &userIds, QObject *context, Callback<QList<UserInfo>> done);
    // @names (with or without the @) to users, at most 100 per call: GET /2/users/by whichever
    // generation the client uses. Unknown names are left out (X names them in partial errors).
    ApiCall *lookupUsersByName(const QStringList &usernames, QObject *context,
                               Callback<QList<UserInfo>> done);

    // 3-legged OAuth, steps 1 and 3. `callback` is a registered callback URL or "oob".
    ApiCall *requestToken(const QString &callback, QObject *context, Callback<OAuthTokens> done);
    ApiCall *accessToken(const QByteArray &requestToken, const QByteArray &requestTokenSecret,
                         const QByteArray &verifier, QObject *context, Callback<OAuthTokens> done);

    // OAuth 2.0 user sign-in (OAuth2.h), with the profile's client id (and secret). The code
    // exchange names the scopes asked for, in case the answer does not list the granted ones.
    ApiCall *exchangeOAuth2Code(const QByteArray &code, const QUrl &redirectUri, const QByteArray &verifier,
                                const QStringList &requestedScopes, QObject *context,
                                Callback<oauth2::Token> done);
    ApiCall *refreshOAuth2Token(const QByteArray &refreshToken, QObject *context,
                                Callback<oauth2::Token> done);
    // An access or refresh token; X ends the whole grant either way.
    ApiCall *revokeOAuth2Token(const QByteArray &token, QObject *context, Callback<Done> done);
    // GET /2/users/me with the user's OAuth 2.0 token: whose sign-in it is.
    ApiCall *currentUser(const UserCredentials &user, QObject *context, Callback<UserInfo> done);

    // X Activity API (x-api-2026.md §4), the same whichever generation the client uses; every call
    // is checked first (ActivitySubscriptions.h). A create for a type that needs a user token
    // (xaa::needsUserToken: private, DM, like, mute, block) is signed with `user`'s OAuth 2.0 token,
    // which must hold the type's scope; any other with the app's Bearer token (`user` unused).
    ApiCall *createActivitySubscription(const ActivitySubscriptionRequest &request,
                                        const std::optional<UserCredentials> &user, QObject *context,
                                        Callback<ActivitySubscriptionChange> done);
    // One page; an empty token asks for the first. Pass the page's nextToken for the next one while
    // it is not empty. maxResults 0: X's default (1000); else 1 to 1000.
    ApiCall *listActivitySubscriptions(const QString &paginationToken, QObject *context,
                                       Callback<ActivitySubscriptionPage> done, int maxResults = 0);
    // Only the tag and the webhook can change; the rest needs delete and create.
    ApiCall *updateActivitySubscription(const QString &subscriptionId,
                                        const ActivitySubscriptionUpdate &update, QObject *context,
                                        Callback<ActivitySubscriptionChange> done);
    // Succeeds only when X says deleted:true (else Kind::NotConfirmed).
    ApiCall *deleteActivitySubscription(const QString &subscriptionId, QObject *context,
                                        Callback<ActivityDeleteResult> done);
    // 1 to 100 ids (endpoints::maxActivityIdsPerDelete); ids X could not delete are listed in the
    // result's errors, not reported as a failure of the call.
    ApiCall *deleteActivitySubscriptions(const QStringList &subscriptionIds, QObject *context,
                                         Callback<ActivityBulkDeleteResult> done);

    // Which credential a call of `endpoint` for `user` is signed with: OAuth2User when the endpoint
    // takes an OAuth 2.0 token and the user's has every scope it needs (the endpoint's, plus
    // `callScopes` where the call decides them: X Activity create), else the endpoint's own; an
    // error (kind MissingCredentials, name "missing_scope") that names what is missing when the
    // user has no usable credential for it. Nothing is sent on an error.
    static Result<CredentialKind> userCredentialFor(const Endpoint &endpoint, const UserCredentials &user,
                                                    const QStringList &callScopes = {});

Q_SIGNALS:
    void rateLimitChanged(activity::Operation op);

private:
    template<typename T> using Interpreter = std::function<Result<T>(const ApiReply &)>;

    template<typename T>
    ApiCall *call(Operation op, RequestParams params, std::optional<UserCredentials> user,
                  std::optional<ApiError> precheck, QObject *context, Callback<T> done,
                  Interpreter<T> interpret, ApiCall::SecretExtractor answerSecrets = {},
                  const QStringList &callScopes = {});
    ApiCall *createCall(const Endpoint &endpoint);
    void dispatch(ApiCall *call, const Endpoint &endpoint, RequestParams params,
                  std::optional<UserCredentials> user);
    RequestCredentials credentialsFor(const Endpoint &endpoint,
                                      const std::optional<UserCredentials> &user) const;
    void fetchBearerToken();
    void bearerTokenArrived(const Result<QByteArray> &token);
    void forgetBearerToken();
    QDateTime now() const;
    std::optional<ApiError> checkWebhookId(const QString &id) const;
    bool baseIsLoopback() const;

    QPointer<QNetworkAccessManager> m_network;
    ClientConfig m_config;
    AppCredentials m_credentials;
    std::optional<ApiError> m_configError;
    RequestLog *m_log = nullptr;
    RateLimits *m_rateLimits = nullptr;
    SecretScrubber m_scrubber;
    QByteArray m_bearerToken;
    bool m_bearerFetchRunning = false;
    struct Waiting
    {
        QPointer<ApiCall> call;
        std::function<void()> send;
    };
    QList<Waiting> m_waitingForBearer;
    struct BearerWaiter
    {
        QPointer<QObject> context;
        std::function<void(const Result<QByteArray> &)> done;
    };
    QList<BearerWaiter> m_bearerWaiters;
};

} // namespace activity
