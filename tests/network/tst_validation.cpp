// Checks made before sending: webhook URL rules, base URLs, ids, replay windows at the edge of every
// rule for each endpoint (with a fixed "now"), and replay time parsing/formatting.
#include "Validation.h"

#include <QTest>
#include <QTimeZone>

using namespace activity;
using validate::UrlPolicy;

Q_DECLARE_METATYPE(activity::validate::UrlPolicy)
Q_DECLARE_METATYPE(activity::ApiGeneration)

namespace {

QDateTime utc(int y, int mo, int d, int h, int mi, int s = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s), Qt::UTC);
}

// Fixed "now" for every window test.
const QDateTime kNow = utc(2025, 1, 15, 12, 0);

QDateTime minutesAgo(int minutes)
{
    return kNow.addSecs(-60 * qint64(minutes));
}

constexpr int kDay = 24 * 60;

void verifyValidationError(const std::optional<ApiError> &error)
{
    QVERIFY(error.has_value());
    QCOMPARE(error->kind, ApiError::Kind::Validation);
    QVERIFY(!error->cause.isEmpty());
    QVERIFY(!error->remedy.isEmpty());
}

} // namespace

class TestValidation : public QObject
{
    Q_OBJECT

private slots:
    void shouldApplyWebhookUrlRules_data();
    void shouldApplyWebhookUrlRules();
    void shouldLimitWebhookUrlLengthPerGeneration();

    void shouldNormaliseBaseUrls_data();
    void shouldNormaliseBaseUrls();

    void shouldTellLoopbackAddressesFromNames_data();
    void shouldTellLoopbackAddressesFromNames();
    void shouldCheckNumericIds_data();
    void shouldCheckNumericIds();

    void shouldApplyReplayWindowRules_data();
    void shouldApplyReplayWindowRules();
    void shouldRoundRemedyToWholeMinutes();
    void shouldConvertOtherZonesBeforeChecking();
    void shouldDescribeTheCurrentReplayRules();

    void shouldParseReplayTimes_data();
    void shouldParseReplayTimes();
    void shouldFormatReplayTimesInUtc();
};

void TestValidation::shouldApplyWebhookUrlRules_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<UrlPolicy>("policy");
    QTest::addColumn<QString>("causeMentions"); // empty: accepted

    const auto x = UrlPolicy::XRules;
    const auto lenient = UrlPolicy::AllowLoopbackHttp;
    const QString longPath = QString(2048 - QStringLiteral("https://example.com/").size(), QLatin1Char('a'));

    QTest::newRow("plain https") << QStringLiteral("https://example.com/webhooks/x") << x << QString();
    QTest::newRow("subdomain, query")
        << QStringLiteral("https://hooks.example.co.uk/a/b?team=1") << x << QString();
    QTest::newRow("surrounding spaces") << QStringLiteral("  https://example.com/w  ") << x << QString();
    QTest::newRow("exactly 2048") << QStringLiteral("https://example.com/") + longPath << x << QString();
    QTest::newRow("2049") << QStringLiteral("https://example.com/") + longPath + QLatin1Char('b') << x
                          << QStringLiteral("2049 characters");
    QTest::newRow("empty") << QString() << x << QStringLiteral("empty");
    QTest::newRow("http") << QStringLiteral("http://example.com/w") << x << QStringLiteral("only https");
    QTest::newRow("ftp") << QStringLiteral("ftp://example.com/w") << x << QStringLiteral("only https");
    QTest::newRow("port") << QStringLiteral("https://example.com:5000/w") << x << QStringLiteral("port");
    QTest::newRow("explicit 443") << QStringLiteral("https://example.com:443/w") << x
                                  << QStringLiteral("port");
    QTest::newRow("ipv4 literal") << QStringLiteral("https://203.0.113.7/w") << x
                                  << QStringLiteral("IP address");
    QTest::newRow("ipv6 literal") << QStringLiteral("https://[2001:db8::1]/w") << x
                                  << QStringLiteral("IP address");
    QTest::newRow("fragment") << QStringLiteral("https://example.com/w#top") << x
                              << QStringLiteral("fragment");
    QTest::newRow("empty fragment") << QStringLiteral("https://example.com/w#") << x
                                    << QStringLiteral("fragment");
    QTest::newRow("user info") << QStringLiteral("https://user:pw@example.com/w") << x
                               << QStringLiteral("user name");
    QTest::newRow("user only") << QStringLiteral("https://user@example.com/w") << x
                               << QStringLiteral("user name");
    QTest::newRow("relative") << QStringLiteral("/webhooks/x") << x << QStringLiteral("absolute");
    QTest::newRow("no scheme") << QStringLiteral("example.com/webhooks") << x << QStringLiteral("absolute");
    QTest::newRow("no host") << QStringLiteral("https:///webhooks") << x << QStringLiteral("absolute");
    QTest::newRow("localhost") << QStringLiteral("https://localhost/w") << x << QStringLiteral("public");
    QTest::newRow("single label") << QStringLiteral("https://intranet/w") << x << QStringLiteral("public");
    QTest::newRow("space in host") << QStringLiteral("https://exa mple.com/w") << x
                                   << QStringLiteral("not a valid URL");
    QTest::newRow("loopback http refused by X")
        << QStringLiteral("http://127.0.0.1:8080/w") << x << QStringLiteral("only https");

    QTest::newRow("lenient 127.0.0.1")
        << QStringLiteral("http://127.0.0.1:8080/webhook") << lenient << QString();
    QTest::newRow("lenient 127.1.2.3")
        << QStringLiteral("http://127.1.2.3:9/webhook") << lenient << QString();
    // A name is not an address: what "localhost" points at is up to the resolver.
    QTest::newRow("lenient localhost refused")
        << QStringLiteral("http://localhost:8080/webhook") << lenient << QStringLiteral("only https");
    QTest::newRow("lenient ::1") << QStringLiteral("http://[::1]:8080/webhook") << lenient << QString();
    QTest::newRow("lenient https loopback")
        << QStringLiteral("https://127.0.0.1:8443/w") << lenient << QString();
    QTest::newRow("lenient still X rules elsewhere")
        << QStringLiteral("http://example.com:8080/w") << lenient << QStringLiteral("only https");
    QTest::newRow("lenient private ip refused")
        << QStringLiteral("http://192.168.1.5:8080/w") << lenient << QStringLiteral("only https");
    QTest::newRow("lenient fragment refused")
        << QStringLiteral("http://127.0.0.1:8080/w#x") << lenient << QStringLiteral("fragment");
    QTest::newRow("lenient user info refused")
        << QStringLiteral("http://a:b@127.0.0.1:8080/w") << lenient << QStringLiteral("user name");
    QTest::newRow("lenient public https") << QStringLiteral("https://example.com/w") << lenient << QString();
}

