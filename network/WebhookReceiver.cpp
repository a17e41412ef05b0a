// The webhook receiver: one Connection per TCP connection, each a small HTTP/1.1 state machine
// (head, body, waiting for the sink's ack, closing).

#include "WebhookReceiver.h"

#include "Crc.h"

#include <QAbstractEventDispatcher>
#include <QBasicTimer>
#include <QDateTime>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimerEvent>
#include <QUrlQuery>
#include <QVarLengthArray>

#include <atomic>
#include <mutex>

#include <sys/socket.h>

namespace activity {

namespace receiver {

// Lets an ack from any thread reach the receiver only while it exists: the destructor clears the
// pointer under the mutex, and an event posted before that is dropped with the object.
//
// Acks queue here. While the receiver's thread is busy it answers them where its event loop's pass
// ends (WebhookReceiver::passOver), and nothing wakes it; only while it may be waiting (from the
// dispatcher's aboutToBlock to its awake) does an ack post a call that answers all that queued
// since. A wake-up of the receiver's thread, and a round of its event loop over every connection,
// cost more than the work of answering.
struct Lifeline
{
    struct PendingAck
    {
        quint64 connectionId = 0;
        quint64 request = 0;
        bool stored = false;
    };

    std::mutex mutex;
    WebhookReceiver *receiver = nullptr;
    std::vector<PendingAck> acks;
    // True unless the receiver's thread is inside a pass that ends in passOver(): until those hooks
    // are connected, and from aboutToBlock on, every first ack since a drain posts one.
    bool mayWait = true;
    bool drainPosted = false;

    void push(std::span<const PendingAck> answers)
    {
        std::lock_guard lock(mutex);
        if (!receiver)
            return;
        acks.insert(acks.end(), answers.begin(), answers.end());
        if (mayWait)
            postDrain();
    }

    // The receiver's thread is about to wait (true) or awake in a pass that ends in passOver().
    void setMayWait(bool value)
    {
        std::lock_guard lock(mutex);
        mayWait = value;
        if (mayWait && !acks.empty())
            postDrain(); // queued after the last drain: answered before the thread sleeps
    }

    // The receiver's thread only. The queue and the taken list swap, keeping their capacity: the
    // writer's thread queues without allocating a block that this thread would free.
    const std::vector<PendingAck> &take()
    {
        taken.clear();
        std::lock_guard lock(mutex);
        acks.swap(taken);
        drainPosted = false;
        return taken;
    }
    std::vector<PendingAck> taken;

private:
    void postDrain() // under the mutex
    {
        if (drainPosted)
            return;
        drainPosted = true;
        WebhookReceiver *target = receiver;
        QMetaObject::invokeMethod(
            target, [target] { target->drainAcks(); }, Qt::QueuedConnection);
    }
};

namespace {

constexpr auto lingerMs = 2000; // after an answer that closes: time for the client to read it

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

bool hasToken(const QByteArray &value, QByteArrayView token)
{
    for (const QByteArray &part : value.split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

class Connection : public QObject
{
public:
    Connection(WebhookReceiver *owner, QTcpSocket *socket, quint64 id)
        : QObject(owner)
        , m_owner(owner)
        , m_socket(socket)
        , m_id(id)
        , m_peer(QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort()))
    {
        socket->setParent(this);
        // Qt stops reading from the kernel when this is full: a fast sender waits in TCP, not in RAM.
        socket->setReadBufferSize(256 * 1024);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); // answers are one small write
        connect(socket, &QTcpSocket::readyRead, this, &Connection::process);
        connect(socket, &QTcpSocket::bytesWritten, this, &Connection::onBytesWritten);
        connect(socket, &QTcpSocket::disconnected, this, [this] { m_owner->forget(m_id); });
        m_timer.start(int(m_owner->m_options.idleTimeout.count()), this);
    }

    // The sink's error is not passed on: the sink reports it, the answer carries no detail.
    void acked(quint64 request, bool stored)
    {
        if (m_state != State::Waiting || request != m_request)
            return; // answered already (the deadline), or another request
        respond(stored ? 200 : 500, {}, {}); // restarts the timer as the idle one
        // Out now, not in another round of the event loop: acks come in a pass of their own.
        m_socket->flush();
        process();
    }

protected:
    void timerEvent(QTimerEvent *event) override
    {
        if (event->timerId() != m_timer.timerId())
            return;
        m_timer.stop();
        if (m_state == State::Waiting) {
            // No ack in time: 503 so X retries; a late ack finds another request number.
            respond(503, "{\"error\":\"not acknowledged in time\"}", "application/json");
            process();
        } else if (m_state == State::Closing || (m_state == State::Head && m_buffer.isEmpty())) {
            m_socket->abort(); // idle, or the client did not close after our last answer
        } else {
            fail(408); // a request that did not arrive whole in time
        }
    }

private:
    enum class State { Head, Body, Waiting, Closing };

    void process()
    {
        while (m_state == State::Head || m_state == State::Body) {
            if (m_state == State::Head && !readHead())
                return;
            if (m_state == State::Body && !readBody())
                return;
        }
        if (m_state == State::Closing)
            m_socket->readAll(); // discarded: the answer is on its way and the connection closes
    }

    // True when the head is complete and parsed (state Body, or Closing on an error).
    bool readHead()
    {
        const qint64 cap = m_owner->m_options.maxHeaderBytes;
        if (m_buffer.size() <= cap) {
            // What is there, not the cap: read(cap) would allocate 16 KiB per request.
            const qint64 available = qMin<qint64>(m_socket->bytesAvailable(), cap + 4 - m_buffer.size());
            if (available > 0)
                m_buffer += m_socket->read(available);
        }
        while (m_buffer.startsWith("\r\n"))
            m_buffer.remove(0, 2); // empty lines before a request line are allowed (RFC 9112 2.2)
        if (!m_buffer.isEmpty() && m_timerIsIdle) {
            m_timer.start(int(m_owner->m_options.requestTimeout.count()), this);
            m_timerIsIdle = false;
        }
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0 || end + 4 > cap) {
            if (m_buffer.size() > cap)
                fail(431);
            return false;
        }
        const QByteArray head = m_buffer.left(end);
        m_buffer.remove(0, end + 4);
        if (!parseHead(head))
            return false;
        m_state = State::Body;
        return true;
    }

