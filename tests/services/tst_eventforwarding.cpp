// Forwarding and resending stored events (#16): the program under development gets each event's
// original bytes, re-signed with the consumer secret so it verifies them as in production, and the
// result is kept with the event. The "program" is the sandbox's demo receiver on 127.0.0.1, which
// keeps only bodies whose x-twitter-webhooks-signature holds.
#include "Crc.h"
#include "EventForwarding.h"
#include "EventStore.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"

#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace activity;
namespace demo = activity::sandbox::demo;

class TestEventForwarding : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<EventStore> m_store;

    // Stores an X Activity event received by the receiver, with the headers it came with.
    qint64 storeEvent(const QString &uuid, const QByteArray &extraHeaderValue = {})
    {
        EventRecord record;
        record.source = EventSource::Receiver;
        // Key order and spacing as a sender wrote them: the forward must not re-serialise.
        record.body =
            QStringLiteral("{\"data\": {\"event_uuid\":\"%1\", \"event_type\":\"profile.update.bio\","
                           "\"filter\":{\"user_id\":\"%2\"},\"payload\":{\"before\":\"a\",\"after\":\"b\"}}}")
                .arg(uuid, demo::alice.id)
                .toUtf8();
        record.headers = {
            {"Content-Type", "application/json; charset=utf-8"},
            {"X-Twitter-Webhooks-Signature", crc::signature(demo::consumerSecret, record.body)},
            {"Authorization", "Bearer must-not-travel"},
            {"X-Custom-Trace", extraHeaderValue.isEmpty() ? QByteArray("trace-1") : extraHeaderValue}};
        record.signature = SignatureVerdict::Valid;
        QSignalSpy appended(m_store.get(), &EventStore::appended);
        const qint64 ticket = m_store->append(record);
        if (!appended.wait(5000))
            return 0;
        const auto result = appended.first().at(1).value<EventAppendResult>();
        return appended.first().at(0).toLongLong() == ticket && result.stored ? result.rowId : 0;
    }

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<EventAppendResult>(); }

    void init()
    {
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
        m_network = std::make_unique<QNetworkAccessManager>();
        m_store = std::make_unique<EventStore>(m_dir.filePath(
            QStringLiteral("events-%1.sqlite").arg(QString::fromLatin1(QTest::currentTestFunction()))));
        QVERIFY(m_store->isOpen());
    }

    void cleanup()
    {
        m_store.reset();
        m_network.reset();
        m_server.reset();
    }

    void forwardHeadersDropCredentialsAndResign()
    {
        ForwardRequest request;
        request.body = QByteArrayLiteral("{\"for_user_id\":\"2244994945\",\"favorite_events\":[]}");
        request.consumerSecret = QByteArrayLiteral("test_consumer_secret");
        request.headers = {{"Host", "example.com"},
                           {"Content-Length", "3"},
                           {"Authorization", "Bearer x"},
                           {"Cookie", "a=b"},
                           {"x-twitter-webhooks-signature", "sha256=old"},
                           {"X-Custom", "kept"}};
        request.eventId = QStringLiteral("42");
        const auto headers = EventForwarder::forwardHeaders(request);
        QStringList names;
        for (const auto &[name, value] : headers)
            names.append(QString::fromLatin1(name));
        QCOMPARE(names,
                 (QStringList {QStringLiteral("x-custom"), QStringLiteral("content-type"),
                               QStringLiteral("x-twitter-webhooks-signature"),
                               QStringLiteral("x-activity-console-event-id")}));
        // The reference's vector (x-api-2026.md §3.2).
        QCOMPARE(headers.at(2).second,
                 QByteArrayLiteral("sha256=RdDZAnO2VvOxUgSej1BGkkZwq96p1Gad7bWMdNdQ184="));
    }

    void targetMustBeHttp()
    {
        QVERIFY(!EventForwarder::checkTarget(QUrl(QStringLiteral("ftp://127.0.0.1/x"))).isEmpty());
        QVERIFY(!EventForwarder::checkTarget(QUrl(QStringLiteral("not a url"))).isEmpty());
        QVERIFY(EventForwarder::checkTarget(QUrl(QStringLiteral("http://127.0.0.1:3000/hook"))).isEmpty());
        EventForwarding forwarding(m_store.get(), m_network.get());
        QVERIFY(forwarding.setTarget(QUrl(QStringLiteral("mailto:a@b"))).contains(QLatin1String("http://")));
    }

    void resendDeliversOriginalBytesSignedAndKeepsTheResult()
    {
        const qint64 first = storeEvent(QStringLiteral("-8917909039855612786"));
        const qint64 second = storeEvent(QStringLiteral("5900000000000000001"));
        QVERIFY(first > 0 && second > 0);

        EventForwarding forwarding(m_store.get(), m_network.get());
        QVERIFY(forwarding.setTarget(QUrl(m_server->demoReceiverUrl())).isEmpty());
        forwarding.setConsumerSecret(demo::consumerSecret);
        QSignalSpy forwarded(&forwarding, &EventForwarding::forwarded);
        QSignalSpy idle(&forwarding, &EventForwarding::idle);
        QSignalSpy recorded(m_store.get(), &EventStore::forwardRecorded);
        forwarding.resend({first, second});
        QVERIFY(idle.wait(10000));
        QCOMPARE(forwarded.size(), 2);
        QTRY_COMPARE(recorded.size(), 2);

        const auto received = m_server->receivedEvents(QStringLiteral("demo"));
        QCOMPARE(received.size(), 2);
        // Byte for byte (both went out at once, so either may arrive first).
        const QSet<QByteArray> bodies {received.at(0).body, received.at(1).body};
        QCOMPARE(bodies, (QSet<QByteArray> {m_store->event(first)->body, m_store->event(second)->body}));
        QVERIFY(received.at(0).signatureValid && received.at(1).signatureValid);

        const std::optional<StoredEvent> stored = m_store->event(first);
        QVERIFY(stored && stored->forward);
        QCOMPARE(stored->forward->httpStatus, 200);
        QVERIFY(stored->forward->error.isEmpty());
        QVERIFY(stored->forward->durationMs >= 0);
    }

    void aWrongSecretIsRefusedByTheProgramAndKept()
    {
        const qint64 row = storeEvent(QStringLiteral("1"));
        EventForwarding forwarding(m_store.get(), m_network.get());
        QVERIFY(forwarding.setTarget(QUrl(m_server->demoReceiverUrl())).isEmpty());
        forwarding.setConsumerSecret(QByteArrayLiteral("not-the-app-secret"));
        QSignalSpy recorded(m_store.get(), &EventStore::forwardRecorded);
        forwarding.resend({row});
        QTRY_COMPARE(recorded.size(), 1);
        QCOMPARE(m_store->event(row)->forward->httpStatus, 401);
        QVERIFY(m_server->receivedEvents(QStringLiteral("demo")).isEmpty());
    }

    void aClosedPortIsAnErrorThatSaysWhere()
    {
        QTcpServer probe; // a free port, closed again: nothing listens there
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        const qint64 row = storeEvent(QStringLiteral("2"));
        EventForwarding forwarding(m_store.get(), m_network.get());
        QVERIFY(forwarding.setTarget(QUrl(QStringLiteral("http://127.0.0.1:%1/hook").arg(port))).isEmpty());
        QSignalSpy forwarded(&forwarding, &EventForwarding::forwarded);
        forwarding.resend({row});
        QVERIFY(forwarded.wait(10000));
        const auto result = forwarded.first().at(2).value<ForwardResult>();
        QCOMPARE(result.httpStatus, 0);
        QVERIFY2(result.error.contains(QString::number(port)), qPrintable(result.error));
        QTRY_VERIFY(m_store->event(row)->forward.has_value());
        QCOMPARE(m_store->event(row)->forward->error, result.error);
    }

    void anUnknownRowIsReported()
    {
        EventForwarding forwarding(m_store.get(), m_network.get());
        QVERIFY(forwarding.setTarget(QUrl(m_server->demoReceiverUrl())).isEmpty());
        QSignalSpy forwarded(&forwarding, &EventForwarding::forwarded);
        forwarding.resend({999});
        QCOMPARE(forwarded.size(), 1);
        QVERIFY(!forwarded.first().at(2).value<ForwardResult>().error.isEmpty());
    }

    void manyGoOutInOrderAFewAtATime()
    {
        QList<qint64> rows;
        for (int i = 0; i < 40; ++i)
            rows.append(storeEvent(QString::number(7000 + i)));
        QVERIFY(!rows.contains(0));
        EventForwarding forwarding(m_store.get(), m_network.get());
        QVERIFY(forwarding.setTarget(QUrl(m_server->demoReceiverUrl())).isEmpty());
        forwarding.setConsumerSecret(demo::consumerSecret);
        QSignalSpy idle(&forwarding, &EventForwarding::idle);
        forwarding.resend(rows);
        QVERIFY(forwarding.pending() <= 40);
        QVERIFY(idle.wait(20000));
        const auto received = m_server->receivedEvents(QStringLiteral("demo"));
        QCOMPARE(received.size(), 40);
        QSet<QByteArray> bodies;
        for (const auto &event : received)
            bodies.insert(event.body);
        QCOMPARE(bodies.size(), 40);
    }
};

QTEST_GUILESS_MAIN(TestEventForwarding)
#include "tst_eventforwarding.moc"