void TestValidation::shouldApplyWebhookUrlRules()
{
    QFETCH(QString, url);
    QFETCH(UrlPolicy, policy);
    QFETCH(QString, causeMentions);
    const auto error = validate::webhookUrl(url, policy, ApiGeneration::V1_1);
    if (causeMentions.isEmpty()) {
        QVERIFY2(!error.has_value(), error ? qPrintable(error->cause) : "");
        return;
    }
    verifyValidationError(error);
    QVERIFY2(error->cause.contains(causeMentions, Qt::CaseInsensitive), qPrintable(error->cause));
}

void TestValidation::shouldLimitWebhookUrlLengthPerGeneration()
{
    // Spec 2.167 caps v2's "url" at 200 characters; v1.1 keeps its own, larger sanity cap.
    const QString prefix = QStringLiteral("https://example.com/");
    const QString at200 = prefix + QString(200 - prefix.size(), QLatin1Char('a'));
    const QString at201 = at200 + QLatin1Char('a');
    QCOMPARE(at200.size(), 200);
    QVERIFY(!validate::webhookUrl(at200, UrlPolicy::XRules, ApiGeneration::V2).has_value());
    const auto refused = validate::webhookUrl(at201, UrlPolicy::XRules, ApiGeneration::V2);
    verifyValidationError(refused);
    QVERIFY2(refused->cause.contains(QLatin1String("201 characters")), qPrintable(refused->cause));
    QVERIFY2(refused->cause.contains(QLatin1String("at most 200")), qPrintable(refused->cause));
    QVERIFY(!validate::webhookUrl(at201, UrlPolicy::XRules, ApiGeneration::V1_1).has_value());
    const QString at2049 = prefix + QString(2049 - prefix.size(), QLatin1Char('a'));
    QVERIFY(validate::webhookUrl(at2049, UrlPolicy::XRules, ApiGeneration::V1_1).has_value());
    QCOMPARE(validate::maxWebhookUrlLength(ApiGeneration::V2), 200);
}

