#include "ApiClient.h"
#include "LoginDialog.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "SignInFlow.h"
#include "SignInTestSupport.h"

#include <QLineEdit>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineView>
#include <QtTest>

using namespace activity;
namespace demo = activity::sandbox::demo;

// The real embedded browser (QtWebEngine under Xvfb) on the sandbox's authorize page.
class TestLoginDialog : public QObject
{
    Q_OBJECT
private:
    sandbox::SandboxServer *m_sandbox = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    ApiClient *m_client = nullptr;
    QList<QUrl> m_openedExternally;

    static QString problem(const SignInFlow &flow)
    {
        return flow.result().ok() ? QString() : flow.result().error().text();
    }

    // Starts a flow and opens the dialog on its authorize page, as the console's controller does.
    std::unique_ptr<LoginDialog> openDialog(SignInFlow &flow)
    {
        QSignalSpy ready(&flow, &SignInFlow::authorizeUrlReady);
        flow.start();
        if (!ready.wait(10000))
            return nullptr;
        LoginDialog::Options options;
        options.authorizeUrl = flow.authorizeUrl();
        if (!flow.isPinFlow())
            options.callbackUrl = QUrl(flow.callbackUrl());
        options.openExternally = [this](const QUrl &url) { m_openedExternally.append(url); };
        auto dialog = std::make_unique<LoginDialog>(options);
        connect(dialog.get(), &LoginDialog::callbackReached, &flow, &SignInFlow::handleCallback);
        connect(dialog.get(), &LoginDialog::pinSubmitted, &flow, &SignInFlow::submitPin);
        connect(dialog.get(), &LoginDialog::closedByUser, &flow, &SignInFlow::cancel);
        QSignalSpy loaded(dialog->view(), &QWebEngineView::loadFinished);
        dialog->show();
        if (!loaded.wait(20000) || !loaded.first().first().toBool())
            return nullptr;
        return dialog;
    }

    QVariant runScript(LoginDialog &dialog, const QString &script)
    {
        QVariant result;
        bool done = false;
        dialog.view()->page()->runJavaScript(script, [&](const QVariant &value) {
            result = value;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 10000))
            qWarning("script did not finish: %s", qPrintable(script));
        return result;
    }

    // Types into the page's form and presses a button, as a person would.
    void fillAndPress(LoginDialog &dialog, const demo::User &user, const QString &button)
    {
        runScript(dialog,
                  QStringLiteral("document.getElementById('username').value = '%1';"
                                 "document.getElementById('password').value = '%2';"
                                 "document.getElementById('%3').click(); true")
                      .arg(user.username, user.password, button));
    }

    bool waitFinished(SignInFlow &flow)
    {
        QSignalSpy finished(&flow, &SignInFlow::finished);
        return flow.state() == SignInFlow::State::Succeeded || flow.state() == SignInFlow::State::Failed ||
            finished.wait(15000);
    }

private Q_SLOTS:
    void init()
    {
        m_openedExternally.clear();
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

    void shouldSignInByApprovingInTheEmbeddedBrowser()
    {
        SignInFlow flow(m_client, demo::callbackUrl);
        auto dialog = openDialog(flow);
        QVERIFY(dialog);
        QVERIFY(dialog->findChild<QLineEdit *>(QStringLiteral("addressBar"))->isReadOnly());
        QSignalSpy caught(dialog.get(), &LoginDialog::callbackReached);
        fillAndPress(*dialog, demo::alice, QStringLiteral("allow"));
        QVERIFY(caught.wait(15000));
        // Caught before any request left: the sandbox never saw the callback URL requested.
        QVERIFY(!m_sandbox->journal().entries().isEmpty());
        for (const auto &entry : m_sandbox->journal().entries())
            QVERIFY(!entry.path.contains(QStringLiteral("activity-console/callback")));
        QVERIFY(waitFinished(flow));
        QVERIFY2(flow.result().ok(), qPrintable(problem(flow)));
        QCOMPARE(flow.result().value().userId, demo::alice.id);
    }

    void shouldReportADenialFromTheBrowser()
    {
        SignInFlow flow(m_client, demo::callbackUrl);
        auto dialog = openDialog(flow);
        QVERIFY(dialog);
        fillAndPress(*dialog, demo::alice, QStringLiteral("deny"));
        QVERIFY(waitFinished(flow));
        QCOMPARE(flow.result().error().kind, ApiError::Kind::Permission);
    }

    void shouldCancelWhenTheDialogIsClosed()
    {
        SignInFlow flow(m_client, demo::callbackUrl);
        auto dialog = openDialog(flow);
        QVERIFY(dialog);
        dialog->reject();
        QVERIFY(waitFinished(flow));
        QCOMPARE(flow.result().error().kind, ApiError::Kind::Cancelled);
    }

    void shouldSignInWithThePinShownInTheBrowser()
    {
        SignInFlow flow(m_client, {});
        auto dialog = openDialog(flow);
        QVERIFY(dialog);
        QVERIFY(dialog->isPinMode());
        QSignalSpy loaded(dialog->view(), &QWebEngineView::loadFinished);
        fillAndPress(*dialog, demo::bob, QStringLiteral("allow"));
        QVERIFY(loaded.wait(15000));
        QString pin;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(pin =
                  runScript(*dialog, QStringLiteral("(document.getElementById('pin')||{}).textContent || ''"))
                      .toString())
                 .isEmpty(),
            10000);
        auto *pinEdit = dialog->findChild<QLineEdit *>(QStringLiteral("pinEdit"));
        QVERIFY(pinEdit);
        QTest::keyClicks(pinEdit, pin);
        QTest::keyClick(pinEdit, Qt::Key_Return);
        QVERIFY(waitFinished(flow));
        QVERIFY2(flow.result().ok(), qPrintable(problem(flow)));
        QCOMPARE(flow.result().value().userId, demo::bob.id);
    }

