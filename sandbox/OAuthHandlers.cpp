// The OAuth endpoints: oauth/request_token and oauth/access_token (3-legged OAuth 1.0a, PIN flow
// too) and oauth2/token (the app-only bearer). The pages between them are LoginPageHandlers'.

#include "OAuthHandlers.h"

#include "Crc.h"
#include "RandomToken.h"

namespace activity::sandbox {

OAuthHandlers::OAuthHandlers(const SandboxParts &parts)
    : HandlerGroup(parts)
{
}

void OAuthHandlers::registerRoutes()
{
    // The same endpoints whichever generation the rest of the API uses; X documents no limits.
    const auto any = ApiGeneration::V2;
    m_router.addApi(Operation::RequestToken, any, AuthNeed::ConsumerOnly,
                    handler(&OAuthHandlers::requestToken));
    m_router.addApi(Operation::AccessToken, any, AuthNeed::RequestToken,
                    handler(&OAuthHandlers::accessToken));
    // Authenticates itself: HTTP Basic with the consumer key and secret.
    m_router.addApi(Operation::BearerToken, any, AuthNeed::None, handler(&OAuthHandlers::bearerToken));
}

namespace {

// A registered callback matches when everything but the query string is equal.
bool callbackApproved(const QStringList &registered, const QString &callback)
{
    const QUrl asked(callback);
    for (const QString &candidate : registered) {
        const QUrl known(candidate);
        if (asked.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment) ==
            known.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment))
            return true;
    }
    return false;
}

// X labels its token answers text/html and ends them with a newline.
Reply tokenReply(const oauth1::ParamList &params, bool xStyle)
{
    Reply reply = formReply(params);
    if (xStyle) {
        reply.contentType = QByteArrayLiteral("text/html; charset=utf-8");
        reply.body += '\n';
    }
    return reply;
}

} // namespace

void OAuthHandlers::requestToken(const ExchangePtr &ex)
{
    const QByteArray *callbackParam = findParam(ex->oauthParams, "oauth_callback");
    const QString callback = callbackParam ? QString::fromUtf8(*callbackParam) : QString();
    const App app = m_world.apps.value(ex->appId);
    if (callback != QLatin1String("oob") && !callbackApproved(app.callbackUrls, callback)) {
        answer(
            ex,
            v1Error(403, 415,
                    QStringLiteral("Callback URL not approved for this client application. Approved callback "
                                   "URLs can be adjusted in your application settings")));
        return;
    }
    RequestToken token;
    token.token = randomToken(24);
    token.secret = randomToken(30);
    token.appId = app.id;
    token.callback = callback;
    token.createdAt = m_world.now();
    m_world.requestTokens.insert(token.token, token);
    answer(ex,
           tokenReply({{QByteArrayLiteral("oauth_token"), token.token},
                       {QByteArrayLiteral("oauth_token_secret"), token.secret},
                       {QByteArrayLiteral("oauth_callback_confirmed"), QByteArrayLiteral("true")}},
                      m_world.settings.xStyleTokenAnswers));
}

void OAuthHandlers::accessToken(const ExchangePtr &ex)
{
    // X answers these failures with a plain-text 401.
    const auto refuse = [this, ex](const QString &text) {
        Reply reply = textReply(401, text);
        reply.errorCode = 32;
        answer(ex, reply);
    };
    auto it = m_world.requestTokens.find(ex->token);
    if (it == m_world.requestTokens.end()) {
        refuse(QStringLiteral("Invalid request token."));
        return;
    }
    if (it->used || it->expiredAt(m_world.now())) {
        m_world.requestTokens.erase(it);
        refuse(
            QStringLiteral("Invalid or expired token. This request token was used or expired; start again."));
        return;
    }
    const QByteArray *verifier = findParam(ex->oauthParams, "oauth_verifier");
    QByteArray presented = verifier ? *verifier : ex->param("oauth_verifier");
    if (it->approvedUserId.isEmpty() || presented.isEmpty() ||
        !crc::constantTimeEquals(it->verifier, presented)) {
        refuse(QStringLiteral("Error processing your OAuth request: Invalid oauth_verifier parameter"));
        return;
    }
    it->used = true; // single use, whatever happens next
    const QString userId = it->approvedUserId;
    const QString appId = it->appId;

    // One access token per user and app, as on X: signing in again returns the same pair.
    const AccessToken *existing = nullptr;
    for (const AccessToken &candidate : std::as_const(m_world.accessTokens)) {
        if (candidate.userId == userId && candidate.appId == appId)
            existing = &candidate;
    }
    AccessToken token;
    if (existing) {
        token = *existing;
    } else {
        token = AccessToken {userId.toUtf8() + '-' + randomToken(30), randomToken(33), userId, appId, true};
        m_world.accessTokens.insert(token.token, token);
    }
    answer(ex,
           tokenReply({{QByteArrayLiteral("oauth_token"), token.token},
                       {QByteArrayLiteral("oauth_token_secret"), token.secret},
                       {QByteArrayLiteral("user_id"), userId.toUtf8()},
                       {QByteArrayLiteral("screen_name"), m_world.users.value(userId).username.toUtf8()}},
                      m_world.settings.xStyleTokenAnswers));
}

void OAuthHandlers::bearerToken(const ExchangePtr &ex)
{
    const auto unable = [this, ex] {
        Reply reply = jsonReply(
            403,
            QJsonObject {
                {QStringLiteral("errors"),
                 QJsonArray {QJsonObject {
                     {QStringLiteral("code"), 99},
                     {QStringLiteral("label"), QStringLiteral("authenticity_token_error")},
                     {QStringLiteral("message"), QStringLiteral("Unable to verify your credentials")}}}}});
        reply.errorCode = 99;
        answer(ex, reply);
    };
    const QByteArray authorization = ex->header(QByteArrayLiteral("authorization")).trimmed();
    if (!authorization.startsWith("Basic ")) {
        unable();
        return;
    }
    ex->credential = CredentialKind::ConsumerBasic;
    const QByteArray decoded = QByteArray::fromBase64(authorization.mid(6).trimmed());
    const qsizetype colon = decoded.indexOf(':');
    if (colon < 0) {
        unable();
        return;
    }
    const QByteArray key = oauth1::percentDecode(decoded.left(colon), false);
    const QByteArray secret = oauth1::percentDecode(decoded.mid(colon + 1), false);
    const App *app = nullptr;
    for (const App &candidate : std::as_const(m_world.apps)) {
        if (candidate.consumerKey == key && crc::constantTimeEquals(candidate.consumerSecret, secret))
            app = &candidate;
    }
    if (!app) {
        unable();
        return;
    }
    ex->verified = true;
    ex->appId = app->id;
    const QByteArray *grant = nullptr;
    const oauth1::ParamList form = oauth1::parseFormEncoded(ex->body);
    grant = findParam(form, "grant_type");
    if (!grant || *grant != "client_credentials") {
        answer(ex, v1Error(403, 170, QStringLiteral("Missing required parameter: grant_type")));
        return;
    }
    answer(ex,
           jsonReply(200,
                     QJsonObject {{QStringLiteral("token_type"), QStringLiteral("bearer")},
                                  {QStringLiteral("access_token"), QString::fromLatin1(app->bearerToken)}}));
}

} // namespace activity::sandbox
