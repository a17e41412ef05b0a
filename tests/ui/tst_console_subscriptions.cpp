#include "BulkUnsubscribeDialog.h"
#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"
#include "EndpointCatalogue.h"
#include "MessageBar.h"
#include "RequestLog.h"
#include "SubscriptionFilterProxy.h"
#include "SubscriptionTableModel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QSignalSpy>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

class TestConsoleSubscriptions : public QObject
{
    Q_OBJECT

    // Starts the window on the sandbox and waits until the valid demo webhook's names are in.
    static bool loadDemo(ConsoleFixture &f)
    {
        if (!f.listen())
            return false;
        MainWindow *window = f.createWindow();
        QSignalSpy resolved(window, &MainWindow::namesResolved);
        window->start();
        return resolved.wait(20000) && window->selectedWebhookId() == demo::validWebhookId;
    }

private Q_SLOTS:
    void shouldListSubscriptionsWithNamesResolvedAndQuota()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = f.createWindow();
        auto *view = window->findChild<ConsoleTableView *>(QStringLiteral("subscriptionView"));
        QVERIFY(view);
        QAbstractItemModelTester tester(view->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resolved(window, &MainWindow::namesResolved);
        window->start();
        QVERIFY(resolved.wait(20000));
        SubscriptionTableModel *model = window->subscriptionModel();
        QCOMPARE(model->rowCount(), demo::seededSubscriberCount + 1);
        const int alice = model->rowOf(demo::alice.id);
        QVERIFY(alice >= 0);
        QCOMPARE(model->row(alice).username, demo::alice.username);
        QCOMPARE(model->row(alice).name, demo::alice.name);
        for (int row = 0; row < model->rowCount(); ++row)
            QVERIFY(model->nameState(row) != SubscriptionTableModel::NameState::Unresolved);
        // Batches of at most 100 ids per lookup.
        int lookups = 0;
        for (const RequestLogEntry &entry : window->requestLog()->entries()) {
            if (entry.operation.startsWith(QLatin1String("users")))
                ++lookups;
        }
        QCOMPARE(lookups, (demo::seededSubscriberCount + 1 + 99) / 100);

        auto *quota = window->findChild<QProgressBar *>(QStringLiteral("quotaBar"));
        QVERIFY(quota);
        QTRY_VERIFY(quota->isVisible());
        QCOMPARE(quota->text(),
                 QStringLiteral("%1 of %2 subscriptions")
                     .arg(f.server.subscriptionCount())
                     .arg(demo::provisionedSubscriptions));
    }

    void shouldFilterSubscriptions()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        MainWindow *window = f.window.get();
        auto *filter = window->findChild<QLineEdit *>(QStringLiteral("subscriptionFilter"));
        QVERIFY(filter);
        QTest::keyClicks(filter, QStringLiteral("ALIC"));
        QTRY_COMPARE(window->subscriptionProxy()->rowCount(), 1);
        const QModelIndex first =
            window->subscriptionProxy()->index(0, int(SubscriptionTableModel::Column::UserId));
        QCOMPARE(first.data().toString(), demo::alice.id);
        filter->clear();
        QCOMPARE(window->subscriptionProxy()->rowCount(), demo::seededSubscriberCount + 1);

