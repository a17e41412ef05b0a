// The CRC doctor (#17) in the real window over in-process sandboxes on 127.0.0.1: Webhooks >
// Diagnose CRC… for the demo webhook (ending with X's re-validation), the receiver signing with
// another secret, and the register dialog's Diagnose… against a TLS sandbox that plays
// https://hooks.sandbox.test/ through the stand-in host table of ACTIVITY_CRC_DOCTOR_HOSTS, with
// the test CA from ACTIVITY_CRC_DOCTOR_CA. Each verdict is read from the dialog's rows.
#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"
#include "CrcDoctorDialog.h"
#include "CrcDoctorTestSupport.h"
#include "HistoryStore.h"
#include "RegisterWebhookDialog.h"
#include "SandboxDemo.h"
#include "TestEnvironment.h"
#include "WebhookTableModel.h"
#include "WebhooksPane.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSslSocket>
#include <QTreeWidget>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;
using Check = CrcDoctorItem::Check;
using Verdict = CrcDoctorItem::Verdict;

namespace {

enum Column { TitleColumn, ResultColumn, FindingColumn };

QString describe(CrcDoctorDialog *dialog)
{
    return dialog->report();
}

// The row of `check` shows `verdict`, its finding names `findingPart`, and once selected the detail
// pane holds the whole finding and the remedy.
bool rowShows(CrcDoctorDialog *dialog, Check check, Verdict verdict, const QString &findingPart = {},
              const QString &remedyPart = {})
{
    const int row = dialog->rowOf(check);
    if (row < 0)
        return false;
    const QTreeWidgetItem *item = dialog->itemList()->topLevelItem(row);
    if (item->text(ResultColumn) != CrcDoctorDialog::verdictText(verdict) ||
        !item->text(FindingColumn).contains(findingPart, Qt::CaseInsensitive))
        return false;
    dialog->selectItem(check);
    const QString detail = dialog->detail()->toPlainText();
    return detail.contains(item->text(FindingColumn)) && detail.contains(remedyPart, Qt::CaseInsensitive) &&
        detail.contains(CrcDoctorDialog::verdictText(verdict));
}

#define EXPECT_ROW(dialog, ...) QVERIFY2(rowShows(dialog, __VA_ARGS__), qPrintable(describe(dialog)))

// Waits for the run the dialog started (when it opened, or on Run).
bool waitForRun(CrcDoctorDialog *dialog)
{
    if (!dialog || !dialog->isRunning())
        return false;
    QSignalSpy finished(dialog, &CrcDoctorDialog::runFinished);
    return finished.wait(30000) && finished.count() == 1 && !dialog->isRunning();
}

} // namespace

class TestConsoleCrcDoctor : public QObject
{
    Q_OBJECT

    // The window over the demo sandbox, its webhooks listed and the demo webhook selected.
    static bool startWithDemoWebhook(ConsoleFixture &f, HistoryStore *history = nullptr)
    {
        if (!f.listen())
            return false;
        ConsoleServices services;
        services.history = history;
        f.startWindow(services);
        return QTest::qWaitFor([&f] { return f.window->webhooksPane()->selectWebhook(demo::validWebhookId); },
                               10000);
    }

    static CrcDoctorDialog *diagnoseSelected(ConsoleFixture &f)
    {
        auto *action = f.window->findChild<QAction *>(QStringLiteral("diagnoseCrcAction"));
        if (!action || !action->isEnabled() || !f.window->webhooksPane()->actions().contains(action) ||
            !f.window->webhooksPane()->view()->actions().contains(action))
            return nullptr;
        action->trigger();
        return f.window->webhooksPane()->crcDoctorDialog();
    }

private Q_SLOTS:
    void cleanup()
    {
        qunsetenv("ACTIVITY_CRC_DOCTOR_HOSTS");
        qunsetenv("ACTIVITY_CRC_DOCTOR_CA");
    }

