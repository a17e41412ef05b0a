#include "ApiClient.h"
#include "ApiClientCall.h"

#include "ErrorCatalogue.h"
#include "NetworkLogging.h"
#include "Parsers.h"
#include "RequestLog.h"
#include "Validation.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QRegularExpression>

namespace activity {

namespace {

using clientdetail::doneUnlessError;
using clientdetail::parsedWith;
using clientdetail::validationError;
// The token pair of an OAuth token answer, for the scrubber (ApiCall::setAnswerSecrets).
ApiCall::SecretExtractor tokensIn(Result<OAuthTokens> (*parser)(const QByteArray &))
{
    return [parser](const ApiReply &reply) {
        QList<QByteArray> secrets;
        if (const Result<OAuthTokens> tokens = parser(reply.body))
            secrets << tokens.value().token << tokens.value().tokenSecret;
        return secrets;
    };
}

// Subscribe and unsubscribe succeed only when X says so: v1.1 answers 204 (nothing to read); v2
// must say {"data":{"subscribed":true}} after a subscribe and false after an unsubscribe.
Result<Done> confirmedSubscription(const ApiReply &reply, ApiGeneration generation, bool expectSubscribed)
{
    const Result<Done> done = doneUnlessError(reply);
    if (!done || generation == ApiGeneration::V1_1)
        return done;
    const QString action = expectSubscribed ? QStringLiteral("subscribe") : QStringLiteral("unsubscribe");
    ApiError error = ApiError::make(
        ApiError::Kind::NotConfirmed, {},
        QStringLiteral("Check the subscription (or refresh the list) to see the real state, then try "
                       "again."),
        reply.httpStatus);
    error.serverMessage = QString::fromUtf8(reply.body.left(500)).trimmed();
    if (reply.body.trimmed().isEmpty()) {
        error.cause =
            QStringLiteral("X answered the %1 with HTTP %2 but an empty body, so it did not confirm "
                           "the change.")
                .arg(action)
                .arg(reply.httpStatus);
        return error;
    }
    const Result<bool> subscribed = parse::subscribedFlag(reply.body);
    if (!subscribed)
        return subscribed.error();
    if (subscribed.value() == expectSubscribed)
        return Done {};
    error.cause = expectSubscribed
        ? QStringLiteral("X answered the subscribe with HTTP %1 but says the user is not subscribed "
                         "(\"subscribed\": false).")
              .arg(reply.httpStatus)
        : QStringLiteral("X answered the unsubscribe with HTTP %1 but says the user is still subscribed "
                         "(\"subscribed\": true).")
              .arg(reply.httpStatus);
    const QList<ApiError> reported = errors::partialErrors(reply.httpStatus, reply.body);
    if (!reported.isEmpty())
        error.cause += QStringLiteral(" X also reported: %1").arg(reported.first().text());
    return error;
}
} // namespace

ApiClient::ApiClient(QNetworkAccessManager *network, ClientConfig config, AppCredentials credentials,
                     RequestLog *log, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_config(std::move(config))
    , m_credentials(std::move(credentials))
    , m_log(log ? log : new RequestLog(this))
    , m_rateLimits(new RateLimits(m_config.generation, this))
    , m_bearerToken(m_credentials.bearerToken)
{
    const Result<QUrl> base = validate::baseUrl(m_config.baseUrl.toString(), m_config.allowInsecureLoopback);
    if (base)
        m_config.baseUrl = base.value();
    else
        m_configError = base.error();
    m_config.maxAttempts = qMax(1, m_config.maxAttempts);

    m_scrubber.add(m_credentials.consumerSecret);
    m_scrubber.add(m_credentials.ownerToken);
    m_scrubber.add(m_credentials.ownerTokenSecret);
    m_scrubber.add(m_credentials.bearerToken);
    m_scrubber.add(m_credentials.oauth2ClientSecret);

    connect(m_rateLimits, &RateLimits::changed, this, &ApiClient::rateLimitChanged);
}

ApiClient::~ApiClient()
{
    // Calls are children; they must go before the members they borrow (log, limits, scrubber).
    const QList<ApiCall *> calls = findChildren<ApiCall *>(Qt::FindDirectChildrenOnly);
    for (ApiCall *call : calls) {
        call->disconnect();
        delete call;
    }
}

RateLimitState ApiClient::rateLimit(Operation op) const
{
    return m_rateLimits->state(op);
}

const Endpoint *ApiClient::endpoint(Operation op) const
{
    return endpoints::find(op, m_config.generation);
}

QDateTime ApiClient::now() const
{
    return m_config.clock ? m_config.clock().toUTC() : QDateTime::currentDateTimeUtc();
}

bool ApiClient::baseIsLoopback() const
{
    return validate::isLoopbackAddress(m_config.baseUrl.host());
}

std::optional<ApiError> ApiClient::checkWebhookId(const QString &id) const
{
    return validate::numericId(id, QStringLiteral("webhook id"));
}

ApiCall *ApiClient::createCall(const Endpoint &endpoint)
{
    CallEnvironment env;
    env.network = m_network;
    env.log = m_log;
    env.rateLimits = m_rateLimits;
    env.scrubber = &m_scrubber;
    env.transferTimeout = m_config.transferTimeout;
    env.maxAttempts = m_config.maxAttempts;
    env.backoffBase = m_config.backoffBase;
    env.clock = m_config.clock;
    env.maxResponseBytes = m_config.maxResponseBytes;
    env.extraCaCertificates = m_config.extraCaCertificates;
    return new ApiCall(endpoint, std::move(env), this);
}

void ApiClient::dispatch(ApiCall *call, const Endpoint &endpoint, RequestParams params,
                         std::optional<UserCredentials> user)
{
    if (user) {
        m_scrubber.add(user->token);
        m_scrubber.add(user->tokenSecret);
        m_scrubber.add(user->oauth2.accessToken);
    }
    auto send = [this, call, endpoint, params = std::move(params), user = std::move(user)]() {
        call->start([this, endpoint, params, user]() -> Result<HttpRequest> {
            return requests::build(endpoint, m_config.baseUrl, params, credentialsFor(endpoint, user));
        });
    };

    // "Invalid or expired token" (89; v2 says only 401) means the bearer token is no good any more.
    if (endpoint.credential == CredentialKind::AppOnly) {
        connect(call, &ApiCall::replied, this, [this](const ApiReply &reply) {
            if (reply.error.code == 89 || reply.httpStatus == 401)
                forgetBearerToken();
        });
    }

    if (endpoint.credential != CredentialKind::AppOnly || !m_bearerToken.isEmpty()) {
        send();
        return;
    }
    if (m_credentials.consumerKey.isEmpty() || m_credentials.consumerSecret.isEmpty()) {
        call->fail(requests::missingCredentials(CredentialKind::AppOnly, endpoint.name));
        return;
    }
    m_waitingForBearer.append({call, std::move(send)});
    fetchBearerToken();
}

RequestCredentials ApiClient::credentialsFor(const Endpoint &endpoint,
                                             const std::optional<UserCredentials> &user) const
{
    RequestCredentials c;
    c.kind = endpoint.credential;
    c.consumerKey = m_credentials.consumerKey;
    c.consumerSecret = m_credentials.consumerSecret;
    switch (endpoint.credential) {
    case CredentialKind::AppOwner:
        c.token = m_credentials.ownerToken;
        c.tokenSecret = m_credentials.ownerTokenSecret;
        break;
    case CredentialKind::SubscribingUser:
    case CredentialKind::RequestToken:
        if (user) {
            c.token = user->token;
            c.tokenSecret = user->tokenSecret;
        }
        break;
    case CredentialKind::AppOnly:
        c.bearerToken = m_bearerToken;
        break;
    case CredentialKind::OAuth2User:
        if (user)
            c.oauth2AccessToken = user->oauth2.accessToken;
        break;
    case CredentialKind::OAuth2Client:
        c.clientId = m_credentials.oauth2ClientId;
        c.clientSecret = m_credentials.oauth2ClientSecret;
        break;
    case CredentialKind::ConsumerBasic:
    case CredentialKind::ConsumerOnly:
    case CredentialKind::None:
        break;
    }
    if (m_config.clock) {
        const auto clock = m_config.clock;
        c.clock = [clock] { return clock().toSecsSinceEpoch(); };
    }
    c.nonce = m_config.nonce;
    return c;
}

void ApiClient::fetchBearerToken()
{
    if (m_bearerFetchRunning)
        return;
    m_bearerFetchRunning = true;
    const Endpoint *endpoint = endpoints::find(Operation::BearerToken, m_config.generation);
    ApiCall *fetch = createCall(*endpoint);
    fetch->setAnswerSecrets([](const ApiReply &reply) {
        QList<QByteArray> secrets;
        if (const Result<QByteArray> token = parse::bearerToken(reply.body))
            secrets << token.value();
        return secrets;
    });
    connect(fetch, &ApiCall::replied, this, [this](const ApiReply &reply) {
        if (!reply.ok()) {
            bearerTokenArrived(reply.error);
            return;
        }
        bearerTokenArrived(parse::bearerToken(reply.body));
    });
    fetch->start([this, endpoint]() -> Result<HttpRequest> {
        return requests::build(*endpoint, m_config.baseUrl, requests::bearerToken(),
                               credentialsFor(*endpoint, {}));
    });
}

void ApiClient::withBearerToken(QObject *context, std::function<void(const Result<QByteArray> &)> done)
{
    if (!m_bearerToken.isEmpty())
        return done(m_bearerToken);
    if (m_credentials.consumerKey.isEmpty() || m_credentials.consumerSecret.isEmpty()) {
        const Endpoint *endpoint = endpoints::find(Operation::ActivityStream, m_config.generation);
        return done(requests::missingCredentials(
            CredentialKind::AppOnly, endpoint ? endpoint->name : QStringLiteral("activity.stream")));
    }
    m_bearerWaiters.append({context, std::move(done)});
    fetchBearerToken();
}

void ApiClient::bearerTokenArrived(const Result<QByteArray> &token)
{
    m_bearerFetchRunning = false;
    const QList<Waiting> waiting = std::exchange(m_waitingForBearer, {});
    const QList<BearerWaiter> waiters = std::exchange(m_bearerWaiters, {});
    if (token && !token.value().isEmpty()) {
        m_bearerToken = token.value();
        m_scrubber.add(m_bearerToken);
        for (const Waiting &w : waiting) {
            if (w.call && !w.call->isFinished())
                w.send();
        }
        for (const BearerWaiter &w : waiters) {
            if (w.context)
                w.done(m_bearerToken);
        }
        return;
    }
    ApiError error = token ? ApiError() : token.error();
    if (error.kind == ApiError::Kind::None)
        error.kind = ApiError::Kind::MalformedResponse;
    error.cause = QStringLiteral("Could not obtain an app-only bearer token: %1")
                      .arg(error.cause.isEmpty() ? QStringLiteral("the answer held none.") : error.cause);
    for (const Waiting &w : waiting) {
        if (w.call && !w.call->isFinished())
            w.call->fail(error);
    }
    for (const BearerWaiter &w : waiters) {
        if (w.context)
            w.done(error);
    }
}

void ApiClient::forgetBearerToken()
{
    if (m_bearerToken.isEmpty())
        return;
    qCInfo(lcNet) << "The bearer token was refused as invalid or expired; it will be requested again.";
    m_bearerToken.clear();
}

// ---- Webhooks -------------------------------------------------------------------------------

ApiCall *ApiClient::listWebhooks(QObject *context, Callback<QList<Webhook>> done)
{
    return call<QList<Webhook>>(Operation::ListWebhooks, requests::none(), std::nullopt, std::nullopt,
                                context, std::move(done), parsedWith(&parse::webhookList));
}

ApiCall *ApiClient::registerWebhook(const QString &url, QObject *context, Callback<Webhook> done)
{
    const auto policy =
        baseIsLoopback() ? validate::UrlPolicy::AllowLoopbackHttp : validate::UrlPolicy::XRules;
    return call<Webhook>(Operation::RegisterWebhook,
                         requests::registerWebhook(m_config.generation, url.trimmed()), std::nullopt,
                         validate::webhookUrl(url, policy, m_config.generation), context, std::move(done),
                         parsedWith(&parse::webhook));
}

ApiCall *ApiClient::validateWebhook(const QString &webhookId, QObject *context, Callback<bool> done)
{
    return call<bool>(Operation::ValidateWebhook, requests::webhook(webhookId), std::nullopt,
                      checkWebhookId(webhookId), context, std::move(done),
                      parsedWith(&parse::validateResult));
}

ApiCall *ApiClient::deleteWebhook(const QString &webhookId, QObject *context, Callback<Done> done)
{
    return call<Done>(
        Operation::DeleteWebhook, requests::webhook(webhookId), std::nullopt, checkWebhookId(webhookId),
        context, std::move(done), [](const ApiReply &reply) -> Result<Done> {
            if (!reply.ok())
                return reply.error;
            const Result<bool> deleted = parse::deleteResult(reply.body);
            if (!deleted)
                return deleted.error();
            if (!deleted.value()) {
                return ApiError::make(ApiError::Kind::MalformedResponse,
                                      QStringLiteral("X answered that the webhook was not deleted."),
                                      QStringLiteral("Refresh the list and try again."), reply.httpStatus);
            }
            return Done {};
        });
}

// ---- Subscriptions --------------------------------------------------------------------------

ApiCall *ApiClient::subscribe(const QString &webhookId, const UserCredentials &user, QObject *context,
                              Callback<Done> done)
{
    const ApiGeneration generation = m_config.generation;
    return call<Done>(
        Operation::Subscribe, requests::subscribe(generation, webhookId), user, checkWebhookId(webhookId),
        context, std::move(done),
        [generation](const ApiReply &reply) { return confirmedSubscription(reply, generation, true); });
}

ApiCall *ApiClient::checkSubscription(const QString &webhookId, const UserCredentials &user, QObject *context,
                                      Callback<bool> done)
{
    const ApiGeneration generation = m_config.generation;
    return call<bool>(Operation::CheckSubscription, requests::webhook(webhookId), user,
                      checkWebhookId(webhookId), context, std::move(done),
                      [generation](const ApiReply &reply) -> Result<bool> {
                          if (reply.ok()) {
                              // v1.1: 204 means subscribed; v2: {"data":{"subscribed":b}}.
                              if (reply.httpStatus == 204 || reply.body.trimmed().isEmpty())
                                  return true;
                              return parse::subscribedFlag(reply.body);
                          }
                          const ApiError &error = reply.error;
                          // "Not subscribed" arrives as a 4xx of the not-found family. An unknown
                          // webhook (WebhookIdInvalid, or 34 naming the webhook) is a real error.
                          if (error.kind != ApiError::Kind::NotFound)
                              return error;
                          if (error.name == QLatin1String("WebhookIdInvalid"))
                              return error;
                          if (error.code == 34 &&
                              error.serverMessage.contains(QLatin1String("Webhook"), Qt::CaseInsensitive))
                              return error;
                          if (generation == ApiGeneration::V2 &&
                              error.name != QLatin1String("SubscriptionNotFound") && !error.name.isEmpty())
                              return error;
                          return false;
                      });
}

ApiCall *ApiClient::subscriptionCount(QObject *context, Callback<SubscriptionCount> done)
{
    return call<SubscriptionCount>(Operation::SubscriptionCount, requests::none(), std::nullopt, std::nullopt,
                                   context, std::move(done), parsedWith(&parse::subscriptionCount));
}

ApiCall *ApiClient::listSubscriptions(const QString &webhookId, QObject *context,
                                      Callback<SubscriptionList> done)
{
    return call<SubscriptionList>(Operation::ListSubscriptions, requests::webhook(webhookId), std::nullopt,
                                  checkWebhookId(webhookId), context, std::move(done),
                                  parsedWith(&parse::subscriptionList));
}

ApiCall *ApiClient::unsubscribe(const QString &webhookId, const QString &userId, QObject *context,
                                Callback<Done> done)
{
    std::optional<ApiError> precheck = checkWebhookId(webhookId);
    if (!precheck)
        precheck = validate::numericId(userId, QStringLiteral("user id"));
    const ApiGeneration generation = m_config.generation;
    return call<Done>(Operation::UnsubscribeUser, requests::unsubscribeUser(webhookId, userId), std::nullopt,
                      precheck, context, std::move(done), [generation](const ApiReply &reply) {
                          return confirmedSubscription(reply, generation, false);
                      });
}

ApiCall *ApiClient::unsubscribeSelf(const QString &webhookId, const UserCredentials &user, QObject *context,
                                    Callback<Done> done)
{
    return call<Done>(Operation::UnsubscribeSelf, requests::webhook(webhookId), user,
                      checkWebhookId(webhookId), context, std::move(done), &doneUnlessError);
}

// ---- Replay ---------------------------------------------------------------------------------

ApiCall *ApiClient::replay(const QString &webhookId, const QDateTime &from, const QDateTime &to,
                           QObject *context, Callback<ReplayJob> done)
{
    const ApiGeneration generation = m_config.generation;
    std::optional<ApiError> precheck = checkWebhookId(webhookId);
    if (!precheck)
        precheck = validate::replayWindow(generation, from, to, now());
    RequestParams params = generation == ApiGeneration::V1_1
        ? requests::replayAccountActivity(webhookId, from, to)
        : requests::replayWebhooks(webhookId, from, to);
    return call<ReplayJob>(endpoints::replayOperation(generation), std::move(params), std::nullopt, precheck,
                           context, std::move(done), parsedWith(&parse::replayJob));
}

// ---- Users ----------------------------------------------------------------------------------

ApiCall *ApiClient::lookupUsersByName(const QStringList &usernames, QObject *context,
                                      Callback<QList<UserInfo>> done)
{
    std::optional<ApiError> precheck;
    QStringList names;
    for (const QString &name : usernames)
        names.append(name.startsWith(QLatin1Char('@')) ? name.mid(1) : name);
    if (names.isEmpty() || names.size() > endpoints::maxUsersPerLookup) {
        precheck = validationError(
            QStringLiteral("A username lookup takes 1 to %1 names; %2 were given.")
                .arg(endpoints::maxUsersPerLookup)
                .arg(names.size()),
            QStringLiteral("Look the names up in batches of at most %1.").arg(endpoints::maxUsersPerLookup));
    }
    // X's usernames: 1 to 15 letters, digits and underscores.
    static const QRegularExpression usernamePattern(QStringLiteral("^[A-Za-z0-9_]{1,15}$"));
    for (const QString &name : std::as_const(names)) {
        if (precheck)
            break;
        if (!usernamePattern.match(name).hasMatch())
            precheck =
                validationError(QStringLiteral("'%1' is not an X username.").arg(name),
                                QStringLiteral("Give @name with 1 to 15 letters, digits or underscores, "
                                               "or the numeric user id."));
    }
    return call<QList<UserInfo>>(Operation::UsersByUsername, requests::usersByUsername(names), std::nullopt,
                                 precheck, context, std::move(done),
                                 [](const ApiReply &reply) -> Result<QList<UserInfo>> {
                                     if (!reply.ok())
                                         return reply.error;
                                     return parse::users(reply.body);
                                 });
}

ApiCall *ApiClient::lookupUsers(const QStringList &userIds, QObject *context, Callback<QList<UserInfo>> done)
{
    std::optional<ApiError> precheck;
    if (userIds.isEmpty() || userIds.size() > endpoints::maxUsersPerLookup) {
        precheck = validationError(
            QStringLiteral("A user lookup takes 1 to %1 ids; %2 were given.")
                .arg(endpoints::maxUsersPerLookup)
                .arg(userIds.size()),
            QStringLiteral("Look the users up in batches of at most %1.").arg(endpoints::maxUsersPerLookup));
    }
    for (const QString &id : userIds) {
        if (precheck)
            break;
        precheck = validate::numericId(id, QStringLiteral("user id"));
    }
    return call<QList<UserInfo>>(Operation::UsersLookup, requests::usersLookup(m_config.generation, userIds),
                                 std::nullopt, precheck, context, std::move(done),
                                 [](const ApiReply &reply) -> Result<QList<UserInfo>> {
                                     // v1.1 answers 404 when none of the ids is a known user.
                                     if (reply.httpStatus == 404)
                                         return QList<UserInfo>();
                                     if (!reply.ok())
                                         return reply.error;
                                     return parse::users(reply.body);
                                 });
}

// ---- OAuth ----------------------------------------------------------------------------------

ApiCall *ApiClient::requestToken(const QString &callback, QObject *context, Callback<OAuthTokens> done)
{
    std::optional<ApiError> precheck;
    if (callback.trimmed().isEmpty())
        precheck =
            validationError(QStringLiteral("The sign-in needs a callback URL (or \"oob\" for a PIN)."),
                            QStringLiteral("Register a callback URL in the app's settings and use it here."));
    return call<OAuthTokens>(Operation::RequestToken, requests::requestToken(callback.trimmed()),
                             std::nullopt, precheck, context, std::move(done),
                             parsedWith(&parse::requestToken), tokensIn(&parse::requestToken));
}

ApiCall *ApiClient::accessToken(const QByteArray &requestToken, const QByteArray &requestTokenSecret,
                                const QByteArray &verifier, QObject *context, Callback<OAuthTokens> done)
{
    std::optional<ApiError> precheck;
    if (verifier.trimmed().isEmpty())
        precheck = validationError(QStringLiteral("The sign-in returned no verifier (PIN)."),
                                   QStringLiteral("Start the sign-in again and approve the app."));
    m_scrubber.add(verifier);
    UserCredentials temporary;
    temporary.token = requestToken;
    temporary.tokenSecret = requestTokenSecret;
    return call<OAuthTokens>(Operation::AccessToken, requests::accessToken(verifier.trimmed()), temporary,
                             precheck, context, std::move(done), parsedWith(&parse::accessToken),
                             tokensIn(&parse::accessToken));
}

} // namespace activity
