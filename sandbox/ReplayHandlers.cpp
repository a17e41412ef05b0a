// Replay: v1.1's account-activity replay, v2's POST /2/webhooks/replay, the retired v2 path, and
// the replay jobs themselves (re-sending what was delivered in a window, then the job status).

#include "ReplayHandlers.h"

#include <QTimer>

namespace activity::sandbox {

ReplayHandlers::ReplayHandlers(const SandboxParts &parts)
    : HandlerGroup(parts)
{
}

void ReplayHandlers::registerRoutes()
{
    using G = ReplayHandlers;
    m_router.addApi(Operation::ReplayAccountActivity, ApiGeneration::V1_1, AuthNeed::AppOnly,
                    handler(&G::replayAccountActivity));
    m_router
        .addApi(Operation::ReplayWebhooks, ApiGeneration::V2, AuthNeed::AppOnly, handler(&G::replayWebhooks))
        .flags = JsonBody;
    // Retired on 2026-03-25, so not in the catalogue: answers 404 whatever the credential, as a
    // removed path does.
    m_router.addLocal("POST", QStringLiteral("/2/account_activity/replay/webhooks/([^/]+)/subscriptions/all"),
                      RouteFamily::V2, AuthNeed::None, handler(&G::retiredReplay));
}

namespace {

// yyyymmddhhmm (UTC, minute granularity); invalid QDateTime when it does not parse.
QDateTime parseReplayTime(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9]{12}$"));
    if (!pattern.match(text).hasMatch())
        return {};
    const QDate date(text.mid(0, 4).toInt(), text.mid(4, 2).toInt(), text.mid(6, 2).toInt());
    const QTime time(text.mid(8, 2).toInt(), text.mid(10, 2).toInt());
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
}

QDateTime floorToMinute(const QDateTime &t)
{
    const QDateTime utc = t.toUTC();
    return QDateTime(utc.date(), QTime(utc.time().hour(), utc.time().minute()), Qt::UTC);
}

} // namespace

void ReplayHandlers::replayAccountActivity(const ExchangePtr &ex)
{
    // v1.1 Enterprise replay (account-activity-api.md §5): query dates, codes 355-368.
    WebhookRecord *w = ownWebhook(ex, ex->capture(1));
    if (!w)
        return;
    const QString fromText = ex->queryValue(QStringLiteral("from_date"));
    const QString toText = ex->queryValue(QStringLiteral("to_date"));
    const QDateTime from = parseReplayTime(fromText);
    const QDateTime to = parseReplayTime(toText);
    const QDateTime current = m_world.now();

    std::optional<Reply> refusal;
    const auto bad = [](int code, const QString &message) { return v1Error(400, code, message); };
    if (fromText.isEmpty())
        refusal = bad(357, QStringLiteral("from_date is required."));
    else if (toText.isEmpty())
        refusal = bad(357, QStringLiteral("to_date is required."));
    else if (!from.isValid())
        refusal = bad(358, QStringLiteral("Unable to parse from_date."));
    else if (!to.isValid())
        refusal = bad(358, QStringLiteral("Unable to parse to_date."));
    else if (from >= to)
        refusal = bad(356, QStringLiteral("from_date must be before to_date."));
    else if (from < floorToMinute(current.addDays(-5)))
        refusal = bad(356, QStringLiteral("from_date must be within the past 5 days."));
    else if (from > current.addSecs(-31 * 60))
        refusal = bad(368, QStringLiteral("from_date: [%1] is not in the past.").arg(fromText));
    else if (to > current.addSecs(-10 * 60))
        refusal = bad(368, QStringLiteral("to_date: [%1] is not in the past.").arg(toText));
    else if (!w->valid)
        refusal = v1Error(400, 214, QStringLiteral("Webhook is marked invalid and requires a CRC check."));
    else if (m_world.hasRunningReplay(w->id))
        refusal = v1Error(409, 355, QStringLiteral("A replay job is already in progress for this webhook."));
    if (refusal) {
        answer(ex, *refusal);
        return;
    }

    ReplayRecord job {m_world.newReplayJobId(), w->id, current, true};
    m_world.replayJobs.insert(job.jobId, job);
    answer(ex,
           jsonReply(202,
                     QJsonObject {{QStringLiteral("job_id"), job.jobId},
                                  {QStringLiteral("created_at"), isoTime(job.createdAt, false)}}));
    // from inclusive, to exclusive
    QTimer::singleShot(0, &m_world, [this, job, from, to] { run(job.jobId, job.webhookId, from, to); });
}