    void shouldNotShareASessionBetweenTwoSignIns()
    {
        SignInFlow first(m_client, demo::callbackUrl);
        auto firstDialog = openDialog(first);
        QVERIFY(firstDialog);
        // Whatever the first page stores, the next sign-in must not see it.
        runScript(*firstDialog,
                  QStringLiteral("document.cookie = 'who=alice; path=/'; "
                                 "localStorage.setItem('who', 'alice'); true"));
        QCOMPARE(runScript(*firstDialog, QStringLiteral("document.cookie")).toString(),
                 QStringLiteral("who=alice"));
        fillAndPress(*firstDialog, demo::alice, QStringLiteral("allow"));
        QVERIFY(waitFinished(first));
        QVERIFY(first.result().ok());
        QWebEngineProfile *firstProfile = firstDialog->profile();
        QVERIFY(firstProfile->isOffTheRecord());
        firstDialog.reset();

        SignInFlow second(m_client, demo::callbackUrl);
        auto secondDialog = openDialog(second);
        QVERIFY(secondDialog);
        QVERIFY(secondDialog->profile()->isOffTheRecord());
        QCOMPARE(runScript(*secondDialog, QStringLiteral("document.cookie")).toString(), QString());
        QCOMPARE(runScript(*secondDialog, QStringLiteral("String(localStorage.getItem('who'))")).toString(),
                 QStringLiteral("null"));
        QCOMPARE(
            runScript(*secondDialog, QStringLiteral("document.getElementById('username').value")).toString(),
            QString());
        fillAndPress(*secondDialog, demo::bob, QStringLiteral("allow"));
        QVERIFY(waitFinished(second));
        QVERIFY2(second.result().ok(), qPrintable(problem(second)));
        QCOMPARE(second.result().value().userId, demo::bob.id);
    }

    void shouldSendOffSiteLinksToTheSystemBrowser()
    {
        SignInFlow flow(m_client, demo::callbackUrl);
        auto dialog = openDialog(flow);
        QVERIFY(dialog);
        runScript(*dialog,
                  QStringLiteral("var a = document.createElement('a'); a.id = 'offsite';"
                                 "a.href = 'https://help.example.com/privacy'; a.textContent = 'x';"
                                 "document.body.appendChild(a); a.click(); true"));
        QTRY_COMPARE_WITH_TIMEOUT(m_openedExternally.size(), 1, 10000);
        QCOMPARE(m_openedExternally.first(), QUrl(QStringLiteral("https://help.example.com/privacy")));
        QCOMPARE(dialog->view()->url().host(), QStringLiteral("127.0.0.1"));
        dialog->reject();
    }
};

QTEST_MAIN(TestLoginDialog)
#include "tst_logindialog.moc"
