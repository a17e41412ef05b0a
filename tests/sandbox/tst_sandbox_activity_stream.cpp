// The sandbox's X Activity stream, GET /2/activity/stream (x-api-2026.md §4.5, the emulator's
// choices): events as \r\n-terminated lines in emission order to every open stream, heartbeats at
// the set interval, backfill and start_time/end_time from the kept ring, the 2-connection limit,
// the rate limit, bad query values, and the faults client tests use (drop, stall, duplicates,
// in-stream error). Read with a plain QNetworkAccessManager; nothing sleeps: waits are on signals.

#include "SandboxTestSupport.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QtTest>

using namespace sandboxtest;
using namespace std::chrono_literals;

namespace {

const QByteArray tooManyConnections = QByteArrayLiteral(
    "{\"title\":\"ConnectionException\",\"detail\":\"This stream is currently at the maximum allowed "
    "connection limit.\",\"connection_issue\":\"TooManyConnections\",\"type\":\"https://api.x.com/2/"
    "problems/streaming-connection\"}");

const QString streamPath = QStringLiteral("/2/activity/stream");

QString utc(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

// One open GET of the stream, read as it arrives.
struct StreamReader
{
    QPointer<QNetworkReply> reply;
    QByteArray raw;
    QElapsedTimer clock;
    QList<qint64> heartbeatAt; // ms since the GET, one per bare \r\n line

    ~StreamReader()
    {
        if (reply) {
            QObject::disconnect(reply, nullptr, nullptr, nullptr);
            reply->abort();
            reply->deleteLater();
        }
    }

    // Complete lines, without their \r\n; an empty one is a heartbeat.
    QList<QByteArray> lines() const
    {
        QList<QByteArray> out = raw.split('\n');
        out.removeLast(); // after the last \n: incomplete (or empty)
        for (QByteArray &line : out)
            line.chop(line.endsWith('\r') ? 1 : 0);
        return out;
    }
    QList<QByteArray> events() const
    {
        QList<QByteArray> out;
        for (const QByteArray &line : lines()) {
            if (!line.isEmpty())
                out.append(line);
        }
        return out;
    }
    int heartbeats() const { return int(lines().count(QByteArray())); }
    int status() const
    {
        return reply ? reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() : 0;
    }
    bool finished() const { return !reply || reply->isFinished(); }
};

QString uuidOf(const QByteArray &line)
{
    return QJsonDocument::fromJson(line)
        .object()
        .value(QStringLiteral("data"))
        .toObject()
        .value(QStringLiteral("event_uuid"))
        .toString();
}

} // namespace

class TestSandboxActivityStream : public SandboxTestCase
{
    Q_OBJECT

    std::unique_ptr<StreamReader> open(const QString &query = {})
    {
        QNetworkRequest request(m_client->url(streamPath + query));
        request.setRawHeader("Authorization", QByteArray("Bearer ") + demo::bearerToken);
        auto stream = std::make_unique<StreamReader>();
        StreamReader *s = stream.get();
        s->clock.start();
        s->reply = m_client->nam().get(request);
        QObject::connect(s->reply, &QNetworkReply::readyRead, s->reply, [s] {
            const int before = s->heartbeats();
            s->raw += s->reply->readAll();
            for (int i = before; i < s->heartbeats(); ++i)
                s->heartbeatAt.append(s->clock.elapsed());
        });
        return stream;
    }