    bool parseHead(const QByteArray &head)
    {
        const QList<QByteArray> lines = head.split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        if (requestLine.size() != 3 || !isToken(requestLine.at(0)) || !requestLine.at(1).startsWith('/') ||
            (requestLine.at(2) != "HTTP/1.1" && requestLine.at(2) != "HTTP/1.0"))
            return fail(400);
        m_method = requestLine.at(0);
        m_target = requestLine.at(1);
        const bool http11 = requestLine.at(2) == "HTTP/1.1";
        m_keepAlive = http11;
        m_headers.clear();
        std::optional<qint64> length;
        bool expectContinue = false;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            QByteArray line = lines.at(i);
            if (i + 1 < lines.size()) { // the head ends before the last line's CRLF
                if (!line.endsWith('\r'))
                    return fail(400); // a bare LF
                line.chop(1);
            }
            if (line.contains('\r'))
                return fail(400);
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0 || !isToken(QByteArrayView(line).first(colon)))
                return fail(400); // no name, whitespace before the colon, or obsolete line folding
            const QByteArray name = line.left(colon);
            const QByteArray value = line.mid(colon + 1).trimmed();
            const QByteArray lower = name.toLower();
            if (lower == "transfer-encoding")
                return fail(411); // chunked bodies are not taken: X sends Content-Length
            if (lower == "content-length") {
                bool ok = false;
                const qint64 n = value.toLongLong(&ok);
                if (!ok || n < 0 || value.startsWith('+') || (length && *length != n))
                    return fail(400);
                length = n;
            } else if (lower == "connection") {
                if (hasToken(value, "close"))
                    m_keepAlive = false;
                else if (hasToken(value, "keep-alive"))
                    m_keepAlive = true;
            } else if (lower == "expect") {
                expectContinue = value.compare("100-continue", Qt::CaseInsensitive) == 0;
            }
            m_headers.append({name, value});
        }
        m_length = length.value_or(0);
        if (m_length > m_owner->m_options.maxBodyBytes)
            return fail(413); // before a byte of the body is read
        m_body.clear();
        m_body.reserve(m_length);
        if (expectContinue && m_length > 0 && http11)
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        return true;
    }

    bool readBody()
    {
        const qint64 missing = m_length - m_body.size();
        if (missing > 0 && !m_buffer.isEmpty()) {
            const qsizetype take = qsizetype(qMin<qint64>(missing, m_buffer.size()));
            m_body += QByteArrayView(m_buffer).first(take);
            m_buffer.remove(0, take);
        }
        if (m_length > m_body.size())
            m_body += m_socket->read(m_length - m_body.size());
        if (m_length > m_body.size())
            return false;
        handle();
        return true;
    }

