// activity-cli events list|show|export|resend|trigger|tail (#16) against an in-process SandboxServer on
// 127.0.0.1 and an event store in a temporary folder (ACTIVITY_EVENTS_FILE), as the console's
// Events pane keeps it.
#include "Crc.h"
#include "EventStore.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "CliTestSupport.h"

#include <memory>

using namespace activity;
namespace demo = activity::sandbox::demo;

using clitest::Run;

class TestCliEvents : public QObject
{
    Q_OBJECT

    std::unique_ptr<sandbox::SandboxServer> m_server;
    QTemporaryDir m_config;
    QTemporaryDir m_data;
    QString m_eventsFile;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = clitest::cleanEnvironment(m_config.path());
        clitest::addDemoCredentials(env, nullptr);
        env.insert(QStringLiteral("ACTIVITY_BEARER_TOKEN"), QString::fromLatin1(demo::bearerToken));
        env.insert(QStringLiteral("ACTIVITY_HISTORY_FILE"),
                   m_data.filePath(QStringLiteral("history.sqlite")));
        env.insert(QStringLiteral("ACTIVITY_EVENTS_FILE"), m_eventsFile);
        env.insert(QStringLiteral("ACTIVITY_SANDBOX_TOKEN"), QString::fromLatin1(m_server->controlToken()));
        return env;
    }

    Run cli(const QStringList &arguments, const QProcessEnvironment &env)
    {
        return clitest::runCli(QStringList {QStringLiteral("--base-url=") + m_server->baseUrl().toString(),
                                            QStringLiteral("--allow-insecure-loopback")} +
                                   arguments,
                               env);
    }
    Run cli(const QStringList &arguments) { return cli(arguments, environment()); }

    static QByteArray bioEvent(const QString &uuid)
    {
        return QStringLiteral("{\"data\":{\"event_uuid\":\"%1\",\"filter\":{\"user_id\":\"%2\"},"
                              "\"event_type\":\"profile.update.bio\",\"tag\":\"bios\","
                              "\"payload\":{\"before\":\"a\",\"after\":\"b\"}}}")
            .arg(uuid, demo::alice.id)
            .toUtf8();
    }

    // Three events as a receiver stored them: two bios, one like (AAA), oldest first.
    QList<qint64> storeEvents()
    {
        EventStore store(m_eventsFile);
        QList<qint64> rows;
        const QList<QByteArray> bodies {
            bioEvent(QStringLiteral("-8917909039855612786")),
            QByteArrayLiteral(
                "{\"for_user_id\":\"2000000000000000001\",\"favorite_events\":[{\"id\":\"f1\"}]}"),
            bioEvent(QStringLiteral("5900000000000000007"))};
        qint64 at = 1'780'000'000'000;
        for (const QByteArray &body : bodies) {
            EventRecord record;
            record.source = EventSource::Receiver;
            record.body = body;
            record.receivedAtMs = at += 1000;
            record.headers = {{"Content-Type", "application/json"},
                              {"x-twitter-webhooks-signature", crc::signature(demo::consumerSecret, body)}};
            record.signature = SignatureVerdict::Valid;
            QSignalSpy appended(&store, &EventStore::appended);
            store.append(record);
            if (!appended.wait(5000))
                return {};
            rows.append(appended.first().at(1).value<EventAppendResult>().rowId);
        }
        return rows;
    }

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<EventAppendResult>(); }

    void init()
    {
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
        m_eventsFile = m_data.filePath(
            QStringLiteral("events-%1.sqlite").arg(QString::fromLatin1(QTest::currentTestFunction())));
    }

    void cleanup() { m_server.reset(); }

    void listsNewestFirstAndFilters()
    {
        QCOMPARE(storeEvents().size(), 3);
        Run run = cli({QStringLiteral("events"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonArray events =
            QJsonDocument::fromJson(run.out).object().value(QStringLiteral("events")).toArray();
        QCOMPARE(events.size(), 3);
        QCOMPARE(events.at(0).toObject().value(QStringLiteral("event_id")).toString(),
                 QStringLiteral("5900000000000000007"));
        QCOMPARE(events.at(0).toObject().value(QStringLiteral("tag")).toString(), QStringLiteral("bios"));
        QVERIFY(!events.at(0).toObject().contains(QStringLiteral("body"))); // lists carry no bodies

        run =
            cli({QStringLiteral("events"), QStringLiteral("list"), QStringLiteral("--type=favorite_events")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("favorite_events") && !run.out.contains("profile.update.bio"),
                 run.out.constData());

        run = cli({QStringLiteral("events"), QStringLiteral("list"), QStringLiteral("--limit=x")});
        QCOMPARE(run.exitCode, 2);
    }

    void showsHeadersAndPrettyBody()
    {
        storeEvents();
        // A negative event id is not an option: "--" ends them, as everywhere.
        Run run = cli({QStringLiteral("events"), QStringLiteral("show"), QStringLiteral("--"),
                       QStringLiteral("-8917909039855612786")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("x-twitter-webhooks-signature: sha256="), run.out.constData());
        QVERIFY2(run.out.contains("\"event_type\": \"profile.update.bio\""),
                 run.out.constData()); // indented JSON
        run = cli({QStringLiteral("events"), QStringLiteral("show"), QStringLiteral("nope")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("events list"));
    }

    void exportsJsonLinesOldestFirst()
    {
        storeEvents();
        const QString file = m_data.filePath(QStringLiteral("out.jsonl"));
        Run run = cli({QStringLiteral("events"), QStringLiteral("export"), QStringLiteral("--output"), file});
        QCOMPARE(run.exitCode, 0);
        QFile exported(file);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = exported.readAll().split('\n');
        QCOMPARE(lines.size(), 4); // three lines and the final newline
        const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object();
        QCOMPARE(first.value(QStringLiteral("event_id")).toString(), QStringLiteral("-8917909039855612786"));
        // The body's own bytes, key order and all.
        QVERIFY(lines.at(0).endsWith(
            QByteArray(",\"body\":" + bioEvent(QStringLiteral("-8917909039855612786")) + "}")));
        QCOMPARE(first.value(QStringLiteral("body"))
                     .toObject()
                     .value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("tag")),
                 QJsonValue(QStringLiteral("bios")));

        run = cli(
            {QStringLiteral("events"), QStringLiteral("export"), QStringLiteral("--type=favorite_events")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.count('\n'), 1);
    }

    void resendDeliversOriginalBytesSigned()
    {
        const QList<qint64> rows = storeEvents();
        Run run = cli({QStringLiteral("events"), QStringLiteral("resend"), QString::number(rows.at(1)),
                       QStringLiteral("5900000000000000007"), QStringLiteral("--forward-to"),
                       m_server->demoReceiverUrl()});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.count('\n'), 2);
        const auto received = m_server->receivedEvents(QStringLiteral("demo"));
        QCOMPARE(received.size(), 2);
        QSet<QByteArray> bodies;
        for (const auto &event : received)
            bodies.insert(event.body);
        EventStore store(m_eventsFile);
        QCOMPARE(bodies, (QSet<QByteArray> {store.event(rows.at(1))->body, store.event(rows.at(2))->body}));
        QCOMPARE(store.event(rows.at(2))->forward->httpStatus, 200); // kept with the event
        QVERIFY(!store.event(rows.at(0))->forward);
    }

    void resendNeedsATargetAndTheSecret()
    {
        storeEvents();
        Run run = cli({QStringLiteral("events"), QStringLiteral("resend"), QStringLiteral("1")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--forward-to"));
        run = cli({QStringLiteral("events"), QStringLiteral("resend"), QStringLiteral("1"),
                   QStringLiteral("--forward-to=ftp://127.0.0.1/x")});
        QCOMPARE(run.exitCode, 2);
        QProcessEnvironment env = environment();
        env.remove(QStringLiteral("ACTIVITY_CONSUMER_SECRET"));
        run = cli({QStringLiteral("events"), QStringLiteral("resend"), QStringLiteral("1"),
                   QStringLiteral("--forward-to"), m_server->demoReceiverUrl()},
                  env);
        QCOMPARE(run.exitCode, 4);
        QVERIFY(m_server->receivedEvents(QStringLiteral("demo")).isEmpty());
    }

    void triggerMakesAnXActivityEvent()
    {
        const qsizetype before = m_server->activityEvents().size();
        Run run =
            cli({QStringLiteral("events"), QStringLiteral("trigger"), QStringLiteral("profile.update.bio"),
                 QStringLiteral("--user"), demo::alice.id, QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(QJsonDocument::fromJson(run.out).object().value(QStringLiteral("emitted")).toInt() >= 1);
        QVERIFY(m_server->activityEvents().size() > before);
        QCOMPARE(m_server->activityEvents().constLast().eventType, QStringLiteral("profile.update.bio"));
    }

    void triggerMakesAnAccountActivityEventForAnAtName()
    {
        Run run = cli({QStringLiteral("events"), QStringLiteral("trigger"), QStringLiteral("favorite_events"),
                       QStringLiteral("--user"), QStringLiteral("@") + demo::alice.username});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("favorite_events"), run.out.constData());
    }

    void triggerRefusesWithoutTokenOrType()
    {
        QProcessEnvironment env = environment();
        env.remove(QStringLiteral("ACTIVITY_SANDBOX_TOKEN"));
        Run run =
            cli({QStringLiteral("events"), QStringLiteral("trigger"), QStringLiteral("post.create")}, env);
        QCOMPARE(run.exitCode, 4);
        QVERIFY(run.err.contains("ACTIVITY_SANDBOX_TOKEN"));
        run = cli({QStringLiteral("events"), QStringLiteral("trigger"), QStringLiteral("post.nonsense")});
        QCOMPARE(run.exitCode, 2);
        env = environment();
        env.insert(QStringLiteral("ACTIVITY_SANDBOX_TOKEN"), QStringLiteral("wrong"));
        run = cli({QStringLiteral("events"), QStringLiteral("trigger"), QStringLiteral("post.create")}, env);
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("changes with every sandbox run"));
    }

    // events tail --stream: the stream's events are stored and printed, and forwarded (re-signed)
    // to the program; --count ends the run.
    void tailStreamsStoresAndForwards()
    {
        // Once the tail's stream is open, the sandbox makes two events for the stream-only
        // subscription of bob's posts (SandboxDemo.h).
        QTimer emitter;
        emitter.setInterval(20);
        connect(&emitter, &QTimer::timeout, this, [this, &emitter] {
            if (m_server->openActivityStreams() == 0)
                return;
            emitter.stop();
            m_server->emitActivityEvent(QStringLiteral("post.create"), {demo::bob.id, {}, {}});
            m_server->emitActivityEvent(QStringLiteral("post.create"), {demo::bob.id, {}, {}});
        });
        emitter.start();
        const Run run = cli({QStringLiteral("events"), QStringLiteral("tail"), QStringLiteral("--stream"),
                             QStringLiteral("--count=2"), QStringLiteral("--json"),
                             QStringLiteral("--forward-to"), m_server->demoReceiverUrl()});
        QCOMPARE(run.exitCode, 0);
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QStringList printed;
        for (const QByteArray &line : lines) {
            const QJsonObject event =
                QJsonDocument::fromJson(line).object().value(QStringLiteral("event")).toObject();
            if (!event.isEmpty()) {
                QCOMPARE(event.value(QStringLiteral("source")).toString(), QStringLiteral("stream"));
                printed.append(event.value(QStringLiteral("event_id")).toString());
            }
        }
        QStringList emitted;
        for (const auto &event : m_server->activityEvents())
            if (event.eventType == QLatin1String("post.create"))
                emitted.append(event.eventUuid);
        QCOMPARE(printed, emitted.mid(emitted.size() - 2));

        EventStore store(m_eventsFile);
        QCOMPARE(store.count(), 2);
        // Forwarded before the run ended: the demo receiver kept both, signature valid, bytes as streamed.
        const auto received = m_server->receivedEvents(QStringLiteral("demo"));
        QCOMPARE(received.size(), 2);
        for (const auto &event : received)
            QCOMPARE(store
                         .eventById(QString::fromUtf8(QJsonDocument::fromJson(event.body)
                                                          .object()
                                                          .value(QStringLiteral("data"))
                                                          .toObject()
                                                          .value(QStringLiteral("event_uuid"))
                                                          .toString()
                                                          .toUtf8()))
                         ->body,
                     event.body);
    }

    // events tail without a source follows the store as another program fills it.
    void tailFollowsTheStore()
    {
        storeEvents(); // before the tail: not printed
        EventStore writer(m_eventsFile);
        QTimer later;
        later.setSingleShot(true);
        later.setInterval(100);
        connect(&later, &QTimer::timeout, this, [&writer] {
            EventRecord record;
            record.body = bioEvent(QStringLiteral("777"));
            writer.append(record);
        });
        later.start();
        const Run run = cli({QStringLiteral("events"), QStringLiteral("tail"), QStringLiteral("--count=1")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("profile.update.bio  777"), run.out.constData());
        QVERIFY(!run.out.contains("5900000000000000007"));
    }

    // --from/--to: a bounded fetch of the stream prints the window's events and ends by itself.
    void tailFetchesABoundedWindow()
    {
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-60);
        m_server->emitActivityEvent(QStringLiteral("post.create"), {demo::bob.id, {}, {}});
        m_server->emitActivityEvent(QStringLiteral("post.create"), {demo::bob.id, {}, {}});
        // The end a second ahead, whole seconds as X takes them: the window holds both events.
        const QDateTime end = QDateTime::currentDateTimeUtc().addSecs(1);
        const Run run = cli({QStringLiteral("events"), QStringLiteral("tail"), QStringLiteral("--stream"),
                             QStringLiteral("--from"), before.toString(Qt::ISODate), QStringLiteral("--to"),
                             end.toString(Qt::ISODate)});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.count("post.create"), 2);
        QCOMPARE(EventStore(m_eventsFile).count(), 2);
        // Without --stream the window means nothing.
        QCOMPARE(cli({QStringLiteral("events"), QStringLiteral("tail"), QStringLiteral("--from"),
                      before.toString(Qt::ISODate)})
                     .exitCode,
                 2);
    }

    void tailStreamNeedsTheBearer()
    {
        QProcessEnvironment env = environment();
        env.remove(QStringLiteral("ACTIVITY_BEARER_TOKEN"));
        const Run run =
            cli({QStringLiteral("events"), QStringLiteral("tail"), QStringLiteral("--stream")}, env);
        QCOMPARE(run.exitCode, 4);
        QVERIFY(run.err.contains("Bearer"));
    }

    // ACTIVITY_EVENTS_DURABILITY: power-loss stores as the default does; anything else is refused
    // with the two values to use, before the store is touched.
    void durabilityComesFromTheEnvironment()
    {
        storeEvents();
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("ACTIVITY_EVENTS_DURABILITY"), QStringLiteral("power-loss"));
        Run run = cli({QStringLiteral("events"), QStringLiteral("list")}, env);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("profile.update.bio"), run.out.constData());
        env.insert(QStringLiteral("ACTIVITY_EVENTS_DURABILITY"), QStringLiteral("fsync"));
        run = cli({QStringLiteral("events"), QStringLiteral("list")}, env);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("ACTIVITY_EVENTS_DURABILITY is 'fsync'") &&
                     run.err.contains("program-crash") && run.err.contains("power-loss"),
                 run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliEvents)
#include "tst_clievents.moc"
