#include "ApiClient.h"
#include "ProfileStore.h"
#include "RequestLog.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "SecretStore.h"
#include "SignInController.h"
#include "SignInTestSupport.h"

#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace activity;
namespace demo = activity::sandbox::demo;

// The whole sign-in as the console does it: the real sign-in window (the activity-signin helper
// process, driven by its test hooks) under Xvfb, the real gnome-keyring
// on the private D-Bus session that tools/run-tests starts, and the sandbox on 127.0.0.1.
class TestSignInKeychain : public QObject
{
    Q_OBJECT
private:
    const QString m_service = QStringLiteral("activity-console-signin-test");
    sandbox::SandboxServer *m_sandbox = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    ApiClient *m_client = nullptr;
    SecretStore *m_secrets = nullptr;
    QTemporaryDir *m_settingsDir = nullptr;
    QSettings *m_settings = nullptr;
    ProfileStore *m_profiles = nullptr;
    QString m_profileId;

    // Runs the controller through the helper's window as `user`; returns the signed-in account.
    std::optional<Account> signIn(const demo::User &user, ApiClient *oauth2Client = nullptr,
                                  const QString &button = QStringLiteral("allow"), const QString &before = {},
                                  std::optional<ApiError> *failure = nullptr)
    {
        signintest::HelperTestHooks hooks;
        hooks.setScript(signintest::personScript(user.username, user.password, button, before));
        SignInController controller(oauth2Client ? oauth2Client : m_client, m_profiles, m_profileId,
                                    demo::callbackUrl);
        // OAuth 2.0: the window catches the redirect to the demo client's registered URI.
        if (oauth2Client)
            controller.useOAuth2(QUrl(demo::oauth2RedirectUri), oauth2::accountActivityScopes());
        QSignalSpy succeeded(&controller, &SignInController::succeeded);
        QSignalSpy failed(&controller, &SignInController::failed);
        controller.start();
        (void)QTest::qWaitFor([&] { return !succeeded.isEmpty() || !failed.isEmpty(); }, 60000);
        if (!failed.isEmpty()) {
            if (failure)
                *failure = failed.first().first().value<ApiError>();
            else
                qWarning() << "sign-in failed:" << failed.first().first().value<ApiError>().text();
        }
        if (succeeded.isEmpty())
            return std::nullopt;
        return succeeded.first().first().value<Account>();
    }

    QByteArray secretTool(const QStringList &arguments)
    {
        QProcess tool;
        tool.start(QStringLiteral("secret-tool"), arguments);
        if (!tool.waitForStarted(5000))
            return {};
        QSignalSpy finished(&tool, &QProcess::finished);
        finished.wait(10000);
        return tool.readAllStandardOutput() + tool.readAllStandardError();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<Account>();
        qRegisterMetaType<ApiError>();
    }

