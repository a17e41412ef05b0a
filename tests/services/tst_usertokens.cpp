// OAuth 2.0 user tokens kept fresh (services/UserTokenKeeper) and revoked on removal
// (services/AccountSignIns), against the in-process sandbox over real HTTP on 127.0.0.1: a token
// that expired is refreshed before a subscribe, two calls at once refresh once, a 401 refreshes and
// retries once, a revoked grant asks to sign in again and keeps the account, removal revokes.
#include "AccountSignIns.h"
#include "ApiClient.h"
#include "MemorySecretBackend.h"
#include "ProfileResolver.h"
#include "ProfileStore.h"
#include "RequestLog.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "UserTokenKeeper.h"

#include <QNetworkAccessManager>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace activity;
namespace demo = activity::sandbox::demo;

class TestUserTokens : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<ProfileStore> m_store;
    std::unique_ptr<ApiClient> m_client;
    std::unique_ptr<UserTokenKeeper> m_keeper;
    QString m_profileId;

    // carol (not subscribed yet), signed in with OAuth 2.0 (Account Activity scopes and offline.access), kept
    // under a stored profile; `expired`: the console believes the access token has expired.
    UserCredentials signInCarol(bool expired)
    {
        const QStringList scopes {QStringLiteral("dm.read"), QStringLiteral("dm.write"),
                                  QStringLiteral("offline.access"), QStringLiteral("tweet.read"),
                                  QStringLiteral("users.read")};
        const sandbox::IssuedOAuth2Token issued = m_server->issueOAuth2Token(demo::carol.id, scopes);
        UserCredentials carol;
        carol.userId = demo::carol.id;
        carol.username = demo::carol.username;
        carol.oauth2.accessToken = issued.accessToken;
        carol.oauth2.refreshToken = issued.refreshToken;
        carol.oauth2.scopes = scopes;
        carol.oauth2.expiresAt = QDateTime::currentDateTimeUtc().addSecs(expired ? -5 : 7200);
        std::optional<Result<UserCredentials>> kept;
        accounts::keep(m_store.get(), m_profileId, carol, this,
                       [&kept](const Result<UserCredentials> &result) { kept = result; });
        [&] { QTRY_VERIFY(kept.has_value()); }();
        return carol;
    }

    Result<Done> subscribe(const UserCredentials &user)
    {
        std::optional<Result<Done>> out;
        m_keeper->call<Done>(
            Operation::Subscribe, user, this,
            [this](const UserCredentials &now, QObject *context, ApiClient::Callback<Done> done) {
                m_client->subscribe(demo::validWebhookId, now, context, std::move(done));
            },
            [&out](const Result<Done> &result) { out = result; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 15000); }();
        return out.value_or(Result<Done>(ApiError {}));
    }

    AccountTokens storedTokens(const QString &userId)
    {
        std::optional<Result<AccountTokens>> out;
        m_store->loadAccountTokens(m_profileId, userId, this,
                                   [&out](const Result<AccountTokens> &t) { out = t; });
        [&] { QTRY_VERIFY(out.has_value()); }();
        return out && out->ok() ? out->value() : AccountTokens {};
    }

    QStringList operationsLogged() const
    {
        QStringList names;
        for (const RequestLogEntry &entry : m_client->requestLog()->entries())
            names.append(entry.operation);
        return names;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<sandbox::SandboxServer>();
        QVERIFY(m_server->listen());
        m_server->seedDemo();
        m_settings =
            std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("profiles.ini")), QSettings::IniFormat);
        m_settings->clear();
        m_secrets = testing::MemorySecretBackend::store();
        m_store = std::make_unique<ProfileStore>(m_settings.get(), m_secrets.get());
        Profile profile;
        profile.name = QStringLiteral("Sandbox");
        profile.baseUrl = m_server->baseUrl().toString();
        profile.isSandbox = true;
        m_profileId = m_store->saveProfile(profile);

        ClientConfig config;
        config.baseUrl = m_server->baseUrl();
        config.allowInsecureLoopback = true;
        AppCredentials app {
            demo::consumerKey, demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, {}};
        app.oauth2ClientId = demo::oauth2ClientId;
        app.oauth2ClientSecret = demo::oauth2ClientSecret;
        m_client = std::make_unique<ApiClient>(&m_network, config, app);
        m_keeper = std::make_unique<UserTokenKeeper>(m_client.get());
        // As the console and the CLI do: refreshed tokens go back to the keychain.
        m_keeper->setSave(
            [this](const UserCredentials &user, std::function<void(const Result<Done> &)> saved) {
                accounts::saveRefreshed(m_store.get(), m_profileId, user, this, std::move(saved));
            });
    }

    void cleanup()
    {
        m_keeper.reset();
        m_client.reset();
        m_store.reset();
        m_secrets.reset();
        m_settings.reset();
        m_server.reset();
    }

    void shouldRefreshAnExpiredTokenBeforeSubscribing()
    {
        const UserCredentials carol = signInCarol(true);
        QSignalSpy refreshed(m_keeper.get(), &UserTokenKeeper::refreshed);
        const Result<Done> result = subscribe(carol);
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().text()));
        QCOMPARE(m_server->oauth2TokenRequests(QStringLiteral("refresh_token")), 1);
        QCOMPARE(refreshed.count(), 1);
        // The refresh came first, then the subscribe, signed with the new OAuth 2.0 token.
        QCOMPARE(operationsLogged(),
                 QStringList({QStringLiteral("oauth2.user_token"), QStringLiteral("subscriptions.add")}));
        const RequestLogEntry subscribeEntry = m_client->requestLog()->entries().constLast();
        QCOMPARE(subscribeEntry.credential, CredentialKind::OAuth2User);
        // The new tokens are in the keychain (the sandbox rotates the refresh token).
        const AccountTokens stored = storedTokens(carol.userId);
        const UserCredentials latest = m_keeper->latest(carol);
        QCOMPARE(stored.oauth2.accessToken, latest.oauth2.accessToken);
        QVERIFY(stored.oauth2.accessToken != carol.oauth2.accessToken);
        QVERIFY(stored.oauth2.refreshToken != carol.oauth2.refreshToken);
        QVERIFY(stored.oauth2.expiresAt > QDateTime::currentDateTimeUtc().addSecs(7000));
        QVERIFY(m_server->isSubscribed(demo::validWebhookId, carol.userId));
        // Nothing secret in the request log.
        for (const RequestLogEntry &entry : m_client->requestLog()->entries()) {
            const QString text =
                entry.curl + QString::fromUtf8(entry.requestBody) + QString::fromUtf8(entry.responseBody);
            for (const QByteArray &secret :
                 {carol.oauth2.accessToken, carol.oauth2.refreshToken, latest.oauth2.accessToken,
                  latest.oauth2.refreshToken, demo::oauth2ClientSecret})
                QVERIFY2(!text.contains(QString::fromUtf8(secret)), qPrintable(entry.operation));
        }
    }

    void shouldRefreshOnceForTwoCallsAtOnce()
    {
        const UserCredentials carol = signInCarol(true);
        std::optional<Result<Done>> subscribed;
        std::optional<Result<bool>> checked;
        m_keeper->call<Done>(
            Operation::Subscribe, carol, this,
            [this](const UserCredentials &now, QObject *context, ApiClient::Callback<Done> done) {
                m_client->subscribe(demo::validWebhookId, now, context, std::move(done));
            },
            [&subscribed](const Result<Done> &result) { subscribed = result; });
        m_keeper->call<bool>(
            Operation::CheckSubscription, carol, this,
            [this](const UserCredentials &now, QObject *context, ApiClient::Callback<bool> done) {
                m_client->checkSubscription(demo::validWebhookId, now, context, std::move(done));
            },
            [&checked](const Result<bool> &result) { checked = result; });
        QTRY_VERIFY_WITH_TIMEOUT(subscribed.has_value() && checked.has_value(), 15000);
        QVERIFY(subscribed->ok());
        QVERIFY(checked->ok());
        // One refresh: with a rotating refresh token a second one would have been refused.
        QCOMPARE(m_server->oauth2TokenRequests(QStringLiteral("refresh_token")), 1);
    }

    void shouldRefreshAndRetryOnceAfterA401()
    {
        const UserCredentials carol = signInCarol(false);
        // X's clock moves past the token's two hours while the console still believes it valid.
        m_server->advance(std::chrono::hours(2) + std::chrono::seconds(5));
        const Result<Done> result = subscribe(carol);
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().text()));
        QCOMPARE(m_server->oauth2TokenRequests(QStringLiteral("refresh_token")), 1);
        QCOMPARE(operationsLogged(),
                 QStringList({QStringLiteral("subscriptions.add"), QStringLiteral("oauth2.user_token"),
                              QStringLiteral("subscriptions.add")}));
        QCOMPARE(m_client->requestLog()->entries().constFirst().httpStatus, 401);
    }

    void shouldAskToSignInAgainWhenTheGrantIsRevoked()
    {
        const UserCredentials carol = signInCarol(true);
        QCOMPARE(m_server->revokeOAuth2Grants(carol.userId), 1);
        QSignalSpy signInNeeded(m_keeper.get(), &UserTokenKeeper::signInNeeded);
        const Result<Done> result = subscribe(carol);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().name, QStringLiteral("sign_in_again"));
        QVERIFY(result.error().cause.contains(QStringLiteral("@carol")));
        QVERIFY(result.error().remedy.contains(QStringLiteral("Sign @carol in again")));
        QCOMPARE(signInNeeded.count(), 1);
        // Nothing is lost: the account and its tokens stay, and the subscribe was never sent.
        QCOMPARE(m_store->accounts(m_profileId).size(), 1);
        QCOMPARE(storedTokens(carol.userId).oauth2.refreshToken, carol.oauth2.refreshToken);
        QVERIFY(!operationsLogged().contains(QStringLiteral("subscriptions.add")));
    }

    void shouldRetryOnlyOnceWhenXKeepsRefusing()
    {
        const UserCredentials carol = signInCarol(false);
        // X answers every subscribe 401: one refresh, one retry, then the 401 is the answer (no loop).
        m_server->faults().always(
            "POST", QStringLiteral("/2/account_activity/*"),
            sandbox::Fault::answer(
                401,
                R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})"));
        const Result<Done> result = subscribe(carol);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().httpStatus, 401);
        QCOMPARE(m_server->oauth2TokenRequests(QStringLiteral("refresh_token")), 1);
        QCOMPARE(operationsLogged(),
                 QStringList({QStringLiteral("subscriptions.add"), QStringLiteral("oauth2.user_token"),
                              QStringLiteral("subscriptions.add")}));
    }

    void shouldRevokeWhenAnAccountIsRemoved()
    {
        const UserCredentials carol = signInCarol(false);
        QVERIFY(!m_server->oauth2Scopes(carol.oauth2.accessToken).isEmpty());
        std::optional<std::optional<ApiError>> revoked;
        accounts::revokeOAuth2(m_client.get(), carol, this,
                               [&revoked](const std::optional<ApiError> &problem) { revoked = problem; });
        QTRY_VERIFY(revoked.has_value());
        QVERIFY(!revoked->has_value());
        QVERIFY(m_server->oauth2Scopes(carol.oauth2.accessToken).isEmpty());
        QVERIFY(operationsLogged().contains(QStringLiteral("oauth2.revoke")));
        // The grant is over: the refresh token no longer works either.
        std::optional<Result<oauth2::Token>> refreshed;
        m_client->refreshOAuth2Token(carol.oauth2.refreshToken, this,
                                     [&refreshed](const Result<oauth2::Token> &t) { refreshed = t; });
        QTRY_VERIFY(refreshed.has_value());
        QCOMPARE(refreshed->error().name, QStringLiteral("invalid_grant"));
    }

    void shouldSayWhenRevokingFails()
    {
        const UserCredentials carol = signInCarol(false);
        m_server.reset(); // X cannot be reached
        std::optional<std::optional<ApiError>> revoked;
        accounts::revokeOAuth2(m_client.get(), carol, this,
                               [&revoked](const std::optional<ApiError> &problem) { revoked = problem; });
        QTRY_VERIFY_WITH_TIMEOUT(revoked.has_value(), 20000);
        QVERIFY(revoked->has_value());
        const QString text = accounts::revokeFailedText(carol, **revoked);
        QVERIFY(text.contains(QStringLiteral("connected_apps")));
        QVERIFY(text.contains(QStringLiteral("@carol")));
    }

    void shouldKeepTheOtherSignInWhenSigningInAgain()
    {
        UserCredentials oauth1;
        oauth1.userId = demo::bob.id;
        oauth1.username = demo::bob.username;
        oauth1.token = demo::bob.token;
        oauth1.tokenSecret = demo::bob.tokenSecret;
        std::optional<Result<UserCredentials>> first;
        accounts::keep(m_store.get(), m_profileId, oauth1, this,
                       [&first](const Result<UserCredentials> &r) { first = r; });
        QTRY_VERIFY(first.has_value());
        UserCredentials oauth2 = oauth1;
        oauth2.token.clear();
        oauth2.tokenSecret.clear();
        oauth2.oauth2.accessToken = "o2";
        oauth2.oauth2.scopes = {QStringLiteral("tweet.read")};
        std::optional<Result<UserCredentials>> second;
        accounts::keep(m_store.get(), m_profileId, oauth2, this,
                       [&second](const Result<UserCredentials> &r) { second = r; });
        QTRY_VERIFY(second.has_value());
        QVERIFY(second->ok());
        QVERIFY(second->value().hasOAuth1() && second->value().hasOAuth2());
        const QList<Account> listed = m_store->accounts(m_profileId);
        QCOMPARE(listed.size(), 1);
        QVERIFY(listed.first().hasOAuth1 && listed.first().hasOAuth2);
        const AccountTokens stored = storedTokens(demo::bob.id);
        QCOMPARE(stored.token, demo::bob.token);
        QCOMPARE(stored.oauth2.accessToken, QByteArray("o2"));
    }
};

QTEST_GUILESS_MAIN(TestUserTokens)
#include "tst_usertokens.moc"
