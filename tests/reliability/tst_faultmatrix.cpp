// The fault matrix: every client operation, in both API generations, against every fault the
// in-process sandbox can inject (latency past the transfer timeout, 500, 503, a dropped connection,
// truncated and malformed JSON, an HTML page, an oversized body, 429 with a reset time). Each call
// must end exactly once, within a bound, with the right typed error and words for a person; only
// GETs are retried, nothing is retried after a 429, and a write (every call that is not a GET)
// reaches the server at most once, whatever happens to the connection. The matrix is printed with
// qInfo. Then activity-cli, run as a process, for a subset: the exit code and a message on stderr.
#include "ApiClient.h"
#include "CliProcess.h"
#include "RequestLog.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <memory>

using namespace activity;
using namespace std::chrono_literals;
namespace demo = activity::sandbox::demo;
using sandbox::Fault;

namespace {

enum class FaultCase {
    Latency,
    Status500,
    Status503,
    Drop,
    TruncatedJson,
    MalformedJson,
    WrongContentType,
    Oversized,
    RateLimited,
};

const QList<FaultCase> allFaults {
    FaultCase::Latency,       FaultCase::Status500,     FaultCase::Status503,        FaultCase::Drop,
    FaultCase::TruncatedJson, FaultCase::MalformedJson, FaultCase::WrongContentType, FaultCase::Oversized,
    FaultCase::RateLimited};

QString faultName(FaultCase fault)
{
    switch (fault) {
    case FaultCase::Latency:
        return QStringLiteral("latency");
    case FaultCase::Status500:
        return QStringLiteral("500");
    case FaultCase::Status503:
        return QStringLiteral("503");
    case FaultCase::Drop:
        return QStringLiteral("drop");
    case FaultCase::TruncatedJson:
        return QStringLiteral("truncated");
    case FaultCase::MalformedJson:
        return QStringLiteral("malformed");
    case FaultCase::WrongContentType:
        return QStringLiteral("html");
    case FaultCase::Oversized:
        return QStringLiteral("oversized");
    case FaultCase::RateLimited:
        return QStringLiteral("429");
    }
    return {};
}

// Transient failures: the only ones an idempotent call may retry.
bool isTransient(FaultCase fault)
{
    return fault == FaultCase::Latency || fault == FaultCase::Status500 || fault == FaultCase::Status503 ||
        fault == FaultCase::Drop;
}

ApiError::Kind expectedKind(FaultCase fault)
{
    switch (fault) {
    case FaultCase::Latency:
        return ApiError::Kind::Timeout;
    case FaultCase::Status500:
    case FaultCase::Status503:
        return ApiError::Kind::Server;
    case FaultCase::Drop:
        return ApiError::Kind::Network;
    case FaultCase::TruncatedJson:
    case FaultCase::MalformedJson:
    case FaultCase::WrongContentType:
    case FaultCase::Oversized:
        return ApiError::Kind::MalformedResponse;
    case FaultCase::RateLimited:
        return ApiError::Kind::RateLimited;
    }
    return ApiError::Kind::None;
}

QString kindName(ApiError::Kind kind)
{
    return kind == ApiError::Kind::None ? QStringLiteral("ok") : ApiError::kindName(kind);
}

// What one call ended with.
struct Outcome
{
    int callbacks = 0;
    bool ok = false;
    ApiError error;
};

template<typename T> ApiClient::Callback<T> into(const std::shared_ptr<Outcome> &outcome)
{
    return [outcome](const Result<T> &result) {
        ++outcome->callbacks;
        outcome->ok = result.ok();
        if (!result.ok())
            outcome->error = result.error();
    };
}

UserCredentials userOf(const demo::User &user)
{
    return UserCredentials {user.token, user.tokenSecret, user.id, user.username};
}

QDateTime wholeMinute(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    return QDateTime(utc.date(), QTime(utc.time().hour(), utc.time().minute()), Qt::UTC);
}

// The client operations of the matrix. "oauth2.token" is the bearer-token fetch an app-only call
// makes when the client has no token yet (the fault is put on oauth2/token, not on the call).
struct OperationCase
{
    QString name;
    Operation op;
    std::function<ApiCall *(ApiClient &, sandbox::SandboxServer &, QObject *,
                            const std::shared_ptr<Outcome> &)>
        start;
};

QList<OperationCase> operations()
{
    using Out = std::shared_ptr<Outcome>;
    using S = sandbox::SandboxServer;
    return {
        {QStringLiteral("webhooks.list"), Operation::ListWebhooks,
         [](ApiClient &api, S &, QObject *ctx, const Out &o) {
             return api.listWebhooks(ctx, into<QList<Webhook>>(o));
         }},
        {QStringLiteral("webhooks.register"), Operation::RegisterWebhook,
         [](ApiClient &api, S &server, QObject *ctx, const Out &o) {
             return api.registerWebhook(server.demoReceiverUrl(QStringLiteral("matrix")), ctx,
                                        into<Webhook>(o));
         }},
        {QStringLiteral("webhooks.validate"), Operation::ValidateWebhook,
         [](ApiClient &api, S &, QObject *ctx, const Out &o) {
             return api.validateWebhook(demo::validWebhookId, ctx, into<bool>(o));
         }},
        {QStringLiteral("webhooks.delete"), Operation::DeleteWebhook,
         [](ApiClient &api, S &, QObject *ctx, const Out &o) {
             return api.deleteWebhook(demo::invalidWebhookId, ctx, into<Done>(o));
         }},
        {QStringLiteral("subscriptions.add"), Operation::Subscribe,
         [](ApiClient &api, S &, QObject *ctx, const Out &o) {
             return api.subscribe(demo::validWebhookId, userOf(demo::bob), ctx, into<Done>(o));
         }},
        {QStringLiteral("subscriptions.check"), Operation::CheckSubscription,
         [](ApiClient &api, S &, QObject *ctx, const Out &o) {
             return api.checkSubscription(demo::validWebhookId, userOf(demo::alice), ctx, into<bool>(o));
         }},
        {QStringLiteral("subscriptions.count"), Operation::SubscriptionCount,
         [](ApiClient &api, S &, QObject *ctx, const Out &o) {
             return api.subscriptionCount(ctx, into<SubscriptionCount>(o));
         }},
        {QStringLiteral("subscriptions.list"), Operation::ListSubscriptions,
         [](ApiClient &api, S &, QObject *ctx, const Out &o) {
             return api.listSubscriptions(demo::validWebhookId, ctx, into<SubscriptionList>(o));
         }},
        {QStringLiteral("subscriptions.remove"), Operation::UnsubscribeUser,
         [](ApiClient &api, S &, QObject *ctx, const Out &o) {
             return api.unsubscribe(demo::validWebhookId, demo::alice.id, ctx, into<Done>(o));
         }},
        {QStringLiteral("replay"), Operation::ReplayAccountActivity,
         [](ApiClient &api, S &server, QObject *ctx, const Out &o) {
             const QDateTime now = wholeMinute(server.now());
             return api.replay(demo::validWebhookId, now.addSecs(-2 * 3600), now.addSecs(-3600), ctx,
                               into<ReplayJob>(o));
         }},
        {QStringLiteral("users.lookup"), Operation::UsersLookup,
         [](ApiClient &api, S &, QObject *ctx, const Out &o) {
             return api.lookupUsers({demo::alice.id, demo::bob.id}, ctx, into<QList<UserInfo>>(o));
         }},
        {QStringLiteral("oauth2.token"), Operation::BearerToken,
         [](ApiClient &api, S &, QObject *ctx, const Out &o) {
             return api.subscriptionCount(ctx, into<SubscriptionCount>(o));
         }},
        {QStringLiteral("oauth.request_token"), Operation::RequestToken,
         [](ApiClient &api, S &, QObject *ctx, const Out &o) {
             return api.requestToken(QStringLiteral("oob"), ctx, into<OAuthTokens>(o));
         }},
        // Faults apply before authentication: the request token need not be a live one.
        {QStringLiteral("oauth.access_token"), Operation::AccessToken,
         [](ApiClient &api, S &, QObject *ctx, const Out &o) {
             return api.accessToken("matrix-request-token", "matrix-request-secret", "1234567", ctx,
                                    into<OAuthTokens>(o));
         }},
    };
}

// The operation a case stands for in `generation`: "replay" is v1.1's account-activity replay and
// v2's POST /2/webhooks/replay.
Operation operationFor(const OperationCase &operation, ApiGeneration generation)
{
    return operation.op == Operation::ReplayAccountActivity ? endpoints::replayOperation(generation)
                                                            : operation.op;
}

// The client of a matrix row: plain http to the sandbox, quick backoff, the sandbox's clock.
ClientConfig sandboxConfig(const sandbox::SandboxServer &server, ApiGeneration generation)
{
    ClientConfig config;
    config.baseUrl = server.baseUrl();
    config.allowInsecureLoopback = true; // the sandbox, on plain http
    config.generation = generation;
    config.backoffBase = std::chrono::milliseconds(10);
    config.clock = [&server] { return server.now(); };
    return config;
}

// The sandbox's rate-limit pool for an operation: the catalogue's key. Empty for the OAuth
// endpoints, for which X documents no limit and the sandbox keeps no pool.
QString sandboxRateKey(Operation op, ApiGeneration generation)
{
    const Endpoint *endpoint = endpoints::find(op, generation);
    return endpoint && endpoint->documentedLimitPer15Min > 0 ? endpoint->rateLimitKey : QString();
}

// "/2/webhooks/{webhook_id}" as a FaultInjector glob and as an anchored regular expression.
QString pathGlob(const QString &pathTemplate)
{
    QString glob = pathTemplate;
    glob.replace(QRegularExpression(QStringLiteral("\\{[a-z_]+\\}")), QStringLiteral("*"));
    return glob;
}

QRegularExpression pathPattern(const QString &pathTemplate)
{
    QString pattern = QRegularExpression::escape(pathTemplate);
    pattern.replace(QRegularExpression(QStringLiteral("\\\\\\{[a-z_]+\\\\\\}")), QStringLiteral("[^/]+"));
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern));
}