    void init()
    {
        m_sandbox = new sandbox::SandboxServer(this);
        QVERIFY(m_sandbox->listen());
        m_sandbox->seedDemo();
        m_network = new QNetworkAccessManager(this);
        m_client = signintest::demoAppClient(m_network, m_sandbox->baseUrl(), this);
        m_secrets = new SecretStore(m_service, this);
        m_settingsDir = new QTemporaryDir;
        m_settings =
            new QSettings(m_settingsDir->filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
        m_profiles = new ProfileStore(m_settings, m_secrets, this);
        Profile profile;
        profile.name = QStringLiteral("Sandbox");
        profile.baseUrl = m_sandbox->baseUrl().toString();
        profile.consumerKey = QString::fromLatin1(demo::consumerKey);
        profile.isSandbox = true;
        profile.callbackUrl = demo::callbackUrl;
        m_profileId = m_profiles->saveProfile(profile);
    }

    void cleanup()
    {
        delete m_profiles;
        delete m_settings;
        delete m_settingsDir;
        delete m_secrets;
        delete m_client;
        delete m_network;
        delete m_sandbox;
    }

    void shouldKeepTheSignedInUsersTokensInTheKeychainAndSubscribeWithThem()
    {
        const auto account = signIn(demo::bob);
        QVERIFY(account);
        QCOMPARE(account->userId, demo::bob.id);
        QCOMPARE(m_profiles->accounts(m_profileId).size(), 1);

        // Read back through QtKeychain...
        std::optional<AccountTokens> tokens;
        QSignalSpy loaded(this, &QObject::objectNameChanged);
        m_profiles->loadAccountTokens(m_profileId, demo::bob.id, this, [&](const Result<AccountTokens> &r) {
            if (r)
                tokens = r.value();
            setObjectName(r ? QStringLiteral("loaded") : r.error().text());
        });
        QVERIFY(loaded.wait(10000));
        QVERIFY2(tokens, qPrintable(objectName()));
        QVERIFY(!tokens->token.isEmpty() && !tokens->tokenSecret.isEmpty());

        // ...and as the Secret Service itself shows it to any other program.
        const QByteArray listed = secretTool(
            {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"), m_service});
        QVERIFY2(listed.contains(ProfileStore::accountTokenKey(m_profileId, demo::bob.id).toUtf8()),
                 listed.constData());
        qInfo("secret-tool lists %lld bytes for the service", qint64(listed.size()));
        QVERIFY(listed.contains("secret = "));

        // The stored account subscribes.
        bool subscribed = false;
        const QString webhookId = m_sandbox->webhooks().constFirst().id;
        setObjectName({});
        QSignalSpy done(this, &QObject::objectNameChanged);
        m_client->subscribe(
            webhookId,
            UserCredentials {tokens->token, tokens->tokenSecret, account->userId, account->username}, this,
            [&](const Result<Done> &r) {
                subscribed = r.ok();
                setObjectName(r ? QStringLiteral("subscribed") : r.error().text());
            });
        QVERIFY(done.wait(10000));
        QVERIFY2(subscribed, qPrintable(objectName()));
        QVERIFY(m_sandbox->isSubscribed(webhookId, demo::bob.id));

        // Nothing secret landed in settings, caches or anywhere else under the test's home folders.
        m_settings->sync();
        const QList<QByteArray> secrets {tokens->token, tokens->tokenSecret, demo::consumerSecret};
        QStringList roots {m_settingsDir->path(), QDir::homePath()};
        for (const char *variable : {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "TMPDIR"}) {
            if (qEnvironmentVariableIsSet(variable))
                roots << qEnvironmentVariable(variable);
        }
        int scanned = 0;
        for (const QString &root : std::as_const(roots)) {
            QDirIterator files(root, QDir::Files | QDir::Hidden | QDir::NoSymLinks,
                               QDirIterator::Subdirectories);
            while (files.hasNext()) {
                QFile file(files.next());
                if (file.size() > 64 * 1024 * 1024 || !file.open(QIODevice::ReadOnly))
                    continue;
                const QByteArray bytes = file.readAll();
                // Programs are not where a sign-in writes: the sandbox program compiles in its demo
                // consumer secret, and tst_debpackage, running at the same time, stages it under TMPDIR.
                if (bytes.startsWith(QByteArray::fromHex("7f454c46"))) // ELF
                    continue;
                ++scanned;
                for (const QByteArray &secret : secrets)
                    QVERIFY2(!bytes.contains(secret), qPrintable(file.fileName()));
            }
        }
        QVERIFY(scanned > 0);
        qInfo("scanned %d files for secrets: none found", scanned);

        // Removing the account removes its keychain entry.
        QSignalSpy removed(this, &QObject::objectNameChanged);
        m_profiles->removeAccount(m_profileId, demo::bob.id, this, [&](const Result<Done> &r) {
            setObjectName(r ? QStringLiteral("removed") : r.error().text());
        });
        QVERIFY(removed.wait(10000));
        QCOMPARE(objectName(), QStringLiteral("removed"));
        QVERIFY(!secretTool(
                     {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"), m_service})
                     .contains(ProfileStore::accountTokenKey(m_profileId, demo::bob.id).toUtf8()));
    }

    // The demo app's client with its confidential OAuth 2.0 client id and secret.
    ApiClient *oauth2Client()
    {
        ClientConfig config;
        config.baseUrl = m_sandbox->baseUrl();
        config.allowInsecureLoopback = true;
        AppCredentials app {
            demo::consumerKey, demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, {}};
        app.oauth2ClientId = demo::oauth2ClientId;
        app.oauth2ClientSecret = demo::oauth2ClientSecret;
        return new ApiClient(m_network, config, app, nullptr, m_client);
    }

    std::optional<AccountTokens> storedTokens(const QString &userId)
    {
        std::optional<Result<AccountTokens>> loaded;
        m_profiles->loadAccountTokens(m_profileId, userId, this,
                                      [&](const Result<AccountTokens> &r) { loaded = r; });
        if (!QTest::qWaitFor([&] { return loaded.has_value(); }, 10000) || !loaded->ok())
            return std::nullopt;
        return loaded->value();
    }

    void shouldSignInWithOAuth2ThroughTheWindowBesideOAuth1()
    {
        // bob signed in with OAuth 1.0a before; now with OAuth 2.0 in the same window.
        QVERIFY(signIn(demo::bob));
        ApiClient *client = oauth2Client();
        const auto account = signIn(demo::bob, client);
        QVERIFY(account);
        QCOMPARE(account->userId, demo::bob.id);
        QVERIFY(account->hasOAuth1 && account->hasOAuth2);
        QCOMPARE(m_sandbox->oauth2TokenRequests(QStringLiteral("authorization_code")), 1);

        // Both sign-ins are in bob's one keychain entry; the settings only say which kinds there are.
        const std::optional<AccountTokens> tokens = storedTokens(demo::bob.id);
        QVERIFY(tokens);
        QVERIFY(!tokens->token.isEmpty());
        QVERIFY(!tokens->oauth2.accessToken.isEmpty());
        QVERIFY(!tokens->oauth2.refreshToken.isEmpty());
        QCOMPARE(tokens->oauth2.scopes, oauth2::accountActivityScopes());
        QVERIFY(tokens->oauth2.expiresAt > QDateTime::currentDateTimeUtc().addSecs(7000));
        QCOMPARE(m_sandbox->oauth2Scopes(tokens->oauth2.accessToken), oauth2::accountActivityScopes());
        const QList<Account> listed = m_profiles->accounts(m_profileId);
        QCOMPARE(listed.size(), 1);
        QVERIFY(listed.first().hasOAuth1 && listed.first().hasOAuth2);

        // The settings file holds none of the new tokens, nor the client secret.
        m_settings->sync();
        QFile settingsFile(m_settings->fileName());
        QVERIFY(settingsFile.open(QIODevice::ReadOnly));
        const QByteArray settingsText = settingsFile.readAll();
        for (const QByteArray &secret :
             {tokens->oauth2.accessToken, tokens->oauth2.refreshToken, demo::oauth2ClientSecret})
            QVERIFY(!settingsText.contains(secret));
        QVERIFY(settingsText.contains("signIn=oauth1 oauth2"));

        // A v2 check goes with the OAuth 2.0 token now.
        std::optional<Result<bool>> checked;
        UserCredentials bob;
        bob.userId = demo::bob.id;
        bob.username = demo::bob.username;
        bob.token = tokens->token;
        bob.tokenSecret = tokens->tokenSecret;
        bob.oauth2 = tokens->oauth2;
        client->checkSubscription(demo::validWebhookId, bob, this,
                                  [&](const Result<bool> &r) { checked = r; });
        QTRY_VERIFY_WITH_TIMEOUT(checked.has_value(), 10000);
        QVERIFY(checked->ok());
        QCOMPARE(client->requestLog()->entries().constLast().credential, CredentialKind::OAuth2User);
    }

    void shouldStoreNothingWhenTheAppIsNotAuthorisedWithOAuth2()
    {
        std::optional<ApiError> failure;
        QVERIFY(!signIn(demo::dave, oauth2Client(), QStringLiteral("deny"), {}, &failure));
        QVERIFY(failure);
        QCOMPARE(failure->name, QStringLiteral("access_denied"));
        QVERIFY(m_profiles->accounts(m_profileId).isEmpty());
        QCOMPARE(m_sandbox->oauth2TokenRequests(QStringLiteral("authorization_code")), 0);
    }

    void shouldReportAFailedSignInWithoutStoringAnything()
    {
        signintest::HelperTestHooks hooks;
        hooks.setScript(signintest::closeWindowScript()); // the person closes the window
        SignInController controller(m_client, m_profiles, m_profileId, demo::callbackUrl);
        QSignalSpy failed(&controller, &SignInController::failed);
        controller.start();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 60000);
        QCOMPARE(failed.first().first().value<ApiError>().kind, ApiError::Kind::Cancelled);
        QVERIFY(m_profiles->accounts(m_profileId).isEmpty());
    }
};

QTEST_MAIN(TestSignInKeychain)
#include "tst_signin_keychain.moc"
