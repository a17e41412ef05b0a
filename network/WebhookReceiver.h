#pragma once

#include "Crc.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <utility>

class QAbstractEventDispatcher;
class QTcpServer;

namespace activity {

namespace receiver {
class Connection;
struct Lifeline;
} // namespace receiver

// What the receiver found of a delivery's x-twitter-webhooks-signature. Only Valid deliveries reach
// the sink; the others are answered 401 (fail closed).
enum class SignatureCheck { Valid, Invalid, Missing };

// One verified delivery, as it reaches the sink.
struct ReceivedDelivery
{
    QByteArray body; // the raw bytes the signature covers
    QList<std::pair<QByteArray, QByteArray>> headers; // every header, names as sent
    QString peer; // "address:port"
    qint64 receivedAtMs = 0; // UTC ms since the epoch
    SignatureCheck verdict = SignatureCheck::Valid;
};

// A delivery refused before the sink: never the body, only what it was.
struct RejectedDelivery
{
    qint64 atMs = 0;
    QString peer;
    QString path;
    int status = 401;
    QString reason; // a sentence
    qint64 bodySize = 0;
};

// One answered challenge-response check.
struct CrcCheck
{
    qint64 atMs = 0;
    QString peer;
    bool ok = false; // answered 200 with a response token
};

struct WebhookReceiverOptions
{
    QString path = QStringLiteral("/webhook"); // the one path served; others are 404
    qint64 maxBodyBytes = 1024 * 1024; // larger: 413, the body is not read
    qint64 maxHeaderBytes = 16 * 1024; // request line and headers; larger: 431
    // No ack by then: 503, so X retries (X waits 10 s).
    std::chrono::milliseconds ackDeadline = std::chrono::milliseconds(9000);
    // A request that does not arrive whole in this time, or a connection idle this long, is closed.
    std::chrono::milliseconds requestTimeout = std::chrono::milliseconds(10000);
    std::chrono::milliseconds idleTimeout = std::chrono::milliseconds(60000);
    int maxConnections = 1024;
    // Benchmarks only: every POST to the path is answered 200 at once, unverified and unstored.
    bool floor = false;
};

// The webhook end of X's deliveries (x-api-2026.md §3): a small HTTP/1.1 server on QTcpServer, so a
// body's size is checked before it is buffered and the answer can wait for the store.
//
// GET PATH?crc_token=T answers the CRC with the consumer secret. POST PATH checks the signature over
// the raw body in constant time (401 without it or with a wrong one) and hands a valid delivery to
// the sink; 200 only once the sink's ack(true) arrives, 500 on ack(false), 503 at the deadline.
// Keep-alive, Content-Length bodies only (Transfer-Encoding: 411). One request per connection at a
// time: pipelined requests wait in the socket until the previous one is answered.
//
// Everything runs on the thread the receiver lives in (it may be moved to a thread of its own
// before listen()); ack may be called from any thread, once, even after the receiver is gone.
// Nothing here logs a body or a secret.
class WebhookReceiver : public QObject
{
    Q_OBJECT
public:
    // The answer to one delivery: call it once, from any thread, even after the receiver is gone
    // (then, or a second time, it does nothing). A small value, not a std::function: under load a
    // delivery's closures were allocated on the receiver's thread and freed on the store's.
    class Ack
    {
    public:
        Ack() = default; // answers nothing
        void operator()(bool stored, const QString &error = {}) const;
        // acks[i] as acks[i](stored[i]), with one lock and at most one wake-up of the receiver for
        // those of the same receiver: what a sink that stores deliveries in groups calls once a
        // group is durable.
        static void answerAll(std::span<const Ack> acks, std::span<const bool> stored);

    private:
        friend class receiver::Connection;
        Ack(std::shared_ptr<receiver::Lifeline> lifeline, quint64 connectionId, quint64 request)
            : m_lifeline(std::move(lifeline))
            , m_connectionId(connectionId)
            , m_request(request)
        {
        }
        std::shared_ptr<receiver::Lifeline> m_lifeline;
        quint64 m_connectionId = 0;
        quint64 m_request = 0;
    };
    using Sink = std::function<void(ReceivedDelivery delivery, Ack ack)>;

    explicit WebhookReceiver(QByteArray consumerSecret, WebhookReceiverOptions options = {},
                             QObject *parent = nullptr);
    ~WebhookReceiver() override;

    // Called on the receiver's thread for each valid delivery. Without a sink: 503.
    // `passEnded`, if given, runs on that thread once the event loop's pass that gave the sink
    // deliveries is over, before the loop waits or runs again: a sink that collects a pass's
    // deliveries hands them on together there, without an event posted to itself (each costs the
    // loop another round over every connection).
    void setSink(Sink sink, std::function<void()> passEnded = {});

    // A sentence on failure (address not on this computer, port in use, no permission). Port 0: any.
    std::optional<QString> listen(const QHostAddress &address, quint16 port);
    void close();
    bool isListening() const;
    QHostAddress address() const;
    quint16 port() const;
    // "ADDR:PORT", "[IPV6]:PORT", "localhost:PORT" or a port alone (127.0.0.1); nullopt when it is
    // none of those (the console's and activity-cli's address fields).
    static std::optional<std::pair<QHostAddress, quint16>> parseAddress(const QString &text);
    // http://ADDRESS:PORT/PATH
    QString url() const;
    const WebhookReceiverOptions &options() const { return m_options; }

    std::optional<CrcCheck> lastCrc() const { return m_lastCrc; }
    int openConnections() const { return int(m_connections.size()); }
    // Requests answered so far (every status).
    qint64 answered() const { return m_answered; }

Q_SIGNALS:
    void crcAnswered(const activity::CrcCheck &check);
    void deliveryRejected(const activity::RejectedDelivery &rejected);

private:
    friend class receiver::Connection;
    friend struct receiver::Lifeline;
    void onNewConnection();
    void drainAcks(); // the acks queued in the lifeline, on this object's thread
    void sink(ReceivedDelivery delivery, Ack ack);
    // The dispatcher of the thread the deliveries come on: its awake() and aboutToBlock() end a pass.
    void watchDispatcher();
    void passOver(); // a pass of the event loop ends: the acks queued since, then passEnded
    void forget(quint64 connectionId);

    QByteArray m_secret;
    crc::SignatureVerifier m_verifier; // m_secret's, for every delivery
    WebhookReceiverOptions m_options;
    QByteArray m_pathBytes; // options.path as UTF-8, compared with each request's
    Sink m_sink;
    std::function<void()> m_passEnded;
    bool m_passHasDeliveries = false;
    QPointer<QAbstractEventDispatcher> m_dispatcher; // watchDispatcher()'s
    QTcpServer *m_server;
    QHash<quint64, receiver::Connection *> m_connections;
    quint64 m_nextConnectionId = 1;
    qint64 m_answered = 0;
    std::optional<CrcCheck> m_lastCrc;
    std::shared_ptr<receiver::Lifeline> m_lifeline;
};

} // namespace activity

Q_DECLARE_METATYPE(activity::CrcCheck)
Q_DECLARE_METATYPE(activity::RejectedDelivery)
