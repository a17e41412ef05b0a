// Benchmark (prints figures, never fails on timing): time from process start to an interactive main
// window, and for 100,000 subscriptions from the sandbox: load into the model, filter keystrokes
// through the view's proxy, and the memory the list costs.
#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"
#include "StartupProbe.h"
#include "SubscriptionFilterProxy.h"
#include "SubscriptionTableModel.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

namespace {

QElapsedTimer &sinceMain()
{
    static QElapsedTimer timer;
    return timer;
}

} // namespace

class BenchConsole : public QObject
{
    Q_OBJECT
public:
    static void initMain() { sinceMain().start(); }

private Q_SLOTS:
    void startupToInteractiveWindow()
    {
        const double ageAtTest = startupprobe::processAgeMs();
        QElapsedTimer timer;
        timer.start();
        ConsoleFixture f;
        QVERIFY(f.listen());
        const qint64 sandboxMs = timer.elapsed();
        MainWindow *window = f.createWindow(); // constructs and shows
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QCoreApplication::processEvents(); // the first event-loop pass: the window answers input
        const qint64 windowMs = timer.elapsed() - sandboxMs;
        const double age = startupprobe::processAgeMs();
        QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
        window->start();
        QVERIFY(refreshed.wait());
        const qint64 dataMs = timer.elapsed() - sandboxMs - windowMs;
        qInfo().noquote() << QStringLiteral(
                                 "startup: process start -> interactive main window %1 ms "
                                 "(process age at test start %2 ms; main() -> now %3 ms; "
                                 "sandbox listen+seed %4 ms; window construct+show+first pass %5 ms; "
                                 "first webhook list after show %6 ms) [target < 500 ms]")
                                 .arg(age, 0, 'f', 0)
                                 .arg(ageAtTest, 0, 'f', 0)
                                 .arg(sinceMain().elapsed())
                                 .arg(sandboxMs)
                                 .arg(windowMs)
                                 .arg(dataMs);
    }

    void hundredThousandSubscriptions()
    {
        constexpr int count = 100000;
        ConsoleFixture f;
        QVERIFY(f.listen());
        f.server.addSubscriptions(demo::validWebhookId, count - demo::seededSubscriberCount - 1);
        const QStringList ids = f.server.subscribers(demo::validWebhookId);
        MainWindow *window = f.createWindow();
        QVERIFY(QTest::qWaitForWindowExposed(window));

        // The model alone: one reset with 100,000 ids.
        const qint64 rssBefore = startupprobe::residentKiB();
        {
            SubscriptionTableModel model;
            QElapsedTimer modelTimer;
            modelTimer.start();
            model.setUserIds(ids);
            const qint64 modelMs = modelTimer.elapsed();
            const qint64 rssAfter = startupprobe::residentKiB();
            qInfo().noquote() << QStringLiteral(
                                     "load: %1 ids into SubscriptionTableModel %2 ms [target < 150 ms]; "
                                     "memory +%3 KiB (%4 bytes per row)")
                                     .arg(ids.size())
                                     .arg(modelMs)
                                     .arg(rssAfter - rssBefore)
                                     .arg(double(rssAfter - rssBefore) * 1024.0 / ids.size(), 0, 'f', 0);
        }

        // End to end through the window: list call, parse, model, proxy, view.
        QSignalSpy loaded(window, &MainWindow::subscriptionsLoaded);
        QElapsedTimer timer;
        timer.start();
        window->start();
        QVERIFY(loaded.wait(60000));
        const qint64 endToEndMs = timer.elapsed();
        QCOMPARE(window->subscriptionModel()->rowCount(), ids.size());
        qInfo().noquote() << QStringLiteral("load: window start -> %1 subscriptions on screen %2 ms "
                                            "(webhook list + subscription list over loopback HTTP + model)")
                                 .arg(ids.size())
                                 .arg(endToEndMs);

        // Keystrokes in the filter box, through the view's proxy, including the view's update.
        auto *filter = window->findChild<QLineEdit *>(QStringLiteral("subscriptionFilter"));
        QVERIFY(filter);
        const QString typed = QStringLiteral("user 12");
        QList<qint64> perKey;
        QElapsedTimer key;
        for (const QChar c : typed) {
            key.start();
            QTest::keyClicks(filter, QString(c));
            QCoreApplication::processEvents();
            perKey.append(key.nsecsElapsed() / 1000);
        }
        for (int i = 0; i < typed.size(); ++i) {
            key.start();
            QTest::keyClick(filter, Qt::Key_Backspace);
            QCoreApplication::processEvents();
            perKey.append(key.nsecsElapsed() / 1000);
        }
        qint64 worst = 0;
        qint64 total = 0;
        for (const qint64 us : std::as_const(perKey)) {
            worst = qMax(worst, us);
            total += us;
        }
        qInfo().noquote() << QStringLiteral(
                                 "filter: %1 keystrokes (typing \"%2\" then deleting it) over %3 rows: "
                                 "mean %4 ms, worst %5 ms [target < 30 ms]")
                                 .arg(perKey.size())
                                 .arg(typed)
                                 .arg(ids.size())
                                 .arg(double(total) / perKey.size() / 1000.0, 0, 'f', 2)
                                 .arg(double(worst) / 1000.0, 0, 'f', 2);
        qInfo().noquote() << QStringLiteral("memory: resident %1 MiB with the 100,000-row window open")
                                 .arg(double(startupprobe::residentKiB()) / 1024.0, 0, 'f', 1);
    }
};

QTEST_MAIN(BenchConsole)
#include "bench_console.moc"
