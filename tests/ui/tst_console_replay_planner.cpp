// Webhooks > Plan Replays… (#17) in the real window over an in-process sandbox on 127.0.0.1: a
// period the watch recorded the webhook invalid becomes replay jobs within v2's rules; Run submits
// them one at a time (each recorded in the history), and each is completed by the replay_job_status
// the sandbox delivers, signed, to the console's own receiver, which is the webhook's URL here.
#include "ConsoleTestSupport.h"
#include "EventStore.h"
#include "LiveEvents.h"
#include "ReplayPlannerDialog.h"
#include "SandboxDemo.h"
#include "Validation.h"
#include "WebhookTableModel.h"
#include "WebhookTimeline.h"
#include "WebhooksPane.h"

#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

class TestConsoleReplayPlanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plansAndRunsTheReplaysOfAnInvalidPeriod()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        f.server.setLenientLoopbackUrls(true);
        // The period is written into the timeline below as the watch would have: no live watch here.
        f.settings.setValue(QStringLiteral("health/watch"), false);
        WebhookTimeline timeline(f.dir.filePath(QStringLiteral("health.sqlite")));
        EventStore events(f.dir.filePath(QStringLiteral("events.sqlite")));
        ConsoleServices services;
        services.timeline = &timeline;
        services.events = &events;
        f.startWindow(services);
        QTRY_VERIFY(f.window->client());
        const QString profile = f.window->currentProfile()->name;

        // The console's receiver is the webhook: the sandbox signs what it sends with the app's
        // consumer secret, which the receiver checks.
        QVERIFY(!f.window->liveEvents()->startReceiver(QHostAddress::LocalHost, 0, demo::consumerSecret));
        const QString webhookId = f.server.addWebhook(f.window->liveEvents()->receiverUrl(), true);
        f.window->refresh();
        QTRY_VERIFY(f.window->webhookModel()->rowOf(webhookId) >= 0);
        QVERIFY(f.window->webhooksPane()->selectWebhook(webhookId));
        QCOMPARE(f.window->webhooksPane()->selectedWebhookId(), webhookId);

        // The watch saw it invalid from 5 to 1 hours ago.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        timeline.record({profile, webhookId, {}, true, now - 6 * 3600 * 1000});
        timeline.record({profile, webhookId, {}, false, now - 5 * 3600 * 1000});
        timeline.record({profile, webhookId, {}, true, now - 1 * 3600 * 1000});

        ReplayPlannerDialog *dialog = f.window->planReplays();
        QVERIFY(dialog);
        QTableWidget *table = dialog->table();
        QVERIFY2(table->rowCount() >= 2 && table->rowCount() <= 3, qPrintable(dialog->summary()->text()));
        for (const PlannedReplay &job : dialog->planner()->jobs()) {
            QCOMPARE(job.webhookId, webhookId);
            QVERIFY(job.from.secsTo(job.to) <= 2 * 3600);
            QVERIFY(!validate::replayWindow(ApiGeneration::V2, job.from, job.to,
                                            QDateTime::currentDateTimeUtc()));
        }
        QCOMPARE(table->item(0, 3)->text(), QStringLiteral("planned"));
        QVERIFY(dialog->runButton()->isEnabled());

        QSignalSpy finished(dialog->planner(), &ReplayPlanner::finished);
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
        QVERIFY(finished.wait(30000));
        for (int row = 0; row < table->rowCount(); ++row) {
            QCOMPARE(table->item(row, 3)->text(), QStringLiteral("complete"));
            QVERIFY(!table->item(row, 4)->text().isEmpty());
        }
        QVERIFY(!dialog->runButton()->isEnabled());
        // The statuses are in the event store, as the receiver kept them.
        EventQuery query;
        query.text = QStringLiteral("replay_job_status");
        QCOMPARE(events.events(query).size(), table->rowCount());
    }

    void saysWhenThereIsNothingToReplay()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        WebhookTimeline timeline(f.dir.filePath(QStringLiteral("health.sqlite")));
        ConsoleServices services;
        services.timeline = &timeline;
        f.startWindow(services);
        QTRY_VERIFY(f.window->webhooksPane()->selectWebhook(demo::validWebhookId));
        ReplayPlannerDialog *dialog = f.window->planReplays();
        QVERIFY(dialog);
        QCOMPARE(dialog->table()->rowCount(), 0);
        QVERIFY(dialog->summary()->text().contains(QStringLiteral("Nothing to replay")));
        QVERIFY(!dialog->runButton()->isEnabled());
        QVERIFY(!dialog->includeGaps()->isEnabled()); // no event store in this window
    }
};

QTEST_MAIN(TestConsoleReplayPlanner)
#include "tst_console_replay_planner.moc"
