#include "RequestBuilder.h"

#include "ActivityConfig.h"
#include "ActivityEventTypes.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace activity {

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

namespace requests {

namespace {

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString fillTemplate(const QString &pathTemplate, const RequestParams &params, QString *missing)
{
    QString path = pathTemplate;
    for (const auto &[name, value] : params.path) {
        const QString placeholder = QLatin1Char('{') + name + QLatin1Char('}');
        path.replace(placeholder, QString::fromLatin1(oauth1::percentEncode(value.toUtf8())));
    }
    const qsizetype open = path.indexOf(QLatin1Char('{'));
    if (open >= 0) {
        const qsizetype close = path.indexOf(QLatin1Char('}'), open);
        *missing = path.mid(open + 1, close - open - 1);
    }
    return path;
}

bool hasConsumer(const RequestCredentials &c)
{
    return !c.consumerKey.isEmpty() && !c.consumerSecret.isEmpty();
}

bool hasToken(const RequestCredentials &c)
{
    return !c.token.isEmpty() && !c.tokenSecret.isEmpty();
}

} // namespace

RequestParams none()
{
    return {};
}

RequestParams webhook(const QString &webhookId)
{
    RequestParams params;
    params.path = {{endpoints::webhookIdParam, webhookId}};
    return params;
}

RequestParams registerWebhook(ApiGeneration generation, const QString &url)
{
    RequestParams params;
    if (generation == ApiGeneration::V1_1)
        params.query = {{"url", url.toUtf8()}};
    else
        params.json = compactJson({{QStringLiteral("url"), url}});
    return params;
}

RequestParams subscribe(ApiGeneration generation, const QString &webhookId)
{
    RequestParams params = webhook(webhookId);
    // v2's request schema is an empty object; v1.1 takes no body at all.
    if (generation == ApiGeneration::V2)
        params.json = QByteArrayLiteral("{}");
    return params;
}

RequestParams unsubscribeUser(const QString &webhookId, const QString &userId)
{
    RequestParams params;
    params.path = {{endpoints::webhookIdParam, webhookId}, {endpoints::userIdParam, userId}};
    return params;
}

RequestParams replayAccountActivity(const QString &webhookId, const QDateTime &from, const QDateTime &to)
{
    RequestParams params = webhook(webhookId);
    params.query = {{"from_date", replayDate(from).toLatin1()}, {"to_date", replayDate(to).toLatin1()}};
    return params;
}

RequestParams replayWebhooks(const QString &webhookId, const QDateTime &from, const QDateTime &to)
{
    RequestParams params;
    params.json = compactJson({{QStringLiteral("webhook_id"), webhookId},
                               {QStringLiteral("from_date"), replayDate(from)},
                               {QStringLiteral("to_date"), replayDate(to)}});
    return params;
}

RequestParams usersLookup(ApiGeneration generation, const QStringList &userIds)
{
    RequestParams params;
    const QByteArray key =
        generation == ApiGeneration::V1_1 ? QByteArrayLiteral("user_id") : QByteArrayLiteral("ids");
    params.query = {{key, userIds.join(QLatin1Char(',')).toUtf8()}};
    return params;
}

RequestParams bearerToken()
{
    RequestParams params;
    params.form = {{"grant_type", "client_credentials"}};
    return params;
}

RequestParams requestToken(const QString &callback)
{
    RequestParams params;
    params.oauthExtra = {{"oauth_callback", callback.toUtf8()}};
    return params;
}

RequestParams accessToken(const QByteArray &verifier)
{
    RequestParams params;
    params.oauthExtra = {{"oauth_verifier", verifier}};
    return params;
}

RequestParams oauth2CodeExchange(const QByteArray &code, const QUrl &redirectUri, const QByteArray &verifier)
{
    RequestParams params;
    params.form = {{"code", code},
                   {"grant_type", "authorization_code"},
                   {"redirect_uri", redirectUri.toString(QUrl::FullyEncoded).toUtf8()},
                   {"code_verifier", verifier}};
    return params;
}

RequestParams oauth2Refresh(const QByteArray &refreshToken)
{
    RequestParams params;
    params.form = {{"refresh_token", refreshToken}, {"grant_type", "refresh_token"}};
    return params;
}

RequestParams oauth2Revoke(const QByteArray &token)
{
    RequestParams params;
    params.form = {{"token", token}};
    return params;
}

RequestParams currentUser()
{
    RequestParams params;
    params.query = {{"user.fields", "id,name,username"}};
    return params;
}

RequestParams usersByUsername(const QStringList &usernames)
{
    RequestParams params;
    params.query = {{"usernames", usernames.join(QLatin1Char(',')).toUtf8()},
                    {"user.fields", "id,name,username"}};
    return params;
}

RequestParams createActivitySubscription(const ActivitySubscriptionRequest &request)
{
    QJsonObject filter;
    if (!request.filter.userId.isEmpty())
        filter.insert(QStringLiteral("user_id"), request.filter.userId);
    if (!request.filter.keyword.isEmpty())
        filter.insert(QStringLiteral("keyword"), request.filter.keyword);
    if (!request.filter.direction.isEmpty())
        filter.insert(QStringLiteral("direction"), request.filter.direction);
    const QString canonical = xaa::canonicalEventType(request.eventType);
    QJsonObject body {{QStringLiteral("event_type"), canonical.isEmpty() ? request.eventType : canonical},
                      {QStringLiteral("filter"), filter}};
    if (!request.tag.isEmpty())
        body.insert(QStringLiteral("tag"), request.tag);
    if (!request.webhookId.isEmpty())
        body.insert(QStringLiteral("webhook_id"), request.webhookId);
    RequestParams params;
    params.json = compactJson(body);
    return params;
}

RequestParams listActivitySubscriptions(const QString &paginationToken, int maxResults)
{
    RequestParams params;
    if (maxResults > 0)
        params.query.append({"max_results", QByteArray::number(maxResults)});
    if (!paginationToken.isEmpty())
        params.query.append({"pagination_token", paginationToken.toUtf8()});
    return params;
}

RequestParams activitySubscription(const QString &subscriptionId)
{
    RequestParams params;
    params.path = {{endpoints::subscriptionIdParam, subscriptionId}};
    return params;
}

RequestParams updateActivitySubscription(const QString &subscriptionId,
                                         const ActivitySubscriptionUpdate &update)
{
    RequestParams params = activitySubscription(subscriptionId);
    QJsonObject body;
    if (update.tag)
        body.insert(QStringLiteral("tag"), *update.tag);
    if (update.webhookId)
        body.insert(QStringLiteral("webhook_id"), *update.webhookId);
    params.json = compactJson(body);
    return params;
}

RequestParams deleteActivitySubscriptions(const QStringList &subscriptionIds)
{
    RequestParams params;
    params.query = {{"ids", subscriptionIds.join(QLatin1Char(',')).toUtf8()}};
    return params;
}

RequestParams activityStream(int backfillMinutes, const QDateTime &startTime, const QDateTime &endTime)
{
    RequestParams params;
    if (backfillMinutes >= 0)
        params.query.append({"backfill_minutes", QByteArray::number(backfillMinutes)});
    const auto time = [](const QDateTime &t) {
        return t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ")).toLatin1();
    };
    if (startTime.isValid())
        params.query.append({"start_time", time(startTime)});
    if (endTime.isValid())
        params.query.append({"end_time", time(endTime)});
    return params;
}

Result<QUrl> url(const Endpoint &endpoint, const QUrl &baseUrl, const RequestParams &params)
{
    QString missing;
    const QString path = fillTemplate(endpoint.pathTemplate, params, &missing);
    if (!missing.isEmpty()) {
        return ApiError::make(ApiError::Kind::Validation,
                              QStringLiteral("The call %1 needs a value for %2.").arg(endpoint.name, missing),
                              QStringLiteral("Give the missing value and try again."));
    }

    QUrl url = baseUrl;
    QString prefix = baseUrl.path(QUrl::FullyEncoded);
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + path, QUrl::StrictMode);
    url.setFragment(QString());
    if (params.query.isEmpty())
        url.setQuery(QString());
    else
        url.setQuery(QString::fromLatin1(oauth1::formEncode(params.query)), QUrl::StrictMode);
    return url;
}