// Words that would tell a person to weaken security or that leak internals.
bool isPlainSentence(const QString &text)
{
    return !text.trimmed().isEmpty() && !text.contains(QLatin1String("QNetworkReply")) &&
        !text.contains(QLatin1String("ignoreSslErrors"));
}

struct MatrixCell
{
    QString outcome; // kind name
    int attempts = 0; // the client's own attempts (request log)
    int wire = 0; // requests the sandbox answered or dropped (journal)
};

} // namespace

Q_DECLARE_METATYPE(activity::ApiGeneration)
Q_DECLARE_METATYPE(FaultCase)

class TestFaultMatrix : public QObject
{
    Q_OBJECT

    static constexpr int maxAttempts = 3;
    static constexpr auto transferTimeout = 300ms;
    static constexpr auto latency = 1000ms;

    // generation -> operation -> fault -> cell, printed at the end.
    std::map<QString, std::map<QString, std::map<QString, MatrixCell>>> m_matrix;
    QTemporaryDir m_config;

    void printMatrix()
    {
        for (const auto &[generation, rows] : m_matrix) {
            QString header = QStringLiteral("%1").arg(QStringLiteral("API %1").arg(generation), -22);
            for (FaultCase fault : allFaults)
                header += QStringLiteral(" | %1").arg(faultName(fault), -16);
            qInfo().noquote() << header;
            qInfo().noquote() << QString(header.size(), QLatin1Char('-'));
            for (const OperationCase &operation : operations()) {
                const auto row = rows.find(operation.name);
                if (row == rows.end())
                    continue;
                QString line = QStringLiteral("%1").arg(operation.name, -22);
                for (FaultCase fault : allFaults) {
                    const auto cell = row->second.find(faultName(fault));
                    const QString text = cell == row->second.end() ? QStringLiteral("-")
                                                                   : QStringLiteral("%1 %2/%3")
                                                                         .arg(cell->second.outcome)
                                                                         .arg(cell->second.attempts)
                                                                         .arg(cell->second.wire);
                    line += QStringLiteral(" | %1").arg(text, -16);
                }
                qInfo().noquote() << line;
            }
            qInfo().noquote() << QStringLiteral("(cell: outcome kind, client attempts / requests in the "
                                                "sandbox journal)");
        }
    }

private Q_SLOTS:
    void cleanupTestCase() { printMatrix(); }

