// `activity-cli login --oauth2` end to end: the real executable against the sandbox, the person's
// part played over HTTP. The redirect comes back either to the CLI's own loopback listener on the
// profile's redirect URI, or pasted into its stdin; the account lands in the real keychain; then
// `--user` subscribes it with the OAuth 2.0 token ("OAuth 2.0 user" in the verbose request log),
// `accounts` lists it without a token, and `accounts remove` revokes the grant at X.
#include "ActivityConfig.h"
#include "ProfileStore.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "SecretStore.h"
#include "SignInTestSupport.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include "CliProcess.h"

using namespace activity;
namespace demo = activity::sandbox::demo;

class TestCliLoginOAuth2 : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_config;
    sandbox::SandboxServer *m_sandbox = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    QUrl m_loopbackRedirect;
    const QUrl m_remoteRedirect {QStringLiteral("https://app.example/oauth/callback")};

    int runToEnd(const QStringList &arguments, QByteArray *out = nullptr, QByteArray *err = nullptr)
    {
        const clitest::Run run =
            clitest::runCliProcess(arguments, QProcessEnvironment::systemEnvironment(), 30000);
        if (out)
            *out = run.out;
        if (err)
            *err = run.err;
        return run.exitCode;
    }

    void saveProfile(const QString &name, const QUrl &redirectUri)
    {
        QSettings settings(QStringLiteral(ACTIVITY_ORGANISATION), QStringLiteral(ACTIVITY_APPLICATION_NAME));
        SecretStore secrets;
        ProfileStore profiles(&settings, &secrets);
        Profile profile;
        profile.name = name;
        profile.baseUrl = m_sandbox->baseUrl().toString();
        profile.consumerKey = QString::fromLatin1(demo::consumerKey);
        profile.isSandbox = true; // plain http to 127.0.0.1 is meant
        profile.oauth2ClientId = QString::fromLatin1(demo::oauth2ClientId);
        profile.oauth2RedirectUri = redirectUri.toString();
        const QString id = profiles.saveProfile(profile);
        ProfileSecrets profileSecrets {demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, {}};
        profileSecrets.oauth2ClientSecret = demo::oauth2ClientSecret;
        std::optional<Result<Done>> saved;
        profiles.saveSecrets(id, profileSecrets, this, [&saved](const Result<Done> &r) { saved = r; });
        QTRY_VERIFY_WITH_TIMEOUT(saved.has_value(), 10000);
        QVERIFY(saved->ok());
        settings.sync();
    }

    // Starts `login --oauth2` and plays the person up to X's redirect; returns the redirect URL.
    QUrl approveInBrowser(QProcess &cli, const QStringList &arguments, const demo::User &user,
                          QByteArray &err, const QStringList &uncheck = {})
    {
        clitest::startCliProcess(cli, arguments, QProcessEnvironment::systemEnvironment());
        QUrl authorize;
        const bool shown = QTest::qWaitFor(
            [&] {
                err += cli.readAllStandardError();
                // The address is alone on its line.
                const auto match =
                    QRegularExpression(QStringLiteral("(?m)^(http://\\S+/i/oauth2/authorize\\S+)$"))
                        .match(QString::fromUtf8(err));
                if (match.hasMatch())
                    authorize = QUrl(match.captured(1));
                return authorize.isValid() || cli.state() == QProcess::NotRunning;
            },
            20000);
        if (!shown || !authorize.isValid()) {
            qWarning("%s", err.constData());
            return {};
        }
        const auto page = signintest::get(*m_network, authorize);
        if (page.status != 200)
            return {};
        const auto answer = signintest::submitOAuth2AuthorizeForm(
            *m_network, authorize, page.body, user.username, user.password, QStringLiteral("allow"), uncheck);
        return answer.status == 302 ? answer.redirect : QUrl();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        m_sandbox = new sandbox::SandboxServer(this);
        QVERIFY(m_sandbox->listen());
        m_sandbox->seedDemo();
        m_network = new QNetworkAccessManager(this);

        // A free loopback port for the CLI's listener, registered for the demo client as a person
        // registers http://127.0.0.1:PORT/callback in the developer portal.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        m_loopbackRedirect = QUrl(QStringLiteral("http://127.0.0.1:%1/callback").arg(probe.serverPort()));
        probe.close();
        QVERIFY(m_sandbox->addOAuth2RedirectUri(demo::oauth2ClientId, m_loopbackRedirect.toString()));
        QVERIFY(m_sandbox->addOAuth2RedirectUri(demo::oauth2ClientId, m_remoteRedirect.toString()));
        saveProfile(QStringLiteral("Loopback"), m_loopbackRedirect);
        saveProfile(QStringLiteral("Pasted"), m_remoteRedirect);
    }

    void shouldSignInThroughTheLoopbackListenerSubscribeAndRevoke()
    {
        QProcess cli;
        QByteArray err;
        const QUrl redirect = approveInBrowser(cli,
                                               {QStringLiteral("--profile"), QStringLiteral("Loopback"),
                                                QStringLiteral("login"), QStringLiteral("--oauth2")},
                                               demo::dave, err);
        QVERIFY2(redirect.isValid(), err.constData());
        QVERIFY(redirect.toString().startsWith(m_loopbackRedirect.toString()));
        // The browser follows the redirect to the CLI's listener.
        const auto landed = signintest::get(*m_network, redirect);
        QCOMPARE(landed.status, 200);
        QVERIFY(landed.body.contains("return to the terminal"));

        QSignalSpy finished(&cli, &QProcess::finished);
        QVERIFY(cli.state() == QProcess::NotRunning || finished.wait(20000));
        const QByteArray out = cli.readAllStandardOutput();
        err += cli.readAllStandardError();
        QCOMPARE(cli.exitCode(), 0);
        QVERIFY2(out.contains("Signed in as @dave"), out.constData());
        QVERIFY2(out.contains("OAuth 2.0 scopes: dm.read dm.write offline.access tweet.read users.read"),
                 out.constData());
        QCOMPARE(m_sandbox->oauth2TokenRequests(QStringLiteral("authorization_code")), 1);

        // `accounts` shows the kind and scopes, never a token.
        QByteArray listed;
        QCOMPARE(runToEnd({QStringLiteral("--profile"), QStringLiteral("Loopback"),
                           QStringLiteral("accounts"), QStringLiteral("--json")},
                          &listed),
                 0);
        QVERIFY2(listed.contains("OAuth 2.0") && listed.contains("dm.write"), listed.constData());

        // --user picks the stored account; v2 subscribe goes with the OAuth 2.0 token.
        QByteArray addOut, addErr;
        QCOMPARE(runToEnd({QStringLiteral("--profile"), QStringLiteral("Loopback"), QStringLiteral("--user"),
                           QStringLiteral("dave"), QStringLiteral("--verbose"),
                           QStringLiteral("subscriptions"), QStringLiteral("add"), demo::validWebhookId},
                          &addOut, &addErr),
                 0);
        QVERIFY(m_sandbox->isSubscribed(demo::validWebhookId, demo::dave.id));
        QVERIFY2(addErr.contains("OAuth 2.0 user"), addErr.constData());

        // Removing the account revokes the grant at X first.
        QByteArray removeOut, removeErr;
        QCOMPARE(
            runToEnd({QStringLiteral("--profile"), QStringLiteral("Loopback"), QStringLiteral("accounts"),
                      QStringLiteral("remove"), QStringLiteral("dave"), QStringLiteral("--yes")},
                     &removeOut, &removeErr),
            0);
        QVERIFY2(removeOut.contains("X revoked its OAuth 2.0 sign-in"), removeOut.constData());
        QCOMPARE(m_sandbox->revokeOAuth2Grants(demo::dave.id), 0); // none left to end

        // Nothing printed carries a secret of the sign-in.
        for (const QByteArray &printed : {out, err, listed, addOut, addErr, removeOut, removeErr}) {
            QVERIFY(!printed.contains(demo::oauth2ClientSecret));
            QVERIFY(!printed.contains("code_verifier="));
            QVERIFY(!printed.contains("refresh_token\":\""));
            QVERIFY(!printed.contains("access_token\":\""));
        }
    }

    void shouldTakeAPastedRedirectWithTheScopesAsked()
    {
        QProcess cli;
        QByteArray err;
        const QUrl redirect =
            approveInBrowser(cli,
                             {QStringLiteral("--profile"), QStringLiteral("Pasted"), QStringLiteral("login"),
                              QStringLiteral("--oauth2"), QStringLiteral("--scopes"),
                              QStringLiteral("tweet.read users.read like.read")},
                             demo::eve, err, {QStringLiteral("like.read")});
        QVERIFY2(redirect.isValid(), err.constData());
        QVERIFY(redirect.toString().startsWith(m_remoteRedirect.toString()));
        // The prompt follows the address; a slow build (the sanitizers') may not have written it yet.
        QTRY_VERIFY2_WITH_TIMEOUT((err += cli.readAllStandardError()).contains("paste the address"),
                                  err.constData(), 20000);
        // The person pastes the address the browser ended on.
        cli.write(redirect.toString(QUrl::FullyEncoded).toUtf8() + '\n');
        QSignalSpy finished(&cli, &QProcess::finished);
        QVERIFY(cli.state() == QProcess::NotRunning || finished.wait(20000));
        const QByteArray out = cli.readAllStandardOutput();
        QCOMPARE(cli.exitCode(), 0);
        // X granted less than asked: the account shows what was granted, and no refresh token
        // without offline.access.
        QVERIFY2(out.contains("OAuth 2.0 scopes: tweet.read users.read."), out.constData());
        QVERIFY2(out.contains("no refresh token"), out.constData());
    }

    void shouldRefuseAPastedAddressOfAnotherSignIn()
    {
        QProcess cli;
        QByteArray err;
        const QUrl redirect = approveInBrowser(cli,
                                               {QStringLiteral("--profile"), QStringLiteral("Pasted"),
                                                QStringLiteral("login"), QStringLiteral("--oauth2")},
                                               demo::eve, err);
        QVERIFY(redirect.isValid());
        QUrl forged = redirect;
        QUrlQuery query(forged);
        query.removeAllQueryItems(QStringLiteral("state"));
        query.addQueryItem(QStringLiteral("state"), QStringLiteral("someone-elses"));
        forged.setQuery(query);
        cli.write(forged.toString(QUrl::FullyEncoded).toUtf8() + '\n');
        QSignalSpy finished(&cli, &QProcess::finished);
        QVERIFY(cli.state() == QProcess::NotRunning || finished.wait(20000));
        err += cli.readAllStandardError();
        QVERIFY(cli.exitCode() != 0);
        QVERIFY2(err.contains("state does not match"), err.constData());
    }

    void shouldExplainAMissingClientId()
    {
        QByteArray out, err;
        QVERIFY(runToEnd({QStringLiteral("--profile"), QStringLiteral("Loopback"), QStringLiteral("login"),
                          QStringLiteral("--scopes"), QStringLiteral("tweet.read")},
                         &out, &err) == 2);
        QVERIFY2(err.contains("--oauth2"), err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliLoginOAuth2)
#include "tst_cli_login_oauth2.moc"
