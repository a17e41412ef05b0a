#include "ReplayPlanner.h"

#include "Validation.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>

namespace activity {

namespace {

constexpr int maxConflictRetries = 5;

QDateTime floorMinute(const QDateTime &t)
{
    const qint64 ms = t.toMSecsSinceEpoch();
    return QDateTime::fromMSecsSinceEpoch(ms - ms % 60000, Qt::UTC);
}

QDateTime ceilMinute(const QDateTime &t)
{
    const qint64 ms = t.toMSecsSinceEpoch();
    return QDateTime::fromMSecsSinceEpoch(ms % 60000 == 0 ? ms : ms - ms % 60000 + 60000, Qt::UTC);
}

} // namespace

ReplayPlanner::ReplayPlanner(ApiGeneration generation, Submit submit, QObject *parent)
    : QObject(parent)
    , m_generation(generation)
    , m_submit(std::move(submit))
{
    qRegisterMetaType<PlannedReplay>();
}

QList<MissedWindow> ReplayPlanner::invalidPeriods(const QList<WebhookValidity> &changes, const QDateTime &now)
{
    QList<MissedWindow> windows;
    std::optional<qint64> invalidSince;
    for (const WebhookValidity &change : changes) {
        if (!change.valid && !invalidSince)
            invalidSince = change.atMs;
        else if (change.valid && invalidSince) {
            windows.append({QDateTime::fromMSecsSinceEpoch(*invalidSince, Qt::UTC),
                            QDateTime::fromMSecsSinceEpoch(change.atMs, Qt::UTC),
                            QObject::tr("the webhook was invalid")});
            invalidSince.reset();
        }
    }
    if (invalidSince)
        windows.append({QDateTime::fromMSecsSinceEpoch(*invalidSince, Qt::UTC), now.toUTC(),
                        QObject::tr("the webhook is invalid")});
    return windows;
}

QList<MissedWindow> ReplayPlanner::eventGaps(QList<qint64> receivedAtMs, qint64 sinceMs, qint64 nowMs,
                                             qint64 minimumGapMs)
{
    std::sort(receivedAtMs.begin(), receivedAtMs.end());
    QList<MissedWindow> gaps;
    qint64 previous = sinceMs;
    receivedAtMs.append(nowMs);
    for (const qint64 at : std::as_const(receivedAtMs)) {
        if (at < sinceMs || at > nowMs)
            continue;
        if (at - previous > minimumGapMs)
            gaps.append({QDateTime::fromMSecsSinceEpoch(previous, Qt::UTC),
                         QDateTime::fromMSecsSinceEpoch(at, Qt::UTC),
                         QObject::tr("no events were received")});
        previous = std::max(previous, at);
    }
    return gaps;
}

QList<PlannedReplay> ReplayPlanner::plan(const QString &webhookId, QList<MissedWindow> windows,
                                         ApiGeneration generation, const QDateTime &now)
{
    const validate::ReplayRules rules = validate::ReplayRules::forGeneration(generation);
    const QDateTime utcNow = now.toUTC();
    // The start at least fromMinAge ago and within the lookback; the end at least toMinAge ago.
    const QDateTime earliest = ceilMinute(utcNow.addSecs(-rules.lookbackSecs + 60));
    const QDateTime latestStart = floorMinute(utcNow.addSecs(-rules.fromMinAgeSecs));
    const QDateTime latestEnd = floorMinute(utcNow.addSecs(-rules.toMinAgeSecs));

    std::sort(windows.begin(), windows.end(),
              [](const MissedWindow &a, const MissedWindow &b) { return a.from < b.from; });
    QList<MissedWindow> merged;
    for (const MissedWindow &w : std::as_const(windows)) {
        if (!merged.isEmpty() && w.from <= merged.last().to) {
            merged.last().to = std::max(merged.last().to, w.to);
            if (!merged.last().reason.contains(w.reason))
                merged.last().reason += QStringLiteral("; ") + w.reason;
        } else {
            merged.append(w);
        }
    }

    QList<PlannedReplay> jobs;
    for (const MissedWindow &w : std::as_const(merged)) {
        // The minute the trouble began is replayed, and the minute it ended (the end is exclusive).
        QDateTime from = std::max(floorMinute(w.from), earliest);
        QDateTime to = std::min(ceilMinute(w.to), latestEnd);
        if (from > latestStart)
            from = latestStart;
        // Nothing of the window is old enough to replay yet: it is for a later plan.
        if (to <= from || to <= floorMinute(w.from))
            continue;
        const qint64 span = rules.recommendedSpanSecs > 0 ? rules.recommendedSpanSecs : from.secsTo(to);
        for (QDateTime start = from; start < to; start = start.addSecs(span)) {
            PlannedReplay job;
            job.webhookId = webhookId;
            job.from = start;
            job.to = std::min(start.addSecs(span), to);
            job.reason = w.reason;
            // Every chunk must itself start far enough in the past: the last one starts earlier,
            // overlapping the one before (a replayed event seen twice is a duplicate, dropped).
            if (job.from > latestStart) {
                job.from = latestStart;
                job.to = to;
                jobs.append(job);
                break;
            }
            jobs.append(job);
        }
    }
    return jobs;
}

void ReplayPlanner::setJobs(const QList<PlannedReplay> &jobs)
{
    m_jobs = jobs;
    m_waiting = false;
}

void ReplayPlanner::run()
{
    m_running = true;
    if (!m_waiting)
        submitNext();
}

void ReplayPlanner::submitNext()
{
    if (!m_running)
        return;
    const auto next = std::find_if(m_jobs.begin(), m_jobs.end(), [](const PlannedReplay &job) {
        return job.state == PlannedReplay::State::Planned;
    });
    if (next == m_jobs.end()) {
        m_running = false;
        return Q_EMIT finished();
    }
    const int index = int(next - m_jobs.begin());
    m_waiting = true;
    m_submit(*next, this, [this, index](const Result<ReplayJob> &result) {
        if (index >= m_jobs.size())
            return;
        PlannedReplay &job = m_jobs[index];
        if (!result && result.error().kind == ApiError::Kind::Conflict && m_conflicts < maxConflictRetries) {
            const std::chrono::milliseconds delay = m_conflictDelay * (1 << m_conflicts++);
            job.detail = tr("X still runs a replay job for this webhook; submitting again in %1 s.")
                             .arg(double(delay.count()) / 1000.0, 0, 'f', 1);
            Q_EMIT jobChanged(index);
            QTimer::singleShot(delay, this, [this] {
                m_waiting = false;
                submitNext();
            });
            return;
        }
        m_conflicts = 0;
        if (!result) {
            job.state = PlannedReplay::State::Failed;
            job.detail = result.error().cause;
            m_waiting = false;
            Q_EMIT jobChanged(index);
            return submitNext();
        }
        job.state = PlannedReplay::State::Submitted;
        job.jobId = result.value().jobId;
        job.detail = tr("Submitted; waiting for X's replay_job_status.");
        Q_EMIT jobChanged(index);
        if (const auto early = m_early.constFind(job.jobId); early != m_early.cend()) {
            const QJsonObject status = *early;
            m_early.erase(early);
            applyStatus(index, status);
        }
    });
}

bool ReplayPlanner::acceptStatus(const QByteArray &body)
{
    const QJsonObject status =
        QJsonDocument::fromJson(body).object().value(QStringLiteral("replay_job_status")).toObject();
    const QString jobId = status.value(QStringLiteral("job_id")).toString();
    if (jobId.isEmpty())
        return false;
    for (int i = 0; i < m_jobs.size(); ++i) {
        if (m_jobs.at(i).jobId == jobId)
            return applyStatus(i, status);
    }
    // A job being submitted may be this one: kept until its answer names it (a few, the newest).
    if (m_waiting) {
        if (m_early.size() >= 16)
            m_early.clear();
        m_early.insert(jobId, status);
    }
    return false;
}

bool ReplayPlanner::applyStatus(int index, const QJsonObject &status)
{
    PlannedReplay &job = m_jobs[index];
    if (job.state != PlannedReplay::State::Submitted)
        return false;
    const bool complete = status.value(QStringLiteral("job_state"))
                              .toString()
                              .compare(QStringLiteral("Complete"), Qt::CaseInsensitive) == 0;
    job.state = complete ? PlannedReplay::State::Complete : PlannedReplay::State::Incomplete;
    job.detail = status.value(QStringLiteral("job_state_description")).toString();
    m_waiting = false;
    Q_EMIT jobChanged(index);
    submitNext();
    return true;
}

void ReplayPlanner::confirm(int index, bool complete)
{
    if (index < 0 || index >= m_jobs.size() || m_jobs.at(index).state != PlannedReplay::State::Submitted)
        return;
    m_jobs[index].state = complete ? PlannedReplay::State::Complete : PlannedReplay::State::Incomplete;
    m_jobs[index].detail = complete ? tr("Confirmed complete.") : tr("Marked incomplete.");
    m_waiting = false;
    Q_EMIT jobChanged(index);
    submitNext();
}

void ReplayPlanner::retry(int index)
{
    if (index < 0 || index >= m_jobs.size())
        return;
    PlannedReplay &job = m_jobs[index];
    if (job.state != PlannedReplay::State::Incomplete && job.state != PlannedReplay::State::Failed)
        return;
    job.state = PlannedReplay::State::Planned;
    job.jobId.clear();
    job.detail.clear();
    Q_EMIT jobChanged(index);
}

} // namespace activity