    void shouldEndEveryOperationWithTheRightErrorUnderEveryFault_data()
    {
        QTest::addColumn<ApiGeneration>("generation");
        QTest::addColumn<int>("operationIndex");
        QTest::addColumn<FaultCase>("fault");
        const QList<OperationCase> ops = operations();
        for (ApiGeneration generation : {ApiGeneration::V1_1, ApiGeneration::V2}) {
            for (int i = 0; i < ops.size(); ++i) {
                for (FaultCase fault : allFaults) {
                    const QString row =
                        QStringLiteral("%1 %2 %3")
                            .arg(endpoints::generationName(generation), ops.at(i).name, faultName(fault));
                    QTest::newRow(qPrintable(row)) << generation << i << fault;
                }
            }
        }
    }

    void shouldEndEveryOperationWithTheRightErrorUnderEveryFault()
    {
        QFETCH(ApiGeneration, generation);
        QFETCH(int, operationIndex);
        QFETCH(FaultCase, fault);
        const OperationCase operation = operations().at(operationIndex);
        const bool bearerFetch = operation.op == Operation::BearerToken;
        const Operation op = operationFor(operation, generation);
        const Endpoint *endpoint = endpoints::find(op, generation);
        QVERIFY(endpoint);

        sandbox::SandboxServer server;
        server.seedDemo();
        QVERIFY(server.listen());
        QNetworkAccessManager network;

        ClientConfig config = sandboxConfig(server, generation);
        // Only the latency rows test the timeout; the others must not race a 20 MiB answer against it.
        config.transferTimeout =
            fault == FaultCase::Latency ? transferTimeout : std::chrono::milliseconds(10s);
        config.maxAttempts = maxAttempts;
        AppCredentials credentials {demo::consumerKey, demo::consumerSecret, demo::ownerToken,
                                    demo::ownerTokenSecret, bearerFetch ? QByteArray() : demo::bearerToken};
        ApiClient api(&network, config, credentials);

        const QByteArray method = endpoint->method;
        const QString glob = pathGlob(endpoint->pathTemplate);
        QDateTime rateLimitedAt;
        switch (fault) {
        case FaultCase::Latency:
            server.faults().always(method, glob, Fault::delay(latency));
            break;
        case FaultCase::Status500:
            server.faults().always(method, glob, Fault::httpStatus(500));
            break;
        case FaultCase::Status503:
            server.faults().always(method, glob, Fault::httpStatus(503));
            break;
        case FaultCase::Drop:
            // always(): QNetworkAccessManager re-sends GET/PUT/DELETE once by itself after a drop.
            server.faults().always(method, glob, Fault::drop());
            break;
        case FaultCase::TruncatedJson:
            server.faults().always(method, glob, Fault::truncatedJson());
            break;
        case FaultCase::MalformedJson:
            server.faults().always(method, glob, Fault::malformedJson());
            break;
        case FaultCase::WrongContentType:
            server.faults().always(method, glob, Fault::wrongContentType());
            break;
        case FaultCase::Oversized:
            server.faults().always(method, glob, Fault::oversized(20 * 1024 * 1024));
            break;
        case FaultCase::RateLimited:
            if (sandboxRateKey(operation.op, generation).isEmpty()) {
                // The OAuth endpoints have no rate-limit pool in the sandbox: a bare 429 without reset
                // headers.
                server.faults().always(method, glob, Fault::httpStatus(429));
            } else {
                server.setRateLimit(sandboxRateKey(op, generation), 0, 15min);
                rateLimitedAt = server.now();
            }
            break;
        }

        auto outcome = std::make_shared<Outcome>();
        QElapsedTimer elapsed;
        elapsed.start();
        QPointer<ApiCall> call = operation.start(api, server, this, outcome);
        QVERIFY(call);
        // Bound: every attempt's timeout plus backoff, with room for a loaded machine.
        QTRY_VERIFY_WITH_TIMEOUT(outcome->callbacks > 0, 20000);
        const qint64 tookMs = elapsed.elapsed();
        // The call object goes away after its one result; no second callback follows.
        QTRY_VERIFY_WITH_TIMEOUT(call.isNull(), 5000);
        QCOMPARE(outcome->callbacks, 1);

        // What the client says about it.
        const ApiError::Kind expected = expectedKind(fault);
        const QString describe = QStringLiteral("%1 (%2 ms): %3 / %4")
                                     .arg(kindName(outcome->ok ? ApiError::Kind::None : outcome->error.kind))
                                     .arg(tookMs)
                                     .arg(outcome->error.cause, outcome->error.remedy);
        QVERIFY2(!outcome->ok, qPrintable(describe));
        QVERIFY2(outcome->error.kind == expected, qPrintable(describe));
        QVERIFY2(isPlainSentence(outcome->error.cause), qPrintable(describe));
        QVERIFY2(isPlainSentence(outcome->error.remedy), qPrintable(describe));

        // Attempts the client made (its request log), and requests the sandbox saw (its journal).
        int attempts = 0;
        for (const RequestLogEntry &entry : api.requestLog()->entries()) {
            if (entry.operation == endpoint->name)
                attempts = qMax(attempts, entry.attempt);
        }
        const QRegularExpression path = pathPattern(endpoint->pathTemplate);
        int wire = 0;
        for (const sandbox::JournalEntry &entry : server.journal().entries()) {
            if (entry.method == method && path.match(entry.path).hasMatch())
                ++wire;
        }
        const int expectedAttempts = endpoint->idempotent && isTransient(fault) ? maxAttempts : 1;
        QVERIFY2(endpoint->idempotent == (method == "GET"), "only GETs are retried");
        QCOMPARE(attempts, expectedAttempts);
        switch (fault) {
        case FaultCase::Latency:
            // A request the client gave up on may leave no journal entry: its socket is gone when
            // the delayed answer is due.
            QVERIFY(wire <= attempts);
            break;
        case FaultCase::Drop:
            if (endpoint->idempotent) {
                // QNetworkAccessManager itself silently re-sends a GET once when the connection closes
                // before any answer, while its channel still has reconnect attempts left; the
                // client's own attempts are the count above.
                QVERIFY2(wire >= attempts && wire <= 2 * attempts, qPrintable(QString::number(wire)));
            } else {
                // A write is sent with a body Qt cannot replay: it arrived once, and that is all.
                QCOMPARE(wire, 1);
            }
            break;
        default:
            QCOMPARE(wire, attempts);
            break;
        }
        if (!endpoint->idempotent)
            QVERIFY2(wire <= 1,
                     qPrintable(QStringLiteral("the write reached the server %1 times").arg(wire)));
        if (bearerFetch) {
            // The app-only call itself never went out without a token.
            const Endpoint *count = endpoints::find(Operation::SubscriptionCount, generation);
            const QRegularExpression countPath = pathPattern(count->pathTemplate);
            for (const sandbox::JournalEntry &entry : server.journal().entries())
                QVERIFY(!countPath.match(entry.path).hasMatch());
            QVERIFY(!api.hasBearerToken());
        }

        if (fault == FaultCase::RateLimited) {
            QCOMPARE(outcome->error.httpStatus, 429);
            if (sandboxRateKey(operation.op, generation).isEmpty()) {
                QVERIFY(!outcome->error.retryAt.isValid());
            } else {
                // The sandbox's window started with this request and lasts 15 minutes.
                QVERIFY2(outcome->error.retryAt.isValid(), qPrintable(describe));
                const qint64 resetIn = rateLimitedAt.secsTo(outcome->error.retryAt);
                QVERIFY2(resetIn >= 15 * 60 - 2 && resetIn <= 15 * 60 + 2,
                         qPrintable(QString::number(resetIn)));
                QCOMPARE(api.rateLimit(op).remaining, 0);
                QCOMPARE(api.rateLimit(op).resetUtc, outcome->error.retryAt);
            }
        } else {
            QVERIFY(!outcome->error.retryAt.isValid());
        }
        if (fault == FaultCase::Oversized)
            QVERIFY2(outcome->error.cause.contains(QLatin1String("larger than")), qPrintable(describe));

        m_matrix[endpoints::generationName(generation)][operation.name][faultName(fault)] =
            MatrixCell {kindName(outcome->error.kind), attempts, wire};
    }

