// The 3-legged OAuth 1.0a login (request_token → authorize page → access_token, PIN flow too) and
// the OAuth 2.0 app-only bearer token endpoint.

#include "SandboxServer.h"

#include "Crc.h"
#include "RandomToken.h"
#include "SandboxInternal.h"

#include <QRandomGenerator>
#include <QUrlQuery>

namespace activity::sandbox {

namespace {

const QByteArray *findParam(const oauth1::ParamList &params, const char *key)
{
    for (const auto &[k, v] : params) {
        if (k == key)
            return &v;
    }
    return nullptr;
}

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

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

constexpr qint64 requestTokenLifetimeSeconds = 10 * 60;

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

void SandboxServer::handleRequestToken(const ExchangePtr &ex)
{
    const QByteArray *callbackParam = findParam(ex->oauthParams, "oauth_callback");
    const QString callback = callbackParam ? QString::fromUtf8(*callbackParam) : QString();
    const App app = m_state->apps.value(ex->appId);
    if (callback != QLatin1String("oob") && !callbackApproved(app.callbackUrls, callback)) {
        finish(
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
    token.createdAt = now();
    m_state->requestTokens.insert(token.token, token);
    finish(ex,
           tokenReply({{QByteArrayLiteral("oauth_token"), token.token},
                       {QByteArrayLiteral("oauth_token_secret"), token.secret},
                       {QByteArrayLiteral("oauth_callback_confirmed"), QByteArrayLiteral("true")}},
                      m_state->xStyleTokenAnswers));
}

static QString authorizePage(const QString &appName, const QByteArray &token, const QString &username,
                             const QString &error, const QString &action)
{
    QString html =
        QStringLiteral(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Authorize %1 to access your account? — X Sandbox</title>"
            "<style>body{font-family:sans-serif;max-width:28em;margin:3em auto;color:#0f1419}"
            "label{display:block;margin:.8em 0 .2em}input{width:100%;padding:.4em;box-sizing:border-box}"
            ".error{color:#b00020}button{margin:1em .5em 0 0;padding:.5em 1.2em}</style></head><body>"
            "<h1>Authorize <span id=\"app-name\">%1</span> to access your account?</h1>"
            "<p>This is the Activity Console sandbox on your own machine, not X.</p>")
            .arg(escaped(appName));
    if (!error.isEmpty())
        html += QStringLiteral("<p class=\"error\" id=\"error\">%1</p>").arg(escaped(error));
    html +=
        QStringLiteral(
            "<form method=\"post\" action=\"%1\" id=\"login\">"
            "<input type=\"hidden\" name=\"oauth_token\" value=\"%2\">"
            "<label for=\"username\">Username</label>"
            "<input id=\"username\" name=\"username\" autocomplete=\"username\" value=\"%3\">"
            "<label for=\"password\">Password</label>"
            "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">"
            "<button id=\"allow\" type=\"submit\" name=\"action\" value=\"allow\">Authorize app</button>"
            "<button id=\"deny\" type=\"submit\" name=\"action\" value=\"deny\">Cancel</button>"
            "</form></body></html>\n")
            .arg(action, QString::fromLatin1(token), escaped(username));
    return html;
}

static QString messagePage(const QString &title, const QString &body)
{
    return QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%1 — X "
                          "Sandbox</title>"
                          "<style>body{font-family:sans-serif;max-width:28em;margin:3em auto}</style></head>"
                          "<body><h1>%1</h1>%2</body></html>\n")
        .arg(escaped(title), body);
}

void SandboxServer::handleAuthorizePage(const ExchangePtr &ex)
{
    const QByteArray token = ex->queryValue(QStringLiteral("oauth_token")).toUtf8();
    const auto it = m_state->requestTokens.constFind(token);
    if (it == m_state->requestTokens.cend() || it->used || !it->approvedUserId.isEmpty() ||
        it->createdAt.secsTo(now()) > requestTokenLifetimeSeconds) {
        finish(ex,
               htmlReply(403,
                         messagePage(QStringLiteral("This page is no longer valid"),
                                     QStringLiteral("<p id=\"error\">The request token is unknown, used or "
                                                    "expired. Start the sign-in again from the app.</p>"))));
        return;
    }
    const QString action = QStringLiteral("/oauth/") + ex->capture(1);
    finish(ex,
           htmlReply(200,
                     authorizePage(m_state->apps.value(it->appId).name, token,
                                   ex->queryValue(QStringLiteral("screen_name")), {}, action)));
}

void SandboxServer::handleAuthorizeSubmit(const ExchangePtr &ex)
{
    const oauth1::ParamList form = oauth1::parseFormEncoded(ex->body);
    const auto value = [&form](const char *key) {
        const QByteArray *v = findParam(form, key);
        return v ? *v : QByteArray();
    };
    const QByteArray token = value("oauth_token");
    auto it = m_state->requestTokens.find(token);
    if (it == m_state->requestTokens.end() || it->used || !it->approvedUserId.isEmpty() ||
        it->createdAt.secsTo(now()) > requestTokenLifetimeSeconds) {
        finish(ex,
               htmlReply(403,
                         messagePage(QStringLiteral("This page is no longer valid"),
                                     QStringLiteral("<p id=\"error\">The request token is unknown, used or "
                                                    "expired.</p>"))));
        return;
    }
    const bool oob = it->callback == QLatin1String("oob");
    const auto redirect = [this, ex](QUrl target, const QList<std::pair<QString, QString>> &items) {
        QUrlQuery query(target);
        for (const auto &[k, v] : items)
            query.addQueryItem(k, QString::fromUtf8(QUrl::toPercentEncoding(v)));
        target.setQuery(query);
        Reply reply = htmlReply(302, messagePage(QStringLiteral("Redirecting"), QString()));
        reply.headers.append({QByteArrayLiteral("Location"), target.toEncoded()});
        finish(ex, reply);
    };

    const QString callback = it->callback;
    const QString action = QStringLiteral("/oauth/") + ex->capture(1);
    if (value("action") != "allow") {
        m_state->requestTokens.erase(it);
        if (oob) {
            finish(ex,
                   htmlReply(200,
                             messagePage(QStringLiteral("You did not authorize the app"),
                                         QStringLiteral("<p id=\"denied\">No access was granted.</p>"))));
            return;
        }
        redirect(QUrl(callback), {{QStringLiteral("denied"), QString::fromLatin1(token)}});
        return;
    }

    const QString username = QString::fromUtf8(value("username")).trimmed();
    const QString password = QString::fromUtf8(value("password"));
    const User *user = nullptr;
    for (const User &candidate : std::as_const(m_state->users)) {
        if (!candidate.password.isEmpty() && candidate.username.compare(username, Qt::CaseInsensitive) == 0)
            user = &candidate;
    }
    if (!user || !crc::constantTimeEquals(user->password.toUtf8(), password.toUtf8())) {
        finish(ex,
               htmlReply(200,
                         authorizePage(m_state->apps.value(it->appId).name, token, username,
                                       QStringLiteral("The username and password did not match."), action)));
        return;
    }
    it->approvedUserId = user->id;
    if (oob) {
        // PIN flow: a 7-digit verifier the person types into the app.
        it->verifier = QByteArray::number(QRandomGenerator::system()->bounded(1000000, 10000000));
        finish(ex,
               htmlReply(200,
                         messagePage(QStringLiteral("Next, return to the app and enter this PIN"),
                                     QStringLiteral("<p>To complete the authorization, enter this PIN:</p>"
                                                    "<p><code id=\"pin\">%1</code></p>")
                                         .arg(QString::fromLatin1(it->verifier)))));
        return;
    }
    it->verifier = randomToken(24);
    redirect(QUrl(callback),
             {{QStringLiteral("oauth_token"), QString::fromLatin1(token)},
              {QStringLiteral("oauth_verifier"), QString::fromLatin1(it->verifier)}});
}

void SandboxServer::handleAccessToken(const ExchangePtr &ex)
{
    // X answers these failures with a plain-text 401.
    const auto refuse = [this, ex](const QString &text) {
        Reply reply = textReply(401, text);
        reply.errorCode = 32;
        finish(ex, reply);
    };
    auto it = m_state->requestTokens.find(ex->token);
    if (it == m_state->requestTokens.end()) {
        refuse(QStringLiteral("Invalid request token."));
        return;
    }
    if (it->used || it->createdAt.secsTo(now()) > requestTokenLifetimeSeconds) {
        m_state->requestTokens.erase(it);
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
    for (const AccessToken &candidate : std::as_const(m_state->accessTokens)) {
        if (candidate.userId == userId && candidate.appId == appId)
            existing = &candidate;
    }
    AccessToken token;
    if (existing) {
        token = *existing;
    } else {
        token = AccessToken {userId.toUtf8() + '-' + randomToken(30), randomToken(33), userId, appId, true};
        m_state->accessTokens.insert(token.token, token);
    }
    finish(ex,
           tokenReply({{QByteArrayLiteral("oauth_token"), token.token},
                       {QByteArrayLiteral("oauth_token_secret"), token.secret},
                       {QByteArrayLiteral("user_id"), userId.toUtf8()},
                       {QByteArrayLiteral("screen_name"), m_state->users.value(userId).username.toUtf8()}},
                      m_state->xStyleTokenAnswers));
}

void SandboxServer::handleBearerToken(const ExchangePtr &ex)
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
        finish(ex, reply);
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
    for (const App &candidate : std::as_const(m_state->apps)) {
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
        finish(ex, v1Error(403, 170, QStringLiteral("Missing required parameter: grant_type")));
        return;
    }
    finish(ex,
           jsonReply(200,
                     QJsonObject {{QStringLiteral("token_type"), QStringLiteral("bearer")},
                                  {QStringLiteral("access_token"), QString::fromLatin1(app->bearerToken)}}));
}

} // namespace activity::sandbox
