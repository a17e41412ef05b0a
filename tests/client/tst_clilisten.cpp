// activity-cli listen (#16), the real executable in a child process: what it prints (text and
// --json), its exit codes, SIGTERM ending it cleanly, and SIGKILL mid-burst losing nothing it
// acknowledged with 200.
#include "CliProcess.h"
#include "Crc.h"
#include "EventStore.h"
#include "LoadGenerator.h"
#include "ReceiverTestClient.h"

#include <QJsonArray>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace activity;
using sandbox::LoadGenerator;
using sandbox::LoadOptions;

namespace {

const QByteArray kSecret = "test_consumer_secret";
const QByteArray kBody = R"({"for_user_id":"2244994945","favorite_events":[{"id":"fav-1"}]})";

struct Listener
{
    explicit Listener(const QString &dir, const QStringList &extra = {}, bool withSecret = true)
    {
        env = clitest::cleanEnvironment(dir + QStringLiteral("/config"));
        if (withSecret)
            env.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QString::fromLatin1(kSecret));
        eventsFile = dir + QStringLiteral("/events.sqlite");
        env.insert(QStringLiteral("ACTIVITY_EVENTS_FILE"), eventsFile);
        process.setStandardInputFile(QProcess::nullDevice());
        clitest::startCliProcess(process, QStringList {QStringLiteral("listen")} + extra, env);
    }
    ~Listener()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        }
    }
    // The next line of stdout (without its newline); empty after 10 s or when the process ended.
    QByteArray nextLine()
    {
        if (!QTest::qWaitFor(
                [this] { return process.canReadLine() || process.state() == QProcess::NotRunning; }, 10000))
            return {};
        return process.readLine().trimmed();
    }
    QJsonObject nextJson() { return QJsonDocument::fromJson(nextLine()).object(); }
    bool waitFinished()
    {
        return QTest::qWaitFor([this] { return process.state() == QProcess::NotRunning; }, 20000);
    }

    QProcessEnvironment env;
    QString eventsFile;
    QProcess process;
};

quint16 portFromUrl(const QString &url)
{
    return quint16(QUrl(url).port());
}

} // namespace