    // The bodies the sandbox kept, oldest first, from `from` on.
    QList<QByteArray> keptBodies(qsizetype from = 0) const
    {
        QList<QByteArray> out;
        const QList<ActivityEventRecord> kept = m_server->activityEvents();
        for (qsizetype i = from; i < kept.size(); ++i)
            out.append(kept.at(i).body);
        return out;
    }

private Q_SLOTS:
    void shouldSendEachEventAsALineInEmissionOrderToEveryOpenStream()
    {
        auto first = open();
        auto second = open();
        QTRY_COMPARE(m_server->openActivityStreams(), 2);
        QTRY_COMPARE(first->status(), 200);
        QCOMPARE(first->reply->header(QNetworkRequest::ContentTypeHeader).toString(),
                 QStringLiteral("application/json"));
        QCOMPARE(m_server->emitActivityEventsForAll(), demo::activitySubscriptionCount);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("profile.update.bio")), 1);
        // The control endpoint of a standalone sandbox makes events the same way.
        m_client->setHeader(sandboxTokenHeader, m_server->controlToken());
        const Response posted =
            m_client->send("POST", m_client->url(QStringLiteral("/sandbox/activity/events")), {},
                           QByteArrayLiteral("{\"event_type\":\"like.create\"}"), "application/json");
        QCOMPARE(posted.status, 200);
        QCOMPARE(posted.object().value(QStringLiteral("emitted")).toInt(), 1);
        const QList<QByteArray> expected = keptBodies();
        QCOMPARE(expected.size(), demo::activitySubscriptionCount + 2);
        QTRY_COMPARE(first->events(), expected);
        QTRY_COMPARE(second->events(), expected);
        // Exactly the envelope and \r\n per event, nothing between (no heartbeat is due yet).
        QCOMPARE(first->raw, expected.join("\r\n") + "\r\n");
        QVERIFY(!first->finished());
        // The journal has the GET as answered with 200, under the catalogue's key.
        const QList<JournalEntry> seen = m_server->journal().forPath(streamPath, "GET");
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen.first().status, 200);
        QCOMPARE(seen.first().endpointKey, QStringLiteral("v2/activity.stream"));
    }

    void shouldSendHeartbeatsAtTheSetInterval()
    {
        m_server->setActivityStreamHeartbeat(200ms);
        auto stream = open();
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(stream->heartbeats() >= 4, 5000);
        QVERIFY(stream->events().isEmpty());
        // None before the interval passed, and none missed: the gaps are about 200 ms.
        QVERIFY2(stream->heartbeatAt.first() >= 150,
                 qPrintable(QString::number(stream->heartbeatAt.first())));
        for (qsizetype i = 1; i < stream->heartbeatAt.size(); ++i) {
            const qint64 gap = stream->heartbeatAt.at(i) - stream->heartbeatAt.at(i - 1);
            QVERIFY2(gap >= 150 && gap < 1500, qPrintable(QString::number(gap)));
        }
        // An event restarts the wait; it is sent at once, as a line of its own.
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("post.create")), 1);
        QTRY_COMPARE(stream->events(), keptBodies());
    }

    void shouldBackfillExactlyTheKeptEventsOfTheLastMinutes()
    {
        const QDateTime t0(QDate(2026, 7, 24), QTime(21, 0), Qt::UTC);
        m_server->setNow(t0);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("profile.update.bio")), 1); // t0
        m_server->advance(120s);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("post.create")), 1); // t0 + 2 min
        m_server->advance(120s);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("like.create")), 1); // t0 + 4 min
        m_server->advance(60s); // now: t0 + 5 min

        auto none = open(QStringLiteral("?backfill_minutes=0"));
        auto four = open(QStringLiteral("?backfill_minutes=4"));
        QTRY_COMPARE(m_server->openActivityStreams(), 2);
        QTRY_COMPARE(four->events(), keptBodies(1));
        QCOMPARE(none->status(), 200);
        QVERIFY(none->events().isEmpty());
        // Then the live ones, to both.
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("profile.update.bio")), 1);
        QTRY_COMPARE(four->events(), keptBodies(1));
        QCOMPARE(four->events().size(), 3);
        QTRY_COMPARE(none->events(), keptBodies(3));
    }

    void shouldAnswerAStartAndEndTimeWindowAndEnd()
    {
        const QDateTime t0(QDate(2026, 7, 24), QTime(21, 0), Qt::UTC);
        m_server->setNow(t0);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("profile.update.bio")), 1);
        m_server->advance(120s);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("post.create")), 1);
        m_server->advance(120s);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("like.create")), 1);
        m_server->advance(60s);

        // A window wholly in the past: its events, then the answer ends (a clean end, no error).
        auto past =
            open(QStringLiteral("?start_time=%1&end_time=%2").arg(utc(t0.addSecs(60)), utc(t0.addSecs(180))));
        QTRY_VERIFY(past->finished());
        QCOMPARE(past->reply->error(), QNetworkReply::NoError);
        QCOMPARE(past->status(), 200);
        QCOMPARE(past->events(), keptBodies(1).mid(0, 1));
        QTRY_COMPARE(m_server->openActivityStreams(), 0);

        // An end_time a second ahead: live events until then, then the end.
        auto soon = open(QStringLiteral("?end_time=%1").arg(utc(m_server->now().addSecs(2))));
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("post.create")), 1);
        QTRY_COMPARE(soon->events(), keptBodies(3));
        QTRY_VERIFY_WITH_TIMEOUT(soon->finished(), 10000);
        QCOMPARE(soon->reply->error(), QNetworkReply::NoError);
        QCOMPARE(m_server->openActivityStreams(), 0);
    }

    void shouldRefuseAThirdConnectionAndFreeASlotOnClose()
    {
        auto first = open();
        auto second = open();
        QTRY_COMPARE(m_server->openActivityStreams(), 2);
        const Response third = m_client->bearer("GET", streamPath);
        QCOMPARE(third.status, 429);
        QCOMPARE(third.body, tooManyConnections);
        QCOMPARE(m_server->openActivityStreams(), 2);

        first->reply->abort();
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        auto again = open();
        QTRY_COMPARE(m_server->openActivityStreams(), 2);
        QTRY_COMPARE(again->status(), 200);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("profile.update.bio")), 1);
        QTRY_COMPARE(again->events(), keptBodies());
        QTRY_COMPARE(second->events(), keptBodies());
    }

    void shouldRateLimitUnderTheCataloguesKey()
    {
        const QString ended = QStringLiteral("?end_time=2020-01-01T00:00:00Z");
        // The documented limit is in force before anything is set.
        const Response documented = m_client->bearer("GET", streamPath + ended);
        QCOMPARE(documented.status, 200);
        QCOMPARE(documented.header("x-rate-limit-limit"), QByteArray("450"));
        m_server->setRateLimit(QStringLiteral("v2/activity.stream"), 1, 900s);
        const Response allowed = m_client->bearer("GET", streamPath + ended);
        QCOMPARE(allowed.status, 200);
        QCOMPARE(allowed.header("x-rate-limit-limit"), QByteArray("1"));
        const Response limited = m_client->bearer("GET", streamPath + ended);
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.v1Code(), 88); // the usual rate-limit body, not the connection limit's
        QVERIFY(limited.body != tooManyConnections);
    }

    void shouldDropEveryOpenStream()
    {
        auto first = open();
        auto second = open();
        QTRY_COMPARE(m_server->openActivityStreams(), 2);
        QTRY_COMPARE(first->status(), 200);
        QCOMPARE(m_server->dropActivityStreams(), 2);
        QCOMPARE(m_server->openActivityStreams(), 0);
        QTRY_VERIFY(first->finished());
        QTRY_VERIFY(second->finished());
        // Closed mid-way: no final chunk, so the client sees an error, not a clean end.
        QVERIFY(first->reply->error() != QNetworkReply::NoError);
        QVERIFY(second->reply->error() != QNetworkReply::NoError);
        QCOMPARE(m_server->dropActivityStreams(), 0);
    }

    // The same faults for a standalone sandbox, through its control endpoint (the run's token).
    void shouldTakeStreamFaultsFromTheControlEndpoint()
    {
        auto stream = open();
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QTRY_COMPARE(stream->status(), 200);
        const QUrl control = m_client->url(QStringLiteral("/sandbox/activity/stream"));
        const Response refused = m_client->send(
            "POST", control, {}, QByteArrayLiteral("{\"action\":\"drop\"}"), "application/json");
        QCOMPARE(refused.status, 403); // no token yet
        QCOMPARE(m_server->openActivityStreams(), 1);
        m_client->setHeader(sandboxTokenHeader, m_server->controlToken());
        QCOMPARE(
            m_client
                ->send("POST", control, {}, QByteArrayLiteral("{\"action\":\"dance\"}"), "application/json")
                .status,
            400);
        QCOMPARE(m_client
                     ->send("POST", control, {}, QByteArrayLiteral("{\"action\":\"duplicate\",\"count\":2}"),
                            "application/json")
                     .object()
                     .value(QStringLiteral("affected"))
                     .toInt(),
                 2);
        const Response dropped = m_client->send(
            "POST", control, {}, QByteArrayLiteral("{\"action\":\"drop\"}"), "application/json");
        QCOMPARE(dropped.status, 200);
        QCOMPARE(dropped.object().value(QStringLiteral("affected")).toInt(), 1);
        QCOMPARE(m_server->openActivityStreams(), 0);
        QTRY_VERIFY(stream->finished());
    }

    void shouldStallUntilResumed()
    {
        m_server->setActivityStreamHeartbeat(100ms);
        auto stream = open();
        QTRY_VERIFY(stream->heartbeats() >= 1);
        m_server->stallActivityStreams();
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("post.create")), 1);
        const QByteArray before = stream->raw;
        QSignalSpy arrived(stream->reply.data(), &QNetworkReply::readyRead);
        QVERIFY(!arrived.wait(800)); // eight heartbeat intervals of silence
        QCOMPARE(stream->raw, before);
        QVERIFY(!stream->finished());
        QCOMPARE(m_server->openActivityStreams(), 1);

        const int heartbeats = stream->heartbeats();
        m_server->resumeActivityStreams();
        QTRY_COMPARE(stream->events(), keptBodies()); // what was held, on resume
        QTRY_VERIFY(stream->heartbeats() > heartbeats);
    }

    void shouldHoldTheEndOfAWindowUntilAStallIsOver()
    {
        // A stall is a silent network: what the server writes meanwhile, the end of a bounded
        // answer included, arrives after it in order. Nothing held may be lost to the end.
        const QDateTime end = m_server->now().addSecs(2);
        auto stream = open(QStringLiteral("?end_time=%1").arg(utc(end)));
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QTRY_COMPARE(stream->status(), 200);
        m_server->stallActivityStreams();
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("post.create")), 1);
        // Past end_time (whole seconds, so up to 2 s from now), still silent and open.
        QTRY_VERIFY_WITH_TIMEOUT(m_server->now() > end.addMSecs(300), 5000);
        QVERIFY(stream->events().isEmpty());
        QVERIFY(!stream->finished());

        m_server->resumeActivityStreams();
        QTRY_VERIFY(stream->finished());
        QCOMPARE(stream->reply->error(), QNetworkReply::NoError);
        QCOMPARE(stream->events(), keptBodies());
        QCOMPARE(m_server->openActivityStreams(), 0);
    }

    void shouldSendTheNextEventsTwice()
    {
        auto stream = open();
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        m_server->duplicateNextActivityStreamEvents(1);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("profile.update.bio")), 1);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("post.create")), 1);
        const QList<QByteArray> kept = keptBodies();
        QTRY_COMPARE(stream->events().size(), 3);
        QCOMPARE(stream->events(), (QList<QByteArray> {kept.at(0), kept.at(0), kept.at(1)}));
        QCOMPARE(uuidOf(stream->events().at(0)), uuidOf(stream->events().at(1)));
        QVERIFY(!uuidOf(stream->events().at(0)).isEmpty());
        QVERIFY(uuidOf(stream->events().at(1)) != uuidOf(stream->events().at(2)));
    }

    void shouldSendAnInStreamErrorAndClose()
    {
        auto stream = open();
        QTRY_COMPARE(m_server->openActivityStreams(), 1);
        QCOMPARE(m_server->disconnectActivityStreamsWithError(QStringLiteral("Maintenance.")), 1);
        QCOMPARE(m_server->openActivityStreams(), 0);
        QTRY_VERIFY(stream->finished());
        QCOMPARE(stream->events().size(), 1);
        QVERIFY(stream->raw.endsWith("\r\n"));
        const QJsonArray errors = QJsonDocument::fromJson(stream->events().first())
                                      .object()
                                      .value(QStringLiteral("errors"))
                                      .toArray();
        QCOMPARE(errors.size(), 1);
        const QJsonObject problem = errors.first().toObject();
        QCOMPARE(problem.value(QStringLiteral("title")).toString(), QStringLiteral("operational-disconnect"));
        QCOMPARE(problem.value(QStringLiteral("disconnect_type")).toString(),
                 QStringLiteral("UpstreamOperationalDisconnect"));
        QCOMPARE(problem.value(QStringLiteral("detail")).toString(), QStringLiteral("Maintenance."));
        QCOMPARE(problem.value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://api.x.com/2/problems/operational-disconnect"));
    }

    void shouldRefuseBadQueryValues_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("parameter");
        QTest::newRow("backfill 6") << QStringLiteral("backfill_minutes=6")
                                    << QStringLiteral("backfill_minutes");
        QTest::newRow("backfill -1") << QStringLiteral("backfill_minutes=-1")
                                     << QStringLiteral("backfill_minutes");
        QTest::newRow("backfill word")
            << QStringLiteral("backfill_minutes=abc") << QStringLiteral("backfill_minutes");
        QTest::newRow("start date only")
            << QStringLiteral("start_time=2026-07-24") << QStringLiteral("start_time");
        QTest::newRow("start millis")
            << QStringLiteral("start_time=2026-07-24T21:00:00.000Z") << QStringLiteral("start_time");
        QTest::newRow("end no zone") << QStringLiteral("end_time=2026-07-24T21:00:00")
                                     << QStringLiteral("end_time");
        QTest::newRow("end month 13")
            << QStringLiteral("end_time=2026-13-24T21:00:00Z") << QStringLiteral("end_time");
        QTest::newRow("end before start")
            << QStringLiteral("start_time=2026-07-24T21:00:00Z&end_time=2026-07-24T20:00:00Z")
            << QStringLiteral("end_time");
    }

    void shouldRefuseBadQueryValues()
    {
        QFETCH(QString, query);
        QFETCH(QString, parameter);
        const Response response = m_client->bearer("GET", streamPath + QLatin1Char('?') + query);
        QCOMPARE(response.status, 400);
        QCOMPARE(response.object().value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://api.x.com/2/problems/invalid-request"));
        QCOMPARE(response.object().value(QStringLiteral("parameter")).toString(), parameter);
        QCOMPARE(m_server->openActivityStreams(), 0);
    }

    void shouldRefuseAMissingBearerToken()
    {
        const Response response = m_client->send("GET", m_client->url(streamPath));
        QCOMPARE(response.status, 401);
        QCOMPARE(m_server->openActivityStreams(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSandboxActivityStream)
#include "tst_sandbox_activity_stream.moc"
