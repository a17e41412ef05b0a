// EventIntake (#16) end to end over 127.0.0.1: LoadGenerator posts signed deliveries, the
// WebhookReceiver verifies them, the EventStore keeps them and only then is 200 answered. Also
// duplicates, refused deliveries leaving no row, oversize bodies, Account Activity bodies and
// stream events.
#include "EventIntake.h"
#include "LoadGenerator.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace activity;
using sandbox::LoadGenerator;
using sandbox::LoadOptions;

namespace {

const QByteArray kSecret = "test_consumer_secret";

struct Rig
{
    explicit Rig(const QString &dir)
        : store(dir + QStringLiteral("/events.sqlite"))
        , receiver(kSecret)
        , intake(&receiver, &store)
    {
        const std::optional<QString> problem = receiver.listen(QHostAddress::LocalHost, 0);
        if (problem)
            qWarning("%s", qPrintable(*problem));
    }
    LoadOptions load(int events, int connections = 4) const
    {
        LoadOptions options;
        options.port = receiver.port();
        options.consumerSecret = kSecret;
        options.events = events;
        options.connections = connections;
        return options;
    }
    EventStore store;
    WebhookReceiver receiver;
    EventIntake intake;
};

bool run(LoadGenerator &generator)
{
    QSignalSpy finished(&generator, &LoadGenerator::finished);
    generator.start();
    return generator.isFinished() || finished.wait(60000);
}

} // namespace

class TestEventIntake : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deliveriesAreStoredBeforeTheyAreAcknowledged()
    {
        QTemporaryDir dir;
        Rig rig(dir.path());
        QVERIFY(rig.store.isOpen());
        QSignalSpy stored(&rig.intake, &EventIntake::eventStored);
        LoadGenerator generator(rig.load(400, 8));
        QVERIFY(run(generator));
        QCOMPARE(generator.countWithStatus(200), 400);
        QCOMPARE(rig.store.count(), 400);
        for (const sandbox::LoadSample &sample : generator.samples()) {
            const std::optional<StoredEvent> event = rig.store.eventById(sample.eventId);
            QVERIFY2(event, qPrintable(sample.eventId));
            QCOMPARE(event->source, EventSource::Receiver);
            QCOMPARE(event->signature, SignatureVerdict::Valid);
            QCOMPARE(event->eventType, QStringLiteral("post.create"));
            QCOMPARE(event->tag, QStringLiteral("load"));
            QVERIFY(event->headers.contains(QStringLiteral("x-twitter-webhooks-signature")));
        }
        QTRY_COMPARE(stored.size(), 400);
        const auto event = stored.at(0).at(2).value<IntakeEvent>();
        QCOMPARE(event.source, EventSource::Receiver);
        QCOMPARE(event.facts.eventType, QStringLiteral("post.create"));
        QVERIFY(event.peer.startsWith(QLatin1String("127.0.0.1:")));
        QCOMPARE(rig.intake.storedCount(), 400);
    }

    void duplicatesAreAcknowledgedAndCounted()
    {
        QTemporaryDir dir;
        Rig rig(dir.path());
        QSignalSpy stored(&rig.intake, &EventIntake::eventStored);
        LoadOptions options = rig.load(50);
        options.idPrefix = QStringLiteral("77");
        LoadGenerator first(options);
        QVERIFY(run(first));
        LoadGenerator again(options); // X delivers the same events again
        QVERIFY(run(again));
        QCOMPARE(first.countWithStatus(200), 50);
        QCOMPARE(again.countWithStatus(200), 50);
        QCOMPARE(rig.store.count(), 50);
        const std::optional<StoredEvent> event =
            rig.store.eventById(LoadGenerator::eventId(options.idPrefix, 7));
        QVERIFY(event);
        QCOMPARE(event->duplicates, 1);
        QTRY_COMPARE(stored.size(), 100);
        QCOMPARE(rig.intake.duplicateCount(), 50);
        QVERIFY(stored.last().at(1).value<EventAppendResult>().duplicate);
    }

    void refusedDeliveriesLeaveNoRow_data()
    {
        QTest::addColumn<int>("signature");
        QTest::newRow("wrong") << int(LoadOptions::Signature::Wrong);
        QTest::newRow("missing") << int(LoadOptions::Signature::Missing);
    }
    void refusedDeliveriesLeaveNoRow()
    {
        QFETCH(int, signature);
        QTemporaryDir dir;
        Rig rig(dir.path());
        QSignalSpy rejected(&rig.intake, &EventIntake::deliveryRejected);
        LoadOptions options = rig.load(20);
        options.signature = LoadOptions::Signature(signature);
        LoadGenerator generator(options);
        QVERIFY(run(generator));
        QCOMPARE(generator.countWithStatus(401), 20);
        QCOMPARE(rig.store.count(), 0);
        QCOMPARE(rejected.size(), 20);
        // The body is nowhere in the database file either.
        QFile file(rig.store.databasePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("load test"));
    }

    void oversizeBodiesAre413()
    {
        QTemporaryDir dir;
        Rig rig(dir.path());
        LoadOptions options = rig.load(3, 1);
        options.bodyBytes = 2 * 1024 * 1024; // over the default 1 MiB
        LoadGenerator generator(options);
        QVERIFY(run(generator));
        QCOMPARE(generator.countWithStatus(413), 3);
        QCOMPARE(rig.store.count(), 0);
    }

    void accountActivityBodies()
    {
        QTemporaryDir dir;
        Rig rig(dir.path());
        LoadOptions options = rig.load(10);
        options.body = LoadOptions::Body::Aaa;
        LoadGenerator generator(options);
        QVERIFY(run(generator));
        QCOMPARE(generator.countWithStatus(200), 10);
        const QString id = generator.samples().at(3).eventId;
        const std::optional<StoredEvent> event =
            rig.store.eventById(QStringLiteral("aaa:favorite_events:2244994945:") + id);
        QVERIFY(event);
        QCOMPARE(event->forUserId, QStringLiteral("2244994945"));
    }

    void streamEvents()
    {
        QTemporaryDir dir;
        Rig rig(dir.path());
        QSignalSpy stored(&rig.intake, &EventIntake::eventStored);
        rig.intake.acceptStreamEvent(LoadGenerator::xaaBody(QStringLiteral("424242")), 1784927148000);
        QTRY_COMPARE(stored.size(), 1);
        const std::optional<StoredEvent> event = rig.store.eventById(QStringLiteral("424242"));
        QVERIFY(event);
        QCOMPARE(event->source, EventSource::Stream);
        QCOMPARE(event->signature, SignatureVerdict::NotApplicable);
        QCOMPARE(event->receivedAtMs, 1784927148000);
    }
};

QTEST_GUILESS_MAIN(TestEventIntake)
#include "tst_eventintake.moc"
