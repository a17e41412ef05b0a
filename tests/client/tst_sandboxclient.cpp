// The client against an in-process SandboxServer on 127.0.0.1: every operation in both API
// generations, success and the error paths the sandbox produces, and a whole session checked for
// leaked secrets in the request log and copy-as-curl.
#include "ApiClient.h"
#include "EndpointCatalogue.h"
#include "ReplayJournal.h"
#include "RequestBuilder.h"
#include "RequestLog.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "Validation.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>
#include <QtTest>

#include <memory>
#include <optional>

using namespace activity;
using namespace std::chrono_literals;
namespace demo = activity::sandbox::demo;

Q_DECLARE_METATYPE(activity::ApiGeneration)

// Evaluates `result` once: it is often a call that sends a request.
#define VERIFY_OK(result)                                                                                    \
    do {                                                                                                     \
        const auto &verified = (result);                                                                     \
        QVERIFY2(verified.ok(), verified.ok() ? "" : qPrintable(verified.error().text()));                   \
    } while (false)

namespace {

// Starts a call with a callback and waits (processing events) until the callback ran.
template<typename T, typename Start> Result<T> run(Start start)
{
    std::optional<Result<T>> out;
    int calls = 0;
    start([&](const Result<T> &result) {
        ++calls;
        out.emplace(result);
    });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 15000)) {
        return ApiError::make(ApiError::Kind::Timeout,
                              QStringLiteral("The test gave up waiting for the callback."));
    }
    return *out;
}

UserCredentials userOf(const demo::User &user)
{
    return UserCredentials {user.token, user.tokenSecret, user.id, user.username};
}

const QString unknownWebhook = QStringLiteral("1999999999999999999");

// Replay works in whole minutes.
QDateTime wholeMinute(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    return QDateTime(utc.date(), QTime(utc.time().hour(), utc.time().minute()), Qt::UTC);
}

} // namespace

class TestSandboxClient : public QObject
{
    Q_OBJECT

    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;

    AppCredentials demoCredentials(bool withBearer = false) const
    {
        return AppCredentials {demo::consumerKey, demo::consumerSecret, demo::ownerToken,
                               demo::ownerTokenSecret, withBearer ? demo::bearerToken : QByteArray()};
    }

    std::unique_ptr<ApiClient> client(ApiGeneration generation, AppCredentials credentials)
    {
        ClientConfig config;
        config.baseUrl = m_server->baseUrl();
        config.allowInsecureLoopback = true; // the sandbox, on plain http
        config.generation = generation;
        config.transferTimeout = 10s;
        config.backoffBase = 1ms;
        sandbox::SandboxServer *server = m_server.get();
        config.clock = [server] { return server->now(); };
        return std::make_unique<ApiClient>(m_network.get(), config, std::move(credentials));
    }

    std::unique_ptr<ApiClient> client(ApiGeneration generation)
    {
        return client(generation, demoCredentials());
    }

    static void addGenerations()
    {
        QTest::addColumn<ApiGeneration>("generation");
        QTest::newRow("v1.1") << ApiGeneration::V1_1;
        QTest::newRow("v2") << ApiGeneration::V2;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
        m_network = std::make_unique<QNetworkAccessManager>();
    }

    void cleanup()
    {
        m_network.reset();
        m_server.reset();
    }

    // ---- webhooks ------------------------------------------------------------------------

    void shouldListWebhooks_data() { addGenerations(); }
    void shouldListWebhooks()
    {
        QFETCH(ApiGeneration, generation);
        auto api = client(generation);
        const auto result = run<QList<Webhook>>([&](auto done) { api->listWebhooks(this, done); });
        VERIFY_OK(result);
        QCOMPARE(result.value().size(), 2);
        QStringList ids;
        for (const Webhook &w : result.value())
            ids.append(w.id);
        QVERIFY(ids.contains(demo::validWebhookId));
        QVERIFY(ids.contains(demo::invalidWebhookId));
        // The bearer token was fetched once with oauth2/token and then used.
        QVERIFY(api->hasBearerToken());
        QCOMPARE(api->requestLog()->entries().constFirst().operation, QStringLiteral("oauth2.token"));
    }

    void shouldRegisterValidateAndDeleteAWebhook_data() { addGenerations(); }
    void shouldRegisterValidateAndDeleteAWebhook()
    {
        QFETCH(ApiGeneration, generation);
        auto api = client(generation);
        const QString url = m_server->demoReceiverUrl(QStringLiteral("second"));
        const auto registered = run<Webhook>([&](auto done) { api->registerWebhook(url, this, done); });
        VERIFY_OK(registered);
        QVERIFY(!registered.value().id.isEmpty());
        QCOMPARE(registered.value().url, url);
        QVERIFY(registered.value().valid);
        QVERIFY(m_server->webhook(registered.value().id));

        const auto validated =
            run<bool>([&](auto done) { api->validateWebhook(registered.value().id, this, done); });
        VERIFY_OK(validated);
        QVERIFY(validated.value());

        const auto deleted =
            run<Done>([&](auto done) { api->deleteWebhook(registered.value().id, this, done); });
        VERIFY_OK(deleted);
        QVERIFY(!m_server->webhook(registered.value().id));
    }

