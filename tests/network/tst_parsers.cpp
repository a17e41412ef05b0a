// Every documented response variant of every parser, and malformed input that must become
// MalformedResponse (never a crash, never an assert).
#include "Parsers.h"

#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

using namespace activity;
using Kind = ApiError::Kind;

namespace {

QDateTime utc(int y, int mo, int d, int h, int mi, int s = 0, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
}

template<typename T> bool isMalformed(const Result<T> &result)
{
    return !result.ok() && result.error().kind == Kind::MalformedResponse &&
        result.error().cause.startsWith(QLatin1String("The server's answer could not be read: ")) &&
        !result.error().remedy.isEmpty();
}

// Every parser, by name, so that the malformed-input table can run them all.
using AnyParser = std::function<std::optional<ApiError>(const QByteArray &)>;

template<typename T> AnyParser wrap(Result<T> (*parser)(const QByteArray &))
{
    return [parser](const QByteArray &body) -> std::optional<ApiError> {
        const Result<T> result = parser(body);
        if (result.ok())
            return std::nullopt;
        return result.error();
    };
}

QList<std::pair<const char *, AnyParser>> allParsers()
{
    return {
        {"webhookList", wrap(&parse::webhookList)},
        {"webhook", wrap(&parse::webhook)},
        {"validateResult", wrap(&parse::validateResult)},
        {"deleteResult", wrap(&parse::deleteResult)},
        {"subscribedFlag", wrap(&parse::subscribedFlag)},
        {"subscriptionCount", wrap(&parse::subscriptionCount)},
        {"subscriptionList", wrap(&parse::subscriptionList)},
        {"replayJob", wrap(&parse::replayJob)},
        {"users", wrap(&parse::users)},
        {"bearerToken", wrap(&parse::bearerToken)},
        {"requestToken", wrap(&parse::requestToken)},
        {"accessToken", wrap(&parse::accessToken)},
    };
}

} // namespace

class TestParsers : public QObject
{
    Q_OBJECT

private slots:
    void shouldReadWebhookListVariants_data();
    void shouldReadWebhookListVariants();
    void shouldReadPremiumListAllWithEnvironments();
    void shouldReadCreatedAtFormats_data();
    void shouldReadCreatedAtFormats();
    void shouldRejectBadWebhookEntries_data();
    void shouldRejectBadWebhookEntries();

    void shouldReadWebhookWithOrWithoutDataWrapper_data();
    void shouldReadWebhookWithOrWithoutDataWrapper();

    void shouldReadFlags_data();
    void shouldReadFlags();

    void shouldReadSubscriptionCountVariants_data();
    void shouldReadSubscriptionCountVariants();
    void shouldRejectBadCounts_data();
    void shouldRejectBadCounts();

    void shouldReadSubscriptionListVariants_data();
    void shouldReadSubscriptionListVariants();
    void shouldReadHundredThousandSubscriptions();
    void shouldRejectBadSubscriptionEntries_data();
    void shouldRejectBadSubscriptionEntries();

    void shouldFindReplayJobIdWherever_data();
    void shouldFindReplayJobIdWherever();

    void shouldReadUsersVariants_data();
    void shouldReadUsersVariants();

    void shouldKeepLargeIdsExact_data();
    void shouldKeepLargeIdsExact();

    void shouldReadBearerToken_data();
    void shouldReadBearerToken();
    void shouldNeverEchoTheTokenInErrors();

    void shouldReadRequestToken();
    void shouldRequireCallbackConfirmation_data();
    void shouldRequireCallbackConfirmation();
    void shouldReadAccessToken();

    void shouldTurnErrorsOnlyAnswersIntoApiErrors();

    void shouldRejectMalformedInputEverywhere_data();
    void shouldRejectMalformedInputEverywhere();
    void shouldSurviveTruncationsOfValidBodies();
    void shouldSurviveRandomMutationsOfValidBodies();
};