    void diagnosesTheSelectedWebhookEndingWithXsRevalidation()
    {
        ConsoleFixture f;
        HistoryStore history(f.dir.filePath(QStringLiteral("history.sqlite")));
        QVERIFY(startWithDemoWebhook(f, &history));
        f.server.setWebhookValid(demo::validWebhookId, false);
        CrcDoctorDialog *dialog = diagnoseSelected(f);
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible() && !dialog->isModal());
        QCOMPARE(dialog->urlEdit()->text(), f.server.demoReceiverUrl());
        QCOMPARE(dialog->urlEdit()->objectName(), QStringLiteral("crcDoctorUrl"));
        QCOMPARE(dialog->triesBox()->value(), 3);
        QVERIFY(dialog->includesRevalidation());
        QVERIFY(dialog->environmentProblem().isEmpty());
        QVERIFY(waitForRun(dialog));

        QCOMPARE(dialog->itemList()->topLevelItemCount(), 9);
        EXPECT_ROW(dialog, Check::Url, Verdict::Warned, QStringLiteral("local endpoint"),
                   QStringLiteral("https"));
        EXPECT_ROW(dialog, Check::Tls, Verdict::Skipped, QStringLiteral("Plain http"));
        EXPECT_ROW(dialog, Check::Crc, Verdict::Passed, QStringLiteral("HTTP 200"));
        EXPECT_ROW(dialog, Check::Token, Verdict::Passed, QStringLiteral("consumer secret"));
        EXPECT_ROW(dialog, Check::Latency, Verdict::Passed, QStringLiteral("over 3 tries"));
        EXPECT_ROW(dialog, Check::Revalidation, Verdict::Passed, QStringLiteral("lists it as valid"));
        QVERIFY(f.server.webhook(demo::validWebhookId)->valid);
        // X's PUT is in the history, as the Validate action's would be.
        QTRY_COMPARE_WITH_TIMEOUT(history.entries().size(), 1, 10000);
        QCOMPARE(history.entries().first().operationKey, QStringLiteral("webhooks.validate"));
        QTRY_COMPARE_WITH_TIMEOUT(history.entries().first().state, HistoryState::Succeeded, 10000);
        QVERIFY2(dialog->summary()->text().contains(QStringLiteral("1 warning")),
                 qPrintable(describe(dialog)));
        QCOMPARE(dialog->runButton()->text(), QStringLiteral("Run &again"));
        // The pane lists what X says now.
        const int row = f.window->webhookModel()->rowOf(demo::validWebhookId);
        QTRY_VERIFY(f.window->webhookModel()->webhooks().at(row).valid);

        // The report: one line per item, no secret.
        QTest::mouseClick(dialog->copyButton(), Qt::LeftButton);
        const QString report = QGuiApplication::clipboard()->text();
        QVERIFY(report.contains(QStringLiteral("Warning — Webhook URL: A local endpoint")));
        QVERIFY(report.contains(QStringLiteral("Passed — response_token: ")));
        QVERIFY(report.contains(QStringLiteral("Passed — Re-validation by X: ")));
        QVERIFY(report.contains(f.server.demoReceiverUrl()));
        QCOMPARE(report.count(QLatin1Char('\n')), 1 + 9 + 1);
        QVERIFY(!report.contains(QString::fromLatin1(demo::consumerSecret)));
        QVERIFY(!report.contains(QString::fromLatin1(demo::oauth2ClientSecret)));

        // The same webhook again: the open dialog, not a second one.
        QCOMPARE(diagnoseSelected(f), dialog);
        // Another URL typed in: diagnosed without X's re-validation (X would test the registered one).
        dialog->urlEdit()->setText(f.server.demoReceiverUrl(QStringLiteral("elsewhere")));
        QVERIFY(!dialog->includesRevalidation());
        dialog->triesBox()->setValue(1);
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
        QVERIFY(waitForRun(dialog));
        QCOMPARE(dialog->itemList()->topLevelItemCount(), 8);
        QCOMPARE(dialog->rowOf(Check::Revalidation), -1);
        EXPECT_ROW(dialog, Check::Latency, Verdict::Passed, QStringLiteral("in the one try"));