    void shouldReportAnUnknownWebhook_data() { addGenerations(); }
    void shouldReportAnUnknownWebhook()
    {
        QFETCH(ApiGeneration, generation);
        auto api = client(generation);
        const auto validated =
            run<bool>([&](auto done) { api->validateWebhook(unknownWebhook, this, done); });
        QVERIFY(!validated.ok());
        QCOMPARE(validated.error().kind, ApiError::Kind::NotFound);
        if (generation == ApiGeneration::V1_1)
            QCOMPARE(validated.error().code, 34);
        else
            QCOMPARE(validated.error().name, QStringLiteral("WebhookIdInvalid"));

        const auto deleted = run<Done>([&](auto done) { api->deleteWebhook(unknownWebhook, this, done); });
        QCOMPARE(deleted.error().kind, ApiError::Kind::NotFound);
        const auto listed =
            run<SubscriptionList>([&](auto done) { api->listSubscriptions(unknownWebhook, this, done); });
        QCOMPARE(listed.error().kind, ApiError::Kind::NotFound);
    }

    void shouldReportTheWebhookQuota_data() { addGenerations(); }
    void shouldReportTheWebhookQuota()
    {
        QFETCH(ApiGeneration, generation);
        m_server->setWebhookLimit(2); // the demo world has two already
        auto api = client(generation);
        const auto registered = run<Webhook>([&](auto done) {
            api->registerWebhook(m_server->demoReceiverUrl(QStringLiteral("third")), this, done);
        });
        QVERIFY(!registered.ok());
        QCOMPARE(registered.error().kind, ApiError::Kind::QuotaExceeded);
        QVERIFY(!registered.error().remedy.isEmpty());
    }

    void shouldReportAWrongConsumerSecret_data() { addGenerations(); }
    void shouldReportAWrongConsumerSecret()
    {
        QFETCH(ApiGeneration, generation);
        AppCredentials wrong = demoCredentials(true);
        wrong.consumerSecret = "not-the-consumer-secret";
        auto api = client(generation, wrong);
        // v1.1 register is signed with OAuth 1.0a (app owner); v2's is bearer, so use subscribe.
        const auto result = generation == ApiGeneration::V1_1
            ? run<Done>([&](auto done) {
                  api->registerWebhook(m_server->demoReceiverUrl(QStringLiteral("x")), this,
                                       [done](const Result<Webhook> &r) {
                                           done(r.ok() ? Result<Done>(Done {}) : Result<Done>(r.error()));
                                       });
              })
            : run<Done>(
                  [&](auto done) { api->subscribe(demo::validWebhookId, userOf(demo::bob), this, done); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ApiError::Kind::Authentication);
        QCOMPARE(result.error().httpStatus, 401);
        if (generation == ApiGeneration::V1_1)
            QCOMPARE(result.error().code, 32);
    }

    void shouldReportABearerTokenOnAUserEndpoint_data() { addGenerations(); }
    void shouldReportABearerTokenOnAUserEndpoint()
    {
        // The client never does this itself; the error path is checked by sending the check
        // subscription call with app-only auth through the same call object.
        QFETCH(ApiGeneration, generation);
        Endpoint misused = *endpoints::find(Operation::CheckSubscription, generation);
        misused.credential = CredentialKind::AppOnly;
        RequestLog log;
        RateLimits limits(generation);
        CallEnvironment env;
        env.network = m_network.get();
        env.log = &log;
        env.rateLimits = &limits;
        auto *call = new ApiCall(misused, env, this);
        QSignalSpy replied(call, &ApiCall::replied);
        call->start([&] {
            RequestCredentials c;
            c.kind = CredentialKind::AppOnly;
            c.bearerToken = demo::bearerToken;
            return requests::build(misused, m_server->baseUrl(), requests::webhook(demo::validWebhookId), c);
        });
        QVERIFY(replied.wait());
        const ApiReply reply = replied.first().first().value<ApiReply>();
        QCOMPARE(reply.httpStatus, 403);
        if (generation == ApiGeneration::V1_1) {
            QCOMPARE(reply.error.kind, ApiError::Kind::Permission);
            QCOMPARE(reply.error.code, 220);
        } else {
            // v2's problem type unsupported-authentication says what is wrong: the kind of credential.
            QCOMPARE(reply.error.kind, ApiError::Kind::Authentication);
            QVERIFY2(reply.error.remedy.contains(QLatin1String("user's token")),
                     qPrintable(reply.error.remedy));
        }
    }

    void shouldDropAnInvalidBearerToken_data() { addGenerations(); }
    void shouldDropAnInvalidBearerToken()
    {
        QFETCH(ApiGeneration, generation);
        AppCredentials stale = demoCredentials();
        stale.bearerToken = "AAAAAAAAAAAAAAAAAAAAAstale-bearer-token";
        auto api = client(generation, stale);
        const auto refused = run<SubscriptionCount>([&](auto done) { api->subscriptionCount(this, done); });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ApiError::Kind::Authentication);
        QVERIFY(!api->hasBearerToken());
        // The next call fetches a fresh one with the consumer key and secret.
        const auto counted = run<SubscriptionCount>([&](auto done) { api->subscriptionCount(this, done); });
        VERIFY_OK(counted);
    }

    // ---- subscriptions -------------------------------------------------------------------

