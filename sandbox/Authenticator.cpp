// The authentication of every request: OAuth 1.0a signatures recomputed over what was actually
// received, bearer tokens (the app's, or a user's OAuth 2.0 access token), and the credential kind
// each route demands.

#include "Authenticator.h"

#include "Crc.h"
#include "OAuth2.h"
#include "Router.h"
#include "World.h"

namespace activity::sandbox {

namespace {

// The credential kinds a route takes, as X lists them in an "Unsupported Authentication" problem.
QString authTypeName(const Route &route)
{
    // v2 subscribe, check and users/me also take an OAuth 2.0 user token (the catalogue's scopes).
    const bool oauth2User = route.family == RouteFamily::V2 && route.endpoint &&
        (!route.endpoint->oauth2Scopes.isEmpty() || route.endpoint->oauth2ScopesPerCall);
    const QString user = oauth2User ? QStringLiteral("OAuth 1.0a User Context, OAuth 2.0 User Context")
                                    : QStringLiteral("OAuth 1.0a User Context");
    switch (route.auth) {
    case AuthNeed::AppOnly:
        return QStringLiteral("[OAuth 2.0 Application-Only]");
    case AuthNeed::UserOnly:
    case AuthNeed::OwnerOnly:
        return QLatin1Char('[') + user + QLatin1Char(']');
    default:
        return QStringLiteral("[OAuth 2.0 Application-Only, ") + user + QLatin1Char(']');
    }
}

Reply badAuthenticationData()
{
    return v1Error(400, 215, QStringLiteral("Bad authentication data."));
}

Reply noWriteAccess()
{
    return v1Error(403, 220, QStringLiteral("Your credentials do not allow access to this resource."));
}

} // namespace

Authenticator::Authenticator(World &world)
    : m_world(world)
{
}

std::optional<Reply> Authenticator::authenticate(Exchange &ex, const Route &route)
{
    if (route.auth == AuthNeed::None)
        return std::nullopt;
    const QByteArray authorization = ex.header(QByteArrayLiteral("authorization")).trimmed();
    if (authorization.startsWith("Bearer "))
        return authenticateBearer(ex, route);
    if (authorization.startsWith("OAuth "))
        return authenticateOAuth1(ex, route);
    if (authorization.startsWith("Basic "))
        ex.credential = CredentialKind::ConsumerBasic;
    return route.family == RouteFamily::V2 ? v2Unauthorized() : badAuthenticationData();
}

std::optional<Reply> Authenticator::authenticateBearer(Exchange &ex, const Route &route)
{
    const bool v2 = route.family == RouteFamily::V2;
    ex.credential = CredentialKind::AppOnly;
    const QByteArray presented = ex.header(QByteArrayLiteral("authorization")).trimmed().mid(7).trimmed();
    for (const App &app : std::as_const(m_world.apps)) {
        if (!app.bearerToken.isEmpty() && crc::constantTimeEquals(app.bearerToken, presented)) {
            ex.verified = true;
            ex.appId = app.id;
        }
    }
    if (!ex.verified) {
        // Not the app's bearer: an OAuth 2.0 user access token (Authorization Code with PKCE)?
        if (m_world.oauth2.accessTokens.contains(presented))
            return authenticateOAuth2User(ex, route, presented);
        return v2 ? v2Unauthorized() : v1Error(401, 89, QStringLiteral("Invalid or expired token."));
    }
    if (route.auth == AuthNeed::AppOnly || route.auth == AuthNeed::AppOrUser ||
        route.auth == AuthNeed::AppOrOwner)
        return std::nullopt;
    if (v2) {
        return v2UnsupportedAuth(
            QStringLiteral("Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  "
                           "Supported authentication types are ") +
            authTypeName(route) + QLatin1Char('.'));
    }
    // v1.1 register with app-only auth answers 403/261 rather than 403/220 (X's FAQ).
    if (route.bearerIs261)
        return v1Error(403, 261, QStringLiteral("Application cannot perform write actions."));
    return noWriteAccess();
}

std::optional<Reply> Authenticator::authenticateOAuth2User(Exchange &ex, const Route &route,
                                                           const QByteArray &token)
{
    const bool v2 = route.family == RouteFamily::V2;
    ex.credential = CredentialKind::OAuth2User;
    ex.token = token;
    // Expired (2 hours on the world clock) or its grant revoked: 401, as for a bad bearer.
    const OAuth2Grant *grant = m_world.oauth2.grantOfAccessToken(token, m_world.now());
    if (!grant)
        return v2 ? v2Unauthorized() : v1Error(401, 89, QStringLiteral("Invalid or expired token."));
    ex.verified = true;
    ex.appId = grant->appId;
    ex.userId = grant->userId;

    // Only v2 routes whose catalogue entry lists OAuth 2.0 scopes take a user token; v1.1 never does.
    const QStringList needed = route.endpoint ? route.endpoint->oauth2Scopes : QStringList();
    const bool takesUser = route.auth == AuthNeed::UserOnly || route.auth == AuthNeed::AppOrUser;
    if (!v2)
        return noWriteAccess();
    // X Activity create: the scope depends on the event type, so its handler checks it.
    const bool perCall = route.endpoint && route.endpoint->oauth2ScopesPerCall;
    if ((needed.isEmpty() && !perCall) || !takesUser) {
        return v2UnsupportedAuth(
            QStringLiteral("Authenticating with OAuth 2.0 User Context is forbidden for this endpoint.  "
                           "Supported authentication types are ") +
            authTypeName(route) + QLatin1Char('.'));
    }
    const QStringList missing = oauth2::missingScopes(needed, grant->scopes);
    if (!missing.isEmpty())
        return v2MissingScopes(missing, needed);
    return std::nullopt;
}

std::optional<Reply> Authenticator::authenticateOAuth1(Exchange &ex, const Route &route)
{
    const bool v2 = route.family == RouteFamily::V2;
    const auto fail = [v2](const Reply &v1Reply) { return v2 ? v2Unauthorized() : v1Reply; };
    const auto couldNotAuthenticate = [&] {
        return fail(v1Error(401, 32, QStringLiteral("Could not authenticate you.")));
    };

    const auto parsed =
        oauth1::parseAuthorizationHeader(ex.header(QByteArrayLiteral("authorization")).trimmed());
    if (!parsed)
        return fail(badAuthenticationData());
    ex.oauthParams = *parsed;
    const QByteArray *consumerKey = findParam(*parsed, "oauth_consumer_key");
    const QByteArray *signature = findParam(*parsed, "oauth_signature");
    const QByteArray *timestamp = findParam(*parsed, "oauth_timestamp");
    const QByteArray *nonce = findParam(*parsed, "oauth_nonce");
    const QByteArray *method = findParam(*parsed, "oauth_signature_method");
    const QByteArray *tokenParam = findParam(*parsed, "oauth_token");
    const QByteArray token = tokenParam ? *tokenParam : QByteArray();
    ex.token = token;

    // What was presented, before we know whether it holds.
    if (token.isEmpty())
        ex.credential = CredentialKind::ConsumerOnly;
    else if (m_world.requestTokens.contains(token))
        ex.credential = CredentialKind::RequestToken;
    else if (const auto it = m_world.accessTokens.constFind(token);
             it != m_world.accessTokens.cend() && m_world.apps.value(it->appId).ownerUserId == it->userId)
        ex.credential = CredentialKind::AppOwner;
    else
        ex.credential = CredentialKind::SubscribingUser;

    if (!consumerKey || !signature || !timestamp || !nonce || !method)
        return fail(badAuthenticationData());
    const App *app = nullptr;
    for (const App &candidate : std::as_const(m_world.apps)) {
        if (candidate.consumerKey == *consumerKey)
            app = &candidate;
    }
    if (!app || *method != "HMAC-SHA1")
        return couldNotAuthenticate();

    QByteArray tokenSecret;
    QString userId;
    if (!token.isEmpty()) {
        if (route.auth == AuthNeed::RequestToken) {
            const auto it = m_world.requestTokens.constFind(token);
            if (it == m_world.requestTokens.cend() || it->appId != app->id)
                return couldNotAuthenticate();
            tokenSecret = it->secret;
        } else {
            const auto it = m_world.accessTokens.constFind(token);
            if (it == m_world.accessTokens.cend() || it->appId != app->id)
                return couldNotAuthenticate();
            tokenSecret = it->secret;
            userId = it->userId;
        }
    }

    const QDateTime current = m_world.now();
    bool timestampOk = false;
    const qint64 seconds = timestamp->toLongLong(&timestampOk);
    if (!timestampOk || qAbs(seconds - current.toSecsSinceEpoch()) > 300)
        return fail(v1Error(401, 135, QStringLiteral("Timestamp out of bounds.")));

    // Recompute over what arrived: method, scheme/host/port/path as received, query, form body,
    // and the oauth_* parameters except the signature (a JSON body is not signed).
    oauth1::ParamList params = oauth1::queryParameters(ex.url);
    params.append(ex.formParams());
    for (const auto &[key, value] : *parsed) {
        if (key != "oauth_signature" && key != "realm")
            params.append({key, value});
    }
    const QByteArray baseString = oauth1::signatureBaseString(ex.method, ex.url, params);
    const QByteArray expected =
        oauth1::hmacSha1(oauth1::signingKey(app->consumerSecret, tokenSecret), baseString);
    if (!crc::constantTimeEquals(expected, *signature))
        return couldNotAuthenticate();

    // A nonce may be used once within the timestamp window. The newest limits.nonces are kept.
    const QByteArray nonceKey = *consumerKey + '\n' + token + '\n' + *nonce;
    const auto seen = m_seenNonces.constFind(nonceKey);
    if (seen != m_seenNonces.cend() && seen.value().secsTo(current) <= 300)
        return couldNotAuthenticate();
    m_seenNonces.insert(nonceKey, current);
    m_nonceOrder.emplace_back(nonceKey, current);
    forgetOldNonces();

    ex.verified = true;
    ex.appId = app->id;
    ex.userId = userId;

    // The signature holds; is it the kind of credential this route takes?
    switch (route.auth) {
    case AuthNeed::ConsumerOnly:
        if (!token.isEmpty())
            return couldNotAuthenticate();
        return std::nullopt;
    case AuthNeed::RequestToken:
    case AuthNeed::UserOnly:
    case AuthNeed::AppOrUser:
        if (token.isEmpty())
            return couldNotAuthenticate();
        return std::nullopt;
    case AuthNeed::AppOnly:
        if (v2) {
            return v2UnsupportedAuth(
                QStringLiteral("Authenticating with OAuth 1.0a User Context is forbidden for this "
                               "endpoint.  Supported authentication types are ") +
                authTypeName(route) + QLatin1Char('.'));
        }
        return v1Error(
            401, 32,
            QStringLiteral("Invalid authentication method. Please use application-only authentication."));
    case AuthNeed::OwnerOnly:
    case AuthNeed::AppOrOwner:
        if (token.isEmpty())
            return couldNotAuthenticate();
        // Webhook management is the app owner's: another user's token is refused.
        if (userId != app->ownerUserId) {
            return v2
                ? v2UnsupportedAuth(QStringLiteral("Only the app owner's user context may manage webhooks."))
                : noWriteAccess();
        }
        return std::nullopt;
    case AuthNeed::None:
        return std::nullopt;
    }
    return std::nullopt;
}

void Authenticator::forgetOldNonces()
{
    while (qsizetype(m_nonceOrder.size()) > m_world.limits().nonces) {
        const auto &[key, storedAt] = m_nonceOrder.front();
        // A key used again later has a newer time in the hash and stays.
        if (m_seenNonces.value(key) == storedAt)
            m_seenNonces.remove(key);
        m_nonceOrder.pop_front();
    }
}

} // namespace activity::sandbox
