// The console records its write actions in the history: register, validate, delete, subscribe,
// each user of a bulk unsubscribe, and replay — against the in-process sandbox, through the real
// MainWindow. At start, changes of an earlier run that never got their answer are announced.
#include "BulkUnsubscribeDialog.h"
#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"
#include "HistoryDock.h"
#include "HistoryStore.h"
#include "HistoryTableModel.h"
#include "MessageBar.h"
#include "RegisterWebhookDialog.h"
#include "ReplayDialog.h"
#include "ReplayJobTableModel.h"
#include "SubscriptionTableModel.h"
#include "WebhookTableModel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QPushButton>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

class TestConsoleHistory : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    static MainWindow *createWindow(ConsoleFixture &f, HistoryStore *history)
    {
        ConsoleServices services;
        services.network = &f.network;
        services.prompter = &f.prompter;
        services.settings = &f.settings;
        services.history = history;
        f.window = std::make_unique<MainWindow>(services);
        f.window->setBuiltInProfile(sandboxProfile(f.server));
        f.window->show();
        return f.window.get();
    }

    static QStringList operations(const QList<HistoryEntry> &entries)
    {
        QStringList keys;
        for (auto it = entries.crbegin(); it != entries.crend(); ++it) // oldest first
            keys.append(it->operationKey + QLatin1Char(':') + HistoryStore::stateKey(it->state));
        return keys;
    }

