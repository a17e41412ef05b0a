// The 3-legged OAuth 1.0a login against the sandbox: request_token, the authorize page, approval,
// denial, the PIN flow and access_token, driven with raw HTTP.

#include "SandboxTestSupport.h"

#include <QtTest>

using namespace sandboxtest;
using namespace std::chrono_literals;

class TestSandboxLogin : public SandboxTestCase
{
    Q_OBJECT

private:
    static QHash<QString, QString> form(const QByteArray &body)
    {
        QHash<QString, QString> out;
        const QUrlQuery query(QString::fromUtf8(body));
        for (const auto &[k, v] : query.queryItems(QUrl::FullyDecoded))
            out.insert(k, v);
        return out;
    }

    // Step 1; returns token and secret.
    std::pair<QByteArray, QByteArray> requestToken(const QString &callback)
    {
        Credentials consumer; // no token
        const Response r = m_client->signedCall("POST", QStringLiteral("/oauth/request_token"), consumer, {},
                                                {{QStringLiteral("oauth_callback"), callback}});
        if (r.status != 200)
            return {};
        const auto values = form(r.body);
        if (values.value(QStringLiteral("oauth_callback_confirmed")) != QLatin1String("true"))
            return {};
        return {values.value(QStringLiteral("oauth_token")).toLatin1(),
                values.value(QStringLiteral("oauth_token_secret")).toLatin1()};
    }

    Response submit(const QByteArray &token, const QString &username, const QString &password,
                    const QString &action)
    {
        const Params fields {{QStringLiteral("oauth_token"), QString::fromLatin1(token)},
                             {QStringLiteral("username"), username},
                             {QStringLiteral("password"), password},
                             {QStringLiteral("action"), action}};
        return m_client->send("POST", m_client->url(QStringLiteral("/oauth/authorize")), {},
                              Client::formBody(fields), "application/x-www-form-urlencoded");
    }

    Response accessToken(const QByteArray &token, const QByteArray &secret, const QString &verifier)
    {
        Credentials c;
        c.token = token;
        c.tokenSecret = secret;
        return m_client->signedCall("POST", QStringLiteral("/oauth/access_token"), c, {},
                                    {{QStringLiteral("oauth_verifier"), verifier}});
    }

private Q_SLOTS:
    void shouldCompleteTheThreeLeggedLogin()
    {
        const auto [token, secret] = requestToken(demo::callbackUrl);
        QVERIFY(!token.isEmpty() && !secret.isEmpty());

        const Response page = m_client->send(
            "GET",
            m_client->url(QStringLiteral("/oauth/authorize?oauth_token=") + QString::fromLatin1(token)));
        QCOMPARE(page.status, 200);
        QVERIFY(page.header("content-type").startsWith("text/html"));
        const QString html = QString::fromUtf8(page.body);
        for (const char *needle : {"<title>", "id=\"username\"", "id=\"password\"", "id=\"allow\"",
                                   "id=\"deny\"", "method=\"post\""})
            QVERIFY2(html.contains(QLatin1String(needle)), needle);
        QVERIFY(html.contains(demo::appName));

        const Response approved =
            submit(token, demo::alice.username, demo::alice.password, QStringLiteral("allow"));
        QCOMPARE(approved.status, 302);
        const QUrl location(QString::fromUtf8(approved.header("location")));
        QCOMPARE(location.adjusted(QUrl::RemoveQuery), QUrl(demo::callbackUrl));
        const QUrlQuery query(location);
        QCOMPARE(query.queryItemValue(QStringLiteral("oauth_token")).toLatin1(), token);
        const QString verifier = query.queryItemValue(QStringLiteral("oauth_verifier"));
        QVERIFY(!verifier.isEmpty());

        const Response access = accessToken(token, secret, verifier);
        QCOMPARE(access.status, 200);
        const auto values = form(access.body);
        QCOMPARE(values.value(QStringLiteral("user_id")), demo::alice.id);
        QCOMPARE(values.value(QStringLiteral("screen_name")), demo::alice.username);
        QVERIFY(!values.value(QStringLiteral("oauth_token")).isEmpty());
        QVERIFY(!values.value(QStringLiteral("oauth_token_secret")).isEmpty());

        // The issued token works for user-context calls (alice is a seeded subscriber).
        Credentials alice {demo::consumerKey, demo::consumerSecret,
                           values.value(QStringLiteral("oauth_token")).toLatin1(),
                           values.value(QStringLiteral("oauth_token_secret")).toLatin1()};
        QCOMPARE(m_client
                     ->signedCall("GET",
                                  QStringLiteral("/1.1/account_activity/webhooks/%1/subscriptions/all.json")
                                      .arg(demo::validWebhookId),
                                  alice)
                     .status,
                 204);

        // A request token is single-use.
        const Response again = accessToken(token, secret, verifier);
        QCOMPARE(again.status, 401);
    }