void TestParsers::shouldReadWebhookListVariants_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("ids");

    QTest::newRow("v1.1 array") << QByteArray(R"([
        {"id":"1234567890","url":"https://your_domain.com/webhook/twitter/0","valid":true,"created_at":"2016-06-02T23:54:02Z"},
        {"id":"2468013579","url":"https://your_domain2.com/webhook/twitter/0","valid":false,"created_at":"2016-06-04T22:31:29Z"}])")
                                << QStringList {QStringLiteral("1234567890"), QStringLiteral("2468013579")};
    QTest::newRow("v1.1 empty array") << QByteArray("[]") << QStringList {};
    QTest::newRow("v2 data and meta")
        << QByteArray(
               R"({"data":[{"created_at":"2025-01-15T12:00:00.000Z","id":"1234567890","url":"https://yourdomain.com/webhooks/twitter","valid":true}],"meta":{"result_count":1}})")
        << QStringList {QStringLiteral("1234567890")};
    QTest::newRow("v2 empty data") << QByteArray(R"({"data":[],"meta":{"result_count":0}})")
                                   << QStringList {};
    QTest::newRow("v2 data only empty") << QByteArray(R"({"data":[]})") << QStringList {};
    QTest::newRow("v2 meta without data") << QByteArray(R"({"meta":{"result_count":0}})") << QStringList {};
    QTest::newRow("premium list-all")
        << QByteArray(
               R"({"environments":[{"environment_name":"prod","webhooks":[{"id":"1312681837941059599","url":"https://example.com/twitter/callback","valid":false,"created_timestamp":"2020-10-04 09:11:54 +0000"}]},{"environment_name":"dev","webhooks":[]}]})")
        << QStringList {QStringLiteral("1312681837941059599")};
    QTest::newRow("premium env without webhooks key")
        << QByteArray(R"({"environments":[{"environment_name":"dev"}]})") << QStringList {};
    QTest::newRow("numeric id in range")
        << QByteArray(R"([{"id":42,"url":"https://a.example/x"}])") << QStringList {QStringLiteral("42")};
}

void TestParsers::shouldReadWebhookListVariants()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, ids);
    const auto result = parse::webhookList(body);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().cause));
    QStringList got;
    for (const Webhook &hook : result.value())
        got.append(hook.id);
    QCOMPARE(got, ids);
}

void TestParsers::shouldReadPremiumListAllWithEnvironments()
{
    const auto result = parse::webhookList(
        R"({"environments":[{"environment_name":"prod","webhooks":[{"id":"1312681837941059599","url":"https://example.com/twitter/callback","valid":false,"created_timestamp":"2020-10-04 09:11:54 +0000"}]}]})");
    QVERIFY(result.ok());
    QCOMPARE(result.value().size(), 1);
    const Webhook &hook = result.value().first();
    QCOMPARE(hook.url, QStringLiteral("https://example.com/twitter/callback"));
    QCOMPARE(hook.valid, false);
    QCOMPARE(hook.createdAt, utc(2020, 10, 4, 9, 11, 54));
    QCOMPARE(hook.createdAt.timeSpec(), Qt::UTC);

    const auto v11 = parse::webhookList(
        R"([{"id":"1","url":"https://a.example/x","valid":true,"created_at":"2016-06-02T23:54:02Z"}])");
    QVERIFY(v11.ok());
    QCOMPARE(v11.value().first().valid, true);
    QCOMPARE(v11.value().first().createdAt, utc(2016, 6, 2, 23, 54, 2));
}

void TestParsers::shouldReadCreatedAtFormats_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");
    QTest::newRow("Z") << QStringLiteral("2016-06-02T23:54:02Z") << utc(2016, 6, 2, 23, 54, 2);
    QTest::newRow("milliseconds Z") << QStringLiteral("2025-01-15T12:00:00.000Z") << utc(2025, 1, 15, 12, 0);
    QTest::newRow("milliseconds kept")
        << QStringLiteral("2025-04-24T20:57:15.242Z") << utc(2025, 4, 24, 20, 57, 15, 242);
    QTest::newRow("no zone is UTC") << QStringLiteral("2016-06-02T23:54:02") << utc(2016, 6, 2, 23, 54, 2);
    QTest::newRow("offset") << QStringLiteral("2016-06-03T01:54:02+02:00") << utc(2016, 6, 2, 23, 54, 2);
    QTest::newRow("premium") << QStringLiteral("2020-10-04 09:11:54 +0000") << utc(2020, 10, 4, 9, 11, 54);
    QTest::newRow("premium offset") << QStringLiteral("2020-10-04 10:11:54 +0100")
                                    << utc(2020, 10, 4, 9, 11, 54);
}

void TestParsers::shouldReadCreatedAtFormats()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const QByteArray body =
        R"({"id":"1","url":"https://a.example/x","valid":true,"created_at":")" + text.toUtf8() + R"("})";
    const auto result = parse::webhook(body);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().cause));
    QCOMPARE(result.value().createdAt, expected);
}

