#include "ApiClient.h"
#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"
#include "MessageBar.h"
#include "RegisterWebhookDialog.h"
#include "RequestLog.h"
#include "WebhookTableModel.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

class TestConsoleWebhooks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldListDemoWebhooksWithSandboxBanner()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = f.createWindow();
        auto *view = window->findChild<ConsoleTableView *>(QStringLiteral("webhookView"));
        QVERIFY(view);
        QAbstractItemModelTester tester(view->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
        window->start();
        QVERIFY(refreshed.wait());
        QCOMPARE(window->webhookModel()->rowCount(), 2);
        auto *banner = window->findChild<QLabel *>(QStringLiteral("sandboxBanner"));
        QVERIFY(banner && banner->isVisible());
        QVERIFY(banner->text().contains(QStringLiteral("127.0.0.1")));
        QVERIFY(banner->text().contains(QStringLiteral("No real X account")));
        // The valid demo webhook is selected first.
        QCOMPARE(window->selectedWebhookId(), demo::validWebhookId);
        // The invalid one says so in text, not only by colour.
        const int invalidRow = window->webhookModel()->rowOf(demo::invalidWebhookId);
        const QModelIndex state =
            window->webhookModel()->index(invalidRow, int(WebhookTableModel::Column::Valid));
        QVERIFY(state.data().toString().contains(QStringLiteral("Invalid")));
        const QModelIndex proxyState =
            static_cast<QSortFilterProxyModel *>(view->model())->mapFromSource(state);
        QVERIFY(proxyState.data(Qt::ForegroundRole).isValid());
    }

    void shouldRegisterWebhookThatAppearsValid()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = f.createWindow();
        QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
        window->start();
        QVERIFY(refreshed.wait());

        RegisterWebhookDialog *dialog = window->openRegisterDialog();
        QVERIFY(dialog);
        // Pre-filled with a receiver the sandbox serves.
        QVERIFY(
            dialog->url().startsWith(f.server.baseUrl().toString() + QStringLiteral("/sandbox/receiver/")));
        QVERIFY(dialog->canSubmit());
        auto *submit = dialog->findChild<QPushButton *>(QStringLiteral("registerSubmit"));
        QVERIFY(submit && submit->isEnabled());
        const QString url = dialog->url();
        QPointer<RegisterWebhookDialog> guard(dialog);
        submit->click();
        QTRY_VERIFY(!guard || !guard->isVisible());
        QTRY_COMPARE(window->webhookModel()->rowCount(), 3);
        const int row = window->webhookModel()->rowOf(window->selectedWebhookId());
        QVERIFY(row >= 0);
        QCOMPARE(window->webhookModel()->webhooks().at(row).url, url);
        QVERIFY(window->webhookModel()->webhooks().at(row).valid);
    }

    void shouldRefuseBadUrlAndSayWhy()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = f.createWindow();
        QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
        window->start();
        QVERIFY(refreshed.wait());
        RegisterWebhookDialog *dialog = window->openRegisterDialog();
        QVERIFY(dialog);
        auto *edit = dialog->findChild<QLineEdit *>(QStringLiteral("webhookUrlEdit"));
        auto *submit = dialog->findChild<QPushButton *>(QStringLiteral("registerSubmit"));
        auto *problem = dialog->findChild<QLabel *>(QStringLiteral("webhookUrlProblem"));
        QVERIFY(edit && submit && problem);
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("ftp://example.com/hook#frag"));
        QVERIFY(!submit->isEnabled());
        QVERIFY(!dialog->canSubmit());
        QVERIFY(!problem->text().isEmpty());
        const int requests = int(f.server.journal().entries().size());
        submit->click();
        QTest::keyClick(edit, Qt::Key_Return);
        QVERIFY(dialog->isVisible());
        QCOMPARE(int(f.server.journal().entries().size()), requests);
    }

    void shouldValidateAndRelist()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = f.createWindow();
        QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
        window->start();
        QVERIFY(refreshed.wait());
        // Make the demo webhook invalid behind the console's back; validating re-checks and re-lists.
        f.server.setWebhookValid(demo::validWebhookId, false);
        window->refresh();
        QVERIFY(refreshed.wait());
        const int row = window->webhookModel()->rowOf(demo::validWebhookId);
        QVERIFY(!window->webhookModel()->webhooks().at(row).valid);
        QVERIFY(window->selectWebhook(demo::validWebhookId));
        window->validateSelectedWebhook();
        QVERIFY(refreshed.wait(10000));
        QTRY_VERIFY(
            window->webhookModel()->webhooks().at(window->webhookModel()->rowOf(demo::validWebhookId)).valid);
    }

    void shouldDeleteOnlyAfterConfirmation()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = f.createWindow();
        QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
        window->start();
        QVERIFY(refreshed.wait());
        QVERIFY(window->selectWebhook(demo::invalidWebhookId));

        f.prompter.answers = {false};
        window->deleteSelectedWebhook();
        QCOMPARE(f.prompter.asked.size(), 1);
        QVERIFY(f.prompter.asked.first().question.contains(demo::invalidWebhookUrl));
        QVERIFY(f.prompter.asked.first().details.contains(QStringLiteral("subscriptions")));
        QVERIFY(f.server.webhook(demo::invalidWebhookId).has_value());
        QCOMPARE(window->webhookModel()->rowCount(), 2);

        f.prompter.answers = {true};
        window->deleteSelectedWebhook();
        QCOMPARE(f.prompter.asked.size(), 2);
        QTRY_COMPARE(window->webhookModel()->rowCount(), 1);
        QVERIFY(!f.server.webhook(demo::invalidWebhookId).has_value());
    }

    void shouldShowErrorsInMessageBarWhenServerFails()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = f.createWindow();
        QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
        window->start();
        QVERIFY(refreshed.wait());
        f.server.faults().always(QByteArrayLiteral("GET"), QStringLiteral("/2/webhooks"),
                                 sandbox::Fault::httpStatus(503));
        QSignalSpy failed(window, &MainWindow::callFailed);
        window->refresh();
        QVERIFY(failed.wait(20000));
        MessageBar *bar = window->messageBar();
        QTRY_VERIFY(bar->isVisible());
        QVERIFY(!bar->cause().isEmpty());
        QCOMPARE(bar->level(), MessageBar::Level::Error);
        // A second identical failure is counted, not stacked.
        window->refresh();
        QVERIFY(failed.wait(20000));
        QTRY_COMPARE(bar->repeatCount(), 2);
    }

    void shouldExplainWrongSecretAsAuthenticationProblem()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        ConsoleServices services;
        services.network = &f.network;
        services.prompter = &f.prompter;
        services.settings = &f.settings;
        MainWindow window(services);
        // A v1.1 profile whose consumer secret was mistyped: app-only calls with the (correct)
        // bearer token still work, the OAuth 1.0a signed register call gets 401/32.
        ResolvedProfile profile = sandboxProfile(f.server);
        profile.generation = ApiGeneration::V1_1;
        profile.credentials.bearerToken = demo::bearerToken;
        profile.credentials.consumerSecret = QByteArrayLiteral("not-the-secret");
        window.setBuiltInProfile(profile);
        window.show();
        QSignalSpy refreshed(&window, &MainWindow::webhooksRefreshed);
        window.start();
        QVERIFY(refreshed.wait());

        RegisterWebhookDialog *dialog = window.openRegisterDialog();
        QVERIFY(dialog);
        QSignalSpy failed(&window, &MainWindow::callFailed);
        dialog->findChild<QPushButton *>(QStringLiteral("registerSubmit"))->click();
        // The dialog stays open and explains the failure there.
        QTRY_VERIFY(!dialog->problem().isEmpty() && dialog->canSubmit());
        int registerStatus = 0;
        for (const RequestLogEntry &entry : window.requestLog()->entries()) {
            if (entry.operation == QLatin1String("webhooks.register"))
                registerStatus = entry.httpStatus;
        }
        QCOMPARE(registerStatus, 401);
        QVERIFY2(dialog->problem().contains(QStringLiteral("authenticat"), Qt::CaseInsensitive),
                 qPrintable(dialog->problem()));
        QVERIFY(dialog->isVisible());
    }
};

QTEST_MAIN(TestConsoleWebhooks)
#include "tst_console_webhooks.moc"
