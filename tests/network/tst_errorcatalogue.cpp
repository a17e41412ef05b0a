// The error catalogue: every documented code and problem name maps to the right kind with a cause and
// a remedy a person can act on; every envelope form X uses is read.
#include "ErrorCatalogue.h"

#include <QTest>
#include <QTimeZone>

using namespace activity;
using Kind = ApiError::Kind;

Q_DECLARE_METATYPE(activity::ApiError::Kind)

namespace {

void verifyExplained(const ApiError &error)
{
    QVERIFY2(error.isError(), "expected an error");
    QVERIFY2(!error.cause.isEmpty(), "cause must say what went wrong");
    QVERIFY2(!error.remedy.isEmpty(), "remedy must say what to do");
    QVERIFY2(error.cause != error.remedy, "cause and remedy must differ");
}

} // namespace

class TestErrorCatalogue : public QObject
{
    Q_OBJECT

private slots:
    void shouldExplainEveryDocumentedCode_data();
    void shouldExplainEveryDocumentedCode();
    void shouldExplainUnknownCodesHonestly();

    void shouldExplainEveryProblemName_data();
    void shouldExplainEveryProblemName();
    void shouldFallBackOnStatusForUnknownProblems();

    void shouldReadEveryEnvelope_data();
    void shouldReadEveryEnvelope();
    void shouldReadTheSandboxEnvelope();
    void shouldUseTheProblemTypesExtraFields_data();
    void shouldUseTheProblemTypesExtraFields();
    void shouldReadErrorsNextToData();
    void shouldExplainARetiredEndpoint();
    void shouldPreferTheSpecificEntryAmongSeveral();
    void shouldExplainNonJsonBodies_data();
    void shouldExplainNonJsonBodies();

    void shouldExplainNetworkErrors_data();
    void shouldExplainNetworkErrors();
    void shouldNeverSuggestDisablingTls();

    void shouldSayWhenRateLimitResets();
    void shouldSayRateLimitWithoutResetTime();
};

void TestErrorCatalogue::shouldExplainEveryDocumentedCode_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("http");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("causeMentions"); // a word that shows the specific explanation was chosen

    const auto row = [](const char *name, int code, const char *message, int http, Kind kind,
                        const char *mentions) {
        QTest::newRow(name) << code << QString::fromUtf8(message) << http << kind
                            << QString::fromUtf8(mentions);
    };
    row("0 replay internal", 0, "Internal server error", 500, Kind::Server, "internal");
    row("32 signature", 32, "Could not authenticate you.", 401, Kind::Authentication, "signature");
    row("32 replay app-only", 32,
        "Invalid authentication method. Please use application-only authentication.", 401,
        Kind::Authentication, "bearer token");
    row("34 webhook", 34, "Webhook does not exist or is associated with a different twitter application.",
        404, Kind::NotFound, "different X app");
    row("34 generic", 34, "Sorry, that page does not exist", 404, Kind::NotFound, "does not exist");
    row("61", 61, "Client is not permitted to request this method.", 401, Kind::Permission, "not permitted");
    row("67", 67, "Twitter server error. Retry using an exponential backoff pattern.", 503, Kind::Server,
        "temporary");
    row("88", 88, "Rate limit exceeded", 429, Kind::RateLimited, "rate limit");
    row("88 replay", 88, "Too many requests. Please back off your API request rate.", 429, Kind::RateLimited,
        "rate limit");
    row("89", 89, "Invalid or expired token", 401, Kind::Authentication, "expired");
    row("99 credentials", 99, "Unable to verify your credentials", 403, Kind::Permission, "consumer key");
    row("99 access", 99, "You don’t have access to this resource.", 403, Kind::Permission, "no access");
    row("135", 135, "Timestamp out of bounds.", 401, Kind::Authentication, "clock");
    row("200", 200, "Forbidden.", 403, Kind::Permission, "environment name");
    row("200 replay", 200,
        "Account Activity API enterprise account with replay is required to use this endpoint.", 403,
        Kind::Permission, "Replay needs");
    row("214 url", 214, "Webhook URL does not meet the requirements.", 403, Kind::InvalidRequest, "URL");
    row("214 too many", 214, "Too many resources already created.", 403, Kind::QuotaExceeded, "limit");
    row("214 crc token", 214,
        "Webhook URL does not meet the requirements. Invalid CRC token or json response format.", 403,
        Kind::CrcFailed, "response_token");
    row("214 latency", 214,
        "High latency on CRC GET request. Your webhook should respond in less than 3 seconds.", 403,
        Kind::CrcFailed, "3 seconds");
    row("214 non-200", 214, "Non-200 response code during CRC GET request (i.e. 404, 500, etc).", 403,
        Kind::CrcFailed, "non-200");
    row("214 replay invalid", 214, "Webhook is marked invalid and requires a CRC check.", 400,
        Kind::CrcFailed, "marked invalid");
    row("215", 215, "Bad authentication data.", 400, Kind::Authentication, "authentication");
    row("220", 220, "Your credentials do not allow access to this resource", 403, Kind::Permission,
        "bearer token");
    row("261", 261, "Application cannot perform write actions.", 403, Kind::Permission, "Read, Write");
    row("326", 326,
        "To protect our users from spam and other malicious activity, this account is temporarily locked. "
        "Please log "
        "in to https://twitter.com to unlock your account.",
        403, Kind::Permission, "locked");
    row("348", 348, "Client application is not permitted to access this user's webhook subscriptions.", 403,
        Kind::Permission, "not authorised this app");
    row("355 subscription", 355, "Subscription already exists.", 409, Kind::Conflict, "already subscribed");
    row("355 replay", 355, "A replay job is already in progress for this webhook.", 409, Kind::Conflict,
        "replay job");
    row("356", 356, "from_date must be before to_date.", 400, Kind::InvalidRequest, "from_date");
    row("357", 357, "from_date is required.", 400, Kind::InvalidRequest, "missing");
    row("358", 358, "Unable to parse from_date.", 400, Kind::InvalidRequest, "could not read");
    row("360", 360, "webhook_id: [] is not greater than or equal to 0.", 400, Kind::InvalidRequest,
        "webhook id");
    row("368", 368, "to_date: [209901010000] is not in the past.", 400, Kind::InvalidRequest,
        "not in the past");
    row("404 as code", 404, "Sorry, that page does not exist.", 404, Kind::NotFound, "not subscribed");
    row("415", 415, "Callback URL not approved for this client application.", 403, Kind::InvalidRequest,
        "callback URL");
    row("417", 417, "Desktop applications only support the oauth_callback value 'oob'", 401,
        Kind::InvalidRequest, "PIN");
}

