// The X Activity stream's pure pieces (network/ActivityStreamProtocol): a line into an event, an
// in-stream error, a keep-alive or a malformed line (every documented event_uuid form, x-api-2026.md
// §4.6), the duplicate window, and the backfill a reconnect asks for. No network.

#include "ActivityStreamProtocol.h"

#include <QtTest>

using namespace activity;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(activity::StreamLine::Kind)

class TestActivityStreamProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shouldReadEveryEventUuidForm_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("uuid");
        QTest::newRow("digits")
            << QByteArray(
                   "{\"data\":{\"event_uuid\":\"2080761390344937796\",\"event_type\":\"post.create\"}}")
            << QStringLiteral("2080761390344937796");
        QTest::newRow("negative")
            << QByteArray("{\"data\":{\"event_uuid\":\"-8917909039855612786\",\"event_type\":\"x\"}}")
            << QStringLiteral("-8917909039855612786");
        QTest::newRow("uuid") << QByteArray("{\"data\":{\"event_uuid\":\"0f52b591-3c1e-4a43-9b0c-"
                                            "0a6b3c1f2e11\",\"event_type\":\"chat.received\"}}")
                              << QStringLiteral("0f52b591-3c1e-4a43-9b0c-0a6b3c1f2e11");
        // 19 digits do not survive a double: the text is taken as written.
        QTest::newRow("json number")
            << QByteArray("{\"data\":{\"event_type\":\"x\",\"event_uuid\": 5934540941047412905}}")
            << QStringLiteral("5934540941047412905");
        QTest::newRow("negative json number")
            << QByteArray("{\"data\":{\"event_uuid\":-2781149976877970683,\"event_type\":\"x\"}}")
            << QStringLiteral("-2781149976877970683");
        QTest::newRow("small json number")
            << QByteArray("{\"data\":{\"event_uuid\":42,\"event_type\":\"x\"}}") << QStringLiteral("42");
    }

    void shouldReadEveryEventUuidForm()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, uuid);
        const StreamLine parsed = streamline::parse(line + '\r', 1234);
        QCOMPARE(parsed.kind, StreamLine::Kind::Event);
        QCOMPARE(parsed.event.eventUuid, uuid);
        QCOMPARE(parsed.event.raw, line); // exactly as received, without the \r
        QCOMPARE(parsed.event.receivedAtMs, 1234);
    }

    void shouldTellLineKindsApart_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<StreamLine::Kind>("kind");
        QTest::newRow("keep-alive \\r") << QByteArray("\r") << StreamLine::Kind::KeepAlive;
        QTest::newRow("keep-alive empty") << QByteArray() << StreamLine::Kind::KeepAlive;
        QTest::newRow("operational-disconnect")
            << QByteArray("{\"errors\":[{\"title\":\"operational-disconnect\",\"disconnect_type\":"
                          "\"UpstreamOperationalDisconnect\",\"detail\":\"Bye.\",\"type\":\"https://"
                          "api.x.com/2/problems/operational-disconnect\"}]}")
            << StreamLine::Kind::ServerError;
        QTest::newRow("bare problem") << QByteArray("{\"title\":\"ConnectionException\",\"type\":\"t\"}")
                                      << StreamLine::Kind::ServerError;
        QTest::newRow("not json") << QByteArray("{\"data\":") << StreamLine::Kind::Malformed;
        QTest::newRow("array") << QByteArray("[1,2]") << StreamLine::Kind::Malformed;
        QTest::newRow("empty object") << QByteArray("{}") << StreamLine::Kind::Malformed;
        QTest::newRow("data not object") << QByteArray("{\"data\":\"x\"}") << StreamLine::Kind::Malformed;
        QTest::newRow("no uuid") << QByteArray("{\"data\":{\"event_type\":\"post.create\"}}")
                                 << StreamLine::Kind::Malformed;
        QTest::newRow("uuid object") << QByteArray("{\"data\":{\"event_uuid\":{},\"event_type\":\"x\"}}")
                                     << StreamLine::Kind::Malformed;
        QTest::newRow("no type") << QByteArray("{\"data\":{\"event_uuid\":\"1\"}}")
                                 << StreamLine::Kind::Malformed;
        QTest::newRow("filter array")
            << QByteArray("{\"data\":{\"event_uuid\":\"1\",\"event_type\":\"x\",\"filter\":[]}}")
            << StreamLine::Kind::Malformed;
    }

    void shouldTellLineKindsApart()
    {
        QFETCH(QByteArray, line);
        QFETCH(StreamLine::Kind, kind);
        const StreamLine parsed = streamline::parse(line, 0);
        QCOMPARE(parsed.kind, kind);
        if (kind == StreamLine::Kind::Malformed || kind == StreamLine::Kind::ServerError)
            QVERIFY(!parsed.problem.isEmpty());
    }

    void shouldReadTheEnvelopesFields()
    {
        const QByteArray line =
            "{\"data\":{\"event_uuid\":\"-3402274206530057851\",\"filter\":{\"user_id\":"
            "\"1111111111111111111\",\"direction\":\"outbound\"},\"event_type\":\"like.create\",\"tag\":"
            "\"likes\",\"payload\":{\"id\":\"8771\"},\"includes\":{\"users\":[]}}}";
        const StreamLine parsed = streamline::parse(line, 0);
        QCOMPARE(parsed.kind, StreamLine::Kind::Event);
        QCOMPARE(parsed.event.eventType, QStringLiteral("like.create"));
        QCOMPARE(parsed.event.tag, QStringLiteral("likes"));
        QCOMPARE(parsed.event.forUserId, QStringLiteral("1111111111111111111"));
        QCOMPARE(parsed.event.filter,
                 QByteArray("{\"direction\":\"outbound\",\"user_id\":\"1111111111111111111\"}"));
        const StreamLine revoke =
            streamline::parse("{\"data\":{\"event_uuid\":\"5934540941047412905\",\"filter\":{},\"event_"
                              "type\":\"oauth.revoke\",\"payload\":{}}}",
                              0);
        QCOMPARE(revoke.event.filter, QByteArray("{}"));
        QVERIFY(revoke.event.forUserId.isEmpty());
        QVERIFY(revoke.event.tag.isEmpty());
        const StreamLine problem =
            streamline::parse("{\"errors\":[{\"title\":\"operational-disconnect\",\"disconnect_type\":"
                              "\"UpstreamOperationalDisconnect\",\"detail\":\"Bye.\"}]}",
                              0);
        QCOMPARE(problem.problem,
                 QStringLiteral("operational-disconnect (UpstreamOperationalDisconnect): Bye."));
    }

    void shouldForgetTheOldestIdsFirst()
    {
        RecentEventIds ids(3);
        QVERIFY(ids.remember(QStringLiteral("a")));
        QVERIFY(ids.remember(QStringLiteral("b")));
        QVERIFY(!ids.remember(QStringLiteral("a")));
        QVERIFY(ids.remember(QStringLiteral("c")));
        QVERIFY(ids.remember(QStringLiteral("d"))); // "a" leaves
        QCOMPARE(ids.size(), 3);
        QVERIFY(!ids.contains(QStringLiteral("a")));
        QVERIFY(!ids.remember(QStringLiteral("d")));
        QVERIFY(ids.remember(QStringLiteral("a"))); // forgotten, so new again; "b" leaves
        QVERIFY(!ids.contains(QStringLiteral("b")));
    }

    void shouldAskForTheMinutesTheGapCovers_data()
    {
        QTest::addColumn<qint64>("gapMs");
        QTest::addColumn<int>("minutes");
        QTest::addColumn<bool>("beyondReach");
        QTest::newRow("no gap") << qint64(0) << 1 << false;
        QTest::newRow("a moment") << qint64(20) << 1 << false;
        QTest::newRow("one minute") << qint64(60000) << 1 << false;
        QTest::newRow("just over one") << qint64(60001) << 2 << false;
        QTest::newRow("four and a half") << qint64(270000) << 5 << false;
        QTest::newRow("five") << qint64(300000) << 5 << false;
        QTest::newRow("just over five") << qint64(300001) << 5 << true;
        QTest::newRow("an hour") << qint64(3600000) << 5 << true;
        QTest::newRow("clock oddity") << qint64(-5) << 1 << false;
    }

    void shouldAskForTheMinutesTheGapCovers()
    {
        QFETCH(qint64, gapMs);
        QFETCH(int, minutes);
        QFETCH(bool, beyondReach);
        bool beyond = !beyondReach;
        QCOMPARE(streamline::backfillMinutes(std::chrono::milliseconds(gapMs), &beyond), minutes);
        QCOMPARE(beyond, beyondReach);
    }

    void shouldSummariseAnErrorAnswer()
    {
        const QByteArray tooMany =
            "{\"title\":\"ConnectionException\",\"detail\":\"This stream is currently at "
            "the maximum allowed connection limit.\",\"connection_issue\":\"TooManyConnections\","
            "\"type\":\"https://api.x.com/2/problems/streaming-connection\"}";
        QCOMPARE(streamline::problemSummary(tooMany),
                 QStringLiteral(
                     "ConnectionException (TooManyConnections): This stream is currently at the maximum "
                     "allowed connection limit."));
        QCOMPARE(
            streamline::problemSummary("{\"errors\":[{\"code\":88,\"message\":\"Rate limit exceeded\"}]}"),
            QStringLiteral("Rate limit exceeded"));
        QVERIFY(streamline::problemSummary("<html>").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestActivityStreamProtocol)
#include "tst_activitystream_protocol.moc"
