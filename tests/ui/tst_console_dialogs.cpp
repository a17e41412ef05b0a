#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"
#include "ProfileDialog.h"
#include "ReplayDialog.h"
#include "ReplayJobTableModel.h"
#include "ReplayJournal.h"
#include "RequestLog.h"
#include "RequestLogDock.h"
#include "WebhookTableModel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

class TestConsoleDialogs : public QObject
{
    Q_OBJECT

    static bool loadDemo(ConsoleFixture &f, ApiGeneration generation = ApiGeneration::V2)
    {
        if (!f.listen())
            return false;
        MainWindow *window = f.createWindow(generation);
        QSignalSpy loaded(window, &MainWindow::subscriptionsLoaded);
        window->start();
        return loaded.wait(20000);
    }

private Q_SLOTS:
    void shouldDisableReplaySubmitWithReasonForInvalidWindow()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f, ApiGeneration::V1_1));
        ReplayDialog *dialog = f.window->openReplayDialog();
        QVERIFY(dialog);
        auto *submit = dialog->findChild<QPushButton *>(QStringLiteral("replaySubmit"));
        auto *problem = dialog->findChild<QLabel *>(QStringLiteral("replayProblem"));
        QVERIFY(submit && problem);
        QVERIFY(submit->isEnabled()); // the default window is allowed
        // "to" only 2 minutes ago: v1.1 wants at least 10 minutes.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        dialog->setWindow(now.addSecs(-3600), now.addSecs(-120));
        QVERIFY(!submit->isEnabled());
        QVERIFY(!problem->text().isEmpty());
        // from after to.
        dialog->setWindow(now.addSecs(-3600), now.addSecs(-7200));
        QVERIFY(!submit->isEnabled());
        QVERIFY(!dialog->problem().isEmpty());
        // Six days back: outside the 5-day window.
        dialog->setWindow(now.addDays(-6), now.addDays(-6).addSecs(3600));
        QVERIFY(!submit->isEnabled());
        // The UTC values to be sent are on show.
        auto *fromUtc = dialog->findChild<QLabel *>(QStringLiteral("replayFromUtc"));
        QVERIFY(fromUtc->text().contains(validate::formatReplayTime(now.addDays(-6))));
        const int requests = int(f.server.journal().entries().size());
        submit->click();
        QCOMPARE(int(f.server.journal().entries().size()), requests);
    }

    void shouldSubmitValidReplayAndListTheJob()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        auto *jobs = f.window->findChild<ConsoleTableView *>(QStringLiteral("replayJobView"));
        QVERIFY(jobs);
        QAbstractItemModelTester tester(jobs->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        ReplayDialog *dialog = f.window->openReplayDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->canSubmit());
        // The dialog states today's v2 rules and which minutes the window covers.
        for (const char *needle : {"POST /2/webhooks/replay", "24 hours", "31 minutes", "10 minutes"})
            QVERIFY2(dialog->rulesText().contains(QLatin1String(needle)), qPrintable(dialog->rulesText()));
        QVERIFY2(!dialog->rulesText().contains(QLatin1String("5 days")), qPrintable(dialog->rulesText()));
        QVERIFY2(dialog->coverageText().contains(QLatin1String("up to and including")),
                 qPrintable(dialog->coverageText()));
        QVERIFY2(dialog->coverageText().contains(QLatin1String("is not replayed")),
                 qPrintable(dialog->coverageText()));
        QCOMPARE(dialog->findChild<QLabel *>(QStringLiteral("replayRules"))->textFormat(), Qt::PlainText);
        QPointer<ReplayDialog> guard(dialog);
        f.server.clearJournal();
        dialog->findChild<QPushButton *>(QStringLiteral("replaySubmit"))->click();
        QTRY_COMPARE(f.window->replayJobModel()->rowCount(), 1);
        QTRY_VERIFY(!guard || !guard->isVisible());
        QCOMPARE(jobs->model()->rowCount(), 1);
        // The console's v2 replay goes to POST /2/webhooks/replay and nothing reaches the retired path.
        const testing::ReplayTraffic traffic = testing::replayTraffic(f.server.journal());
        QCOMPARE(traffic.current, 1);
        QCOMPARE(traffic.retired, 0);
    }

    void shouldAdviseOnALongV2ReplayWindowWithoutBlocking()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        ReplayDialog *dialog = f.window->openReplayDialog();
        QVERIFY(dialog);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        dialog->setWindow(now.addSecs(-6 * 3600), now.addSecs(-3600));
        QVERIFY(dialog->canSubmit());
        QVERIFY2(dialog->adviceText().contains(QLatin1String("2 hours or less")),
                 qPrintable(dialog->adviceText()));
        // Older than 24 hours: refused before sending, with the reason.
        dialog->setWindow(now.addSecs(-26 * 3600), now.addSecs(-25 * 3600));
        QVERIFY(!dialog->canSubmit());
        QVERIFY2(dialog->problem().contains(QLatin1String("24 hours")), qPrintable(dialog->problem()));
    }

    void shouldShowTheDeprecationOfTheChosenGeneration()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        auto *status = f.window->findChild<QLabel *>(QStringLiteral("deprecationLabel"));
        QVERIFY(status);
        QVERIFY(status->isVisibleTo(f.window.get()));
        QVERIFY2(status->text().contains(QLatin1String("2026-07-21")), qPrintable(status->text()));
        QVERIFY2(status->text().contains(QLatin1String("X Activity API")), qPrintable(status->text()));

        ProfileDialog *dialog = f.window->openProfileDialog();
        QVERIFY(dialog);
        auto *notice = dialog->findChild<QLabel *>(QStringLiteral("profileDeprecation"));
        auto *generation = dialog->findChild<QComboBox *>(QStringLiteral("profileGeneration"));
        QVERIFY(notice && generation);
        generation->setCurrentIndex(generation->findData(int(ApiGeneration::V1_1)));
        QVERIFY2(notice->text().contains(QLatin1String("v1.1")), qPrintable(notice->text()));
        QVERIFY2(notice->text().contains(QLatin1String("2026-07-21")), qPrintable(notice->text()));
        generation->setCurrentIndex(generation->findData(int(ApiGeneration::V2)));
        QVERIFY2(notice->text().contains(QLatin1String("X Activity API")), qPrintable(notice->text()));
        QCOMPARE(notice->textFormat(), Qt::PlainText);
    }

    void shouldTestProfileConnection()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        ProfileDialog *dialog = f.window->openProfileDialog();
        QVERIFY(dialog);
        ResolvedProfile profile = sandboxProfile(f.server);
        profile.id.clear();
        profile.builtInSandbox = false;
        dialog->setEditedProfile(profile);
        auto *secret = dialog->findChild<QLineEdit *>(QStringLiteral("profileConsumerSecret"));
        QVERIFY(secret);
        QCOMPARE(secret->echoMode(), QLineEdit::Password);
        QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("profileOwnerTokenSecret"))->echoMode(),
                 QLineEdit::Password);

        QSignalSpy tested(dialog, &ProfileDialog::testFinished);
        dialog->findChild<QPushButton *>(QStringLiteral("profileTest"))->click();
        QVERIFY(tested.wait(20000));
        QCOMPARE(tested.last().first().toBool(), true);
        QCOMPARE(dialog->testResult(), QStringLiteral("OK: 2 webhook(s)"));

        // A wrong secret: says what failed and why.
        secret->setText(QStringLiteral("Zq9-mistyped-secret"));
        dialog->findChild<QPushButton *>(QStringLiteral("profileTest"))->click();
        QVERIFY(tested.wait(20000));
        QCOMPARE(tested.last().first().toBool(), false);
        QVERIFY(dialog->testResult().startsWith(QStringLiteral("Failed: ")));
        QVERIFY(dialog->testResult().size() > 20);
        // Nothing secret in the result text.
        QVERIFY(!dialog->testResult().contains(QStringLiteral("Zq9-mistyped-secret")));

        // Unreachable server.
        secret->setText(QString::fromUtf8(demo::consumerSecret));
        auto *base = dialog->findChild<QLineEdit *>(QStringLiteral("profileBaseUrl"));
        base->setText(QStringLiteral("http://127.0.0.1:1"));
        dialog->findChild<QPushButton *>(QStringLiteral("profileTest"))->click();
        QVERIFY(tested.wait(20000));
        QCOMPARE(tested.last().first().toBool(), false);
    }

    void shouldValidateBaseUrlAsYouType()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        ProfileDialog *dialog = f.window->openProfileDialog();
        QVERIFY(dialog);
        auto *base = dialog->findChild<QLineEdit *>(QStringLiteral("profileBaseUrl"));
        auto *save = dialog->findChild<QPushButton *>(QStringLiteral("profileSave"));
        base->clear();
        QTest::keyClicks(base, QStringLiteral("http://api.x.com"));
        QVERIFY(!dialog->baseUrlProblem().isEmpty()); // plain http only for loopback
        QVERIFY(!save->isEnabled());
        base->clear();
        QTest::keyClicks(base, QStringLiteral("https://api.x.com"));
        QVERIFY(dialog->baseUrlProblem().isEmpty());
        QVERIFY(save->isEnabled());

        // Plain http to this computer: only by address, and only once the person says so.
        auto *allow = dialog->findChild<QCheckBox *>(QStringLiteral("profileAllowInsecureLoopback"));
        QVERIFY(allow);
        QVERIFY(allow->isHidden());
        base->clear();
        QTest::keyClicks(base, QStringLiteral("http://127.0.0.1:8080"));
        QVERIFY(!allow->isHidden());
        QVERIFY(!allow->isChecked());
        QVERIFY(!dialog->baseUrlProblem().isEmpty());
        QVERIFY(!save->isEnabled());
        allow->setChecked(true);
        QVERIFY(dialog->baseUrlProblem().isEmpty());
        QVERIFY(save->isEnabled());
        QVERIFY(dialog->editedProfile().allowInsecureLoopback);
        // A name is not an address: no offer, whatever the box said.
        base->clear();
        QTest::keyClicks(base, QStringLiteral("http://localhost:8080"));
        QVERIFY(allow->isHidden());
        QVERIFY(!dialog->baseUrlProblem().isEmpty());
        QVERIFY(!save->isEnabled());
        QVERIFY(!dialog->editedProfile().allowInsecureLoopback);
    }

    void shouldSaveProfileAndSwitchWithoutBanner()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        auto *banner = f.window->findChild<QLabel *>(QStringLiteral("sandboxBanner"));
        QVERIFY(banner->isVisible());
        ProfileDialog *dialog = f.window->openProfileDialog();
        ResolvedProfile profile = sandboxProfile(f.server);
        profile.id.clear();
        profile.builtInSandbox = false;
        profile.name = QStringLiteral("Staging app");
        dialog->setEditedProfile(profile);
        dialog->saveProfile();
        QTRY_COMPARE(f.window->profileIds().size(), 2);
        const QString id = f.window->profileIds().last();
        QSignalSpy refreshed(f.window.get(), &MainWindow::webhooksRefreshed);
        QVERIFY(f.window->selectProfile(id));
        QVERIFY(!banner->isVisible());
        QVERIFY(refreshed.wait());
        QCOMPARE(f.window->webhookModel()->rowCount(), 2);
        QVERIFY(f.window->selectProfile(builtInSandboxProfileId));
        QVERIFY(banner->isVisible());
    }

    void shouldEditTheActivityTierOfAProfile()
    {
        QNetworkAccessManager network;
        PresetPrompter prompter;
        ProfileDialog dialog(&network, &prompter);
        auto *tier = dialog.findChild<QComboBox *>(QStringLiteral("profileActivityTier"));
        QVERIFY(tier);
        QCOMPARE(tier->count(), 3);
        // A new profile starts at the default tier.
        QCOMPARE(dialog.editedProfile().activityTier, xaa::Tier::Enterprise);
        QCOMPARE(xaa::Tier(tier->currentData().toInt()), xaa::Tier::Enterprise);
        ResolvedProfile profile;
        profile.name = QStringLiteral("Small app");
        profile.baseUrl = QUrl(QStringLiteral("https://api.x.com"));
        profile.activityTier = xaa::Tier::SelfServe;
        dialog.setEditedProfile(profile);
        QCOMPARE(xaa::Tier(tier->currentData().toInt()), xaa::Tier::SelfServe);
        QVERIFY2(tier->currentText().contains(QLatin1String("Self-serve")), qPrintable(tier->currentText()));
        tier->setCurrentIndex(tier->findData(int(xaa::Tier::Partner)));
        QCOMPARE(dialog.editedProfile().activityTier, xaa::Tier::Partner);
    }

    void shouldShowRedactedLogDetailsAndCopyCurl()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        auto *dock = f.window->findChild<RequestLogDock *>(QStringLiteral("requestLogDock"));
        QVERIFY(dock);
        QAbstractItemModelTester tester(dock->view()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(dock->view()->model()->rowCount() >= 2);
        dock->view()->selectRow(0);
        QTRY_VERIFY(!dock->detailText().isEmpty());
        QVERIFY(dock->copySelectedAsCurl());
        const QString curl = QApplication::clipboard()->text();
        QVERIFY(curl.startsWith(QStringLiteral("curl")));
        // No secret reaches the log view or the clipboard.
        for (const QByteArray &secret :
             {demo::consumerSecret, demo::ownerTokenSecret, demo::bearerToken, demo::alice.tokenSecret}) {
            QVERIFY(!dock->detailText().contains(QString::fromUtf8(secret)));
            QVERIFY(!curl.contains(QString::fromUtf8(secret)));
        }
    }
};

QTEST_MAIN(TestConsoleDialogs)
#include "tst_console_dialogs.moc"
