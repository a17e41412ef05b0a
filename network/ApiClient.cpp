#include "ApiClient.h"
#include "ActivitySubscriptions.h"

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

ApiError validationError(const QString &cause, const QString &remedy)
{
    return ApiError::make(ApiError::Kind::Validation, cause, remedy);
}

template<typename T> ApiClient::Callback<T> orIgnore(ApiClient::Callback<T> done)
{
    return done ? std::move(done) : [](const Result<T> &) {};
}

// A 2xx answer's body through a parser; errors stay errors.
template<typename T>
std::function<Result<T>(const ApiReply &)> parsedWith(Result<T> (*parser)(const QByteArray &))
{
    return [parser](const ApiReply &reply) -> Result<T> {
        if (!reply.ok())
            return reply.error;
        return parser(reply.body);
    };
}

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

Result<Done> doneUnlessError(const ApiReply &reply)
{
    if (!reply.ok())
        return reply.error;
    // These answers carry nothing the console needs (204, "{}" or {"data":{...}}), but a body that
    // is not JSON at all (an HTML page behind a 200, a cut-off answer) leaves the outcome unknown.
    QJsonParseError parseError;
    if (!reply.body.trimmed().isEmpty() &&
        (QJsonDocument::fromJson(reply.body, &parseError), parseError.error != QJsonParseError::NoError)) {
        return ApiError::make(ApiError::Kind::MalformedResponse,
                              QStringLiteral("X answered HTTP %1 with a body that is not JSON, so it is "
                                             "unknown whether the change was made.")
                                  .arg(reply.httpStatus),
                              QStringLiteral("Refresh to see the current state, then try again if needed."),
                              reply.httpStatus);
    }
    return Done {};
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

template<typename T>
ApiCall *ApiClient::call(Operation op, RequestParams params, std::optional<UserCredentials> user,
                         std::optional<ApiError> precheck, QObject *context, Callback<T> done,
                         Interpreter<T> interpret, ApiCall::SecretExtractor answerSecrets,
                         const QStringList &callScopes)
{
    const Endpoint *catalogued = endpoints::find(op, m_config.generation);
    // The user's credential decides between OAuth 1.0a and 2.0 where an endpoint takes both; the call
    // carries the endpoint as signed, so the request log shows the credential really used.
    std::optional<Endpoint> signedAs;
    if (catalogued) {
        signedAs = *catalogued;
        if (user && !precheck) {
            const Result<CredentialKind> kind = userCredentialFor(*catalogued, *user, callScopes);
            if (kind) {
                signedAs->credential = kind.value();
                // The scopes the call was signed for, so that the request log shows them.
                if (kind.value() == CredentialKind::OAuth2User && catalogued->oauth2ScopesPerCall)
                    signedAs->oauth2Scopes =
                        oauth2::parseScopes(oauth2::joinScopes(catalogued->oauth2Scopes + callScopes));
            } else {
                precheck = kind.error();
            }
        }
    }
    const Endpoint *endpoint = signedAs ? &*signedAs : nullptr;
    // An operation the generation lacks still gets a call object, so the single result path holds.
    const Endpoint missingEndpoint {op,
                                    m_config.generation,
                                    QByteArray(),
                                    QString(),
                                    CredentialKind::None,
                                    ParamPlacement::None,
                                    0,
                                    false,
                                    QString(),
                                    0,
                                    QStringLiteral("unavailable")};
    ApiCall *call = createCall(endpoint ? *endpoint : missingEndpoint);
    call->setAnswerSecrets(std::move(answerSecrets));

    done = orIgnore(std::move(done));
    connect(call, &ApiCall::replied, context ? context : this, [done, interpret](const ApiReply &reply) {
        Result<T> result = interpret(reply);
        // "errors" next to "data" in a 2xx: the value stands, and the problems travel with it.
        if (result.ok() && reply.ok())
            result.setPartialErrors(errors::partialErrors(reply.httpStatus, reply.body));
        result.setHttpStatus(reply.httpStatus);
        done(result);
    });

    if (!endpoint) {
        call->fail(validationError(
            QStringLiteral("The %1 API has no endpoint for this operation.")
                .arg(endpoints::generationName(m_config.generation)),
            m_config.generation == ApiGeneration::V2
                ? QStringLiteral("Switch the profile to %1 to use it, or use the %2 alternative.")
                      .arg(endpoints::generationName(ApiGeneration::V1_1),
                           endpoints::generationName(ApiGeneration::V2))
                : QStringLiteral("Switch the profile to %1 to use it.")
                      .arg(endpoints::generationName(ApiGeneration::V2))));
        return call;
    }
    if (m_configError) {
        call->fail(*m_configError);
        return call;
    }
    if (precheck) {
        call->fail(*precheck);
        return call;
    }
    dispatch(call, *endpoint, std::move(params), std::move(user));
    return call;
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

void ApiClient::bearerTokenArrived(const Result<QByteArray> &token)
{
    m_bearerFetchRunning = false;
    const QList<Waiting> waiting = std::exchange(m_waitingForBearer, {});
    if (token && !token.value().isEmpty()) {
        m_bearerToken = token.value();
        m_scrubber.add(m_bearerToken);
        for (const Waiting &w : waiting) {
            if (w.call && !w.call->isFinished())
                w.send();
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

Result<CredentialKind> ApiClient::userCredentialFor(const Endpoint &endpoint, const UserCredentials &user,
                                                    const QStringList &callScopes)
{
    const bool takesOAuth2 = endpoint.credential == CredentialKind::OAuth2User ||
        !endpoint.oauth2Scopes.isEmpty() || endpoint.oauth2ScopesPerCall;
    if (!takesOAuth2 && endpoint.credential != CredentialKind::SubscribingUser)
        return endpoint.credential;
    const QString who =
        user.username.isEmpty() ? QStringLiteral("this account") : QStringLiteral("@%1").arg(user.username);
    if (!takesOAuth2) {
        if (!user.hasOAuth1() && user.hasOAuth2()) {
            ApiError error = ApiError::make(
                ApiError::Kind::MissingCredentials,
                QStringLiteral(
                    "%1 takes only an OAuth 1.0a user token, and %2 signed in with OAuth 2.0 only.")
                    .arg(endpoint.name, who),
                QStringLiteral(
                    "Sign %1 in with OAuth 1.0a (the PIN or callback sign-in), or use a v2 profile, "
                    "whose subscriptions take OAuth 2.0.")
                    .arg(who));
            error.name = QStringLiteral("oauth1_required");
            return error;
        }
        return endpoint.credential;
    }
    QStringList needed = endpoint.oauth2Scopes;
    if (endpoint.oauth2ScopesPerCall) {
        for (const QString &scope : callScopes) {
            if (!needed.contains(scope))
                needed.append(scope);
        }
    }
    const QStringList missing = oauth2::missingScopes(needed, user.oauth2.scopes);
    if (user.hasOAuth2() && missing.isEmpty())
        return CredentialKind::OAuth2User;
    if (endpoint.credential == CredentialKind::SubscribingUser && (user.hasOAuth1() || !user.hasOAuth2()))
        return CredentialKind::SubscribingUser;
    if (!user.hasOAuth2())
        return requests::missingCredentials(CredentialKind::OAuth2User, endpoint.name);
    // The ready-made scope set that has them all, for the remedy.
    QString preset = QStringLiteral("Everything the console uses");
    for (const oauth2::ScopePreset &candidate : oauth2::scopePresets()) {
        if (oauth2::missingScopes(needed, candidate.scopes).isEmpty()) {
            preset = candidate.title.section(QStringLiteral(" ("), 0, 0);
            break;
        }
    }
    ApiError error = ApiError::make(
        ApiError::Kind::MissingCredentials,
        QStringLiteral("%1 needs the OAuth 2.0 scope%2 %3, which %4's sign-in was not granted.")
            .arg(endpoint.name, missing.size() == 1 ? QString() : QStringLiteral("s"),
                 missing.join(QStringLiteral(", ")), who),
        QStringLiteral("Sign %1 in again with OAuth 2.0 and the scopes %2 (the “%3” preset "
                       "has them), and approve all of them on X's page.")
            .arg(who, needed.join(QLatin1Char(' ')), preset));
    error.name = QStringLiteral("missing_scope");
    return error;
}

namespace {

// The tokens of an OAuth 2.0 token answer, for the scrubber.
ApiCall::SecretExtractor oauth2TokensIn()
{
    return [](const ApiReply &reply) {
        QList<QByteArray> secrets;
        if (const Result<oauth2::Token> token =
                oauth2::parseTokenResponse(reply.body, QDateTime::currentDateTimeUtc()))
            secrets << token.value().accessToken << token.value().refreshToken;
        return secrets;
    };
}

} // namespace

ApiCall *ApiClient::exchangeOAuth2Code(const QByteArray &code, const QUrl &redirectUri,
                                       const QByteArray &verifier, const QStringList &requestedScopes,
                                       QObject *context, Callback<oauth2::Token> done)
{
    std::optional<ApiError> precheck;
    if (code.isEmpty())
        precheck = validationError(QStringLiteral("The sign-in returned no authorization code."),
                                   QStringLiteral("Sign in again and approve the app."));
    else if (!oauth2::isValidVerifier(verifier))
        precheck = validationError(QStringLiteral("The PKCE code verifier is not valid (RFC 7636)."),
                                   QStringLiteral("Sign in again."));
    m_scrubber.add(code);
    m_scrubber.add(verifier);
    return call<oauth2::Token>(
        Operation::OAuth2Token, requests::oauth2CodeExchange(code, redirectUri, verifier), std::nullopt,
        precheck, context, std::move(done),
        [this, requestedScopes](const ApiReply &reply) -> Result<oauth2::Token> {
            if (!reply.ok())
                return reply.error;
            return oauth2::parseTokenResponse(reply.body, now(), requestedScopes);
        },
        oauth2TokensIn());
}

ApiCall *ApiClient::refreshOAuth2Token(const QByteArray &refreshToken, QObject *context,
                                       Callback<oauth2::Token> done)
{
    std::optional<ApiError> precheck;
    if (refreshToken.isEmpty()) {
        precheck =
            ApiError::make(ApiError::Kind::Authentication,
                           QStringLiteral("The OAuth 2.0 access token expired, and there is no refresh "
                                          "token to renew it (the sign-in did not ask for offline.access)."),
                           QStringLiteral("Sign the account in again; add offline.access to the profile's "
                                          "scopes so that the console can renew the token by itself."));
        precheck->name = QStringLiteral("invalid_grant");
    }
    m_scrubber.add(refreshToken);
    return call<oauth2::Token>(
        Operation::OAuth2Token, requests::oauth2Refresh(refreshToken), std::nullopt, precheck, context,
        std::move(done),
        [this](const ApiReply &reply) -> Result<oauth2::Token> {
            if (!reply.ok())
                return reply.error;
            return oauth2::parseTokenResponse(reply.body, now());
        },
        oauth2TokensIn());
}

ApiCall *ApiClient::revokeOAuth2Token(const QByteArray &token, QObject *context, Callback<Done> done)
{
    std::optional<ApiError> precheck;
    if (token.isEmpty())
        precheck = validationError(QStringLiteral("There is no OAuth 2.0 token to revoke."), {});
    m_scrubber.add(token);
    return call<Done>(Operation::OAuth2Revoke, requests::oauth2Revoke(token), std::nullopt, precheck, context,
                      std::move(done), &doneUnlessError);
}

ApiCall *ApiClient::currentUser(const UserCredentials &user, QObject *context, Callback<UserInfo> done)
{
    return call<UserInfo>(
        Operation::CurrentUser, requests::currentUser(), user, std::nullopt, context, std::move(done),
        [](const ApiReply &reply) -> Result<UserInfo> {
            if (!reply.ok())
                return reply.error;
            const Result<QList<UserInfo>> users = parse::users(reply.body);
            if (!users)
                return users.error();
            if (users.value().size() != 1 || users.value().first().username.isEmpty())
                return ApiError::make(
                    ApiError::Kind::MalformedResponse,
                    QStringLiteral("X's answer to users/me does not name exactly one user "
                                   "with a username."),
                    QStringLiteral("Sign in again; if it keeps happening, look at the answer "
                                   "in the request log."),
                    reply.httpStatus);
            return users.value().first();
        });
}

// ---- X Activity API --------------------------------------------------------------------------

ApiCall *ApiClient::createActivitySubscription(const ActivitySubscriptionRequest &request,
                                               const std::optional<UserCredentials> &user, QObject *context,
                                               Callback<ActivitySubscriptionChange> done)
{
    const std::optional<ApiError> precheck = xaa::checkCreate(request, user);
    const xaa::EventType *type = xaa::findEventType(request.eventType);
    // Bearer unless the type needs a user token; then the user's OAuth 2.0 token with the type's
    // scope, which userCredentialFor confirms.
    const QStringList scopes = type ? xaa::signingScopes(*type, user) : QStringList();
    const std::optional<UserCredentials> signer = scopes.isEmpty() ? std::nullopt : user;
    return call<ActivitySubscriptionChange>(
        Operation::CreateActivitySubscription, requests::createActivitySubscription(request), signer,
        precheck, context, std::move(done), parsedWith(&parse::activitySubscriptionChange), {}, scopes);
}

ApiCall *ApiClient::listActivitySubscriptions(const QString &paginationToken, QObject *context,
                                              Callback<ActivitySubscriptionPage> done, int maxResults)
{
    std::optional<ApiError> precheck;
    // Spec 2.167: pagination_token has at least 16 characters; max_results is 1 to 1000.
    if (!paginationToken.isEmpty() && paginationToken.size() < 16)
        precheck = validationError(
            QStringLiteral("The page token %1 is too short to be one of X's (at least 16 characters).")
                .arg(paginationToken),
            QStringLiteral(
                "Pass the next_token of the previous page unchanged, or no token for the first page."));
    if (maxResults < 0 || maxResults > 1000)
        precheck = validationError(
            QStringLiteral("A page holds 1 to 1000 subscriptions; %1 were asked for.").arg(maxResults),
            QStringLiteral("Ask for 1 to 1000 per page."));
    return call<ActivitySubscriptionPage>(Operation::ListActivitySubscriptions,
                                          requests::listActivitySubscriptions(paginationToken, maxResults),
                                          std::nullopt, precheck, context, std::move(done),
                                          parsedWith(&parse::activitySubscriptionPage));
}

ApiCall *ApiClient::updateActivitySubscription(const QString &subscriptionId,
                                               const ActivitySubscriptionUpdate &update, QObject *context,
                                               Callback<ActivitySubscriptionChange> done)
{
    return call<ActivitySubscriptionChange>(Operation::UpdateActivitySubscription,
                                            requests::updateActivitySubscription(subscriptionId, update),
                                            std::nullopt, xaa::checkUpdate(subscriptionId, update), context,
                                            std::move(done), parsedWith(&parse::activitySubscriptionChange));
}

ApiCall *ApiClient::deleteActivitySubscription(const QString &subscriptionId, QObject *context,
                                               Callback<ActivityDeleteResult> done)
{
    return call<ActivityDeleteResult>(
        Operation::DeleteActivitySubscription, requests::activitySubscription(subscriptionId), std::nullopt,
        xaa::checkId(subscriptionId, QStringLiteral("subscription id")), context, std::move(done),
        [](const ApiReply &reply) -> Result<ActivityDeleteResult> {
            if (!reply.ok())
                return reply.error;
            const Result<ActivityDeleteResult> result = parse::activitySubscriptionDeleted(reply.body);
            if (result && !result.value().deleted)
                return ApiError::make(ApiError::Kind::NotConfirmed,
                                      QStringLiteral("X answered that the subscription was not deleted."),
                                      QStringLiteral("Refresh the list and try again."), reply.httpStatus);
            return result;
        });
}

ApiCall *ApiClient::deleteActivitySubscriptions(const QStringList &subscriptionIds, QObject *context,
                                                Callback<ActivityBulkDeleteResult> done)
{
    return call<ActivityBulkDeleteResult>(
        Operation::DeleteActivitySubscriptions, requests::deleteActivitySubscriptions(subscriptionIds),
        std::nullopt, xaa::checkSubscriptionIds(subscriptionIds), context, std::move(done),
        [subscriptionIds](const ApiReply &reply) -> Result<ActivityBulkDeleteResult> {
            if (!reply.ok())
                return reply.error;
            return parse::activitySubscriptionsDeleted(reply.body, subscriptionIds);
        });
}

} // namespace activity