void TestParsers::shouldRejectBadWebhookEntries_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("missing id") << QByteArray(R"([{"url":"https://a.example/x"}])")
                                << QStringLiteral("\"id\"");
    QTest::newRow("empty id") << QByteArray(R"([{"id":"","url":"https://a.example/x"}])")
                              << QStringLiteral("\"id\"");
    QTest::newRow("missing url") << QByteArray(R"([{"id":"1"}])") << QStringLiteral("\"url\"");
    QTest::newRow("url number") << QByteArray(R"([{"id":"1","url":5}])") << QStringLiteral("\"url\"");
    QTest::newRow("valid string garbage")
        << QByteArray(R"([{"id":"1","url":"https://a","valid":"maybe"}])") << QStringLiteral("\"valid\"");
    QTest::newRow("created_at garbage")
        << QByteArray(R"([{"id":"1","url":"https://a","created_at":"yesterday"}])")
        << QStringLiteral("\"created_at\"");
    QTest::newRow("created_at number")
        << QByteArray(R"([{"id":"1","url":"https://a","created_at":1}])") << QStringLiteral("\"created_at\"");
    QTest::newRow("entry not object")
        << QByteArray(R"([{"id":"1","url":"https://a"}, 7])") << QStringLiteral("entry 2");
    QTest::newRow("data object") << QByteArray(R"({"data":{"id":"1"}})") << QStringLiteral("\"data\"");
    QTest::newRow("environments object")
        << QByteArray(R"({"environments":{}})") << QStringLiteral("\"environments\"");
    QTest::newRow("webhooks string") << QByteArray(R"({"environments":[{"webhooks":"x"}]})")
                                     << QStringLiteral("\"webhooks\"");
    QTest::newRow("unrelated object") << QByteArray(R"({"hello":"world"})") << QStringLiteral("neither");
    QTest::newRow("negative numeric id")
        << QByteArray(R"([{"id":-1,"url":"https://a"}])") << QStringLiteral("\"id\"");
}

void TestParsers::shouldRejectBadWebhookEntries()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, mentions);
    const auto result = parse::webhookList(body);
    QVERIFY(isMalformed(result));
    QVERIFY2(result.error().cause.contains(mentions), qPrintable(result.error().cause));
}

void TestParsers::shouldReadWebhookWithOrWithoutDataWrapper_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("v1.1") << QByteArray(
        R"({"id":"1234567890","url":"https://your_domain.com/webhook/twitter/0","valid":true,"created_at":"2016-06-02T23:54:02Z"})");
    QTest::newRow("v2 data") << QByteArray(
        R"({"data":{"id":"1234567890","url":"https://your_domain.com/webhook/twitter/0","valid":true,"created_at":"2016-06-02T23:54:02.000Z"}})");
    QTest::newRow("id_str") << QByteArray(
        R"({"id_str":"1234567890","url":"https://your_domain.com/webhook/twitter/0","valid":"true","created_at":"2016-06-02T23:54:02Z"})");
}

void TestParsers::shouldReadWebhookWithOrWithoutDataWrapper()
{
    QFETCH(QByteArray, body);
    const auto result = parse::webhook(body);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().cause));
    QCOMPARE(result.value().id, QStringLiteral("1234567890"));
    QCOMPARE(result.value().url, QStringLiteral("https://your_domain.com/webhook/twitter/0"));
    QCOMPARE(result.value().valid, true);
    QCOMPARE(result.value().createdAt, utc(2016, 6, 2, 23, 54, 2));
}

void TestParsers::shouldReadFlags_data()
{
    QTest::addColumn<QString>("parser");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("expected"); // 1 true, 0 false, -1 malformed

    for (const char *parser : {"validate", "delete", "subscribed"}) {
        const QString p = QString::fromLatin1(parser);
        QTest::addRow("%s empty (204)", parser) << p << QByteArray() << 1;
        QTest::addRow("%s whitespace", parser) << p << QByteArray(" \r\n") << 1;
        QTest::addRow("%s empty object", parser) << p << QByteArray("{ }") << 1;
        QTest::addRow("%s html", parser) << p << QByteArray("<html><body>502</body></html>") << -1;
        QTest::addRow("%s array", parser) << p << QByteArray("[]") << -1;
        QTest::addRow("%s data string", parser) << p << QByteArray(R"({"data":"yes"})") << -1;
        QTest::addRow("%s data without key", parser) << p << QByteArray(R"({"data":{}})") << -1;
    }
    QTest::newRow("validate true") << QStringLiteral("validate") << QByteArray(R"({"data":{"valid":true}})")
                                   << 1;
    QTest::newRow("validate false") << QStringLiteral("validate") << QByteArray(R"({"data":{"valid":false}})")
                                    << 0;
    QTest::newRow("validate attempted")
        << QStringLiteral("validate") << QByteArray(R"({"data":{"attempted":true}})") << 1;
    QTest::newRow("validate number") << QStringLiteral("validate") << QByteArray(R"({"data":{"valid":1}})")
                                     << -1;
    QTest::newRow("delete true") << QStringLiteral("delete") << QByteArray(R"({"data":{"deleted":true}})")
                                 << 1;
    QTest::newRow("delete false") << QStringLiteral("delete") << QByteArray(R"({"data":{"deleted":false}})")
                                  << 0;
    QTest::newRow("subscribed true") << QStringLiteral("subscribed")
                                     << QByteArray(R"({"data":{"subscribed":true}})") << 1;
    QTest::newRow("subscribed false")
        << QStringLiteral("subscribed") << QByteArray(R"({"data":{"subscribed":false}})") << 0;
    QTest::newRow("subscribed null") << QStringLiteral("subscribed")
                                     << QByteArray(R"({"data":{"subscribed":null}})") << -1;
}

void TestParsers::shouldReadFlags()
{
    QFETCH(QString, parser);
    QFETCH(QByteArray, body);
    QFETCH(int, expected);
    const Result<bool> result = parser == QLatin1String("validate") ? parse::validateResult(body)
        : parser == QLatin1String("delete")                         ? parse::deleteResult(body)
                                                                    : parse::subscribedFlag(body);
    if (expected < 0) {
        QVERIFY(isMalformed(result));
    } else {
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().cause));
        QCOMPARE(result.value(), expected == 1);
    }
}

void TestParsers::shouldReadSubscriptionCountVariants_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("account");
    QTest::addColumn<qint64>("all");
    QTest::addColumn<qint64>("dms");
    QTest::addColumn<qint64>("provisioned");
    QTest::newRow("v1.1 strings")
        << QByteArray(
               R"({"account_name":"my-account","subscriptions_count_all":"1","subscriptions_count_direct_messages":"0","provisioned_count":"50"})")
        << QStringLiteral("my-account") << qint64(1) << qint64(0) << qint64(50);
    QTest::newRow("v2 data strings")
        << QByteArray(
               R"({"data":{"account_name":"acct","provisioned_count":"500","subscriptions_count_all":"12","subscriptions_count_direct_messages":"0"}})")
        << QStringLiteral("acct") << qint64(12) << qint64(0) << qint64(500);
    QTest::newRow("numbers")
        << QByteArray(
               R"({"account_name":"n","subscriptions_count_all":3,"subscriptions_count_direct_messages":1,"provisioned_count":25})")
        << QStringLiteral("n") << qint64(3) << qint64(1) << qint64(25);
    QTest::newRow("premium")
        << QByteArray(R"({"account_name":"my-account","subscriptions_count":"1","provisioned_count":"25"})")
        << QStringLiteral("my-account") << qint64(1) << qint64(0) << qint64(25);
}

void TestParsers::shouldReadSubscriptionCountVariants()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, account);
    QFETCH(qint64, all);
    QFETCH(qint64, dms);
    QFETCH(qint64, provisioned);
    const auto result = parse::subscriptionCount(body);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().cause));
    QCOMPARE(result.value().accountName, account);
    QCOMPARE(result.value().subscriptionsAll, all);
    QCOMPARE(result.value().subscriptionsDirectMessages, dms);
    QCOMPARE(result.value().provisioned, provisioned);
}