void ReplayHandlers::retiredReplay(const ExchangePtr &ex)
{
    // X retired POST /2/account_activity/replay/... on 2026-03-25 (x-api-2026.md §1); what it
    // answers there now is not documented, so the sandbox says "not found" and names the successor.
    answer(
        ex,
        v2Error(404, QString(),
                QStringLiteral("The endpoint POST /2/account_activity/replay/webhooks/{webhook_id}/"
                               "subscriptions/all was retired on 2026-03-25; use POST /2/webhooks/replay."),
                QStringLiteral("resource-not-found"),
                {{QStringLiteral("resource_type"), QStringLiteral("endpoint")}}));
}

void ReplayHandlers::replayWebhooks(const ExchangePtr &ex)
{
    // POST /2/webhooks/replay (x-api-2026.md §1): a JSON body with all three fields, the last
    // 24 hours, the legacy 31- and 10-minute rules, [from, to), one job per webhook.
    const auto bad = [](const QString &detail, const QString &parameter) {
        return v2Error(400, QStringLiteral("QueryParamInvalid"), detail, QStringLiteral("invalid-request"),
                       parameter.isEmpty() ? QJsonObject()
                                           : QJsonObject {{QStringLiteral("parameter"), parameter}});
    };
    if (!ex->header("content-type").toLower().startsWith("application/json")) {
        answer(ex, bad(QStringLiteral("The body must be JSON (Content-Type: application/json)."), QString()));
        return;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(ex->body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        answer(ex,
               bad(QStringLiteral("The body must be a JSON object with webhook_id, from_date and to_date."),
                   QString()));
        return;
    }
    const QJsonObject object = doc.object();
    for (const char *field : {"webhook_id", "from_date", "to_date"}) {
        if (!object.value(QLatin1String(field)).isString()) {
            answer(ex,
                   bad(QStringLiteral("%1 is required and must be a string.").arg(QLatin1String(field)),
                       QLatin1String(field)));
            return;
        }
    }
    const QString webhookId = object.value(QStringLiteral("webhook_id")).toString();
    static const QRegularExpression idPattern(QStringLiteral("^[0-9]{1,19}$"));
    if (!idPattern.match(webhookId).hasMatch()) {
        answer(ex, bad(QStringLiteral("webhook_id must match ^[0-9]{1,19}$."), QStringLiteral("webhook_id")));
        return;
    }
    WebhookRecord *w = ownWebhook(ex, webhookId);
    if (!w)
        return;
    const QString fromText = object.value(QStringLiteral("from_date")).toString();
    const QString toText = object.value(QStringLiteral("to_date")).toString();
    const QDateTime from = parseReplayTime(fromText);
    const QDateTime to = parseReplayTime(toText);
    const QDateTime current = m_world.now();
    std::optional<Reply> refusal;
    if (!from.isValid())
        refusal = bad(QStringLiteral("from_date must be a UTC time written yyyymmddhhmm."),
                      QStringLiteral("from_date"));
    else if (!to.isValid())
        refusal = bad(QStringLiteral("to_date must be a UTC time written yyyymmddhhmm."),
                      QStringLiteral("to_date"));
    else if (from >= to)
        refusal = bad(QStringLiteral("from_date must be before to_date."), QStringLiteral("from_date"));
    else if (from > current || to > current)
        refusal = bad(QStringLiteral("from_date and to_date must not be in the future."),
                      QStringLiteral("to_date"));
    else if (from < floorToMinute(current.addSecs(-24 * 3600)))
        refusal =
            bad(QStringLiteral("from_date must be within the past 24 hours."), QStringLiteral("from_date"));
    else if (from > current.addSecs(-31 * 60))
        refusal =
            bad(QStringLiteral("from_date: [%1] must be at least 31 minutes in the past.").arg(fromText),
                QStringLiteral("from_date"));
    else if (to > current.addSecs(-10 * 60))
        refusal = bad(QStringLiteral("to_date: [%1] must be at least 10 minutes in the past.").arg(toText),
                      QStringLiteral("to_date"));
    else if (!w->valid)
        refusal = v2Error(400, QStringLiteral("CrcValidationFailed"),
                          QStringLiteral("The webhook is marked invalid and requires a CRC check."));
    else if (m_world.hasRunningReplay(w->id))
        refusal = v2Error(409, QStringLiteral("ReplayConflictError"),
                          QStringLiteral("A replay job is already in progress for this webhook."));
    if (refusal) {
        answer(ex, *refusal);
        return;
    }
    ReplayRecord job {m_world.newReplayJobId(), w->id, current, true};
    m_world.replayJobs.insert(job.jobId, job);
    answer(ex,
           dataReply(QJsonObject {{QStringLiteral("job_id"), job.jobId},
                                  {QStringLiteral("created_at"), isoTime(job.createdAt, true)}}));
    // [from, to): the reading the reference recommends for the emulator.
    QTimer::singleShot(0, &m_world, [this, job, from, to] { run(job.jobId, job.webhookId, from, to); });
}

void ReplayHandlers::run(const QString &jobId, const QString &webhookId, const QDateTime &from,
                         const QDateTime &to)
{
    // Events delivered (or attempted) to this webhook in [from, to), oldest first, each once.
    QList<DeliveryRecord> window;
    QSet<QString> seen;
    for (const DeliveryRecord &record : m_world.deliveries()) {
        if (record.webhookId != webhookId || !record.replayJobId.isEmpty() || record.forUserId.isEmpty())
            continue;
        if (record.eventTime < from || record.eventTime >= to || seen.contains(record.eventId))
            continue;
        seen.insert(record.eventId);
        window.append(record);
    }
    std::stable_sort(window.begin(), window.end(), [](const DeliveryRecord &a, const DeliveryRecord &b) {
        return a.eventTime < b.eventTime;
    });

    struct Progress
    {
        QList<DeliveryRecord> queue;
        int failures = 0;
        std::function<void()> next;
    };
    auto progress = std::make_shared<Progress>();
    progress->queue = window;
    // `next` holds its Progress weakly: only the delivery in flight keeps the job alive, so a server
    // destroyed mid-replay (its replies aborted, their callbacks dropped) frees it too.
    progress->next = [this, weakProgress = std::weak_ptr<Progress>(progress), jobId, webhookId] {
        const std::shared_ptr<Progress> progress = weakProgress.lock();
        if (!progress)
            return;
        if (!progress->queue.isEmpty()) {
            DeliveryRecord record = progress->queue.takeFirst();
            record.replayJobId = jobId;
            record.httpStatus = 0;
            record.delivered = false;
            m_courier.post(record, [this, progress](const DeliveryRecord &outcome) {
                if (!outcome.delivered)
                    ++progress->failures;
                QTimer::singleShot(0, &m_world, [progress] { progress->next(); });
            });
            return;
        }
        const bool complete = progress->failures == 0;
        const QJsonObject status {
            {QStringLiteral("replay_job_status"),
             QJsonObject {{QStringLiteral("webhook_id"), webhookId},
                          {QStringLiteral("job_state"),
                           complete ? QStringLiteral("Complete") : QStringLiteral("Incomplete")},
                          {QStringLiteral("job_state_description"),
                           complete ? QStringLiteral("Job completed successfully")
                                    : QStringLiteral(
                                          "Job failed to deliver all events, please retry your replay job")},
                          {QStringLiteral("job_id"), jobId}}}};
        DeliveryRecord record;
        record.eventId = QStringLiteral("replay-") + jobId;
        record.eventTime = m_world.now();
        record.webhookId = webhookId;
        record.eventKey = QStringLiteral("replay_job_status");
        record.body = QJsonDocument(status).toJson(QJsonDocument::Compact);
        record.replayJobId = jobId;
        m_courier.post(record, [this, progress, jobId, webhookId, complete](const DeliveryRecord &) {
            progress->next = nullptr; // breaks the self-reference
            m_world.reportReplayFinished(jobId, webhookId, complete); // frees the webhook's slot
        });
    };
    progress->next();
}

} // namespace activity::sandbox