void TestErrorCatalogue::shouldExplainEveryDocumentedCode()
{
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(int, http);
    QFETCH(Kind, kind);
    QFETCH(QString, causeMentions);

    const ApiError error = errors::fromCode(code, message, http);
    verifyExplained(error);
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.code, code);
    QCOMPARE(error.httpStatus, http);
    QCOMPARE(error.serverMessage, message);
    QVERIFY2(error.cause.contains(causeMentions, Qt::CaseInsensitive), qPrintable(error.cause));

    // The same through the v1.1 envelope.
    const QByteArray body = QByteArray(R"({"errors":[{"code":)") + QByteArray::number(code) +
        R"(,"message":")" + message.toUtf8().replace('"', "\\\"") + R"("}]})";
    const ApiError viaBody = errors::fromResponse(http, body, "application/json");
    QCOMPARE(viaBody.kind, kind);
    QCOMPARE(viaBody.code, code);
    QCOMPARE(viaBody.cause, error.cause);
}

void TestErrorCatalogue::shouldExplainUnknownCodesHonestly()
{
    const ApiError error = errors::fromCode(12345, QStringLiteral("Something new happened."), 403);
    verifyExplained(error);
    QCOMPARE(error.kind, Kind::Permission);
    QVERIFY(error.cause.contains(QLatin1String("12345")));
    QVERIFY(error.cause.contains(QLatin1String("Something new happened.")));
    QVERIFY(error.cause.contains(QLatin1String("does not know")));

    QCOMPARE(errors::fromCode(999, {}, 500).kind, Kind::Server);
    verifyExplained(errors::fromCode(999, {}, 500));
}