Result<HttpRequest> build(const Endpoint &endpoint, const QUrl &baseUrl, const RequestParams &params,
                          const RequestCredentials &credentials)
{
    Result<QUrl> target = url(endpoint, baseUrl, params);
    if (!target)
        return target.error();

    HttpRequest request;
    request.method = endpoint.method;
    request.url = target.value();
    request.headers.append({QByteArrayLiteral("User-Agent"), userAgent()});

    switch (endpoint.params) {
    case ParamPlacement::FormBody: {
        oauth1::ParamList form = params.form;
        // Public clients must name themselves in the body, and X accepts it from confidential ones
        // too (x-api-2026.md §5.2; xurl sets it because X's auto-detection failed without it).
        if (endpoint.credential == CredentialKind::OAuth2Client && !credentials.clientId.isEmpty())
            form.append({"client_id", credentials.clientId});
        request.body = oauth1::formEncode(form);
        request.headers.append({QByteArrayLiteral("Content-Type"),
                                QByteArrayLiteral("application/x-www-form-urlencoded;charset=UTF-8")});
        break;
    }
    case ParamPlacement::JsonBody:
        request.body = params.json;
        request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        break;
    case ParamPlacement::None:
    case ParamPlacement::Query:
        break;
    }

    const auto signWith = [&](bool needsToken) -> Result<QByteArray> {
        if (!hasConsumer(credentials) || (needsToken && !hasToken(credentials)))
            return missingCredentials(endpoint.credential, endpoint.name);
        const oauth1::Signer signer({credentials.consumerKey, credentials.consumerSecret,
                                     needsToken ? credentials.token : QByteArray(),
                                     needsToken ? credentials.tokenSecret : QByteArray()},
                                    credentials.clock, credentials.nonce);
        // Only a form body is signed; a JSON body never is (reference §6.2).
        const oauth1::ParamList signedForm =
            endpoint.params == ParamPlacement::FormBody ? params.form : oauth1::ParamList();
        return signer.authorizationHeader(request.method, request.url, signedForm, params.oauthExtra);
    };

    QByteArray authorization;
    switch (endpoint.credential) {
    case CredentialKind::None:
        break;
    case CredentialKind::AppOwner:
    case CredentialKind::SubscribingUser:
    case CredentialKind::RequestToken:
    case CredentialKind::ConsumerOnly: {
        const Result<QByteArray> header = signWith(endpoint.credential != CredentialKind::ConsumerOnly);
        if (!header)
            return header.error();
        authorization = header.value();
        break;
    }
    case CredentialKind::AppOnly:
        if (credentials.bearerToken.isEmpty())
            return missingCredentials(endpoint.credential, endpoint.name);
        authorization = "Bearer " + credentials.bearerToken;
        break;
    case CredentialKind::ConsumerBasic:
        if (!hasConsumer(credentials))
            return missingCredentials(endpoint.credential, endpoint.name);
        authorization = "Basic " +
            QByteArray(oauth1::percentEncode(credentials.consumerKey) + ':' +
                       oauth1::percentEncode(credentials.consumerSecret))
                .toBase64();
        break;
    case CredentialKind::OAuth2User:
        if (credentials.oauth2AccessToken.isEmpty())
            return missingCredentials(endpoint.credential, endpoint.name);
        authorization = "Bearer " + credentials.oauth2AccessToken;
        break;
    case CredentialKind::OAuth2Client:
        if (credentials.clientId.isEmpty())
            return missingCredentials(endpoint.credential, endpoint.name);
        // RFC 6749 §2.3.1: both parts form-encoded before base64.
        if (!credentials.clientSecret.isEmpty())
            authorization = "Basic " +
                QByteArray(QUrl::toPercentEncoding(QString::fromUtf8(credentials.clientId)) + ':' +
                           QUrl::toPercentEncoding(QString::fromUtf8(credentials.clientSecret)))
                    .toBase64();
        break;
    }
    if (!authorization.isEmpty())
        request.headers.append({QByteArrayLiteral("Authorization"), authorization});
    return request;
}

