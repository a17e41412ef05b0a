// The X Activity API's subscriptions against the sandbox (x-api-2026.md §4), over real HTTP on
// 127.0.0.1: every endpoint through ApiClient, every rule the sandbox enforces with the status, the
// problem type and what the client's error mapping makes of it, pagination, the three answer shapes,
// the tier limit, OAuth 2.0 scopes with real tokens and the rate limit. Nothing sleeps.
// Requests the client would refuse before sending are made by hand, and their answers are read with
// the client's error mapping (errors::fromResponse), as the client would read them.

#include "ApiClient.h"
#include "ErrorCatalogue.h"
#include "SandboxTestSupport.h"

#include <QElapsedTimer>
#include <QtTest>

#include <optional>

using namespace sandboxtest;
using namespace std::chrono_literals;
using activity::ActivityBulkDeleteResult;
using activity::ActivityDeleteResult;
using activity::ActivityFilter;
using activity::ActivitySubscription;
using activity::ActivitySubscriptionChange;
using activity::ActivitySubscriptionPage;
using activity::ActivitySubscriptionRequest;
using activity::ActivitySubscriptionUpdate;
using activity::ApiClient;
using activity::ApiError;
using activity::AppCredentials;
using activity::ClientConfig;
using activity::Result;
using activity::UserCredentials;
using Kind = activity::ApiError::Kind;
namespace xaa = activity::xaa;
namespace errors = activity::errors;

Q_DECLARE_METATYPE(activity::sandbox::ActivityAnswerShape)
Q_DECLARE_METATYPE(activity::ApiGeneration)
Q_DECLARE_METATYPE(activity::xaa::Tier)

#define VERIFY_OK(expression)                                                                                \
    do {                                                                                                     \
        const auto &verified = (expression);                                                                 \
        QVERIFY2(verified.ok(), verified.ok() ? "" : qPrintable(verified.error().text()));                   \
    } while (false)

namespace {

// Starts a call with a callback and waits (processing events) until the callback ran.
template<typename T, typename Start> Result<T> run(Start start)
{
    std::optional<Result<T>> out;
    start([&](const Result<T> &result) { out.emplace(result); });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 15000))
        return ApiError::make(ApiError::Kind::Timeout,
                              QStringLiteral("The test gave up waiting for the callback."));
    return *out;
}

const QString subscriptionsPath = QStringLiteral("/2/activity/subscriptions");

QString problemType(const Response &r)
{
    const QString type = r.object().value(QStringLiteral("type")).toString();
    return type.mid(type.lastIndexOf(QLatin1Char('/')) + 1);
}

QJsonObject body(const QString &type, const QJsonObject &filter = {})
{
    return QJsonObject {{QStringLiteral("event_type"), type}, {QStringLiteral("filter"), filter}};
}

QJsonObject userFilter(const QString &userId)
{
    return QJsonObject {{QStringLiteral("user_id"), userId}};
}

ActivitySubscriptionRequest request(const QString &type, const QString &userId, const QString &webhookId = {},
                                    const QString &tag = {})
{
    ActivitySubscriptionRequest r;
    r.eventType = type;
    r.filter.userId = userId;
    r.webhookId = webhookId;
    r.tag = tag;
    return r;
}

} // namespace

class TestSandboxActivity : public SandboxTestCase
{
    Q_OBJECT
    QNetworkAccessManager m_network;

    std::unique_ptr<ApiClient> apiClient(ApiGeneration generation = ApiGeneration::V2)
    {
        ClientConfig config;
        config.baseUrl = m_server->baseUrl();
        config.allowInsecureLoopback = true; // the sandbox, on plain http
        config.generation = generation;
        config.transferTimeout = 10s;
        config.maxAttempts = 1;
        config.backoffBase = 1ms;
        SandboxServer *server = m_server.get();
        config.clock = [server] { return server->now(); };
        AppCredentials credentials {demo::consumerKey, demo::consumerSecret, demo::ownerToken,
                                    demo::ownerTokenSecret, demo::bearerToken};
        credentials.oauth2ClientId = demo::oauth2ClientId;
        credentials.oauth2ClientSecret = demo::oauth2ClientSecret;
        return std::make_unique<ApiClient>(&m_network, config, credentials);
    }

    // A real OAuth 2.0 grant for `user` with `scopes`; `claimed` is what the client believes it holds
    // (so the client sends what it would otherwise refuse), `claimedUserId` whose it believes it is.
    UserCredentials oauth2User(const demo::User &user, const QStringList &scopes,
                               std::optional<QStringList> claimed = {}, const QString &claimedUserId = {})
    {
        const IssuedOAuth2Token issued = m_server->issueOAuth2Token(user.id, scopes);
        UserCredentials credentials;
        credentials.userId = claimedUserId.isEmpty() ? user.id : claimedUserId;
        credentials.username = user.username;
        credentials.oauth2.accessToken = issued.accessToken;
        credentials.oauth2.scopes = claimed.value_or(issued.scopes);
        credentials.oauth2.expiresAt = m_server->now().addSecs(7200);
        return credentials;
    }

    Result<ActivitySubscriptionChange> create(ApiClient &api, const ActivitySubscriptionRequest &r,
                                              const std::optional<UserCredentials> &user = {})
    {
        return run<ActivitySubscriptionChange>(
            [&](auto done) { api.createActivitySubscription(r, user, this, done); });
    }
    Result<ActivitySubscriptionPage> page(ApiClient &api, const QString &token = {}, int maxResults = 0)
    {
        return run<ActivitySubscriptionPage>(
            [&](auto done) { api.listActivitySubscriptions(token, this, done, maxResults); });
    }
    Result<ActivitySubscriptionChange> update(ApiClient &api, const QString &id,
                                              const ActivitySubscriptionUpdate &change)
    {
        return run<ActivitySubscriptionChange>(
            [&](auto done) { api.updateActivitySubscription(id, change, this, done); });
    }
    Result<ActivityDeleteResult> remove(ApiClient &api, const QString &id)
    {
        return run<ActivityDeleteResult>([&](auto done) { api.deleteActivitySubscription(id, this, done); });
    }
    Result<ActivityBulkDeleteResult> removeMany(ApiClient &api, const QStringList &ids)
    {
        return run<ActivityBulkDeleteResult>(
            [&](auto done) { api.deleteActivitySubscriptions(ids, this, done); });
    }