void TestErrorCatalogue::shouldExplainEveryProblemName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("http");
    QTest::addColumn<Kind>("kind");
    QTest::newRow("CrcValidationFailed") << QStringLiteral("CrcValidationFailed") << 400 << Kind::CrcFailed;
    QTest::newRow("UrlValidationFailed")
        << QStringLiteral("UrlValidationFailed") << 400 << Kind::InvalidRequest;
    QTest::newRow("DuplicateUrlFailed") << QStringLiteral("DuplicateUrlFailed") << 400 << Kind::Conflict;
    QTest::newRow("WebhookLimitExceeded")
        << QStringLiteral("WebhookLimitExceeded") << 400 << Kind::QuotaExceeded;
    QTest::newRow("DuplicateSubscriptionFailed")
        << QStringLiteral("DuplicateSubscriptionFailed") << 409 << Kind::Conflict;
    QTest::newRow("DuplicateActivitySubscription")
        << QStringLiteral("DuplicateActivitySubscription") << 409 << Kind::Conflict;
    QTest::newRow("SubscriptionLimitExceeded")
        << QStringLiteral("SubscriptionLimitExceeded") << 400 << Kind::QuotaExceeded;
    QTest::newRow("SubscriptionNotFound") << QStringLiteral("SubscriptionNotFound") << 404 << Kind::NotFound;
    QTest::newRow("WebhookIdInvalid") << QStringLiteral("WebhookIdInvalid") << 400 << Kind::NotFound;
    QTest::newRow("ReplayConflictError") << QStringLiteral("ReplayConflictError") << 409 << Kind::Conflict;
    QTest::newRow("QueryParamInvalid") << QStringLiteral("QueryParamInvalid") << 400 << Kind::InvalidRequest;
    QTest::newRow("client-not-enrolled") << QStringLiteral("client-not-enrolled") << 403 << Kind::Permission;
    QTest::newRow("usage-capped") << QStringLiteral("usage-capped") << 429 << Kind::QuotaExceeded;
    QTest::newRow("rate-limit-exceeded") << QStringLiteral("rate-limit-exceeded") << 429 << Kind::RateLimited;
    QTest::newRow("invalid-request") << QStringLiteral("invalid-request") << 400 << Kind::InvalidRequest;
    QTest::newRow("resource-not-found") << QStringLiteral("resource-not-found") << 404 << Kind::NotFound;
    QTest::newRow("not-authorized-for-resource")
        << QStringLiteral("not-authorized-for-resource") << 403 << Kind::Permission;
    QTest::newRow("client-forbidden") << QStringLiteral("client-forbidden") << 403 << Kind::Permission;
    // Every problem type of spec 2.167 ...
    QTest::newRow("not-authorized-for-field")
        << QStringLiteral("not-authorized-for-field") << 403 << Kind::Permission;
    QTest::newRow("field-unauthorized") << QStringLiteral("field-unauthorized") << 403 << Kind::Permission;
    QTest::newRow("field-hydration-failure")
        << QStringLiteral("field-hydration-failure") << 200 << Kind::Server;
    QTest::newRow("resource-unavailable") << QStringLiteral("resource-unavailable") << 404 << Kind::NotFound;
    QTest::newRow("disallowed-resource") << QStringLiteral("disallowed-resource") << 403 << Kind::Permission;
    QTest::newRow("internal-error") << QStringLiteral("internal-error") << 500 << Kind::Server;
    // ... and the older ones (api.twitter.com).
    QTest::newRow("unsupported-authentication")
        << QStringLiteral("unsupported-authentication") << 403 << Kind::Authentication;
    QTest::newRow("conflict") << QStringLiteral("conflict") << 409 << Kind::Conflict;
    QTest::newRow("streaming-connection")
        << QStringLiteral("streaming-connection") << 429 << Kind::QuotaExceeded;
    QTest::newRow("operational-disconnect")
        << QStringLiteral("operational-disconnect") << 200 << Kind::Server;
    QTest::newRow("client-disconnected") << QStringLiteral("client-disconnected") << 200 << Kind::Network;
    QTest::newRow("duplicate-rules") << QStringLiteral("duplicate-rules") << 400 << Kind::Conflict;
    QTest::newRow("invalid-rules") << QStringLiteral("invalid-rules") << 400 << Kind::InvalidRequest;
    QTest::newRow("noncompliant-rules")
        << QStringLiteral("noncompliant-rules") << 400 << Kind::InvalidRequest;
    QTest::newRow("rule-cap") << QStringLiteral("rule-cap") << 400 << Kind::QuotaExceeded;
    QTest::newRow("full type URL") << QStringLiteral("https://api.x.com/2/problems/usage-capped") << 429
                                   << Kind::QuotaExceeded;
    QTest::newRow("old host type URL")
        << QStringLiteral("https://api.twitter.com/2/problems/disallowed-resource") << 403
        << Kind::Permission;
    QTest::newRow("other case") << QStringLiteral("crcvalidationfailed") << 400 << Kind::CrcFailed;
}