void TestParsers::shouldRejectBadCounts_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("no count") << QByteArray(R"({"account_name":"a","provisioned_count":"5"})");
    QTest::newRow("word") << QByteArray(R"({"subscriptions_count_all":"many"})");
    QTest::newRow("negative") << QByteArray(R"({"subscriptions_count_all":"-1"})");
    QTest::newRow("fraction") << QByteArray(R"({"subscriptions_count_all":1.5})");
    QTest::newRow("huge number") << QByteArray(R"({"subscriptions_count_all":1e300})");
    QTest::newRow("bool") << QByteArray(R"({"subscriptions_count_all":true})");
    QTest::newRow("provisioned word")
        << QByteArray(R"({"subscriptions_count_all":"1","provisioned_count":"x"})");
    QTest::newRow("array") << QByteArray(R"([{"subscriptions_count_all":"1"}])");
    QTest::newRow("data array") << QByteArray(R"({"data":[]})");
    QTest::newRow("account number") << QByteArray(R"({"account_name":7,"subscriptions_count_all":"1"})");
}

void TestParsers::shouldRejectBadCounts()
{
    QFETCH(QByteArray, body);
    QVERIFY(isMalformed(parse::subscriptionCount(body)));
}

void TestParsers::shouldReadSubscriptionListVariants_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("webhookId");
    QTest::addColumn<QString>("applicationId");
    QTest::addColumn<QStringList>("userIds");
    QTest::newRow("v1.1")
        << QByteArray(
               R"({"webhook_id":"1234567890","webhook_url":"https://your_domain.com/webhook/twitter/0","application_id":"11231812","subscriptions":[{"user_id":"20212306"}]})")
        << QStringLiteral("1234567890") << QStringLiteral("11231812")
        << QStringList {QStringLiteral("20212306")};
    QTest::newRow("v2 data")
        << QByteArray(
               R"({"data":{"application_id":"5","webhook_id":"6","webhook_url":"https://a.example/x","subscriptions":[{"user_id":"1"},{"user_id":"2"}]}})")
        << QStringLiteral("6") << QStringLiteral("5")
        << QStringList {QStringLiteral("1"), QStringLiteral("2")};
    QTest::newRow("premium")
        << QByteArray(
               R"({"environment":"appname","application_id":"13090192","subscriptions":[{"user_id":"3001969357"}]})")
        << QString() << QStringLiteral("13090192") << QStringList {QStringLiteral("3001969357")};
    QTest::newRow("empty list") << QByteArray(R"({"webhook_id":"6","subscriptions":[]})")
                                << QStringLiteral("6") << QString() << QStringList {};
    QTest::newRow("v2 without subscriptions key")
        << QByteArray(
               R"({"data":{"application_id":"5","webhook_id":"6","webhook_url":"https://a.example/x"}})")
        << QStringLiteral("6") << QStringLiteral("5") << QStringList {};
    QTest::newRow("numeric user id") << QByteArray(
                                            R"({"webhook_id":"6","subscriptions":[{"user_id":20212306}]})")
                                     << QStringLiteral("6") << QString()
                                     << QStringList {QStringLiteral("20212306")};
}

void TestParsers::shouldReadSubscriptionListVariants()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, webhookId);
    QFETCH(QString, applicationId);
    QFETCH(QStringList, userIds);
    const auto result = parse::subscriptionList(body);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().cause));
    QCOMPARE(result.value().webhookId, webhookId);
    QCOMPARE(result.value().applicationId, applicationId);
    QCOMPARE(result.value().userIds, userIds);
}

