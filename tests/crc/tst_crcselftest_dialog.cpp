// The "Test endpoint (CRC)…" button of the register dialog, against the in-process sandbox's demo
// receiver: alone, and as MainWindow opens it with the current profile.

#include "ConsoleTestSupport.h"

#include "CrcSelfTest.h"
#include "RegisterWebhookDialog.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "WebhookTableModel.h"

#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace activity;
using namespace activity::sandbox;

class TestCrcSelfTestDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void shouldShowPassedForTheDemoReceiverWithoutClosing();
    void shouldShowWhatFailedWithBothTokensButNeverTheSecret();
    void shouldShowNon200WithItsStatus();
    void shouldOfferTheTestOnlyWithASecretAndAnHttpUrl();
    void shouldDropTheVerdictWhenTheUrlChanges();
    void shouldRunFromTheMainWindowsDialogWithTheProfilesSecret();

private:
    std::unique_ptr<RegisterWebhookDialog> makeDialog(const QByteArray &secret);
    static void typeUrl(RegisterWebhookDialog &dialog, const QString &url);
    static QPushButton *testButton(RegisterWebhookDialog &dialog)
    {
        return dialog.findChild<QPushButton *>(QStringLiteral("crcSelfTestButton"));
    }
    static QLabel *resultLabel(RegisterWebhookDialog &dialog)
    {
        return dialog.findChild<QLabel *>(QStringLiteral("crcSelfTestResult"));
    }

    std::unique_ptr<SandboxServer> m_sandbox;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

void TestCrcSelfTestDialog::init()
{
    m_sandbox = std::make_unique<SandboxServer>();
    QVERIFY(m_sandbox->listen());
    m_sandbox->seedDemo();
    m_network = std::make_unique<QNetworkAccessManager>();
    m_network->setProxy(QNetworkProxy::NoProxy);
}

void TestCrcSelfTestDialog::cleanup()
{
    m_network.reset();
    m_sandbox.reset();
}

std::unique_ptr<RegisterWebhookDialog> TestCrcSelfTestDialog::makeDialog(const QByteArray &secret)
{
    auto dialog = std::make_unique<RegisterWebhookDialog>(validate::UrlPolicy::AllowLoopbackHttp,
                                                          ApiGeneration::V2, QString());
    dialog->setCrcSelfTest(m_network.get(), secret);
    dialog->show();
    return dialog;
}

void TestCrcSelfTestDialog::typeUrl(RegisterWebhookDialog &dialog, const QString &url)
{
    auto *edit = dialog.findChild<QLineEdit *>(QStringLiteral("webhookUrlEdit"));
    QVERIFY(edit);
    edit->clear();
    QTest::keyClicks(edit, url);
    QCOMPARE(dialog.url(), url);
}

void TestCrcSelfTestDialog::shouldShowPassedForTheDemoReceiverWithoutClosing()
{
    auto dialog = makeDialog(demo::consumerSecret);
    typeUrl(*dialog, m_sandbox->demoReceiverUrl());
    QPushButton *button = testButton(*dialog);
    QLabel *result = resultLabel(*dialog);
    QVERIFY(button && result);
    QVERIFY(button->isEnabled());
    QVERIFY(!result->isVisible());

    QSignalSpy finished(dialog.get(), &RegisterWebhookDialog::crcSelfTestFinished);
    QTest::mouseClick(button, Qt::LeftButton);
    // Busy, not blocked: the click returned before the answer, and the button waits for it.
    QVERIFY(dialog->isCrcSelfTestRunning());
    QVERIFY(!button->isEnabled());
    QCOMPARE(button->text(), QStringLiteral("Testing…"));
    QVERIFY(result->isVisible());
    QVERIFY(result->text().startsWith(QLatin1String("Testing")));

    QTRY_VERIFY2(dialog->crcSelfTestText().startsWith(QLatin1String("Passed in ")),
                 qPrintable(dialog->crcSelfTestText()));
    QVERIFY(dialog->crcSelfTestText().contains(QLatin1String(" ms")));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->result(), int(QDialog::Rejected)); // nothing accepted or closed
    QVERIFY(button->isEnabled());
    QVERIFY(dialog->canSubmit()); // registering is still possible afterwards
    QVERIFY(m_sandbox->webhooks().size() == 2); // nothing registered
}

void TestCrcSelfTestDialog::shouldShowWhatFailedWithBothTokensButNeverTheSecret()
{
    const QByteArray wrongSecret = QByteArrayLiteral("the-wrong-consumer-secret");
    auto dialog = makeDialog(wrongSecret);
    typeUrl(*dialog, m_sandbox->demoReceiverUrl());
    QTest::mouseClick(testButton(*dialog), Qt::LeftButton);
    QTRY_VERIFY(dialog->crcSelfTestText().startsWith(QLatin1String("Failed: ")));
    const QString text = dialog->crcSelfTestText();
    QVERIFY2(text.contains(QLatin1String("Wrong response_token")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("HTTP 200 after ")));
    QVERIFY(text.contains(QLatin1String("Expected response_token: sha256=")));
    QVERIFY(text.contains(QLatin1String("Received response_token: sha256=")));
    QVERIFY(text.contains(QLatin1String("consumer secret")));
    QVERIFY(!text.contains(QString::fromLatin1(wrongSecret)));
    QVERIFY(!text.contains(QString::fromLatin1(demo::consumerSecret)));
    QVERIFY(dialog->isVisible());
}