class TestCliListen : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonLinesAndACleanStop()
    {
        QTemporaryDir dir;
        Listener listener(
            dir.path(),
            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--json")});
        const QJsonObject listening = listener.nextJson().value(QStringLiteral("listening")).toObject();
        QVERIFY2(!listening.isEmpty(), listener.process.readAllStandardError().constData());
        QCOMPARE(listening.value(QStringLiteral("events_file")).toString(), listener.eventsFile);
        const quint16 port = quint16(listening.value(QStringLiteral("port")).toInt());
        QCOMPARE(portFromUrl(listening.value(QStringLiteral("url")).toString()), port);

        receivertest::Client client(port);
        client.send("GET /webhook?crc_token=challenge_string HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(client.read().body.contains("sha256=583uAmerwtjpykYEAEm+CEIRm6dOywK4QKRr0ha/Pd4="));
        const QJsonObject crc = listener.nextJson().value(QStringLiteral("crc")).toObject();
        QCOMPARE(crc.value(QStringLiteral("ok")).toBool(), true);

        for (int i = 0; i < 2; ++i) {
            client.send(receivertest::Client::post(kBody, crc::signature(kSecret, kBody)));
            QCOMPARE(client.read().status, 200);
            const QJsonObject event = listener.nextJson().value(QStringLiteral("event")).toObject();
            QCOMPARE(event.value(QStringLiteral("type")).toString(), QStringLiteral("favorite_events"));
            QCOMPARE(event.value(QStringLiteral("event_id")).toString(),
                     QStringLiteral("aaa:favorite_events:2244994945:fav-1"));
            QCOMPARE(event.value(QStringLiteral("for_user_id")).toString(), QStringLiteral("2244994945"));
            QCOMPARE(event.value(QStringLiteral("duplicate")).toBool(), i == 1);
        }

        client.send(receivertest::Client::post(kBody, "sha256=AAAA"));
        QCOMPARE(client.read().status, 401);
        const QByteArray rejectedLine = listener.nextLine();
        QVERIFY(!rejectedLine.contains("fav-1")); // never the body
        const QJsonObject rejected =
            QJsonDocument::fromJson(rejectedLine).object().value(QStringLiteral("rejected")).toObject();
        QCOMPARE(rejected.value(QStringLiteral("status")).toInt(), 401);
        QCOMPARE(rejected.value(QStringLiteral("body_bytes")).toInt(), kBody.size());

        ::kill(pid_t(listener.process.processId()), SIGTERM);
        QVERIFY(listener.waitFinished());
        QCOMPARE(listener.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(listener.process.exitCode(), 0);
        QVERIFY(listener.process.readAllStandardError().contains("1 deliveries refused"));

        EventStore store(listener.eventsFile);
        QCOMPARE(store.count(), 1);
        QCOMPARE(store.newest(1).first().duplicates, 1);
    }

    void textLines()
    {
        QTemporaryDir dir;
        Listener listener(dir.path(),
                          {QStringLiteral("--listen"), QStringLiteral("0"), QStringLiteral("--path"),
                           QStringLiteral("/x/hook")});
        const QByteArray first = listener.nextLine();
        QVERIFY2(first.startsWith("Listening on http://127.0.0.1:"), first.constData());
        const QString url = QString::fromUtf8(first.split(' ').value(2));
        QVERIFY(url.endsWith(QLatin1String("/x/hook")));
        const QByteArray body = LoadGenerator::xaaBody(QStringLiteral("9000000001"));
        receivertest::Client client(portFromUrl(url));
        client.send(receivertest::Client::post(body, crc::signature(kSecret, body), "/x/hook"));
        QCOMPARE(client.read().status, 200);
        const QByteArray line = listener.nextLine();
        QVERIFY2(line.contains("post.create  9000000001  user 1111111111111111111  tag load"),
                 line.constData());
        ::kill(pid_t(listener.process.processId()), SIGINT);
        QVERIFY(listener.waitFinished());
        QCOMPARE(listener.process.exitCode(), 0);
    }

    void exitCodes()
    {
        QTemporaryDir dir;
        {
            Listener noSecret(dir.path(), {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}, false);
            QVERIFY(noSecret.waitFinished());
            QCOMPARE(noSecret.process.exitCode(), 4);
        }
        {
            Listener badAddress(dir.path(), {QStringLiteral("--listen"), QStringLiteral("nowhere:80")});
            QVERIFY(badAddress.waitFinished());
            QCOMPARE(badAddress.process.exitCode(), 2);
        }
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        Listener inUse(dir.path(),
                       {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(taken.serverPort())});
        QVERIFY(inUse.waitFinished());
        QCOMPARE(inUse.process.exitCode(), 3);
        QVERIFY(inUse.process.readAllStandardError().contains("in use"));
    }

    // SIGKILL mid-burst: every event the sender saw answered 200 is in the store afterwards.
    void killedMidBurstKeepsEveryAcknowledgedEvent()
    {
        QTemporaryDir dir;
        Listener listener(
            dir.path(),
            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--json")});
        const QJsonObject listening = listener.nextJson().value(QStringLiteral("listening")).toObject();
        QVERIFY(!listening.isEmpty());

        LoadOptions options;
        options.port = quint16(listening.value(QStringLiteral("port")).toInt());
        options.consumerSecret = kSecret;
        options.events = 30000;
        options.connections = 32;
        LoadGenerator generator(options);
        QSignalSpy finished(&generator, &LoadGenerator::finished);
        generator.start();
        QVERIFY(QTest::qWaitFor([&] { return generator.answeredCount() >= 3000 || generator.isFinished(); },
                                60000));
        QVERIFY(!generator.isFinished());
        listener.process.kill(); // SIGKILL: no destructor, no flush, no clean close
        QVERIFY(generator.isFinished() || finished.wait(20000));
        QVERIFY(listener.waitFinished());
        QCOMPARE(listener.process.exitStatus(), QProcess::CrashExit);

        EventStore store(listener.eventsFile);
        QVERIFY(store.isOpen());
        int acknowledged = 0;
        for (const sandbox::LoadSample &sample : generator.samples()) {
            if (sample.status != 200)
                continue;
            ++acknowledged;
            QVERIFY2(store.eventById(sample.eventId), qPrintable(sample.eventId));
        }
        QVERIFY(acknowledged >= 3000);
        QVERIFY(acknowledged < options.events);
        qInfo("killed after %d deliveries acknowledged; %lld rows found after restart", acknowledged,
              store.count());
    }
};

QTEST_GUILESS_MAIN(TestCliListen)
#include "tst_clilisten.moc"
