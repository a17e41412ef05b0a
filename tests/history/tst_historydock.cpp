// The console's History dock: the shared history in a table, entries of earlier runs that never got
// their answer highlighted and explained, and another process's writes shown on refresh.
#include "ConsoleTableView.h"
#include "HistoryDock.h"
#include "HistoryStore.h"
#include "HistoryTableModel.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

using namespace activity;

namespace {
HistoryAction unsubscribe(const QString &userId)
{
    HistoryAction action;
    action.operation = Operation::UnsubscribeUser;
    action.source = QStringLiteral("console");
    action.profileName = QStringLiteral("Production app");
    action.host = QStringLiteral("api.x.com");
    action.parameters = {{QStringLiteral("webhook_id"), QStringLiteral("42")},
                         {QStringLiteral("user_id"), userId}};
    return action;
}
} // namespace

class TestHistoryDock : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void shouldHighlightAndExplainEntriesInterruptedInAnEarlierRun()
    {
        const QString path = m_dir.filePath(QStringLiteral("interrupted.sqlite"));
        {
            HistoryStore earlier(path, QStringLiteral("earlier-run"));
            QVERIFY(earlier.begin(unsubscribe(QStringLiteral("7"))) > 0); // never completed
        }
        HistoryStore store(path);
        store.complete(store.begin(unsubscribe(QStringLiteral("8"))),
                       HistoryOutcome::success(QStringLiteral("ok")));

        HistoryDock dock(&store);
        QAbstractItemModelTester tester(dock.view()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        dock.show();
        QCOMPARE(dock.view()->model()->rowCount(), 2);
        QVERIFY(dock.bannerText().contains(QStringLiteral("earlier run")));
        QVERIFY(dock.bannerText().contains(QStringLiteral("Check the webhook/subscription state")));

        // Newest first: the completed entry, then the interrupted one, which alone is highlighted.
        const QAbstractItemModel *shown = dock.view()->model();
        QVERIFY(!shown->data(shown->index(0, 0), Qt::BackgroundRole).isValid());
        QVERIFY(shown->data(shown->index(1, 0), Qt::BackgroundRole).isValid());
        const QModelIndex state = shown->index(1, int(HistoryTableModel::Column::State));
        QVERIFY(shown->data(state).toString().contains(QStringLiteral("never arrived")));
        QVERIFY(shown->data(state, Qt::ToolTipRole).toString().contains(QStringLiteral("earlier run")));
    }

    void shouldShowAnotherProcesssWritesOnRefresh()
    {
        const QString path = m_dir.filePath(QStringLiteral("refresh.sqlite"));
        HistoryStore console(path);
        HistoryDock dock(&console);
        dock.show();
        QCOMPARE(dock.model()->rowCount(), 0);
        QVERIFY(dock.bannerText().isEmpty());

        // Its own writes appear at once.
        const qint64 own = console.begin(unsubscribe(QStringLiteral("1")));
        QCOMPARE(dock.model()->rowCount(), 1);
        console.complete(own, HistoryOutcome::success(QStringLiteral("ok")));

        // Another writer (activity-cli) appears on Refresh.
        HistoryStore cli(path);
        HistoryAction action = unsubscribe(QStringLiteral("2"));
        action.source = QStringLiteral("cli");
        cli.complete(cli.begin(action), HistoryOutcome::success(QStringLiteral("ok")));
        QCOMPARE(dock.model()->rowCount(), 1);
        dock.findChild<QPushButton *>(QStringLiteral("historyRefreshButton"))->click();
        QCOMPARE(dock.model()->rowCount(), 2);
    }

    void shouldSayWhenTheHistoryIsUnavailable()
    {
        QFile blocker(m_dir.filePath(QStringLiteral("blocker")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        HistoryStore broken(blocker.fileName() + QStringLiteral("/history.sqlite"));
        HistoryDock dock(&broken);
        dock.show();
        const auto *label = dock.findChild<QLabel *>(QStringLiteral("historyUnavailableLabel"));
        QVERIFY(label && label->isVisible());
        QVERIFY(label->text().contains(QStringLiteral("not recorded")));
        QCOMPARE(dock.model()->rowCount(), 0);
    }
};

QTEST_MAIN(TestHistoryDock)
#include "tst_historydock.moc"