    Response createRaw(const QJsonObject &json, const QByteArray &token = demo::bearerToken)
    {
        return m_client->bearer("POST", subscriptionsPath, QJsonDocument(json).toJson(QJsonDocument::Compact),
                                "application/json", token);
    }

    // The client's reading of a refusal made by hand.
    static ApiError clientReading(const Response &r)
    {
        return errors::fromResponse(r.status, r.body, r.header("content-type"));
    }

private Q_SLOTS:
    void shouldSeedThreeDemoSubscriptions()
    {
        const QList<ActivitySubscription> all = m_server->activitySubscriptions();
        QCOMPARE(all.size(), demo::activitySubscriptionCount);
        QCOMPARE(all.at(0).id, demo::activityBioSubscriptionId);
        QCOMPARE(all.at(0).eventType, QStringLiteral("profile.update.bio"));
        QCOMPARE(all.at(0).filter.userId, demo::alice.id);
        QCOMPARE(all.at(0).tag, demo::activityBioTag);
        QCOMPARE(all.at(0).webhookId, demo::validWebhookId);
        QCOMPARE(all.at(1).id, demo::activityPostSubscriptionId);
        QCOMPARE(all.at(1).eventType, QStringLiteral("post.create"));
        QCOMPARE(all.at(1).filter.userId, demo::bob.id);
        QVERIFY(all.at(1).webhookId.isEmpty());
        QCOMPARE(all.at(2).id, demo::activityLikeSubscriptionId);
        QCOMPARE(all.at(2).eventType, QStringLiteral("like.create"));
        QCOMPARE(all.at(2).filter.direction, QStringLiteral("inbound"));
        QCOMPARE(all.at(2).webhookId, demo::validWebhookId);
        QVERIFY(m_server->activitySubscription(demo::activityPostSubscriptionId).has_value());
        QVERIFY(!m_server->activitySubscription(QStringLiteral("1")).has_value());
    }

    void shouldServeEveryEndpointThroughTheClient_data()
    {
        QTest::addColumn<ApiGeneration>("generation");
        QTest::newRow("v2") << ApiGeneration::V2;
        QTest::newRow("v1.1 client") << ApiGeneration::V1_1;
    }
    void shouldServeEveryEndpointThroughTheClient()
    {
        QFETCH(ApiGeneration, generation);
        auto api = apiClient(generation);

        const Result<ActivitySubscriptionChange> made =
            create(*api,
                   request(QStringLiteral("post.create"), demo::carol.id, demo::validWebhookId,
                           QStringLiteral("carol posts")));
        VERIFY_OK(made);
        QCOMPARE(made.httpStatus(), 200);
        const ActivitySubscription s = made.value().subscription;
        QCOMPARE(s.eventType, QStringLiteral("post.create"));
        QCOMPARE(s.filter.userId, demo::carol.id);
        QCOMPARE(s.tag, QStringLiteral("carol posts"));
        QCOMPARE(s.webhookId, demo::validWebhookId);
        QVERIFY(s.createdAt.isValid());
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9]{19}$")).match(s.id).hasMatch());
        QVERIFY(s.id > demo::activityLikeSubscriptionId); // ascending in creation order

        const Result<ActivitySubscriptionPage> listed = page(*api);
        VERIFY_OK(listed);
        QCOMPARE(listed.value().subscriptions.size(), 4);
        QCOMPARE(listed.value().subscriptions.last().id, s.id);
        QCOMPARE(listed.value().resultCount, std::optional<qint64>(4));
        QCOMPARE(listed.value().totalSubscriptions, std::optional<qint64>(4));
        QVERIFY(listed.value().nextToken.isEmpty());

        ActivitySubscriptionUpdate change;
        change.tag = QStringLiteral("renamed");
        change.webhookId = demo::invalidWebhookId;
        const Result<ActivitySubscriptionChange> updated = update(*api, s.id, change);
        VERIFY_OK(updated);
        QCOMPARE(updated.value().subscription.tag, QStringLiteral("renamed"));
        QCOMPARE(updated.value().subscription.webhookId, demo::invalidWebhookId);
        QCOMPARE(updated.value().totalSubscriptions, std::optional<qint64>(4));
        QCOMPARE(m_server->activitySubscription(s.id)->tag, QStringLiteral("renamed"));

        const Result<ActivityDeleteResult> deleted = remove(*api, s.id);
        VERIFY_OK(deleted);
        QVERIFY(deleted.value().deleted);
        QVERIFY(!m_server->activitySubscription(s.id).has_value());