    // The one drop Qt 6.4 would have hidden: the connection closes after the write arrived, and
    // the next attempt would succeed. A write must not be sent again behind the caller's back: it
    // arrives once and the caller hears that the answer never came (the change may have happened).
    void shouldNotSendAWriteAgainAfterTheConnectionDrops_data()
    {
        QTest::addColumn<ApiGeneration>("generation");
        QTest::addColumn<int>("operationIndex");
        const QList<OperationCase> ops = operations();
        for (ApiGeneration generation : {ApiGeneration::V1_1, ApiGeneration::V2}) {
            for (int i = 0; i < ops.size(); ++i) {
                const Endpoint *endpoint = endpoints::find(operationFor(ops.at(i), generation), generation);
                if (endpoint && !endpoint->idempotent)
                    QTest::newRow(
                        qPrintable(endpoints::generationName(generation) + QLatin1Char(' ') + ops.at(i).name))
                        << generation << i;
            }
        }
    }
    void shouldNotSendAWriteAgainAfterTheConnectionDrops()
    {
        QFETCH(ApiGeneration, generation);
        QFETCH(int, operationIndex);
        const OperationCase operation = operations().at(operationIndex);
        const Endpoint *endpoint = endpoints::find(operationFor(operation, generation), generation);
        QVERIFY(endpoint);
        sandbox::SandboxServer server;
        server.seedDemo();
        QVERIFY(server.listen());
        QNetworkAccessManager network;
        const ClientConfig config = sandboxConfig(server, generation);
        const bool bearerFetch = operation.op == Operation::BearerToken;
        ApiClient api(&network, config,
                      AppCredentials {demo::consumerKey, demo::consumerSecret, demo::ownerToken,
                                      demo::ownerTokenSecret,
                                      bearerFetch ? QByteArray() : demo::bearerToken});
        // A warm connection first, as in a running console: Qt keeps it for the write. (A user
        // context call: an app-only one would fetch the bearer token this row is about.)
        auto warm = std::make_shared<Outcome>();
        api.checkSubscription(demo::validWebhookId, userOf(demo::alice), this, into<bool>(warm));
        QTRY_VERIFY_WITH_TIMEOUT(warm->callbacks == 1, 10000);
        QVERIFY(warm->ok);

        // Only the first arrival is dropped; a second one would be answered normally.
        server.faults().forNext(1, endpoint->method, pathGlob(endpoint->pathTemplate), Fault::drop());
        auto outcome = std::make_shared<Outcome>();
        operation.start(api, server, this, outcome);
        QTRY_VERIFY_WITH_TIMEOUT(outcome->callbacks == 1, 10000);

        const QRegularExpression path = pathPattern(endpoint->pathTemplate);
        int wire = 0;
        for (const sandbox::JournalEntry &entry : server.journal().entries()) {
            if (entry.method == endpoint->method && path.match(entry.path).hasMatch())
                ++wire;
        }
        QCOMPARE(wire, 1);
        QVERIFY2(!outcome->ok, "the write was sent again and 'succeeded' the second time");
        QCOMPARE(outcome->error.kind, ApiError::Kind::Network);
        QVERIFY2(isPlainSentence(outcome->error.cause), qPrintable(outcome->error.cause));
        // The person learns that the change may or may not have been made.
        QVERIFY2(outcome->error.remedy.contains(QLatin1String("may or may not")),
                 qPrintable(outcome->error.remedy));
    }

