// The replay planner (#17): invalid periods from the watch's record and gaps in received events
// become replay windows clipped to each generation's rules and cut into chunks; against the sandbox
// the jobs run one at a time and each is completed by the replay_job_status the sandbox delivers to
// the webhook's receiver; an incomplete or failed one can be planned again.
#include "ApiClient.h"
#include "ReplayPlanner.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "Validation.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QtTest>

#include <memory>

using namespace activity;
namespace demo = activity::sandbox::demo;
using State = PlannedReplay::State;

namespace {

// 2026-11-30 12:00:00 UTC
const QDateTime kNow = QDateTime(QDate(2026, 11, 30), QTime(12, 0), Qt::UTC);

qint64 minutesAgo(int minutes)
{
    return kNow.addSecs(-60LL * minutes).toMSecsSinceEpoch();
}

WebhookValidity seen(bool valid, int minutesBefore)
{
    return {QStringLiteral("P"), QStringLiteral("1"), {}, valid, minutesAgo(minutesBefore)};
}

} // namespace

class TestReplayPlanner : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_network;

private Q_SLOTS:
    void shouldFindTheInvalidPeriods()
    {
        const QList<MissedWindow> windows = ReplayPlanner::invalidPeriods(
            {seen(true, 600), seen(false, 300), seen(true, 240), seen(false, 60)}, kNow);
        QCOMPARE(windows.size(), 2);
        QCOMPARE(windows.at(0).from.toMSecsSinceEpoch(), minutesAgo(300));
        QCOMPARE(windows.at(0).to.toMSecsSinceEpoch(), minutesAgo(240));
        QCOMPARE(windows.at(1).from.toMSecsSinceEpoch(), minutesAgo(60));
        QCOMPARE(windows.at(1).to, kNow); // still invalid
        QVERIFY(ReplayPlanner::invalidPeriods({seen(true, 60)}, kNow).isEmpty());
    }

    void shouldFindGapsInReceivedEvents()
    {
        const QList<MissedWindow> gaps =
            ReplayPlanner::eventGaps({minutesAgo(100), minutesAgo(95), minutesAgo(30), minutesAgo(29)},
                                     minutesAgo(120), kNow.toMSecsSinceEpoch(), 15 * 60 * 1000);
        // 120 -> 100 (20 min), 95 -> 30 (65 min), 29 -> now (29 min).
        QCOMPARE(gaps.size(), 3);
        QCOMPARE(gaps.at(1).from.toMSecsSinceEpoch(), minutesAgo(95));
        QCOMPARE(gaps.at(1).to.toMSecsSinceEpoch(), minutesAgo(30));
    }

    void shouldClipToTheRulesAndCutIntoChunks()
    {
        // v2: 24 hours back, start >= 31 min ago, end >= 10 min ago, chunks of 2 hours.
        QList<PlannedReplay> jobs = ReplayPlanner::plan(
            QStringLiteral("1"),
            {{kNow.addSecs(-30 * 3600), kNow.addSecs(-19 * 3600), QStringLiteral("invalid")},
             {kNow.addSecs(-20 * 3600), kNow.addSecs(-18 * 3600), QStringLiteral("gap")}}, // overlaps: merged
            ApiGeneration::V2, kNow);
        // Merged 30h..18h, clipped to 23h59..18h: 5 hours 59 minutes in 2-hour chunks.
        QCOMPARE(jobs.size(), 3);
        QCOMPARE(jobs.first().from, kNow.addSecs(-24 * 3600 + 60));
        QCOMPARE(jobs.last().to, kNow.addSecs(-18 * 3600));
        for (int i = 1; i < jobs.size(); ++i)
            QCOMPARE(jobs.at(i).from, jobs.at(i - 1).to);
        for (const PlannedReplay &job : std::as_const(jobs)) {
            QVERIFY(job.from.secsTo(job.to) <= 2 * 3600);
            QVERIFY(job.reason.contains(QStringLiteral("invalid")) &&
                    job.reason.contains(QStringLiteral("gap")));
            QCOMPARE(job.state, State::Planned);
        }

        // A recent period: the start moves back to 31 minutes ago, the end to 10 minutes ago.
        jobs = ReplayPlanner::plan(QStringLiteral("1"),
                                   {{kNow.addSecs(-20 * 60), kNow, QStringLiteral("invalid")}},
                                   ApiGeneration::V2, kNow);
        QCOMPARE(jobs.size(), 1);
        QCOMPARE(jobs.first().from, kNow.addSecs(-31 * 60));
        QCOMPARE(jobs.first().to, kNow.addSecs(-10 * 60));

        // Too recent to replay yet (all of it after the last end allowed, 10 minutes ago): left for
        // a later plan.
        QCOMPARE(ReplayPlanner::plan(QStringLiteral("1"),
                                     {{kNow.addSecs(-8 * 60), kNow.addSecs(-5 * 60), {}}}, ApiGeneration::V2,
                                     kNow)
                     .size(),
                 0);

        // v1.1: 5 days back, no chunking.
        jobs = ReplayPlanner::plan(QStringLiteral("1"),
                                   {{kNow.addSecs(-30 * 3600), kNow.addSecs(-19 * 3600), {}}},
                                   ApiGeneration::V1_1, kNow);
        QCOMPARE(jobs.size(), 1);
        QCOMPARE(jobs.first().from, kNow.addSecs(-30 * 3600));
        // Every job passes the client's own check of the window.
        for (const PlannedReplay &job : std::as_const(jobs))
            QVERIFY(!validate::replayWindow(ApiGeneration::V1_1, job.from, job.to, kNow));
    }

    void shouldRunOneAtATimeAndCompleteFromTheStatusEvents()
    {
        sandbox::SandboxServer server;
        server.seedDemo();
        QVERIFY(server.listen());
        ClientConfig config;
        config.baseUrl = server.baseUrl();
        config.allowInsecureLoopback = true;
        ApiClient client(&m_network, config,
                         {demo::consumerKey, demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret,
                          demo::bearerToken});
        int inFlight = 0;
        int mostInFlight = 0;
        ReplayPlanner planner(ApiGeneration::V2, [&](const PlannedReplay &job, QObject *context, auto done) {
            mostInFlight = std::max(mostInFlight, ++inFlight);
            client.replay(job.webhookId, job.from, job.to, context, done);
        });
        connect(&planner, &ReplayPlanner::jobChanged, this, [&](int index) {
            const State state = planner.jobs().at(index).state;
            // Ended, or refused and planned again: the submit is over either way.
            if (state != State::Submitted)
                --inFlight;
        });
        // The sandbox delivers each job's replay_job_status to the webhook's receiver: the console
        // feeds every received event to the planner the same way.
        connect(&server, &sandbox::SandboxServer::receiverEventReceived, this,
                [&](const sandbox::ReceivedEvent &event) { planner.acceptStatus(event.body); });

        QDateTime now = QDateTime::currentDateTimeUtc();
        now.setTime(QTime(now.time().hour(), now.time().minute())); // whole minutes: 4 hours, 2 chunks
        const QList<PlannedReplay> jobs =
            ReplayPlanner::plan(demo::validWebhookId,
                                {{now.addSecs(-5 * 3600), now.addSecs(-60 * 60), QStringLiteral("invalid")}},
                                ApiGeneration::V2, now);
        QCOMPARE(jobs.size(), 2);
        planner.setJobs(jobs);
        planner.setConflictRetryDelay(std::chrono::milliseconds(100));
        QSignalSpy finished(&planner, &ReplayPlanner::finished);
        planner.run();
        QVERIFY(finished.wait(20000));
        QCOMPARE(mostInFlight, 1);
        for (const PlannedReplay &job : planner.jobs()) {
            QVERIFY2(job.state == State::Complete, qPrintable(job.detail));
            QVERIFY(!job.jobId.isEmpty());
        }
        QTRY_VERIFY(!server.hasRunningReplay(demo::validWebhookId));
    }

    void shouldRetryAndBeConfirmed()
    {
        QList<PlannedReplay> submitted;
        std::function<void(const Result<ReplayJob> &)> answer;
        ReplayPlanner planner(ApiGeneration::V2, [&](const PlannedReplay &job, QObject *, auto done) {
            submitted.append(job);
            answer = done;
        });
        PlannedReplay job;
        job.webhookId = QStringLiteral("1");
        job.from = kNow.addSecs(-3 * 3600);
        job.to = kNow.addSecs(-2 * 3600);
        planner.setJobs({job, job});
        planner.run();
        QCOMPARE(submitted.size(), 1);
        answer(ReplayJob {QStringLiteral("job-1"), kNow});
        QCOMPARE(planner.jobs().at(0).state, State::Submitted);
        // An unrelated status changes nothing; an Incomplete one ends the job, and the next starts.
        QVERIFY(!planner.acceptStatus(R"({"replay_job_status":{"job_id":"other","job_state":"Complete"}})"));
        QVERIFY(planner.acceptStatus(
            R"({"replay_job_status":{"job_id":"job-1","job_state":"Incomplete","job_state_description":"Job failed to deliver all events, please retry your replay job"}})"));
        QCOMPARE(planner.jobs().at(0).state, State::Incomplete);
        QVERIFY(planner.jobs().at(0).detail.contains(QStringLiteral("retry")));
        QCOMPARE(submitted.size(), 2);
        // Refused by X: failed, with the reason.
        answer(ApiError::make(ApiError::Kind::Permission, QStringLiteral("The app may not replay.")));
        QCOMPARE(planner.jobs().at(1).state, State::Failed);
        QCOMPARE(planner.jobs().at(1).detail, QStringLiteral("The app may not replay."));
        // Both again: the first confirmed by the person (no status event seen).
        QSignalSpy finished(&planner, &ReplayPlanner::finished);
        planner.retry(0);
        planner.retry(1);
        planner.run();
        QCOMPARE(submitted.size(), 3);
        answer(ReplayJob {QStringLiteral("job-2"), kNow});
        planner.confirm(0, true);
        QCOMPARE(planner.jobs().at(0).state, State::Complete);
        QCOMPARE(submitted.size(), 4);
        answer(ReplayJob {QStringLiteral("job-3"), kNow});
        QVERIFY(planner.acceptStatus(R"({"replay_job_status":{"job_id":"job-3","job_state":"Complete"}})"));
        QCOMPARE(finished.count(), 1);

        // A status that arrives before its submit's answer is kept for it.
        planner.setJobs({job});
        planner.run();
        QCOMPARE(submitted.size(), 5);
        QVERIFY(!planner.acceptStatus(R"({"replay_job_status":{"job_id":"job-4","job_state":"Complete"}})"));
        answer(ReplayJob {QStringLiteral("job-4"), kNow});
        QCOMPARE(planner.jobs().at(0).state, State::Complete);
        QCOMPARE(finished.count(), 2);
    }
};

QTEST_GUILESS_MAIN(TestReplayPlanner)
#include "tst_replayplanner.moc"