    void handle()
    {
        const qsizetype question = m_target.indexOf('?');
        const QByteArray path = question < 0 ? m_target : m_target.left(question);
        const QByteArray query = question < 0 ? QByteArray() : m_target.mid(question + 1);
        const WebhookReceiverOptions &options = m_owner->m_options;
        const bool samePath = path.contains('%')
            ? QString::fromUtf8(QByteArray::fromPercentEncoding(path)) == options.path
            : path == m_owner->m_pathBytes;
        if (!samePath)
            return respond(404, {}, {});
        if (m_method == "GET")
            return answerCrc(query);
        if (m_method != "POST")
            return respond(405, {}, {}, "Allow: GET, POST\r\n");
        if (options.floor)
            return respond(200, {}, {});

        QByteArray signature;
        bool found = false;
        for (const auto &[name, value] : std::as_const(m_headers)) {
            if (name.compare("x-twitter-webhooks-signature", Qt::CaseInsensitive) == 0) {
                signature = value;
                found = true;
                break;
            }
        }
        if (!found)
            return reject(QStringLiteral("no x-twitter-webhooks-signature header"));
        if (!m_owner->m_verifier.verify(m_body, signature))
            return reject(QStringLiteral("the x-twitter-webhooks-signature does not match the body"));
        if (!m_owner->m_sink)
            return respond(503, {}, {});

        m_state = State::Waiting;
        m_timer.start(int(options.ackDeadline.count()), this); // now the ack's deadline
        const quint64 request = ++m_request;
        ReceivedDelivery delivery;
        // Shared, not moved: this copy is let go here once the answer is out (respond()), so the
        // body's memory goes back to this thread's allocator, not the store writer's. Freed by the
        // writer, each block took glibc's arena lock on both threads.
        delivery.body = m_body;
        delivery.headers = std::exchange(m_headers, {});
        delivery.peer = m_peer;
        delivery.receivedAtMs = nowMs();
        m_owner->sink(std::move(delivery), WebhookReceiver::Ack(m_owner->m_lifeline, m_id, request));
    }

    void answerCrc(const QByteArray &query)
    {
        const QString token = QUrlQuery(QString::fromUtf8(query))
                                  .queryItemValue(QStringLiteral("crc_token"), QUrl::FullyDecoded);
        CrcCheck check {nowMs(), m_peer, false};
        if (token.isEmpty()) {
            respond(400, "{\"error\":\"crc_token missing\"}", "application/json");
        } else if (m_owner->m_secret.isEmpty()) {
            respond(503, {}, {});
        } else {
            check.ok = true;
            respond(200, crc::responseBody(m_owner->m_secret, token.toUtf8()), "application/json");
        }
        m_owner->m_lastCrc = check;
        Q_EMIT m_owner->crcAnswered(check);
    }

    void reject(const QString &reason)
    {
        RejectedDelivery rejected;
        rejected.atMs = nowMs();
        rejected.peer = m_peer;
        rejected.path = m_owner->m_options.path;
        rejected.status = 401;
        rejected.reason = reason;
        rejected.bodySize = m_body.size();
        m_body.clear(); // the body goes nowhere
        respond(401, {}, {});
        Q_EMIT m_owner->deliveryRejected(rejected);
    }

    // An answer after which the connection cannot go on (the request's end is unknown): closes.
    bool fail(int status)
    {
        m_keepAlive = false;
        respond(status, {}, {});
        return false;
    }

    void respond(int status, const QByteArray &body, const QByteArray &contentType,
                 const QByteArray &extra = {})
    {
        QByteArray answer = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
        if (!contentType.isEmpty())
            answer += "Content-Type: " + contentType + "\r\nCache-Control: no-store\r\n";
        answer += extra;
        answer += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        if (!m_keepAlive)
            answer += "Connection: close\r\n";
        answer += "\r\n" + body;
        send(answer);
        ++m_owner->m_answered;
        m_body.clear();
        m_headers.clear();
        if (!m_keepAlive) {
            m_state = State::Closing;
            m_timer.start(lingerMs, this);
            m_buffer.clear();
            return;
        }
        m_state = State::Head;
        m_timer.start(int(m_owner->m_options.idleTimeout.count()), this);
        m_timerIsIdle = true;
    }

