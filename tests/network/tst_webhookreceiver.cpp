// WebhookReceiver (#16) over real HTTP on 127.0.0.1: the CRC answer and the delivery signature
// against the reference's vectors (x-api-2026.md §3.1, §3.2), 200 only after the sink's ack (from
// another thread), 401 for a wrong or missing signature with the body nowhere, 413 before the body
// is read, 503 at the deadline, keep-alive and pipelining, malformed requests, and a late ack.
#include "Crc.h"
#include "ReceiverTestClient.h"
#include "WebhookReceiver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

#include <memory>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace activity;
using receivertest::Client;
using receivertest::Response;

namespace {

const QByteArray kSecret = "test_consumer_secret";
const QByteArray kBody = R"({"for_user_id":"2244994945","favorite_events":[]})";
const QByteArray kSignature = "sha256=RdDZAnO2VvOxUgSej1BGkkZwq96p1Gad7bWMdNdQ184=";

// A receiver on a free port whose sink keeps the deliveries and their acks.
struct Fixture
{
    explicit Fixture(WebhookReceiverOptions options = {})
        : receiver(kSecret, options)
    {
        receiver.setSink([this](ReceivedDelivery delivery, WebhookReceiver::Ack ack) {
            deliveries.append(std::move(delivery));
            acks.append(std::move(ack));
        });
        const std::optional<QString> problem = receiver.listen(QHostAddress::LocalHost, 0);
        if (problem)
            qWarning("%s", qPrintable(*problem));
    }
    WebhookReceiver receiver;
    QList<ReceivedDelivery> deliveries;
    QList<WebhookReceiver::Ack> acks;
};

// A blocking connection that has sent its request before the test's event loop runs: the bytes
// wait in the kernel, so several such requests are read in one pass of the loop.
class SentInAdvance
{
public:
    SentInAdvance(quint16 port, const QByteArray &request)
        : m_fd(::socket(AF_INET, SOCK_STREAM, 0))
    {
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_sent = m_fd >= 0 && ::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
            ::send(m_fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) == request.size();
    }
    ~SentInAdvance()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    SentInAdvance(const SentInAdvance &) = delete;
    SentInAdvance &operator=(const SentInAdvance &) = delete;
    bool sent() const { return m_sent; }

private:
    int m_fd;
    bool m_sent = false;
};

// Acks from a thread of their own, as the store's writer does.
void ackFromAnotherThread(const WebhookReceiver::Ack &ack, bool stored)
{
    std::thread([ack, stored] { ack(stored, stored ? QString() : QStringLiteral("disk full")); }).join();
}

} // namespace

