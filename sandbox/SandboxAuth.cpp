// The route table and the authentication of every request: OAuth 1.0a signatures recomputed over
// what was actually received, bearer tokens, and the credential kind each endpoint demands.

#include "SandboxServer.h"

#include "Crc.h"
#include "SandboxInternal.h"

namespace activity::sandbox {

using namespace std::chrono_literals;

void SandboxServer::registerRoutes()
{
    auto add = [this](const char *method, const char *pattern, Generation generation, AuthNeed auth,
                      const char *key, void (SandboxServer::*handler)(const ExchangePtr &),
                      bool bearerIs261 = false, unsigned flags = 0) {
        Route route;
        route.method = QByteArray(method);
        route.path = QRegularExpression(QRegularExpression::anchoredPattern(QString::fromLatin1(pattern)));
        route.generation = generation;
        route.auth = auth;
        route.endpointKey = QString::fromLatin1(key);
        route.handler = handler;
        route.bearerIs261 = bearerIs261;
        route.flags = flags;
        m_state->routes.append(route);
    };
    using G = Generation;
    using A = AuthNeed;
    using S = SandboxServer;

    // v1.1 Enterprise (reference §1.2)
    const char *v1Webhooks = "/1.1/account_activity/webhooks\\.json";
    const char *v1Webhook = "/1.1/account_activity/webhooks/([^/]+)\\.json";
    const char *v1All = "/1.1/account_activity/webhooks/([^/]+)/subscriptions/all\\.json";
    add("GET", v1Webhooks, G::V1, A::AppOnly, "webhooks.list", &S::handleListWebhooks);
    add("POST", v1Webhooks, G::V1, A::OwnerOnly, "webhooks.register", &S::handleRegisterWebhook, true);
    add("PUT", v1Webhook, G::V1, A::OwnerOnly, "webhooks.validate", &S::handleValidateWebhook);
    add("DELETE", v1Webhook, G::V1, A::OwnerOnly, "webhooks.delete", &S::handleDeleteWebhook);
    add("POST", v1All, G::V1, A::UserOnly, "subscriptions.subscribe", &S::handleSubscribe);
    add("GET", v1All, G::V1, A::UserOnly, "subscriptions.check", &S::handleCheckSubscription);
    add("DELETE", v1All, G::V1, A::UserOnly, "subscriptions.unsubscribe", &S::handleUnsubscribeSelf);
    add("GET", "/1.1/account_activity/subscriptions/count\\.json", G::V1, A::AppOnly, "subscriptions.count",
        &S::handleSubscriptionCount);
    add("GET", "/1.1/account_activity/webhooks/([^/]+)/subscriptions/all/list\\.json", G::V1, A::AppOnly,
        "subscriptions.list", &S::handleSubscriptionList);
    add("DELETE", "/1.1/account_activity/webhooks/([^/]+)/subscriptions/([^/]+)/all\\.json", G::V1,
        A::AppOnly, "subscriptions.delete", &S::handleUnsubscribeUser);
    add("POST", "/1.1/account_activity/replay/webhooks/([^/]+)/subscriptions/all\\.json", G::V1, A::AppOnly,
        "replay", &S::handleReplay);
    add("GET", "/1.1/users/lookup\\.json", G::V1, A::AppOrUser, "users.lookup", &S::handleUsersLookup);
    add("POST", "/1.1/users/lookup\\.json", G::V1, A::AppOrUser, "users.lookup", &S::handleUsersLookup);

    // X API v2 (reference §2)
    add("GET", "/2/webhooks", G::V2, A::AppOnly, "v2.webhooks.list", &S::handleListWebhooks);
    add("POST", "/2/webhooks", G::V2, A::AppOrOwner, "v2.webhooks.register", &S::handleRegisterWebhook, false,
        JsonBody);
    add("POST", "/2/webhooks/replay", G::V2, A::AppOnly, "v2.webhooks.replay", &S::handleWebhooksReplay,
        false, JsonBody);
    add("PUT", "/2/webhooks/([^/]+)", G::V2, A::AppOrOwner, "v2.webhooks.validate",
        &S::handleValidateWebhook);
    add("DELETE", "/2/webhooks/([^/]+)", G::V2, A::AppOrOwner, "v2.webhooks.delete", &S::handleDeleteWebhook);
    const char *v2All = "/2/account_activity/webhooks/([^/]+)/subscriptions/all";
    add("POST", v2All, G::V2, A::UserOnly, "v2.subscriptions.subscribe", &S::handleSubscribe);
    add("GET", v2All, G::V2, A::UserOnly, "v2.subscriptions.check", &S::handleCheckSubscription);
    add("GET", "/2/account_activity/subscriptions/count", G::V2, A::AppOnly, "v2.subscriptions.count",
        &S::handleSubscriptionCount);
    add("GET", "/2/account_activity/webhooks/([^/]+)/subscriptions/all/list", G::V2, A::AppOnly,
        "v2.subscriptions.list", &S::handleSubscriptionList);
    add("DELETE", "/2/account_activity/webhooks/([^/]+)/subscriptions/([^/]+)/all", G::V2, A::AppOnly,
        "v2.subscriptions.delete", &S::handleUnsubscribeUser);
    // Retired on 2026-03-25: answers 404 whatever the credential, as a removed path does.
    add("POST", "/2/account_activity/replay/webhooks/([^/]+)/subscriptions/all", G::V2, A::None, "",
        &S::handleRetiredReplay);
    add("GET", "/2/users", G::V2, A::AppOrUser, "v2.users", &S::handleUsersV2);

    // OAuth (reference §6)
    add("POST", "/oauth/request_token", G::OAuth, A::ConsumerOnly, "", &S::handleRequestToken);
    add("GET", "/oauth/(authorize|authenticate)", G::OAuth, A::None, "", &S::handleAuthorizePage);
    add("POST", "/oauth/(authorize|authenticate)", G::OAuth, A::None, "", &S::handleAuthorizeSubmit);
    add("POST", "/oauth/access_token", G::OAuth, A::RequestToken, "", &S::handleAccessToken);
    add("POST", "/oauth2/token", G::OAuth, A::None, "", &S::handleBearerToken);

    // Sandbox extras: the demo receiver, called as a webhook is (CRC GET, signed event POSTs), and
    // the control endpoints, which take the run's X-Sandbox-Token instead of X's credentials.
    add("GET", "/sandbox/receiver/([^/]+)", G::Sandbox, A::None, "", &S::handleReceiverGet);
    add("POST", "/sandbox/receiver/([^/]+)", G::Sandbox, A::None, "", &S::handleReceiverPost);
    add("GET", "/sandbox/receiver/([^/]+)/events", G::Sandbox, A::None, "", &S::handleReceiverEvents, false,
        ControlToken);
    add("POST", "/sandbox/events", G::Sandbox, A::None, "", &S::handlePostEvents, false,
        ControlToken | JsonBody);
}

namespace {

QString authTypeName(AuthNeed need)
{
    switch (need) {
    case AuthNeed::AppOnly:
        return QStringLiteral("[OAuth 2.0 Application-Only]");
    case AuthNeed::UserOnly:
    case AuthNeed::OwnerOnly:
        return QStringLiteral("[OAuth 1.0a User Context]");
    default:
        return QStringLiteral("[OAuth 2.0 Application-Only, OAuth 1.0a User Context]");
    }
}

const QByteArray *findParam(const oauth1::ParamList &params, const char *key)
{
    for (const auto &[k, v] : params) {
        if (k == key)
            return &v;
    }
    return nullptr;
}

} // namespace

bool SandboxServer::authenticate(const ExchangePtr &ex, const Route &route)
{
    if (route.auth == AuthNeed::None)
        return true;
    const bool v2 = route.generation == Generation::V2;
    const auto fail = [&](const Reply &v1Reply) {
        finish(ex, v2 ? v2Unauthorized() : v1Reply);
        return false;
    };
    const auto couldNotAuthenticate = [&] {
        return fail(v1Error(401, 32, QStringLiteral("Could not authenticate you.")));
    };
    const QByteArray authorization = ex->header(QByteArrayLiteral("authorization")).trimmed();

    if (authorization.isEmpty())
        return fail(v1Error(400, 215, QStringLiteral("Bad authentication data.")));

    // --- OAuth 2.0 app-only bearer ---
    if (authorization.startsWith("Bearer ")) {
        ex->credential = CredentialKind::AppOnly;
        const QByteArray presented = authorization.mid(7).trimmed();
        for (const App &app : std::as_const(m_state->apps)) {
            if (!app.bearerToken.isEmpty() && crc::constantTimeEquals(app.bearerToken, presented)) {
                ex->verified = true;
                ex->appId = app.id;
            }
        }
        if (!ex->verified)
            return fail(v1Error(401, 89, QStringLiteral("Invalid or expired token.")));
        if (route.auth == AuthNeed::AppOnly || route.auth == AuthNeed::AppOrUser ||
            route.auth == AuthNeed::AppOrOwner)
            return true;
        if (v2) {
            finish(ex,
                   v2UnsupportedAuth(
                       QStringLiteral("Authenticating with OAuth 2.0 Application-Only is forbidden for "
                                      "this endpoint.  Supported authentication types are ") +
                       authTypeName(route.auth) + QLatin1Char('.')));
            return false;
        }
        if (route.bearerIs261)
            finish(ex, v1Error(403, 261, QStringLiteral("Application cannot perform write actions.")));
        else
            finish(
                ex,
                v1Error(403, 220, QStringLiteral("Your credentials do not allow access to this resource.")));
        return false;
    }

    if (!authorization.startsWith("OAuth ")) {
        if (authorization.startsWith("Basic "))
            ex->credential = CredentialKind::ConsumerBasic;
        return fail(v1Error(400, 215, QStringLiteral("Bad authentication data.")));
    }

    // --- OAuth 1.0a ---
    const auto parsed = oauth1::parseAuthorizationHeader(authorization);
    if (!parsed)
        return fail(v1Error(400, 215, QStringLiteral("Bad authentication data.")));
    ex->oauthParams = *parsed;
    const QByteArray *consumerKey = findParam(*parsed, "oauth_consumer_key");
    const QByteArray *signature = findParam(*parsed, "oauth_signature");
    const QByteArray *timestamp = findParam(*parsed, "oauth_timestamp");
    const QByteArray *nonce = findParam(*parsed, "oauth_nonce");
    const QByteArray *method = findParam(*parsed, "oauth_signature_method");
    const QByteArray *tokenParam = findParam(*parsed, "oauth_token");
    const QByteArray token = tokenParam ? *tokenParam : QByteArray();
    ex->token = token;

    // What was presented, before we know whether it holds.
    if (token.isEmpty())
        ex->credential = CredentialKind::ConsumerOnly;
    else if (m_state->requestTokens.contains(token))
        ex->credential = CredentialKind::RequestToken;
    else if (const auto it = m_state->accessTokens.constFind(token);
             it != m_state->accessTokens.cend() && m_state->apps.value(it->appId).ownerUserId == it->userId)
        ex->credential = CredentialKind::AppOwner;
    else
        ex->credential = CredentialKind::SubscribingUser;

    if (!consumerKey || !signature || !timestamp || !nonce || !method)
        return fail(v1Error(400, 215, QStringLiteral("Bad authentication data.")));
    const App *app = nullptr;
    for (const App &candidate : std::as_const(m_state->apps)) {
        if (candidate.consumerKey == *consumerKey)
            app = &candidate;
    }
    if (!app || *method != "HMAC-SHA1")
        return couldNotAuthenticate();

    QByteArray tokenSecret;
    QString userId;
    if (!token.isEmpty()) {
        if (route.auth == AuthNeed::RequestToken) {
            const auto it = m_state->requestTokens.constFind(token);
            if (it == m_state->requestTokens.cend() || it->appId != app->id)
                return couldNotAuthenticate();
            tokenSecret = it->secret;
        } else {
            const auto it = m_state->accessTokens.constFind(token);
            if (it == m_state->accessTokens.cend() || it->appId != app->id)
                return couldNotAuthenticate();
            tokenSecret = it->secret;
            userId = it->userId;
        }
    }

    bool timestampOk = false;
    const qint64 seconds = timestamp->toLongLong(&timestampOk);
    if (!timestampOk || qAbs(seconds - now().toSecsSinceEpoch()) > 300)
        return fail(v1Error(401, 135, QStringLiteral("Timestamp out of bounds.")));

    // Recompute over what arrived: method, scheme/host/port/path as received, query, form body,
    // and the oauth_* parameters except the signature (a JSON body is not signed).
    oauth1::ParamList params = oauth1::queryParameters(ex->url);
    params.append(ex->formParams());
    for (const auto &[key, value] : *parsed) {
        if (key != "oauth_signature" && key != "realm")
            params.append({key, value});
    }
    const QByteArray baseString = oauth1::signatureBaseString(ex->method, ex->url, params);
    const QByteArray expected =
        oauth1::hmacSha1(oauth1::signingKey(app->consumerSecret, tokenSecret), baseString);
    if (!crc::constantTimeEquals(expected, *signature))
        return couldNotAuthenticate();

    // A nonce may be used once within the timestamp window. The newest limits.nonces are kept.
    const QDateTime current = now();
    const QByteArray nonceKey = *consumerKey + '\n' + token + '\n' + *nonce;
    const auto seen = m_state->seenNonces.constFind(nonceKey);
    if (seen != m_state->seenNonces.cend() && seen.value().secsTo(current) <= 300)
        return couldNotAuthenticate();
    m_state->seenNonces.insert(nonceKey, current);
    m_state->nonceOrder.emplace_back(nonceKey, current);
    forgetOldNonces(*m_state);

    ex->verified = true;
    ex->appId = app->id;
    ex->userId = userId;

    // The signature holds; is it the kind of credential this endpoint takes?
    switch (route.auth) {
    case AuthNeed::ConsumerOnly:
        if (!token.isEmpty())
            return couldNotAuthenticate();
        return true;
    case AuthNeed::RequestToken:
        if (token.isEmpty())
            return couldNotAuthenticate();
        return true;
    case AuthNeed::AppOnly:
        if (v2) {
            finish(ex,
                   v2UnsupportedAuth(
                       QStringLiteral("Authenticating with OAuth 1.0a User Context is forbidden for "
                                      "this endpoint.  Supported authentication types are ") +
                       authTypeName(route.auth) + QLatin1Char('.')));
            return false;
        }
        finish(ex,
               v1Error(401, 32,
                       QStringLiteral(
                           "Invalid authentication method. Please use application-only authentication.")));
        return false;
    case AuthNeed::OwnerOnly:
    case AuthNeed::AppOrOwner:
        if (token.isEmpty())
            return couldNotAuthenticate();
        if (userId != app->ownerUserId) {
            // Webhook management is the app owner's: another user's token is refused.
            if (v2) {
                finish(ex,
                       v2UnsupportedAuth(
                           QStringLiteral("Only the app owner's user context may manage webhooks.")));
                return false;
            }
            finish(
                ex,
                v1Error(403, 220, QStringLiteral("Your credentials do not allow access to this resource.")));
            return false;
        }
        return true;
    case AuthNeed::UserOnly:
    case AuthNeed::AppOrUser:
        if (token.isEmpty())
            return couldNotAuthenticate();
        return true;
    case AuthNeed::None:
        return true;
    }
    return true;
}

} // namespace activity::sandbox
