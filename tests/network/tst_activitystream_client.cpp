// The X Activity stream client (network/ActivityStreamClient) against an in-process SandboxServer on
// 127.0.0.1: events with their fields and in order, reconnects after a drop, a stall and an
// in-stream error with backfill and without doubles, the duplicate window, the connection limit,
// a refused token, a bounded fetch, and a burst read on a worker thread; lines cut anywhere and
// malformed lines from a scripted server; the defaults and the backoff table. Parsing and the
// duplicate window alone: tst_activitystream_protocol.
// Nothing sleeps: waits are on signals (QSignalSpy::wait, QTRY_*).

#include "ActivityStreamClient.h"
#include "ActivityStreamProtocol.h"
#include "ActivityStreamTestSupport.h"
#include "ActivityStreamThread.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPointer>
#include <QSet>
#include <QSignalSpy>
#include <QUrlQuery>
#include <QtTest>

#include <atomic>
#include <memory>

using namespace activity;
using namespace std::chrono_literals;
namespace demo = activity::sandbox::demo;
using State = ActivityStreamClient::State;
using streamtest::Recorder;

namespace {

const QString streamPath = QStringLiteral("/2/activity/stream");

QString queryValue(const QUrl &url, const char *name)
{
    return QUrlQuery(url).queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
}

// A raw GET of the stream that holds one of the app's 2 connections.
QNetworkReply *holdConnection(QNetworkAccessManager &network, const QUrl &base)
{
    QNetworkRequest request(QUrl(base.toString() + streamPath));
    request.setRawHeader("Authorization", QByteArray("Bearer ") + demo::bearerToken);
    return network.get(request);
}

} // namespace

class TestActivityStreamClient : public QObject
{
    Q_OBJECT

    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<ActivityStreamClient> m_client;
    std::unique_ptr<Recorder> m_recorder;

    // Every wait a few milliseconds instead of the documented seconds and minutes. Tests wait for
    // State::Connected before a fault ("see fastConfig()"): until the client has read the answer's
    // headers, QNetworkAccessManager itself resends a GET whose connection closed without a byte,
    // and the client sees no disconnect.
    ActivityStreamConfig fastConfig() const
    {
        ActivityStreamConfig config;
        config.baseUrl = m_server->baseUrl();
        config.bearerToken = demo::bearerToken;
        config.backoff.networkStep = 10ms;
        config.backoff.networkCap = 100ms;
        config.backoff.httpBase = 20ms;
        config.backoff.httpCap = 200ms;
        config.backoff.rateLimitedBase = 50ms;
        config.backoff.rateLimitedCap = 400ms;
        return config;
    }

    ActivityStreamClient *startClient(const ActivityStreamConfig &config)
    {
        m_client = std::make_unique<ActivityStreamClient>(config);
        m_recorder->watch(m_client.get());
        m_client->start();
        return m_client.get();
    }

    QStringList emittedUuids() const
    {
        QStringList out;
        for (const sandbox::ActivityEventRecord &record : m_server->activityEvents())
            out.append(record.eventUuid);
        return out;
    }

    void emitPosts(int count)
    {
        for (int i = 0; i < count; ++i)
            QCOMPARE(m_server->emitActivityEvent(QStringLiteral("post.create")), 1);
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<sandbox::SandboxServer>();
        QVERIFY(m_server->listen());
        m_server->seedDemo();
        m_recorder = std::make_unique<Recorder>();
    }

    void cleanup()
    {
        m_client.reset();
        m_recorder.reset();
        m_server.reset();
    }

    // --- the pure pieces ---

    void shouldUseTheDocumentedDefaults()
    {
        const ActivityStreamConfig config;
        QCOMPARE(config.stallTimeout, std::chrono::milliseconds(20s)); // §4.5: a keep-alive every 20 s
        QVERIFY(config.backfillOnReconnect);
        QVERIFY(!config.isBounded());
        QCOMPARE(config.rememberedEventIds, 100000);
    }