class TestWebhookReceiver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The address fields of the console and activity-cli read the same way.
    void parsesListenAddresses()
    {
        const auto v4 = WebhookReceiver::parseAddress(QStringLiteral(" 127.0.0.1:8080 "));
        QVERIFY(v4 && v4->first == QHostAddress::LocalHost && v4->second == 8080);
        const auto v6 = WebhookReceiver::parseAddress(QStringLiteral("[::1]:9000"));
        QVERIFY(v6 && v6->first == QHostAddress::LocalHostIPv6 && v6->second == 9000);
        const auto portOnly = WebhookReceiver::parseAddress(QStringLiteral("0"));
        QVERIFY(portOnly && portOnly->first == QHostAddress::LocalHost && portOnly->second == 0);
        QVERIFY(WebhookReceiver::parseAddress(QStringLiteral("localhost:1"))->first ==
                QHostAddress::LocalHost);
        for (const char *bad : {"example.com:80", "127.0.0.1:70000", "[::1", "127.0.0.1:", "x"})
            QVERIFY2(!WebhookReceiver::parseAddress(QString::fromLatin1(bad)), bad);
    }

    void crcAnswersTheReferenceVector()
    {
        Fixture f;
        QVERIFY(f.receiver.isListening());
        QSignalSpy crc(&f.receiver, &WebhookReceiver::crcAnswered);
        Client client(f.receiver.port());
        client.send("GET /webhook?crc_token=challenge_string HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        const Response response = client.read();
        QCOMPARE(response.status, 200);
        QCOMPARE(response.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(QJsonDocument::fromJson(response.body)
                     .object()
                     .value(QStringLiteral("response_token"))
                     .toString(),
                 QStringLiteral("sha256=583uAmerwtjpykYEAEm+CEIRm6dOywK4QKRr0ha/Pd4="));
        QCOMPARE(crc.size(), 1);
        const CrcCheck check = crc.at(0).at(0).value<CrcCheck>();
        QVERIFY(check.ok);
        QVERIFY(check.peer.startsWith(QLatin1String("127.0.0.1:")));
        QVERIFY(f.receiver.lastCrc() && f.receiver.lastCrc()->ok);

        // A GET without a token is no CRC.
        client.send("GET /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QCOMPARE(client.read().status, 400);
        QVERIFY(!f.receiver.lastCrc()->ok);
    }

    void validDeliveryIsAnsweredOnlyAfterTheAck()
    {
        QCOMPARE(crc::signature(kSecret, kBody), kSignature);
        Fixture f;
        Client client(f.receiver.port());
        client.send(Client::post(kBody, kSignature, "/webhook", "X-Custom: yes\r\n"));
        QTRY_COMPARE(f.deliveries.size(), 1);
        const ReceivedDelivery &delivery = f.deliveries.first();
        QCOMPARE(delivery.body, kBody);
        QCOMPARE(delivery.verdict, SignatureCheck::Valid);
        QVERIFY(delivery.peer.startsWith(QLatin1String("127.0.0.1:")));
        QVERIFY(delivery.receivedAtMs > 0);
        QVERIFY(delivery.headers.contains(std::pair<QByteArray, QByteArray>("X-Custom", "yes")));
        QVERIFY(delivery.headers.contains(
            std::pair<QByteArray, QByteArray>("x-twitter-webhooks-signature", kSignature)));
        // Nothing is answered before the store says durable.
        QCoreApplication::processEvents();
        QVERIFY(client.nothingReceived());
        QCOMPARE(f.receiver.answered(), 0);

        ackFromAnotherThread(f.acks.first(), true);
        QCOMPARE(client.read().status, 200);
        // A second ack of the same delivery changes nothing.
        f.acks.first()(false, QStringLiteral("again"));
        QCoreApplication::processEvents();
        QCOMPARE(f.receiver.answered(), 1);
    }

    // What the intake does once a group of deliveries is durable: their acks in one call from the
    // store's thread, each answered by its own verdict; an ack that answers nothing (default, or
    // answered already) changes nothing.
    void acksOfAGroupAreAnsweredTogether()
    {
        Fixture f;
        Client first(f.receiver.port());
        Client second(f.receiver.port());
        first.send(Client::post(kBody, kSignature));
        QTRY_COMPARE(f.acks.size(), 1);
        second.send(Client::post(kBody, kSignature));
        QTRY_COMPARE(f.acks.size(), 2);
        QCOMPARE(f.deliveries.first().peer, QStringLiteral("127.0.0.1:%1").arg(first.socket().localPort()));

        const std::vector<WebhookReceiver::Ack> acks {f.acks.at(0), WebhookReceiver::Ack(), f.acks.at(1)};
        const bool stored[] = {true, true, false};
        std::thread([&] { WebhookReceiver::Ack::answerAll(acks, stored); }).join();
        QCOMPARE(first.read().status, 200);
        QCOMPARE(second.read().status, 500);

        std::thread([&] { WebhookReceiver::Ack::answerAll(acks, stored); }).join();
        QCoreApplication::processEvents();
        QCOMPARE(f.receiver.answered(), 2);
        QVERIFY(first.nothingReceived() && second.nothingReceived());
    }

    void storeFailureIs500()
    {
        Fixture f;
        Client client(f.receiver.port());
        client.send(Client::post(kBody, kSignature));
        QTRY_COMPARE(f.acks.size(), 1);
        ackFromAnotherThread(f.acks.first(), false);
        QCOMPARE(client.read().status, 500);
    }

    void wrongOrMissingSignatureIs401WithoutTheBody_data()
    {
        QTest::addColumn<QByteArray>("signature");
        QTest::addColumn<QString>("reason");
        QTest::newRow("wrong") << crc::signature("another_secret", kBody) << QStringLiteral("does not match");
        QTest::newRow("not base64") << QByteArray("sha256=???") << QStringLiteral("does not match");
        QTest::newRow("empty") << QByteArray("") << QStringLiteral("does not match");
        QTest::newRow("missing") << QByteArray() << QStringLiteral("no x-twitter-webhooks-signature");
    }
    void wrongOrMissingSignatureIs401WithoutTheBody()
    {
        QFETCH(QByteArray, signature);
        QFETCH(QString, reason);
        Fixture f;
        QSignalSpy rejected(&f.receiver, &WebhookReceiver::deliveryRejected);
        Client client(f.receiver.port());
        client.send(Client::post(kBody, signature));
        QCOMPARE(client.read().status, 401);
        QCOMPARE(f.deliveries.size(), 0);
        QCOMPARE(rejected.size(), 1);
        const RejectedDelivery r = rejected.at(0).at(0).value<RejectedDelivery>();
        QCOMPARE(r.status, 401);
        QVERIFY2(r.reason.contains(reason), qPrintable(r.reason));
        QCOMPARE(r.bodySize, kBody.size());
        QCOMPARE(r.path, QStringLiteral("/webhook"));
        QVERIFY(r.peer.startsWith(QLatin1String("127.0.0.1:")));
        QVERIFY(r.atMs > 0);
        // Nothing of the body anywhere in what is reported.
        for (const QString &text : {r.reason, r.peer, r.path})
            QVERIFY(!text.contains(QLatin1String("2244994945")));
        // The connection goes on.
        client.send(Client::post(kBody, kSignature));
        QTRY_COMPARE(f.acks.size(), 1);
    }

    void oversizeIs413BeforeTheBody()
    {
        WebhookReceiverOptions options;
        options.maxBodyBytes = 1024;
        Fixture f(options);
        Client client(f.receiver.port());
        // Only the head: the receiver must answer without waiting for the 2048 bytes.
        client.send("POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2048\r\n"
                    "x-twitter-webhooks-signature: sha256=x\r\n\r\n");
        const Response response = client.read();
        QCOMPARE(response.status, 413);
        QCOMPARE(response.header("Connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
        QCOMPARE(f.deliveries.size(), 0);

        // At the cap itself it is taken.
        Client exact(f.receiver.port());
        const QByteArray body(1024, 'a');
        exact.send(Client::post(body, crc::signature(kSecret, body)));
        QTRY_COMPARE(f.deliveries.size(), 1);
    }

    void noAckByTheDeadlineIs503()
    {
        WebhookReceiverOptions options;
        options.ackDeadline = std::chrono::milliseconds(200);
        Fixture f(options);
        Client client(f.receiver.port());
        client.send(Client::post(kBody, kSignature));
        QCOMPARE(client.read().status, 503);
        // The late ack finds nothing to answer; the connection serves the next request.
        ackFromAnotherThread(f.acks.first(), true);
        client.send(Client::post(kBody, kSignature));
        QTRY_COMPARE(f.acks.size(), 2);
        f.acks.last()(true, {});
        QCOMPARE(client.read().status, 200);
        QCOMPARE(f.receiver.answered(), 2);
    }

    void timersFollowTheState()
    {
        WebhookReceiverOptions options;
        options.requestTimeout = std::chrono::milliseconds(100);
        options.idleTimeout = std::chrono::milliseconds(100);
        options.ackDeadline = std::chrono::milliseconds(400);
        Fixture f(options);
        // Waiting for the ack, only its deadline counts: 503 at 400 ms, not 408 or a close at 100 ms.
        Client waiting(f.receiver.port());
        waiting.send(Client::post(kBody, kSignature));
        QCOMPARE(waiting.read().status, 503);
        // Answered, the connection is idle and closes.
        QVERIFY(waiting.waitClosed());
        // A request that does not arrive whole in time: 408, then closed.
        Client slow(f.receiver.port());
        slow.send("POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        QCOMPARE(slow.read().status, 408);
        QVERIFY(slow.waitClosed());
        QCOMPARE(f.deliveries.size(), 1);
    }

    void keepAliveAndPipelining()
    {
        Fixture f;
        f.receiver.setSink([](ReceivedDelivery, WebhookReceiver::Ack ack) { ack(true, {}); });
        Client client(f.receiver.port());
        for (int i = 0; i < 3; ++i) {
            client.send(Client::post(kBody, kSignature));
            QCOMPARE(client.read().status, 200);
        }
        // Two requests in one write: answered in order on the same connection.
        client.send(Client::post(kBody, kSignature) + "GET /webhook?crc_token=t HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(client.read().status, 200);
        const Response crc = client.read();
        QCOMPARE(crc.status, 200);
        QVERIFY(crc.body.contains("response_token"));
        QCOMPARE(f.receiver.openConnections(), 1);
        QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);

        // Connection: close is honoured.
        client.send(Client::post(kBody, kSignature, "/webhook", "Connection: close\r\n"));
        QCOMPARE(client.read().header("Connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
        QTRY_COMPARE(f.receiver.openConnections(), 0);
    }

    void malformedRequests_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << QByteArray("HELLO\r\n\r\n") << 400;
        QTest::newRow("bad version") << QByteArray("GET /webhook HTTP/9\r\n\r\n") << 400;
        QTest::newRow("no colon") << QByteArray("POST /webhook HTTP/1.1\r\nHost 1\r\n\r\n") << 400;
        QTest::newRow("space before colon")
            << QByteArray("POST /webhook HTTP/1.1\r\nHost : 1\r\n\r\n") << 400;
        QTest::newRow("bad length") << QByteArray("POST /webhook HTTP/1.1\r\nContent-Length: 1x\r\n\r\n")
                                    << 400;
        QTest::newRow("two lengths")
            << QByteArray("POST /webhook HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") << 400;
        QTest::newRow("chunked") << QByteArray("POST /webhook HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                                 << 411;
        QTest::newRow("head too large")
            << (QByteArray("GET /webhook HTTP/1.1\r\nX-Big: ") + QByteArray(20000, 'a') + "\r\n\r\n") << 431;
    }
    void malformedRequests()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        Fixture f;
        Client client(f.receiver.port());
        client.send(request);
        QCOMPARE(client.read().status, status);
        QVERIFY(client.waitClosed());
        QCOMPARE(f.deliveries.size(), 0);
    }

    void otherPathsAndMethods()
    {
        Fixture f;
        Client client(f.receiver.port());
        client.send(Client::post(kBody, kSignature, "/other"));
        QCOMPARE(client.read().status, 404);
        client.send("PUT /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        const Response put = client.read();
        QCOMPARE(put.status, 405);
        QCOMPARE(put.header("Allow"), QByteArray("GET, POST"));
        QCOMPARE(f.deliveries.size(), 0);
    }

    void ackAfterTheConnectionOrReceiverIsGone()
    {
        auto f = std::make_unique<Fixture>();
        {
            Client client(f->receiver.port());
            client.send(Client::post(kBody, kSignature));
            QTRY_COMPARE(f->acks.size(), 1);
        } // the client hangs up while the store works
        QTRY_COMPARE(f->receiver.openConnections(), 0);
        ackFromAnotherThread(f->acks.first(), true);
        QCoreApplication::processEvents();

        Client client(f->receiver.port());
        client.send(Client::post(kBody, kSignature));
        QTRY_COMPARE(f->acks.size(), 2);
        const WebhookReceiver::Ack late = f->acks.last();
        f.reset();
        ackFromAnotherThread(late, true); // the receiver is gone: nothing happens
        QCoreApplication::processEvents();
    }

    // The sink's deliveries of one pass of the event loop reach passEnded together, once, after the
    // last of them, whether the loop only runs (processEvents, as QTRY_COMPARE) or waits (exec). A
    // CRC or a refused delivery ends no pass.
    void passEndedFollowsEachPassWithDeliveries()
    {
        WebhookReceiver receiver(kSecret);
        int delivered = 0;
        QList<int> deliveredAtPassEnd;
        QEventLoop loop;
        receiver.setSink(
            [&](ReceivedDelivery, WebhookReceiver::Ack ack) {
                ++delivered;
                ack(true);
            },
            [&] {
                deliveredAtPassEnd.append(delivered);
                loop.quit();
            });
        QVERIFY(!receiver.listen(QHostAddress::LocalHost, 0));

        {
            std::vector<std::unique_ptr<SentInAdvance>> senders;
            for (int i = 0; i < 3; ++i) {
                senders.push_back(
                    std::make_unique<SentInAdvance>(receiver.port(), Client::post(kBody, kSignature)));
                QVERIFY(senders.back()->sent());
            }
            QTRY_COMPARE(receiver.answered(), 3);
            QCOMPARE(deliveredAtPassEnd, QList<int>({3})); // one pass read all three

            SentInAdvance crc(receiver.port(),
                              "GET /webhook?crc_token=t HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            SentInAdvance unsigned_(receiver.port(), Client::post(kBody, QByteArray()));
            QVERIFY(crc.sent() && unsigned_.sent());
            QTRY_COMPARE(receiver.answered(), 5);
            QCOMPARE(deliveredAtPassEnd, QList<int>({3}));
        }

        SentInAdvance more(receiver.port(), Client::post(kBody, kSignature));
        QVERIFY(more.sent());
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(deliveredAtPassEnd, QList<int>({3, 4}));
    }

    void floorModeAnswersAtOnce()
    {
        WebhookReceiverOptions options;
        options.floor = true;
        Fixture f(options);
        Client client(f.receiver.port());
        client.send(Client::post(kBody, QByteArray()));
        QCOMPARE(client.read().status, 200);
        QCOMPARE(f.deliveries.size(), 0);
    }

    void listenErrorsAreSentences()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        WebhookReceiver receiver(kSecret);
        const std::optional<QString> inUse = receiver.listen(QHostAddress::LocalHost, taken.serverPort());
        QVERIFY(inUse);
        QVERIFY2(inUse->contains(QLatin1String("in use")), qPrintable(*inUse));
        const std::optional<QString> bad = receiver.listen(QHostAddress(QStringLiteral("not-an-ip")), 8080);
        QVERIFY(bad);
        QVERIFY2(bad->contains(QLatin1String("not an IP address")), qPrintable(*bad));
        const std::optional<QString> foreign = receiver.listen(QHostAddress(QStringLiteral("192.0.2.1")), 0);
        QVERIFY(foreign);
        QVERIFY2(foreign->contains(QLatin1String("192.0.2.1")), qPrintable(*foreign));
        QVERIFY(!receiver.listen(QHostAddress::LocalHost, 0));
        QVERIFY(receiver.url().startsWith(QLatin1String("http://127.0.0.1:")));
        QVERIFY(receiver.url().endsWith(QLatin1String("/webhook")));
    }
};

QTEST_GUILESS_MAIN(TestWebhookReceiver)
#include "tst_webhookreceiver.moc"
