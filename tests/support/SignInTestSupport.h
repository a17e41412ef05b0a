#pragma once

// Plays the person in front of the sandbox's authorize page: over plain HTTP (fetches the page,
// fills in the form and posts it, and returns where the sandbox redirects to), or inside the real
// sign-in window of the activity-signin helper through its test hooks (HelperTestHooks).

#include "ApiClient.h"
#include "SandboxDemo.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUrlQuery>

namespace signintest {

// The demo app's client for a sandbox on 127.0.0.1 (plain http), as the sign-in tests start from.
inline activity::ApiClient *demoAppClient(QNetworkAccessManager *network, const QUrl &sandboxUrl,
                                          QObject *parent)
{
    namespace demo = activity::sandbox::demo;
    activity::ClientConfig config;
    config.baseUrl = sandboxUrl;
    config.allowInsecureLoopback = true; // the sandbox, on plain http
    return new activity::ApiClient(
        network, config,
        {demo::consumerKey, demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, {}}, nullptr,
        parent);
}

struct PageAnswer
{
    int status = 0;
    QUrl redirect; // Location of a 302, resolved
    QByteArray body;
};

inline PageAnswer finish(QNetworkReply *reply)
{
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(10000);
    PageAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    const QUrl location = reply->header(QNetworkRequest::LocationHeader).toUrl();
    if (location.isValid())
        answer.redirect = reply->url().resolved(location);
    reply->deleteLater();
    return answer;
}

inline PageAnswer get(QNetworkAccessManager &network, const QUrl &url)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    return finish(network.get(request));
}

// Submits the authorize form the way a browser would: the form's own action and hidden fields.
inline PageAnswer submitAuthorizeForm(QNetworkAccessManager &network, const QUrl &pageUrl,
                                      const QByteArray &page, const QString &username,
                                      const QString &password, const QString &action)
{
    const auto formAction =
        QRegularExpression(QStringLiteral("<form[^>]*action=\"([^\"]+)\"")).match(QString::fromUtf8(page));
    const auto token = QRegularExpression(QStringLiteral("name=\"oauth_token\" value=\"([^\"]+)\""))
                           .match(QString::fromUtf8(page));
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("oauth_token"), token.captured(1));
    form.addQueryItem(QStringLiteral("username"), username);
    form.addQueryItem(QStringLiteral("password"), password);
    form.addQueryItem(QStringLiteral("action"), action);
    QNetworkRequest request(pageUrl.resolved(QUrl(formAction.captured(1))));
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    return finish(network.post(request, form.query(QUrl::FullyEncoded).toUtf8()));
}