void TestValidation::shouldNormaliseBaseUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("allowPlainLoopback");
    QTest::addColumn<QString>("expected"); // empty: refused

    QTest::newRow("x") << QStringLiteral("https://api.x.com") << false << QStringLiteral("https://api.x.com");
    QTest::newRow("trailing slash") << QStringLiteral("https://api.x.com/") << false
                                    << QStringLiteral("https://api.x.com");
    QTest::newRow("case and spaces") << QStringLiteral("  HTTPS://API.Twitter.com/ ") << false
                                     << QStringLiteral("https://api.twitter.com");
    QTest::newRow("https port") << QStringLiteral("https://proxy.example.com:8443") << false
                                << QStringLiteral("https://proxy.example.com:8443");
    QTest::newRow("https localhost") << QStringLiteral("https://localhost:8443") << false
                                     << QStringLiteral("https://localhost:8443");
    // Plain http sends every credential in clear: to a loopback address, once allowed.
    QTest::newRow("sandbox ipv4") << QStringLiteral("http://127.0.0.1:8080/") << true
                                  << QStringLiteral("http://127.0.0.1:8080");
    QTest::newRow("sandbox ipv4, not allowed")
        << QStringLiteral("http://127.0.0.1:8080/") << false << QString();
    QTest::newRow("sandbox 127/8") << QStringLiteral("http://127.8.9.10:8080") << true
                                   << QStringLiteral("http://127.8.9.10:8080");
    QTest::newRow("sandbox localhost") << QStringLiteral("http://localhost:1234") << true << QString();
    QTest::newRow("sandbox ipv6") << QStringLiteral("http://[::1]:8080") << true
                                  << QStringLiteral("http://[::1]:8080");
    QTest::newRow("sandbox ipv6, not allowed") << QStringLiteral("http://[::1]:8080") << false << QString();
    QTest::newRow("http remote") << QStringLiteral("http://api.x.com") << true << QString();
    QTest::newRow("http private") << QStringLiteral("http://10.0.0.1:8080") << true << QString();
    QTest::newRow("http name like loopback")
        << QStringLiteral("http://127.0.0.1.nip.io:8080") << true << QString();
    QTest::newRow("path") << QStringLiteral("https://api.x.com/1.1") << false << QString();
    QTest::newRow("query") << QStringLiteral("https://api.x.com/?a=1") << false << QString();
    QTest::newRow("fragment") << QStringLiteral("https://api.x.com#f") << false << QString();
    QTest::newRow("user info") << QStringLiteral("https://u:p@api.x.com") << false << QString();
    QTest::newRow("ftp") << QStringLiteral("ftp://api.x.com") << false << QString();
    QTest::newRow("no scheme") << QStringLiteral("api.x.com") << false << QString();
    QTest::newRow("empty") << QString() << false << QString();
    QTest::newRow("garbage") << QStringLiteral("https://exa mple") << false << QString();
}

void TestValidation::shouldNormaliseBaseUrls()
{
    QFETCH(QString, text);
    QFETCH(bool, allowPlainLoopback);
    QFETCH(QString, expected);
    const Result<QUrl> result = validate::baseUrl(text, allowPlainLoopback);
    if (expected.isEmpty()) {
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ApiError::Kind::Validation);
        QVERIFY(!result.error().cause.isEmpty());
        QVERIFY(!result.error().remedy.isEmpty());
        return;
    }
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().cause));
    QCOMPARE(result.value().toString(), expected);
    // The console appends API paths to it.
    QCOMPARE(result.value().resolved(QUrl(QStringLiteral("/2/webhooks"))).toString(),
             expected + QStringLiteral("/2/webhooks"));
}

void TestValidation::shouldTellLoopbackAddressesFromNames_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("loopback");
    QTest::newRow("127.0.0.1") << QStringLiteral("127.0.0.1") << true;
    QTest::newRow("127.255.0.9") << QStringLiteral("127.255.0.9") << true;
    QTest::newRow("::1") << QStringLiteral("::1") << true;
    QTest::newRow("[::1]") << QStringLiteral("[::1]") << true;
    QTest::newRow("v4-mapped") << QStringLiteral("::ffff:127.0.0.1") << true;
    QTest::newRow("localhost") << QStringLiteral("localhost") << false;
    QTest::newRow("LOCALHOST") << QStringLiteral("LOCALHOST") << false;
    QTest::newRow("localhost.") << QStringLiteral("localhost.") << false;
    QTest::newRow("a name on 127.0.0.1") << QStringLiteral("127.0.0.1.nip.io") << false;
    QTest::newRow("private") << QStringLiteral("10.0.0.1") << false;
    QTest::newRow("any") << QStringLiteral("0.0.0.0") << false;
    QTest::newRow("empty") << QString() << false;
}