    void shouldMintTokensThatSubscribe()
    {
        const auto [token, secret] = requestToken(demo::appSchemeCallbackUrl);
        QVERIFY(!token.isEmpty());
        const Response approved =
            submit(token, demo::dave.username, demo::dave.password, QStringLiteral("allow"));
        QCOMPARE(approved.status, 302);
        QVERIFY(approved.header("location").startsWith("activity-console://oauth-callback?"));
        const QString verifier = QUrlQuery(QUrl(QString::fromUtf8(approved.header("location"))))
                                     .queryItemValue(QStringLiteral("oauth_verifier"));
        const auto values = form(accessToken(token, secret, verifier).body);
        QCOMPARE(values.value(QStringLiteral("user_id")), demo::dave.id);
        Credentials dave {demo::consumerKey, demo::consumerSecret,
                          values.value(QStringLiteral("oauth_token")).toLatin1(),
                          values.value(QStringLiteral("oauth_token_secret")).toLatin1()};
        const Response sub = m_client->signedCall(
            "POST",
            QStringLiteral("/2/account_activity/webhooks/%1/subscriptions/all").arg(demo::validWebhookId),
            dave);
        QCOMPARE(sub.status, 200);
        QVERIFY(m_server->isSubscribed(demo::validWebhookId, demo::dave.id));
    }

    void shouldShowThePageAgainOnWrongPassword()
    {
        const auto [token, secret] = requestToken(demo::callbackUrl);
        const Response r =
            submit(token, demo::bob.username, QStringLiteral("wrong"), QStringLiteral("allow"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("id=\"error\""));
        QVERIFY(r.body.contains("id=\"password\""));
        // The token still works with the right password afterwards.
        QCOMPARE(submit(token, demo::bob.username, demo::bob.password, QStringLiteral("allow")).status, 302);
    }

    void shouldRedirectWithDeniedOnCancel()
    {
        const auto [token, secret] = requestToken(demo::callbackUrl);
        const Response r = submit(token, QString(), QString(), QStringLiteral("deny"));
        QCOMPARE(r.status, 302);
        const QUrl location(QString::fromUtf8(r.header("location")));
        QCOMPARE(QUrlQuery(location).queryItemValue(QStringLiteral("denied")).toLatin1(), token);
        QVERIFY(!QUrlQuery(location).hasQueryItem(QStringLiteral("oauth_verifier")));
        QCOMPARE(accessToken(token, secret, QStringLiteral("anything")).status, 401);
    }

    void shouldShowAPinForOutOfBand()
    {
        const auto [token, secret] = requestToken(QStringLiteral("oob"));
        QVERIFY(!token.isEmpty());
        const Response r = submit(token, demo::carol.username, demo::carol.password, QStringLiteral("allow"));
        QCOMPARE(r.status, 200);
        const QRegularExpressionMatch pin =
            QRegularExpression(QStringLiteral("id=\"pin\">([0-9]{7})<")).match(QString::fromUtf8(r.body));
        QVERIFY(pin.hasMatch());
        const Response access = accessToken(token, secret, pin.captured(1));
        QCOMPARE(access.status, 200);
        QCOMPARE(form(access.body).value(QStringLiteral("screen_name")), demo::carol.username);
    }

    void shouldRefuseUnregisteredCallback()
    {
        Credentials consumer;
        const Response r = m_client->signedCall(
            "POST", QStringLiteral("/oauth/request_token"), consumer, {},
            {{QStringLiteral("oauth_callback"), QStringLiteral("https://evil.example.com/cb")}});
        QCOMPARE(r.status, 403);
        QCOMPARE(
            r.body,
            QByteArrayLiteral(
                "{\"errors\":[{\"code\":415,\"message\":\"Callback URL not approved for this client "
                "application. Approved callback URLs can be adjusted in your application settings\"}]}"));
    }

    void shouldRefuseWrongVerifier()
    {
        const auto [token, secret] = requestToken(demo::callbackUrl);
        QCOMPARE(submit(token, demo::alice.username, demo::alice.password, QStringLiteral("allow")).status,
                 302);
        const Response r = accessToken(token, secret, QStringLiteral("not-the-verifier"));
        QCOMPARE(r.status, 401);
        QVERIFY(r.body.contains("oauth_verifier"));
    }

    void shouldExpireRequestTokensAfterTenMinutes()
    {
        const auto [token, secret] = requestToken(demo::callbackUrl);
        const Response approved =
            submit(token, demo::alice.username, demo::alice.password, QStringLiteral("allow"));
        const QString verifier = QUrlQuery(QUrl(QString::fromUtf8(approved.header("location"))))
                                     .queryItemValue(QStringLiteral("oauth_verifier"));
        m_server->advance(11min);
        Credentials c;
        c.token = token;
        c.tokenSecret = secret;
        const QUrl url = m_client->url(QStringLiteral("/oauth/access_token"));
        const Response r = m_client->send("POST", url,
                                          Client::oauthHeader("POST", url, c, {},
                                                              {{QStringLiteral("oauth_verifier"), verifier}},
                                                              m_server->now().toSecsSinceEpoch()));
        QCOMPARE(r.status, 401);
        const Response page = m_client->send(
            "GET",
            m_client->url(QStringLiteral("/oauth/authorize?oauth_token=") + QString::fromLatin1(token)));
        QCOMPARE(page.status, 403);
    }
};

QTEST_GUILESS_MAIN(TestSandboxLogin)
#include "tst_sandbox_login.moc"
