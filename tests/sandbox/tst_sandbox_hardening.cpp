// The sandbox as a local server that other programs on the machine can reach: what it refuses
// (foreign Host and Origin, control calls without the run's token, oversized bodies, JSON calls
// without application/json), what it keeps bounded, and the randomness of its tokens.

#include "RandomToken.h"
#include "SandboxTestSupport.h"

#include <QTcpSocket>
#include <QtTest>

using namespace sandboxtest;
using namespace std::chrono_literals;

namespace {

// One HTTP exchange over a plain socket, for what QNetworkAccessManager would not send (any
// Host, a Content-Length without the body). Waits on signals only.
struct RawAnswer
{
    int status = -1; // -1: no complete answer
    QByteArray head;
    QByteArray body;
};

RawAnswer rawExchange(quint16 port, const QByteArray &request, int waitMs = 10000)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    socket.write(request);
    QByteArray data;
    RawAnswer answer;
    const bool complete = QTest::qWaitFor(
        [&] {
            data += socket.readAll();
            const qsizetype end = data.indexOf("\r\n\r\n");
            if (end < 0)
                return socket.state() == QAbstractSocket::UnconnectedState;
            answer.head = data.left(end);
            static const QRegularExpression length(QStringLiteral("(?i)\r\ncontent-length:\\s*(\\d+)"));
            const auto match = length.match(QString::fromLatin1(answer.head));
            const qsizetype expected = match.hasMatch() ? match.captured(1).toLongLong() : 0;
            if (data.size() - end - 4 < expected && socket.state() != QAbstractSocket::UnconnectedState)
                return false;
            answer.body = data.mid(end + 4, expected);
            answer.status = answer.head.mid(9, 3).toInt();
            return true;
        },
        waitMs);
    return complete ? answer : RawAnswer {};
}

QByteArray get(const QByteArray &path, const QByteArray &host, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + demo::bearerToken +
        "\r\n" + extra + "\r\n";
}

} // namespace

class TestSandboxHardening : public SandboxTestCase
{
    Q_OBJECT