QByteArray userAgent()
{
    return QByteArrayLiteral(ACTIVITY_ORGANISATION "/" ACTIVITY_VERSION);
}

QString replayDate(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyyMMddHHmm"));
}

ApiError missingCredentials(CredentialKind kind, const QString &operationName)
{
    const auto missing = [](QString cause, QString remedy = {}) {
        return ApiError::make(ApiError::Kind::MissingCredentials, std::move(cause), std::move(remedy));
    };
    switch (kind) {
    case CredentialKind::AppOwner:
        return missing(
            QStringLiteral("%1 is signed with the app owner's access token, which is not configured.")
                .arg(operationName),
            QStringLiteral("Add the consumer key and secret and the app owner's access token and "
                           "secret from the developer portal (\"Keys and tokens\")."));
    case CredentialKind::SubscribingUser:
        return missing(
            QStringLiteral("%1 is signed with the subscribing user's access token, which is not "
                           "configured.")
                .arg(operationName),
            QStringLiteral("Sign the user in (3-legged OAuth) to get their access token and secret."));
    case CredentialKind::AppOnly:
        return missing(
            QStringLiteral("%1 needs an app-only bearer token, and none could be obtained.")
                .arg(operationName),
            QStringLiteral("Configure the bearer token, or the consumer key and secret so that one "
                           "can be requested."));
    case CredentialKind::ConsumerBasic:
    case CredentialKind::ConsumerOnly:
        return missing(QStringLiteral("%1 needs the app's consumer key and secret, which are not configured.")
                           .arg(operationName),
                       QStringLiteral("Add the consumer key and secret (\"API key and secret\") from the "
                                      "developer portal."));
    case CredentialKind::OAuth2User:
        return missing(QStringLiteral("%1 needs the user's OAuth 2.0 access token, which is not there.")
                           .arg(operationName),
                       QStringLiteral("Sign the account in with OAuth 2.0 again."));
    case CredentialKind::OAuth2Client:
        return missing(QStringLiteral("%1 needs the profile's OAuth 2.0 client id, which is not configured.")
                           .arg(operationName),
                       QStringLiteral("Copy the OAuth 2.0 Client ID (and, for a confidential client, the "
                                      "Client Secret) from the app's \"Keys and tokens\" page in X's "
                                      "developer portal into the profile."));
    case CredentialKind::RequestToken:
        return missing(QStringLiteral("%1 needs the temporary request token from the first sign-in step.")
                           .arg(operationName),
                       QStringLiteral("Start the sign-in again."));
    case CredentialKind::None:
        break;
    }
    return missing(QStringLiteral("%1 has no credentials configured.").arg(operationName));
}

} // namespace requests
} // namespace activity