void TestValidation::shouldTellLoopbackAddressesFromNames()
{
    QFETCH(QString, host);
    QFETCH(bool, loopback);
    QCOMPARE(validate::isLoopbackAddress(host), loopback);
}

void TestValidation::shouldCheckNumericIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");
    QTest::newRow("one digit") << QStringLiteral("1") << true;
    QTest::newRow("19 digits") << QStringLiteral("1146654567674912769") << true;
    QTest::newRow("19 nines") << QStringLiteral("9999999999999999999") << true;
    QTest::newRow("20 digits") << QStringLiteral("11466545676749127690") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("letters") << QStringLiteral("12a") << false;
    QTest::newRow("leading space") << QStringLiteral(" 1") << false;
    QTest::newRow("trailing newline") << QStringLiteral("1\n") << false;
    QTest::newRow("negative") << QStringLiteral("-1") << false;
    QTest::newRow("screen name") << QStringLiteral("@xapi") << false;
    QTest::newRow("arabic digits") << QStringLiteral("\u0661\u0662") << false;
    QTest::newRow("path injection") << QStringLiteral("1/../2") << false;
}

void TestValidation::shouldCheckNumericIds()
{
    QFETCH(QString, id);
    QFETCH(bool, valid);
    const auto error = validate::numericId(id, QStringLiteral("webhook id"));
    QCOMPARE(!error.has_value(), valid);
    if (!valid) {
        verifyValidationError(error);
        QVERIFY(error->cause.contains(QLatin1String("webhook id")));
    }
}

void TestValidation::shouldApplyReplayWindowRules_data()
{
    QTest::addColumn<ApiGeneration>("generation");
    QTest::addColumn<QDateTime>("from");
    QTest::addColumn<QDateTime>("to");
    QTest::addColumn<QString>("remedyMentions"); // empty: accepted; otherwise a value the remedy must name

    const auto v11 = ApiGeneration::V1_1;
    const auto v2 = ApiGeneration::V2;

    // v1.1: from < to, from >= now-5d, from <= now-31min, to <= now-10min.
    QTest::newRow("v1.1 widest window") << v11 << minutesAgo(5 * kDay) << minutesAgo(10) << QString();
    QTest::newRow("v1.1 from 1 min too old")
        << v11 << minutesAgo(5 * kDay + 1) << minutesAgo(60) << QStringLiteral("202501101200");
    QTest::newRow("v1.1 from exactly 31 min ago") << v11 << minutesAgo(31) << minutesAgo(10) << QString();
    QTest::newRow("v1.1 from only 30 min ago")
        << v11 << minutesAgo(30) << minutesAgo(10) << QStringLiteral("202501151129");
    QTest::newRow("v1.1 to only 9 min ago")
        << v11 << minutesAgo(60) << minutesAgo(9) << QStringLiteral("202501151150");
    QTest::newRow("v1.1 from equals to")
        << v11 << minutesAgo(60) << minutesAgo(60) << QStringLiteral("202501151100");
    QTest::newRow("v1.1 from after to")
        << v11 << minutesAgo(50) << minutesAgo(60) << QStringLiteral("202501151100");
    QTest::newRow("v1.1 one-minute window") << v11 << minutesAgo(61) << minutesAgo(60) << QString();
    QTest::newRow("v1.1 in the future")
        << v11 << kNow.addSecs(600) << kNow.addSecs(1200) << QStringLiteral("202501151129");

    // v2 POST /2/webhooks/replay: from < to ([from, to)), from >= now-24h, from <= now-31min,
    // to <= now-10min (the legacy rules the changelog calls identical).
    QTest::newRow("v2 widest window") << v2 << minutesAgo(kDay) << minutesAgo(10) << QString();
    QTest::newRow("v2 from 1 min too old")
        << v2 << minutesAgo(kDay + 1) << minutesAgo(60) << QStringLiteral("202501141200");
    QTest::newRow("v2 5 days is too old")
        << v2 << minutesAgo(2 * kDay) << minutesAgo(kDay) << QStringLiteral("202501141200");
    QTest::newRow("v2 from exactly 31 min ago") << v2 << minutesAgo(31) << minutesAgo(10) << QString();
    QTest::newRow("v2 from only 30 min ago")
        << v2 << minutesAgo(30) << minutesAgo(10) << QStringLiteral("202501151129");
    QTest::newRow("v2 to only 9 min ago")
        << v2 << minutesAgo(60) << minutesAgo(9) << QStringLiteral("202501151150");
    QTest::newRow("v2 to now") << v2 << minutesAgo(60) << kNow << QStringLiteral("202501151150");
    QTest::newRow("v2 to in the future")
        << v2 << minutesAgo(60) << kNow.addSecs(60) << QStringLiteral("202501151150");
    QTest::newRow("v2 one-minute window") << v2 << minutesAgo(61) << minutesAgo(60) << QString();
    QTest::newRow("v2 from equals to (empty window)")
        << v2 << minutesAgo(60) << minutesAgo(60) << QStringLiteral("202501151100");
    QTest::newRow("v2 from after to")
        << v2 << minutesAgo(50) << minutesAgo(60) << QStringLiteral("202501151100");

    // Minute granularity and missing values, for every generation.
    for (const auto generation : {v11, v2}) {
        const int n = static_cast<int>(generation);
        QTest::addRow("generation %d from has seconds", n)
            << generation << minutesAgo(120).addSecs(30) << minutesAgo(60) << QStringLiteral("202501151000");
        QTest::addRow("generation %d to has seconds", n)
            << generation << minutesAgo(120) << minutesAgo(60).addSecs(-1) << QStringLiteral("202501151059");
        QTest::addRow("generation %d missing from", n)
            << generation << QDateTime() << minutesAgo(60) << QStringLiteral("yyyyMMddhhmm");
        QTest::addRow("generation %d missing to", n)
            << generation << minutesAgo(120) << QDateTime() << QStringLiteral("yyyyMMddhhmm");
    }
}

