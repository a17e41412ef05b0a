// The X Activity stream client against a scripted server on 127.0.0.1 that writes exactly the bytes
// a test gives it: lines cut anywhere (even between \r and \n), keep-alives, malformed lines, a last
// line without a line end, a connection cut mid-line, and HTTP errors (exponential backoff, and the
// attempt count that starts over once data arrives). What the sandbox, which writes whole lines,
// never does. Nothing sleeps: waits are on signals (QTRY_*).

#include "ActivityStreamClient.h"
#include "ActivityStreamTestSupport.h"

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <memory>

using namespace activity;
using namespace std::chrono_literals;
using State = ActivityStreamClient::State;
using streamtest::Recorder;

namespace {

const QByteArray bearer = "scripted-bearer-token-1234";

// Answers each GET with `status`: 200 starts a chunked answer the test then writes with send(),
// anything else a short JSON body and the end of the connection.
class ScriptedStream
{
public:
    ScriptedStream()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++connections;
                m_socket = socket;
                QObject::connect(socket, &QTcpSocket::readyRead, socket,
                                 [this, socket] { onRequest(socket); });
            }
        });
    }

    QUrl baseUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }
    bool streaming() const { return m_socket && m_streaming; }

    void send(const QByteArray &bytes)
    {
        m_socket->write(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
        m_socket->flush();
    }
    void end()
    {
        m_socket->write("0\r\n\r\n");
        m_socket->disconnectFromHost();
    }
    void cut() { m_socket->abort(); } // mid-answer: no final chunk

    int status = 200;
    int connections = 0;
    QByteArray lastRequest;

private:
    void onRequest(QTcpSocket *socket)
    {
        m_request += socket->readAll();
        if (!m_request.contains("\r\n\r\n"))
            return;
        lastRequest = std::exchange(m_request, {});
        if (status == 200) {
            m_streaming = true;
            socket->write(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            return;
        }
        m_streaming = false;
        const QByteArray body =
            "{\"title\":\"Service Unavailable\",\"detail\":\"Try later.\",\"type\":\"about:blank\"}";
        socket->write("HTTP/1.1 " + QByteArray::number(status) +
                      " Oops\r\nContent-Type: application/json\r\n"
                      "Content-Length: " +
                      QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_request;
    bool m_streaming = false;
};

QByteArray eventLine(const QByteArray &uuid)
{
    return "{\"data\":{\"event_uuid\":\"" + uuid +
        "\",\"event_type\":\"post.create\",\"filter\":{\"user_id\":\"1\"}}}";
}

} // namespace

class TestActivityStreamWire : public QObject
{
    Q_OBJECT

    std::unique_ptr<ScriptedStream> m_server;
    std::unique_ptr<ActivityStreamClient> m_client;
    std::unique_ptr<Recorder> m_recorder;

    void startClient(ActivityStreamConfig config)
    {
        config.baseUrl = m_server->baseUrl();
        config.bearerToken = bearer;
        config.backoff.networkStep = 10ms;
        config.backoff.httpBase = 20ms;
        config.backoff.httpCap = 200ms;
        m_client = std::make_unique<ActivityStreamClient>(config);
        m_recorder->watch(m_client.get());
        m_client->start();
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<ScriptedStream>();
        m_recorder = std::make_unique<Recorder>();
    }
    void cleanup()
    {
        m_client.reset();
        m_recorder.reset();
        m_server.reset();
    }

    void shouldReassembleCutLinesAndGoOnAfterMalformedOnes()
    {
        ActivityStreamConfig bounded;
        bounded.endTime = QDateTime(QDate(2026, 7, 24), QTime(21, 0), Qt::UTC);
        startClient(bounded);
        QTRY_VERIFY(m_server->streaming());
        QTRY_COMPARE(m_recorder->state(), State::Connected);
        // The token goes in the Authorization header, and nowhere else.
        QVERIFY(m_server->lastRequest.contains(QByteArray("\r\nAuthorization: Bearer " + bearer + "\r\n")));
        QVERIFY(m_server->lastRequest.startsWith("GET /2/activity/stream?end_time=2026-07-24T21"));
        QVERIFY(!m_recorder->requests.first().toString().contains(QString::fromLatin1(bearer)));

        const QByteArray first = eventLine("-1");
        m_server->send(first.left(20));
        m_server->send(first.mid(20) + "\r");
        m_server->send("\n\r\n"); // the line end cut between \r and \n, then a keep-alive
        QTRY_COMPARE(m_recorder->events.size(), 1);
        QCOMPARE(m_recorder->events.first().raw, first);
        QCOMPARE(m_recorder->events.first().forUserId, QStringLiteral("1"));

        m_server->send("not json\r\n{\"data\":{}}\r\n\r\n");
        QTRY_COMPARE(m_recorder->malformed.size(), 2);
        QTRY_COMPARE(m_recorder->counters.malformedLines, 2);
        QCOMPARE(m_recorder->state(), State::Connected); // never fatal

        // A last line without a line end, then a clean end: still a line.
        const QByteArray last = eventLine("0f52b591-3c1e-4a43-9b0c-0a6b3c1f2e11");
        m_server->send(last);
        m_server->end();
        QTRY_COMPARE(m_recorder->state(), State::Ended);
        QCOMPARE(
            m_recorder->uuids(),
            (QStringList {QStringLiteral("-1"), QStringLiteral("0f52b591-3c1e-4a43-9b0c-0a6b3c1f2e11")}));
        QCOMPARE(m_recorder->counters.events, 2);
        QCOMPARE(m_recorder->counters.malformedLines, 2);
        QVERIFY(m_recorder->reconnects.isEmpty());
        QCOMPARE(m_server->connections, 1);
    }

    void shouldNotCountHalfALineOfACutConnection()
    {
        startClient({});
        QTRY_VERIFY(m_server->streaming());
        m_server->send(eventLine("1") + "\r\n" + eventLine("2").left(15));
        QTRY_COMPARE(m_recorder->events.size(), 1);
        m_server->cut();
        QTRY_VERIFY(!m_recorder->reconnects.isEmpty());
        QCOMPARE(m_recorder->reconnects.first().reason, QStringLiteral("network"));
        QTRY_COMPARE(m_server->connections, 2);
        QTRY_COMPARE(m_recorder->counters.reconnects, 1);
        QCOMPARE(m_recorder->counters.malformedLines, 0);
        QVERIFY(m_recorder->malformed.isEmpty());
    }

    void shouldBackOffExponentiallyOnHttpErrorsAndStartOverAfterData()
    {
        m_server->status = 503;
        startClient({});
        QTRY_VERIFY(m_recorder->reconnects.size() >= 3);
        for (int i = 0; i < 3; ++i) {
            const StreamReconnect &reconnect = m_recorder->reconnects.at(i);
            QCOMPARE(reconnect.kind, BackoffKind::Http);
            QCOMPARE(reconnect.httpStatus, 503);
            QCOMPARE(reconnect.attempt, i + 1);
            QCOMPARE(reconnect.delay, std::chrono::milliseconds(20 << i)); // 20, 40, 80 ms (scaled 5 s)
            QVERIFY(reconnect.message.contains(QStringLiteral("Try later.")));
            QVERIFY(reconnect.nextAttemptAt.isValid());
        }
        QVERIFY(std::any_of(m_recorder->states.cbegin(), m_recorder->states.cend(),
                            [](const auto &s) { return s.first == State::Waiting; }));

        m_server->status = 200;
        QTRY_VERIFY(m_server->streaming());
        QTRY_COMPARE(m_recorder->state(), State::Connected);
        m_server->send(eventLine("7") + "\r\n"); // data: the backoff starts over
        QTRY_COMPARE(m_recorder->events.size(), 1);
        const int before = int(m_recorder->reconnects.size());
        m_server->status = 503;
        m_server->cut();
        QTRY_VERIFY(m_recorder->reconnects.size() > before);
        QCOMPARE(m_recorder->reconnects.at(before).kind, BackoffKind::Network);
        QCOMPARE(m_recorder->reconnects.at(before).attempt, 1);
        QTRY_VERIFY(m_recorder->reconnects.size() > before + 1);
        QCOMPARE(m_recorder->reconnects.at(before + 1).kind, BackoffKind::Http);
        QCOMPARE(m_recorder->reconnects.at(before + 1).attempt, 1);
    }
};

QTEST_GUILESS_MAIN(TestActivityStreamWire)
#include "tst_activitystream_wire.moc"
