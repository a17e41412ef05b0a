// OAuth 2.0 Authorization Code with PKCE, the pure parts (network/OAuth2.h): the RFC 7636 vector,
// the authorize URL, redirects, token answers, scopes, the credential chosen per call, the token
// endpoint's errors, and the CLI's loopback receiver over real HTTP on 127.0.0.1.
#include "ApiClient.h"
#include "EndpointCatalogue.h"
#include "ErrorCatalogue.h"
#include "LoopbackRedirectReceiver.h"
#include "OAuth2.h"
#include "RequestLog.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QUrlQuery>
#include <QtTest>

using namespace activity;

namespace {

UserCredentials oauth2User(QStringList scopes, bool withOAuth1 = false)
{
    UserCredentials user;
    user.userId = QStringLiteral("2000000000000000001");
    user.username = QStringLiteral("alice");
    user.oauth2.accessToken = "o2-access";
    user.oauth2.scopes = std::move(scopes);
    if (withOAuth1) {
        user.token = "2000000000000000001-t";
        user.tokenSecret = "ts";
    }
    return user;
}

} // namespace

class TestOAuth2 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shouldComputeTheS256ChallengeOfTheReferenceVector()
    {
        // x-api-2026.md §5.1.
        QCOMPARE(oauth2::s256Challenge("dBjftJeZ4CVP-mJ92K9qpgMxm9LwW6Um1XDoQi6ItGY"),
                 QByteArray("o3-xLso8m-X7p9oRFz21tZuip3bNbPRwjOS4uqibmc0"));
    }

    void shouldMakeFreshVerifiersAndStates()
    {
        const oauth2::Pkce a = oauth2::newPkce();
        const oauth2::Pkce b = oauth2::newPkce();
        QCOMPARE(a.verifier.size(), 43);
        QVERIFY(oauth2::isValidVerifier(a.verifier));
        QCOMPARE(a.challenge, oauth2::s256Challenge(a.verifier));
        QVERIFY(a.verifier != b.verifier);
        QVERIFY(a.state != b.state);
        QVERIFY(a.state.size() >= 43 && a.state.size() <= 500);
        QVERIFY(!oauth2::isValidVerifier("short"));
        QVERIFY(!oauth2::isValidVerifier(QByteArray(43, '+')));
        QVERIFY(!oauth2::isValidVerifier(QByteArray(129, 'a')));
    }

    void shouldBuildTheAuthorizeUrl()
    {
        QCOMPARE(oauth2::authorizeEndpoint(QUrl(QStringLiteral("https://api.x.com"))),
                 QUrl(QStringLiteral("https://x.com/i/oauth2/authorize")));
        QCOMPARE(oauth2::authorizeEndpoint(QUrl(QStringLiteral("https://api.twitter.com/"))),
                 QUrl(QStringLiteral("https://x.com/i/oauth2/authorize")));
        QCOMPARE(oauth2::authorizeEndpoint(QUrl(QStringLiteral("http://127.0.0.1:4567"))),
                 QUrl(QStringLiteral("http://127.0.0.1:4567/i/oauth2/authorize")));

        const QUrl url = oauth2::authorizeUrl({QUrl(QStringLiteral("https://x.com/i/oauth2/authorize")),
                                               QStringLiteral("client id"),
                                               QUrl(QStringLiteral("http://127.0.0.1:8976/callback")),
                                               {QStringLiteral("tweet.read"), QStringLiteral("users.read")},
                                               "st/ate+",
                                               "challenge"});
        QCOMPARE(url.host(), QStringLiteral("x.com"));
        const QString query = url.query(QUrl::FullyEncoded);
        QCOMPARE(
            query,
            QStringLiteral("response_type=code&client_id=client%20id&redirect_uri=http%3A%2F%2F127.0.0.1%"
                           "3A8976%2Fcallback&scope=tweet.read%20users.read&state=st%2Fate%2B&code_"
                           "challenge=challenge&code_challenge_method=S256"));
        const QUrlQuery items(url);
        QCOMPARE(items.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
                 QStringLiteral("http://127.0.0.1:8976/callback"));
        QCOMPARE(items.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded),
                 QStringLiteral("st/ate+"));
    }

    void shouldMatchRedirectUrisExactly()
    {
        const QUrl registered(QStringLiteral("http://127.0.0.1:8976/callback"));
        QVERIFY(oauth2::matchesRedirectUri(
            QUrl(QStringLiteral("http://127.0.0.1:8976/callback?code=1&state=2")), registered));
        QVERIFY(!oauth2::matchesRedirectUri(QUrl(QStringLiteral("http://127.0.0.1:8977/callback?code=1")),
                                            registered));
        QVERIFY(
            !oauth2::matchesRedirectUri(QUrl(QStringLiteral("http://127.0.0.1:8976/callback/")), registered));
        QVERIFY(
            !oauth2::matchesRedirectUri(QUrl(QStringLiteral("https://127.0.0.1:8976/callback")), registered));
        QVERIFY(
            !oauth2::matchesRedirectUri(QUrl(QStringLiteral("http://evil.example/callback")), registered));
        QVERIFY(oauth2::matchesRedirectUri(QUrl(QStringLiteral("https://app.example/cb?x")),
                                           QUrl(QStringLiteral("https://APP.example:443/cb"))));

        QVERIFY(!oauth2::redirectUriProblem(registered));
        QVERIFY(!oauth2::redirectUriProblem(QUrl(QStringLiteral("https://app.example/oauth/callback"))));
        QVERIFY(oauth2::redirectUriProblem(QUrl()));
        QVERIFY(oauth2::redirectUriProblem(QUrl(QStringLiteral("http://app.example/callback"))));
        QVERIFY(oauth2::redirectUriProblem(QUrl(QStringLiteral("javascript:alert(1)"))));
        QVERIFY(oauth2::redirectUriProblem(QUrl(QStringLiteral("https://app.example/cb#frag"))));
    }

    void shouldTakeTheCodeOnlyWithTheRightState()
    {
        const auto redirect = [](const char *url) {
            return oauth2::parseRedirect(QUrl(QString::fromLatin1(url)));
        };
        const Result<QByteArray> code =
            oauth2::codeFromRedirect(redirect("http://127.0.0.1/cb?state=s%2B1&code=c%20d"), "s+1");
        QVERIFY(code.ok());
        QCOMPARE(code.value(), QByteArray("c d"));

        const Result<QByteArray> wrongState =
            oauth2::codeFromRedirect(redirect("http://127.0.0.1/cb?state=x&code=c"), "s");
        QVERIFY(!wrongState.ok());
        QCOMPARE(wrongState.error().name, QStringLiteral("state_mismatch"));
        QVERIFY(!oauth2::codeFromRedirect(redirect("http://127.0.0.1/cb?code=c"), "s").ok());

        const Result<QByteArray> denied = oauth2::codeFromRedirect(
            redirect("http://127.0.0.1/cb?error=access_denied&error_description=no+thanks&state=s"), "s");
        QVERIFY(!denied.ok());
        QCOMPARE(denied.error().name, QStringLiteral("access_denied"));
        QVERIFY(denied.error().remedy.contains(QStringLiteral("Sign in again")));

        const Result<QByteArray> missing =
            oauth2::codeFromRedirect(redirect("http://127.0.0.1/cb?state=s"), "s");
        QCOMPARE(missing.error().name, QStringLiteral("missing_code"));
        // A fragment is read too (some servers answer there).
        QCOMPARE(redirect("http://127.0.0.1/cb#state=s&code=f").code, QByteArray("f"));
    }

    void shouldReadTokenAnswers_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<qint64>("expiresIn");
        QTest::addColumn<QString>("scopes");
        QTest::addColumn<QByteArray>("refresh");
        QTest::newRow("captured shape")
            << QByteArray(
                   R"({"token_type":"bearer","expires_in":7200,"access_token":"A","scope":"users.read tweet.read offline.access","refresh_token":"R"})")
            << true << qint64(7200) << QStringLiteral("offline.access tweet.read users.read")
            << QByteArray("R");
        QTest::newRow("xurl mock: Bearer, no refresh")
            << QByteArray(
                   R"({"token_type":"Bearer","expires_in":3600,"access_token":"A","scope":"tweet.read"})")
            << true << qint64(3600) << QStringLiteral("tweet.read") << QByteArray();
        QTest::newRow("no scope: the requested ones")
            << QByteArray(R"({"token_type":"bearer","expires_in":"7200","access_token":"A"})") << true
            << qint64(7200) << QStringLiteral("dm.read users.read") << QByteArray();
        // Found by fuzz_oauth2_token: an empty scope string is the same as none.
        QTest::newRow("empty scope: the requested ones")
            << QByteArray(R"({"token_type":"bearer","expires_in":7200,"access_token":"A","scope":" "})")
            << true << qint64(7200) << QStringLiteral("dm.read users.read") << QByteArray();
        QTest::newRow("wrong type") << QByteArray(R"({"token_type":"mac","access_token":"A"})") << false
                                    << qint64(0) << QString() << QByteArray();
        QTest::newRow("no token") << QByteArray(R"({"token_type":"bearer"})") << false << qint64(0)
                                  << QString() << QByteArray();
        QTest::newRow("html") << QByteArray("<html>hi</html>") << false << qint64(0) << QString()
                              << QByteArray();
        QTest::newRow("cut off") << QByteArray(R"({"token_type":"bearer","acc)") << false << qint64(0)
                                 << QString() << QByteArray();
    }

    void shouldReadTokenAnswers()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, ok);
        QFETCH(qint64, expiresIn);
        QFETCH(QString, scopes);
        QFETCH(QByteArray, refresh);
        const QDateTime now(QDate(2026, 11, 30), QTime(9, 0), Qt::UTC);
        const Result<oauth2::Token> token =
            oauth2::parseTokenResponse(body, now, {QStringLiteral("users.read"), QStringLiteral("dm.read")});
        QCOMPARE(token.ok(), ok);
        if (!ok) {
            QCOMPARE(token.error().kind, ApiError::Kind::MalformedResponse);
            return;
        }
        QCOMPARE(token.value().accessToken, QByteArray("A"));
        QCOMPARE(now.secsTo(token.value().expiresAt), expiresIn);
        QCOMPARE(oauth2::joinScopes(token.value().scopes), scopes);
        QCOMPARE(token.value().refreshToken, refresh);
        QVERIFY(!token.value().expiresWithin(now, 60));
        QVERIFY(token.value().expiresWithin(now.addSecs(expiresIn - 30), 60));
    }

    void shouldKeepTheRefreshTokenWhenXDoesNotRotateIt()
    {
        oauth2::Token before;
        before.accessToken = "A1";
        before.refreshToken = "R1";
        before.scopes = {QStringLiteral("tweet.read")};
        oauth2::Token after;
        after.accessToken = "A2";
        QCOMPARE(oauth2::mergeRefreshed(before, after).refreshToken, QByteArray("R1"));
        QCOMPARE(oauth2::mergeRefreshed(before, after).scopes, before.scopes);
        after.refreshToken = "R2";
        QCOMPARE(oauth2::mergeRefreshed(before, after).refreshToken, QByteArray("R2"));
    }

    void shouldOfferPresetsOfKnownScopes()
    {
        QCOMPARE(oauth2::accountActivityScopes(),
                 QStringList({QStringLiteral("dm.read"), QStringLiteral("dm.write"),
                              QStringLiteral("offline.access"), QStringLiteral("tweet.read"),
                              QStringLiteral("users.read")}));
        for (const oauth2::ScopePreset &preset : oauth2::scopePresets()) {
            QVERIFY(preset.scopes.contains(QStringLiteral("users.read"))); // users/me needs it
            for (const QString &scope : preset.scopes) {
                QVERIFY2(oauth2::knownScopes().contains(scope), qPrintable(scope));
                QVERIFY(!oauth2::scopeReason(scope).isEmpty());
            }
        }
        QCOMPARE(oauth2::missingScopes({QStringLiteral("dm.read"), QStringLiteral("dm.write")},
                                       {QStringLiteral("dm.read")}),
                 QStringList {QStringLiteral("dm.write")});
    }

    void shouldChooseTheCredentialPerCall()
    {
        const Endpoint *subscribeV2 = endpoints::find(Operation::Subscribe, ApiGeneration::V2);
        const Endpoint *checkV2 = endpoints::find(Operation::CheckSubscription, ApiGeneration::V2);
        const Endpoint *subscribeV1 = endpoints::find(Operation::Subscribe, ApiGeneration::V1_1);
        QVERIFY(subscribeV2 && checkV2 && subscribeV1);
        const QStringList all = oauth2::accountActivityScopes();

        QCOMPARE(ApiClient::userCredentialFor(*subscribeV2, oauth2User(all)).value(),
                 CredentialKind::OAuth2User);
        QCOMPARE(ApiClient::userCredentialFor(*checkV2, oauth2User(all, true)).value(),
                 CredentialKind::OAuth2User);
        // Lacking a scope but holding OAuth 1.0a: OAuth 1.0a.
        const QStringList noWrite {QStringLiteral("dm.read"), QStringLiteral("tweet.read"),
                                   QStringLiteral("users.read")};
        QCOMPARE(ApiClient::userCredentialFor(*subscribeV2, oauth2User(noWrite, true)).value(),
                 CredentialKind::SubscribingUser);
        // Lacking a scope and nothing else: refused before sending, naming the scope.
        const Result<CredentialKind> refused =
            ApiClient::userCredentialFor(*subscribeV2, oauth2User(noWrite));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().name, QStringLiteral("missing_scope"));
        QCOMPARE(refused.error().kind, ApiError::Kind::MissingCredentials);
        QVERIFY2(refused.error().cause.contains(QStringLiteral("dm.write")),
                 qPrintable(refused.error().cause));
        QVERIFY(refused.error().cause.contains(QStringLiteral("@alice")));
        // v1.1 takes only OAuth 1.0a.
        const Result<CredentialKind> v1 = ApiClient::userCredentialFor(*subscribeV1, oauth2User(all));
        QCOMPARE(v1.error().name, QStringLiteral("oauth1_required"));
        QCOMPARE(ApiClient::userCredentialFor(*subscribeV1, oauth2User(all, true)).value(),
                 CredentialKind::SubscribingUser);
        // App-only endpoints are not affected by a user.
        const Endpoint *count = endpoints::find(Operation::SubscriptionCount, ApiGeneration::V2);
        QCOMPARE(ApiClient::userCredentialFor(*count, oauth2User(all)).value(), CredentialKind::AppOnly);
    }

    void shouldRefuseAMissingScopeWithoutSending()
    {
        QNetworkAccessManager network;
        ClientConfig config;
        config.baseUrl = QUrl(QStringLiteral("https://api.x.com"));
        ApiClient client(&network, config, {});
        QSignalSpy sent(&network, &QNetworkAccessManager::finished);
        std::optional<Result<Done>> answer;
        client.subscribe(QStringLiteral("1500000000000000001"), oauth2User({QStringLiteral("tweet.read")}),
                         this, [&answer](const Result<Done> &result) { answer = result; });
        QTRY_VERIFY(answer.has_value());
        QCOMPARE(answer->error().name, QStringLiteral("missing_scope"));
        QVERIFY(answer->error().cause.contains(QStringLiteral("dm.read, dm.write, users.read")));
        QCOMPARE(sent.count(), 0);
        QVERIFY(client.requestLog()->entries().isEmpty());
    }

    void shouldExplainTokenEndpointErrors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("name");
        QTest::addColumn<ApiError::Kind>("kind");
        QTest::newRow("invalid_grant")
            << 400 << QByteArray(R"({"error":"invalid_grant","error_description":"expired"})")
            << QStringLiteral("invalid_grant") << ApiError::Kind::Authentication;
        QTest::newRow("X's reused code")
            << 400
            << QByteArray(
                   R"({"error":"invalid_request","error_description":"Value passed for the authorization code was invalid.","errors":[{"message":"Value passed for the authorization code was invalid.","code":131}]})")
            << QStringLiteral("invalid_request") << ApiError::Kind::InvalidRequest;
        QTest::newRow("invalid_client") << 401 << QByteArray(R"({"error":"invalid_client"})")
                                        << QStringLiteral("invalid_client") << ApiError::Kind::Authentication;
        QTest::newRow("unauthorized_client")
            << 401
            << QByteArray(
                   R"({"error":"unauthorized_client","error_description":"Missing valid authorization header"})")
            << QStringLiteral("unauthorized_client") << ApiError::Kind::Authentication;
    }

    void shouldExplainTokenEndpointErrors()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, name);
        QFETCH(ApiError::Kind, kind);
        const ApiError error = errors::fromResponse(status, body, "application/json");
        QCOMPARE(error.name, name);
        QCOMPARE(error.kind, kind);
        QCOMPARE(error.httpStatus, status);
        QVERIFY(!error.cause.isEmpty());
        QVERIFY(!error.remedy.isEmpty());
    }

    void shouldReceiveTheRedirectOnTheLoopbackAddress()
    {
        // A free port first, then the receiver on it, as the CLI does with the profile's redirect URI.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        const QUrl redirectUri(QStringLiteral("http://127.0.0.1:%1/callback").arg(port));

        LoopbackRedirectReceiver receiver;
        QVERIFY(!receiver.listen(redirectUri));
        QSignalSpy received(&receiver, &LoopbackRedirectReceiver::redirectReceived);
        QNetworkAccessManager network;

        // Another path: 404, nothing reported.
        QNetworkReply *other =
            network.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/favicon.ico").arg(port))));
        QTRY_VERIFY(other->isFinished());
        QCOMPARE(other->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
        QCOMPARE(received.count(), 0);

        QNetworkReply *reply = network.get(
            QNetworkRequest(QUrl(redirectUri.toString() + QStringLiteral("?state=s%2B&code=abc"))));
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(reply->readAll().contains("return to the terminal"));
        QCOMPARE(received.count(), 1);
        const QUrl got = received.first().first().toUrl();
        QVERIFY(oauth2::matchesRedirectUri(got, redirectUri));
        QCOMPARE(oauth2::parseRedirect(got).state, QByteArray("s+"));
        QCOMPARE(oauth2::parseRedirect(got).code, QByteArray("abc"));

        // Only once.
        QNetworkReply *again =
            network.get(QNetworkRequest(QUrl(redirectUri.toString() + QStringLiteral("?code=x"))));
        QTRY_VERIFY(again->isFinished());
        QCOMPARE(again->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
        QCOMPARE(received.count(), 1);

        // Not a loopback http URI: refused with a way out.
        LoopbackRedirectReceiver remote;
        const std::optional<ApiError> refused =
            remote.listen(QUrl(QStringLiteral("https://app.example/callback")));
        QVERIFY(refused);
        QVERIFY(refused->remedy.contains(QStringLiteral("Paste")));
    }
};

QTEST_GUILESS_MAIN(TestOAuth2)
#include "tst_oauth2.moc"