void TestParsers::shouldReadHundredThousandSubscriptions()
{
    QByteArray body =
        R"({"data":{"application_id":"1","webhook_id":"2","webhook_url":"https://a.example/x","subscriptions":[)";
    constexpr int kCount = 100000;
    for (int i = 0; i < kCount; ++i) {
        if (i)
            body += ',';
        body += R"({"user_id":")" + QByteArray::number(1000000000000000000LL + i) + R"("})";
    }
    body += "]}}";
    const auto result = parse::subscriptionList(body);
    QVERIFY(result.ok());
    QCOMPARE(result.value().userIds.size(), kCount);
    QCOMPARE(result.value().userIds.first(), QStringLiteral("1000000000000000000"));
    QCOMPARE(result.value().userIds.last(), QStringLiteral("1000000000000099999"));
}

void TestParsers::shouldRejectBadSubscriptionEntries_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("subscriptions object") << QByteArray(R"({"webhook_id":"6","subscriptions":{}})");
    QTest::newRow("entry string") << QByteArray(R"({"webhook_id":"6","subscriptions":["1"]})");
    QTest::newRow("entry without user_id")
        << QByteArray(R"({"webhook_id":"6","subscriptions":[{"id":"1"}]})");
    QTest::newRow("user_id bool") << QByteArray(R"({"webhook_id":"6","subscriptions":[{"user_id":true}]})");
    QTest::newRow("user_id beyond 2^63 as number")
        << QByteArray(R"({"webhook_id":"6","subscriptions":[{"user_id":12345678901234567890123}]})");
    QTest::newRow("nothing list-like") << QByteArray(R"({"hello":1})");
    QTest::newRow("webhook_id object") << QByteArray(R"({"webhook_id":{},"subscriptions":[]})");
}

void TestParsers::shouldRejectBadSubscriptionEntries()
{
    QFETCH(QByteArray, body);
    QVERIFY(isMalformed(parse::subscriptionList(body)));
}

void TestParsers::shouldFindReplayJobIdWherever_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QDateTime>("createdAt");
    QTest::newRow("v1.1 top level") << QByteArray(
                                           R"({"job_id":"1234567890","created_at":"2016-06-02T23:54:02Z"})")
                                    << utc(2016, 6, 2, 23, 54, 2);
    QTest::newRow("v2 data")
        << QByteArray(R"({"data":{"job_id":"1234567890","created_at":"2025-04-24T20:57:15.242Z"}})")
        << utc(2025, 4, 24, 20, 57, 15, 242);
    QTest::newRow("quickstart replay_event")
        << QByteArray(
               R"({"for_user_id":"99","replay_event":{"job_id":"1234567890","created_at":"2025-04-24T20:57:15.000Z"}})")
        << utc(2025, 4, 24, 20, 57, 15);
    QTest::newRow("numeric job id, no time") << QByteArray(R"({"job_id":1234567890})") << QDateTime();
}

void TestParsers::shouldFindReplayJobIdWherever()
{
    QFETCH(QByteArray, body);
    QFETCH(QDateTime, createdAt);
    const auto result = parse::replayJob(body);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().cause));
    QCOMPARE(result.value().jobId, QStringLiteral("1234567890"));
    QCOMPARE(result.value().createdAt, createdAt);

    QVERIFY(isMalformed(parse::replayJob(R"({"data":{"created_at":"2016-06-02T23:54:02Z"}})")));
    QVERIFY(isMalformed(parse::replayJob(R"({"job_id":null})")));
}

