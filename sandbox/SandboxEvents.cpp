// Outgoing traffic, all asynchronous: CRC GETs, event POSTs, replay jobs; and the demo receiver
// that answers the sandbox's own CRC and records what it is sent.

#include "SandboxServer.h"

#include "Crc.h"
#include "SandboxDemo.h"
#include "SandboxInternal.h"
#include "Validation.h"

#include <QLocale>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

namespace activity::sandbox {

// ---------------------------------------------------------------------------------------------
// CRC

namespace {

const QString crcNon200 =
    QStringLiteral("Non-200 response code during CRC GET request (i.e. 404, 500, etc).");
const QString crcBadToken =
    QStringLiteral("Webhook URL does not meet the requirements. Invalid CRC token or json response format.");
const QString crcLatency =
    QStringLiteral("High latency on CRC GET request. Your webhook should respond in less than 3 seconds.");

// Sends `request` and calls done(reply, timedOut) once, aborting after `timeout`.
void sendWithTimeout(QNetworkAccessManager *nam, QNetworkReply *reply, std::chrono::milliseconds timeout,
                     const std::function<void(QNetworkReply *, bool)> &done)
{
    Q_UNUSED(nam);
    auto timedOut = std::make_shared<bool>(false);
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, reply, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    timer->start(timeout);
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, timedOut, done] {
        done(reply, *timedOut);
        reply->deleteLater();
    });
}

} // namespace

void SandboxServer::runCrc(const QByteArray &consumerSecret, const QString &url,
                           const std::function<void(bool, QString, QString)> &done)
{
    QUrl target(url);
    if (!validate::isLoopbackAddress(target.host())) {
        // Nothing leaves the machine: the sandbox calls receivers on loopback only.
        QTimer::singleShot(0, this, [done, host = target.host()] {
            done(false, crcNon200,
                 QStringLiteral(
                     "The sandbox only calls webhooks on a loopback address (127.0.0.1, ::1); %1 was not "
                     "contacted.")
                     .arg(host));
        });
        return;
    }
    const QByteArray token = oauth1::generateNonce();
    const QByteArray nonce = oauth1::generateNonce();
    QUrlQuery query(target);
    query.addQueryItem(QStringLiteral("crc_token"), QString::fromLatin1(token));
    query.addQueryItem(QStringLiteral("nonce"), QString::fromLatin1(nonce));
    target.setQuery(query);

    QNetworkRequest request(target);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader(
        QByteArrayLiteral("x-twitter-webhooks-signature"),
        crc::signature(consumerSecret, QByteArray("crc_token=" + token + "&nonce=" + nonce)));
    const auto timeout = m_state->crcTimeout;
    QNetworkReply *reply = m_state->nam->get(request);
    sendWithTimeout(
        m_state->nam, reply, timeout,
        [done, consumerSecret, token, timeout](QNetworkReply *reply, bool timedOut) {
            if (timedOut) {
                done(false, crcLatency,
                     QStringLiteral("The webhook did not answer the CRC GET within %1 ms.")
                         .arg(timeout.count()));
                return;
            }
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 0) {
                done(false, crcNon200,
                     QStringLiteral("The CRC GET got no HTTP answer: %1.").arg(reply->errorString()));
                return;
            }
            if (status != 200) {
                done(false, crcNon200,
                     QStringLiteral("The webhook answered the CRC GET with HTTP %1, not 200.").arg(status));
                return;
            }
            const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll());
            const QJsonValue answer = doc.object().value(QStringLiteral("response_token"));
            if (!doc.isObject() || !answer.isString()) {
                done(false, crcBadToken,
                     QStringLiteral("The CRC answer was not JSON with a response_token string."));
                return;
            }
            if (!crc::constantTimeEquals(answer.toString().toLatin1(),
                                         crc::responseToken(consumerSecret, token))) {
                done(false, crcBadToken, QStringLiteral("The CRC answer held a wrong response_token."));
                return;
            }
            done(true, {}, {});
        });
}

// ---------------------------------------------------------------------------------------------
// Deliveries

QByteArray SandboxServer::secretForWebhook(const QString &webhookId) const
{
    const auto it = m_state->webhooks.find(webhookId);
    const QString appId = it == m_state->webhooks.end() ? demo::appId : it->second.appId;
    return m_state->apps.value(appId).consumerSecret;
}

