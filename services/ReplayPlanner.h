#pragma once

#include "ApiTypes.h"
#include "Result.h"
#include "WebhookTimeline.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <chrono>
#include <functional>

namespace activity {

// A window of time whose events a webhook may have missed, and why.
struct MissedWindow
{
    QDateTime from; // UTC
    QDateTime to; // UTC
    QString reason;
};

// One replay job of a plan and what became of it.
struct PlannedReplay
{
    enum class State {
        Planned,
        Submitted, // X accepted the job; waiting for its replay_job_status
        Complete, // replay_job_status "Complete" (or confirmed by the person)
        Incomplete, // "Incomplete": retry it
        Failed, // the request was refused: see `detail`
    };
    QString webhookId;
    QDateTime from; // UTC, whole minutes
    QDateTime to;
    QString reason;
    State state = State::Planned;
    QString jobId;
    QString detail;
};

// The replay planner of #17: turns what the webhook watch recorded (the periods a webhook was
// invalid) and, where the event store exists, the gaps in received events into replay windows
// clipped to what the API generation allows (how far back, how recent; see
// validate::ReplayRules) and cut into chunks of at most the recommended span, and runs them one at a
// time per webhook (X runs one replay job per webhook). A job is complete when its
// replay_job_status arrives (acceptStatus(), fed with every event received) or when the person says
// so; an incomplete one can be retried. Submitting goes through `submit`, which the front end routes
// through its history, so every request is recorded.
class ReplayPlanner : public QObject
{
    Q_OBJECT
public:
    using Submit = std::function<void(const PlannedReplay &job, QObject *context,
                                      std::function<void(const Result<ReplayJob> &)> done)>;

    explicit ReplayPlanner(ApiGeneration generation, Submit submit, QObject *parent = nullptr);

    // The invalid periods of a webhook from its recorded changes (oldest first); an invalid period
    // still open ends at `now`.
    static QList<MissedWindow> invalidPeriods(const QList<WebhookValidity> &changes, const QDateTime &now);
    // Silences longer than `minimumGap` between received events (times in ms, any order) within
    // [since, now]: events may have been missed there.
    static QList<MissedWindow> eventGaps(QList<qint64> receivedAtMs, qint64 sinceMs, qint64 nowMs,
                                         qint64 minimumGapMs);
    // Merged where they overlap, clipped to the generation's replay rules at `now`, whole minutes,
    // cut into chunks of at most the recommended span; windows left with nothing are dropped.
    static QList<PlannedReplay> plan(const QString &webhookId, QList<MissedWindow> windows,
                                     ApiGeneration generation, const QDateTime &now);

    // X answers a job submitted while another runs for the webhook (its status may arrive before X
    // has freed the webhook, or another program runs one) with a conflict: the job stays planned
    // and is submitted again after this delay, doubled each time, at most 5 times.
    void setConflictRetryDelay(std::chrono::milliseconds delay) { m_conflictDelay = delay; }

    void setJobs(const QList<PlannedReplay> &jobs);
    const QList<PlannedReplay> &jobs() const { return m_jobs; }
    bool isRunning() const { return m_running; }

    // Submits the first planned job and then each next one once the one before has ended.
    void run();
    // A replay_job_status event (the body as delivered); true when it matched a submitted job.
    bool acceptStatus(const QByteArray &body);
    // The person says a submitted job is complete (no status event was seen) or not.
    void confirm(int index, bool complete);
    // Plans an incomplete or failed job again; run() submits it.
    void retry(int index);

Q_SIGNALS:
    void jobChanged(int index);
    void finished(); // nothing planned or submitted is left

private:
    void submitNext();
    bool applyStatus(int index, const QJsonObject &status);

    ApiGeneration m_generation;
    Submit m_submit;
    QList<PlannedReplay> m_jobs;
    bool m_running = false;
    bool m_waiting = false; // a job is submitted (or being submitted)
    std::chrono::milliseconds m_conflictDelay {5000};
    int m_conflicts = 0; // of the job being submitted
    // Statuses of job ids not known yet: X may deliver one before its submit's answer is read.
    QHash<QString, QJsonObject> m_early;
};

} // namespace activity

Q_DECLARE_METATYPE(activity::PlannedReplay)