        // Ctrl+F from the subscriptions table focuses their filter.
        auto *view = window->findChild<ConsoleTableView *>(QStringLiteral("subscriptionView"));
        window->activateWindow();
        view->setFocus();
        QTest::keySequence(window, QKeySequence::Find);
        QTRY_VERIFY(filter->hasFocus());
    }

    void shouldUnsubscribeSeveralWithProgressAndSummary()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        MainWindow *window = f.window.get();
        auto *view = window->findChild<ConsoleTableView *>(QStringLiteral("subscriptionView"));
        QVERIFY(view);
        // Pick three rows; make the third one fail (already gone on the server).
        QStringList ids;
        for (int row = 0; row < 3; ++row) {
            view->selectionModel()->select(view->model()->index(row, 0),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
            ids.append(view->model()->index(row, 0).data().toString());
        }
        QVERIFY(f.server.isSubscribed(demo::validWebhookId, ids.at(2)));
        f.server.faults().forNext(1, QByteArrayLiteral("DELETE"),
                                  QStringLiteral("*/") + ids.at(2) + QStringLiteral("/all"),
                                  sandbox::Fault::httpStatus(503));

        f.prompter.answers = {false};
        QTest::keyClick(view, Qt::Key_Delete);
        QCOMPARE(f.prompter.asked.size(), 1);
        QVERIFY(f.prompter.asked.first().question.contains(QStringLiteral("3")));
        QVERIFY(!window->bulkUnsubscribeDialog());
        QVERIFY(f.server.isSubscribed(demo::validWebhookId, ids.at(0)));

        f.prompter.answers = {true};
        window->unsubscribeSelected();
        QCOMPARE(f.prompter.asked.size(), 2);
        QVERIFY(f.prompter.asked.last().acceptLabel.contains(QStringLiteral("3")));
        BulkUnsubscribeDialog *dialog = window->bulkUnsubscribeDialog();
        QVERIFY(dialog);
        QSignalSpy finished(dialog, &BulkUnsubscribeDialog::finishedAll);
        QVERIFY(finished.wait(20000));
        QCOMPARE(dialog->succeeded().size(), 2);
        QCOMPARE(dialog->failures().size(), 1);
        QCOMPARE(dialog->failures().first().target.userId, ids.at(2));
        auto *progress = dialog->findChild<QProgressBar *>(QStringLiteral("bulkProgress"));
        QCOMPARE(progress->value(), 3);
        auto *summary = dialog->findChild<QLabel *>(QStringLiteral("bulkSummary"));
        QVERIFY(summary->text().contains(QStringLiteral("2 user")));
        QVERIFY(summary->text().contains(QStringLiteral("1 failed")));
        auto *failures = dialog->findChild<QListWidget *>(QStringLiteral("bulkFailures"));
        QCOMPARE(failures->count(), 1);
        QVERIFY(!f.server.isSubscribed(demo::validWebhookId, ids.at(0)));
        QVERIFY(!f.server.isSubscribed(demo::validWebhookId, ids.at(1)));
        QVERIFY(f.server.isSubscribed(demo::validWebhookId, ids.at(2)));
        QCOMPARE(window->subscriptionModel()->rowOf(ids.at(0)), -1);
        QVERIFY(window->subscriptionModel()->rowOf(ids.at(2)) >= 0);
    }

    void shouldWaitForRateLimitResetWithCountdown()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        MainWindow *window = f.window.get();
        // Two unsubscribes per 2-second window: the third waits for the reset instead of a 429.
        f.server.setRateLimit(endpoints::find(Operation::UnsubscribeUser, ApiGeneration::V2)->rateLimitKey, 2,
                              std::chrono::seconds(2));
        auto *view = window->findChild<ConsoleTableView *>(QStringLiteral("subscriptionView"));
        for (int row = 0; row < 3; ++row)
            view->selectionModel()->select(view->model()->index(row, 0),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
        f.prompter.answers = {true};
        window->unsubscribeSelected();
        BulkUnsubscribeDialog *dialog = window->bulkUnsubscribeDialog();
        QVERIFY(dialog);
        QSignalSpy finished(dialog, &BulkUnsubscribeDialog::finishedAll);
        auto *countdown = dialog->findChild<QLabel *>(QStringLiteral("bulkCountdown"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isWaitingForRateLimit(), 10000);
        QVERIFY(countdown->isVisible());
        QVERIFY(countdown->text().contains(QStringLiteral("Rate limit")));
        QVERIFY(finished.wait(20000));
        for (const auto &failure : dialog->failures())
            qWarning() << failure.target.userId << failure.error.text();
        QCOMPARE(dialog->succeeded().size(), 3);
        QVERIFY(dialog->failures().isEmpty());
    }

    void shouldCancelBulkUnsubscribe()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        MainWindow *window = f.window.get();
        f.server.setRateLimit(endpoints::find(Operation::UnsubscribeUser, ApiGeneration::V2)->rateLimitKey, 1,
                              std::chrono::seconds(60));
        auto *view = window->findChild<ConsoleTableView *>(QStringLiteral("subscriptionView"));
        for (int row = 0; row < 3; ++row)
            view->selectionModel()->select(view->model()->index(row, 0),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
        f.prompter.answers = {true};
        window->unsubscribeSelected();
        BulkUnsubscribeDialog *dialog = window->bulkUnsubscribeDialog();
        QVERIFY(dialog);
        QSignalSpy finished(dialog, &BulkUnsubscribeDialog::finishedAll);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isWaitingForRateLimit(), 10000);
        dialog->cancel();
        QVERIFY(finished.count() == 1 || finished.wait(5000));
        QCOMPARE(finished.first().at(2).toBool(), true);
        QCOMPARE(dialog->succeeded().size(), 1);
        QVERIFY(dialog->summaryText().contains(QStringLiteral("2 not attempted")));
    }

    void shouldSubscribeAndCheckDemoAccounts()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        MainWindow *window = f.window.get();
        auto *accounts = window->findChild<QComboBox *>(QStringLiteral("accountCombo"));
        QVERIFY(accounts);
        QCOMPARE(accounts->count(), 3); // alice, bob, carol
        accounts->setCurrentIndex(accounts->findData(demo::bob.id));
        QVERIFY(!f.server.isSubscribed(demo::validWebhookId, demo::bob.id));

        QSignalSpy checked(window, &MainWindow::subscriptionChecked);
        window->checkSelectedAccount();
        QVERIFY(checked.wait());
        QCOMPARE(checked.last().at(1).toBool(), false);

        window->subscribeSelectedAccount();
        QTRY_VERIFY(f.server.isSubscribed(demo::validWebhookId, demo::bob.id));
        QTRY_VERIFY(window->subscriptionModel()->rowOf(demo::bob.id) >= 0);

        window->checkSelectedAccount();
        QVERIFY(checked.wait());
        QCOMPARE(checked.last().at(1).toBool(), true);
        QVERIFY(window->messageBar()->cause().contains(QStringLiteral("@bob is subscribed")));
    }

    void shouldExportCsvAndCopyRows()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        MainWindow *window = f.window.get();
        const QString path = f.dir.filePath(QStringLiteral("subs.csv"));
        QString error;
        QVERIFY2(window->exportSubscriptionsCsv(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray csv = file.readAll();
        QVERIFY(csv.startsWith("user_id,username,name"));
        QVERIFY(csv.contains(demo::alice.id.toUtf8()));

        auto *view = window->findChild<ConsoleTableView *>(QStringLiteral("subscriptionView"));
        view->selectionModel()->select(view->model()->index(0, 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
        const QString text = view->selectedRowsAsText();
        QCOMPARE(text.count(QLatin1Char('\t')), 2);
        QVERIFY(text.endsWith(QLatin1Char('\n')));
    }
};

QTEST_MAIN(TestConsoleSubscriptions)
#include "tst_console_subscriptions.moc"
