#pragma once

// A raw HTTP/1.1 client for the receiver's tests: writes exactly the bytes a test gives and reads
// one answer (status line, headers, Content-Length body), waiting on the event loop (QTest::qWaitFor,
// never a sleep) so a receiver on the same thread keeps running.

#include <QHostAddress>
#include <QTcpSocket>
#include <QtTest>

namespace receivertest {

struct Response
{
    int status = 0; // 0: no whole answer
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

class Client
{
public:
    explicit Client(quint16 port) { m_socket.connectToHost(QHostAddress::LocalHost, port); }
    bool waitConnected()
    {
        return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000);
    }
    QTcpSocket &socket() { return m_socket; }
    void send(const QByteArray &bytes) { m_socket.write(bytes); }

    // The next whole answer, or status 0 after `timeoutMs` or when the connection closed first.
    Response read(int timeoutMs = 5000)
    {
        Response response;
        (void)QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                if (parse(response))
                    return true;
                return m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
        return response;
    }
    // True once the receiver closed the connection.
    bool waitClosed(int timeoutMs = 5000)
    {
        return QTest::qWaitFor(
            [this] {
                m_buffer += m_socket.readAll();
                return m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
    }
    bool nothingReceived()
    {
        m_buffer += m_socket.readAll();
        return m_buffer.isEmpty();
    }

    static QByteArray post(const QByteArray &body, const QByteArray &signature,
                           const QByteArray &path = "/webhook", const QByteArray &extra = {})
    {
        QByteArray request = "POST " + path +
            " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
            "Content-Length: " + QByteArray::number(body.size()) + "\r\n" + extra;
        if (!signature.isNull())
            request += "x-twitter-webhooks-signature: " + signature + "\r\n";
        return request + "\r\n" + body;
    }

private:
    bool parse(Response &response)
    {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        QList<std::pair<QByteArray, QByteArray>> headers;
        qint64 length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
            if (line.left(colon).compare("content-length", Qt::CaseInsensitive) == 0)
                length = line.mid(colon + 1).trimmed().toLongLong();
        }
        if (m_buffer.size() < end + 4 + length)
            return false;
        response.status = lines.first().split(' ').value(1).toInt();
        response.headers = headers;
        response.body = m_buffer.mid(end + 4, length);
        m_buffer.remove(0, end + 4 + length);
        return true;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace receivertest
