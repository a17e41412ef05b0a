// EventStore::describe's two readers agree: wherever the one-pass X Activity reader gives an
// answer, it is QJsonDocument's to the byte; where it cannot be sure, it gives up.
#include "EventFactsReader.h"
#include "EventStore.h"

#include <QtTest>

using namespace activity;

namespace {

QByteArray xaa(const QByteArray &dataMembers)
{
    return R"({"data":{)" + dataMembers + "}}";
}

const QByteArray kUsual = R"({"data":{"event_uuid":"1790000000000000001","filter":{"user_id":"2244994945"},)"
                          R"("event_type":"post.create","tag":"my tag","payload":{"id":"1","text":"hi"}}})";

} // namespace

class TestEventFacts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldAgreeWithQJsonDocumentWhereverItAnswers_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("fast"); // the one-pass reader answers

        QTest::newRow("usual") << kUsual << true;
        QTest::newRow("load generator's")
            << QByteArray(
                   R"({"data":{"event_uuid":"123456789000000001","filter":{"user_id":"1111111111111111111"},)"
                   R"("event_type":"post.create","tag":"load","payload":{"id":"123456789000000001",)"
                   R"("author_id":"1111111111111111111","text":"load test xxxx"}}})")
            << true;
        QTest::newRow("members in another order")
            << QByteArray(R"({"data":{"tag":"t","payload":{},"event_type":"dm.received","event_uuid":"u1"}})")
            << true;
        QTest::newRow("other root members")
            << QByteArray(R"({"meta":[1,2,{"a":null}],"data":{"event_type":"x"},"z":true})") << true;
        QTest::newRow("no event_uuid: a hash of the body") << xaa(R"("event_type":"follow.follow")") << true;
        QTest::newRow("event_uuid null") << xaa(R"("event_uuid":null,"event_type":"a")") << true;
        QTest::newRow("event_uuid an object") << xaa(R"("event_uuid":{"x":1})") << true;
        QTest::newRow("event_type a number") << xaa(R"("event_uuid":"a","event_type":12)") << true;
        QTest::newRow("tag false") << xaa(R"("event_uuid":"a","tag":false)") << true;
        QTest::newRow("filter keys sorted")
            << xaa(R"("event_uuid":"a","filter":{"user_id":"9","keyword":"x y","a":""})") << true;
        QTest::newRow("filter empty") << xaa(R"("event_uuid":"a","filter":{})") << true;
        QTest::newRow("filter a string") << xaa(R"("event_uuid":"a","filter":"user_id")") << true;
        QTest::newRow("filter an array") << xaa(R"("event_uuid":"a","filter":[{"user_id":"1"}])") << true;
        QTest::newRow("UTF-8 text") << xaa("\"event_uuid\":\"a\",\"tag\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\","
                                           "\"filter\":{\"keyword\":\"\xe2\x82\xac\"}")
                                    << true;
        QTest::newRow("escapes elsewhere")
            << xaa("\"event_uuid\":\"a\",\"payload\":{\"text\":\"line\\nbreak \\\"q\\\" \\\\ \\/ \\u00e9 "
                   "\\ud83d\\ude00 \\t\"}")
            << true;
        QTest::newRow("whitespace everywhere")
            << QByteArray(" \r\n\t{ \"data\" : { \"event_uuid\" : \"a\" , \"x\" : [ 1 , 2 ] } } \n ") << true;
        QTest::newRow("numbers")
            << xaa(R"("event_uuid":"a","n":[0,-0,1.5,-12.25,1790000000000000001,123456789012345678901234567890])")
            << true;
        QTest::newRow("300 digits") << xaa("\"event_uuid\":\"a\",\"n\":" + QByteArray(300, '7')) << true;
        QTest::newRow("nested 150 deep")
            << xaa("\"event_uuid\":\"a\",\"n\":" + QByteArray(150, '[') + QByteArray(150, ']')) << true;
        QTest::newRow("DEL and empty key") << xaa("\"event_uuid\":\"a\x7f\",\"\":\"\"") << true;

        // Given to QJsonDocument.
        QTest::newRow("Account Activity")
            << QByteArray(R"({"for_user_id":"1","favorite_events":[{"id":"5"}]})") << false;
        QTest::newRow("data empty") << QByteArray(R"({"data":{}})") << false;
        QTest::newRow("data an array") << QByteArray(R"({"data":[1]})") << false;
        QTest::newRow("data twice") << QByteArray(R"({"data":{"tag":"a"},"data":{"tag":"b"}})") << false;
        QTest::newRow("event_uuid twice") << xaa(R"("event_uuid":"a","event_uuid":"b")") << false;
        QTest::newRow("event_uuid a number") << xaa(R"("event_uuid":1.5)") << false;
        QTest::newRow("event_uuid escaped") << xaa(R"("event_uuid":"a\u0062")") << false;
        QTest::newRow("an escaped key") << xaa(R"("event\u005fuuid":"a")") << false;
        QTest::newRow("filter value a number") << xaa(R"("event_uuid":"a","filter":{"user_id":1})") << false;
        QTest::newRow("filter key twice") << xaa(R"("event_uuid":"a","filter":{"k":"1","k":"2"})") << false;
        QTest::newRow("filter key not ASCII")
            << xaa("\"event_uuid\":\"a\",\"filter\":{\"\xc3\xa9\":\"1\"}") << false;
        QTest::newRow("an exponent") << xaa(R"("event_uuid":"a","n":1e3)") << false;
        QTest::newRow("1E-999") << xaa(R"("event_uuid":"a","n":1E-999)") << false;
        QTest::newRow("301 digits") << xaa("\"event_uuid\":\"a\",\"n\":" + QByteArray(301, '7')) << false;
        QTest::newRow("nested 300 deep")
            << xaa("\"event_uuid\":\"a\",\"n\":" + QByteArray(300, '[') + QByteArray(300, ']')) << false;
        QTest::newRow("a tab in a string") << xaa("\"event_uuid\":\"a\tb\"") << false;
        QTest::newRow("a bad escape") << xaa(R"("event_uuid":"a","t":"\x41")") << false;
        QTest::newRow("a lone surrogate") << xaa(R"("event_uuid":"a","t":"\ud83d")") << false;
        QTest::newRow("a noncharacter escaped") << xaa(R"("event_uuid":"a","t":"\uffff")") << false;
        QTest::newRow("NUL escaped") << xaa(R"("event_uuid":"a","t":"\u0000")") << false;
        QTest::newRow("overlong UTF-8") << xaa("\"event_uuid\":\"a\",\"t\":\"\xc0\xaf\"") << false;
        QTest::newRow("UTF-8 surrogate") << xaa("\"event_uuid\":\"a\",\"t\":\"\xed\xa0\x80\"") << false;
        QTest::newRow("UTF-8 noncharacter") << xaa("\"event_uuid\":\"a\",\"t\":\"\xef\xbf\xbf\"") << false;
        QTest::newRow("cut short") << kUsual.left(kUsual.size() - 1) << false;
        QTest::newRow("garbage after") << kUsual + "x" << false;
        QTest::newRow("two documents") << kUsual + kUsual << false;
        QTest::newRow("a trailing comma") << xaa(R"("event_uuid":"a",)") << false;
        QTest::newRow("leading zero") << xaa(R"("event_uuid":"a","n":01)") << false;
        QTest::newRow("NaN") << xaa(R"("event_uuid":"a","n":NaN)") << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("not JSON") << QByteArray("hello") << false;
    }

    void shouldAgreeWithQJsonDocumentWhereverItAnswers()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, fast);
        const std::optional<EventFacts> quick = eventfacts::readXaaEnvelope(body);
        const EventFacts reference = eventfacts::readWithJsonDocument(body);
        QCOMPARE(quick.has_value(), fast);
        if (quick) {
            QCOMPARE(quick->eventId, reference.eventId);
            QCOMPARE(quick->eventType, reference.eventType);
            QCOMPARE(quick->forUserId, reference.forUserId);
            QCOMPARE(quick->filter, reference.filter);
            QCOMPARE(quick->tag, reference.tag);
        }
        // describe() is whichever answered.
        const EventFacts described = EventStore::describe(body);
        QCOMPARE(described.eventId, reference.eventId);
        QCOMPARE(described.filter, reference.filter);
    }

    void shouldReadTheUsualEnvelope()
    {
        const std::optional<EventFacts> facts = eventfacts::readXaaEnvelope(kUsual);
        QVERIFY(facts);
        QCOMPARE(facts->eventId, QStringLiteral("1790000000000000001"));
        QCOMPARE(facts->eventType, QStringLiteral("post.create"));
        QCOMPARE(facts->forUserId, QStringLiteral("2244994945"));
        QCOMPARE(facts->filter, QStringLiteral(R"({"user_id":"2244994945"})"));
        QCOMPARE(facts->tag, QStringLiteral("my tag"));
    }
};

QTEST_GUILESS_MAIN(TestEventFacts)
#include "tst_eventfacts.moc"