    // The size limit itself, at its edge: an answer of exactly the limit is read; one byte more is not.
    void shouldReadAnAnswerUpToTheSizeLimitAndRefuseOneByteMore_data()
    {
        QTest::addColumn<qint64>("bodyBytes");
        QTest::addColumn<bool>("refused");
        QTest::newRow("at the limit") << qint64(64 * 1024) << false;
        QTest::newRow("one byte over") << qint64(64 * 1024 + 1) << true;
        QTest::newRow("far over") << qint64(8 * 1024 * 1024) << true;
    }
    void shouldReadAnAnswerUpToTheSizeLimitAndRefuseOneByteMore()
    {
        QFETCH(qint64, bodyBytes);
        QFETCH(bool, refused);
        sandbox::SandboxServer server;
        server.seedDemo();
        QVERIFY(server.listen());
        QNetworkAccessManager network;
        ClientConfig config;
        config.baseUrl = server.baseUrl();
        config.allowInsecureLoopback = true; // the sandbox, on plain http
        config.maxResponseBytes = 64 * 1024;
        ApiClient api(&network, config,
                      AppCredentials {demo::consumerKey, demo::consumerSecret, demo::ownerToken,
                                      demo::ownerTokenSecret, demo::bearerToken});
        server.faults().always("GET", QStringLiteral("/2/account_activity/subscriptions/count"),
                               Fault::oversized(bodyBytes));
        auto outcome = std::make_shared<Outcome>();
        api.subscriptionCount(this, into<SubscriptionCount>(outcome));
        QTRY_VERIFY_WITH_TIMEOUT(outcome->callbacks == 1, 10000);
        // {"padding":"xxx"} is JSON, but not a count: within the limit the parser says so.
        QVERIFY(!outcome->ok);
        QCOMPARE(outcome->error.kind, ApiError::Kind::MalformedResponse);
        QCOMPARE(outcome->error.cause.contains(QLatin1String("larger than")), refused);
        QCOMPARE(server.journal().size(), 1);
    }

