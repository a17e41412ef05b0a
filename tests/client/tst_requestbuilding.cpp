// Request building per operation and generation, with no network: method, path, query, body,
// credential kind and headers; plus redaction and copy-as-curl of the built requests.
#include "ActivityConfig.h"
#include "EndpointCatalogue.h"
#include "OAuth1.h"
#include "Redaction.h"
#include "RequestBuilder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace activity;

namespace {

const QUrl base(QStringLiteral("https://api.x.com"));
const QString hookId = QStringLiteral("1234567890");
const QString userId = QStringLiteral("2244994945");

RequestCredentials credentialsFor(CredentialKind kind)
{
    RequestCredentials c;
    c.kind = kind;
    c.consumerKey = "ck-xvz1evFS4wEEPTGEFPHBog";
    c.consumerSecret = "cs-kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3W";
    c.token = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9E";
    c.tokenSecret = "ts-LswwdoUaIvS8ltyTt5jkRh4J50vUP";
    c.bearerToken = "AAAAAAAAAAAAAAAAAAAAAbearer%2Fvalue%3D";
    c.oauth2AccessToken = "o2-user-access-token";
    c.clientId = "client-id:with colon";
    c.clientSecret = "client-secret";
    c.clock = [] { return qint64(1318622958); };
    c.nonce = [] { return QByteArray("kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"); };
    return c;
}

RequestParams paramsFor(Operation op, ApiGeneration gen)
{
    const QDateTime from(QDate(2025, 4, 24), QTime(20, 0), Qt::UTC);
    const QDateTime to(QDate(2025, 4, 24), QTime(22, 0), Qt::UTC);
    switch (op) {
    case Operation::ListWebhooks:
    case Operation::SubscriptionCount:
        return requests::none();
    case Operation::RegisterWebhook:
        return requests::registerWebhook(gen, QStringLiteral("https://example.com/hook?a=1&b=x y"));
    case Operation::ValidateWebhook:
    case Operation::DeleteWebhook:
    case Operation::CheckSubscription:
    case Operation::ListSubscriptions:
    case Operation::UnsubscribeSelf:
        return requests::webhook(hookId);
    case Operation::Subscribe:
        return requests::subscribe(gen, hookId);
    case Operation::UnsubscribeUser:
        return requests::unsubscribeUser(hookId, userId);
    case Operation::ReplayAccountActivity:
        return requests::replayAccountActivity(hookId, from, to);
    case Operation::ReplayWebhooks:
        return requests::replayWebhooks(hookId, from, to);
    case Operation::BearerToken:
        return requests::bearerToken();
    case Operation::RequestToken:
        return requests::requestToken(QStringLiteral("http://127.0.0.1/activity-console/callback"));
    case Operation::AccessToken:
        return requests::accessToken("verifier-123456");
    case Operation::UsersLookup:
        return requests::usersLookup(gen, {QStringLiteral("1"), QStringLiteral("22")});
    case Operation::OAuth2Token:
        return requests::oauth2CodeExchange("the-code",
                                            QUrl(QStringLiteral("http://127.0.0.1:8976/callback")),
                                            "dBjftJeZ4CVP-mJ92K9qpgMxm9LwW6Um1XDoQi6ItGY");
    case Operation::OAuth2Revoke:
        return requests::oauth2Revoke("the-token");
    case Operation::CurrentUser:
        return requests::currentUser();
    case Operation::CreateActivitySubscription:
        return requests::createActivitySubscription({QStringLiteral("ProfileBioUpdate"),
                                                     {userId, {}, {}},
                                                     QStringLiteral("Xdevelopers' bio updates"),
                                                     QStringLiteral("1976325569252868099")});
    case Operation::ListActivitySubscriptions:
        return requests::listActivitySubscriptions(
            QStringLiteral("7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i"), 500);
    case Operation::UpdateActivitySubscription:
        return requests::updateActivitySubscription(QStringLiteral("1976325569252868096"),
                                                    {QStringLiteral("new tag"), std::nullopt});
    case Operation::DeleteActivitySubscription:
        return requests::activitySubscription(QStringLiteral("1976325569252868096"));
    case Operation::DeleteActivitySubscriptions:
        return requests::deleteActivitySubscriptions({QStringLiteral("1"), QStringLiteral("22")});
    case Operation::UsersByUsername:
        return requests::usersByUsername({QStringLiteral("alice"), QStringLiteral("XDevelopers")});
    case Operation::ActivityStream:
        return requests::activityStream(5, QDateTime(QDate(2026, 7, 24), QTime(21, 0), Qt::UTC),
                                        QDateTime(QDate(2026, 7, 24), QTime(21, 5, 30), Qt::UTC));
    }
    return {};
}

QByteArray authHeader(const HttpRequest &request)
{
    return request.header("Authorization");
}

} // namespace