private Q_SLOTS:
    void shouldRecordEveryWriteActionOfTheConsole()
    {
        HistoryStore history(m_dir.filePath(QStringLiteral("console.sqlite")));
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = createWindow(f, &history);
        auto *dock = window->findChild<HistoryDock *>(QStringLiteral("historyDock"));
        QVERIFY(dock);
        QAbstractItemModelTester tester(dock->view()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resolved(window, &MainWindow::namesResolved);
        window->start();
        QVERIFY(resolved.wait(20000));

        // Register (from the dialog), then validate and delete the new webhook.
        RegisterWebhookDialog *registerDialog = window->openRegisterDialog();
        QVERIFY(registerDialog);
        registerDialog->findChild<QPushButton *>(QStringLiteral("registerSubmit"))->click();
        QTRY_COMPARE(window->webhookModel()->rowCount(), 3);
        QTRY_COMPARE(history.entries().size(), 1);
        const QString created = window->selectedWebhookId();
        QVERIFY(created != demo::validWebhookId);
        QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
        window->validateSelectedWebhook();
        QVERIFY(refreshed.wait(10000));
        QTRY_COMPARE(history.entries().size(), 2);
        QVERIFY(window->selectWebhook(created));
        f.prompter.answers = {true};
        window->deleteSelectedWebhook();
        QTRY_COMPARE(window->webhookModel()->rowCount(), 2);
        QTRY_COMPARE(history.entries().size(), 3);

        // Subscribe bob on the demo webhook.
        QVERIFY(window->selectWebhook(demo::validWebhookId));
        QTRY_VERIFY(window->subscriptionModel()->rowCount() > 0);
        auto *accounts = window->findChild<QComboBox *>(QStringLiteral("accountCombo"));
        accounts->setCurrentIndex(accounts->findData(demo::bob.id));
        window->subscribeSelectedAccount();
        QTRY_VERIFY(f.server.isSubscribed(demo::validWebhookId, demo::bob.id));
        QTRY_COMPARE(history.entries().size(), 4);

        // A bulk unsubscribe of two users, one of which fails: two entries.
        auto *view = window->findChild<ConsoleTableView *>(QStringLiteral("subscriptionView"));
        QStringList ids;
        for (int row = 0; row < 2; ++row) {
            view->selectionModel()->select(view->model()->index(row, 0),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
            ids.append(view->model()->index(row, 0).data().toString());
        }
        f.server.faults().forNext(1, QByteArrayLiteral("DELETE"),
                                  QStringLiteral("*/") + ids.at(1) + QStringLiteral("/all"),
                                  sandbox::Fault::httpStatus(503));
        f.prompter.answers = {true};
        window->unsubscribeSelected();
        BulkUnsubscribeDialog *bulk = window->bulkUnsubscribeDialog();
        QVERIFY(bulk);
        QSignalSpy finished(bulk, &BulkUnsubscribeDialog::finishedAll);
        QVERIFY(finished.wait(20000));
        QTRY_COMPARE(history.entries().size(), 6);

        // Replay with the dialog's default window.
        ReplayDialog *replay = window->openReplayDialog();
        QVERIFY(replay);
        replay->findChild<QPushButton *>(QStringLiteral("replaySubmit"))->click();
        QTRY_COMPARE(window->replayJobModel()->rowCount(), 1);
        QTRY_COMPARE(history.entries().size(), 7);

        const QList<HistoryEntry> entries = history.entries();
        QCOMPARE(operations(entries),
                 QStringList({QStringLiteral("webhooks.register:succeeded"),
                              QStringLiteral("webhooks.validate:succeeded"),
                              QStringLiteral("webhooks.delete:succeeded"),
                              QStringLiteral("subscriptions.add:succeeded"),
                              QStringLiteral("subscriptions.remove:succeeded"),
                              QStringLiteral("subscriptions.remove:failed"),
                              QStringLiteral("replay.webhooks:succeeded")}));
        for (const HistoryEntry &e : entries) {
            QCOMPARE(e.action.source, QStringLiteral("console"));
            QCOMPARE(e.action.profileId, builtInSandboxProfileId);
            QCOMPARE(e.action.host, f.server.baseUrl().authority());
            QCOMPARE(e.progress, HistoryEntry::Progress::Finished);
        }
        const HistoryEntry &subscribed = entries.at(3);
        QCOMPARE(subscribed.action.accountUsername, demo::bob.username);
        const HistoryEntry &failedUnsubscribe = entries.at(1);
        QCOMPARE(failedUnsubscribe.action.parameters.value(QStringLiteral("user_id")).toString(), ids.at(1));
        QCOMPARE(failedUnsubscribe.httpStatus, 503);
        QVERIFY(entries.at(0).summary.startsWith(QStringLiteral("job ")));
        QCOMPARE(dock->model()->rowCount(), 7);
    }

    // At start the console prunes the history as its settings say, in the background; the dock
    // shows what is left, pending entries included.
    void shouldPruneTheHistoryAtStartAsTheSettingsSay()
    {
        const QString path = m_dir.filePath(QStringLiteral("pruned.sqlite"));
        qint64 pending = 0;
        {
            HistoryStore earlier(path, QStringLiteral("earlier-run"));
            HistoryAction action;
            action.operation = Operation::DeleteWebhook;
            action.source = QStringLiteral("console");
            action.host = QStringLiteral("api.x.com");
            pending = earlier.begin(action); // never answered: stays
            for (int i = 0; i < 4; ++i)
                earlier.complete(earlier.begin(action), HistoryOutcome::success(QStringLiteral("deleted")));
        }
        HistoryStore history(path);
        ConsoleFixture f;
        QVERIFY(f.listen());
        f.settings.setValue(QStringLiteral("history/maxEntries"), 2);
        MainWindow *window = createWindow(f, &history);
        auto *dock = window->findChild<HistoryDock *>(QStringLiteral("historyDock"));
        QVERIFY(dock);
        dock->show();
        QTRY_COMPARE(dock->model()->rowCount(), 5);
        QSignalSpy pruned(&history, &HistoryStore::pruned);
        window->start();
        QCOMPARE(history.retention().maxEntries, 2);
        QVERIFY(pruned.wait(20000));
        QCOMPARE(pruned.at(0).at(0).toLongLong(), 3);
        QTRY_COMPARE(dock->model()->rowCount(), 2);
        QVERIFY(history.entry(pending).has_value());
    }

    void shouldAnnounceChangesInterruptedInAnEarlierRunAtStart()
    {
        const QString path = m_dir.filePath(QStringLiteral("interrupted.sqlite"));
        {
            HistoryStore earlier(path, QStringLiteral("crashed-run"));
            HistoryAction action;
            action.operation = Operation::DeleteWebhook;
            action.source = QStringLiteral("console");
            action.parameters = {{QStringLiteral("webhook_id"), demo::invalidWebhookId}};
            QVERIFY(earlier.begin(action) > 0);
        }
        HistoryStore history(path);
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = createWindow(f, &history);
        auto *dock = window->findChild<HistoryDock *>(QStringLiteral("historyDock"));
        QVERIFY(dock);
        QCOMPARE(dock->model()->interruptedCount(), 1);
        QVERIFY(dock->bannerText().contains(QStringLiteral("earlier run")));
        auto *bar = window->messageBar();
        QTRY_VERIFY(bar->isShowing());
        QCOMPARE(bar->level(), MessageBar::Level::Warning);
        QVERIFY(bar->cause().contains(QStringLiteral("answer arrived")));
    }
};

QTEST_MAIN(TestConsoleHistory)
#include "tst_consolehistory.moc"
