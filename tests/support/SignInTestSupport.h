#pragma once

// Plays the person in front of the sandbox's authorize page over plain HTTP: fetches the page,
// fills in the form and posts it, and returns where the sandbox redirects to.

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QUrlQuery>

namespace signintest {

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

inline QString pinFrom(const QByteArray &page)
{
    return QRegularExpression(QStringLiteral("id=\"pin\">([0-9]+)<"))
        .match(QString::fromUtf8(page))
        .captured(1);
}

} // namespace signintest