void TestParsers::shouldReadUsersVariants_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QStringList>("usernames");
    QTest::newRow("v1.1 lookup")
        << QByteArray(
               R"([{"id":2244994945,"id_str":"2244994945","screen_name":"XDevelopers","name":"X Developers","profile_image_url_https":"https://x"},{"id_str":"783214","screen_name":"X","name":"X"}])")
        << QStringList {QStringLiteral("2244994945"), QStringLiteral("783214")}
        << QStringList {QStringLiteral("XDevelopers"), QStringLiteral("X")};
    QTest::newRow("v2 with partial errors")
        << QByteArray(
               R"({"data":[{"id":"2244994945","name":"X Developers","username":"XDevelopers"}],"errors":[{"value":"1","detail":"Could not find user with ids: [1].","title":"Not Found Error","resource_type":"user","parameter":"ids","resource_id":"1","type":"https://api.x.com/2/problems/resource-not-found"}]})")
        << QStringList {QStringLiteral("2244994945")} << QStringList {QStringLiteral("XDevelopers")};
    QTest::newRow("v2 errors only")
        << QByteArray(
               R"({"errors":[{"detail":"Could not find user with ids: [1].","title":"Not Found Error","type":"https://api.x.com/2/problems/resource-not-found"}]})")
        << QStringList {} << QStringList {};
    QTest::newRow("v2 single user") << QByteArray(R"({"data":{"id":"7","name":"Seven","username":"seven"}})")
                                    << QStringList {QStringLiteral("7")}
                                    << QStringList {QStringLiteral("seven")};
    QTest::newRow("empty array") << QByteArray("[]") << QStringList {} << QStringList {};
}

void TestParsers::shouldReadUsersVariants()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, ids);
    QFETCH(QStringList, usernames);
    const auto result = parse::users(body);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().cause));
    QStringList gotIds;
    QStringList gotNames;
    for (const UserInfo &user : result.value()) {
        gotIds.append(user.id);
        gotNames.append(user.username);
    }
    QCOMPARE(gotIds, ids);
    QCOMPARE(gotNames, usernames);
}

void TestParsers::shouldKeepLargeIdsExact_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("id"); // empty: must be refused
    QTest::newRow("string beyond double precision")
        << QByteArray(R"([{"id_str":"1312681837941059599"}])") << QStringLiteral("1312681837941059599");
    QTest::newRow("id_str wins over rounded id")
        << QByteArray(R"([{"id":1312681837941059600,"id_str":"1312681837941059599","screen_name":"a"}])")
        << QStringLiteral("1312681837941059599");
    QTest::newRow("number within int64 is exact")
        << QByteArray(R"([{"id":1312681837941059599}])") << QStringLiteral("1312681837941059599");
    QTest::newRow("number beyond int64 is refused")
        << QByteArray(R"([{"id":99999999999999999999}])") << QString();
    QTest::newRow("fractional number is refused") << QByteArray(R"([{"id":12.5}])") << QString();
    QTest::newRow("huge exponent is refused") << QByteArray(R"([{"id":1e308}])") << QString();
    QTest::newRow("overflowing exponent is refused") << QByteArray(R"([{"id":1e400}])") << QString();
}

void TestParsers::shouldKeepLargeIdsExact()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, id);
    const auto result = parse::users(body);
    if (id.isEmpty()) {
        QVERIFY(isMalformed(result));
    } else {
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().cause));
        QCOMPARE(result.value().first().id, id);
    }
}

void TestParsers::shouldReadBearerToken_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("token"); // empty: must be refused
    QTest::newRow("documented") << QByteArray(
                                       R"({"token_type":"bearer","access_token":"AAAA%2FAAA%3DAAAAAAAA"})")
                                << QByteArray("AAAA%2FAAA%3DAAAAAAAA");
    QTest::newRow("type in capitals")
        << QByteArray(R"({"token_type":"Bearer","access_token":"abc"})") << QByteArray("abc");
    QTest::newRow("wrong type") << QByteArray(R"({"token_type":"mac","access_token":"abc"})") << QByteArray();
    QTest::newRow("no type") << QByteArray(R"({"access_token":"abc"})") << QByteArray();
    QTest::newRow("empty token") << QByteArray(R"({"token_type":"bearer","access_token":""})")
                                 << QByteArray();
    QTest::newRow("token number") << QByteArray(R"({"token_type":"bearer","access_token":5})")
                                  << QByteArray();
    QTest::newRow("form encoded") << QByteArray("token_type=bearer&access_token=abc") << QByteArray();
}

void TestParsers::shouldReadBearerToken()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, token);
    const auto result = parse::bearerToken(body);
    if (token.isEmpty()) {
        QVERIFY(isMalformed(result));
    } else {
        QVERIFY(result.ok());
        QCOMPARE(result.value(), token);
    }
}

void TestParsers::shouldNeverEchoTheTokenInErrors()
{
    const QByteArray secret = "SECRETTOKENVALUE123";
    for (const QByteArray &body : {QByteArray(R"({"token_type":"mac","access_token":")" + secret + "\"}"),
                                   QByteArray(R"({"token_type":"bearer","access_token":")" + secret),
                                   QByteArray("oauth_token=" + secret + "&oauth_callback_confirmed=false")}) {
        for (const ApiError &error : {parse::bearerToken(body).error(), parse::requestToken(body).error()}) {
            QVERIFY(!error.cause.contains(QString::fromLatin1(secret)));
            QVERIFY(!error.remedy.contains(QString::fromLatin1(secret)));
            QVERIFY(!error.serverMessage.contains(QString::fromLatin1(secret)));
        }
    }
}

