#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

// The desktop manners, by real key presses on the real window: refresh, find, copy, delete.
class TestConsoleKeyboard : public QObject
{
    Q_OBJECT
private:
    static MainWindow *loadDemo(ConsoleFixture &f)
    {
        if (!f.listen())
            return nullptr;
        MainWindow *window = f.createWindow();
        QSignalSpy resolved(window, &MainWindow::namesResolved);
        window->start();
        if (!resolved.wait(20000) || !QTest::qWaitForWindowActive(window))
            return nullptr;
        return window;
    }

private Q_SLOTS:
    void shouldRefreshWithF5AndCtrlR()
    {
        ConsoleFixture f;
        MainWindow *window = loadDemo(f);
        QVERIFY(window);
        QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
        QTest::keyClick(window, Qt::Key_F5);
        QVERIFY(refreshed.wait(10000));
        QTest::keyClick(window, Qt::Key_R, Qt::ControlModifier);
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(refreshed.size(), 2);
    }

    void shouldFocusTheFilterWithCtrlF()
    {
        ConsoleFixture f;
        MainWindow *window = loadDemo(f);
        QVERIFY(window);
        auto *view = window->findChild<ConsoleTableView *>(QStringLiteral("subscriptionView"));
        QVERIFY(view);
        view->setFocus();
        QTRY_VERIFY(view->hasFocus());
        QTest::keyClick(view, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(qobject_cast<QLineEdit *>(QApplication::focusWidget()) != nullptr);
    }

    void shouldCopyTheSelectedRowsWithCtrlC()
    {
        ConsoleFixture f;
        MainWindow *window = loadDemo(f);
        QVERIFY(window);
        auto *view = window->findChild<ConsoleTableView *>(QStringLiteral("subscriptionView"));
        QVERIFY(view);
        view->setFocus();
        view->selectRow(0);
        QApplication::clipboard()->clear();
        QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
        QTRY_VERIFY(!QApplication::clipboard()->text().isEmpty());
        const QString copied = QApplication::clipboard()->text();
        QVERIFY2(copied.contains(QLatin1Char('\t')), qPrintable(copied));
        QVERIFY(copied.contains(view->model()->index(0, 0).data().toString()));
    }

    void shouldAskBeforeUnsubscribingWithTheDeleteKey()
    {
        ConsoleFixture f;
        MainWindow *window = loadDemo(f);
        QVERIFY(window);
        auto *view = window->findChild<ConsoleTableView *>(QStringLiteral("subscriptionView"));
        QVERIFY(view);
        view->setFocus();
        view->selectRow(0);
        const int before = f.server.subscriptionCount();
        f.prompter.answers = {false};
        QTest::keyClick(view, Qt::Key_Delete);
        QCOMPARE(f.prompter.asked.size(), 1);
        QCOMPARE(f.server.subscriptionCount(), before); // "no" changes nothing
    }
};

QTEST_MAIN(TestConsoleKeyboard)
#include "tst_console_keyboard.moc"
