// Outgoing traffic, all asynchronous: CRC GETs and signed event POSTs to webhooks on loopback.

#include "Courier.h"

#include "Crc.h"
#include "OAuth1.h"
#include "SandboxDemo.h"
#include "Validation.h"
#include "World.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

namespace activity::sandbox {

Courier::Courier(World &world, QObject *parent)
    : QObject(parent)
    , m_world(world)
    , m_nam(new QNetworkAccessManager(this))
{
    // CRC calls and deliveries go to loopback receivers only; a system proxy must not see them.
    m_nam->setProxy(QNetworkProxy::NoProxy);
}

Courier::~Courier()
{
    abortAll();
}

void Courier::abortAll()
{
    // Calls still in flight must not call back into a half-destroyed server: silence, then abort.
    const auto replies = m_nam->findChildren<QNetworkReply *>();
    for (QNetworkReply *reply : replies) {
        QObject::disconnect(reply, nullptr, nullptr, nullptr);
        reply->abort();
    }
}

// ---------------------------------------------------------------------------------------------
// CRC

namespace {

const QString crcNon200 =
    QStringLiteral("Non-200 response code during CRC GET request (i.e. 404, 500, etc).");
const QString crcBadToken =
    QStringLiteral("Webhook URL does not meet the requirements. Invalid CRC token or json response format.");
const QString crcLatency =
    QStringLiteral("High latency on CRC GET request. Your webhook should respond in less than 3 seconds.");

// Calls done(reply, timedOut) once `reply` finished, aborting after `timeout`.
void sendWithTimeout(QNetworkReply *reply, std::chrono::milliseconds timeout,
                     const std::function<void(QNetworkReply *, bool)> &done)
{
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

void Courier::checkCrc(const QByteArray &consumerSecret, const QString &url,
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
    const auto timeout = m_world.settings.crcTimeout;
    QNetworkReply *reply = m_nam->get(request);
    sendWithTimeout(
        reply, timeout, [done, consumerSecret, token, timeout](QNetworkReply *reply, bool timedOut) {
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
// Signed POSTs

QByteArray Courier::secretForWebhook(const QString &webhookId) const
{
    const auto it = m_world.webhooks.find(webhookId);
    return m_world.consumerSecretOf(it == m_world.webhooks.end() ? demo::appId : it->second.appId);
}

void Courier::post(DeliveryRecord record, const std::function<void(const DeliveryRecord &)> &done)
{
    record.at = m_world.now();
    const auto it = m_world.webhooks.find(record.webhookId);
    const QString url = it == m_world.webhooks.end() ? QString() : m_world.webhookUrl(it->second);
    const auto store = [this, done](const DeliveryRecord &outcome) {
        m_world.recordDelivery(outcome);
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
    QNetworkReply *reply = m_nam->post(request, record.body);
    sendWithTimeout(reply, m_world.settings.deliveryTimeout, [store, record](QNetworkReply *reply, bool) {
        DeliveryRecord outcome = record;
        outcome.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        outcome.delivered = outcome.httpStatus >= 200 && outcome.httpStatus < 300;
        store(outcome);
    });
}

} // namespace activity::sandbox