        const QString unknown = QStringLiteral("1900000000000099999");
        const Result<ActivityBulkDeleteResult> bulk =
            removeMany(*api, {demo::activityBioSubscriptionId, unknown, demo::activityPostSubscriptionId});
        VERIFY_OK(bulk);
        QCOMPARE(bulk.value().deleted,
                 QStringList({demo::activityBioSubscriptionId, demo::activityPostSubscriptionId}));
        QCOMPARE(bulk.value().errors.size(), 1);
        QCOMPARE(bulk.value().errors.first().subscriptionId, unknown);
        QCOMPARE(bulk.value().errors.first().reason, QStringLiteral("resource-not-found"));
        QVERIFY(!bulk.value().errors.first().message.isEmpty());
        QCOMPARE(bulk.value().remaining, std::optional<qint64>(1));
        QCOMPARE(m_server->activitySubscriptions().size(), 1);
    }

    void shouldAnswerWithTheCanonicalEventType_data()
    {
        QTest::addColumn<QString>("sent");
        QTest::addColumn<QString>("canonical");
        QTest::addColumn<QStringList>("scopes"); // empty: the app's Bearer token
        QTest::addColumn<QJsonObject>("filter");
        QTest::newRow("current") << QStringLiteral("profile.update.url")
                                 << QStringLiteral("profile.update.url") << QStringList()
                                 << userFilter(demo::carol.id);
        QTest::newRow("PascalCase") << QStringLiteral("ProfileBioUpdate")
                                    << QStringLiteral("profile.update.bio") << QStringList()
                                    << userFilter(demo::carol.id);
        QTest::newRow("alias") << QStringLiteral("chat.conversation_join")
                               << QStringLiteral("chat.conversation.join")
                               << QStringList {QStringLiteral("dm.read")} << userFilter(demo::bob.id);
    }
    void shouldAnswerWithTheCanonicalEventType()
    {
        QFETCH(QString, sent);
        QFETCH(QString, canonical);
        QFETCH(QStringList, scopes);
        QFETCH(QJsonObject, filter);
        const QByteArray token = scopes.isEmpty()
            ? demo::bearerToken
            : m_server->issueOAuth2Token(demo::bob.id, scopes).accessToken;
        const Response r = createRaw(body(sent, filter), token);
        QCOMPARE(r.status, 200);
        const QJsonObject s = r.data().value(QStringLiteral("subscription")).toObject();
        QCOMPARE(s.value(QStringLiteral("event_type")).toString(), canonical);
        QCOMPARE(m_server->activitySubscriptions().last().eventType, canonical);
        // No tag and no webhook: neither is in the answer.
        QVERIFY(!s.contains(QStringLiteral("tag")));
        QVERIFY(!s.contains(QStringLiteral("webhook_id")));
    }

    void shouldRefuseInvalidBodies_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("parameter");
        const auto row = [](const char *name, const QJsonObject &json, const char *parameter) {
            QTest::newRow(name) << QJsonDocument(json).toJson(QJsonDocument::Compact)
                                << QString::fromLatin1(parameter);
        };
        const QString alice = demo::alice.id;
        QTest::newRow("not JSON") << QByteArrayLiteral("{\"event_type\":") << QStringLiteral("body");
        QTest::newRow("an array") << QByteArrayLiteral("[]") << QStringLiteral("body");
        QJsonObject extra = body(QStringLiteral("post.create"), userFilter(alice));
        extra.insert(QStringLiteral("expansions"), QStringLiteral("all"));
        row("unknown top-level property", extra, "expansions");
        row("unknown filter property",
            body(QStringLiteral("post.create"),
                 QJsonObject {{QStringLiteral("user_id"), alice},
                              {QStringLiteral("lang"), QStringLiteral("en")}}),
            "filter.lang");
        row("no event_type", QJsonObject {{QStringLiteral("filter"), userFilter(alice)}}, "event_type");
        row("unknown event_type", body(QStringLiteral("post.edit"), userFilter(alice)), "event_type");
        row("event_type not a string",
            QJsonObject {{QStringLiteral("event_type"), 5}, {QStringLiteral("filter"), userFilter(alice)}},
            "event_type");
        row("no filter", QJsonObject {{QStringLiteral("event_type"), QStringLiteral("post.create")}},
            "filter");
        row("user_id missing", body(QStringLiteral("post.create")), "filter.user_id");
        row("user_id with a letter", body(QStringLiteral("post.create"), userFilter(QStringLiteral("12a"))),
            "filter.user_id");
        row("user_id of 20 digits",
            body(QStringLiteral("post.create"), userFilter(QStringLiteral("12345678901234567890"))),
            "filter.user_id");
        row("user_id a number",
            body(QStringLiteral("post.create"), QJsonObject {{QStringLiteral("user_id"), 12}}),
            "filter.user_id");
        row("user_id on news.new",
            body(QStringLiteral("news.new"),
                 QJsonObject {{QStringLiteral("keyword"), QStringLiteral("qt")},
                              {QStringLiteral("user_id"), alice}}),
            "filter.user_id");
        row("keyword missing on news.new", body(QStringLiteral("news.new")), "filter.keyword");
        row("keyword of 151 characters",
            body(QStringLiteral("news.new"),
                 QJsonObject {{QStringLiteral("keyword"), QString(151, QLatin1Char('k'))}}),
            "filter.keyword");
        row("keyword on post.create",
            body(QStringLiteral("post.create"),
                 QJsonObject {{QStringLiteral("user_id"), alice},
                              {QStringLiteral("keyword"), QStringLiteral("qt")}}),
            "filter.keyword");
        row("direction on post.create",
            body(QStringLiteral("post.create"),
                 QJsonObject {{QStringLiteral("user_id"), alice},
                              {QStringLiteral("direction"), QStringLiteral("inbound")}}),
            "filter.direction");
        row("direction sideways",
            body(QStringLiteral("like.create"),
                 QJsonObject {{QStringLiteral("user_id"), alice},
                              {QStringLiteral("direction"), QStringLiteral("sideways")}}),
            "filter.direction");
        row("direction on mute.mute",
            body(QStringLiteral("mute.mute"),
                 QJsonObject {{QStringLiteral("user_id"), alice},
                              {QStringLiteral("direction"), QStringLiteral("outbound")}}),
            "filter.direction");
        QJsonObject emptyTag = body(QStringLiteral("post.create"), userFilter(alice));
        emptyTag.insert(QStringLiteral("tag"), QString());
        row("empty tag", emptyTag, "tag");
        QJsonObject longTag = body(QStringLiteral("post.create"), userFilter(alice));
        longTag.insert(QStringLiteral("tag"), QString(201, QLatin1Char('t')));
        row("tag of 201 characters", longTag, "tag");
        QJsonObject badWebhook = body(QStringLiteral("post.create"), userFilter(alice));
        badWebhook.insert(QStringLiteral("webhook_id"), QStringLiteral("hook-1"));
        row("webhook_id not digits", badWebhook, "webhook_id");
    }
    void shouldRefuseInvalidBodies()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, parameter);
        const Response r = m_client->bearer("POST", subscriptionsPath, json, "application/json");
        QCOMPARE(r.status, 400);
        QCOMPARE(problemType(r), QStringLiteral("invalid-request"));
        QCOMPARE(r.object().value(QStringLiteral("parameter")).toString(), parameter);
        QVERIFY(!r.object().value(QStringLiteral("detail")).toString().isEmpty());
        const ApiError error = clientReading(r);
        QCOMPARE(error.kind, Kind::InvalidRequest);
        QVERIFY2(error.cause.contains(parameter), qPrintable(error.cause));
        QCOMPARE(m_server->activitySubscriptions().size(), demo::activitySubscriptionCount);
    }

    void shouldTakeTheLimitsOfKeywordAndTag()
    {
        QJsonObject longest = body(QStringLiteral("news.new"),
                                   QJsonObject {{QStringLiteral("keyword"), QString(150, QLatin1Char('k'))}});
        longest.insert(QStringLiteral("tag"), QString(200, QLatin1Char('t')));
        QCOMPARE(createRaw(longest).status, 200);
        QJsonObject shortest =
            body(QStringLiteral("news.new"), QJsonObject {{QStringLiteral("keyword"), QStringLiteral("k")}});
        shortest.insert(QStringLiteral("tag"), QStringLiteral("t"));
        QCOMPARE(createRaw(shortest).status, 200);
    }

    void shouldRefuseAnotherAppsOrUnknownWebhook()
    {
        auto api = apiClient();
        const Result<ActivitySubscriptionChange> made =
            create(*api, request(QStringLiteral("post.create"), demo::carol.id, QStringLiteral("1234567")));
        QVERIFY(!made.ok());
        QCOMPARE(made.error().httpStatus, 404);
        QCOMPARE(made.error().kind, Kind::NotFound);
        QCOMPARE(made.error().name, QStringLiteral("WebhookIdInvalid"));
        const Response r =
            createRaw(QJsonObject {{QStringLiteral("event_type"), QStringLiteral("post.create")},
                                   {QStringLiteral("filter"), userFilter(demo::carol.id)},
                                   {QStringLiteral("webhook_id"), QStringLiteral("1234567")}});
        QCOMPARE(problemType(r), QStringLiteral("resource-not-found"));
    }

    void shouldRefuseADuplicate()
    {
        auto api = apiClient();
        const Result<ActivitySubscriptionChange> again =
            create(*api, request(QStringLiteral("profile.update.bio"), demo::alice.id, demo::validWebhookId));
        QVERIFY(!again.ok());
        QCOMPARE(again.error().httpStatus, 409);
        QCOMPARE(again.error().kind, Kind::Conflict);
        QCOMPARE(again.error().name, QStringLiteral("DuplicateActivitySubscription"));
        QVERIFY2(again.error().cause.contains(QLatin1String("already exists")),
                 qPrintable(again.error().cause));
        // Another webhook, another tag or no webhook is another subscription.
        VERIFY_OK(create(*api, request(QStringLiteral("profile.update.bio"), demo::alice.id)));
        VERIFY_OK(create(
            *api, request(QStringLiteral("profile.update.bio"), demo::alice.id, demo::invalidWebhookId)));
        // An update that would make one the same as another is refused too.
        ActivitySubscriptionUpdate change;
        change.webhookId = demo::validWebhookId;
        const QString last = m_server->activitySubscriptions().last().id;
        const Result<ActivitySubscriptionChange> clash = update(*api, last, change);
        QVERIFY(!clash.ok());
        QCOMPARE(clash.error().kind, Kind::Conflict);
        const Response raw =
            createRaw(QJsonObject {{QStringLiteral("event_type"), QStringLiteral("ProfileBioUpdate")},
                                   {QStringLiteral("filter"), userFilter(demo::alice.id)},
                                   {QStringLiteral("webhook_id"), demo::validWebhookId}});
        QCOMPARE(raw.status, 409);
        QCOMPARE(problemType(raw), QStringLiteral("conflict"));
    }

    void shouldStopAtTheTierLimit_data()
    {
        QTest::addColumn<xaa::Tier>("tier");
        QTest::addColumn<int>("limit");
        QTest::newRow("self-serve") << xaa::Tier::SelfServe << 1500;
        QTest::newRow("enterprise (default)") << xaa::Tier::Enterprise << 75000;
    }
    void shouldStopAtTheTierLimit()
    {
        QFETCH(xaa::Tier, tier);
        QFETCH(int, limit);
        QCOMPARE(m_server->activityTier(), xaa::Tier::Enterprise);
        m_server->setActivityTier(tier);
        QCOMPARE(m_server->activityTier(), tier);
        m_server->addActivitySubscriptions(limit - demo::activitySubscriptionCount - 1);
        auto api = apiClient();
        // The last one that fits...
        VERIFY_OK(create(*api, request(QStringLiteral("post.delete"), demo::carol.id)));
        QCOMPARE(m_server->activitySubscriptions().size(), limit);
        // ...and one more.
        const Result<ActivitySubscriptionChange> over =
            create(*api, request(QStringLiteral("post.delete"), demo::dave.id));
        QVERIFY(!over.ok());
        QCOMPARE(over.error().httpStatus, 403);
        QCOMPARE(over.error().kind, Kind::QuotaExceeded);
        QCOMPARE(over.error().name, QStringLiteral("SubscriptionLimitExceeded"));
        const Response raw = createRaw(body(QStringLiteral("post.delete"), userFilter(demo::dave.id)));
        QCOMPARE(problemType(raw), QStringLiteral("usage-capped"));
        QVERIFY(raw.object().value(QStringLiteral("detail")).toString().contains(QString::number(limit)));
        // Deleting one makes room again.
        VERIFY_OK(remove(*api, demo::activityPostSubscriptionId));
        VERIFY_OK(create(*api, request(QStringLiteral("post.delete"), demo::dave.id)));
    }

    void shouldAddBenchmarkSubscriptionsQuickly()
    {
        QElapsedTimer timer;
        timer.start();
        m_server->addActivitySubscriptions(75000, demo::validWebhookId);
        const qint64 elapsed = timer.elapsed();
        qInfo("75,000 subscriptions added in %lld ms", elapsed);
        // A guard against accidental quadratic work; the machine may be busy, so not a benchmark.
        QVERIFY2(elapsed < 5000, qPrintable(QString::number(elapsed)));
        const QList<ActivitySubscription> all = m_server->activitySubscriptions();
        QCOMPARE(all.size(), 75000 + demo::activitySubscriptionCount);
        const ActivitySubscription &first = all.at(demo::activitySubscriptionCount);
        QCOMPARE(first.tag, QStringLiteral("bench-1"));
        QCOMPARE(first.webhookId, demo::validWebhookId);
        QVERIFY(xaa::findEventType(first.eventType)->visibility == xaa::Visibility::Public);
        QVERIFY(all.at(demo::activitySubscriptionCount + 1).eventType != first.eventType);
        QCOMPARE(all.last().tag, QStringLiteral("bench-75000"));
    }

    void shouldAddDirectlyWithAnySpelling()
    {
        const QString id =
            m_server->addActivitySubscription(request(QStringLiteral("ProfileGeoUpdate"), demo::bob.id));
        QVERIFY(!id.isEmpty());
        QCOMPARE(m_server->activitySubscription(id)->eventType, QStringLiteral("profile.update.geo"));
        QVERIFY(m_server->addActivitySubscription(request(QStringLiteral("no.such.type"), demo::bob.id))
                    .isEmpty());
    }

    // --- credentials (§4.1, §4.2) ---

    void shouldTakeAnOAuth1UserTokenForCreateAndList()
    {
        const QJsonObject json = body(QStringLiteral("post.create"), userFilter(demo::carol.id));
        const Response made =
            m_client->signedJson("POST", subscriptionsPath, userCredentials(demo::alice), json);
        QCOMPARE(made.status, 200);
        const Response listed = m_client->signedCall("GET", subscriptionsPath, userCredentials(demo::alice));
        QCOMPARE(listed.status, 200);
        QCOMPARE(listed.object().value(QStringLiteral("data")).toArray().size(), 4);
    }

    void shouldTakeOnlyTheBearerTokenForUpdateAndDelete_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("oauth2");
        const QString one = subscriptionsPath + QLatin1Char('/') + demo::activityBioSubscriptionId;
        const QString bulk = subscriptionsPath + QStringLiteral("?ids=") + demo::activityBioSubscriptionId;
        for (const bool oauth2 : {false, true}) {
            const char *kind = oauth2 ? "OAuth 2.0 user" : "OAuth 1.0a user";
            QTest::addRow("PUT, %s", kind) << QByteArray("PUT") << one << oauth2;
            QTest::addRow("DELETE, %s", kind) << QByteArray("DELETE") << one << oauth2;
            QTest::addRow("bulk DELETE, %s", kind) << QByteArray("DELETE") << bulk << oauth2;
        }
    }
    void shouldTakeOnlyTheBearerTokenForUpdateAndDelete()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(bool, oauth2);
        const QByteArray json = QJsonDocument(QJsonObject {{QStringLiteral("tag"), QStringLiteral("x")}})
                                    .toJson(QJsonDocument::Compact);
        const QByteArray payload = method == "PUT" ? json : QByteArray();
        const QByteArray contentType = method == "PUT" ? QByteArrayLiteral("application/json") : QByteArray();
        Response r;
        if (oauth2) {
            const QByteArray token =
                m_server
                    ->issueOAuth2Token(demo::alice.id,
                                       {QStringLiteral("tweet.read"), QStringLiteral("like.read")})
                    .accessToken;
            r = m_client->bearer(method, path, payload, contentType, token);
        } else {
            const QUrl target = m_client->url(path);
            r = m_client->send(method, target,
                               Client::oauthHeader(method, target, userCredentials(demo::alice)), payload,
                               contentType);
        }
        QCOMPARE(r.status, 403);
        QCOMPARE(problemType(r), QStringLiteral("unsupported-authentication"));
        QCOMPARE(clientReading(r).kind, Kind::Authentication);
        QCOMPARE(m_server->activitySubscription(demo::activityBioSubscriptionId)->tag, demo::activityBioTag);
    }

    void shouldRefuseAPrivateTypeWithTheBearerToken_data()
    {
        QTest::addColumn<QString>("type");
        QTest::newRow("like.create") << QStringLiteral("like.create");
        QTest::newRow("dm.received") << QStringLiteral("dm.received");
        QTest::newRow("post.mention.create") << QStringLiteral("post.mention.create");
        QTest::newRow("mute.mute") << QStringLiteral("mute.mute");
    }
    void shouldRefuseAPrivateTypeWithTheBearerToken()
    {
        QFETCH(QString, type);
        const Response r = createRaw(body(type, userFilter(demo::alice.id)));
        QCOMPARE(r.status, 403);
        QCOMPARE(problemType(r), QStringLiteral("unsupported-authentication"));
        QVERIFY(r.object().value(QStringLiteral("detail")).toString().contains(type));
        const ApiError error = clientReading(r);
        QCOMPARE(error.kind, Kind::Authentication);
        QVERIFY(!error.text().isEmpty());
    }

    void shouldCheckTheScopeOfAnOAuth2Token_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QStringList>("granted");
        QTest::addColumn<bool>("accepted");
        const QString tweet = QStringLiteral("tweet.read");
        QTest::newRow("like.create with like.read")
            << QStringLiteral("like.create") << QStringList {tweet, QStringLiteral("like.read")} << true;
        QTest::newRow("like.create without like.read")
            << QStringLiteral("like.create") << QStringList {tweet} << false;
        QTest::newRow("dm.sent with dm.read")
            << QStringLiteral("dm.sent") << QStringList {QStringLiteral("dm.read")} << true;
        QTest::newRow("chat.received without dm.read")
            << QStringLiteral("chat.received") << QStringList {tweet} << false;
        QTest::newRow("mute.mute with mute.read")
            << QStringLiteral("mute.mute") << QStringList {QStringLiteral("mute.read")} << true;
        QTest::newRow("block.block without block.read")
            << QStringLiteral("block.block") << QStringList {tweet} << false;
        QTest::newRow("post.create with tweet.read")
            << QStringLiteral("post.create") << QStringList {tweet} << true;
        QTest::newRow("post.create without tweet.read")
            << QStringLiteral("post.create") << QStringList {QStringLiteral("users.read")} << false;
        QTest::newRow("broadcast.chat with the docs' broadcast.read")
            << QStringLiteral("broadcast.chat") << QStringList {QStringLiteral("broadcast.read")} << true;
    }
    void shouldCheckTheScopeOfAnOAuth2Token()
    {
        QFETCH(QString, type);
        QFETCH(QStringList, granted);
        QFETCH(bool, accepted);
        const xaa::EventType *eventType = xaa::findEventType(type);
        // Mute and block follow the token's user; the others may follow anyone.
        const QString userId = eventType->actorOnly ? demo::bob.id : demo::carol.id;
        const QString scope = xaa::acceptedScopes(*eventType).first();
        const Response raw = createRaw(body(type, userFilter(userId)),
                                       m_server->issueOAuth2Token(demo::bob.id, granted).accessToken);
        QCOMPARE(raw.status, accepted ? 200 : 403);
        if (!accepted)
            QCOMPARE(raw.object().value(QStringLiteral("missing_scopes")).toArray().first().toString(),
                     scope);
        if (!xaa::needsUserToken(*eventType))
            return; // the client signs these with the Bearer token
        // Through the client, told the token holds every scope (so it sends); the sandbox knows better.
        auto api = apiClient();
        const UserCredentials bob = oauth2User(demo::bob, granted, xaa::acceptedScopes(*eventType));
        m_server->clearJournal();
        const Result<ActivitySubscriptionChange> made =
            create(*api, request(type, userId, demo::validWebhookId), bob);
        QCOMPARE(m_server->journal().last().credential, activity::CredentialKind::OAuth2User);
        if (accepted) {
            VERIFY_OK(made);
            QCOMPARE(made.value().subscription.eventType, type);
            return;
        }
        QVERIFY(!made.ok());
        QCOMPARE(made.error().httpStatus, 403);
        QCOMPARE(made.error().kind, Kind::Permission);
        QVERIFY2(made.error().text().contains(scope), qPrintable(made.error().text()));
    }

    void shouldKeepMuteAndBlockToTheAuthenticatedUser_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("scope");
        QTest::newRow("mute.mute") << QStringLiteral("mute.mute") << QStringLiteral("mute.read");
        QTest::newRow("block.unblock") << QStringLiteral("block.unblock") << QStringLiteral("block.read");
    }
    void shouldKeepMuteAndBlockToTheAuthenticatedUser()
    {
        QFETCH(QString, type);
        QFETCH(QString, scope);
        auto api = apiClient();
        // bob's token, but the client believes it is alice's (so it sends alice's id).
        const UserCredentials confused = oauth2User(demo::bob, {scope}, {}, demo::alice.id);
        const Result<ActivitySubscriptionChange> made = create(*api, request(type, demo::alice.id), confused);
        QVERIFY(!made.ok());
        QCOMPARE(made.error().httpStatus, 403);
        QCOMPARE(made.error().kind, Kind::Permission);
        QVERIFY2(made.error().cause.contains(demo::alice.id), qPrintable(made.error().cause));
        const Response raw = createRaw(body(type, userFilter(demo::alice.id)),
                                       m_server->issueOAuth2Token(demo::bob.id, {scope}).accessToken);
        QCOMPARE(problemType(raw), QStringLiteral("not-authorized-for-resource"));
        // The same with the user's own id goes through, with the token of either kind.
        VERIFY_OK(create(*api, request(type, demo::bob.id), oauth2User(demo::bob, {scope})));
        const Response own = m_client->signedJson("POST", subscriptionsPath, userCredentials(demo::alice),
                                                  body(type, userFilter(demo::alice.id)));
        QCOMPARE(own.status, 200);
        const Response other = m_client->signedJson("POST", subscriptionsPath, userCredentials(demo::alice),
                                                    body(type, userFilter(demo::carol.id)));
        QCOMPARE(other.status, 403);
    }

    void shouldListWithTheScopesTheCatalogueNames()
    {
        const QByteArray both =
            m_server
                ->issueOAuth2Token(demo::bob.id, {QStringLiteral("like.read"), QStringLiteral("tweet.read")})
                .accessToken;
        QCOMPARE(m_client->bearer("GET", subscriptionsPath, {}, {}, both).status, 200);
        const QByteArray one =
            m_server->issueOAuth2Token(demo::bob.id, {QStringLiteral("tweet.read")}).accessToken;
        const Response refused = m_client->bearer("GET", subscriptionsPath, {}, {}, one);
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.object().value(QStringLiteral("missing_scopes")).toArray(),
                 QJsonArray {QStringLiteral("like.read")});
    }

    // --- update, delete ---

    void shouldAnswerNotFoundForAnUnknownId()
    {
        auto api = apiClient();
        const QString unknown = QStringLiteral("1900000000000099999");
        ActivitySubscriptionUpdate change;
        change.tag = QStringLiteral("x");
        const Result<ActivitySubscriptionChange> updated = update(*api, unknown, change);
        QVERIFY(!updated.ok());
        QCOMPARE(updated.error().httpStatus, 404);
        QCOMPARE(updated.error().kind, Kind::NotFound);
        QVERIFY2(updated.error().cause.contains(QStringLiteral("subscription ") + unknown),
                 qPrintable(updated.error().cause));
        const Result<ActivityDeleteResult> deleted = remove(*api, unknown);
        QVERIFY(!deleted.ok());
        QCOMPARE(deleted.error().httpStatus, 404);
        QCOMPARE(deleted.error().kind, Kind::NotFound);
        const Response raw = m_client->bearer("DELETE", subscriptionsPath + QLatin1Char('/') + unknown);
        QCOMPARE(problemType(raw), QStringLiteral("resource-not-found"));
        QCOMPARE(raw.object().value(QStringLiteral("resource_type")).toString(),
                 QStringLiteral("subscription"));
        QCOMPARE(raw.object().value(QStringLiteral("resource_id")).toString(), unknown);
        QCOMPARE(m_client->bearer("DELETE", subscriptionsPath + QStringLiteral("/abc")).status, 400);
    }

    void shouldChangeOnlyTagAndWebhook_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("parameter");
        QTest::newRow("event_type") << QByteArrayLiteral("{\"event_type\":\"post.create\"}")
                                    << QStringLiteral("event_type");
        QTest::newRow("filter") << QByteArrayLiteral("{\"tag\":\"a\",\"filter\":{}}")
                                << QStringLiteral("filter");
        QTest::newRow("nothing") << QByteArrayLiteral("{}") << QStringLiteral("body");
        QTest::newRow("empty tag") << QByteArrayLiteral("{\"tag\":\"\"}") << QStringLiteral("tag");
        QTest::newRow("webhook_id not digits")
            << QByteArrayLiteral("{\"webhook_id\":\"w\"}") << QStringLiteral("webhook_id");
    }
    void shouldChangeOnlyTagAndWebhook()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, parameter);
        const Response r =
            m_client->bearer("PUT", subscriptionsPath + QLatin1Char('/') + demo::activityBioSubscriptionId,
                             json, "application/json");
        QCOMPARE(r.status, 400);
        QCOMPARE(problemType(r), QStringLiteral("invalid-request"));
        QCOMPARE(r.object().value(QStringLiteral("parameter")).toString(), parameter);
        QCOMPARE(clientReading(r).kind, Kind::InvalidRequest);
        QCOMPARE(m_server->activitySubscription(demo::activityBioSubscriptionId)->tag, demo::activityBioTag);
    }

    void shouldRefuseAnUnknownWebhookOnUpdate()
    {
        auto api = apiClient();
        ActivitySubscriptionUpdate change;
        change.webhookId = QStringLiteral("1234567");
        const Result<ActivitySubscriptionChange> updated =
            update(*api, demo::activityBioSubscriptionId, change);
        QVERIFY(!updated.ok());
        QCOMPARE(updated.error().name, QStringLiteral("WebhookIdInvalid"));
    }

    void shouldTakeOneToAHundredIdsInABulkDelete_data()
    {
        QTest::addColumn<QString>("ids");
        QStringList many;
        for (int i = 0; i < 101; ++i)
            many.append(QString::number(1900000000000001000LL + i));
        QTest::newRow("none") << QString();
        QTest::newRow("101") << many.join(QLatin1Char(','));
        QTest::newRow("not digits") << QStringLiteral("1900000000000000001,abc");
        QTest::newRow("an empty one") << QStringLiteral("1900000000000000001,,1900000000000000002");
    }
    void shouldTakeOneToAHundredIdsInABulkDelete()
    {
        QFETCH(QString, ids);
        const Response r = m_client->bearer("DELETE", subscriptionsPath + QStringLiteral("?ids=") + ids);
        QCOMPARE(r.status, 400);
        QCOMPARE(problemType(r), QStringLiteral("invalid-request"));
        QCOMPARE(r.object().value(QStringLiteral("parameter")).toString(), QStringLiteral("ids"));
        QCOMPARE(clientReading(r).kind, Kind::InvalidRequest);
        QCOMPARE(m_server->activitySubscriptions().size(), demo::activitySubscriptionCount);
    }

    void shouldDeleteAHundredAtOnce()
    {
        m_server->addActivitySubscriptions(200);
        QStringList ids;
        const QList<ActivitySubscription> all = m_server->activitySubscriptions();
        for (int i = 0; i < 100; ++i)
            ids.append(all.at(i).id);
        auto api = apiClient();
        const Result<ActivityBulkDeleteResult> bulk = removeMany(*api, ids);
        VERIFY_OK(bulk);
        QCOMPARE(bulk.value().deleted, ids);
        QVERIFY(bulk.value().errors.isEmpty());
        QCOMPARE(bulk.value().remaining, std::optional<qint64>(103));
    }

    // --- list ---

    void shouldPageThroughEverySubscriptionOnce()
    {
        m_server->addActivitySubscriptions(2500 - demo::activitySubscriptionCount);
        auto api = apiClient();
        QStringList seen;
        QString token;
        int pages = 0;
        do {
            const Result<ActivitySubscriptionPage> p = page(*api, token, 1000);
            VERIFY_OK(p);
            ++pages;
            QCOMPARE(p.value().totalSubscriptions, std::optional<qint64>(2500));
            QCOMPARE(p.value().resultCount, std::optional<qint64>(p.value().subscriptions.size()));
            for (const ActivitySubscription &s : p.value().subscriptions)
                seen.append(s.id);
            token = p.value().nextToken;
            QVERIFY(token.isEmpty() || token.size() >= 16);
        } while (!token.isEmpty() && pages < 10);
        QCOMPARE(pages, 3);
        QCOMPARE(seen.size(), 2500);
        QStringList expected;
        for (const ActivitySubscription &s : m_server->activitySubscriptions())
            expected.append(s.id);
        QCOMPARE(seen, expected); // each once, in creation order
    }

    void shouldListAThousandByDefault()
    {
        m_server->addActivitySubscriptions(1200);
        auto api = apiClient();
        const Result<ActivitySubscriptionPage> first = page(*api);
        VERIFY_OK(first);
        QCOMPARE(first.value().subscriptions.size(), 1000);
        QVERIFY(!first.value().nextToken.isEmpty());
        const Result<ActivitySubscriptionPage> exact = page(*api, {}, 5);
        VERIFY_OK(exact);
        QCOMPARE(exact.value().subscriptions.size(), 5);
    }

    void shouldRefuseBadListParameters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("parameter");
        QTest::newRow("max_results 0") << QStringLiteral("max_results=0") << QStringLiteral("max_results");
        QTest::newRow("max_results 1001")
            << QStringLiteral("max_results=1001") << QStringLiteral("max_results");
        QTest::newRow("max_results x") << QStringLiteral("max_results=x") << QStringLiteral("max_results");
        QTest::newRow("token too short")
            << QStringLiteral("pagination_token=ABC") << QStringLiteral("pagination_token");
        QTest::newRow("token not handed out")
            << QStringLiteral("pagination_token=0000000000000000") << QStringLiteral("pagination_token");
        QTest::newRow("token not base32hex")
            << QStringLiteral("pagination_token=zzzzzzzzzzzzzzzz") << QStringLiteral("pagination_token");
    }
    void shouldRefuseBadListParameters()
    {
        QFETCH(QString, query);
        QFETCH(QString, parameter);
        const Response r = m_client->bearer("GET", subscriptionsPath + QLatin1Char('?') + query);
        QCOMPARE(r.status, 400);
        QCOMPARE(problemType(r), QStringLiteral("invalid-request"));
        QCOMPARE(r.object().value(QStringLiteral("parameter")).toString(), parameter);
        const ApiError error = clientReading(r);
        QCOMPARE(error.kind, Kind::InvalidRequest);
        QVERIFY2(error.cause.contains(parameter), qPrintable(error.cause));
    }

    void shouldRefuseATamperedToken()
    {
        m_server->addActivitySubscriptions(10);
        const Response first = m_client->bearer("GET", subscriptionsPath + QStringLiteral("?max_results=2"));
        QString token = first.object()
                            .value(QStringLiteral("meta"))
                            .toObject()
                            .value(QStringLiteral("next_token"))
                            .toString();
        QCOMPARE(token.size(), 16);
        QCOMPARE(m_client
                     ->bearer("GET",
                              subscriptionsPath + QStringLiteral("?max_results=2&pagination_token=") + token)
                     .status,
                 200);
        token[5] = token.at(5) == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
        QCOMPARE(m_client
                     ->bearer("GET",
                              subscriptionsPath + QStringLiteral("?max_results=2&pagination_token=") + token)
                     .status,
                 400);
    }

    // --- answer shapes ---

    void shouldParseEveryAnswerShapeToTheSameValues_data()
    {
        QTest::addColumn<ActivityAnswerShape>("shape");
        QTest::addColumn<bool>("totals"); // create and delete carry the count
        QTest::newRow("spec 2.167") << ActivityAnswerShape::Spec2167 << false;
        QTest::newRow("spec 2.166") << ActivityAnswerShape::Spec2166 << true;
        QTest::newRow("quickstart") << ActivityAnswerShape::Quickstart << true;
    }
    void shouldParseEveryAnswerShapeToTheSameValues()
    {
        QFETCH(ActivityAnswerShape, shape);
        QFETCH(bool, totals);
        m_server->setActivityAnswerShape(shape);
        auto api = apiClient();
        ActivitySubscriptionRequest wanted = request(QStringLiteral("like.create"), demo::bob.id,
                                                     demo::validWebhookId, QStringLiteral("bob likes"));
        wanted.filter.direction = QStringLiteral("outbound");
        const UserCredentials bob =
            oauth2User(demo::bob, {QStringLiteral("tweet.read"), QStringLiteral("like.read")});
        const Result<ActivitySubscriptionChange> made = create(*api, wanted, bob);
        VERIFY_OK(made);
        const ActivitySubscription s = made.value().subscription;
        const ActivitySubscription held = *m_server->activitySubscription(s.id);
        QCOMPARE(s.id, held.id);
        QCOMPARE(s.eventType, QStringLiteral("like.create"));
        QCOMPARE(s.filter, wanted.filter);
        QCOMPARE(s.tag, wanted.tag);
        QCOMPARE(s.webhookId, wanted.webhookId);
        QCOMPARE(s.createdAt, held.createdAt);
        QCOMPARE(s.updatedAt, held.updatedAt);
        QCOMPARE(made.value().totalSubscriptions.has_value(), totals);
        if (totals)
            QCOMPARE(*made.value().totalSubscriptions, qint64(4));

        ActivitySubscriptionUpdate change;
        change.tag = QStringLiteral("retagged");
        const Result<ActivitySubscriptionChange> updated = update(*api, s.id, change);
        VERIFY_OK(updated);
        QCOMPARE(updated.value().subscription.id, s.id);
        QCOMPARE(updated.value().subscription.tag, QStringLiteral("retagged"));
        QCOMPARE(updated.value().subscription.filter, wanted.filter);
        QCOMPARE(updated.value().totalSubscriptions, std::optional<qint64>(4)); // every shape has it

        const Result<ActivityDeleteResult> deleted = remove(*api, s.id);
        VERIFY_OK(deleted);
        QVERIFY(deleted.value().deleted);
        QCOMPARE(deleted.value().remaining.has_value(), totals);
        if (totals)
            QCOMPARE(*deleted.value().remaining, qint64(3));
    }

    // --- rate limits ---

    void shouldRateLimitUnderTheCatalogueKeys_data()
    {
        QTest::addColumn<Operation>("op");
        QTest::newRow("create") << Operation::CreateActivitySubscription;
        QTest::newRow("list") << Operation::ListActivitySubscriptions;
        QTest::newRow("update") << Operation::UpdateActivitySubscription;
        QTest::newRow("delete") << Operation::DeleteActivitySubscription;
    }
    void shouldRateLimitUnderTheCatalogueKeys()
    {
        QFETCH(Operation, op);
        const activity::Endpoint *endpoint = endpoints::find(op, ApiGeneration::V2);
        QVERIFY(endpoint);
        QCOMPARE(endpoint->documentedLimitPer15Min, 500);
        // The documented limit is in force before anything is set.
        const Response before = m_client->bearer("GET", subscriptionsPath);
        if (op == Operation::ListActivitySubscriptions)
            QCOMPARE(before.header("x-rate-limit-limit"), QByteArray("500"));
        m_server->setRateLimit(endpoint->rateLimitKey, 2, 15min);
        auto api = apiClient();
        const auto call = [&](int n) -> Result<activity::Done> {
            const QString id = m_server->activitySubscriptions().at(n % 3).id;
            switch (op) {
            case Operation::CreateActivitySubscription: {
                const auto r = create(*api, request(QStringLiteral("post.delete"), QString::number(100 + n)));
                return r.ok() ? Result<activity::Done>(activity::Done {}) : Result<activity::Done>(r.error());
            }
            case Operation::ListActivitySubscriptions: {
                const auto r = page(*api);
                return r.ok() ? Result<activity::Done>(activity::Done {}) : Result<activity::Done>(r.error());
            }
            case Operation::UpdateActivitySubscription: {
                ActivitySubscriptionUpdate change;
                change.tag = QString::number(n);
                const auto r = update(*api, id, change);
                return r.ok() ? Result<activity::Done>(activity::Done {}) : Result<activity::Done>(r.error());
            }
            default: {
                m_server->addActivitySubscriptions(1);
                const auto r = remove(*api, m_server->activitySubscriptions().last().id);
                return r.ok() ? Result<activity::Done>(activity::Done {}) : Result<activity::Done>(r.error());
            }
            }
        };
        VERIFY_OK(call(0));
        VERIFY_OK(call(1));
        const Result<activity::Done> third = call(2);
        QVERIFY(!third.ok());
        QCOMPARE(third.error().httpStatus, 429);
        QCOMPARE(third.error().kind, Kind::RateLimited);
        QVERIFY(third.error().retryAt.isValid());
        QCOMPARE(m_server->journal().entries().last().endpointKey, endpoint->rateLimitKey);
    }
};

QTEST_GUILESS_MAIN(TestSandboxActivity)
#include "tst_sandbox_activity.moc"
