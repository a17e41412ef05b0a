// parse::event, the reader of delivered webhook bodies (reference §8) that fuzz_event drives: the
// documented examples, and everything that is not one event for one user becoming a clear error.
#include "Parsers.h"

#include <QtTest>

using namespace activity;

class TestEventParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shouldReadEachDocumentedEventKey_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("forUserId");
        QTest::addColumn<int>("items");
        QTest::newRow("favorite") << QByteArray(
                                         R"({"for_user_id":"2244994945","favorite_events":[{"id":"a7"}]})")
                                  << QStringLiteral("favorite_events") << QStringLiteral("2244994945") << 1;
        QTest::newRow("unfollow shares follow_events")
            << QByteArray(R"({"for_user_id":"1","follow_events":[{"type":"unfollow"},{"type":"follow"}]})")
            << QStringLiteral("follow_events") << QStringLiteral("1") << 2;
        QTest::newRow("mention with user_has_blocked")
            << QByteArray(R"({"for_user_id":"7","user_has_blocked":"false","tweet_create_events":[]})")
            << QStringLiteral("tweet_create_events") << QStringLiteral("7") << 0;
        QTest::newRow("dm with users and apps")
            << QByteArray(
                   R"({"for_user_id":"4337869213","direct_message_events":[{"type":"message_create"}],)"
                   R"("apps":{"1":{"id":"1"}},"users":{"2":{"id":"2"}}})")
            << QStringLiteral("direct_message_events") << QStringLiteral("4337869213") << 1;
        QTest::newRow("numeric for_user_id") << QByteArray(R"({"for_user_id":42,"block_events":[{}]})")
                                             << QStringLiteral("block_events") << QStringLiteral("42") << 1;
        QTest::newRow("a future *_events key")
            << QByteArray(R"({"for_user_id":"5","poll_vote_events":[{}]})")
            << QStringLiteral("poll_vote_events") << QStringLiteral("5") << 1;
        QTest::newRow("revoke (no for_user_id)")
            << QByteArray(R"({"user_event":{"revoke":{"date_time":"2018-05-24T09:48:12+00:00"}}})")
            << QStringLiteral("user_event") << QString() << 1;
    }
    void shouldReadEachDocumentedEventKey()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, key);
        QFETCH(QString, forUserId);
        QFETCH(int, items);
        const Result<DeliveredEvent> event = parse::event(body);
        QVERIFY2(event.ok(), event.ok() ? "" : qPrintable(event.error().text()));
        QCOMPARE(event.value().key, key);
        QCOMPARE(event.value().forUserId, forUserId);
        QCOMPARE(event.value().itemCount, qsizetype(items));
    }

    void shouldReadAReplayJobStatus()
    {
        const Result<DeliveredEvent> event = parse::event(
            R"({"replay_job_status":{"webhook_id":"1234577122340233217","job_state":"Incomplete",)"
            R"("job_state_description":"Job failed to deliver all events, please retry your replay job",)"
            R"("job_id":"1095098195724558337"}})");
        QVERIFY(event.ok());
        QCOMPARE(event.value().key, QStringLiteral("replay_job_status"));
        QVERIFY(event.value().forUserId.isEmpty());
        QCOMPARE(event.value().replayJobId, QStringLiteral("1095098195724558337"));
        QCOMPARE(event.value().replayWebhookId, QStringLiteral("1234577122340233217"));
        QCOMPARE(event.value().replayJobState, QStringLiteral("Incomplete"));
        QVERIFY(event.value().replayJobStateDescription.startsWith(QLatin1String("Job failed")));
    }

    void shouldRefuseWhatIsNotOneEventForOneUser_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not json") << QByteArray("favorite_events");
        QTest::newRow("html") << QByteArray("<html><body>502</body></html>");
        QTest::newRow("array") << QByteArray(R"([{"for_user_id":"1","favorite_events":[]}])");
        QTest::newRow("no event key") << QByteArray(R"({"for_user_id":"1"})");
        QTest::newRow("two event keys")
            << QByteArray(R"({"for_user_id":"1","favorite_events":[],"follow_events":[]})");
        QTest::newRow("events not an array") << QByteArray(R"({"for_user_id":"1","favorite_events":{}})");
        QTest::newRow("missing for_user_id") << QByteArray(R"({"favorite_events":[]})");
        QTest::newRow("for_user_id not numeric")
            << QByteArray(R"({"for_user_id":"alice","favorite_events":[]})");
        QTest::newRow("for_user_id too long")
            << QByteArray(R"({"for_user_id":"12345678901234567890","mute_events":[]})");
        QTest::newRow("for_user_id negative") << QByteArray(R"({"for_user_id":-1,"mute_events":[]})");
        QTest::newRow("user_event not an object") << QByteArray(R"({"user_event":[]})");
        QTest::newRow("replay status without job id")
            << QByteArray(R"({"replay_job_status":{"webhook_id":"1","job_state":"Complete"}})");
        QTest::newRow("truncated") << QByteArray(R"({"for_user_id":"1","favorite_events":[{"id":)");
    }
    void shouldRefuseWhatIsNotOneEventForOneUser()
    {
        QFETCH(QByteArray, body);
        const Result<DeliveredEvent> event = parse::event(body);
        QVERIFY(!event.ok());
        QCOMPARE(event.error().kind, ApiError::Kind::MalformedResponse);
        QVERIFY(!event.error().cause.isEmpty());
        QVERIFY(!event.error().remedy.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEventParser)
#include "tst_eventparser.moc"