void TestValidation::shouldApplyReplayWindowRules()
{
    QFETCH(ApiGeneration, generation);
    QFETCH(QDateTime, from);
    QFETCH(QDateTime, to);
    QFETCH(QString, remedyMentions);
    const auto error = validate::replayWindow(generation, from, to, kNow);
    if (remedyMentions.isEmpty()) {
        QVERIFY2(!error.has_value(), error ? qPrintable(error->cause) : "");
        return;
    }
    verifyValidationError(error);
    QVERIFY2(error->remedy.contains(remedyMentions),
             qPrintable(error->cause + QLatin1String(" / ") + error->remedy));
    // The cause names the offending value.
    if (from.isValid() && to.isValid())
        QVERIFY2(error->cause.contains(QLatin1String("UTC")), qPrintable(error->cause));
}

void TestValidation::shouldRoundRemedyToWholeMinutes()
{
    // With "now" at 12:00:30 the oldest v2 start is 12:00:30 a day ago: the first whole minute is 12:01.
    const QDateTime now = kNow.addSecs(30);
    const auto tooOld =
        validate::replayWindow(ApiGeneration::V2, utc(2025, 1, 14, 12, 0), utc(2025, 1, 14, 13, 0), now);
    verifyValidationError(tooOld);
    QVERIFY2(tooOld->remedy.contains(QLatin1String("202501141201")), qPrintable(tooOld->remedy));
    QVERIFY(!validate::replayWindow(ApiGeneration::V2, utc(2025, 1, 14, 12, 1), utc(2025, 1, 14, 13, 0), now)
                 .has_value());

    // ... and the newest end for v1.1 is 11:50:30, i.e. 11:50.
    const auto tooRecent =
        validate::replayWindow(ApiGeneration::V1_1, utc(2025, 1, 15, 11, 0), utc(2025, 1, 15, 11, 51), now);
    verifyValidationError(tooRecent);
    QVERIFY2(tooRecent->remedy.contains(QLatin1String("202501151150")), qPrintable(tooRecent->remedy));
    QVERIFY2(tooRecent->cause.contains(QLatin1String("10 minutes")), qPrintable(tooRecent->cause));
}

void TestValidation::shouldConvertOtherZonesBeforeChecking()
{
    // 12:50+01:00 is 11:50 UTC: exactly ten minutes ago, allowed as the end of a v2 window.
    const QTimeZone plusOne(3600);
    const QDateTime to(QDate(2025, 1, 15), QTime(12, 50), plusOne);
    const QDateTime from(QDate(2025, 1, 15), QTime(12, 0), plusOne);
    QVERIFY(!validate::replayWindow(ApiGeneration::V2, from, to, kNow).has_value());
    QVERIFY(validate::replayWindow(ApiGeneration::V2, from, to.addSecs(60), kNow).has_value());
}