    void shouldWaitAsTheReferenceSays_data()
    {
        QTest::addColumn<BackoffKind>("kind");
        QTest::addColumn<int>("attempt");
        QTest::addColumn<qint64>("expectedMs");
        const auto row = [](const char *name, BackoffKind kind, int attempt, qint64 ms) {
            QTest::newRow(name) << kind << attempt << ms;
        };
        // Network errors: linear, +250 ms per attempt, up to 16 s.
        row("network 0 as 1", BackoffKind::Network, 0, 250);
        row("network 1", BackoffKind::Network, 1, 250);
        row("network 2", BackoffKind::Network, 2, 500);
        row("network 10", BackoffKind::Network, 10, 2500);
        row("network 63", BackoffKind::Network, 63, 15750);
        row("network 64", BackoffKind::Network, 64, 16000);
        row("network 65", BackoffKind::Network, 65, 16000);
        row("network huge", BackoffKind::Network, 2000000000, 16000);
        // HTTP errors: from 5 s, doubling, capped at 320 s.
        row("http 1", BackoffKind::Http, 1, 5000);
        row("http 2", BackoffKind::Http, 2, 10000);
        row("http 3", BackoffKind::Http, 3, 20000);
        row("http 6", BackoffKind::Http, 6, 160000);
        row("http 7", BackoffKind::Http, 7, 320000);
        row("http 8", BackoffKind::Http, 8, 320000);
        row("http huge", BackoffKind::Http, 2000000000, 320000);
        // 429: from 1 minute, doubling, capped at 16 minutes (the client's choice).
        row("429 1", BackoffKind::RateLimited, 1, 60000);
        row("429 2", BackoffKind::RateLimited, 2, 120000);
        row("429 3", BackoffKind::RateLimited, 3, 240000);
        row("429 4", BackoffKind::RateLimited, 4, 480000);
        row("429 5", BackoffKind::RateLimited, 5, 960000);
        row("429 6", BackoffKind::RateLimited, 6, 960000);
        row("429 huge", BackoffKind::RateLimited, 2000000000, 960000);
    }

    void shouldWaitAsTheReferenceSays()
    {
        QFETCH(BackoffKind, kind);
        QFETCH(int, attempt);
        QFETCH(qint64, expectedMs);
        QCOMPARE(StreamBackoff().delay(kind, attempt).count(), expectedMs);
    }

    void shouldScaleTheBackoffForTests()
    {
        StreamBackoff fast;
        fast.networkStep = 1ms;
        fast.networkCap = 3ms;
        fast.httpBase = 2ms;
        fast.httpCap = 7ms;
        QCOMPARE(fast.delay(BackoffKind::Network, 2), 2ms);
        QCOMPARE(fast.delay(BackoffKind::Network, 9), 3ms);
        QCOMPARE(fast.delay(BackoffKind::Http, 2), 4ms);
        QCOMPARE(fast.delay(BackoffKind::Http, 3), 7ms);
    }

    // --- against the sandbox ---