void TestParsers::shouldReadRequestToken()
{
    const auto result =
        parse::requestToken("oauth_token=Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik&oauth_token_secret="
                            "Kd75W4OQfb2oJTV0vzGzeXftVAwgMnEK9MumzYcM&oauth_callback_confirmed=true");
    QVERIFY(result.ok());
    QCOMPARE(result.value().token, QByteArray("Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik"));
    QCOMPARE(result.value().tokenSecret, QByteArray("Kd75W4OQfb2oJTV0vzGzeXftVAwgMnEK9MumzYcM"));
    QVERIFY(result.value().callbackConfirmed);

    // RFC 5849's response, in a different order and with a trailing newline.
    const auto rfc =
        parse::requestToken("oauth_callback_confirmed=true&oauth_token=hh5s93j4hdidpola&oauth_token_secret="
                            "hdhd0244k9j7ao03\n");
    QVERIFY(rfc.ok());
    QCOMPARE(rfc.value().tokenSecret, QByteArray("hdhd0244k9j7ao03"));
}

void TestParsers::shouldRequireCallbackConfirmation_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not confirmed") << QByteArray(
        "oauth_token=a&oauth_token_secret=b&oauth_callback_confirmed=false");
    QTest::newRow("missing") << QByteArray("oauth_token=a&oauth_token_secret=b");
    QTest::newRow("no token") << QByteArray("oauth_token_secret=b&oauth_callback_confirmed=true");
    QTest::newRow("no secret") << QByteArray("oauth_token=a&oauth_callback_confirmed=true");
    QTest::newRow("json error") << QByteArray(
        R"({"errors":[{"code":415,"message":"Callback URL not approved"}]})");
    QTest::newRow("html") << QByteArray("<!DOCTYPE html><html></html>");
    QTest::newRow("empty") << QByteArray();
}

void TestParsers::shouldRequireCallbackConfirmation()
{
    QFETCH(QByteArray, body);
    QVERIFY(isMalformed(parse::requestToken(body)));
}

void TestParsers::shouldReadAccessToken()
{
    const auto result =
        parse::accessToken("oauth_token=6253282-eWudHldSbIaelX7swmsiHImEL4KinwaGloHANdrY&oauth_token_"
                           "secret=2EEfA6BG5ly3sR3XjE0IBSnlQu4ZrUzPiYTmrkVU&user_id=6253282&screen_"
                           "name=xapi");
    QVERIFY(result.ok());
    QCOMPARE(result.value().token, QByteArray("6253282-eWudHldSbIaelX7swmsiHImEL4KinwaGloHANdrY"));
    QCOMPARE(result.value().tokenSecret, QByteArray("2EEfA6BG5ly3sR3XjE0IBSnlQu4ZrUzPiYTmrkVU"));
    QCOMPARE(result.value().userId, QStringLiteral("6253282"));
    QCOMPARE(result.value().screenName, QStringLiteral("xapi"));

    const auto encoded =
        parse::accessToken("oauth_token=a&oauth_token_secret=b%2Bc&user_id=1&screen_name=J%C3%BCrgen");
    QVERIFY(encoded.ok());
    QCOMPARE(encoded.value().tokenSecret, QByteArray("b+c"));
    QCOMPARE(encoded.value().screenName, QStringLiteral("Jürgen"));

    QVERIFY(isMalformed(parse::accessToken("oauth_token=a&user_id=1")));
    QVERIFY(isMalformed(parse::accessToken("")));
}