    // A kept-alive connection's answer goes straight to the kernel when Qt holds nothing for it:
    // QTcpSocket::write() arms its write notifier and disarms it a round of the event loop later,
    // two changes to the dispatcher's poll list and two wake-ups of this thread per answer. What
    // the kernel does not take, and a closing connection's answer (onBytesWritten), go through Qt.
    void send(const QByteArray &answer)
    {
        qsizetype sent = 0;
        if (m_keepAlive && m_socket->bytesToWrite() == 0 &&
            m_socket->state() == QAbstractSocket::ConnectedState) {
            const ssize_t n = ::send(int(m_socket->socketDescriptor()), answer.constData(),
                                     size_t(answer.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
            sent = n > 0 ? qsizetype(n) : 0; // an error shows again in Qt's own write, and is reported there
        }
        if (sent < answer.size())
            m_socket->write(answer.constData() + sent, answer.size() - sent);
    }

    void onBytesWritten()
    {
        // A lingering close: our side ends once the answer is out, and what the client still sends
        // is read and dropped until it closes, so its kernel does not turn the answer into a reset.
        if (m_state == State::Closing && m_socket->bytesToWrite() == 0 && !m_shutDown) {
            m_shutDown = true;
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
        }
    }

    WebhookReceiver *m_owner;
    QTcpSocket *m_socket;
    quint64 m_id;
    QString m_peer;
    State m_state = State::Head;
    QByteArray m_buffer; // received, not yet parsed
    QByteArray m_method;
    QByteArray m_target;
    QList<std::pair<QByteArray, QByteArray>> m_headers;
    qint64 m_length = 0;
    QByteArray m_body;
    bool m_keepAlive = true;
    bool m_shutDown = false;
    quint64 m_request = 0;
    // One timer per connection, by state: idle or request timeout (Head, Body), the ack's deadline
    // (Waiting), linger (Closing).
    QBasicTimer m_timer;
    bool m_timerIsIdle = true;
};

} // namespace receiver

WebhookReceiver::WebhookReceiver(QByteArray consumerSecret, WebhookReceiverOptions options, QObject *parent)
    : QObject(parent)
    , m_secret(std::move(consumerSecret))
    , m_verifier(m_secret)
    , m_options(std::move(options))
    , m_server(new QTcpServer(this))
    , m_lifeline(std::make_shared<receiver::Lifeline>())
{
    qRegisterMetaType<CrcCheck>();
    qRegisterMetaType<RejectedDelivery>();
    m_lifeline->receiver = this;
    m_pathBytes = m_options.path.toUtf8();
    m_server->setMaxPendingConnections(m_options.maxConnections);
    connect(m_server, &QTcpServer::newConnection, this, &WebhookReceiver::onNewConnection);
}

WebhookReceiver::~WebhookReceiver()
{
    std::lock_guard lock(m_lifeline->mutex);
    m_lifeline->receiver = nullptr;
}

std::optional<QString> WebhookReceiver::listen(const QHostAddress &address, quint16 port)
{
    if (address.isNull())
        return tr("The listen address is not an IP address (use e.g. 127.0.0.1, ::1 or 0.0.0.0).");
    if (m_server->listen(address, port))
        return std::nullopt;
    const QString where = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]:%2").arg(address.toString()).arg(port)
        : QStringLiteral("%1:%2").arg(address.toString()).arg(port);
    switch (m_server->serverError()) {
    case QAbstractSocket::AddressInUseError:
        return tr("Cannot listen on %1: the port is in use by another program.").arg(where);
    case QAbstractSocket::SocketAddressNotAvailableError:
        return tr("Cannot listen on %1: the address is not one of this computer's.").arg(where);
    case QAbstractSocket::SocketAccessError:
        return tr("Cannot listen on %1: no permission (ports below 1024 need privileges).").arg(where);
    default:
        return tr("Cannot listen on %1: %2.").arg(where, m_server->errorString());
    }
}

void WebhookReceiver::close()
{
    m_server->close();
    const auto connections = m_connections.values();
    m_connections.clear();
    for (receiver::Connection *connection : connections)
        delete connection;
}

bool WebhookReceiver::isListening() const
{
    return m_server->isListening();
}

QHostAddress WebhookReceiver::address() const
{
    return m_server->serverAddress();
}

quint16 WebhookReceiver::port() const
{
    return m_server->serverPort();
}