void TestErrorCatalogue::shouldExplainEveryProblemName()
{
    QFETCH(QString, name);
    QFETCH(int, http);
    QFETCH(Kind, kind);
    const ApiError error = errors::fromProblemName(name, QStringLiteral("detail text"), http);
    verifyExplained(error);
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.httpStatus, http);
    QCOMPARE(error.serverMessage, QStringLiteral("detail text"));
    QVERIFY(!error.name.isEmpty());
    QVERIFY(!error.name.contains(QLatin1Char('/')));
}

void TestErrorCatalogue::shouldFallBackOnStatusForUnknownProblems()
{
    const ApiError unauthorized = errors::fromResponse(
        401, R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})",
        "application/problem+json");
    verifyExplained(unauthorized);
    QCOMPARE(unauthorized.kind, Kind::Authentication);
    QCOMPARE(unauthorized.name, QStringLiteral("Unauthorized"));
    QCOMPARE(unauthorized.serverMessage, QStringLiteral("Unauthorized"));

    const ApiError odd =
        errors::fromProblemName(QStringLiteral("BrandNewProblem"), QStringLiteral("what happened"), 400);
    verifyExplained(odd);
    QCOMPARE(odd.kind, Kind::InvalidRequest);
    QVERIFY(odd.cause.contains(QLatin1String("what happened")));
}

void TestErrorCatalogue::shouldReadEveryEnvelope_data()
{
    QTest::addColumn<int>("http");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("name");

    QTest::newRow("v1.1 errors") << 401
                                 << QByteArray(
                                        R"({"errors":[{"code":32,"message":"Could not authenticate you."}]})")
                                 << Kind::Authentication << 32 << QString();
    QTest::newRow("v1.1 with label")
        << 403
        << QByteArray(
               R"({"errors":[{"code":99,"label":"authenticity_token_error","message":"Unable to verify your credentials"}]})")
        << Kind::Permission << 99 << QString();
    QTest::newRow("v1.1 code as string")
        << 429 << QByteArray(R"({"errors":[{"code":"88","message":"Rate limit exceeded"}]})")
        << Kind::RateLimited << 88 << QString();
    QTest::newRow("bare code/message")
        << 401 << QByteArray(R"({"code":89,"message":"Invalid or expired token"})") << Kind::Authentication
        << 89 << QString();
    QTest::newRow("v2 errors[] title")
        << 400
        << QByteArray(R"({"errors":[{"title":"DuplicateUrlFailed","detail":"URL already registered"}]})")
        << Kind::Conflict << 0 << QStringLiteral("DuplicateUrlFailed");
    QTest::newRow("v2 errors[] message name")
        << 400 << QByteArray(R"({"errors":[{"message":"WebhookLimitExceeded"}]})") << Kind::QuotaExceeded << 0
        << QStringLiteral("WebhookLimitExceeded");
    QTest::newRow("v2 errors[] message prefix")
        << 400 << QByteArray(R"({"errors":[{"message":"CrcValidationFailed: Invalid response_token"}]})")
        << Kind::CrcFailed << 0 << QStringLiteral("CrcValidationFailed");
    QTest::newRow("v2 errors[] detail prefix")
        << 400
        << QByteArray(
               R"({"errors":[{"title":"Invalid Request","detail":"SubscriptionLimitExceeded: too many"}]})")
        << Kind::QuotaExceeded << 0 << QStringLiteral("SubscriptionLimitExceeded");
    QTest::newRow("v2 errors[] type only")
        << 404
        << QByteArray(
               R"({"errors":[{"title":"Not Found Error","detail":"nope","type":"https://api.x.com/2/problems/resource-not-found"}]})")
        << Kind::NotFound << 0 << QStringLiteral("resource-not-found");
    QTest::newRow("top-level problem")
        << 429
        << QByteArray(
               R"({"title":"UsageCapExceeded","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.x.com/2/problems/usage-capped","status":429})")
        << Kind::QuotaExceeded << 0 << QStringLiteral("usage-capped");
    QTest::newRow("top-level problem not enrolled")
        << 403
        << QByteArray(
               R"({"client_id":"1","detail":"When authenticating requests...","registration_url":"https://developer.x.com/","title":"Client Forbidden","required_enrollment":"Appropriate Level of API Access","reason":"client-not-enrolled","type":"https://api.x.com/2/problems/client-forbidden"})")
        << Kind::Permission << 0 << QStringLiteral("client-forbidden");
    QTest::newRow("top-level rate limit")
        << 429
        << QByteArray(
               R"({"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429})")
        << Kind::RateLimited << 0 << QStringLiteral("Too Many Requests");
    QTest::newRow("gateway error string")
        << 502 << QByteArray(R"({"error":"upstream connect error"})") << Kind::Server << 0 << QString();
    QTest::newRow("unknown json") << 400 << QByteArray(R"({"something":"else"})") << Kind::InvalidRequest << 0
                                  << QString();
    QTest::newRow("json array") << 500 << QByteArray("[1,2]") << Kind::Server << 0 << QString();
    QTest::newRow("empty errors array")
        << 403 << QByteArray(R"({"errors":[]})") << Kind::Permission << 0 << QString();
    QTest::newRow("errors of strings")
        << 409 << QByteArray(R"({"errors":["conflict"]})") << Kind::Conflict << 0 << QString();
}

void TestErrorCatalogue::shouldReadEveryEnvelope()
{
    QFETCH(int, http);
    QFETCH(QByteArray, body);
    QFETCH(Kind, kind);
    QFETCH(int, code);
    QFETCH(QString, name);
    const ApiError error = errors::fromResponse(http, body);
    verifyExplained(error);
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.code, code);
    QCOMPARE(error.name, name);
    QCOMPARE(error.httpStatus, http);
}