void TestParsers::shouldTurnErrorsOnlyAnswersIntoApiErrors()
{
    // A 200 that carries only problems is an API error with its own kind, not unreadable data.
    const auto result = parse::webhook(
        R"({"errors":[{"title":"WebhookIdInvalid","detail":"no such webhook","type":"https://api.x.com/2/problems/resource-not-found"}]})");
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, Kind::NotFound);
    QCOMPARE(result.error().name, QStringLiteral("WebhookIdInvalid"));

    const auto list =
        parse::webhookList(R"({"errors":[{"code":99,"message":"You don't have access to this resource."}]})");
    QVERIFY(!list.ok());
    QCOMPARE(list.error().kind, Kind::Permission);
    QCOMPARE(list.error().code, 99);
}

void TestParsers::shouldRejectMalformedInputEverywhere_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("truncated object") << QByteArray(R"({"data":{"id":"1","url":"https://a)");
    QTest::newRow("truncated array") << QByteArray(R"([{"id":"1"},)");
    QTest::newRow("html") << QByteArray(
        "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>");
    QTest::newRow("plain text") << QByteArray("Service Unavailable");
    QTest::newRow("null") << QByteArray("null");
    QTest::newRow("number") << QByteArray("12345678901234567890123456789");
    QTest::newRow("string") << QByteArray(R"("hello")");
    QTest::newRow("array of numbers") << QByteArray("[1,2,3]");
    QTest::newRow("array of arrays") << QByteArray("[[],[]]");
    QTest::newRow("deep nesting") << QByteArray(2000, '[') + QByteArray(2000, ']');
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe{\x01", 5);
    QTest::newRow("invalid utf-8 in string") << QByteArray("{\"data\":{\"id\":\"\xc3\x28\"}}");
    QTest::newRow("wrong types") << QByteArray(
        R"({"data":{"id":[],"url":{},"valid":"x","job_id":{},"subscriptions":5}})");
    QTest::newRow("huge numbers") << QByteArray(
        R"({"data":{"id":1e999,"job_id":-1e308,"subscriptions_count_all":1e308}})");
}

void TestParsers::shouldRejectMalformedInputEverywhere()
{
    QFETCH(QByteArray, body);
    for (const auto &[name, parser] : allParsers()) {
        const auto error = parser(body);
        // Most parsers refuse; the few that accept must at least not crash. None may accept HTML.
        if (error) {
            QVERIFY2(!error->cause.isEmpty() && !error->remedy.isEmpty(), name);
            QVERIFY2(error->kind == Kind::MalformedResponse, name);
        } else {
            QVERIFY2(!body.startsWith('<'), name);
        }
    }
}

void TestParsers::shouldSurviveTruncationsOfValidBodies()
{
    const QList<QByteArray> bodies {
        R"({"data":[{"created_at":"2025-01-15T12:00:00.000Z","id":"1234567890","url":"https://yourdomain.com/webhooks/twitter","valid":true}],"meta":{"result_count":1}})",
        R"({"environments":[{"environment_name":"prod","webhooks":[{"id":"1312681837941059599","url":"https://x/cb","valid":false,"created_timestamp":"2020-10-04 09:11:54 +0000"}]}]})",
        R"({"data":{"application_id":"5","webhook_id":"6","webhook_url":"https://a.example/x","subscriptions":[{"user_id":"1"},{"user_id":"2"}]}})",
        R"({"for_user_id":"99","replay_event":{"job_id":"1234567890","created_at":"2025-04-24T20:57:15.000Z"}})",
        "oauth_token=a&oauth_token_secret=b&oauth_callback_confirmed=true&user_id=1&screen_name=x",
    };
    int refused = 0;
    for (const QByteArray &body : bodies) {
        for (qsizetype cut = 0; cut < body.size(); ++cut) {
            const QByteArray part = body.left(cut);
            for (const auto &[name, parser] : allParsers()) {
                if (const auto error = parser(part)) {
                    ++refused;
                    QVERIFY2(!error->cause.isEmpty(), name);
                }
            }
        }
    }
    QVERIFY(refused > 0);
}

void TestParsers::shouldSurviveRandomMutationsOfValidBodies()
{
    // Fixed seed: the same mutations every run. Each mutation flips, inserts or deletes a few bytes,
    // often producing valid JSON with wrong types, which is what has to be refused gracefully.
    const QList<QByteArray> bodies {
        R"([{"id":"1234567890","url":"https://a.example/x","valid":true,"created_at":"2016-06-02T23:54:02Z"}])",
        R"({"data":{"account_name":"a","provisioned_count":"500","subscriptions_count_all":"12","subscriptions_count_direct_messages":"0"}})",
        R"({"data":[{"id":"2244994945","name":"X Developers","username":"XDevelopers"}],"errors":[{"title":"Not Found Error"}]})",
        R"({"data":{"valid":true}})",
        R"({"token_type":"bearer","access_token":"AAAA"})",
    };
    const char interesting[] = "{}[]\":,0-9.eE+tfn \\";
    QRandomGenerator random(20250115);
    int iterations = 0;
    for (const QByteArray &original : bodies) {
        for (int round = 0; round < 2000; ++round) {
            QByteArray body = original;
            const int edits = 1 + random.bounded(4);
            for (int e = 0; e < edits && !body.isEmpty(); ++e) {
                const qsizetype at = random.bounded(int(body.size()));
                const char c = interesting[random.bounded(int(sizeof(interesting) - 1))];
                switch (random.bounded(3)) {
                case 0:
                    body[at] = c;
                    break;
                case 1:
                    body.insert(at, c);
                    break;
                default:
                    body.remove(at, 1 + random.bounded(3));
                    break;
                }
            }
            for (const auto &[name, parser] : allParsers()) {
                if (const auto error = parser(body))
                    QVERIFY2(!error->cause.isEmpty() && !error->remedy.isEmpty(), name);
            }
            ++iterations;
        }
    }
    QCOMPARE(iterations, 10000);
}

QTEST_GUILESS_MAIN(TestParsers)
#include "tst_parsers.moc"