std::optional<std::pair<QHostAddress, quint16>> WebhookReceiver::parseAddress(const QString &text)
{
    QString host = QStringLiteral("127.0.0.1");
    QString port = text.trimmed();
    if (port.startsWith(QLatin1Char('['))) {
        const qsizetype close = port.indexOf(QLatin1String("]:"));
        if (close < 0)
            return std::nullopt;
        host = port.mid(1, close - 1);
        port = port.mid(close + 2);
    } else if (const qsizetype colon = port.lastIndexOf(QLatin1Char(':')); colon >= 0) {
        host = port.left(colon);
        port = port.mid(colon + 1);
    }
    bool ok = false;
    const uint number = port.toUInt(&ok);
    const QHostAddress address(host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : host);
    if (!ok || number > 65535 || address.isNull())
        return std::nullopt;
    return std::pair {address, quint16(number)};
}

QString WebhookReceiver::url() const
{
    const QHostAddress host = address();
    const QString name = host.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(host.toString())
        : host.toString();
    return QStringLiteral("http://%1:%2%3").arg(name).arg(port()).arg(m_options.path);
}

void WebhookReceiver::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_connections.size() >= m_options.maxConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        const quint64 id = m_nextConnectionId++;
        m_connections.insert(id, new receiver::Connection(this, socket, id));
    }
}

void WebhookReceiver::setSink(Sink sink, std::function<void()> passEnded)
{
    m_sink = std::move(sink);
    m_passEnded = std::move(passEnded);
    m_passHasDeliveries = false;
}

void WebhookReceiver::sink(ReceivedDelivery delivery, Ack ack)
{
    if (!m_passHasDeliveries) {
        m_passHasDeliveries = true;
        watchDispatcher();
    }
    m_sink(std::move(delivery), std::move(ack));
}

void WebhookReceiver::watchDispatcher()
{
    // Every dispatcher emits aboutToBlock() before it waits and awake() after a pass (or as
    // processEvents() starts one); connected on the thread the deliveries come on.
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance(QThread::currentThread());
    if (dispatcher == m_dispatcher)
        return;
    if (m_dispatcher)
        m_dispatcher->disconnect(this);
    m_dispatcher = dispatcher;
    m_lifeline->setMayWait(true); // until this dispatcher's first awake()
    if (!dispatcher)
        return;
    connect(
        dispatcher, &QAbstractEventDispatcher::awake, this,
        [this] {
            m_lifeline->setMayWait(false);
            passOver();
        },
        Qt::DirectConnection);
    connect(
        dispatcher, &QAbstractEventDispatcher::aboutToBlock, this,
        [this] {
            passOver();
            m_lifeline->setMayWait(true);
        },
        Qt::DirectConnection);
}

void WebhookReceiver::passOver()
{
    drainAcks(); // first: answering reads on, which may bring this pass more deliveries
    if (!m_passHasDeliveries)
        return;
    m_passHasDeliveries = false;
    if (m_passEnded)
        m_passEnded();
}

void WebhookReceiver::Ack::operator()(bool stored, const QString &) const
{
    // A second call of the same ack finds the request answered (acked() checks the number).
    answerAll(std::span(this, 1), std::span(&stored, 1));
}

void WebhookReceiver::Ack::answerAll(std::span<const Ack> acks, std::span<const bool> stored)
{
    for (std::size_t from = 0; from < acks.size();) {
        const std::shared_ptr<receiver::Lifeline> &lifeline = acks[from].m_lifeline;
        QVarLengthArray<receiver::Lifeline::PendingAck, 64> answers;
        std::size_t to = from;
        for (; to < acks.size() && acks[to].m_lifeline == lifeline; ++to)
            answers.append({acks[to].m_connectionId, acks[to].m_request, to < stored.size() && stored[to]});
        if (lifeline)
            lifeline->push(std::span(answers.constData(), std::size_t(answers.size())));
        from = to;
    }
}

void WebhookReceiver::drainAcks()
{
    for (const receiver::Lifeline::PendingAck &ack : m_lifeline->take()) {
        // The connection may have closed while the sink worked: then nobody is left to answer.
        if (receiver::Connection *connection = m_connections.value(ack.connectionId))
            connection->acked(ack.request, ack.stored);
    }
}

void WebhookReceiver::forget(quint64 connectionId)
{
    if (receiver::Connection *connection = m_connections.take(connectionId))
        connection->deleteLater();
}

} // namespace activity