    void shouldSubscribeCheckAndUnsubscribe_data() { addGenerations(); }
    void shouldSubscribeCheckAndUnsubscribe()
    {
        QFETCH(ApiGeneration, generation);
        auto api = client(generation);
        const UserCredentials bob = userOf(demo::bob);

        const auto before =
            run<bool>([&](auto done) { api->checkSubscription(demo::validWebhookId, bob, this, done); });
        VERIFY_OK(before);
        QVERIFY(!before.value());

        const auto subscribed =
            run<Done>([&](auto done) { api->subscribe(demo::validWebhookId, bob, this, done); });
        VERIFY_OK(subscribed);
        QVERIFY(m_server->isSubscribed(demo::validWebhookId, demo::bob.id));

        const auto after =
            run<bool>([&](auto done) { api->checkSubscription(demo::validWebhookId, bob, this, done); });
        VERIFY_OK(after);
        QVERIFY(after.value());

        const auto duplicate =
            run<Done>([&](auto done) { api->subscribe(demo::validWebhookId, bob, this, done); });
        QVERIFY(!duplicate.ok());
        QCOMPARE(duplicate.error().kind, ApiError::Kind::Conflict);

        const auto removed =
            run<Done>([&](auto done) { api->unsubscribe(demo::validWebhookId, demo::bob.id, this, done); });
        VERIFY_OK(removed);
        QVERIFY(!m_server->isSubscribed(demo::validWebhookId, demo::bob.id));

        const auto notThere =
            run<Done>([&](auto done) { api->unsubscribe(demo::validWebhookId, demo::bob.id, this, done); });
        QVERIFY(!notThere.ok());
        QCOMPARE(notThere.error().kind, ApiError::Kind::NotFound);
    }