void SandboxServer::post(DeliveryRecord record, const std::function<void(const DeliveryRecord &)> &done)
{
    record.at = now();
    const auto it = m_state->webhooks.find(record.webhookId);
    const QString url = it == m_state->webhooks.end() ? QString() : webhookUrl(it->second);
    const auto store = [this, done](const DeliveryRecord &outcome) {
        appendBounded(m_state->deliveries, outcome, m_state->limits.deliveries);
        Q_EMIT eventDelivered(outcome);
        if (done)
            done(outcome);
    };
    const QUrl target(url);
    if (url.isEmpty() || !validate::isLoopbackAddress(target.host())) {
        // The webhook is gone, or it is not on this machine: recorded as attempted, not delivered.
        QTimer::singleShot(0, this, [store, record] { store(record); });
        return;
    }
    QNetworkRequest request(target);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader(QByteArrayLiteral("x-twitter-webhooks-signature"),
                         crc::signature(secretForWebhook(record.webhookId), record.body));
    QNetworkReply *reply = m_state->nam->post(request, record.body);
    sendWithTimeout(
        m_state->nam, reply, m_state->deliveryTimeout, [store, record](QNetworkReply *reply, bool) {
            DeliveryRecord outcome = record;
            outcome.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            outcome.delivered = outcome.httpStatus >= 200 && outcome.httpStatus < 300;
            store(outcome);
        });
}

namespace {

QJsonObject userObject(const User &user)
{
    return QJsonObject {{QStringLiteral("id_str"), user.id},
                        {QStringLiteral("name"), user.name},
                        {QStringLiteral("screen_name"), user.username}};
}

QString twitterTime(const QDateTime &utc)
{
    return QLocale::c().toString(utc.toUTC(), QStringLiteral("ddd MMM dd HH:mm:ss +0000 yyyy"));
}

// A plausible event array of `eventKey` (reference §8) where `other` acts on `subject`.
QJsonObject syntheticEvent(const QString &eventKey, const User &subject, const User &other, qint64 eventId,
                           const QDateTime &at)
{
    const QString ms = QString::number(at.toMSecsSinceEpoch());
    const QString id = QString::number(eventId);
    QJsonObject body;
    QJsonObject item;
    if (eventKey == QLatin1String("favorite_events")) {
        item = {{QStringLiteral("id"), QString::number(eventId, 16)},
                {QStringLiteral("created_at"), twitterTime(at)},
                {QStringLiteral("timestamp_ms"), at.toMSecsSinceEpoch()},
                {QStringLiteral("favorited_status"),
                 QJsonObject {{QStringLiteral("id_str"), id},
                              {QStringLiteral("text"),
                               QStringLiteral("A post by %1 in the sandbox").arg(subject.name)},
                              {QStringLiteral("user"), userObject(subject)}}},
                {QStringLiteral("user"), userObject(other)}};
    } else if (eventKey == QLatin1String("follow_events") || eventKey == QLatin1String("block_events") ||
               eventKey == QLatin1String("mute_events")) {
        const QString type = eventKey.left(eventKey.indexOf(QLatin1Char('_')));
        item = {{QStringLiteral("type"), type},
                {QStringLiteral("created_timestamp"), ms},
                {QStringLiteral("source"), userObject(other)},
                {QStringLiteral("target"), userObject(subject)}};
    } else if (eventKey == QLatin1String("direct_message_events")) {
        item = {{QStringLiteral("type"), QStringLiteral("message_create")},
                {QStringLiteral("id"), id},
                {QStringLiteral("created_timestamp"), ms},
                {QStringLiteral("message_create"),
                 QJsonObject {
                     {QStringLiteral("target"), QJsonObject {{QStringLiteral("recipient_id"), subject.id}}},
                     {QStringLiteral("sender_id"), other.id},
                     {QStringLiteral("message_data"),
                      QJsonObject {{QStringLiteral("text"), QStringLiteral("Hello from the sandbox")},
                                   {QStringLiteral("entities"),
                                    QJsonObject {{QStringLiteral("hashtags"), QJsonArray()},
                                                 {QStringLiteral("symbols"), QJsonArray()},
                                                 {QStringLiteral("user_mentions"), QJsonArray()},
                                                 {QStringLiteral("urls"), QJsonArray()}}}}}}}};
        body.insert(QStringLiteral("users"),
                    QJsonObject {{subject.id, userObject(subject)}, {other.id, userObject(other)}});
    } else if (eventKey == QLatin1String("tweet_create_events")) {
        item = {{QStringLiteral("id_str"), id},
                {QStringLiteral("created_at"), twitterTime(at)},
                {QStringLiteral("text"), QStringLiteral("@%1 hello from the sandbox").arg(subject.username)},
                {QStringLiteral("user"), userObject(other)}};
    } else {
        item = {{QStringLiteral("id"), id}, {QStringLiteral("created_timestamp"), ms}};
    }
    body.insert(eventKey, QJsonArray {item});
    return body;
}

} // namespace