void TestValidation::shouldDescribeTheCurrentReplayRules()
{
    const QString v2 = validate::ReplayRules::forGeneration(ApiGeneration::V2).description();
    for (const char *needle : {"POST /2/webhooks/replay", "24 hours", "31 minutes", "10 minutes",
                               "start minute is replayed, the end minute is not"})
        QVERIFY2(v2.contains(QLatin1String(needle)), qPrintable(v2));
    QVERIFY2(!v2.contains(QLatin1String("5 days")), qPrintable(v2));
    const QString v11 = validate::ReplayRules::forGeneration(ApiGeneration::V1_1).description();
    QVERIFY2(v11.contains(QLatin1String("5 days")), qPrintable(v11));

    // Advice, not a refusal, for windows longer than X recommends.
    QVERIFY(validate::replayWindowAdvice(ApiGeneration::V2, minutesAgo(180), minutesAgo(60)).isEmpty());
    QVERIFY(validate::replayWindowAdvice(ApiGeneration::V2, minutesAgo(181), minutesAgo(60))
                .contains(QLatin1String("2 hours")));
    QVERIFY(validate::replayWindowAdvice(ApiGeneration::V1_1, minutesAgo(600), minutesAgo(60)).isEmpty());
}

void TestValidation::shouldParseReplayTimes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected"); // invalid: refused
    QTest::newRow("compact") << QStringLiteral("202501151200") << utc(2025, 1, 15, 12, 0);
    QTest::newRow("compact with spaces") << QStringLiteral(" 202501151200 ") << utc(2025, 1, 15, 12, 0);
    QTest::newRow("iso minutes Z") << QStringLiteral("2025-01-15T12:00Z") << utc(2025, 1, 15, 12, 0);
    QTest::newRow("iso seconds Z") << QStringLiteral("2025-01-15T12:00:00Z") << utc(2025, 1, 15, 12, 0);
    QTest::newRow("iso ms Z") << QStringLiteral("2025-01-15T12:00:00.000Z") << utc(2025, 1, 15, 12, 0);
    QTest::newRow("iso +01:00") << QStringLiteral("2025-01-15T13:00+01:00") << utc(2025, 1, 15, 12, 0);
    QTest::newRow("iso -05:00") << QStringLiteral("2025-01-15T07:00:00-05:00") << utc(2025, 1, 15, 12, 0);
    QTest::newRow("iso crosses midnight")
        << QStringLiteral("2025-01-16T01:30+02:00") << utc(2025, 1, 15, 23, 30);
    QTest::newRow("iso seconds kept")
        << QStringLiteral("2025-01-15T12:00:30Z") << utc(2025, 1, 15, 12, 0, 30);
    QTest::newRow("iso without zone") << QStringLiteral("2025-01-15T12:00") << QDateTime();
    QTest::newRow("space without zone") << QStringLiteral("2025-01-15 12:00") << QDateTime();
    QTest::newRow("month 13") << QStringLiteral("202513011200") << QDateTime();
    QTest::newRow("hour 24") << QStringLiteral("202501152400") << QDateTime();
    QTest::newRow("11 digits") << QStringLiteral("20250115120") << QDateTime();
    QTest::newRow("13 digits") << QStringLiteral("2025011512000") << QDateTime();
    QTest::newRow("word") << QStringLiteral("yesterday") << QDateTime();
    QTest::newRow("empty") << QString() << QDateTime();
}

void TestValidation::shouldParseReplayTimes()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const auto result = validate::parseReplayTime(text);
    if (!expected.isValid()) {
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ApiError::Kind::Validation);
        QVERIFY(result.error().remedy.contains(QLatin1String("yyyyMMddhhmm")));
        QVERIFY(result.error().remedy.contains(QLatin1String("ISO 8601")));
        return;
    }
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().cause));
    QCOMPARE(result.value(), expected);
    QCOMPARE(result.value().timeSpec(), Qt::UTC);
}

void TestValidation::shouldFormatReplayTimesInUtc()
{
    QCOMPARE(validate::formatReplayTime(utc(2025, 1, 15, 12, 0)), QStringLiteral("202501151200"));
    QCOMPARE(validate::formatReplayTime(QDateTime(QDate(2025, 1, 15), QTime(13, 5), QTimeZone(3600))),
             QStringLiteral("202501151205"));
    QCOMPARE(validate::formatReplayTime(QDateTime()), QString());
    const auto parsed = validate::parseReplayTime(validate::formatReplayTime(utc(2024, 2, 29, 23, 59)));
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value(), utc(2024, 2, 29, 23, 59));
}

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
