// Signed deliveries over raw keep-alive connections: one Sender per connection, each writing a
// request, reading its answer (status line, Content-Length, body) and then writing the next.
//
// Plain non-blocking sockets with a read notifier, not QTcpSocket: the generator shares the cores
// with the receiver it measures, and QTcpSocket spent three syscalls more per request (FIONREAD
// before each read; two wake-ups of the event loop as each write switched its write notifier on and
// off), 17 us of CPU per event in bench_receiver's floor run, more than the receiver itself.

#include "LoadGenerator.h"

#include "Crc.h"

#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace activity::sandbox {

struct LoadGenerator::Sender
{
    int fd = -1;
    // Parented to the generator; replaced (deleteLater) with each new connection, as the old one may
    // be the notifier whose signal is running.
    QSocketNotifier *readable = nullptr;
    QSocketNotifier *writable = nullptr; // while connecting, and while the kernel has not taken a request
    bool connecting = false;
    QByteArray buffer; // received, not yet parsed
    QByteArray unsent; // the request in flight, from `sentUpTo` on not yet taken by the kernel
    qsizetype sentUpTo = 0;
    int inFlight = -1; // the event index awaiting its answer
    qint64 sentAtNs = 0;
    bool closeExpected = false; // the receiver said Connection: close
    bool dead = false;
    bool waitingForSlot = false; // a rate-limited send is scheduled
};

LoadGenerator::LoadGenerator(LoadOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    if (m_options.idPrefix.isEmpty())
        m_options.idPrefix = QString::number(QRandomGenerator::global()->bounded(100000000, 999999999));
    const QString host = m_options.host.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(m_options.host.toString())
        : m_options.host.toString();
    m_hostHeader = QStringLiteral("%1:%2").arg(host).arg(m_options.port).toLatin1();
    m_samples.resize(size_t(qMax(0, m_options.events)));
    for (int i = 0; i < m_options.events; ++i)
        m_samples[size_t(i)].eventId = eventId(m_options.idPrefix, i);
}

LoadGenerator::~LoadGenerator()
{
    for (Sender *sender : m_senders) {
        closeSocket(sender);
        delete sender;
    }
}

QString LoadGenerator::eventId(const QString &prefix, int index)
{
    return prefix + QStringLiteral("%1").arg(index, 9, 10, QLatin1Char('0'));
}

namespace {

QByteArray padded(QByteArray head, const QByteArray &tail, qint64 padTo)
{
    const qint64 missing = padTo - head.size() - tail.size() - 2;
    if (missing > 0)
        head += QByteArray(missing, 'x');
    return head + "\"}" + tail;
}

} // namespace

QByteArray LoadGenerator::xaaBody(const QString &eventUuid, qint64 padTo)
{
    // §4.6's envelope, a post.create of the filtered user.
    const QByteArray head = R"({"data":{"event_uuid":")" + eventUuid.toUtf8() +
        R"(","filter":{"user_id":"1111111111111111111"},"event_type":"post.create","tag":"load",)"
        R"("payload":{"id":")" +
        eventUuid.toUtf8() + R"(","author_id":"1111111111111111111","text":"load test )";
    return padded(head, "}}", padTo);
}

QByteArray LoadGenerator::aaaBody(const QString &favoriteId, qint64 padTo)
{
    // §3.4's envelope: one favorite_events element.
    const QByteArray head = R"({"for_user_id":"2244994945","favorite_events":[{"id":")" +
        favoriteId.toUtf8() +
        R"(","created_at":"Mon May 19 14:01:46 +0000 2025","timestamp_ms":1747663306000,"note":")";
    return padded(head, "]}", padTo);
}

int LoadGenerator::countWithStatus(int status) const
{
    return int(std::count_if(m_samples.begin(), m_samples.end(),
                             [status](const LoadSample &s) { return s.status == status; }));
}

double LoadGenerator::percentileMs(double p, int status) const
{
    std::vector<double> times;
    for (const LoadSample &sample : m_samples) {
        if (sample.status == status && sample.ackMs >= 0)
            times.push_back(sample.ackMs);
    }
    if (times.empty())
        return 0;
    std::sort(times.begin(), times.end());
    const size_t at = std::min(times.size() - 1, size_t(p / 100.0 * double(times.size())));
    return times[at];
}

void LoadGenerator::start()
{
    // Signed before the clock starts, so the figures are the receiver's rather than the sender's
    // HMACs (small bodies only: an oversize run builds each request as it goes).
    if (m_options.bodyBytes <= 4096) {
        m_requests.reserve(m_samples.size());
        for (int i = 0; i < m_options.events; ++i)
            m_requests.push_back(request(i));
    }
    Q_EMIT started();
    m_clock.start();
    const int count = qMax(1, qMin(m_options.connections, qMax(1, m_options.events)));
    for (int i = 0; i < count; ++i) {
        auto *sender = new Sender;
        m_senders.push_back(sender);
        connectSender(sender);
    }
    checkFinished();
}