int SandboxServer::deliverEvent(const QString &forUserId, const QString &eventKey, const QJsonValue &items)
{
    const auto userIt = m_state->users.constFind(forUserId);
    if (userIt == m_state->users.cend() || eventKey.isEmpty())
        return 0;
    const qint64 eventNumber = m_state->nextEventId++;
    const QDateTime at = now();
    User other = m_state->users.value(demo::ownerUserId);
    if (other.id.isEmpty() || other.id == forUserId)
        other = User {QStringLiteral("2000000000000000099"),
                      QStringLiteral("sandbox_friend"),
                      QStringLiteral("Sandbox Friend"),
                      {}};
    QJsonObject body = syntheticEvent(eventKey, *userIt, other, 1700000000000000000LL + eventNumber, at);
    if (!items.isUndefined() && !items.isNull())
        body.insert(eventKey, items);
    body.insert(QStringLiteral("for_user_id"), forUserId);
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);

    int sent = 0;
    for (const auto &[id, w] : m_state->webhooks) {
        if (!w.valid || !w.subscribers.contains(forUserId))
            continue;
        DeliveryRecord record;
        record.eventId = QString::number(eventNumber);
        record.eventTime = at;
        record.webhookId = id;
        record.forUserId = forUserId;
        record.eventKey = eventKey;
        record.body = json;
        post(record, {});
        ++sent;
    }
    return sent;
}

void SandboxServer::runReplay(const QString &jobId, const QString &webhookId, const QDateTime &from,
                              const QDateTime &to)
{
    // Events delivered (or attempted) to this webhook in [from, to), oldest first, each once.
    QList<DeliveryRecord> window;
    QSet<QString> seen;
    for (const DeliveryRecord &record : std::as_const(m_state->deliveries)) {
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
            post(record, [this, progress](const DeliveryRecord &outcome) {
                if (!outcome.delivered)
                    ++progress->failures;
                QTimer::singleShot(0, this, [progress] { progress->next(); });
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
        record.eventTime = now();
        record.webhookId = webhookId;
        record.eventKey = QStringLiteral("replay_job_status");
        record.body = QJsonDocument(status).toJson(QJsonDocument::Compact);
        record.replayJobId = jobId;
        post(record, [this, progress, jobId, webhookId, complete](const DeliveryRecord &) {
            auto it = m_state->replayJobs.find(jobId);
            if (it != m_state->replayJobs.end())
                it->running = false; // the slot frees once the status was posted
            progress->next = nullptr; // breaks the self-reference
            Q_EMIT replayFinished(jobId, webhookId, complete);
        });
    };
    progress->next();
}

// ---------------------------------------------------------------------------------------------
// The demo receiver and the event trigger

void SandboxServer::handleReceiverGet(const ExchangePtr &ex)
{
    const QByteArray token = ex->queryValue(QStringLiteral("crc_token")).toUtf8();
    if (token.isEmpty()) {
        finish(
            ex,
            textReply(
                400, QStringLiteral("This is the sandbox's demo webhook receiver; it expects a crc_token.")));
        return;
    }
    Reply reply;
    reply.contentType = QByteArrayLiteral("application/json; charset=utf-8");
    reply.body = crc::responseBody(demo::consumerSecret, token);
    finish(ex, reply);
}

void SandboxServer::handleReceiverPost(const ExchangePtr &ex)
{
    ReceivedEvent event;
    event.receiverName = ex->capture(1);
    event.at = now();
    event.signatureValid = crc::verifySignature(
        demo::consumerSecret, ex->body, ex->header(QByteArrayLiteral("x-twitter-webhooks-signature")));
    if (!event.signatureValid) {
        // Not from X (here: the sandbox's own deliveries): refused and not kept, like a real receiver.
        finish(ex, textReply(401, QStringLiteral("Bad signature.")));
        return;
    }
    event.body = ex->body;
    appendBounded(m_state->received, event, m_state->limits.receivedEvents);
    Q_EMIT receiverEventReceived(event);
    finish(ex, emptyReply(200));
}

void SandboxServer::handleReceiverEvents(const ExchangePtr &ex)
{
    QJsonArray list;
    for (const ReceivedEvent &event : receivedEvents(ex->capture(1))) {
        list.append(QJsonObject {{QStringLiteral("at"), isoTime(event.at, true)},
                                 {QStringLiteral("signature_valid"), event.signatureValid},
                                 {QStringLiteral("body"), QJsonDocument::fromJson(event.body).object()}});
    }
    finish(ex, jsonReply(200, QJsonDocument(list)));
}

void SandboxServer::handlePostEvents(const ExchangePtr &ex)
{
    const QJsonObject request = QJsonDocument::fromJson(ex->body).object();
    const QString userId = request.value(QStringLiteral("for_user_id")).toString();
    const QString eventKey =
        request.value(QStringLiteral("event")).toString(QStringLiteral("favorite_events"));
    if (userId.isEmpty() || !m_state->users.contains(userId)) {
        finish(ex,
               jsonReply(400,
                         QJsonObject {{QStringLiteral("error"),
                                       QStringLiteral("Send {\"for_user_id\":\"<known user id>\",\"event\":"
                                                      "\"favorite_events\"}.")}}));
        return;
    }
    const int sent = deliverEvent(userId, eventKey, request.value(QStringLiteral("items")));
    finish(ex, jsonReply(200, QJsonObject {{QStringLiteral("delivered_to"), sent}}));
}

} // namespace activity::sandbox