    QByteArray own() const { return "127.0.0.1:" + QByteArray::number(m_server->port()); }
    QByteArray eventJson() const
    {
        return "{\"for_user_id\":\"" + demo::alice.id.toLatin1() + "\",\"event\":\"favorite_events\"}";
    }
    Response postEvent(const QByteArray &contentType = "application/json")
    {
        return m_client->send("POST", m_client->url(QStringLiteral("/sandbox/events")), {}, eventJson(),
                              contentType);
    }

private Q_SLOTS:
    // DNS rebinding: a page at http://evil.example:PORT whose name resolves to 127.0.0.1 reaches
    // the port, but its requests say Host: evil.example:PORT.
    void shouldAnswerOnlyRequestsAddressedToItself_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("status");
        QTest::newRow("127.0.0.1:PORT") << QByteArray() << 200;
        QTest::newRow("localhost:PORT") << QByteArray("localhost") << 200;
        QTest::newRow("LOCALHOST:PORT") << QByteArray("LOCALHOST") << 200;
        QTest::newRow("another name") << QByteArray("evil.example") << 421;
        QTest::newRow("a name ending like it") << QByteArray("127.0.0.1.evil.example") << 421;
        QTest::newRow("another port") << QByteArray("127.0.0.1:1") << 421;
        QTest::newRow("no port") << QByteArray("127.0.0.1:") << 421;
        QTest::newRow("empty") << QByteArray("-") << 421;
    }
    void shouldAnswerOnlyRequestsAddressedToItself()
    {
        QFETCH(QByteArray, host);
        QFETCH(int, status);
        const QByteArray port = QByteArray::number(m_server->port());
        QByteArray value = host.isEmpty() ? own() : host.contains(':') ? host : host + ':' + port;
        if (host == "-")
            value.clear();
        const RawAnswer answer = rawExchange(m_server->port(), get("/2/webhooks", value));
        QCOMPARE(answer.status, status);
        QCOMPARE(m_server->journal().last().status, status);
        if (status == 421)
            QVERIFY(!answer.body.contains("data"));
    }

    void shouldRefuseRequestsFromOtherWebOrigins_data()
    {
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<int>("status");
        QTest::newRow("none") << QByteArray() << 200;
        QTest::newRow("its own") << QByteArray("http://OWN") << 200;
        QTest::newRow("localhost") << QByteArray("http://localhost:PORT") << 200;
        QTest::newRow("another site") << QByteArray("https://evil.example") << 403;
        QTest::newRow("its address, another port") << QByteArray("http://127.0.0.1:1") << 403;
        QTest::newRow("https with its address") << QByteArray("https://OWN") << 403;
        QTest::newRow("null (sandboxed frame, file:)") << QByteArray("null") << 403;
    }
    void shouldRefuseRequestsFromOtherWebOrigins()
    {
        QFETCH(QByteArray, origin);
        QFETCH(int, status);
        origin.replace("OWN", own()).replace("PORT", QByteArray::number(m_server->port()));
        if (!origin.isEmpty())
            m_client->setHeader("Origin", origin);
        const Response r = m_client->bearer("GET", QStringLiteral("/2/webhooks"));
        QCOMPARE(r.status, status);
        // A refused POST changes nothing.
        m_client->setHeader(sandboxTokenHeader, m_server->controlToken());
        const Response posted = postEvent();
        QCOMPARE(posted.status, status);
        QCOMPARE(posted.object().contains(QStringLiteral("delivered_to")), status == 200);
        if (status == 200)
            QTRY_COMPARE(m_server->deliveries().size(), 1);
    }

    void shouldRequireTheRunsTokenOnTheControlEndpoints()
    {
        QVERIFY(m_server->controlToken().size() >= 32);
        SandboxServer other;
        QVERIFY(other.controlToken() != m_server->controlToken()); // per run, not a constant

        QCOMPARE(postEvent().status, 403);
        m_client->setHeader(sandboxTokenHeader, "wrong-token");
        QCOMPARE(postEvent().status, 403);
        const QUrl events = m_client->url(QStringLiteral("/sandbox/receiver/demo/events"));
        QCOMPARE(m_client->send("GET", events).status, 403);
        QVERIFY(m_server->deliveries().isEmpty());

        m_client->setHeader(sandboxTokenHeader, m_server->controlToken());
        const Response posted = postEvent();
        QCOMPARE(posted.status, 200);
        QCOMPARE(posted.object().value(QStringLiteral("delivered_to")).toInt(), 1);
        QTRY_COMPARE(m_server->receivedEvents(demo::receiverName).size(), 1);
        QCOMPARE(m_client->send("GET", events).json().array().size(), 1);

        // The receiver itself is a webhook: X (here the sandbox) calls it without the token.
        m_client->removeHeader(sandboxTokenHeader);
        const Response crc = m_client->send(
            "GET", m_client->url(QStringLiteral("/sandbox/receiver/demo?crc_token=abc&nonce=1")));
        QCOMPARE(crc.status, 200);
        QVERIFY(crc.object().contains(QStringLiteral("response_token")));
    }

    void shouldRequireJsonWhereItReadsJson()
    {
        m_client->setHeader(sandboxTokenHeader, m_server->controlToken());
        // A page can post text/plain without asking first (no CORS preflight); JSON it cannot.
        QCOMPARE(postEvent("text/plain").status, 415);
        QCOMPARE(postEvent("application/x-www-form-urlencoded").status, 415);
        QVERIFY(m_server->deliveries().isEmpty());
        QCOMPARE(postEvent("Application/JSON; charset=utf-8").status, 200);

        const QByteArray url =
            "{\"url\":\"" + m_server->demoReceiverUrl(QStringLiteral("json")).toLatin1() + "\"}";
        const Response asForm = m_client->bearer("POST", QStringLiteral("/2/webhooks"), url, "text/plain");
        QCOMPARE(asForm.status, 415);
        QCOMPARE(asForm.v2Reason(), QStringLiteral("UnsupportedMediaType"));
        QCOMPARE(m_server->webhooks().size(), 2);
        const Response asJson =
            m_client->bearer("POST", QStringLiteral("/2/webhooks"), url, "application/json");
        QCOMPARE(asJson.status, 200);
    }

    // Qt 6.4's QHttpServer would read any body into memory; the sandbox refuses it from the headers.
    void shouldRefuseAnOversizedBodyBeforeReadingIt()
    {
        SandboxLimits limits = m_server->limits();
        QCOMPARE(limits.requestBodyBytes, 1024 * 1024);
        limits.requestBodyBytes = 4096;
        m_server->setLimits(limits);

        // 100 MB announced, none of it sent: the answer comes at once.
        const QByteArray head = "POST /sandbox/events HTTP/1.1\r\nHost: " + own() +
            "\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n" + sandboxTokenHeader +
            ": " + m_server->controlToken() + "\r\n\r\n";
        const RawAnswer announced = rawExchange(m_server->port(), head);
        QCOMPARE(announced.status, 413);
        QVERIFY(announced.body.contains("larger than the sandbox accepts"));
        QCOMPARE(m_server->journal().last().status, 413);
        QCOMPARE(m_server->journal().last().path, QStringLiteral("/sandbox/events"));

        // Sent in full by a client that does not wait: it still reads the 413.
        m_client->setHeader(sandboxTokenHeader, m_server->controlToken());
        const Response big = m_client->send("POST", m_client->url(QStringLiteral("/sandbox/events")), {},
                                            QByteArray(64 * 1024, ' ') + eventJson(), "application/json");
        QCOMPARE(big.status, 413);
        // At the limit it is read (and answered on its merits).
        const QByteArray padded = QByteArray(4096 - eventJson().size(), ' ') + eventJson();
        QCOMPARE(padded.size(), 4096);
        QCOMPARE(m_client
                     ->send("POST", m_client->url(QStringLiteral("/sandbox/events")), {}, padded,
                            "application/json")
                     .status,
                 200);
        QVERIFY(m_server->deliveries().size() <= 1);
    }

    void shouldNotKeepABodyWhoseSignatureFails()
    {
        const QUrl receiver = m_client->url(QStringLiteral("/sandbox/receiver/demo"));
        const QByteArray body = "{\"favorite_events\":[],\"for_user_id\":\"1\"}";
        m_client->setHeader("x-twitter-webhooks-signature", "sha256=AAAAnotthesignature");
        QCOMPARE(m_client->send("POST", receiver, {}, body, "application/json").status, 401);
        QVERIFY(m_server->receivedEvents().isEmpty());
        m_client->setHeader("x-twitter-webhooks-signature",
                            activity::crc::signature(demo::consumerSecret, body));
        QCOMPARE(m_client->send("POST", receiver, {}, body, "application/json").status, 200);
        QCOMPARE(m_server->receivedEvents().size(), 1);
        QVERIFY(m_server->receivedEvents().at(0).signatureValid);
    }

    void shouldKeepItsRecordsBounded()
    {
        SandboxLimits limits = m_server->limits();
        limits.journalEntries = 3;
        limits.deliveries = 2;
        limits.receivedEvents = 2;
        limits.nonces = 2;
        m_server->setLimits(limits);

        for (int i = 0; i < 5; ++i)
            QCOMPARE(m_client->bearer("GET", QStringLiteral("/2/webhooks")).status, 200);
        QCOMPARE(m_server->journal().size(), 3);

        for (int i = 0; i < 3; ++i)
            QCOMPARE(m_server->deliverEvent(demo::alice.id, QStringLiteral("favorite_events")), 1);
        QTRY_COMPARE(m_server->journal().forPath(QStringLiteral("/sandbox/receiver/demo")).size(), 3);
        QTRY_COMPARE(m_server->deliveries().size(), 2);
        QCOMPARE(m_server->receivedEvents().size(), 2);
        QCOMPARE(m_server->journal().size(), 3);

        // Nonces: the two newest are remembered (a replay is refused), an older one is not.
        const QString check = QStringLiteral("/1.1/account_activity/webhooks/%1/subscriptions/all.json")
                                  .arg(demo::validWebhookId);
        const QUrl url = m_client->url(check);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QList<QByteArray> headers;
        for (const char *nonce : {"nonceoneAAAAAAAA", "noncetwoAAAAAAAA", "noncethreeAAAAAA"}) {
            headers.append(Client::oauthHeader("GET", url, userCredentials(demo::alice), {}, {}, now, nonce));
            QCOMPARE(m_client->send("GET", url, headers.last()).status, 204);
        }
        QCOMPARE(m_client->send("GET", url, headers.at(2)).status, 401);
        QCOMPARE(m_client->send("GET", url, headers.at(0)).status, 204);
    }

    // The sandbox takes plain http webhooks only on a loopback address, by the client's own check
    // (validate::isLoopbackAddress): a name such as localhost is refused like any other.
    void shouldTakePlainHttpWebhooksOnlyOnALoopbackAddress()
    {
        const QString port = QString::number(m_server->port());
        const auto registerUrl = [this](const QString &url) {
            return m_client->bearer("POST", QStringLiteral("/2/webhooks"),
                                    "{\"url\":\"" + url.toLatin1() + "\"}", "application/json");
        };
        const Response byName = registerUrl(QStringLiteral("http://localhost:") + port +
                                            QStringLiteral("/sandbox/receiver/byname"));
        QCOMPARE(byName.status, 400);
        QCOMPARE(byName.v2Reason(), QStringLiteral("UrlValidationFailed"));
        const Response byAddress = registerUrl(QStringLiteral("http://127.0.0.1:") + port +
                                               QStringLiteral("/sandbox/receiver/byaddress"));
        QCOMPARE(byAddress.status, 200);
        QVERIFY(byAddress.data().value(QStringLiteral("valid")).toBool());
    }

    // Every byte of a token comes from the generator, whatever the length: a tail that is not a
    // whole 32-bit word once held left-over heap memory.
    void shouldFillEveryByteOfARandomToken()
    {
        static const QRegularExpression alphabet(QStringLiteral("\\A[A-Za-z0-9_-]+\\z"));
        constexpr int samples = 32;
        for (int length = 1; length <= 64; ++length) {
            QList<QByteArray> decoded;
            for (int i = 0; i < samples; ++i) {
                const QByteArray token = randomToken(length);
                QVERIFY2(alphabet.match(QString::fromLatin1(token)).hasMatch(), token.constData());
                const QByteArray raw = QByteArray::fromBase64(token, QByteArray::Base64UrlEncoding);
                QCOMPARE(raw.size(), length);
                decoded.append(raw);
            }
            // Each byte position varies across the samples (32 equal random bytes: p = 2^-248).
            for (int position = 0; position < length; ++position) {
                bool varies = false;
                for (int i = 1; i < samples && !varies; ++i)
                    varies = decoded.at(i).at(position) != decoded.at(0).at(position);
                QVERIFY2(varies,
                         qPrintable(QStringLiteral("byte %1 of %2 is the same in every token")
                                        .arg(position)
                                        .arg(length)));
            }
            if (length >= 8)
                QCOMPARE(QSet<QByteArray>(decoded.cbegin(), decoded.cend()).size(), samples);
        }
    }
};

QTEST_GUILESS_MAIN(TestSandboxHardening)
#include "tst_sandbox_hardening.moc"
