#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <utility>

class QNetworkAccessManager;
class QNetworkReply;

namespace activity {

// What forwarding one event re-posts: the body exactly as received, the headers it came with,
// and the consumer secret that re-signs it so the local program checks it as in production.
struct ForwardRequest
{
    QUrl target;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers; // as received (or as stored); may be empty
    QByteArray consumerSecret; // empty: the delivery goes unsigned (the program will refuse it)
    QString eventId; // sent as X-Activity-Console-Event-Id, so the program can tell resends apart
    int timeoutMs = 10000; // X's own answer limit for a delivery
};

struct ForwardResult
{
    int httpStatus = 0; // 0: no HTTP answer
    qint64 durationMs = 0;
    QString error; // empty when an HTTP answer came (whatever its status)

    bool delivered() const { return error.isEmpty() && httpStatus >= 200 && httpStatus < 300; }
};

// Re-posts stored events to a program under development (`stripe listen --forward-to` for X):
// one POST per call, the result (status, duration, or why there was none) to `done` once.
// TLS is verified as everywhere else; a plain http target is what local programs usually are.
class EventForwarder : public QObject
{
    Q_OBJECT
public:
    explicit EventForwarder(QNetworkAccessManager *network, QObject *parent = nullptr);

    // An http(s) URL with a host; else the sentence that says what to type instead.
    static QString checkTarget(const QUrl &target);
    // The headers the forward carries: the received ones without hop-by-hop headers, Host,
    // Content-Length, credentials and the old signature; then Content-Type (when missing), the new
    // x-twitter-webhooks-signature and X-Activity-Console-Event-Id.
    static QList<std::pair<QByteArray, QByteArray>> forwardHeaders(const ForwardRequest &request);

    void forward(const ForwardRequest &request, std::function<void(const ForwardResult &)> done);
    int inFlight() const { return m_inFlight; }

private:
    QNetworkAccessManager *m_network;
    int m_inFlight = 0;
};

} // namespace activity
