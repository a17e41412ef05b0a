// The login pages of the 3-legged OAuth 1.0a sign-in: oauth/authorize (and oauth/authenticate)
// shows the sign-in form, and its submission approves the request token (a redirect to the
// callback, or a PIN for "oob") or denies it.

#include "LoginPageHandlers.h"

#include "Pages.h"
#include "RandomToken.h"

#include <QRandomGenerator>

namespace activity::sandbox {

LoginPageHandlers::LoginPageHandlers(const SandboxParts &parts)
    : HandlerGroup(parts)
{
}

void LoginPageHandlers::registerRoutes()
{
    // Not API calls: pages a person's browser shows, so neither catalogued nor rate-limited.
    const QString pages = QStringLiteral("/oauth/(authorize|authenticate)");
    m_router.addLocal("GET", pages, RouteFamily::OAuth, AuthNeed::None,
                      handler(&LoginPageHandlers::authorizePage));
    m_router.addLocal("POST", pages, RouteFamily::OAuth, AuthNeed::None,
                      handler(&LoginPageHandlers::authorizeSubmit));
}

namespace {

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString authorizeHtml(const QString &appName, const QByteArray &token, const QString &username,
                      const QString &error, const QString &action)
{
    QString html =
        QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<title>Authorize %1 to access your account? — X Sandbox</title>%2</head><body>"
                       "<h1>Authorize <span id=\"app-name\">%1</span> to access your account?</h1>"
                       "<p>This is the Activity Console sandbox on your own machine, not X.</p>")
            .arg(escaped(appName), signInPageStyle());
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

} // namespace

void LoginPageHandlers::authorizePage(const ExchangePtr &ex)
{
    const QByteArray token = ex->queryValue(QStringLiteral("oauth_token")).toUtf8();
    const auto it = m_world.requestTokens.constFind(token);
    if (it == m_world.requestTokens.cend() || it->used || !it->approvedUserId.isEmpty() ||
        it->expiredAt(m_world.now())) {
        answer(ex,
               htmlReply(403,
                         messagePage(QStringLiteral("This page is no longer valid"),
                                     QStringLiteral("<p id=\"error\">The request token is unknown, used or "
                                                    "expired. Start the sign-in again from the app.</p>"))));
        return;
    }
    const QString action = QStringLiteral("/oauth/") + ex->capture(1);
    answer(ex,
           htmlReply(200,
                     authorizeHtml(m_world.apps.value(it->appId).name, token,
                                   ex->queryValue(QStringLiteral("screen_name")), {}, action)));
}

void LoginPageHandlers::authorizeSubmit(const ExchangePtr &ex)
{
    const oauth1::ParamList form = oauth1::parseFormEncoded(ex->body);
    const auto value = [&form](const char *key) {
        const QByteArray *v = findParam(form, key);
        return v ? *v : QByteArray();
    };
    const QByteArray token = value("oauth_token");
    auto it = m_world.requestTokens.find(token);
    if (it == m_world.requestTokens.end() || it->used || !it->approvedUserId.isEmpty() ||
        it->expiredAt(m_world.now())) {
        answer(ex,
               htmlReply(403,
                         messagePage(QStringLiteral("This page is no longer valid"),
                                     QStringLiteral("<p id=\"error\">The request token is unknown, used or "
                                                    "expired.</p>"))));
        return;
    }
    const bool oob = it->callback == QLatin1String("oob");
    const auto redirect = [this, ex](const QUrl &target, const QList<std::pair<QString, QString>> &items) {
        answer(ex, redirectReply(target, items));
    };

    const QString callback = it->callback;
    const QString action = QStringLiteral("/oauth/") + ex->capture(1);
    if (value("action") != "allow") {
        m_world.requestTokens.erase(it);
        if (oob) {
            answer(ex,
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
    const User *user = m_world.userWithPassword(username, password);
    if (!user) {
        answer(ex,
               htmlReply(200,
                         authorizeHtml(m_world.apps.value(it->appId).name, token, username,
                                       QStringLiteral("The username and password did not match."), action)));
        return;
    }
    it->approvedUserId = user->id;
    if (oob) {
        // PIN flow: a 7-digit verifier the person types into the app.
        it->verifier = QByteArray::number(QRandomGenerator::system()->bounded(1000000, 10000000));
        answer(ex,
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

} // namespace activity::sandbox