void TestErrorCatalogue::shouldReadTheSandboxEnvelope()
{
    // What the sandbox writes for v2 errors, as X does: one problem at the top level, the reason
    // X's docs name leading the detail.
    const QByteArray body =
        R"({"type":"https://api.x.com/2/problems/conflict","title":"Conflict","detail":"ReplayConflictError: A replay job is already in progress for this webhook.","status":409})";
    const ApiError error = errors::fromResponse(409, body, "application/problem+json");
    verifyExplained(error);
    QCOMPARE(error.kind, Kind::Conflict);
    QCOMPARE(error.name, QStringLiteral("ReplayConflictError"));

    const ApiError crc = errors::fromResponse(
        400,
        R"({"type":"https://api.x.com/2/problems/invalid-request","title":"Invalid Request","detail":"CrcValidationFailed: Invalid response_token","status":400})");
    QCOMPARE(crc.kind, Kind::CrcFailed);
    QVERIFY(crc.cause.contains(QLatin1String("response_token")));

    // The older, mixed shape (problem inside errors[] and at the top) is still read.
    const ApiError mixed = errors::fromResponse(
        409,
        R"({"errors":[{"title":"ReplayConflictError","detail":"running","type":"https://api.x.com/2/problems/invalid-request"}],"title":"ReplayConflictError","detail":"running","type":"https://api.x.com/2/problems/invalid-request","status":409})");
    QCOMPARE(mixed.name, QStringLiteral("ReplayConflictError"));
}

void TestErrorCatalogue::shouldUseTheProblemTypesExtraFields_data()
{
    QTest::addColumn<int>("http");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("causeMentions");
    QTest::addColumn<QString>("remedyMentions");
    QTest::newRow("usage-capped daily account")
        << 429
        << QByteArray(
               R"({"type":"https://api.twitter.com/2/problems/usage-capped","title":"Usage Capped","detail":"Usage cap exceeded","period":"Daily","scope":"Account"})")
        << Kind::QuotaExceeded << QStringLiteral("daily usage cap of the developer account")
        << QStringLiteral("midnight UTC");
    QTest::newRow("usage-capped monthly product")
        << 429
        << QByteArray(
               R"({"type":"https://api.x.com/2/problems/usage-capped","title":"Usage Capped","detail":"cap","period":"Monthly","scope":"Product"})")
        << Kind::QuotaExceeded << QStringLiteral("monthly usage cap of this X API product")
        << QStringLiteral("next billing month");
    QTest::newRow("client-forbidden not enrolled")
        << 403
        << QByteArray(
               R"({"type":"https://api.twitter.com/2/problems/client-forbidden","title":"Client Forbidden","detail":"x","reason":"client-not-enrolled","registration_url":"https://developer.x.com/en/portal"})")
        << Kind::Permission << QStringLiteral("not enrolled")
        << QStringLiteral("https://developer.x.com/en/portal");
    QTest::newRow("client-forbidden official client")
        << 403
        << QByteArray(
               R"({"type":"https://api.twitter.com/2/problems/client-forbidden","title":"Client Forbidden","detail":"x","reason":"official-client-forbidden"})")
        << Kind::Permission << QStringLiteral("does not allow this client") << QString();
    QTest::newRow("streaming-connection too many")
        << 429
        << QByteArray(
               R"({"type":"https://api.twitter.com/2/problems/streaming-connection","title":"ConnectionException","detail":"x","connection_issue":"TooManyConnections"})")
        << Kind::QuotaExceeded << QStringLiteral("TooManyConnections")
        << QStringLiteral("Close the app's other");
    QTest::newRow("streaming-connection provisioning")
        << 409
        << QByteArray(
               R"({"type":"https://api.twitter.com/2/problems/streaming-connection","title":"ConnectionException","detail":"x","connection_issue":"ProvisioningSubscription"})")
        << Kind::Server << QStringLiteral("ProvisioningSubscription") << QStringLiteral("Wait a minute");
    QTest::newRow("operational-disconnect slow reader")
        << 200
        << QByteArray(
               R"({"type":"https://api.twitter.com/2/problems/operational-disconnect","title":"operational-disconnect","detail":"x","disconnect_type":"SlowReader"})")
        << Kind::Server << QStringLiteral("SlowReader") << QStringLiteral("Reconnect");
    QTest::newRow("resource-not-found with id")
        << 404
        << QByteArray(
               R"({"type":"https://api.x.com/2/problems/resource-not-found","title":"Not Found Error","detail":"Could not find user with id: [456].","resource_type":"user","resource_id":"456","parameter":"ids","value":"456"})")
        << Kind::NotFound << QStringLiteral("user 456") << QString();
    QTest::newRow("invalid-request with parameter")
        << 400
        << QByteArray(
               R"({"type":"https://api.x.com/2/problems/invalid-request","title":"Invalid Request","detail":"bad","parameter":"from_date","value":"2099"})")
        << Kind::InvalidRequest << QStringLiteral("parameter from_date = \"2099\"") << QString();
    QTest::newRow("field-unauthorized with field")
        << 403
        << QByteArray(
               R"({"type":"https://api.x.com/2/problems/field-unauthorized","title":"Field Unauthorized","detail":"x","field":"email","resource_type":"user","section":"data"})")
        << Kind::Permission << QStringLiteral("field email") << QString();
}

void TestErrorCatalogue::shouldUseTheProblemTypesExtraFields()
{
    QFETCH(int, http);
    QFETCH(QByteArray, body);
    QFETCH(Kind, kind);
    QFETCH(QString, causeMentions);
    QFETCH(QString, remedyMentions);
    const ApiError error = errors::fromResponse(http, body, "application/problem+json");
    verifyExplained(error);
    QCOMPARE(error.kind, kind);
    QVERIFY2(error.cause.contains(causeMentions), qPrintable(error.cause));
    QVERIFY2(error.remedy.contains(remedyMentions), qPrintable(error.remedy));
}

void TestErrorCatalogue::shouldReadErrorsNextToData()
{
    const QByteArray partial =
        R"({"data":[{"id":"123","text":"Hello"}],"errors":[{"resource_id":"456","resource_type":"tweet","title":"Not Found Error","detail":"Could not find tweet with id: [456].","type":"https://api.x.com/2/problems/resource-not-found"},{"type":"https://api.twitter.com/2/problems/not-authorized-for-resource","title":"Authorization Error","detail":"Sorry, you are not authorized to see the Tweet with id: [789].","resource_type":"tweet","resource_id":"789"}]})";
    const QList<ApiError> found = errors::partialErrors(200, partial);
    QCOMPARE(found.size(), 2);
    QCOMPARE(found.at(0).kind, Kind::NotFound);
    QVERIFY2(found.at(0).cause.contains(QLatin1String("tweet 456")), qPrintable(found.at(0).cause));
    QCOMPARE(found.at(1).kind, Kind::Permission);
    for (const ApiError &error : found)
        verifyExplained(error);
    // No data: the errors are the answer itself, not a partial success; nothing at all: nothing.
    QVERIFY(errors::partialErrors(200, R"({"errors":[{"code":88,"message":"x"}]})").isEmpty());
    QVERIFY(errors::partialErrors(200, R"({"data":{"subscribed":true}})").isEmpty());
    QVERIFY(errors::partialErrors(204, QByteArray()).isEmpty());
    QVERIFY(errors::partialErrors(200, "not json").isEmpty());
}

void TestErrorCatalogue::shouldExplainARetiredEndpoint()
{
    const auto retired = endpoints::retiredEndpoint(
        "POST", QStringLiteral("/2/account_activity/replay/webhooks/1/subscriptions/all"));
    QVERIFY(retired.has_value());
    const ApiError error = errors::fromRetiredEndpoint(
        *retired, QStringLiteral("/2/account_activity/replay/webhooks/1/subscriptions/all"), 404);
    verifyExplained(error);
    QCOMPARE(error.kind, Kind::NotFound);
    QVERIFY2(error.cause.contains(QLatin1String("retired")), qPrintable(error.cause));
    QVERIFY2(error.cause.contains(QLatin1String("2026-03-25")), qPrintable(error.cause));
    QVERIFY2(error.remedy.contains(QLatin1String("POST /2/webhooks/replay")), qPrintable(error.remedy));
    QVERIFY(!endpoints::retiredEndpoint("GET", QStringLiteral("/2/webhooks")).has_value());
}

void TestErrorCatalogue::shouldPreferTheSpecificEntryAmongSeveral()
{
    const ApiError error = errors::fromResponse(
        400,
        R"({"errors":[{"title":"Invalid Request","detail":"One or more parameters to your request was invalid."},{"title":"QueryParamInvalid","detail":"from_date is in the future"}]})");
    QCOMPARE(error.kind, Kind::InvalidRequest);
    QCOMPARE(error.name, QStringLiteral("QueryParamInvalid"));
    QCOMPARE(error.serverMessage, QStringLiteral("from_date is in the future"));
}

void TestErrorCatalogue::shouldExplainNonJsonBodies_data()
{
    QTest::addColumn<int>("http");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("serverMessage");
    QTest::newRow("html 503")
        << 503
        << QByteArray("<!DOCTYPE html><html><head><title>Over capacity</title></head><body>x</body></html>")
        << QByteArray("text/html") << Kind::Server << QStringLiteral("Over capacity");
    QTest::newRow("html 404") << 404 << QByteArray("<html><body><h1>Not here</h1></body></html>")
                              << QByteArray() << Kind::NotFound << QStringLiteral("Not here");
    QTest::newRow("empty 401") << 401 << QByteArray() << QByteArray() << Kind::Authentication << QString();
    QTest::newRow("empty 403") << 403 << QByteArray("  ") << QByteArray() << Kind::Permission << QString();
    QTest::newRow("empty 500") << 500 << QByteArray() << QByteArray() << Kind::Server << QString();
    QTest::newRow("text 429") << 429 << QByteArray("Too Many Requests") << QByteArray("text/plain")
                              << Kind::RateLimited << QStringLiteral("Too Many Requests");
    QTest::newRow("redirect") << 302 << QByteArray() << QByteArray() << Kind::Server << QString();
    QTest::newRow("truncated json 400")
        << 400 << QByteArray(R"({"errors":[{"code":32)") << QByteArray() << Kind::InvalidRequest
        << QStringLiteral("{\"errors\":[{\"code\":32");
    QTest::newRow("binary 502") << 502 << QByteArray("\x00\xff\x10", 3) << QByteArray() << Kind::Server
                                << QString::fromUtf8(QByteArray("\x00\xff\x10", 3)).trimmed();
}

void TestErrorCatalogue::shouldExplainNonJsonBodies()
{
    QFETCH(int, http);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(Kind, kind);
    QFETCH(QString, serverMessage);
    const ApiError error = errors::fromResponse(http, body, contentType);
    verifyExplained(error);
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.httpStatus, http);
    QCOMPARE(error.serverMessage, serverMessage);
    QVERIFY(error.cause.contains(QString::number(http)));
}

void TestErrorCatalogue::shouldExplainNetworkErrors_data()
{
    QTest::addColumn<QNetworkReply::NetworkError>("networkError");
    QTest::addColumn<Kind>("kind");
    QTest::newRow("refused") << QNetworkReply::ConnectionRefusedError << Kind::Network;
    QTest::newRow("closed") << QNetworkReply::RemoteHostClosedError << Kind::Network;
    QTest::newRow("dns") << QNetworkReply::HostNotFoundError << Kind::HostNotFound;
    QTest::newRow("timeout") << QNetworkReply::TimeoutError << Kind::Timeout;
    QTest::newRow("transfer timeout") << QNetworkReply::OperationCanceledError << Kind::Timeout;
    QTest::newRow("tls") << QNetworkReply::SslHandshakeFailedError << Kind::Tls;
    QTest::newRow("insecure redirect") << QNetworkReply::InsecureRedirectError << Kind::Tls;
    QTest::newRow("too many redirects") << QNetworkReply::TooManyRedirectsError << Kind::Network;
    QTest::newRow("temporary") << QNetworkReply::TemporaryNetworkFailureError << Kind::Network;
    QTest::newRow("proxy refused") << QNetworkReply::ProxyConnectionRefusedError << Kind::Network;
    QTest::newRow("proxy closed") << QNetworkReply::ProxyConnectionClosedError << Kind::Network;
    QTest::newRow("proxy not found") << QNetworkReply::ProxyNotFoundError << Kind::Network;
    QTest::newRow("proxy timeout") << QNetworkReply::ProxyTimeoutError << Kind::Timeout;
    QTest::newRow("proxy auth") << QNetworkReply::ProxyAuthenticationRequiredError << Kind::Network;
    QTest::newRow("unknown proxy") << QNetworkReply::UnknownProxyError << Kind::Network;
    QTest::newRow("unknown network") << QNetworkReply::UnknownNetworkError << Kind::Network;
    QTest::newRow("protocol") << QNetworkReply::ProtocolUnknownError << Kind::Network;
    QTest::newRow("auth required") << QNetworkReply::AuthenticationRequiredError << Kind::Authentication;
    QTest::newRow("content not found") << QNetworkReply::ContentNotFoundError << Kind::NotFound;
    QTest::newRow("server") << QNetworkReply::InternalServerError << Kind::Server;
}

void TestErrorCatalogue::shouldExplainNetworkErrors()
{
    QFETCH(QNetworkReply::NetworkError, networkError);
    QFETCH(Kind, kind);
    const ApiError error = errors::fromNetworkError(networkError, QStringLiteral("Qt's error text"));
    verifyExplained(error);
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.httpStatus, 0);
    QCOMPARE(error.serverMessage, QStringLiteral("Qt's error text"));
    QVERIFY(error.cause.contains(QLatin1String("Qt's error text")));
    QVERIFY(!error.name.isEmpty());

    QCOMPARE(errors::fromNetworkError(QNetworkReply::NoError, {}).kind, Kind::None);
}

void TestErrorCatalogue::shouldNeverSuggestDisablingTls()
{
    for (const auto e : {QNetworkReply::SslHandshakeFailedError, QNetworkReply::InsecureRedirectError}) {
        const ApiError error = errors::fromNetworkError(e, QStringLiteral("The host name did not match"));
        const QString remedy = error.remedy.toLower();
        QVERIFY(!remedy.contains(QLatin1String("ignore")));
        QVERIFY(!remedy.contains(QLatin1String("disable")));
        QVERIFY(!remedy.contains(QLatin1String("skip")));
    }
    QVERIFY(errors::fromNetworkError(QNetworkReply::SslHandshakeFailedError, {})
                .remedy.contains(QLatin1String("Never")));
}

void TestErrorCatalogue::shouldSayWhenRateLimitResets()
{
    const QDateTime reset = QDateTime::currentDateTimeUtc().addSecs(7 * 60 + 5);
    const ApiError error = errors::rateLimited(reset);
    verifyExplained(error);
    QCOMPARE(error.kind, Kind::RateLimited);
    QCOMPARE(error.code, 88);
    QCOMPARE(error.httpStatus, 429);
    QCOMPARE(error.retryAt, reset);
    QCOMPARE(error.retryAt.timeSpec(), Qt::UTC);
    QVERIFY2(error.cause.contains(QLatin1String("in 8 minutes")), qPrintable(error.cause));
    const QString localTime = reset.toLocalTime().toString(QStringLiteral("HH:mm"));
    QVERIFY2(error.cause.contains(localTime), qPrintable(error.cause));
    QVERIFY2(error.remedy.contains(localTime), qPrintable(error.remedy));

    const ApiError withoutCode = errors::rateLimited(reset, 0);
    QVERIFY(!withoutCode.cause.contains(QLatin1String("code")));
    QVERIFY(errors::rateLimited(QDateTime::currentDateTimeUtc().addSecs(-5))
                .cause.contains(QLatin1String("now")));
}

void TestErrorCatalogue::shouldSayRateLimitWithoutResetTime()
{
    const ApiError error = errors::rateLimited(QDateTime());
    verifyExplained(error);
    QCOMPARE(error.kind, Kind::RateLimited);
    QVERIFY(!error.retryAt.isValid());
    QVERIFY(error.remedy.contains(QLatin1String("15 minutes")));
}

QTEST_GUILESS_MAIN(TestErrorCatalogue)
#include "tst_errorcatalogue.moc"
