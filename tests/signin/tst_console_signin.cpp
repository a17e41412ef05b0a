#include "ConsoleTestSupport.h"
#include "LoginDialog.h"
#include "MessageBar.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QWebEnginePage>
#include <QWebEngineView>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

// "Sign in another user…" in the real main window: the embedded browser opens only now, the new
// account appears in the account list, subscribes, and can be removed again (with a confirmation).
class TestConsoleSignIn : public QObject
{
    Q_OBJECT
private:
    // Chromium's helper processes that this process started (Linux /proc).
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
        // WebEngine is not started with the window: no browser dialog, no Chromium process.
        QVERIFY(!window->findChild<LoginDialog *>());
        QCOMPARE(webEngineChildren(), 0);

        auto *signIn = window->findChild<QAction *>(QStringLiteral("signInAction"));
        QVERIFY(signIn && signIn->isEnabled());
        signIn->trigger();
        LoginDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = window->findChild<LoginDialog *>()) != nullptr, 10000);
        QSignalSpy loaded(dialog->view(), &QWebEngineView::loadFinished);
        QVERIFY(loaded.wait(20000));
        QVERIFY(webEngineChildren() > 0); // the check above can see Chromium when it runs
        bool done = false;
        dialog->view()->page()->runJavaScript(
            QStringLiteral("document.getElementById('username').value = 'dave';"
                           "document.getElementById('password').value = '%1';"
                           "document.getElementById('allow').click(); true")
                .arg(demo::dave.password),
            [&](const QVariant &) { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);

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

    void shouldSayPlainlyWhenTheSignInWindowIsClosed()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = f.createWindow();
        QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
        window->start();
        QVERIFY(refreshed.wait(20000));
        window->findChild<QAction *>(QStringLiteral("signInAction"))->trigger();
        LoginDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = window->findChild<LoginDialog *>()) != nullptr, 10000);
        dialog->reject();
        auto *bar = window->findChild<MessageBar *>();
        QVERIFY(bar);
        QTRY_VERIFY(bar->isVisible());
        QTRY_VERIFY(!window->findChild<LoginDialog *>());
    }
};

QTEST_MAIN(TestConsoleSignIn)
#include "tst_console_signin.moc"