Q_DECLARE_METATYPE(activity::ApiGeneration)
Q_DECLARE_METATYPE(activity::CredentialKind)

Q_DECLARE_METATYPE(activity::redact::BodyShape)

class TestRequestBuilding : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldBuildEveryOperationPerGeneration_data()
    {
        QTest::addColumn<Operation>("op");
        QTest::addColumn<ApiGeneration>("gen");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<CredentialKind>("credential");

        using O = Operation;
        using C = CredentialKind;
        const auto V1 = ApiGeneration::V1_1;
        const auto V2 = ApiGeneration::V2;
        const QString none;
        const QString replayQuery = QStringLiteral("from_date=202504242000&to_date=202504242200");

        // v1.1 (reference §1.1 / §1.2)
        QTest::newRow("v1.1 list") << O::ListWebhooks << V1 << QByteArray("GET")
                                   << QStringLiteral("/1.1/account_activity/webhooks.json") << none
                                   << QByteArray() << C::AppOnly;
        QTest::newRow("v1.1 register")
            << O::RegisterWebhook << V1 << QByteArray("POST")
            << QStringLiteral("/1.1/account_activity/webhooks.json")
            << QStringLiteral("url=https%3A%2F%2Fexample.com%2Fhook%3Fa%3D1%26b%3Dx%20y") << QByteArray()
            << C::AppOwner;
        QTest::newRow("v1.1 validate") << O::ValidateWebhook << V1 << QByteArray("PUT")
                                       << QStringLiteral("/1.1/account_activity/webhooks/1234567890.json")
                                       << none << QByteArray() << C::AppOwner;
        QTest::newRow("v1.1 delete") << O::DeleteWebhook << V1 << QByteArray("DELETE")
                                     << QStringLiteral("/1.1/account_activity/webhooks/1234567890.json")
                                     << none << QByteArray() << C::AppOwner;
        QTest::newRow("v1.1 subscribe")
            << O::Subscribe << V1 << QByteArray("POST")
            << QStringLiteral("/1.1/account_activity/webhooks/1234567890/subscriptions/all.json") << none
            << QByteArray() << C::SubscribingUser;
        QTest::newRow("v1.1 check") << O::CheckSubscription << V1 << QByteArray("GET")
                                    << QStringLiteral(
                                           "/1.1/account_activity/webhooks/1234567890/subscriptions/all.json")
                                    << none << QByteArray() << C::SubscribingUser;
        QTest::newRow("v1.1 count") << O::SubscriptionCount << V1 << QByteArray("GET")
                                    << QStringLiteral("/1.1/account_activity/subscriptions/count.json")
                                    << none << QByteArray() << C::AppOnly;
        QTest::newRow("v1.1 list subs")
            << O::ListSubscriptions << V1 << QByteArray("GET")
            << QStringLiteral("/1.1/account_activity/webhooks/1234567890/subscriptions/all/list.json") << none
            << QByteArray() << C::AppOnly;
        QTest::newRow("v1.1 unsubscribe user")
            << O::UnsubscribeUser << V1 << QByteArray("DELETE")
            << QStringLiteral("/1.1/account_activity/webhooks/1234567890/subscriptions/2244994945/all.json")
            << none << QByteArray() << C::AppOnly;
        QTest::newRow("v1.1 unsubscribe self")
            << O::UnsubscribeSelf << V1 << QByteArray("DELETE")
            << QStringLiteral("/1.1/account_activity/webhooks/1234567890/subscriptions/all.json") << none
            << QByteArray() << C::SubscribingUser;
        QTest::newRow("v1.1 replay")
            << O::ReplayAccountActivity << V1 << QByteArray("POST")
            << QStringLiteral("/1.1/account_activity/replay/webhooks/1234567890/subscriptions/all.json")
            << replayQuery << QByteArray() << C::AppOnly;
        QTest::newRow("v1.1 users") << O::UsersLookup << V1 << QByteArray("GET")
                                    << QStringLiteral("/1.1/users/lookup.json")
                                    << QStringLiteral("user_id=1%2C22") << QByteArray() << C::AppOnly;

        // v2 (reference §2.1)
        QTest::newRow("v2 list") << O::ListWebhooks << V2 << QByteArray("GET")
                                 << QStringLiteral("/2/webhooks") << none << QByteArray() << C::AppOnly;
        QTest::newRow("v2 register") << O::RegisterWebhook << V2 << QByteArray("POST")
                                     << QStringLiteral("/2/webhooks") << none
                                     << QByteArray("{\"url\":\"https://example.com/hook?a=1&b=x y\"}")
                                     << C::AppOnly;
        QTest::newRow("v2 validate") << O::ValidateWebhook << V2 << QByteArray("PUT")
                                     << QStringLiteral("/2/webhooks/1234567890") << none << QByteArray()
                                     << C::AppOnly;
        QTest::newRow("v2 delete") << O::DeleteWebhook << V2 << QByteArray("DELETE")
                                   << QStringLiteral("/2/webhooks/1234567890") << none << QByteArray()
                                   << C::AppOnly;
        QTest::newRow("v2 subscribe")
            << O::Subscribe << V2 << QByteArray("POST")
            << QStringLiteral("/2/account_activity/webhooks/1234567890/subscriptions/all") << none
            << QByteArray("{}") << C::SubscribingUser;
        QTest::newRow("v2 check") << O::CheckSubscription << V2 << QByteArray("GET")
                                  << QStringLiteral(
                                         "/2/account_activity/webhooks/1234567890/subscriptions/all")
                                  << none << QByteArray() << C::SubscribingUser;
        QTest::newRow("v2 count") << O::SubscriptionCount << V2 << QByteArray("GET")
                                  << QStringLiteral("/2/account_activity/subscriptions/count") << none
                                  << QByteArray() << C::AppOnly;
        QTest::newRow("v2 list subs")
            << O::ListSubscriptions << V2 << QByteArray("GET")
            << QStringLiteral("/2/account_activity/webhooks/1234567890/subscriptions/all/list") << none
            << QByteArray() << C::AppOnly;
        QTest::newRow("v2 unsubscribe user")
            << O::UnsubscribeUser << V2 << QByteArray("DELETE")
            << QStringLiteral("/2/account_activity/webhooks/1234567890/subscriptions/2244994945/all") << none
            << QByteArray() << C::AppOnly;
        QTest::newRow("v2 replay webhooks")
            << O::ReplayWebhooks << V2 << QByteArray("POST") << QStringLiteral("/2/webhooks/replay") << none
            << QByteArray("{\"from_date\":\"202504242000\",\"to_date\":\"202504242200\",\"webhook_id\":"
                          "\"1234567890\"}")
            << C::AppOnly;
        QTest::newRow("v2 users") << O::UsersLookup << V2 << QByteArray("GET") << QStringLiteral("/2/users")
                                  << QStringLiteral("ids=1%2C22") << QByteArray() << C::AppOnly;

        // OAuth (the same for both generations)
        for (const auto gen : {V1, V2}) {
            const QByteArray tag = gen == V1 ? "v1.1" : "v2";
            QTest::newRow(QByteArray(tag + " oauth2/token").constData())
                << O::BearerToken << gen << QByteArray("POST") << QStringLiteral("/oauth2/token") << none
                << QByteArray("grant_type=client_credentials") << C::ConsumerBasic;
            QTest::newRow(QByteArray(tag + " request_token").constData())
                << O::RequestToken << gen << QByteArray("POST") << QStringLiteral("/oauth/request_token")
                << none << QByteArray() << C::ConsumerOnly;
            QTest::newRow(QByteArray(tag + " access_token").constData())
                << O::AccessToken << gen << QByteArray("POST") << QStringLiteral("/oauth/access_token")
                << none << QByteArray() << C::RequestToken;
            // OAuth 2.0 user sign-in (x-api-2026.md §5.2); the client id always in the body.
            QTest::newRow(QByteArray(tag + " 2/oauth2/token").constData())
                << O::OAuth2Token << gen << QByteArray("POST") << QStringLiteral("/2/oauth2/token") << none
                << QByteArray(
                       "code=the-code&grant_type=authorization_code&redirect_uri=http%3A%2F%2F127.0.0.1%"
                       "3A8976%2Fcallback&code_verifier=dBjftJeZ4CVP-mJ92K9qpgMxm9LwW6Um1XDoQi6ItGY&"
                       "client_id=client-id%3Awith%20colon")
                << C::OAuth2Client;
            QTest::newRow(QByteArray(tag + " 2/oauth2/revoke").constData())
                << O::OAuth2Revoke << gen << QByteArray("POST") << QStringLiteral("/2/oauth2/revoke") << none
                << QByteArray("token=the-token&client_id=client-id%3Awith%20colon") << C::OAuth2Client;
            QTest::newRow(QByteArray(tag + " users/me").constData())
                << O::CurrentUser << gen << QByteArray("GET") << QStringLiteral("/2/users/me")
                << QStringLiteral("user.fields=id%2Cname%2Cusername") << QByteArray() << C::OAuth2User;
            // X Activity API (x-api-2026.md §4.1, §4.2, §4.4): the same for both generations; the
            // create body names the current event type and nothing beyond the documented keys.
            QTest::newRow(QByteArray(tag + " activity create").constData())
                << O::CreateActivitySubscription << gen << QByteArray("POST")
                << QStringLiteral("/2/activity/subscriptions") << none
                << QByteArray("{\"event_type\":\"profile.update.bio\",\"filter\":{\"user_id\":"
                              "\"2244994945\"},\"tag\":\"Xdevelopers\' bio updates\",\"webhook_id\":"
                              "\"1976325569252868099\"}")
                << C::AppOnly;
            QTest::newRow(QByteArray(tag + " activity list").constData())
                << O::ListActivitySubscriptions << gen << QByteArray("GET")
                << QStringLiteral("/2/activity/subscriptions")
                << QStringLiteral(
                       "max_results=500&pagination_token=7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i")
                << QByteArray() << C::AppOnly;
            QTest::newRow(QByteArray(tag + " activity update").constData())
                << O::UpdateActivitySubscription << gen << QByteArray("PUT")
                << QStringLiteral("/2/activity/subscriptions/1976325569252868096") << none
                << QByteArray("{\"tag\":\"new tag\"}") << C::AppOnly;
            QTest::newRow(QByteArray(tag + " activity delete").constData())
                << O::DeleteActivitySubscription << gen << QByteArray("DELETE")
                << QStringLiteral("/2/activity/subscriptions/1976325569252868096") << none << QByteArray()
                << C::AppOnly;
            QTest::newRow(QByteArray(tag + " activity bulk delete").constData())
                << O::DeleteActivitySubscriptions << gen << QByteArray("DELETE")
                << QStringLiteral("/2/activity/subscriptions") << QStringLiteral("ids=1%2C22") << QByteArray()
                << C::AppOnly;
            QTest::newRow(QByteArray(tag + " users by username").constData())
                << O::UsersByUsername << gen << QByteArray("GET") << QStringLiteral("/2/users/by")
                << QStringLiteral("usernames=alice%2CXDevelopers&user.fields=id%2Cname%2Cusername")
                << QByteArray() << C::AppOnly;
            QTest::newRow(QByteArray(tag + " activity stream").constData())
                << O::ActivityStream << gen << QByteArray("GET") << QStringLiteral("/2/activity/stream")
                << QStringLiteral("backfill_minutes=5&start_time=2026-07-24T21%3A00%3A00Z&end_time=2026-07-"
                                  "24T21%3A05%3A30Z")
                << QByteArray() << C::AppOnly;
        }
    }

    void shouldBuildEveryOperationPerGeneration()
    {
        QFETCH(Operation, op);
        QFETCH(ApiGeneration, gen);
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QString, query);
        QFETCH(QByteArray, body);
        QFETCH(CredentialKind, credential);

        const Endpoint *endpoint = endpoints::find(op, gen);
        QVERIFY(endpoint);
        QCOMPARE(endpoint->credential, credential);
        QCOMPARE(endpoint->method, method);
        QCOMPARE(endpoint->idempotent, method == "GET");

        const Result<HttpRequest> built =
            requests::build(*endpoint, base, paramsFor(op, gen), credentialsFor(credential));
        QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().text()));
        const HttpRequest &request = built.value();
        QCOMPARE(request.method, method);
        QCOMPARE(request.url.scheme(), QStringLiteral("https"));
        QCOMPARE(request.url.host(), QStringLiteral("api.x.com"));
        QCOMPARE(request.url.path(QUrl::FullyEncoded), path);
        QCOMPARE(request.url.query(QUrl::FullyEncoded), query);
        if (body.startsWith('{')) {
            // Key order of a JSON object is not part of the contract; compare the documents.
            QCOMPARE(QJsonDocument::fromJson(request.body), QJsonDocument::fromJson(body));
            QCOMPARE(request.header("Content-Type"), QByteArray("application/json"));
        } else {
            QCOMPARE(request.body, body);
        }
        QCOMPARE(request.header("User-Agent"), QByteArray(ACTIVITY_ORGANISATION "/" ACTIVITY_VERSION));

        const QByteArray auth = authHeader(request);
        switch (credential) {
        case CredentialKind::AppOnly:
            QCOMPARE(auth, QByteArray("Bearer AAAAAAAAAAAAAAAAAAAAAbearer%2Fvalue%3D"));
            break;
        case CredentialKind::ConsumerBasic:
            QCOMPARE(
                auth,
                "Basic " +
                    QByteArray("ck-xvz1evFS4wEEPTGEFPHBog:cs-kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3W").toBase64());
            QCOMPARE(request.header("Content-Type"),
                     QByteArray("application/x-www-form-urlencoded;charset=UTF-8"));
            break;
        case CredentialKind::OAuth2User:
            QCOMPARE(auth, QByteArray("Bearer o2-user-access-token"));
            break;
        case CredentialKind::OAuth2Client:
            // RFC 6749 §2.3.1: id and secret form-encoded, then base64.
            QCOMPARE(auth, "Basic " + QByteArray("client-id%3Awith%20colon:client-secret").toBase64());
            QCOMPARE(request.header("Content-Type"),
                     QByteArray("application/x-www-form-urlencoded;charset=UTF-8"));
            break;
        case CredentialKind::AppOwner:
        case CredentialKind::SubscribingUser:
        case CredentialKind::ConsumerOnly:
        case CredentialKind::RequestToken: {
            const auto params = oauth1::parseAuthorizationHeader(auth);
            QVERIFY(params);
            QByteArray signature;
            bool hasToken = false;
            oauth1::ParamList unsignedParams;
            for (const auto &[key, value] : *params) {
                if (key == "oauth_signature")
                    signature = value;
                else
                    unsignedParams.append({key, value});
                hasToken = hasToken || key == "oauth_token";
            }
            QCOMPARE(hasToken, credential != CredentialKind::ConsumerOnly);
            // The signature covers the query and the OAuth parameters (never a JSON body).
            oauth1::ParamList all = unsignedParams;
            all.append(oauth1::queryParameters(request.url));
            const QByteArray tokenSecret = credential == CredentialKind::ConsumerOnly
                ? QByteArray()
                : credentialsFor(credential).tokenSecret;
            const QByteArray expected =
                oauth1::hmacSha1(oauth1::signingKey(credentialsFor(credential).consumerSecret, tokenSecret),
                                 oauth1::signatureBaseString(request.method, request.url, all));
            QCOMPARE(signature, expected);
            break;
        }
        case CredentialKind::None:
            QFAIL("every endpoint needs a credential");
        }
    }

    void shouldSignOAuthExtrasIntoTheHeader()
    {
        const Endpoint *requestToken = endpoints::find(Operation::RequestToken, ApiGeneration::V1_1);
        const auto built = requests::build(*requestToken, base, requests::requestToken(QStringLiteral("oob")),
                                           credentialsFor(CredentialKind::ConsumerOnly));
        QVERIFY(built.ok());
        QVERIFY(authHeader(built.value()).contains("oauth_callback=\"oob\""));

        const Endpoint *accessToken = endpoints::find(Operation::AccessToken, ApiGeneration::V2);
        const auto access = requests::build(*accessToken, base, requests::accessToken("9876543"),
                                            credentialsFor(CredentialKind::RequestToken));
        QVERIFY(access.ok());
        QVERIFY(authHeader(access.value()).contains("oauth_verifier=\"9876543\""));
    }

    void shouldMatchTheDocumentedBasicCredentials()
    {
        // Reference §6.5.
        RequestCredentials c;
        c.consumerKey = "xvz1evFS4wEEPTGEFPHBog";
        c.consumerSecret = "L8qq9PZyRg6ieKGEKhZolGC0vJWLw8iEJ88DRdyOg";
        const auto built = requests::build(*endpoints::find(Operation::BearerToken, ApiGeneration::V2), base,
                                           requests::bearerToken(), c);
        QVERIFY(built.ok());
        QCOMPARE(
            authHeader(built.value()),
            QByteArray(
                "Basic "
                "eHZ6MWV2RlM0d0VFUFRHRUZQSEJvZzpMOHFxOVBaeVJnNmllS0dFS2hab2xHQzB2SldMdzhpRUo4OERSZHlPZw=="));
    }

    void shouldLackEndpointsTheGenerationDoesNotHave()
    {
        QVERIFY(!endpoints::find(Operation::UnsubscribeSelf, ApiGeneration::V2));
        QVERIFY(!endpoints::find(Operation::ReplayWebhooks, ApiGeneration::V1_1));
        // X retired v2's /2/account_activity/replay on 2026-03-25: nothing in the catalogue sends to it.
        QVERIFY(!endpoints::find(Operation::ReplayAccountActivity, ApiGeneration::V2));
        QCOMPARE(endpoints::replayOperation(ApiGeneration::V2), Operation::ReplayWebhooks);
        QCOMPARE(endpoints::replayOperation(ApiGeneration::V1_1), Operation::ReplayAccountActivity);
        for (const Endpoint &endpoint : endpoints::all())
            QVERIFY2(!endpoints::retiredEndpoint(endpoint.method, endpoint.pathTemplate).has_value(),
                     qPrintable(endpoint.pathTemplate));
        QVERIFY(endpoints::retiredEndpoint(
                    "POST", QStringLiteral("/2/account_activity/replay/webhooks/1/subscriptions/all"))
                    .has_value());
        QVERIFY(endpoints::find(Operation::BearerToken, ApiGeneration::V1_1));
        QCOMPARE(endpoints::find(Operation::BearerToken, ApiGeneration::V1_1),
                 endpoints::find(Operation::BearerToken, ApiGeneration::V2));
    }

    void shouldNameEachGenerationOnce()
    {
        // Settings, the history and --api all store or read these spellings.
        QCOMPARE(endpoints::generationName(ApiGeneration::V1_1), QStringLiteral("v1.1"));
        QCOMPARE(endpoints::generationName(ApiGeneration::V2), QStringLiteral("v2"));
        for (const ApiGeneration generation : {ApiGeneration::V1_1, ApiGeneration::V2})
            QCOMPARE(endpoints::generationFromName(endpoints::generationName(generation)), generation);
        QCOMPARE(endpoints::generationFromName(u"V2"), std::nullopt);
        QCOMPARE(endpoints::generationFromName(u"1.1"), std::nullopt);
        QCOMPARE(endpoints::generationFromName(QString()), std::nullopt);
    }

    void shouldDescribeEveryEndpointCompletely()
    {
        QSet<QString> keys;
        for (const Endpoint &e : endpoints::all()) {
            QVERIFY2(!e.name.isEmpty(), qPrintable(e.pathTemplate));
            QVERIFY(e.pathTemplate.startsWith(QLatin1Char('/')));
            QVERIFY(e.successStatus >= 200 && e.successStatus < 300);
            QVERIFY(!e.rateLimitKey.isEmpty());
            QVERIFY2(!keys.contains(e.rateLimitKey), qPrintable(e.rateLimitKey));
            keys.insert(e.rateLimitKey);
            if (e.generation == ApiGeneration::V2 && !e.generationIndependent)
                QVERIFY2(!e.pathTemplate.endsWith(QLatin1String(".json")), qPrintable(e.pathTemplate));
        }
    }

    void shouldPercentEncodePathParameters()
    {
        const auto built = requests::build(*endpoints::find(Operation::DeleteWebhook, ApiGeneration::V2),
                                           base, requests::webhook(QStringLiteral("12/../3 4")),
                                           credentialsFor(CredentialKind::AppOnly));
        QVERIFY(built.ok());
        QCOMPARE(built.value().url.path(QUrl::FullyEncoded), QStringLiteral("/2/webhooks/12%2F..%2F3%204"));
    }

    void shouldKeepABaseUrlPathPrefixAndPort()
    {
        const auto built = requests::build(*endpoints::find(Operation::ListWebhooks, ApiGeneration::V2),
                                           QUrl(QStringLiteral("http://127.0.0.1:8080/")), requests::none(),
                                           credentialsFor(CredentialKind::AppOnly));
        QVERIFY(built.ok());
        QCOMPARE(built.value().url.toString(QUrl::FullyEncoded),
                 QStringLiteral("http://127.0.0.1:8080/2/webhooks"));
    }

    void shouldRefuseWhenTheCredentialIsMissing_data()
    {
        QTest::addColumn<Operation>("op");
        QTest::newRow("owner") << Operation::RegisterWebhook;
        QTest::newRow("user") << Operation::Subscribe;
        QTest::newRow("bearer") << Operation::ListWebhooks;
        QTest::newRow("basic") << Operation::BearerToken;
    }

    void shouldRefuseWhenTheCredentialIsMissing()
    {
        QFETCH(Operation, op);
        const Endpoint *endpoint = endpoints::find(op, ApiGeneration::V1_1);
        RequestCredentials empty;
        const auto built = requests::build(*endpoint, base, paramsFor(op, ApiGeneration::V1_1), empty);
        QVERIFY(!built.ok());
        QCOMPARE(built.error().kind, ApiError::Kind::MissingCredentials);
        QVERIFY(!built.error().cause.isEmpty());
        QVERIFY(!built.error().remedy.isEmpty());
    }

    void shouldRedactAuthorizationValues()
    {
        const auto c = credentialsFor(CredentialKind::AppOwner);
        const auto built =
            requests::build(*endpoints::find(Operation::RegisterWebhook, ApiGeneration::V1_1), base,
                            paramsFor(Operation::RegisterWebhook, ApiGeneration::V1_1), c);
        QVERIFY(built.ok());
        const QByteArray redacted = redact::authorization(authHeader(built.value()));
        QVERIFY(redacted.contains("oauth_consumer_key=\"ck-xvz1evFS4wEEPTGEFPHBog\""));
        QVERIFY(redacted.contains("oauth_signature_method=\"HMAC-SHA1\""));
        QVERIFY(redacted.contains("oauth_signature=\"[redacted]\""));
        QVERIFY(redacted.contains("oauth_token=\"[redacted]\""));
        QVERIFY(!redacted.contains(c.token));
        QVERIFY(!redacted.contains("1318622958"));
        QCOMPARE(redact::authorization("Bearer AAAA%2Fsecret"), QByteArray("Bearer [redacted]"));
        QCOMPARE(redact::authorization("Basic Zm9vOmJhcg=="), QByteArray("Basic [redacted]"));
        QCOMPARE(redact::authorization("Token abc"), QByteArray("[redacted]"));
    }

    void shouldRedactSensitiveParametersInUrlsAndBodies()
    {
        const QUrl url(
            QStringLiteral("https://h.example/"
                           "cb?oauth_token=tok123456&oauth_verifier=ver987654&crc_token=crc555555&keep=yes"));
        const QString shown = redact::url(url);
        QCOMPARE(shown,
                 QStringLiteral(
                     "https://h.example/"
                     "cb?oauth_token=[redacted]&oauth_verifier=[redacted]&crc_token=[redacted]&keep=yes"));

        QCOMPARE(
            redact::body("oauth_token=abc&oauth_token_secret=def&user_id=42&screen_name=xapi"),
            QByteArray("oauth_token=[redacted]&oauth_token_secret=[redacted]&user_id=42&screen_name=xapi"));
        const QByteArray tokenResponse = "{\"token_type\":\"bearer\",\"access_token\":\"AAAA%2Fxyz\"}";
        const QByteArray tokenRedacted = "{\"token_type\":\"bearer\",\"access_token\":\"[redacted]\"}";
        QCOMPARE(redact::body(tokenResponse, "application/json"), tokenRedacted);
        const QByteArray spaced = "{\"password\" : \"hunter2\", \"n\": 1}";
        QCOMPARE(redact::body(spaced), QByteArray("{\"password\" : \"[redacted]\", \"n\": 1}"));
        // A body cut off in the middle of a secret still loses the secret.
        const QByteArray truncated = "{\"access_token\":\"AAAA%2Fxy";
        QCOMPARE(redact::body(truncated), QByteArray("{\"access_token\":\"[redacted]\""));
        const QByteArray harmless = "{\"url\":\"https://example.com/a?b=c\"}";
        QCOMPARE(redact::body(harmless), harmless);
    }

    // X labels its OAuth token answers text/html and ends them with a newline; the form
    // parameters in them are redacted all the same.
    void shouldRedactTokenAnswersWhateverTheirContentTypeAndWhiteSpace_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<redact::BodyShape>("shape");
        const QByteArray form = "oauth_token=tok123456&oauth_token_secret=sec987654&user_id=42";
        QTest::newRow("text/html, trailing newline")
            << form + '\n'
            << QByteArray("text/html; charset=utf-8") << redact::BodyShape::Detect;
        QTest::newRow("CRLF around it, no content type") << "\r\n" + form + "\r\n"
                                                         << QByteArray() << redact::BodyShape::Detect;
        QTest::newRow("upper-case content type, spaces inside")
            << QByteArray("oauth_token=tok123456&oauth_token_secret=sec 987654&user_id=42")
            << QByteArray("Application/X-WWW-Form-URLEncoded") << redact::BodyShape::Detect;
        QTest::newRow("token endpoint, any shape")
            << QByteArray("oauth_token=tok123456&oauth_token_secret=sec 987654 {x}\n")
            << QByteArray("text/html") << redact::BodyShape::Form;
    }
    void shouldRedactTokenAnswersWhateverTheirContentTypeAndWhiteSpace()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(redact::BodyShape, shape);
        const QByteArray shown = redact::body(body, contentType, shape);
        QVERIFY2(!shown.contains("tok123456") && !shown.contains("987654"), shown.constData());
        QVERIFY2(shown.contains("oauth_token=[redacted]&oauth_token_secret=[redacted]"), shown.constData());
    }

    void shouldScrubKnownSecretsInEveryForm()
    {
        SecretScrubber scrubber;
        scrubber.add("AAAA/bearer=token");
        scrubber.add("short"); // ignored: too short to scrub safely
        QCOMPARE(scrubber.scrub(QByteArray("x AAAA/bearer=token y")), QByteArray("x [redacted] y"));
        QCOMPARE(scrubber.scrub(QByteArray("x AAAA%2Fbearer%3Dtoken y")), QByteArray("x [redacted] y"));
        QCOMPARE(scrubber.scrub(QStringLiteral("short stays")), QStringLiteral("short stays"));
    }

    void shouldShellQuote()
    {
        QCOMPARE(redact::shellQuote(QStringLiteral("it's")), QStringLiteral("'it'\\''s'"));
        QCOMPARE(redact::shellQuote(QStringLiteral("$HOME `x` \"y\"")), QStringLiteral("'$HOME `x` \"y\"'"));
    }

    void shouldCopyAsCurlWithoutSecrets_data()
    {
        QTest::addColumn<Operation>("op");
        QTest::addColumn<ApiGeneration>("gen");
        for (const Endpoint &e : endpoints::all()) {
            for (const auto gen : {ApiGeneration::V1_1, ApiGeneration::V2}) {
                if (endpoints::find(e.op, gen) == &e)
                    QTest::newRow(qPrintable(endpoints::generationName(gen) + QLatin1Char(' ') + e.name))
                        << e.op << gen;
            }
        }
    }

    void shouldCopyAsCurlWithoutSecrets()
    {
        QFETCH(Operation, op);
        QFETCH(ApiGeneration, gen);
        const Endpoint *endpoint = endpoints::find(op, gen);
        const RequestCredentials c = credentialsFor(endpoint->credential);
        const auto built = requests::build(*endpoint, base, paramsFor(op, gen), c);
        QVERIFY(built.ok());
        const QString curl = redact::curl(built.value(), endpoint->credential);
        QVERIFY(curl.startsWith(QStringLiteral("curl --globoff -X ") + QString::fromLatin1(endpoint->method) +
                                QStringLiteral(" '")));
        QVERIFY(curl.contains(QStringLiteral("-H 'Authorization: ")));
        QVERIFY(curl.contains(QStringLiteral("<redacted")));
        const QByteArray text = curl.toUtf8();
        for (const QByteArray &secret :
             {c.consumerSecret, c.token, c.tokenSecret, c.bearerToken, QByteArray("verifier-123456"),
              QByteArray("kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg")}) {
            QVERIFY2(!text.contains(secret), text.constData());
            QVERIFY2(!text.contains(oauth1::percentEncode(secret)), text.constData());
        }
        const QByteArray basic = QByteArray(c.consumerKey + ':' + c.consumerSecret).toBase64();
        QVERIFY(!text.contains(basic));
        if (!built.value().body.isEmpty())
            QVERIFY(curl.contains(QStringLiteral("--data-raw '")));
    }

    void shouldRedactEverySensitiveHeaderTheSameWayInTheLogAndInCurl()
    {
        // One list (redact::sensitiveHeaders) for the request log and "copy as curl".
        HttpRequest request;
        request.method = "GET";
        request.url = QUrl(QStringLiteral("https://api.x.com/2/webhooks"));
        request.headers = {{"Authorization", "Bearer AAAA-secret-1"},
                           {"proxy-authorization", "Basic c2VjcmV0LTI="},
                           {"Cookie", "auth_token=secret-3"},
                           {"Set-Cookie", "ct0=secret-4"},
                           {"Accept", "application/json"}};
        const HeaderList logged = redact::headers(request.headers);
        QCOMPARE(logged.size(), request.headers.size());
        QCOMPARE(logged.at(0).second, QByteArray("Bearer [redacted]"));
        QCOMPARE(logged.at(1).second, QByteArray("Basic [redacted]"));
        QCOMPARE(logged.at(2).second, QByteArray("[redacted]"));
        QCOMPARE(logged.at(3).second, QByteArray("[redacted]"));
        QCOMPARE(logged.at(4).second, QByteArray("application/json"));
        const QString curl = redact::curl(request, CredentialKind::AppOnly);
        QVERIFY2(!curl.contains(QStringLiteral("secret-")), qPrintable(curl));
        QVERIFY(curl.contains(QStringLiteral("Accept: application/json")));
        for (const char *header : redact::sensitiveHeaders)
            QVERIFY(redact::isSensitiveHeader(QByteArray(header).toLower()));
        QVERIFY(!redact::isSensitiveHeader("Accept"));
    }

    void shouldKeepSecretLookingNamesOutOfLongTermRecords()
    {
        // The text and the byte (header name) forms agree.
        for (const char *key : redact::sensitiveKeys) {
            QVERIFY2(redact::looksSensitive(QString::fromLatin1(key).toUpper()), key);
            QVERIFY2(redact::looksSensitive(QByteArray(key).toUpper()), key);
        }
        for (const char *name : {"x_auth_credentials", "userSignature", "OAuthCallback", "api_Bearer",
                                 "xxSECRETxx", "tokentoken"}) {
            QVERIFY2(redact::looksSensitive(QString::fromLatin1(name)), name);
            QVERIFY2(redact::looksSensitive(QByteArrayView(name)), name);
        }
        // Fragments cut short at the end or in the middle are not fragments.
        for (const char *name :
             {"webhook_id", "user_id", "url", "from_date", "content-type", "x-secre", "toke_n", "oaut", ""}) {
            QVERIFY2(!redact::looksSensitive(QString::fromLatin1(name)), name);
            QVERIFY2(!redact::looksSensitive(QByteArrayView(name)), name);
        }
    }
};

QTEST_GUILESS_MAIN(TestRequestBuilding)
#include "tst_requestbuilding.moc"
