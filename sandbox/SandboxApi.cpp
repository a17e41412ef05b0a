// The Account Activity endpoints of both generations: webhooks, subscriptions, replay, users.
// Each handler reads the generation from its route and answers in that generation's shapes.

#include "SandboxServer.h"

#include "SandboxInternal.h"
#include "Validation.h"

#include <QTimer>

namespace activity::sandbox {

namespace {

const QString webhookMissing =
    QStringLiteral("Webhook does not exist or is associated with a different twitter application.");
const QString pageMissing = QStringLiteral("Sorry, that page does not exist.");

bool isV2(const ExchangePtr &ex)
{
    return ex->generation() == Generation::V2;
}

Reply dataReply(const QJsonValue &data)
{
    return jsonReply(200, QJsonObject {{QStringLiteral("data"), data}});
}

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

QJsonObject webhookJson(const QString &id, const QString &url, bool valid, const QDateTime &createdAt,
                        bool v2)
{
    return QJsonObject {{QStringLiteral("id"), id},
                        {QStringLiteral("url"), url},
                        {QStringLiteral("valid"), valid},
                        {QStringLiteral("created_at"), isoTime(createdAt, v2)}};
}

// ---------------------------------------------------------------------------------------------
// Webhooks

void SandboxServer::handleListWebhooks(const ExchangePtr &ex)
{
    const bool v2 = isV2(ex);
    QJsonArray list;
    for (const auto &[id, w] : m_state->webhooks) {
        if (w.appId == ex->appId)
            list.append(webhookJson(w.id, webhookUrl(w), w.valid, w.createdAt, v2));
    }
    if (!v2) {
        finish(ex, jsonReply(200, QJsonDocument(list)));
        return;
    }
    finish(ex,
           jsonReply(200,
                     QJsonObject {{QStringLiteral("data"), list},
                                  {QStringLiteral("meta"),
                                   QJsonObject {{QStringLiteral("result_count"), list.size()}}}}));
}

// Why X would refuse this URL (reference §4 "URL requirements"), or nothing when it is acceptable.
static std::optional<QString> urlProblem(const QString &text, bool lenientLoopback)
{
    const QUrl url(text, QUrl::StrictMode);
    if (text.isEmpty() || !url.isValid() || url.isRelative() || url.host().isEmpty())
        return QStringLiteral("The URL is not a valid absolute URL.");
    const QString scheme = url.scheme().toLower();
    if (lenientLoopback && validate::isLoopbackAddress(url.host()) &&
        (scheme == QLatin1String("http") || scheme == QLatin1String("https")))
        return std::nullopt;
    if (scheme != QLatin1String("https"))
        return QStringLiteral("The URL must use https.");
    if (url.port() != -1)
        return QStringLiteral("The URL must not contain a port.");
    if (!QHostAddress(url.host()).isNull() || !url.host().contains(QLatin1Char('.')))
        return QStringLiteral("The URL must use a fully qualified host name, not an IP address.");
    return std::nullopt;
}

void SandboxServer::handleRegisterWebhook(const ExchangePtr &ex)
{
    const bool v2 = isV2(ex);
    QString url;
    if (v2) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(ex->body, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject() ||
            !doc.object().value(QStringLiteral("url")).isString()) {
            finish(ex,
                   v2Error(400, QStringLiteral("UrlValidationFailed"),
                           QStringLiteral("The body must be a JSON object with a \"url\" string.")));
            return;
        }
        url = doc.object().value(QStringLiteral("url")).toString();
        // Spec 2.167: "url" is 1 to 200 characters.
        if (url.size() > 200) {
            finish(
                ex,
                v2Error(
                    400, QStringLiteral("UrlValidationFailed"),
                    QStringLiteral("The url is %1 characters long; at most 200 are allowed.").arg(url.size()),
                    QStringLiteral("invalid-request"),
                    {{QStringLiteral("parameter"), QStringLiteral("url")}}));
            return;
        }
    } else {
        url = QString::fromUtf8(ex->param("url"));
    }