void LoadGenerator::closeSocket(Sender *sender)
{
    for (QSocketNotifier *notifier : {sender->readable, sender->writable}) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->disconnect();
            notifier->deleteLater();
        }
    }
    sender->readable = sender->writable = nullptr;
    if (sender->fd >= 0)
        ::close(sender->fd);
    sender->fd = -1;
    sender->connecting = false;
    sender->unsent.clear();
    sender->sentUpTo = 0;
}

void LoadGenerator::connectSender(Sender *sender)
{
    closeSocket(sender);
    sender->buffer.clear();
    sender->closeExpected = false;
    sockaddr_storage address {};
    socklen_t length = 0;
    if (m_options.host.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&address);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(m_options.port);
        const Q_IPV6ADDR bytes = m_options.host.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &bytes, sizeof bytes);
        length = sizeof(sockaddr_in6);
    } else {
        auto *in4 = reinterpret_cast<sockaddr_in *>(&address);
        in4->sin_family = AF_INET;
        in4->sin_port = htons(m_options.port);
        in4->sin_addr.s_addr = htonl(m_options.host.toIPv4Address());
        length = sizeof(sockaddr_in);
    }
    sender->fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (sender->fd < 0)
        return onClosed(sender);
    const int one = 1;
    ::setsockopt(sender->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); // each request is one write
    sender->readable = new QSocketNotifier(qintptr(sender->fd), QSocketNotifier::Read, this);
    sender->writable = new QSocketNotifier(qintptr(sender->fd), QSocketNotifier::Write, this);
    connect(sender->readable, &QSocketNotifier::activated, this, [this, sender] { onReadable(sender); });
    connect(sender->writable, &QSocketNotifier::activated, this, [this, sender] { onWritable(sender); });
    if (::connect(sender->fd, reinterpret_cast<const sockaddr *>(&address), length) == 0) {
        sender->writable->setEnabled(false);
        return sendNext(sender);
    }
    if (errno != EINPROGRESS)
        return onClosed(sender);
    sender->connecting = true; // the write notifier says when it is done
    sender->readable->setEnabled(false);
}