    void shouldDeliverTheSandboxsEventsWithTheirFieldsInOrder()
    {
        startClient(fastConfig());
        QTRY_COMPARE(m_recorder->state(), State::Connected);
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QCOMPARE(m_recorder->requests.size(), 1);
        QVERIFY(!QUrlQuery(m_recorder->requests.first()).hasQueryItem(QStringLiteral("backfill_minutes")));
        QCOMPARE(m_server->emitActivityEventsForAll(), demo::activitySubscriptionCount);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("profile.update.bio")), 1);

        const QList<sandbox::ActivityEventRecord> made = m_server->activityEvents();
        QTRY_COMPARE(m_recorder->events.size(), made.size());
        for (qsizetype i = 0; i < made.size(); ++i) {
            const StreamEvent &event = m_recorder->events.at(i);
            const sandbox::ActivityEventRecord &record = made.at(i);
            QCOMPARE(event.raw, record.body);
            QCOMPARE(event.eventUuid, record.eventUuid);
            QCOMPARE(event.eventType, record.eventType);
            const QJsonObject data =
                QJsonDocument::fromJson(record.body).object().value(QStringLiteral("data")).toObject();
            const QJsonObject filter = data.value(QStringLiteral("filter")).toObject();
            QCOMPARE(event.filter, QJsonDocument(filter).toJson(QJsonDocument::Compact));
            QCOMPARE(event.forUserId, filter.value(QStringLiteral("user_id")).toString());
            QCOMPARE(event.tag, data.value(QStringLiteral("tag")).toString());
            QVERIFY(event.receivedAtMs > 0);
        }
        QCOMPARE(m_recorder->events.first().tag, demo::activityBioTag);
        QCOMPARE(m_recorder->events.first().forUserId, demo::alice.id);
        QTRY_COMPARE(m_recorder->counters.events, made.size());
        QVERIFY(m_recorder->counters.lastEventAt.isValid());
        QCOMPARE(m_recorder->counters.duplicatesDropped, 0);
        QCOMPARE(m_recorder->counters.reconnects, 0);
        QVERIFY(m_recorder->reconnects.isEmpty());
        m_client->stop();
        QCOMPARE(m_recorder->state(), State::Idle);
        QTRY_COMPARE(m_server->openActivityStreams(), 0);
    }

    void shouldReconnectAfterADropWithBackfillAndNeitherLoseNorDoubleAnEvent()
    {
        startClient(fastConfig());
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QTRY_COMPARE(m_recorder->state(), State::Connected); // see fastConfig()
        emitPosts(40);
        QCOMPARE(m_server->dropActivityStreams(), 1); // mid-burst: some of the 40 are still unread
        emitPosts(30); // while no stream is open
        QTRY_VERIFY(m_recorder->requests.size() >= 2);
        QCOMPARE(queryValue(m_recorder->requests.at(1), "backfill_minutes"), QStringLiteral("1"));
        QCOMPARE(m_recorder->reconnects.first().kind, BackoffKind::Network);
        QCOMPARE(m_recorder->reconnects.first().reason, QStringLiteral("network"));
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QTRY_COMPARE(m_recorder->state(), State::Connected); // see fastConfig()
        emitPosts(30); // live again

        const QStringList emitted = emittedUuids();
        QCOMPARE(emitted.size(), 100);
        QTRY_COMPARE(m_recorder->events.size(), emitted.size());
        const QStringList received = m_recorder->uuids();
        QCOMPARE(QSet<QString>(received.cbegin(), received.cend()).size(), received.size()); // no doubles
        QCOMPARE(QSet<QString>(received.cbegin(), received.cend()),
                 QSet<QString>(emitted.cbegin(), emitted.cend()));
        QTRY_VERIFY(m_recorder->counters.reconnects >= 1);
        QVERIFY(m_recorder->missing.isEmpty());
    }

    void shouldSayWhichEventsMayBeMissingAfterALongGap()
    {
        auto clockMs = std::make_shared<std::atomic<qint64>>(1000);
        ActivityStreamConfig config = fastConfig();
        config.monotonicClockMs = [clockMs] { return clockMs->load(); };
        startClient(config);
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QTRY_COMPARE(m_recorder->state(), State::Connected); // see fastConfig()
        emitPosts(1);
        QTRY_COMPARE(m_recorder->events.size(), 1);
        clockMs->fetch_add(6 * 60 * 1000 + 1); // six minutes since the last byte
        QCOMPARE(m_server->dropActivityStreams(), 1);
        QTRY_VERIFY(m_recorder->requests.size() >= 2);
        QCOMPARE(queryValue(m_recorder->requests.at(1), "backfill_minutes"), QStringLiteral("5"));
        QCOMPARE(m_recorder->missing.size(), 1);
        QVERIFY2(m_recorder->missing.first().contains(QStringLiteral("may be missing")),
                 qPrintable(m_recorder->missing.first()));
        QVERIFY(m_recorder->missing.first().contains(QStringLiteral("away for 6 minutes")));
    }

    void shouldNoticeAStallAndReconnect()
    {
        m_server->setActivityStreamHeartbeat(60s);
        ActivityStreamConfig config = fastConfig();
        config.stallTimeout = 300ms;
        startClient(config);
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QTRY_COMPARE(m_recorder->state(), State::Connected); // see fastConfig()
        emitPosts(1);
        QTRY_COMPARE(m_recorder->events.size(), 1);
        m_server->stallActivityStreams();
        emitPosts(1); // held by the stalled stream

        QTRY_VERIFY_WITH_TIMEOUT(!m_recorder->reconnects.isEmpty(), 5000);
        const StreamReconnect &stall = m_recorder->reconnects.first();
        QCOMPARE(stall.reason, QStringLiteral("stall"));
        QCOMPARE(stall.kind, BackoffKind::Network);
        QCOMPARE(stall.attempt, 1);
        QVERIFY(stall.message.contains(QStringLiteral("stalled")));
        QTRY_VERIFY(m_recorder->requests.size() >= 2);
        QCOMPARE(queryValue(m_recorder->requests.at(1), "backfill_minutes"), QStringLiteral("1"));

        m_server->setActivityStreamHeartbeat(100ms); // from now on the connection stays busy
        m_server->resumeActivityStreams();
        QTRY_COMPARE_WITH_TIMEOUT(m_recorder->events.size(), 2, 10000);
        QCOMPARE(m_recorder->uuids(), emittedUuids());
        QTRY_COMPARE(m_recorder->state(), State::Connected);
    }

    void shouldDropAndCountDuplicates()
    {
        startClient(fastConfig());
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QTRY_COMPARE(m_recorder->state(), State::Connected); // see fastConfig()
        m_server->duplicateNextActivityStreamEvents(2);
        emitPosts(3);
        QTRY_COMPARE(m_recorder->counters.duplicatesDropped, 2);
        QTRY_COMPARE(m_recorder->counters.events, 3);
        QCOMPARE(m_recorder->uuids(), emittedUuids());
        QCOMPARE(m_client->counters().duplicatesDropped, 2);
    }

    void shouldReconnectAfterAnInStreamError()
    {
        startClient(fastConfig());
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QTRY_COMPARE(m_recorder->state(), State::Connected); // see fastConfig()
        QCOMPARE(m_server->disconnectActivityStreamsWithError(QStringLiteral("Maintenance.")), 1);
        QTRY_COMPARE(m_recorder->serverErrors.size(), 1);
        QVERIFY(m_recorder->serverErrors.first().contains(QStringLiteral("operational-disconnect")));
        QVERIFY(m_recorder->serverErrors.first().contains(QStringLiteral("Maintenance.")));
        QTRY_VERIFY(!m_recorder->reconnects.isEmpty());
        QCOMPARE(m_recorder->reconnects.first().reason, QStringLiteral("server-error"));
        QTRY_COMPARE(m_recorder->connections(), 2);
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QTRY_COMPARE(m_recorder->state(), State::Connected); // see fastConfig()
        emitPosts(1);
        QTRY_COMPARE(m_recorder->uuids(), emittedUuids());
        QCOMPARE(m_recorder->counters.malformedLines, 0);
    }

    void shouldWaitWhenBothConnectionsAreTaken()
    {
        QNetworkAccessManager network;
        network.setProxy(QNetworkProxy::NoProxy);
        QPointer<QNetworkReply> first = holdConnection(network, m_server->baseUrl());
        QPointer<QNetworkReply> second = holdConnection(network, m_server->baseUrl());
        QTRY_COMPARE(m_server->openActivityStreams(), 2);

        startClient(fastConfig());
        QTRY_VERIFY(!m_recorder->reconnects.isEmpty());
        const StreamReconnect reconnect = m_recorder->reconnects.first();
        QCOMPARE(reconnect.kind, BackoffKind::RateLimited);
        QCOMPARE(reconnect.reason, QStringLiteral("too-many-connections"));
        QCOMPARE(reconnect.httpStatus, 429);
        QCOMPARE(reconnect.delay, 50ms); // the (scaled) 429 base
        QVERIFY2(reconnect.message.contains(QStringLiteral("2 stream connections")),
                 qPrintable(reconnect.message));
        QVERIFY(reconnect.message.contains(QStringLiteral("other programs")));
        QTRY_COMPARE(m_recorder->states.first().first, State::Connecting);
        QVERIFY(std::any_of(m_recorder->states.cbegin(), m_recorder->states.cend(),
                            [](const auto &s) { return s.first == State::Waiting; }));

        first->abort(); // a slot is free: the client gets it on its next attempt
        QTRY_COMPARE_WITH_TIMEOUT(m_recorder->state(), State::Connected, 5000);
        QTRY_COMPARE(m_server->openActivityStreams(), 2);
        second->abort();
        delete first.data();
        delete second.data();
    }

    void shouldFailWithoutRetryingWhenTheTokenIsRefused()
    {
        ActivityStreamConfig config = fastConfig();
        config.bearerToken = "not-the-apps-bearer-token";
        startClient(config);
        QTRY_COMPARE(m_recorder->state(), State::Failed);
        QVERIFY2(m_recorder->message().contains(QStringLiteral("Bearer token in the profile")),
                 qPrintable(m_recorder->message()));
        QVERIFY(m_recorder->message().contains(QStringLiteral("401")));
        QVERIFY(!m_recorder->message().contains(QStringLiteral("not-the-apps-bearer-token")));
        QSignalSpy again(m_client.get(), &ActivityStreamClient::requestStarted);
        QVERIFY(!again.wait(300)); // several (scaled) backoff periods: nothing is retried
        QCOMPARE(m_recorder->requests.size(), 1);
        QVERIFY(m_recorder->reconnects.isEmpty());
        QCOMPARE(m_server->journal().forPath(streamPath, "GET").size(), 1);
        QVERIFY(!m_client->nextAttemptAt().isValid());
    }

    void shouldEndABoundedFetch()
    {
        const QDateTime t0(QDate(2026, 7, 24), QTime(21, 0), Qt::UTC);
        m_server->setNow(t0);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("profile.update.bio")), 1);
        m_server->advance(120s);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("post.create")), 1);
        m_server->advance(120s);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("like.create")), 1);
        m_server->advance(60s);

        ActivityStreamConfig config = fastConfig();
        config.startTime = t0.addSecs(60);
        config.endTime = t0.addSecs(180);
        startClient(config);
        QTRY_COMPARE(m_recorder->state(), State::Ended);
        QCOMPARE(m_recorder->uuids(), QStringList {m_server->activityEvents().at(1).eventUuid});
        QCOMPARE(m_recorder->requests.size(), 1);
        const QUrl url = m_recorder->requests.first();
        QCOMPARE(queryValue(url, "start_time"), QStringLiteral("2026-07-24T21:01:00Z"));
        QCOMPARE(queryValue(url, "end_time"), QStringLiteral("2026-07-24T21:03:00Z"));
        QVERIFY(!QUrlQuery(url).hasQueryItem(QStringLiteral("backfill_minutes")));
        QVERIFY(m_recorder->reconnects.isEmpty());
        QTRY_COMPARE(m_server->openActivityStreams(), 0);
    }

    void shouldEndABoundedFetchOnlyAfterWhatAStallHeld()
    {
        ActivityStreamConfig config = fastConfig();
        const QDateTime end = m_server->now().addSecs(2);
        config.endTime = end;
        startClient(config);
        QTRY_COMPARE(m_recorder->state(), State::Connected);
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        m_server->stallActivityStreams();
        emitPosts(1);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->now() > end.addMSecs(300), 5000); // end_time passed, silent
        QCOMPARE(m_recorder->state(), State::Connected);
        m_server->resumeActivityStreams();
        QTRY_COMPARE(m_recorder->state(), State::Ended);
        QCOMPARE(m_recorder->uuids(), emittedUuids());
        QVERIFY(m_recorder->reconnects.isEmpty());
    }

    void shouldReadABurstCompletelyOnAWorkerThread()
    {
        constexpr int burst = 10000;
        sandbox::SandboxLimits limits = m_server->limits();
        limits.activityEvents = 2 * burst; // the sandbox keeps them all, to compare with
        m_server->setLimits(limits);

        ActivityStreamThread runner(fastConfig());
        Recorder recorder;
        recorder.watch(runner.client());
        QVERIFY(runner.client()->thread() != QThread::currentThread());
        runner.start();
        QTRY_COMPARE(recorder.state(), State::Connected);
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        emitPosts(burst);

        QTRY_COMPARE_WITH_TIMEOUT(recorder.events.size(), burst, 60000);
        QCOMPARE(recorder.uuids(), emittedUuids());
        // Batches, not one queued signal per event; each reached this thread.
        QVERIFY2(recorder.batches < burst / 10, qPrintable(QString::number(recorder.batches)));
        for (QThread *thread : std::as_const(recorder.batchThreads))
            QCOMPARE(thread, QThread::currentThread());
        QTRY_COMPARE(recorder.counters.events, burst);
        QCOMPARE(recorder.counters.duplicatesDropped, 0);
        QCOMPARE(recorder.counters.malformedLines, 0);
        runner.stop();
        QTRY_COMPARE(recorder.state(), State::Idle);
    }
};

QTEST_GUILESS_MAIN(TestActivityStreamClient)
#include "tst_activitystream_client.moc"
