#include "EventForwarder.h"

#include "Crc.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <memory>

namespace activity {

namespace {

const QByteArray signatureHeader = QByteArrayLiteral("x-twitter-webhooks-signature");
const QByteArray eventIdHeader = QByteArrayLiteral("x-activity-console-event-id");

// Headers that belong to the hop the event came over, or that must not travel on: the connection
// is a new one, the length is recomputed, and credentials never leave (the store has none anyway).
bool isDropped(const QByteArray &lowerName)
{
    static const QList<QByteArray> dropped {
        "host",   "content-length", "connection", "keep-alive",          "transfer-encoding",
        "te",     "trailer",        "upgrade",    "proxy-authorization", "authorization",
        "cookie", "set-cookie",     "expect",     "accept-encoding"};
    return dropped.contains(lowerName) || lowerName == signatureHeader || lowerName == eventIdHeader;
}

} // namespace

EventForwarder::EventForwarder(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
}

QString EventForwarder::checkTarget(const QUrl &target)
{
    if (!target.isValid() || target.host().isEmpty())
        return tr("The forward address is not a URL. Type one such as http://127.0.0.1:3000/webhooks.");
    const QString scheme = target.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return tr("The forward address must start with http:// or https:// (for example "
                  "http://127.0.0.1:3000/webhooks).");
    return {};
}

QList<std::pair<QByteArray, QByteArray>> EventForwarder::forwardHeaders(const ForwardRequest &request)
{
    QList<std::pair<QByteArray, QByteArray>> headers;
    bool hasContentType = false;
    for (const auto &[name, value] : request.headers) {
        const QByteArray lower = name.toLower();
        if (isDropped(lower))
            continue;
        hasContentType = hasContentType || lower == "content-type";
        headers.append({lower, value});
    }
    if (!hasContentType)
        headers.append({QByteArrayLiteral("content-type"), QByteArrayLiteral("application/json")});
    if (!request.consumerSecret.isEmpty())
        headers.append({signatureHeader, crc::signature(request.consumerSecret, request.body)});
    if (!request.eventId.isEmpty())
        headers.append({eventIdHeader, request.eventId.toUtf8()});
    return headers;
}

void EventForwarder::forward(const ForwardRequest &request, std::function<void(const ForwardResult &)> done)
{
    if (const QString problem = checkTarget(request.target); !problem.isEmpty()) {
        done(ForwardResult {0, 0, problem});
        return;
    }
    QNetworkRequest http(request.target);
    for (const auto &[name, value] : forwardHeaders(request))
        http.setRawHeader(name, value);
    // A forward is one attempt: a redirect would re-post the body somewhere the user did not name.
    http.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    http.setTransferTimeout(request.timeoutMs);

    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    ++m_inFlight;
    QNetworkReply *reply = m_network->post(http, request.body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, clock, done = std::move(done)] {
        reply->deleteLater();
        --m_inFlight;
        ForwardResult result;
        result.durationMs = clock->elapsed();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (status.isValid()) {
            result.httpStatus = status.toInt();
        } else if (reply->error() == QNetworkReply::OperationCanceledError) {
            result.error = tr("No answer within the time limit: the program took too long.");
        } else if (reply->error() == QNetworkReply::ConnectionRefusedError) {
            result.error =
                tr("Connection refused: is the program listening on %1?").arg(reply->url().authority());
        } else {
            result.error = reply->errorString();
        }
        done(result);
    });
}

} // namespace activity