        // Closing stops a run.
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
        QVERIFY(dialog->isRunning());
        QPointer<CrcDoctorDialog> guard(dialog);
        dialog->close();
        QTRY_VERIFY(!guard);
    }

    void anotherSecretFailsTheTokenAndXsRevalidation()
    {
        ConsoleFixture f;
        HistoryStore history(f.dir.filePath(QStringLiteral("history.sqlite")));
        QVERIFY(startWithDemoWebhook(f, &history));
        f.server.setReceiverCrcAnswer({sandbox::ReceiverCrcAnswer::Mode::OtherSecret, "x"});
        CrcDoctorDialog *dialog = diagnoseSelected(f);
        QVERIFY(waitForRun(dialog));
        EXPECT_ROW(dialog, Check::Crc, Verdict::Passed, QStringLiteral("HTTP 200"));
        EXPECT_ROW(dialog, Check::Token, Verdict::Failed,
                   QStringLiteral("neither the consumer secret nor the OAuth 2.0 client secret"),
                   QStringLiteral("HMAC-SHA256(key = the consumer secret"));
        EXPECT_ROW(dialog, Check::Revalidation, Verdict::Failed, QStringLiteral("failed"));
        QVERIFY(!f.server.webhook(demo::validWebhookId)->valid);
        QTRY_COMPARE_WITH_TIMEOUT(history.entries().size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(history.entries().first().state, HistoryState::Failed, 10000);
        QVERIFY2(dialog->summary()->text().contains(QStringLiteral("2 failed")),
                 qPrintable(describe(dialog)));

        // After the run the first failure is selected: its cause and remedy are on show.
        dialog->itemList()->setCurrentItem(nullptr);
        QVERIFY(dialog->detail()->toPlainText().isEmpty());
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
        QVERIFY(waitForRun(dialog));
        QCOMPARE(dialog->itemList()->currentItem(),
                 dialog->itemList()->topLevelItem(dialog->rowOf(Check::Token)));
        QVERIFY(dialog->detail()->toPlainText().contains(QStringLiteral("Wrong response_token")));
        QVERIFY(dialog->detail()->toPlainText().contains(QStringLiteral("What to do: The token is")));

        QTest::mouseClick(dialog->copyButton(), Qt::LeftButton);
        const QString report = QGuiApplication::clipboard()->text();
        QVERIFY(report.contains(QStringLiteral("Failed — response_token: Wrong response_token")));
        QVERIFY(report.contains(QStringLiteral("What to do: The token is")));
        QVERIFY(!report.contains(QString::fromLatin1(demo::consumerSecret)));
        QVERIFY(!report.contains(QString::fromLatin1(demo::oauth2ClientSecret)));
    }

    void registerDialogDiagnosesAnHttpsUrlThroughTheEnvironmentsHostTable()
    {
        if (!QSslSocket::supportsSsl())
            ACTIVITY_SKIP_UNLESS_PROVIDED(QStringLiteral("No TLS backend."));
        doctortest::HttpsEndpoint https;
        QVERIFY(https.start());
        qputenv("ACTIVITY_CRC_DOCTOR_HOSTS", https.hostTable.toUtf8());
        qputenv("ACTIVITY_CRC_DOCTOR_CA", QByteArrayLiteral(ACTIVITY_TEST_CERTS_DIR "/ca.pem"));
        ConsoleFixture f;
        QVERIFY(startWithDemoWebhook(f));

        RegisterWebhookDialog *registering = f.window->openRegisterDialog();
        QVERIFY(registering);
        auto *diagnose = registering->findChild<QPushButton *>(QStringLiteral("crcDoctorButton"));
        QVERIFY(diagnose);
        registering->setUrl(QString());
        QVERIFY(!diagnose->isEnabled());
        registering->setUrl(https.url().toString());
        QVERIFY(diagnose->isEnabled());
        QTest::mouseClick(diagnose, Qt::LeftButton);
        CrcDoctorDialog *dialog = registering->crcDoctorDialog();
        QVERIFY(dialog && dialog->isVisible());
        QVERIFY(!dialog->includesRevalidation()); // not registered
        QVERIFY(dialog->environmentProblem().isEmpty());
        QVERIFY(waitForRun(dialog));
        QCOMPARE(dialog->itemList()->topLevelItemCount(), 8);
        for (int row = 0; row < 8; ++row) {
            QVERIFY2(dialog->itemList()->topLevelItem(row)->text(ResultColumn) == QStringLiteral("Passed"),
                     qPrintable(describe(dialog)));
        }
        EXPECT_ROW(dialog, Check::Dns, Verdict::Passed, QStringLiteral("127.0.0.1"));
        EXPECT_ROW(dialog, Check::Tls, Verdict::Passed, QStringLiteral("Activity Console Test CA"));
        QCOMPARE(dialog->summary()->text(), QStringLiteral("8 passed."));

        // A name the certificate is not for, typed in the doctor itself.
        dialog->setUrl(https.url(doctortest::otherHost).toString());
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
        QVERIFY(waitForRun(dialog));
        EXPECT_ROW(dialog, Check::Tls, Verdict::Failed, QStringLiteral("is for hooks.sandbox.test"),
                   doctortest::otherHost);
        QVERIFY(dialog->itemList()
                    ->topLevelItem(dialog->rowOf(Check::Tls))
                    ->text(FindingColumn)
                    .contains(doctortest::otherHost));

        // A name the table leaves out, from the register dialog again: the same doctor runs again.
        registering->setUrl(https.url(doctortest::missingHost).toString());
        QTest::mouseClick(diagnose, Qt::LeftButton);
        QCOMPARE(registering->crcDoctorDialog(), dialog);
        QVERIFY(waitForRun(dialog));
        EXPECT_ROW(dialog, Check::Dns, Verdict::Failed, QStringLiteral("does not resolve"),
                   QStringLiteral("DNS"));
        for (Check check :
             {Check::Tcp, Check::Tls, Check::Crc, Check::Token, Check::Latency, Check::Compression})
            EXPECT_ROW(dialog, check, Verdict::Skipped, QStringLiteral("does not resolve"));
        QVERIFY(dialog->summary()->text().contains(QStringLiteral("6 skipped")));

        // Closing the register dialog closes its doctor.
        QPointer<CrcDoctorDialog> guard(dialog);
        registering->reject();
        QTRY_VERIFY(!guard);
    }

    // Every item's sandbox fault, read from the dialog: the row's verdict and finding, and the
    // detail pane's remedy once selected.
    void eachItemsFaultShowsItsVerdictCauseAndRemedy_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("fault");
        QTest::addColumn<int>("check");
        QTest::addColumn<int>("verdict");
        QTest::addColumn<QString>("finding");
        QTest::addColumn<QString>("remedy");
        using Mode = sandbox::ReceiverCrcAnswer::Mode;
        enum { None = -1, Status500 = -2, Slow = -3, Malformed = -4 };
        const QString hooks = doctortest::hooksHost;
        QTest::newRow("url") << hooks << QStringLiteral("?crc_token=1") << int(None) << int(Check::Url)
                             << int(Verdict::Failed) << "already has a crc_token"
                             << "Remove crc_token";
        QTest::newRow("dns") << doctortest::missingHost << QString() << int(None) << int(Check::Dns)
                             << int(Verdict::Failed) << "does not resolve"
                             << "DNS records";
        QTest::newRow("tcp") << doctortest::closedHost << QString() << int(None) << int(Check::Tcp)
                             << int(Verdict::Failed) << "No connection"
                             << "firewall";
        QTest::newRow("tls") << doctortest::otherHost << QString() << int(None) << int(Check::Tls)
                             << int(Verdict::Failed) << "not other.sandbox.test"
                             << "names include";
        QTest::newRow("crc status") << hooks << QString() << int(Status500) << int(Check::Crc)
                                    << int(Verdict::Failed) << "HTTP 500"
                                    << "answer GET";
        QTest::newRow("crc redirect") << hooks << QString() << int(Mode::Redirect) << int(Check::Crc)
                                      << int(Verdict::Failed) << "redirect (HTTP 302"
                                      << "Register the URL";
        QTest::newRow("crc json") << hooks << QString() << int(Malformed) << int(Check::Crc)
                                  << int(Verdict::Failed) << "Invalid JSON"
                                  << "response_token";
        QTest::newRow("content type") << hooks << QString() << int(Mode::PlainText) << int(Check::Crc)
                                      << int(Verdict::Warned) << "text/plain"
                                      << "application/json";
        QTest::newRow("token") << hooks << QString() << int(Mode::OtherSecret) << int(Check::Token)
                               << int(Verdict::Failed) << "Wrong response_token"
                               << "consumer secret";
        QTest::newRow("latency") << hooks << QString() << int(Slow) << int(Check::Latency)
                                 << int(Verdict::Warned) << "more than half of X's 3000 ms"
                                 << "Answer the CRC GET at once";
        QTest::newRow("compression") << hooks << QString() << int(Mode::GzipUndeclared)
                                     << int(Check::Compression) << int(Verdict::Failed)
                                     << "without declaring it"
                                     << "Content-Encoding";
    }
    void eachItemsFaultShowsItsVerdictCauseAndRemedy()
    {
        QFETCH(QString, host);
        QFETCH(QString, query);
        QFETCH(int, fault);
        QFETCH(int, check);
        QFETCH(int, verdict);
        QFETCH(QString, finding);
        QFETCH(QString, remedy);
        if (!QSslSocket::supportsSsl())
            ACTIVITY_SKIP_UNLESS_PROVIDED(QStringLiteral("No TLS backend."));
        doctortest::HttpsEndpoint https;
        QVERIFY(https.start());
        if (fault >= 0)
            https.server->setReceiverCrcAnswer(
                {sandbox::ReceiverCrcAnswer::Mode(fault), "another-apps-secret"});
        else if (fault == -2)
            https.server->faults().always("GET", QStringLiteral("/sandbox/receiver/*"),
                                          sandbox::Fault::httpStatus(500));
        else if (fault == -3) // over half of X's 3 s, within it: a warning worth a second and a half
            https.server->faults().always("GET", QStringLiteral("/sandbox/receiver/*"),
                                          sandbox::Fault::delay(std::chrono::milliseconds(1600)));
        else if (fault == -4)
            https.server->faults().always("GET", QStringLiteral("/sandbox/receiver/*"),
                                          sandbox::Fault::malformedJson());
        qputenv("ACTIVITY_CRC_DOCTOR_HOSTS", https.hostTable.toUtf8());
        qputenv("ACTIVITY_CRC_DOCTOR_CA", QByteArrayLiteral(ACTIVITY_TEST_CERTS_DIR "/ca.pem"));
        ConsoleFixture f;
        QVERIFY(startWithDemoWebhook(f));
        RegisterWebhookDialog *registering = f.window->openRegisterDialog();
        QVERIFY(registering);
        registering->setUrl(https.url(host).toString() + query);
        auto *diagnose = registering->findChild<QPushButton *>(QStringLiteral("crcDoctorButton"));
        QVERIFY(diagnose && diagnose->isEnabled());
        QTest::mouseClick(diagnose, Qt::LeftButton);
        CrcDoctorDialog *dialog = registering->crcDoctorDialog();
        QVERIFY(dialog);
        dialog->triesBox()->setValue(1);
        dialog->run(); // again at once, with one try (the button stops a running run)
        QVERIFY(waitForRun(dialog));
        EXPECT_ROW(dialog, Check(check), Verdict(verdict), finding, remedy);
        registering->reject();
    }

    void anUnusableEnvironmentIsShownAndDnsIsUsed()
    {
        qputenv("ACTIVITY_CRC_DOCTOR_HOSTS", "nonsense");
        ConsoleFixture f;
        QVERIFY(startWithDemoWebhook(f));
        CrcDoctorDialog *dialog = diagnoseSelected(f);
        QVERIFY(dialog);
        QVERIFY(dialog->environmentProblem().contains(QStringLiteral("ACTIVITY_CRC_DOCTOR_HOSTS")));
        auto *note = dialog->findChild<QLabel *>(QStringLiteral("crcDoctorEnvironment"));
        QVERIFY(note && note->isVisible());
        QVERIFY(note->text().contains(QStringLiteral("nonsense")));
        QVERIFY(note->text().contains(QStringLiteral("uses DNS")));
        // 127.0.0.1 needs no lookup: the run still goes through.
        QVERIFY(waitForRun(dialog));
        EXPECT_ROW(dialog, Check::Token, Verdict::Passed, QStringLiteral("consumer secret"));
    }
};

QTEST_MAIN(TestConsoleCrcDoctor)
#include "tst_console_crc_doctor.moc"