    // A 2xx whose body is not JSON leaves a change's outcome unknown; an empty or JSON body is fine.
    void shouldNotReportASubscriptionWhenTheAnswerIsAnHtmlPage_data()
    {
        QTest::addColumn<ApiGeneration>("generation");
        QTest::newRow("v1.1") << ApiGeneration::V1_1;
        QTest::newRow("v2") << ApiGeneration::V2;
    }
    void shouldNotReportASubscriptionWhenTheAnswerIsAnHtmlPage()
    {
        QFETCH(ApiGeneration, generation);
        sandbox::SandboxServer server;
        server.seedDemo();
        QVERIFY(server.listen());
        QNetworkAccessManager network;
        ClientConfig config;
        config.baseUrl = server.baseUrl();
        config.allowInsecureLoopback = true; // the sandbox, on plain http
        config.generation = generation;
        config.clock = [&server] { return server.now(); };
        ApiClient api(&network, config,
                      AppCredentials {demo::consumerKey, demo::consumerSecret, demo::ownerToken,
                                      demo::ownerTokenSecret, demo::bearerToken});
        const Endpoint *subscribe = endpoints::find(Operation::Subscribe, generation);
        const int rule =
            server.faults().always("POST", pathGlob(subscribe->pathTemplate), Fault::wrongContentType());
        auto html = std::make_shared<Outcome>();
        api.subscribe(demo::validWebhookId, userOf(demo::bob), this, into<Done>(html));
        QTRY_VERIFY_WITH_TIMEOUT(html->callbacks == 1, 10000);
        QVERIFY(!html->ok);
        QCOMPARE(html->error.kind, ApiError::Kind::MalformedResponse);
        QVERIFY(!html->error.remedy.isEmpty());

        server.faults().remove(rule);
        auto real = std::make_shared<Outcome>();
        api.subscribe(demo::validWebhookId, userOf(demo::bob), this, into<Done>(real));
        QTRY_VERIFY_WITH_TIMEOUT(real->callbacks == 1, 10000);
        QVERIFY2(real->ok, qPrintable(real->error.text()));
        QVERIFY(server.isSubscribed(demo::validWebhookId, demo::bob.id));
    }