void TestCrcSelfTestDialog::shouldShowNon200WithItsStatus()
{
    m_sandbox->faults().always("GET", QStringLiteral("/sandbox/receiver/*"), Fault::httpStatus(500));
    auto dialog = makeDialog(demo::consumerSecret);
    typeUrl(*dialog, m_sandbox->demoReceiverUrl());
    QTest::mouseClick(testButton(*dialog), Qt::LeftButton);
    QTRY_VERIFY(dialog->crcSelfTestText().startsWith(QLatin1String("Failed: Non-200")));
    QVERIFY(dialog->crcSelfTestText().contains(QLatin1String("HTTP 500 after ")));
    QVERIFY(dialog->crcSelfTestText().contains(QLatin1String("Received response_token: (none)")));
}

void TestCrcSelfTestDialog::shouldOfferTheTestOnlyWithASecretAndAnHttpUrl()
{
    // Without setCrcSelfTest() (no network manager): no test.
    RegisterWebhookDialog bare(validate::UrlPolicy::AllowLoopbackHttp, ApiGeneration::V2,
                               m_sandbox->demoReceiverUrl());
    QVERIFY(!testButton(bare)->isEnabled());
    QVERIFY(!bare.canRunCrcSelfTest());

    // A profile without a consumer secret cannot know the expected token.
    auto noSecret = makeDialog(QByteArray());
    typeUrl(*noSecret, m_sandbox->demoReceiverUrl());
    QVERIFY(!testButton(*noSecret)->isEnabled());
    QVERIFY(testButton(*noSecret)->toolTip().contains(QLatin1String("consumer secret")));

    auto dialog = makeDialog(demo::consumerSecret);
    typeUrl(*dialog, QStringLiteral("ftp://127.0.0.1/hook"));
    QVERIFY(!testButton(*dialog)->isEnabled());
    typeUrl(*dialog, QString());
    QVERIFY(!testButton(*dialog)->isEnabled());
    const int requests = int(m_sandbox->journal().size());
    dialog->runCrcSelfTest(); // ignored
    QVERIFY(!dialog->isCrcSelfTestRunning());
    QCOMPARE(int(m_sandbox->journal().size()), requests);
    typeUrl(*dialog, m_sandbox->demoReceiverUrl());
    QVERIFY(testButton(*dialog)->isEnabled());

    // Not while X is checking the URL for a registration.
    dialog->setBusy(true);
    QVERIFY(!testButton(*dialog)->isEnabled());
    dialog->setBusy(false);
    QVERIFY(testButton(*dialog)->isEnabled());
}

void TestCrcSelfTestDialog::shouldDropTheVerdictWhenTheUrlChanges()
{
    auto dialog = makeDialog(demo::consumerSecret);
    typeUrl(*dialog, m_sandbox->demoReceiverUrl());
    QTest::mouseClick(testButton(*dialog), Qt::LeftButton);
    QTRY_VERIFY(dialog->crcSelfTestText().startsWith(QLatin1String("Passed in ")));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("webhookUrlEdit")), QStringLiteral("2"));
    QVERIFY(dialog->crcSelfTestText().isEmpty());
    QVERIFY(!resultLabel(*dialog)->isVisible());

    // A change while the test runs drops the running test too.
    QTest::mouseClick(testButton(*dialog), Qt::LeftButton);
    QVERIFY(dialog->isCrcSelfTestRunning());
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("webhookUrlEdit")), QStringLiteral("3"));
    QVERIFY(!dialog->isCrcSelfTestRunning());
    QVERIFY(dialog->crcSelfTestText().isEmpty());
    QVERIFY(testButton(*dialog)->isEnabled());
}

void TestCrcSelfTestDialog::shouldRunFromTheMainWindowsDialogWithTheProfilesSecret()
{
    testing::ConsoleFixture f;
    QVERIFY(f.listen());
    f.network.setProxy(QNetworkProxy::NoProxy);
    MainWindow *window = f.createWindow();
    window->start();
    QTRY_VERIFY(!window->isBusy() && window->webhookModel()->rowCount() == 2);

    RegisterWebhookDialog *dialog = window->openRegisterDialog();
    QVERIFY(dialog);
    typeUrl(*dialog, f.server.demoReceiverUrl());
    QPushButton *button = testButton(*dialog);
    QVERIFY(button && button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY2(dialog->crcSelfTestText().startsWith(QLatin1String("Passed in ")),
                 qPrintable(dialog->crcSelfTestText()));
    QVERIFY(dialog->isVisible());
    QCOMPARE(window->webhookModel()->rowCount(), 2);
}

QTEST_MAIN(TestCrcSelfTestDialog)
#include "tst_crcselftest_dialog.moc"
