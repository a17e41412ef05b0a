// The sandbox checks credentials the way X does: OAuth 1.0a signatures recomputed from what was
// received (signed here with QOAuth1Signature, not with network/OAuth1), bearer tokens, and the
// credential kind each endpoint takes.

#include "SandboxTestSupport.h"

#include <QtTest>

using namespace sandboxtest;
using namespace std::chrono_literals;

class TestSandboxAuth : public SandboxTestCase
{
    Q_OBJECT

private:
    const QString m_check =
        QStringLiteral("/1.1/account_activity/webhooks/%1/subscriptions/all.json").arg(demo::validWebhookId);

private Q_SLOTS:
    void shouldListenOnLoopbackWithEphemeralPort()
    {
        QVERIFY(m_server->port() != 0);
        QCOMPARE(m_server->baseUrl(), QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->port())));
    }

    void shouldAcceptCorrectUserSignature()
    {
        const Response r = m_client->signedCall("GET", m_check, userCredentials(demo::alice));
        QCOMPARE(r.status, 204);
        const JournalEntry &entry = m_server->journal().last();
        QCOMPARE(entry.credential, activity::CredentialKind::SubscribingUser);
        QVERIFY(entry.credentialVerified);
        QCOMPARE(entry.status, 204);
    }

    void shouldSignQueryAndFormParametersWithReservedCharacters()
    {
        // users/lookup by POST: query and form body both signed; values with spaces, '+', '&'.
        const Params form {{QStringLiteral("user_id"), demo::bob.id + QStringLiteral(",") + demo::carol.id},
                           {QStringLiteral("note"), QStringLiteral("Ladies + Gentlemen & a ☃")}};
        const Response r = m_client->signedCall(
            "POST", QStringLiteral("/1.1/users/lookup.json?include_entities=true&x=a%20b"),
            userCredentials(demo::alice), form);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().array().size(), 2);
    }

    void shouldRejectWrongConsumerSecret()
    {
        Credentials c = userCredentials(demo::alice);
        c.consumerSecret = "not-the-secret";
        const Response r = m_client->signedCall("GET", m_check, c);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.v1Code(), 32);
        QCOMPARE(r.v1Message(), QStringLiteral("Could not authenticate you."));
        QVERIFY(!m_server->journal().last().credentialVerified);
    }

    void shouldRejectWrongTokenSecret()
    {
        Credentials c = userCredentials(demo::alice);
        c.tokenSecret = "wrong";
        const Response r = m_client->signedCall("GET", m_check, c);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.v1Code(), 32);
    }

    void shouldRejectUnknownConsumerKeyAndToken()
    {
        Credentials c = userCredentials(demo::alice);
        c.consumerKey = "unknown-key";
        QCOMPARE(m_client->signedCall("GET", m_check, c).v1Code(), 32);
        Credentials t = userCredentials(demo::alice);
        t.token = "123-unknown";
        const Response r = m_client->signedCall("GET", m_check, t);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.v1Code(), 32);
    }

    void shouldRejectSignatureOverDifferentUrl()
    {
        // Signed for another host/port: the sandbox uses scheme/host/port as received.
        const QUrl target = m_client->url(m_check);
        QUrl other = target;
        other.setPort(target.port() + 1);
        const Response r =
            m_client->send("GET", target, Client::oauthHeader("GET", other, userCredentials(demo::alice)));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.v1Code(), 32);
    }

    void shouldRejectStaleTimestamp()
    {
        const QUrl target = m_client->url(m_check);
        const qint64 stale = m_server->now().toSecsSinceEpoch() - 301 - 5;
        const Response r = m_client->send(
            "GET", target, Client::oauthHeader("GET", target, userCredentials(demo::alice), {}, {}, stale));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.v1Code(), 135);
        // v2: the same failure is a plain 401 Unauthorized problem.
        const QUrl v2 = m_client->url(
            QStringLiteral("/2/account_activity/webhooks/%1/subscriptions/all").arg(demo::validWebhookId));
        const Response r2 = m_client->send(
            "GET", v2, Client::oauthHeader("GET", v2, userCredentials(demo::alice), {}, {}, stale));
        QCOMPARE(r2.status, 401);
        QCOMPARE(r2.object().value(QStringLiteral("title")).toString(), QStringLiteral("Unauthorized"));
        QCOMPARE(r2.object().value(QStringLiteral("type")).toString(), QStringLiteral("about:blank"));
        QCOMPARE(r2.object().value(QStringLiteral("status")).toInt(), 401);
    }

    void shouldJudgeTimestampsOnTheSandboxClock()
    {
        m_server->advance(10min);
        const Response r =
            m_client->signedCall("GET", m_check, userCredentials(demo::alice)); // signed with real time
        QCOMPARE(r.v1Code(), 135);
        const QUrl target = m_client->url(m_check);
        const Response ok = m_client->send("GET", target,
                                           Client::oauthHeader("GET", target, userCredentials(demo::alice),
                                                               {}, {}, m_server->now().toSecsSinceEpoch()));
        QCOMPARE(ok.status, 204);
    }

    void shouldRejectReusedNonce()
    {
        const QUrl target = m_client->url(m_check);
        const QByteArray header =
            Client::oauthHeader("GET", target, userCredentials(demo::alice), {}, {}, 0, "fixednonce123");
        QCOMPARE(m_client->send("GET", target, header).status, 204);
        const Response again = m_client->send("GET", target, header);
        QCOMPARE(again.status, 401);
        QCOMPARE(again.v1Code(), 32);
    }

    void shouldRejectMissingAuthentication()
    {
        const Response r =
            m_client->send("GET", m_client->url(QStringLiteral("/1.1/account_activity/webhooks.json")));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.v1Code(), 215);
        const Response r2 = m_client->send("GET", m_client->url(QStringLiteral("/2/webhooks")));
        QCOMPARE(r2.status, 401);
        QCOMPARE(r2.v2Reason(), QStringLiteral("Unauthorized"));
    }

    void shouldRejectBearerOnUserContextEndpoints()
    {
        const Response r = m_client->bearer("GET", m_check);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.v1Code(), 220);
        QCOMPARE(r.v1Message(), QStringLiteral("Your credentials do not allow access to this resource."));
        // Registering a v1.1 webhook with app-only auth is X's code 261.
        const Response reg = m_client->bearer("POST",
                                              QStringLiteral("/1.1/account_activity/webhooks.json?url=") +
                                                  encoded(m_server->demoReceiverUrl(QStringLiteral("x"))));
        QCOMPARE(reg.status, 403);
        QCOMPARE(reg.v1Code(), 261);
        // v2 subscribe with a bearer: unsupported authentication.
        const Response v2 = m_client->bearer(
            "POST",
            QStringLiteral("/2/account_activity/webhooks/%1/subscriptions/all").arg(demo::validWebhookId));
        QCOMPARE(v2.status, 403);
        QCOMPARE(v2.v2Reason(), QStringLiteral("Unsupported Authentication"));
    }

    void shouldRejectUserTokenOnAppOnlyEndpoints()
    {
        const Response r =
            m_client->signedCall("POST",
                                 QStringLiteral("/1.1/account_activity/replay/webhooks/%1/subscriptions/"
                                                "all.json?from_date=202401010000&to_date=202401010100")
                                     .arg(demo::validWebhookId),
                                 owner());
        QCOMPARE(r.status, 401);
        QCOMPARE(r.v1Code(), 32);
        QCOMPARE(
            r.v1Message(),
            QStringLiteral("Invalid authentication method. Please use application-only authentication."));
        const Response list = m_client->signedCall("GET", QStringLiteral("/2/webhooks"), owner());
        QCOMPARE(list.status, 403);
        QCOMPARE(list.v2Reason(), QStringLiteral("Unsupported Authentication"));
    }

    void shouldRejectAnotherUsersTokenOnWebhookManagement()
    {
        const Response r = m_client->signedCall(
            "PUT", QStringLiteral("/1.1/account_activity/webhooks/%1.json").arg(demo::validWebhookId),
            userCredentials(demo::alice));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.v1Code(), 220);
    }

    void shouldCheckBearerTokens()
    {
        QCOMPARE(m_client->bearer("GET", QStringLiteral("/1.1/account_activity/webhooks.json")).status, 200);
        const Response bad = m_client->bearer("GET", QStringLiteral("/1.1/account_activity/webhooks.json"),
                                              {}, {}, "AAAAwrong");
        QCOMPARE(bad.status, 401);
        QCOMPARE(bad.v1Code(), 89);
        QCOMPARE(bad.v1Message(), QStringLiteral("Invalid or expired token."));
        const Response bad2 = m_client->bearer("GET", QStringLiteral("/2/webhooks"), {}, {}, "AAAAwrong");
        QCOMPARE(bad2.status, 401);
        QCOMPARE(bad2.v2Reason(), QStringLiteral("Unauthorized"));
        QCOMPARE(m_server->journal().last().credential, activity::CredentialKind::AppOnly);
        QVERIFY(!m_server->journal().last().credentialVerified);
    }

    void shouldIssueTheSameBearerTokenForConsumerCredentials()
    {
        const QByteArray basic =
            "Basic " + QByteArray(demo::consumerKey + ':' + demo::consumerSecret).toBase64();
        const QUrl url = m_client->url(QStringLiteral("/oauth2/token"));
        const QByteArray form = "application/x-www-form-urlencoded;charset=UTF-8";
        const Response first = m_client->send("POST", url, basic, "grant_type=client_credentials", form);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.object().value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
        QCOMPARE(first.object().value(QStringLiteral("access_token")).toString().toLatin1(),
                 demo::bearerToken);
        const Response second = m_client->send("POST", url, basic, "grant_type=client_credentials", form);
        QCOMPARE(second.body, first.body);

        const QByteArray wrong = "Basic " + QByteArray(demo::consumerKey + ":nope").toBase64();
        const Response refused = m_client->send("POST", url, wrong, "grant_type=client_credentials", form);
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.v1Code(), 99);
        const Response noGrant = m_client->send("POST", url, basic, "", form);
        QCOMPARE(noGrant.status, 403);
        QCOMPARE(noGrant.v1Code(), 170);
    }

    void shouldLeaveJsonBodiesUnsigned()
    {
        // v2 register with the owner's OAuth 1.0a token: the JSON body is not in the signature.
        const Response r = m_client->signedJson(
            "POST", QStringLiteral("/2/webhooks"), owner(),
            QJsonObject {{QStringLiteral("url"), m_server->demoReceiverUrl(QStringLiteral("json"))}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.data().value(QStringLiteral("valid")).toBool());
        QCOMPARE(m_server->journal().last().credential, activity::CredentialKind::AppOwner);
    }

    void shouldNeverJournalSecrets()
    {
        m_client->signedCall("GET", m_check, userCredentials(demo::alice));
        m_client->bearer("GET", QStringLiteral("/1.1/account_activity/webhooks.json"));
        m_client->send("GET", m_client->url(QStringLiteral("/oauth/authorize?oauth_token=secretish")));
        QVERIFY(m_server->journal().size() >= 3);
        for (const JournalEntry &entry : m_server->journal().entries()) {
            const QString all =
                QString::fromLatin1(entry.method) + entry.path + entry.query + entry.errorName + entry.fault;
            QVERIFY(!all.contains(QString::fromLatin1(demo::alice.tokenSecret)));
            QVERIFY(!all.contains(QString::fromLatin1(demo::consumerSecret)));
            QVERIFY(!all.contains(QStringLiteral("SandboxBearer")));
            QVERIFY(!all.contains(QStringLiteral("secretish")));
        }
        QCOMPARE(m_server->journal().last().query, QStringLiteral("oauth_token=%5Bredacted%5D"));
    }
};

QTEST_GUILESS_MAIN(TestSandboxAuth)
#include "tst_sandbox_auth.moc"