// The OAuth 2.0 authorize page (sandbox/OAuth2PageHandlers.cpp) the way a browser submits it: its
// hidden fields, the person's name and password, the scopes left checked (all but `uncheck`) and
// the button pressed ("allow" or "deny").
inline PageAnswer submitOAuth2AuthorizeForm(QNetworkAccessManager &network, const QUrl &pageUrl,
                                            const QByteArray &page, const QString &username,
                                            const QString &password, const QString &action,
                                            const QStringList &uncheck = {})
{
    const QString html = QString::fromUtf8(page);
    const auto unescape = [](QString text) {
        return text.replace(QLatin1String("&quot;"), QLatin1String("\""))
            .replace(QLatin1String("&#39;"), QLatin1String("'"))
            .replace(QLatin1String("&lt;"), QLatin1String("<"))
            .replace(QLatin1String("&gt;"), QLatin1String(">"))
            .replace(QLatin1String("&amp;"), QLatin1String("&"));
    };
    QUrlQuery form;
    auto hidden =
        QRegularExpression(QStringLiteral("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">"))
            .globalMatch(html);
    while (hidden.hasNext()) {
        const auto match = hidden.next();
        form.addQueryItem(match.captured(1), unescape(match.captured(2)));
    }
    auto scopes =
        QRegularExpression(QStringLiteral("name=\"scope\" value=\"([^\"]+)\"( checked)?")).globalMatch(html);
    while (scopes.hasNext()) {
        const auto match = scopes.next();
        if (!match.captured(2).isEmpty() && !uncheck.contains(match.captured(1)))
            form.addQueryItem(QStringLiteral("scope"), match.captured(1));
    }
    form.addQueryItem(QStringLiteral("username"), username);
    form.addQueryItem(QStringLiteral("password"), password);
    form.addQueryItem(QStringLiteral("action"), action);
    const auto formAction = QRegularExpression(QStringLiteral("<form[^>]*action=\"([^\"]+)\"")).match(html);
    QNetworkRequest request(pageUrl.resolved(QUrl(unescape(formAction.captured(1)))));
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QByteArray body = form.query(QUrl::FullyEncoded).toUtf8();
    // QUrlQuery leaves '+' alone, which a form decoder reads as a space.
    body.replace("+", "%2B");
    return finish(network.post(request, body));
}

inline QString pinFrom(const QByteArray &page)
{
    return QRegularExpression(QStringLiteral("id=\"pin\">([0-9]+)<"))
        .match(QString::fromUtf8(page))
        .captured(1);
}

// The test hooks of the sign-in helper (see app/signin_main.cpp), through the environment it
// inherits from the test, so the console's own code starts it exactly as it does for a person:
// a script run in the page after every load, and a file that records links handed to the desktop.
class HelperTestHooks
{
public:
    HelperTestHooks()
    {
        qputenv("ACTIVITY_SIGNIN_TEST", "1");
        qputenv("ACTIVITY_SIGNIN_TEST_EXTERNAL_LINKS", externalLinksFile().toLocal8Bit());
        qunsetenv("ACTIVITY_SIGNIN_TEST_SCRIPT");
    }
    ~HelperTestHooks()
    {
        qunsetenv("ACTIVITY_SIGNIN_TEST");
        qunsetenv("ACTIVITY_SIGNIN_TEST_EXTERNAL_LINKS");
        qunsetenv("ACTIVITY_SIGNIN_TEST_SCRIPT");
    }
    HelperTestHooks(const HelperTestHooks &) = delete;
    HelperTestHooks &operator=(const HelperTestHooks &) = delete;

    // The script the next helper runs after every page load (it is read at each load).
    void setScript(const QString &script)
    {
        const QString path = m_dir.filePath(QStringLiteral("script-%1.js").arg(++m_scripts));
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write(script.toUtf8());
        qputenv("ACTIVITY_SIGNIN_TEST_SCRIPT", path.toLocal8Bit());
    }
    void clearScript() { qunsetenv("ACTIVITY_SIGNIN_TEST_SCRIPT"); }

    QString externalLinksFile() const { return m_dir.filePath(QStringLiteral("external-links.txt")); }
    QStringList externalLinks() const
    {
        QFile file(externalLinksFile());
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

private:
    QTemporaryDir m_dir;
    int m_scripts = 0;
};

// A page script that plays the person: on the authorize form it signs in as `username` and presses
// `button` ("allow" or "deny"); on the PIN page it types the PIN into the window; on the page that
// says the app was not authorised (PIN flow) it closes the window. `before` runs first on the form.
inline QString personScript(const QString &username, const QString &password, const QString &button,
                            const QString &before = QString())
{
    return QStringLiteral("(function () {"
                          "  var pin = document.getElementById('pin');"
                          "  if (pin) return {action: 'type-pin', pin: pin.textContent};"
                          "  if (document.getElementById('denied')) return {action: 'close-window'};"
                          "  var user = document.getElementById('username');"
                          "  if (!user) return {page: document.title};"
                          "  %4;"
                          "  user.value = '%1';"
                          "  document.getElementById('password').value = '%2';"
                          "  document.getElementById('%3').click();"
                          "  return {pressed: '%3'};"
                          "})()")
        .arg(username, password, button, before.isEmpty() ? QStringLiteral("0") : before);
}

// Closes the sign-in window as soon as the page is shown, as the person would.
inline QString closeWindowScript()
{
    return QStringLiteral("({action: 'close-window'})");
}

} // namespace signintest