    // ---- activity-cli ----------------------------------------------------------------------

    void shouldExitWithTheDocumentedCodeUnderFaults_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<FaultCase>("fault");
        QTest::addColumn<int>("exitCode");
        for (const char *command : {"webhooks list", "webhooks register", "subscriptions count", "replay"}) {
            for (FaultCase fault : allFaults) {
                const bool network = fault == FaultCase::Latency || fault == FaultCase::Drop;
                QTest::newRow(qPrintable(QString::fromLatin1(command) + QLatin1Char(' ') + faultName(fault)))
                    << QString::fromLatin1(command) << fault << (network ? 3 : 1);
            }
        }
    }
    void shouldExitWithTheDocumentedCodeUnderFaults()
    {
        QFETCH(QString, command);
        QFETCH(FaultCase, fault);
        QFETCH(int, exitCode);

        sandbox::SandboxServer server;
        server.seedDemo();
        QVERIFY(server.listen());

        const Operation op = command == QLatin1String("webhooks list") ? Operation::ListWebhooks
            : command == QLatin1String("webhooks register")            ? Operation::RegisterWebhook
            : command == QLatin1String("subscriptions count")          ? Operation::SubscriptionCount
                                                                       : Operation::ReplayWebhooks;
        const Endpoint *endpoint = endpoints::find(op, ApiGeneration::V2);
        const QString glob = pathGlob(endpoint->pathTemplate);
        switch (fault) {
        case FaultCase::Latency:
            // --timeout takes whole seconds: answer after 3 s, give up after 1 s.
            server.faults().always(endpoint->method, glob, Fault::delay(3000ms));
            break;
        case FaultCase::Status500:
            server.faults().always(endpoint->method, glob, Fault::httpStatus(500));
            break;
        case FaultCase::Status503:
            server.faults().always(endpoint->method, glob, Fault::httpStatus(503));
            break;
        case FaultCase::Drop:
            server.faults().always(endpoint->method, glob, Fault::drop());
            break;
        case FaultCase::TruncatedJson:
            server.faults().always(endpoint->method, glob, Fault::truncatedJson());
            break;
        case FaultCase::MalformedJson:
            server.faults().always(endpoint->method, glob, Fault::malformedJson());
            break;
        case FaultCase::WrongContentType:
            server.faults().always(endpoint->method, glob, Fault::wrongContentType());
            break;
        case FaultCase::Oversized:
            server.faults().always(endpoint->method, glob, Fault::oversized());
            break;
        case FaultCase::RateLimited:
            server.setRateLimit(sandboxRateKey(op, ApiGeneration::V2), 0, 15min);
            break;
        }

        QStringList arguments {QStringLiteral("--base-url=") + server.baseUrl().toString(),
                               QStringLiteral("--allow-insecure-loopback"),
                               QStringLiteral("--api"),
                               QStringLiteral("v2"),
                               QStringLiteral("--timeout"),
                               QStringLiteral("1")};
        arguments += command.split(QLatin1Char(' '));
        if (op == Operation::RegisterWebhook)
            arguments.append(server.demoReceiverUrl(QStringLiteral("cli")));
        if (op == Operation::ReplayWebhooks) {
            const QDateTime now = wholeMinute(server.now());
            arguments +=
                {demo::validWebhookId, QStringLiteral("--from"),
                 now.addSecs(-2 * 3600).toString(QStringLiteral("yyyyMMddHHmm")), QStringLiteral("--to"),
                 now.addSecs(-3600).toString(QStringLiteral("yyyyMMddHHmm"))};
        }

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &key : env.keys()) {
            if (key.startsWith(QLatin1String("ACTIVITY_")))
                env.remove(key);
        }
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_config.path());
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_KEY"), QString::fromLatin1(demo::consumerKey));
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QString::fromLatin1(demo::consumerSecret));
        env.insert(QStringLiteral("ACTIVITY_ACCESS_TOKEN"), QString::fromLatin1(demo::ownerToken));
        env.insert(QStringLiteral("ACTIVITY_ACCESS_TOKEN_SECRET"),
                   QString::fromLatin1(demo::ownerTokenSecret));

        // The sandbox runs in this process: runCliProcess waits on the signal, so it keeps serving.
        const clitest::Run run = clitest::runCliProcess(arguments, env, 30000);
        QVERIFY2(run.exitCode != -1, "activity-cli did not finish within 30 s");
        const QString err = QString::fromUtf8(run.err);
        const QString out = QString::fromUtf8(run.out);
        const QString describe = run.describe();
        QVERIFY2(run.exitCode == exitCode, qPrintable(describe)); // -2 when it crashed
        // One clear message: what happened, and what to do.
        QVERIFY2(err.startsWith(QLatin1String("activity-cli: ")), qPrintable(describe));
        QVERIFY2(err.contains(QLatin1String("What to do: ")), qPrintable(describe));
        QVERIFY2(!err.contains(QLatin1String("QNetworkReply")), qPrintable(describe));
        for (const QByteArray &secret : {demo::consumerSecret, demo::ownerTokenSecret, demo::bearerToken})
            QVERIFY2(!QString(err + out).contains(QString::fromLatin1(secret)),
                     "a secret reached the output");
        if (fault == FaultCase::RateLimited)
            QVERIFY2(err.contains(QLatin1String("Retry after: ")), qPrintable(describe));
        qInfo().noquote() << QStringLiteral("activity-cli %1 under %2: exit %3, \"%4\"")
                                 .arg(command, faultName(fault))
                                 .arg(run.exitCode)
                                 .arg(err.section(QLatin1Char('\n'), 0, 0));
    }
};

QTEST_GUILESS_MAIN(TestFaultMatrix)
#include "tst_faultmatrix.moc"