    void shouldTellNotSubscribedApartFromAnUnknownWebhook_data() { addGenerations(); }
    void shouldTellNotSubscribedApartFromAnUnknownWebhook()
    {
        QFETCH(ApiGeneration, generation);
        auto api = client(generation);
        const auto carol = run<bool>([&](auto done) {
            api->checkSubscription(demo::validWebhookId, userOf(demo::carol), this, done);
        });
        VERIFY_OK(carol);
        QVERIFY(!carol.value());
        const auto alice = run<bool>([&](auto done) {
            api->checkSubscription(demo::validWebhookId, userOf(demo::alice), this, done);
        });
        VERIFY_OK(alice);
        QVERIFY(alice.value());
        const auto unknown = run<bool>(
            [&](auto done) { api->checkSubscription(unknownWebhook, userOf(demo::carol), this, done); });
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().kind, ApiError::Kind::NotFound);
    }

    void shouldReportAUserWhoDidNotAllowSubscriptions_data() { addGenerations(); }
    void shouldReportAUserWhoDidNotAllowSubscriptions()
    {
        QFETCH(ApiGeneration, generation);
        auto api = client(generation);
        const auto result = run<Done>(
            [&](auto done) { api->subscribe(demo::validWebhookId, userOf(demo::eve), this, done); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ApiError::Kind::Permission);
        if (generation == ApiGeneration::V1_1)
            QCOMPARE(result.error().code, 348);
    }

    void shouldReportTheSubscriptionQuota_data() { addGenerations(); }
    void shouldReportTheSubscriptionQuota()
    {
        QFETCH(ApiGeneration, generation);
        m_server->setProvisionedSubscriptions(m_server->subscriptionCount());
        auto api = client(generation);
        const auto result = run<Done>(
            [&](auto done) { api->subscribe(demo::validWebhookId, userOf(demo::carol), this, done); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ApiError::Kind::QuotaExceeded);
    }

    void shouldCountAndListSubscriptions_data() { addGenerations(); }
    void shouldCountAndListSubscriptions()
    {
        QFETCH(ApiGeneration, generation);
        auto api = client(generation);
        const auto count = run<SubscriptionCount>([&](auto done) { api->subscriptionCount(this, done); });
        VERIFY_OK(count);
        QCOMPARE(count.value().subscriptionsAll, qint64(demo::seededSubscriberCount + 1));
        QCOMPARE(count.value().provisioned, qint64(demo::provisionedSubscriptions));
        QCOMPARE(count.value().accountName, demo::accountName);

        const auto list = run<SubscriptionList>(
            [&](auto done) { api->listSubscriptions(demo::validWebhookId, this, done); });
        VERIFY_OK(list);
        QCOMPARE(list.value().userIds.size(), demo::seededSubscriberCount + 1);
        QVERIFY(list.value().userIds.contains(demo::alice.id));
    }

    void shouldUnsubscribeSelfOnlyOnV1()
    {
        auto v1 = client(ApiGeneration::V1_1);
        const auto removed = run<Done>(
            [&](auto done) { v1->unsubscribeSelf(demo::validWebhookId, userOf(demo::alice), this, done); });
        VERIFY_OK(removed);
        QVERIFY(!m_server->isSubscribed(demo::validWebhookId, demo::alice.id));
        const auto again = run<Done>(
            [&](auto done) { v1->unsubscribeSelf(demo::validWebhookId, userOf(demo::alice), this, done); });
        QCOMPARE(again.error().kind, ApiError::Kind::NotFound);

        auto v2 = client(ApiGeneration::V2);
        m_server->clearJournal();
        const auto refused = run<Done>(
            [&](auto done) { v2->unsubscribeSelf(demo::validWebhookId, userOf(demo::bob), this, done); });
        QCOMPARE(refused.error().kind, ApiError::Kind::Validation);
        QVERIFY(m_server->journal().isEmpty());
    }

    // ---- replay --------------------------------------------------------------------------

    void shouldStartAReplayAndReportAConflict_data() { addGenerations(); }
    void shouldStartAReplayAndReportAConflict()
    {
        QFETCH(ApiGeneration, generation);
        auto api = client(generation);
        const QDateTime now = wholeMinute(m_server->now());
        const QDateTime from = now.addSecs(-3 * 3600);
        const QDateTime to = now.addSecs(-3600);
        const auto job =
            run<ReplayJob>([&](auto done) { api->replay(demo::validWebhookId, from, to, this, done); });
        VERIFY_OK(job);
        QVERIFY(!job.value().jobId.isEmpty());
        QVERIFY(m_server->hasRunningReplay(demo::validWebhookId));

        const auto second =
            run<ReplayJob>([&](auto done) { api->replay(demo::validWebhookId, from, to, this, done); });
        QVERIFY(!second.ok());
        QCOMPARE(second.error().kind, ApiError::Kind::Conflict);
    }

    void shouldRefuseAReplayOfAnInvalidWebhook_data() { addGenerations(); }
    void shouldRefuseAReplayOfAnInvalidWebhook()
    {
        QFETCH(ApiGeneration, generation);
        auto api = client(generation);
        const QDateTime now = wholeMinute(m_server->now());
        const auto job = run<ReplayJob>([&](auto done) {
            api->replay(demo::invalidWebhookId, now.addSecs(-3 * 3600), now.addSecs(-3600), this, done);
        });
        QVERIFY(!job.ok());
        QCOMPARE(job.error().kind, ApiError::Kind::CrcFailed);
    }

    void shouldCheckTheReplayWindowBeforeSending_data() { addGenerations(); }
    void shouldCheckTheReplayWindowBeforeSending()
    {
        QFETCH(ApiGeneration, generation);
        // A moved sandbox clock: the client's checks use the same injected "now".
        m_server->setNow(QDateTime(QDate(2025, 4, 24), QTime(22, 0), Qt::UTC));
        auto api = client(generation);
        m_server->clearJournal();
        const QDateTime now = wholeMinute(m_server->now());
        const auto tooOld = run<ReplayJob>([&](auto done) {
            api->replay(demo::validWebhookId, now.addDays(-6), now.addDays(-6).addSecs(3600), this, done);
        });
        QCOMPARE(tooOld.error().kind, ApiError::Kind::Validation);
        const auto backwards = run<ReplayJob>([&](auto done) {
            api->replay(demo::validWebhookId, now.addSecs(-3600), now.addSecs(-7200), this, done);
        });
        QCOMPARE(backwards.error().kind, ApiError::Kind::Validation);
        QVERIFY(m_server->journal().isEmpty());

        if (generation == ApiGeneration::V1_1) {
            // v1.1: to_date must be at least 10 minutes in the past.
            const auto tooRecent = run<ReplayJob>([&](auto done) {
                api->replay(demo::validWebhookId, now.addSecs(-3600), now.addSecs(-60), this, done);
            });
            QCOMPARE(tooRecent.error().kind, ApiError::Kind::Validation);
            QVERIFY(m_server->journal().isEmpty());
        }
    }

    void shouldReplayV2ThroughTheWebhooksEndpointOnly()
    {
        auto v2 = client(ApiGeneration::V2);
        m_server->clearJournal();
        const QDateTime now = wholeMinute(m_server->now());
        const auto job = run<ReplayJob>([&](auto done) {
            v2->replay(demo::validWebhookId, now.addSecs(-7200), now.addSecs(-3600), this, done);
        });
        VERIFY_OK(job);
        QVERIFY(!job.value().jobId.isEmpty());
        QVERIFY(job.value().createdAt.isValid());
        const testing::ReplayTraffic traffic = testing::replayTraffic(m_server->journal());
        QCOMPARE(traffic.current, 1);
        QCOMPARE(traffic.retired, 0);
        // The request log names the current operation, and its body carries all three fields.
        const RequestLogEntry logged = v2->requestLog()->entries().constLast();
        QCOMPARE(logged.operation, QStringLiteral("replay.webhooks"));
        const QJsonObject body = QJsonDocument::fromJson(logged.requestBody).object();
        QCOMPARE(body.value(QStringLiteral("webhook_id")).toString(), demo::validWebhookId);
        QCOMPARE(body.value(QStringLiteral("from_date")).toString(),
                 validate::formatReplayTime(now.addSecs(-7200)));
        QCOMPARE(body.value(QStringLiteral("to_date")).toString(),
                 validate::formatReplayTime(now.addSecs(-3600)));

        const auto conflict = run<ReplayJob>([&](auto done) {
            v2->replay(demo::validWebhookId, now.addSecs(-7200), now.addSecs(-3600), this, done);
        });
        QCOMPARE(conflict.error().kind, ApiError::Kind::Conflict);
        QCOMPARE(conflict.error().name, QStringLiteral("ReplayConflictError"));
    }

    void shouldCheckTheV2ReplayWindowBeforeSending_data()
    {
        QTest::addColumn<int>("fromMinutesAgo");
        QTest::addColumn<int>("toMinutesAgo");
        QTest::addColumn<QString>("causeMentions");
        QTest::newRow("older than 24 hours") << 24 * 60 + 1 << 60 << QStringLiteral("24 hours");
        QTest::newRow("start less than 31 minutes ago") << 30 << 15 << QStringLiteral("31 minutes");
        QTest::newRow("end less than 10 minutes ago") << 60 << 9 << QStringLiteral("10 minutes");
        QTest::newRow("empty window") << 60 << 60 << QStringLiteral("before the end");
    }
    void shouldCheckTheV2ReplayWindowBeforeSending()
    {
        QFETCH(int, fromMinutesAgo);
        QFETCH(int, toMinutesAgo);
        QFETCH(QString, causeMentions);
        auto v2 = client(ApiGeneration::V2);
        m_server->clearJournal();
        const QDateTime now = wholeMinute(m_server->now());
        const auto refused = run<ReplayJob>([&](auto done) {
            v2->replay(demo::validWebhookId, now.addSecs(-60 * fromMinutesAgo),
                       now.addSecs(-60 * toMinutesAgo), this, done);
        });
        QCOMPARE(refused.error().kind, ApiError::Kind::Validation);
        QVERIFY2(refused.error().cause.contains(causeMentions), qPrintable(refused.error().cause));
        QVERIFY(m_server->journal().isEmpty());
    }

    void shouldExplainARetiredEndpoint()
    {
        // An old script or a rewriting proxy still calls the retired v2 replay: the sandbox answers
        // 404 as X does for a removed path, and the call says what replaced it.
        auto v2 = client(ApiGeneration::V2);
        Endpoint retired = *endpoints::find(Operation::ReplayWebhooks, ApiGeneration::V2);
        retired.pathTemplate =
            QStringLiteral("/2/account_activity/replay/webhooks/{webhook_id}/subscriptions/all");
        retired.params = ParamPlacement::Query;
        CallEnvironment env;
        env.network = m_network.get();
        auto *call = new ApiCall(retired, env, this);
        QSignalSpy replied(call, &ApiCall::replied);
        const QDateTime now = wholeMinute(m_server->now());
        RequestCredentials credentials;
        credentials.kind = CredentialKind::AppOnly;
        credentials.bearerToken = demo::bearerToken;
        call->start([&, retired, now, credentials]() {
            return requests::build(
                retired, m_server->baseUrl(),
                requests::replayAccountActivity(demo::validWebhookId, now.addSecs(-7200), now.addSecs(-3600)),
                credentials);
        });
        QVERIFY(replied.wait(10000));
        const ApiReply reply = replied.at(0).at(0).value<ApiReply>();
        QCOMPARE(reply.httpStatus, 404);
        QCOMPARE(reply.error.kind, ApiError::Kind::NotFound);
        QVERIFY2(reply.error.cause.contains(QLatin1String("retired")), qPrintable(reply.error.cause));
        QVERIFY2(reply.error.cause.contains(QLatin1String("2026-03-25")), qPrintable(reply.error.cause));
        QVERIFY2(reply.error.remedy.contains(QLatin1String("POST /2/webhooks/replay")),
                 qPrintable(reply.error.remedy));
        QVERIFY(!m_server->hasRunningReplay(demo::validWebhookId));
    }

    void shouldRefuseALongV2UrlBeforeSendingAndInTheSandbox()
    {
        auto v2 = client(ApiGeneration::V2);
        m_server->clearJournal();
        const QString url = QStringLiteral("https://hooks.example.com/") + QString(175, QLatin1Char('a'));
        QCOMPARE(url.size(), 201);
        const auto refused = run<Webhook>([&](auto done) { v2->registerWebhook(url, this, done); });
        QCOMPARE(refused.error().kind, ApiError::Kind::Validation);
        QVERIFY2(refused.error().cause.contains(QLatin1String("at most 200")),
                 qPrintable(refused.error().cause));
        QVERIFY(m_server->journal().isEmpty());
        // v1.1 keeps its own, larger limit.
        QVERIFY(!validate::webhookUrl(url, validate::UrlPolicy::XRules, ApiGeneration::V1_1).has_value());
    }

    void shouldSucceedOnlyWhenXConfirmsTheSubscription_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("pathPattern");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("expectedKind");
        const QString subscribe = QStringLiteral("/2/account_activity/webhooks/*/subscriptions/all");
        const QString unsubscribe = QStringLiteral("/2/account_activity/webhooks/*/subscriptions/*/all");
        const int notConfirmed = int(ApiError::Kind::NotConfirmed);
        QTest::newRow("subscribe: subscribed false")
            << QByteArray("POST") << subscribe << QByteArray("{\"data\":{\"subscribed\":false}}")
            << notConfirmed;
        QTest::newRow("subscribe: empty body")
            << QByteArray("POST") << subscribe << QByteArray() << notConfirmed;
        QTest::newRow("subscribe: errors only")
            << QByteArray("POST") << subscribe
            << QByteArray(
                   "{\"errors\":[{\"title\":\"Invalid "
                   "Request\",\"type\":\"https://api.x.com/2/problems/"
                   "invalid-request\",\"detail\":\"DuplicateSubscriptionFailed: already subscribed\"}]}")
            << int(ApiError::Kind::Conflict);
        QTest::newRow("unsubscribe: still subscribed")
            << QByteArray("DELETE") << unsubscribe << QByteArray("{\"data\":{\"subscribed\":true}}")
            << notConfirmed;
        QTest::newRow("unsubscribe: confirmed")
            << QByteArray("DELETE") << unsubscribe << QByteArray("{\"data\":{\"subscribed\":false}}")
            << int(ApiError::Kind::None);
        QTest::newRow("subscribe: confirmed")
            << QByteArray("POST") << subscribe << QByteArray("{\"data\":{\"subscribed\":true}}")
            << int(ApiError::Kind::None);
    }
    void shouldSucceedOnlyWhenXConfirmsTheSubscription()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, pathPattern);
        QFETCH(QByteArray, body);
        QFETCH(int, expectedKind);
        auto v2 = client(ApiGeneration::V2);
        m_server->faults().forNext(1, method, pathPattern, sandbox::Fault::answer(200, body));
        const auto result = run<Done>([&](auto done) {
            if (method == "POST")
                v2->subscribe(demo::validWebhookId, userOf(demo::bob), this, done);
            else
                v2->unsubscribe(demo::validWebhookId, demo::alice.id, this, done);
        });
        if (expectedKind == int(ApiError::Kind::None)) {
            VERIFY_OK(result);
            return;
        }
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error().kind), expectedKind);
        QVERIFY(!result.error().cause.isEmpty());
        QVERIFY(!result.error().remedy.isEmpty());
    }

    void shouldCarryErrorsThatArriveNextToData()
    {
        auto v2 = client(ApiGeneration::V2);
        // The sandbox itself answers users lookup with data for known ids and errors for the rest.
        const auto users = run<QList<UserInfo>>([&](auto done) {
            v2->lookupUsers({demo::bob.id, QStringLiteral("42")}, this, done);
        });
        VERIFY_OK(users);
        QCOMPARE(users.value().size(), 1);
        QVERIFY(users.isPartial());
        QCOMPARE(users.partialErrors().size(), 1);
        QCOMPARE(users.partialErrors().first().kind, ApiError::Kind::NotFound);
        QVERIFY2(users.partialErrors().first().cause.contains(QLatin1String("42")),
                 qPrintable(users.partialErrors().first().cause));

        // A write that succeeded partly stays a success, with the problems attached.
        m_server->faults().forNext(
            1, "GET", QStringLiteral("/2/webhooks"),
            sandbox::Fault::answer(200,
                                   "{\"data\":[{\"id\":\"1\",\"url\":\"https://a.example.com/"
                                   "h\",\"valid\":true}],\"errors\":[{\"title\":\"Field Hydration "
                                   "Failure\",\"type\":\"https://api.x.com/2/problems/"
                                   "field-hydration-failure\",\"detail\":\"Could not hydrate "
                                   "created_at.\",\"field\":\"created_at\"}]}"));
        const auto hooks = run<QList<Webhook>>([&](auto done) { v2->listWebhooks(this, done); });
        VERIFY_OK(hooks);
        QCOMPARE(hooks.value().size(), 1);
        QCOMPARE(hooks.partialErrors().size(), 1);
        QCOMPARE(hooks.partialErrors().first().kind, ApiError::Kind::Server);
        QVERIFY2(hooks.partialErrors().first().cause.contains(QLatin1String("field created_at")),
                 qPrintable(hooks.partialErrors().first().cause));

        // A complete success carries none.
        const auto clean = run<QList<Webhook>>([&](auto done) { v2->listWebhooks(this, done); });
        VERIFY_OK(clean);
        QVERIFY(!clean.isPartial());
    }

    // ---- users ---------------------------------------------------------------------------

    void shouldLookUpUsers_data() { addGenerations(); }
    void shouldLookUpUsers()
    {
        QFETCH(ApiGeneration, generation);
        auto api = client(generation);
        const auto users = run<QList<UserInfo>>([&](auto done) {
            api->lookupUsers({demo::alice.id, demo::bob.id, QStringLiteral("2999999999999999999")}, this,
                             done);
        });
        VERIFY_OK(users);
        QCOMPARE(users.value().size(), 2);
        QStringList names;
        for (const UserInfo &u : users.value())
            names.append(u.username);
        names.sort();
        QCOMPARE(names, (QStringList {demo::alice.username, demo::bob.username}));

        const auto nobody = run<QList<UserInfo>>(
            [&](auto done) { api->lookupUsers({QStringLiteral("2999999999999999999")}, this, done); });
        VERIFY_OK(nobody);
        QVERIFY(nobody.value().isEmpty());
    }

    // @names to ids (X Activity filters take ids): GET /2/users/by whichever generation the
    // profile uses; unknown names are left out and named in the partial errors.
    void shouldLookUpUsersByName_data() { addGenerations(); }
    void shouldLookUpUsersByName()
    {
        QFETCH(ApiGeneration, generation);
        auto api = client(generation);
        const auto users = run<QList<UserInfo>>([&](auto done) {
            api->lookupUsersByName({QLatin1Char('@') + demo::alice.username.toUpper(), demo::bob.username,
                                    QStringLiteral("nobody_here")},
                                   this, done);
        });
        VERIFY_OK(users);
        QCOMPARE(users.value().size(), 2);
        QCOMPARE(users.value().at(0).id, demo::alice.id);
        QCOMPARE(users.value().at(1).id, demo::bob.id);
        QVERIFY(users.isPartial());

        // Checked before sending: not a username.
        const auto refused = run<QList<UserInfo>>(
            [&](auto done) { api->lookupUsersByName({QStringLiteral("not a name!")}, this, done); });
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, ApiError::Kind::Validation);
        QVERIFY(refused.error().text().contains(QStringLiteral("not an X username")));
    }

    // ---- OAuth ---------------------------------------------------------------------------

    void shouldSignAUserInWithThreeLeggedOAuth()
    {
        auto api = client(ApiGeneration::V2);
        const auto temporary =
            run<OAuthTokens>([&](auto done) { api->requestToken(demo::callbackUrl, this, done); });
        VERIFY_OK(temporary);
        QVERIFY(temporary.value().callbackConfirmed);

        // What the person does in the browser: sign in as carol and allow.
        QUrl authorize = m_server->baseUrl();
        authorize.setPath(QStringLiteral("/oauth/authorize"));
        QNetworkRequest request(authorize);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        const QByteArray form = oauth1::formEncode({{"oauth_token", temporary.value().token},
                                                    {"action", "allow"},
                                                    {"username", demo::carol.username.toUtf8()},
                                                    {"password", demo::carol.password.toUtf8()}});
        QNetworkReply *reply = m_network->post(request, form);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait());
        reply->deleteLater();
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 302);
        const QUrlQuery callback(QUrl::fromEncoded(reply->rawHeader("Location")));
        const QByteArray verifier = callback.queryItemValue(QStringLiteral("oauth_verifier")).toUtf8();
        QVERIFY(!verifier.isEmpty());

        const auto wrongVerifier = run<OAuthTokens>([&](auto done) {
            api->accessToken(temporary.value().token, temporary.value().tokenSecret, "not-the-verifier", this,
                             done);
        });
        QVERIFY(!wrongVerifier.ok());

        const auto access = run<OAuthTokens>([&](auto done) {
            api->accessToken(temporary.value().token, temporary.value().tokenSecret, verifier, this, done);
        });
        VERIFY_OK(access);
        QCOMPARE(access.value().userId, demo::carol.id);
        QCOMPARE(access.value().screenName, demo::carol.username);

        // The new token subscribes carol.
        const UserCredentials carol {access.value().token, access.value().tokenSecret, access.value().userId,
                                     access.value().screenName};
        const auto subscribed =
            run<Done>([&](auto done) { api->subscribe(demo::validWebhookId, carol, this, done); });
        VERIFY_OK(subscribed);

        // Nothing of the exchange is in the log.
        for (const RequestLogEntry &entry : api->requestLog()->entries()) {
            const QByteArray all =
                entry.url.toUtf8() + entry.requestBody + entry.responseBody + entry.curl.toUtf8();
            QVERIFY(!all.contains(access.value().token));
            QVERIFY(!all.contains(access.value().tokenSecret));
            QVERIFY(!all.contains(temporary.value().tokenSecret));
            QVERIFY(!all.contains(verifier));
        }
    }

    void shouldRefuseAnUnregisteredCallback()
    {
        auto api = client(ApiGeneration::V1_1);
        const auto refused = run<OAuthTokens>([&](auto done) {
            api->requestToken(QStringLiteral("https://evil.example/callback"), this, done);
        });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().httpStatus, 403);
    }

    // ---- limits and faults ---------------------------------------------------------------

    void shouldReportTheRateLimitWithoutRetrying_data() { addGenerations(); }
    void shouldReportTheRateLimitWithoutRetrying()
    {
        QFETCH(ApiGeneration, generation);
        m_server->setRateLimit(endpoints::find(Operation::ListWebhooks, generation)->rateLimitKey, 1, 900s);
        auto api = client(generation, demoCredentials(true));
        const auto first = run<QList<Webhook>>([&](auto done) { api->listWebhooks(this, done); });
        VERIFY_OK(first);
        const RateLimitState state = api->rateLimit(Operation::ListWebhooks);
        QCOMPARE(state.limit, 1);
        QCOMPARE(state.remaining, 0);
        QVERIFY(state.resetUtc.isValid());

        m_server->clearJournal();
        const auto second = run<QList<Webhook>>([&](auto done) { api->listWebhooks(this, done); });
        QVERIFY(!second.ok());
        QCOMPARE(second.error().kind, ApiError::Kind::RateLimited);
        QCOMPARE(second.error().httpStatus, 429);
        QCOMPARE(second.error().retryAt, state.resetUtc);
        QCOMPARE(m_server->journal().size(), 1); // a 429 is never retried
    }

    void shouldRetryAGetThroughAServerHiccup()
    {
        m_server->faults().forNext(2, "GET", QStringLiteral("/2/webhooks"), sandbox::Fault::httpStatus(503));
        auto api = client(ApiGeneration::V2, demoCredentials(true));
        const auto result = run<QList<Webhook>>([&](auto done) { api->listWebhooks(this, done); });
        VERIFY_OK(result);
        QCOMPARE(api->requestLog()->entries().constLast().attempt, 3);
        QCOMPARE(m_server->journal().forPath(QStringLiteral("/2/webhooks"), "GET").size(), 3);
    }

    void shouldNotRetryAPostThroughAServerHiccup()
    {
        m_server->faults().forNext(1, "POST", QStringLiteral("/2/webhooks"), sandbox::Fault::httpStatus(503));
        auto api = client(ApiGeneration::V2, demoCredentials(true));
        const auto result = run<Webhook>([&](auto done) {
            api->registerWebhook(m_server->demoReceiverUrl(QStringLiteral("fault")), this, done);
        });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ApiError::Kind::Server);
        QCOMPARE(m_server->journal().forPath(QStringLiteral("/2/webhooks"), "POST").size(), 1);
    }

    void shouldReportMalformedAnswers_data()
    {
        QTest::addColumn<int>("fault");
        QTest::newRow("malformed") << int(sandbox::Fault::Kind::MalformedJson);
        QTest::newRow("truncated") << int(sandbox::Fault::Kind::TruncatedJson);
        QTest::newRow("html") << int(sandbox::Fault::Kind::WrongContentType);
    }
    void shouldReportMalformedAnswers()
    {
        QFETCH(int, fault);
        sandbox::Fault f;
        f.kind = sandbox::Fault::Kind(fault);
        f.status = 200;
        m_server->faults().always("GET", QStringLiteral("/2/account_activity/subscriptions/count"), f);
        auto api = client(ApiGeneration::V2, demoCredentials(true));
        const auto result = run<SubscriptionCount>([&](auto done) { api->subscriptionCount(this, done); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, ApiError::Kind::MalformedResponse);
    }

    // ---- secrets -------------------------------------------------------------------------

    void shouldKeepEverySecretOutOfTheLog()
    {
        auto v1 = client(ApiGeneration::V1_1);
        auto v2 = client(ApiGeneration::V2);
        RequestLog *logs[] = {v1->requestLog(), v2->requestLog()};
        const QDateTime now = wholeMinute(m_server->now());
        const QString hookUrl = m_server->demoReceiverUrl(QStringLiteral("session"));
        for (ApiClient *api : {v1.get(), v2.get()}) {
            run<QList<Webhook>>([&](auto done) { api->listWebhooks(this, done); });
            const auto hook = run<Webhook>([&](auto done) { api->registerWebhook(hookUrl, this, done); });
            if (hook.ok()) {
                run<bool>([&](auto done) { api->validateWebhook(hook.value().id, this, done); });
                run<Done>([&](auto done) { api->deleteWebhook(hook.value().id, this, done); });
            }
            run<Done>(
                [&](auto done) { api->subscribe(demo::validWebhookId, userOf(demo::bob), this, done); });
            run<Done>(
                [&](auto done) { api->subscribe(demo::validWebhookId, userOf(demo::bob), this, done); });
            run<bool>([&](auto done) {
                api->checkSubscription(demo::validWebhookId, userOf(demo::carol), this, done);
            });
            run<bool>(
                [&](auto done) { api->checkSubscription(unknownWebhook, userOf(demo::carol), this, done); });
            run<SubscriptionCount>([&](auto done) { api->subscriptionCount(this, done); });
            run<SubscriptionList>(
                [&](auto done) { api->listSubscriptions(demo::validWebhookId, this, done); });
            run<Done>([&](auto done) { api->unsubscribe(demo::validWebhookId, demo::bob.id, this, done); });
            run<Done>(
                [&](auto done) { api->subscribe(demo::validWebhookId, userOf(demo::eve), this, done); });
            run<ReplayJob>([&](auto done) {
                api->replay(demo::validWebhookId, now.addSecs(-7200), now.addSecs(-3600), this, done);
            });
            run<QList<UserInfo>>([&](auto done) { api->lookupUsers({demo::alice.id}, this, done); });
            run<OAuthTokens>([&](auto done) { api->requestToken(demo::callbackUrl, this, done); });
            run<OAuthTokens>([&](auto done) {
                api->accessToken("unknown-request-token", "unknown-secret", "1234567", this, done);
            });
        }
        // A client with a wrong secret and a stale bearer token fails, and leaks nothing either.
        AppCredentials wrong = demoCredentials();
        wrong.consumerSecret = "wrong-consumer-secret-value";
        wrong.bearerToken = "AAAAAAAAAAAAAAAAAAAAAstale-bearer-value";
        auto bad = client(ApiGeneration::V1_1, wrong);
        run<QList<Webhook>>([&](auto done) { bad->listWebhooks(this, done); });
        run<Webhook>([&](auto done) { bad->registerWebhook(hookUrl, this, done); });
        run<QList<Webhook>>([&](auto done) { bad->listWebhooks(this, done); });

        const QList<QByteArray> secrets {
            demo::consumerSecret,
            demo::ownerToken,
            demo::ownerTokenSecret,
            demo::bearerToken,
            demo::bob.token,
            demo::bob.tokenSecret,
            demo::carol.token,
            demo::carol.tokenSecret,
            demo::eve.token,
            demo::eve.tokenSecret,
            "unknown-secret",
            "wrong-consumer-secret-value",
            "AAAAAAAAAAAAAAAAAAAAAstale-bearer-value",
        };
        int checked = 0;
        for (RequestLog *log : {logs[0], logs[1], bad->requestLog()}) {
            for (const RequestLogEntry &entry : log->entries()) {
                ++checked;
                QVERIFY(entry.finished());
                QByteArray all = entry.url.toUtf8() + '\n' + entry.requestBody + '\n' + entry.responseBody +
                    '\n' + entry.curl.toUtf8() + '\n' + entry.error.toUtf8();
                for (const auto &[name, value] : entry.requestHeaders) {
                    all += '\n' + name + ": " + value;
                    if (name == "Authorization") {
                        QVERIFY2(value.contains("[redacted]"), value.constData());
                        QVERIFY(!value.contains("oauth_signature=\"") ||
                                value.contains("oauth_signature=\"[redacted]\""));
                    }
                }
                for (const QByteArray &secret : secrets) {
                    QVERIFY2(!all.contains(secret),
                             qPrintable(entry.operation + QLatin1String(": ") + QString::fromUtf8(all)));
                    QVERIFY2(!all.contains(oauth1::percentEncode(secret)), qPrintable(entry.operation));
                }
                // Signed requests carry a fresh signature each; none may appear anywhere.
                QCOMPARE(all.count("oauth_signature=\""), all.count("oauth_signature=\"[redacted]\""));
                QVERIFY(!all.contains("oauth_token=\"1") && !all.contains("oauth_token=\"2"));
            }
        }
        QVERIFY2(checked > 30, qPrintable(QString::number(checked)));
    }
};

QTEST_GUILESS_MAIN(TestSandboxClient)
#include "tst_sandboxclient.moc"
