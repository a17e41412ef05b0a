#include "ConsoleTestSupport.h"
#include "MessageBar.h"
#include "SignInBrowser.h"
#include "SignInController.h"
#include "SignInTestSupport.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

// "Sign in another user…" in the real main window: the sign-in window (the activity-signin helper
// process, driven by its test hooks) opens only now, the new account appears in the account list,
// subscribes, and can be removed again (with a confirmation). Chromium never runs in this process.
class TestConsoleSignIn : public QObject
{
    Q_OBJECT
private:
    // Chromium's processes that this process started itself (Linux /proc): none, ever; they belong
    // to the helper.
    static int webEngineChildren()
    {
        int count = 0;
        const QString self = QString::number(QCoreApplication::applicationPid());
        const QStringList entries =
            QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &pid : entries) {
            QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
            if (!stat.open(QIODevice::ReadOnly))
                continue;
            const QString line = QString::fromLatin1(stat.readAll());
            // "pid (comm) state ppid ..."
            const qsizetype close = line.lastIndexOf(QLatin1Char(')'));
            const QStringList rest = line.mid(close + 2).split(QLatin1Char(' '));
            if (rest.value(1) == self && line.contains(QLatin1String("QtWebEngine")))
                ++count;
        }
        return count;
    }

private Q_SLOTS:
    void shouldSignInSubscribeAndRemoveAnAccountFromTheWindow()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = f.createWindow();
        QSignalSpy resolved(window, &MainWindow::namesResolved);
        window->start();
        QVERIFY(resolved.wait(20000));
        QVERIFY(!window->findChild<SignInController *>());
        QCOMPARE(webEngineChildren(), 0);

        signintest::HelperTestHooks hooks;
        hooks.setScript(
            signintest::personScript(demo::dave.username, demo::dave.password, QStringLiteral("allow")));
        auto *signIn = window->findChild<QAction *>(QStringLiteral("signInAction"));
        QVERIFY(signIn && signIn->isEnabled());
        signIn->trigger();
        SignInController *controller = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((controller = window->findChild<SignInController *>()) != nullptr, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(controller->browser() && controller->browser()->isRunning(), 10000);
        QCOMPARE(webEngineChildren(), 0); // the browser runs in the helper, not here

        auto *accounts = window->findChild<QComboBox *>(QStringLiteral("accountCombo"));
        QVERIFY(accounts);
        QTRY_VERIFY_WITH_TIMEOUT(accounts->findData(demo::dave.id) >= 0, 20000);
        QCOMPARE(accounts->currentData().toString(), demo::dave.id);

        auto *subscribe = window->findChild<QAction *>(QStringLiteral("subscribeAction"));
        QVERIFY(subscribe);
        QTRY_VERIFY(subscribe->isEnabled());
        subscribe->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(f.server.isSubscribed(demo::validWebhookId, demo::dave.id), 10000);

        auto *remove = window->findChild<QAction *>(QStringLiteral("removeAccountAction"));
        QVERIFY(remove && remove->isEnabled());
        f.prompter.answers = {false};
        remove->trigger();
        QCOMPARE(f.prompter.asked.size(), 1);
        QVERIFY(f.prompter.asked.last().question.contains(QStringLiteral("dave")));
        QVERIFY(accounts->findData(demo::dave.id) >= 0); // "no" keeps it
        f.prompter.answers = {true};
        remove->trigger();
        QTRY_VERIFY(accounts->findData(demo::dave.id) < 0);
    }

    // "Sign in with OAuth 2.0…": the same window, X's OAuth 2.0 authorize page, the redirect caught in
    // the helper; the account subscribes with its OAuth 2.0 token and its removal revokes the grant.
    void shouldSignInWithOAuth2SubscribeAndRevokeFromTheWindow()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = f.createWindow();
        QSignalSpy resolved(window, &MainWindow::namesResolved);
        window->start();
        QVERIFY(resolved.wait(20000));

        signintest::HelperTestHooks hooks;
        hooks.setScript(
            signintest::personScript(demo::dave.username, demo::dave.password, QStringLiteral("allow")));
        auto *signIn = window->findChild<QAction *>(QStringLiteral("oauth2SignInAction"));
        QVERIFY(signIn);
        QTRY_VERIFY(signIn->isEnabled()); // the built-in sandbox profile has the demo OAuth 2.0 client
        signIn->trigger();
        auto *accounts = window->findChild<QComboBox *>(QStringLiteral("accountCombo"));
        QVERIFY(accounts);
        QTRY_VERIFY_WITH_TIMEOUT(accounts->findData(demo::dave.id) >= 0, 30000);
        QCOMPARE(f.server.oauth2TokenRequests(QStringLiteral("authorization_code")), 1);
        QCOMPARE(webEngineChildren(), 0);

        auto *subscribe = window->findChild<QAction *>(QStringLiteral("subscribeAction"));
        QTRY_VERIFY(subscribe->isEnabled());
        subscribe->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(f.server.isSubscribed(demo::validWebhookId, demo::dave.id), 10000);
        bool signedWithOAuth2 = false;
        for (const sandbox::JournalEntry &entry : f.server.journal().entries()) {
            if (entry.path.contains(QLatin1String("/subscriptions/all")) && entry.method == "POST")
                signedWithOAuth2 = entry.credential == CredentialKind::OAuth2User;
        }
        QVERIFY(signedWithOAuth2);

        auto *remove = window->findChild<QAction *>(QStringLiteral("removeAccountAction"));
        f.prompter.answers = {true};
        remove->trigger();
        QVERIFY(f.prompter.asked.last().details.contains(QStringLiteral("revoked at X first")));
        QTRY_VERIFY_WITH_TIMEOUT(accounts->findData(demo::dave.id) < 0, 10000);
        const auto revoked = [&f] {
            for (const sandbox::JournalEntry &entry : f.server.journal().entries()) {
                if (entry.path == QLatin1String("/2/oauth2/revoke") && entry.status == 200)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(revoked(), 10000);
        QCOMPARE(f.server.revokeOAuth2Grants(demo::dave.id), 0); // none was left
    }

    void shouldSayPlainlyWhenTheSignInWindowIsClosed()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = f.createWindow();
        QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
        window->start();
        QVERIFY(refreshed.wait(20000));
        signintest::HelperTestHooks hooks;
        hooks.setScript(signintest::closeWindowScript()); // the person closes the window
        window->findChild<QAction *>(QStringLiteral("signInAction"))->trigger();
        auto *bar = window->findChild<MessageBar *>();
        QVERIFY(bar);
        QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible(), 60000);
        QVERIFY2(bar->cause().contains(QStringLiteral("closed")), qPrintable(bar->cause()));
        QTRY_VERIFY(!window->findChild<SignInController *>());
    }
};

QTEST_MAIN(TestConsoleSignIn)
#include "tst_console_signin.moc"