    if (const auto problem = urlProblem(url, m_state->lenientLoopbackUrls)) {
        finish(ex,
               v2 ? v2Error(400, QStringLiteral("UrlValidationFailed"), *problem)
                  : v1Error(403, 214, QStringLiteral("Webhook URL does not meet the requirements.")));
        return;
    }
    // Checked again after the CRC: another registration may have finished meanwhile.
    const auto refusal = [this, url, appId = ex->appId, v2]() -> std::optional<Reply> {
        int count = 0;
        for (const auto &[id, w] : m_state->webhooks) {
            if (w.appId != appId)
                continue;
            ++count;
            if (webhookUrl(w) == url) {
                // v1.1 documents no code for a duplicate URL; 403/214 with this message is the
                // sandbox's choice (undocumented), v2 names it DuplicateUrlFailed.
                return v2
                    ? v2Error(409, QStringLiteral("DuplicateUrlFailed"),
                              QStringLiteral("This app already registered the URL ") + url + QLatin1Char('.'))
                    : v1Error(403, 214, QStringLiteral("Webhook URL already registered."));
            }
        }
        if (count >= m_state->webhookLimit) {
            return v2 ? v2Error(403, QStringLiteral("WebhookLimitExceeded"),
                                QStringLiteral("The app already has %1 webhooks, its limit.").arg(count))
                      : v1Error(403, 214, QStringLiteral("Too many resources already created."));
        }
        return std::nullopt;
    };
    if (const auto reply = refusal()) {
        finish(ex, *reply);
        return;
    }
    const QByteArray secret = m_state->apps.value(ex->appId).consumerSecret;
    runCrc(secret, url, [this, ex, url, v2, refusal](bool ok, const QString &message, const QString &detail) {
        if (!ok) {
            finish(ex,
                   v2 ? v2Error(400, QStringLiteral("CrcValidationFailed"), detail)
                      : v1Error(403, 214, message));
            return;
        }
        if (const auto reply = refusal()) {
            finish(ex, *reply);
            return;
        }
        WebhookRecord w;
        w.id = QString::number(m_state->nextWebhookId++);
        w.appId = ex->appId;
        w.url = url;
        w.valid = true;
        w.createdAt = now();
        m_state->webhooks.insert_or_assign(w.id, w);
        Q_EMIT crcChecked(w.id, true);
        const QJsonObject json = webhookJson(w.id, url, true, w.createdAt, v2);
        finish(ex, v2 ? dataReply(json) : jsonReply(200, json));
    });
}

// The webhook `id` of the caller's app, or nullptr after answering "unknown webhook".
static WebhookRecord *findWebhook(SandboxState &state, const ExchangePtr &ex, const QString &id,
                                  const std::function<void(Reply)> &answer)
{
    const auto it = state.webhooks.find(id);
    if (it == state.webhooks.end() || it->second.appId != ex->appId) {
        answer(ex->generation() == Generation::V2
                   ? v2Error(404, QStringLiteral("WebhookIdInvalid"),
                             QStringLiteral("The webhook id ") + id +
                                 QStringLiteral(" does not exist for this app."))
                   : v1Error(404, 34, webhookMissing));
        return nullptr;
    }
    return &it->second;
}

void SandboxServer::handleValidateWebhook(const ExchangePtr &ex)
{
    const auto answer = [this, ex](Reply reply) { finish(ex, std::move(reply)); };
    WebhookRecord *w = findWebhook(*m_state, ex, ex->capture(1), answer);
    if (!w)
        return;
    const QString id = w->id;
    const bool v2 = isV2(ex);
    runCrc(m_state->apps.value(ex->appId).consumerSecret, webhookUrl(*w),
           [this, ex, id, v2](bool ok, const QString &message, const QString &detail) {
               const auto it = m_state->webhooks.find(id);
               if (it != m_state->webhooks.end())
                   it->second.valid = ok; // a failed check leaves the webhook valid:false
               Q_EMIT crcChecked(id, ok);
               if (!ok) {
                   finish(ex,
                          v2 ? v2Error(400, QStringLiteral("CrcValidationFailed"), detail)
                             : v1Error(403, 214, message));
                   return;
               }
               finish(ex, v2 ? dataReply(QJsonObject {{QStringLiteral("valid"), true}}) : emptyReply(204));
           });
}

void SandboxServer::handleDeleteWebhook(const ExchangePtr &ex)
{
    const auto answer = [this, ex](Reply reply) { finish(ex, std::move(reply)); };
    WebhookRecord *w = findWebhook(*m_state, ex, ex->capture(1), answer);
    if (!w)
        return;
    m_state->webhooks.erase(w->id);
    finish(ex, isV2(ex) ? dataReply(QJsonObject {{QStringLiteral("deleted"), true}}) : emptyReply(204));
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

void SandboxServer::handleSubscribe(const ExchangePtr &ex)
{
    const bool v2 = isV2(ex);
    const auto answer = [this, ex](Reply reply) { finish(ex, std::move(reply)); };
    WebhookRecord *w = findWebhook(*m_state, ex, ex->capture(1), answer);
    if (!w)
        return;
    if (!m_state->accessTokens.value(ex->token).permitsSubscriptions) {
        const QString message = QStringLiteral(
            "Client application is not permitted to access this user's webhook subscriptions.");
        if (v2) {
            finish(ex,
                   v2Error(403, QStringLiteral("Forbidden"), message, QStringLiteral("client-forbidden")));
        } else {
            finish(ex, v1Error(403, 348, message));
        }
        return;
    }
    if (w->subscribers.contains(ex->userId)) {
        finish(ex,
               v2 ? v2Error(409, QStringLiteral("DuplicateSubscriptionFailed"),
                            QStringLiteral("The user is already subscribed to this webhook."))
                  : v1Error(409, 355, QStringLiteral("Subscription already exists.")));
        return;
    }
    int total = 0;
    for (const auto &[id, other] : m_state->webhooks) {
        if (other.appId == ex->appId)
            total += int(other.subscribers.size());
    }
    if (total >= m_state->provisionedSubscriptions) {
        // The v1.1 wording for this case is not documented; the first sentence matches code 214's.
        finish(ex,
               v2 ? v2Error(403, QStringLiteral("SubscriptionLimitExceeded"),
                            QStringLiteral("The account's %1 provisioned subscriptions are used up.")
                                .arg(m_state->provisionedSubscriptions))
                  : v1Error(403, 214,
                            QStringLiteral("Too many resources already created. The provisioned subscription "
                                           "count (%1) is used up.")
                                .arg(m_state->provisionedSubscriptions)));
        return;
    }
    w->subscribers.insert(ex->userId);
    w->subscriberOrder.append(ex->userId);
    finish(ex, v2 ? dataReply(QJsonObject {{QStringLiteral("subscribed"), true}}) : emptyReply(204));
}

void SandboxServer::handleCheckSubscription(const ExchangePtr &ex)
{
    const auto answer = [this, ex](Reply reply) { finish(ex, std::move(reply)); };
    WebhookRecord *w = findWebhook(*m_state, ex, ex->capture(1), answer);
    if (!w)
        return;
    const bool subscribed = w->subscribers.contains(ex->userId);
    if (isV2(ex))
        finish(ex, dataReply(QJsonObject {{QStringLiteral("subscribed"), subscribed}}));
    else
        finish(ex, subscribed ? emptyReply(204) : v1Error(404, 34, pageMissing));
}

static void removeSubscriber(WebhookRecord &w, const QString &userId)
{
    w.subscribers.remove(userId);
    w.subscriberOrder.removeOne(userId);
}

void SandboxServer::handleUnsubscribeSelf(const ExchangePtr &ex)
{
    const auto answer = [this, ex](Reply reply) { finish(ex, std::move(reply)); };
    WebhookRecord *w = findWebhook(*m_state, ex, ex->capture(1), answer);
    if (!w)
        return;
    if (!w->subscribers.contains(ex->userId)) {
        finish(ex, v1Error(404, 34, pageMissing));
        return;
    }
    removeSubscriber(*w, ex->userId);
    finish(ex, emptyReply(204));
}

void SandboxServer::handleUnsubscribeUser(const ExchangePtr &ex)
{
    const bool v2 = isV2(ex);
    const auto answer = [this, ex](Reply reply) { finish(ex, std::move(reply)); };
    WebhookRecord *w = findWebhook(*m_state, ex, ex->capture(1), answer);
    if (!w)
        return;
    const QString userId = ex->capture(2);
    if (!w->subscribers.contains(userId)) {
        finish(ex,
               v2 ? v2Error(404, QStringLiteral("SubscriptionNotFound"),
                            QStringLiteral("User ") + userId +
                                QStringLiteral(" is not subscribed to this webhook."))
                  : v1Error(404, 34, pageMissing));
        return;
    }
    removeSubscriber(*w, userId);
    finish(ex, v2 ? dataReply(QJsonObject {{QStringLiteral("subscribed"), false}}) : emptyReply(204));
}

void SandboxServer::handleSubscriptionCount(const ExchangePtr &ex)
{
    qint64 total = 0;
    for (const auto &[id, w] : m_state->webhooks) {
        if (w.appId == ex->appId)
            total += w.subscribers.size();
    }
    const QJsonObject count {
        {QStringLiteral("account_name"), m_state->apps.value(ex->appId).accountName},
        {QStringLiteral("subscriptions_count_all"), QString::number(total)},
        {QStringLiteral("subscriptions_count_direct_messages"), QStringLiteral("0")},
        {QStringLiteral("provisioned_count"), QString::number(m_state->provisionedSubscriptions)}};
    finish(ex, isV2(ex) ? dataReply(count) : jsonReply(200, count));
}

void SandboxServer::handleSubscriptionList(const ExchangePtr &ex)
{
    const auto answer = [this, ex](Reply reply) { finish(ex, std::move(reply)); };
    WebhookRecord *w = findWebhook(*m_state, ex, ex->capture(1), answer);
    if (!w)
        return;
    QJsonArray subscriptions;
    for (const QString &userId : std::as_const(w->subscriberOrder))
        subscriptions.append(QJsonObject {{QStringLiteral("user_id"), userId}});
    const QJsonObject list {{QStringLiteral("webhook_id"), w->id},
                            {QStringLiteral("webhook_url"), webhookUrl(*w)},
                            {QStringLiteral("application_id"), ex->appId},
                            {QStringLiteral("subscriptions"), subscriptions}};
    finish(ex, isV2(ex) ? dataReply(list) : jsonReply(200, list));
}

// ---------------------------------------------------------------------------------------------
// Replay

void SandboxServer::handleReplay(const ExchangePtr &ex)
{
    // v1.1 Enterprise replay (account-activity-api.md §5): query dates, codes 355-368.
    const auto answer = [this, ex](Reply reply) { finish(ex, std::move(reply)); };
    WebhookRecord *w = findWebhook(*m_state, ex, ex->capture(1), answer);
    if (!w)
        return;
    const QString fromText = ex->queryValue(QStringLiteral("from_date"));
    const QString toText = ex->queryValue(QStringLiteral("to_date"));
    const QDateTime from = parseReplayTime(fromText);
    const QDateTime to = parseReplayTime(toText);
    const QDateTime current = now();

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
    else if (hasRunningReplay(w->id))
        refusal = v1Error(409, 355, QStringLiteral("A replay job is already in progress for this webhook."));
    if (refusal) {
        finish(ex, *refusal);
        return;
    }

    ReplayRecord job {QString::number(m_state->nextJobId++), w->id, current, true};
    m_state->replayJobs.insert(job.jobId, job);
    finish(ex,
           jsonReply(202,
                     QJsonObject {{QStringLiteral("job_id"), job.jobId},
                                  {QStringLiteral("created_at"), isoTime(job.createdAt, false)}}));
    // from inclusive, to exclusive
    QTimer::singleShot(0, this, [this, job, from, to] { runReplay(job.jobId, job.webhookId, from, to); });
}

void SandboxServer::handleRetiredReplay(const ExchangePtr &ex)
{
    // X retired POST /2/account_activity/replay/... on 2026-03-25 (x-api-2026.md §1); what it
    // answers there now is not documented, so the sandbox says "not found" and names the successor.
    finish(
        ex,
        v2Error(404, QString(),
                QStringLiteral("The endpoint POST /2/account_activity/replay/webhooks/{webhook_id}/"
                               "subscriptions/all was retired on 2026-03-25; use POST /2/webhooks/replay."),
                QStringLiteral("resource-not-found"),
                {{QStringLiteral("resource_type"), QStringLiteral("endpoint")}}));
}

void SandboxServer::handleWebhooksReplay(const ExchangePtr &ex)
{
    // POST /2/webhooks/replay (x-api-2026.md §1): a JSON body with all three fields, the last
    // 24 hours, the legacy 31- and 10-minute rules, [from, to), one job per webhook.
    const auto bad = [](const QString &detail, const QString &parameter) {
        return v2Error(400, QStringLiteral("QueryParamInvalid"), detail, QStringLiteral("invalid-request"),
                       parameter.isEmpty() ? QJsonObject()
                                           : QJsonObject {{QStringLiteral("parameter"), parameter}});
    };
    if (!ex->header("content-type").toLower().startsWith("application/json")) {
        finish(ex, bad(QStringLiteral("The body must be JSON (Content-Type: application/json)."), QString()));
        return;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(ex->body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        finish(ex,
               bad(QStringLiteral("The body must be a JSON object with webhook_id, from_date and to_date."),
                   QString()));
        return;
    }
    const QJsonObject object = doc.object();
    for (const char *field : {"webhook_id", "from_date", "to_date"}) {
        if (!object.value(QLatin1String(field)).isString()) {
            finish(ex,
                   bad(QStringLiteral("%1 is required and must be a string.").arg(QLatin1String(field)),
                       QLatin1String(field)));
            return;
        }
    }
    const QString webhookId = object.value(QStringLiteral("webhook_id")).toString();
    static const QRegularExpression idPattern(QStringLiteral("^[0-9]{1,19}$"));
    if (!idPattern.match(webhookId).hasMatch()) {
        finish(ex, bad(QStringLiteral("webhook_id must match ^[0-9]{1,19}$."), QStringLiteral("webhook_id")));
        return;
    }
    const auto answer = [this, ex](Reply reply) { finish(ex, std::move(reply)); };
    WebhookRecord *w = findWebhook(*m_state, ex, webhookId, answer);
    if (!w)
        return;
    const QString fromText = object.value(QStringLiteral("from_date")).toString();
    const QString toText = object.value(QStringLiteral("to_date")).toString();
    const QDateTime from = parseReplayTime(fromText);
    const QDateTime to = parseReplayTime(toText);
    const QDateTime current = now();
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
    else if (hasRunningReplay(w->id))
        refusal = v2Error(409, QStringLiteral("ReplayConflictError"),
                          QStringLiteral("A replay job is already in progress for this webhook."));
    if (refusal) {
        finish(ex, *refusal);
        return;
    }
    ReplayRecord job {QString::number(m_state->nextJobId++), w->id, current, true};
    m_state->replayJobs.insert(job.jobId, job);
    finish(ex,
           dataReply(QJsonObject {{QStringLiteral("job_id"), job.jobId},
                                  {QStringLiteral("created_at"), isoTime(job.createdAt, true)}}));
    // [from, to): the reading the reference recommends for the emulator.
    QTimer::singleShot(0, this, [this, job, from, to] { runReplay(job.jobId, job.webhookId, from, to); });
}

// ---------------------------------------------------------------------------------------------
// Users

static QStringList splitIds(const QByteArray &value)
{
    QStringList ids;
    const auto parts = QString::fromUtf8(value).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &part : parts)
        ids.append(part.trimmed());
    return ids;
}

void SandboxServer::handleUsersLookup(const ExchangePtr &ex)
{
    const QStringList ids = splitIds(ex->param("user_id"));
    const QStringList names = splitIds(ex->param("screen_name"));
    QJsonArray users;
    for (const User &user : std::as_const(m_state->users)) {
        if (!ids.contains(user.id) && !names.contains(user.username, Qt::CaseInsensitive))
            continue;
        users.append(QJsonObject {
            {QStringLiteral("id_str"), user.id},
            {QStringLiteral("screen_name"), user.username},
            {QStringLiteral("name"), user.name},
            {QStringLiteral("profile_image_url_https"),
             QStringLiteral(
                 "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png")}});
    }
    if (users.isEmpty()) {
        finish(ex, v1Error(404, 17, QStringLiteral("No user matches for specified terms.")));
        return;
    }
    finish(ex, jsonReply(200, QJsonDocument(users)));
}

void SandboxServer::handleUsersV2(const ExchangePtr &ex)
{
    const QStringList ids = splitIds(ex->queryValue(QStringLiteral("ids")).toUtf8());
    static const QRegularExpression idPattern(QStringLiteral("^[0-9]{1,19}$"));
    bool wellFormed = !ids.isEmpty() && ids.size() <= 100;
    for (const QString &id : ids)
        wellFormed = wellFormed && idPattern.match(id).hasMatch();
    if (!wellFormed) {
        Reply reply =
            v2Error(400, QStringLiteral("Invalid Request"),
                    QStringLiteral("The `ids` query parameter must hold 1 to 100 numeric user ids."));
        finish(ex, reply);
        return;
    }
    QJsonArray data;
    QJsonArray errors;
    for (const QString &id : ids) {
        const auto it = m_state->users.constFind(id);
        if (it == m_state->users.cend()) {
            errors.append(QJsonObject {
                {QStringLiteral("value"), id},
                {QStringLiteral("detail"), QStringLiteral("Could not find user with ids: [%1].").arg(id)},
                {QStringLiteral("title"), QStringLiteral("Not Found Error")},
                {QStringLiteral("resource_type"), QStringLiteral("user")},
                {QStringLiteral("parameter"), QStringLiteral("ids")},
                {QStringLiteral("resource_id"), id},
                {QStringLiteral("type"), QStringLiteral("https://api.x.com/2/problems/resource-not-found")}});
            continue;
        }
        data.append(QJsonObject {{QStringLiteral("id"), it->id},
                                 {QStringLiteral("name"), it->name},
                                 {QStringLiteral("username"), it->username}});
    }
    QJsonObject body;
    if (!data.isEmpty())
        body.insert(QStringLiteral("data"), data);
    if (!errors.isEmpty())
        body.insert(QStringLiteral("errors"), errors);
    finish(ex, jsonReply(200, body));
}

} // namespace activity::sandbox