void LoadGenerator::onWritable(Sender *sender)
{
    if (sender->connecting) {
        int error = 0;
        socklen_t size = sizeof error;
        if (::getsockopt(sender->fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0)
            return onClosed(sender);
        sender->connecting = false;
        sender->readable->setEnabled(true);
        sender->writable->setEnabled(false);
        return sendNext(sender);
    }
    flush(sender);
}

void LoadGenerator::sendNext(Sender *sender)
{
    if (sender->dead || sender->inFlight >= 0 || sender->waitingForSlot)
        return;
    if (m_next >= m_options.events) {
        sender->dead = true; // nothing left: this connection is done
        closeSocket(sender);
        checkFinished();
        return;
    }
    const int index = m_next++;
    if (m_options.ratePerSecond > 0) {
        const qint64 dueNs = qint64(double(index) * 1e9 / m_options.ratePerSecond);
        const qint64 waitNs = dueNs - m_clock.nsecsElapsed();
        if (waitNs > 1000000) {
            sender->waitingForSlot = true;
            QTimer::singleShot(int(waitNs / 1000000), this, [this, sender, index] {
                sender->waitingForSlot = false;
                write(sender, index);
            });
            return;
        }
    }
    write(sender, index);
}

QByteArray LoadGenerator::request(int index) const
{
    const QString &id = m_samples[size_t(index)].eventId;
    const QByteArray body = m_options.body == LoadOptions::Body::Xaa ? xaaBody(id, m_options.bodyBytes)
                                                                     : aaaBody(id, m_options.bodyBytes);
    QByteArray request = "POST " + m_options.path.toUtf8() + " HTTP/1.1\r\nHost: " + m_hostHeader +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    switch (m_options.signature) {
    case LoadOptions::Signature::Valid:
        request += "x-twitter-webhooks-signature: " + crc::signature(m_options.consumerSecret, body) + "\r\n";
        break;
    case LoadOptions::Signature::Wrong:
        request += "x-twitter-webhooks-signature: " +
            crc::signature(m_options.consumerSecret, QByteArray(body + ' ')) + "\r\n";
        break;
    case LoadOptions::Signature::Missing:
        break;
    }
    return request + "\r\n" + body;
}

void LoadGenerator::write(Sender *sender, int index)
{
    if (sender->fd < 0 || sender->connecting)
        return; // the connection failed while this request waited for its slot: it stays unanswered
    sender->unsent =
        size_t(index) < m_requests.size() ? std::exchange(m_requests[size_t(index)], {}) : request(index);
    sender->sentUpTo = 0;
    sender->inFlight = index;
    sender->sentAtNs = m_clock.nsecsElapsed();
    flush(sender);
}

void LoadGenerator::flush(Sender *sender)
{
    while (sender->sentUpTo < sender->unsent.size()) {
        const ssize_t n = ::send(sender->fd, sender->unsent.constData() + sender->sentUpTo,
                                 size_t(sender->unsent.size() - sender->sentUpTo), MSG_NOSIGNAL);
        if (n > 0) {
            sender->sentUpTo += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            sender->writable->setEnabled(true); // the rest when the kernel has room
            return;
        } else {
            // The receiver is gone or stopped reading for good (an answer that closes, a refused
            // body): what it answered, or its close, comes through the read side.
            break;
        }
    }
    sender->unsent.clear();
    sender->sentUpTo = 0;
    sender->writable->setEnabled(false);
}

void LoadGenerator::onReadable(Sender *sender)
{
    // One read per notification: the notifier fires again while more is waiting.
    char chunk[16384];
    const ssize_t n = ::recv(sender->fd, chunk, sizeof chunk, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0)
        return onClosed(sender); // closed by the receiver, or reset
    sender->buffer.append(chunk, n);
    readAnswers(sender);
}

void LoadGenerator::readAnswers(Sender *sender)
{
    for (;;) {
        const qsizetype end = sender->buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        // Read in place (views, no copies): the generator shares the CPU with the receiver it measures.
        const QByteArrayView head = QByteArrayView(sender->buffer).first(end);
        qsizetype lineEnd = head.indexOf('\n');
        const QByteArrayView statusLine = head.first(lineEnd < 0 ? head.size() : lineEnd).trimmed();
        const qsizetype space = statusLine.indexOf(' ');
        const int status = space < 0 ? 0
                                     : statusLine.sliced(space + 1)
                                           .first(std::min<qsizetype>(3, statusLine.size() - space - 1))
                                           .toInt();
        qint64 length = 0;
        bool close = false;
        while (lineEnd >= 0) {
            const qsizetype from = lineEnd + 1;
            lineEnd = head.indexOf('\n', from);
            const QByteArrayView line =
                head.sliced(from, (lineEnd < 0 ? head.size() : lineEnd) - from).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArrayView name = line.first(colon).trimmed();
            const QByteArrayView value = line.sliced(colon + 1).trimmed();
            if (name.compare("content-length", Qt::CaseInsensitive) == 0)
                length = value.toLongLong();
            else if (name.compare("connection", Qt::CaseInsensitive) == 0 &&
                     value.toByteArray().toLower().contains("close"))
                close = true;
        }
        if (sender->buffer.size() < end + 4 + length)
            return;
        sender->buffer.remove(0, end + 4 + length);
        if (status == 100)
            continue; // an interim answer
        const int index = sender->inFlight;
        sender->inFlight = -1;
        if (index >= 0) {
            LoadSample &sample = m_samples[size_t(index)];
            sample.status = status;
            sample.ackMs = double(m_clock.nsecsElapsed() - sender->sentAtNs) / 1e6;
            ++m_answered;
            Q_EMIT answered(index, status);
        }
        if (close) {
            sender->closeExpected = true;
            if (m_next < m_options.events) {
                connectSender(sender); // the receiver closes: a new connection for the next one
            } else {
                sender->dead = true;
                closeSocket(sender);
            }
            checkFinished();
            return;
        }
        sendSoon(sender);
    }
}

void LoadGenerator::sendSoon(Sender *sender)
{
    // Once every ready answer of this round of the event loop is read, as QTcpSocket's buffered
    // writes did: the receiver finds the next requests together, as it would from many senders,
    // rather than being woken for each one as it is written.
    m_sendSoon.push_back(sender);
    if (m_sendSoon.size() == 1)
        QMetaObject::invokeMethod(this, &LoadGenerator::sendQueued, Qt::QueuedConnection);
}

void LoadGenerator::sendQueued()
{
    const std::vector<Sender *> senders = std::exchange(m_sendSoon, {});
    for (Sender *sender : senders)
        sendNext(sender);
}

void LoadGenerator::onClosed(Sender *sender)
{
    closeSocket(sender);
    if (sender->dead)
        return checkFinished();
    // A request in flight got no answer (status stays 0); a failing receiver ends this connection.
    sender->inFlight = -1;
    sender->dead = true;
    checkFinished();
}

void LoadGenerator::checkFinished()
{
    if (m_finished)
        return;
    for (const Sender *sender : m_senders) {
        if (!sender->dead)
            return;
    }
    m_finished = true;
    m_elapsedNs = m_clock.nsecsElapsed();
    Q_EMIT finished();
}

} // namespace activity::sandbox
