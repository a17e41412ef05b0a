#include "ActivityConfig.h"
#include "ProfileStore.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "SecretStore.h"
#include "SignInTestSupport.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

using namespace activity;
namespace demo = activity::sandbox::demo;

// `activity-cli login` in a terminal (end to end: the real executable, its stdin a pipe this test
// writes the PIN into): the PIN flow against the sandbox, the account kept in the
// real keychain, then `--user` picks it to subscribe.
class TestCliLogin : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_config;
    sandbox::SandboxServer *m_sandbox = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    QString m_profileName = QStringLiteral("Sandbox CLI");

    int runToEnd(QProcess &cli, const QStringList &arguments, QByteArray *out = nullptr,
                 QByteArray *err = nullptr)
    {
        QSignalSpy finished(&cli, &QProcess::finished);
        clitest::startCliProcess(cli, arguments, QProcessEnvironment::systemEnvironment());
        cli.closeWriteChannel();
        if (!finished.wait(20000))
            return -1;
        if (out)
            *out = cli.readAllStandardOutput();
        if (err)
            *err = cli.readAllStandardError();
        return cli.exitCode();
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The CLI reads the console's settings; keep both this test and the child away from any real ones.
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        m_sandbox = new sandbox::SandboxServer(this);
        QVERIFY(m_sandbox->listen());
        m_sandbox->seedDemo();
        m_network = new QNetworkAccessManager(this);

        QSettings settings(QStringLiteral(ACTIVITY_ORGANISATION), QStringLiteral(ACTIVITY_APPLICATION_NAME));
        SecretStore secrets;
        ProfileStore profiles(&settings, &secrets);
        Profile profile;
        profile.name = m_profileName;
        profile.baseUrl = m_sandbox->baseUrl().toString();
        profile.consumerKey = QString::fromLatin1(demo::consumerKey);
        profile.isSandbox = true; // plain http to 127.0.0.1 is meant
        const QString id = profiles.saveProfile(profile);
        QSignalSpy saved(this, &QObject::objectNameChanged);
        profiles.saveSecrets(
            id, {demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, {}}, this,
            [this](const Result<Done> &r) { setObjectName(r ? QStringLiteral("saved") : r.error().text()); });
        QVERIFY(saved.wait(10000));
        QCOMPARE(objectName(), QStringLiteral("saved"));
        settings.sync();
    }

    void shouldSignInWithThePinAndSubscribeTheStoredAccount()
    {
        QProcess cli;
        clitest::startCliProcess(cli, {QStringLiteral("--profile"), m_profileName, QStringLiteral("login")},
                                 QProcessEnvironment::systemEnvironment());
        QByteArray err;
        QUrl authorize;
        QVERIFY(QTest::qWaitFor(
            [&] {
                err += cli.readAllStandardError();
                const auto match = QRegularExpression(QStringLiteral("(http://\\S+/oauth/authorize\\S+)"))
                                       .match(QString::fromUtf8(err));
                if (match.hasMatch())
                    authorize = QUrl(match.captured(1));
                return authorize.isValid() || cli.state() == QProcess::NotRunning;
            },
            20000));
        QVERIFY2(authorize.isValid(), err.constData());

        // The person signs in as dave in a browser and reads the PIN.
        const auto page = signintest::get(*m_network, authorize);
        const auto shown =
            signintest::submitAuthorizeForm(*m_network, authorize, page.body, demo::dave.username,
                                            demo::dave.password, QStringLiteral("allow"));
        const QString pin = signintest::pinFrom(shown.body);
        QCOMPARE(pin.size(), 7);

        // A mistyped PIN is refused and asked again; the right one signs in.
        const QByteArray wrong = pin == QStringLiteral("1111111") ? "2222222\n" : "1111111\n";
        cli.write(wrong);
        QVERIFY(QTest::qWaitFor(
            [&] {
                err += cli.readAllStandardError();
                return err.count("PIN shown by X") >= 2;
            },
            20000));
        cli.write(pin.toLatin1() + '\n');
        QSignalSpy finished(&cli, &QProcess::finished);
        QVERIFY(cli.state() == QProcess::NotRunning || finished.wait(20000));
        const QByteArray out = cli.readAllStandardOutput();
        err += cli.readAllStandardError();
        QCOMPARE(cli.exitCode(), 0);
        QVERIFY2(out.contains("Signed in as @dave"), out.constData());

        // --user picks the stored account.
        const QString webhookId = demo::validWebhookId;
        QProcess add;
        QByteArray addOut, addErr;
        QCOMPARE(runToEnd(add,
                          {QStringLiteral("--profile"), m_profileName, QStringLiteral("--user"),
                           QStringLiteral("dave"), QStringLiteral("subscriptions"), QStringLiteral("add"),
                           webhookId},
                          &addOut, &addErr),
                 0);
        QVERIFY(m_sandbox->isSubscribed(webhookId, demo::dave.id));

        // Nothing the CLI printed carries the consumer secret or a token secret.
        for (const QByteArray &printed : {out, err, addOut, addErr}) {
            QVERIFY(!printed.contains(demo::consumerSecret));
            QVERIFY(!printed.contains(demo::ownerTokenSecret));
            QVERIFY(!printed.contains("oauth_token_secret="));
        }
    }

    void shouldRefuseLoginWithoutAProfile()
    {
        QProcess cli;
        QByteArray out, err;
        QCOMPARE(runToEnd(cli, {QStringLiteral("login")}, &out, &err), 4);
        QVERIFY2(err.contains("--profile"), err.constData());
    }

    void shouldCancelWhenStdinClosesBeforeAPin()
    {
        QProcess cli;
        QByteArray out, err;
        QCOMPARE(runToEnd(cli, {QStringLiteral("--profile"), m_profileName, QStringLiteral("login")}, &out,
                          &err) != 0,
                 true);
        QVERIFY2(err.contains("Nothing was saved"), err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliLogin)
#include "tst_cli_login.moc"
