// The client's transport against a small local fixture (QHttpServer on 127.0.0.1): retries,
// 429, timeouts, malformed bodies, rate-limit headers, the bearer fetch, abort and the log.
#include "ApiClient.h"
#include "RequestLog.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <memory>

using namespace activity;
using namespace std::chrono_literals;

namespace {

const QByteArray bearer = "AAAAAAAAAAAAAAAAAAAAAfixtureBearer%2Ftoken";
const QByteArray fetchedBearer = "AAAAAAAAAAAAAAAAAAAAAfetchedBearer%3Dtoken";
const QByteArray consumerSecret = "fixture-consumer-secret";

QHttpServerResponse json(const QByteArray &body, QHttpServerResponse::StatusCode status)
{
    return QHttpServerResponse(QByteArrayLiteral("application/json"), body, status);
}

const QByteArray webhooksBody =
    "{\"data\":[{\"id\":\"1\",\"url\":\"https://example.com/"
    "a\",\"valid\":true,\"created_at\":\"2025-01-15T12:00:00.000Z\"}],\"meta\":{\"result_count\":1}}";

// Waits for the callback of one call, asserting it comes exactly once.
template<typename T> struct Outcome
{
    std::optional<Result<T>> result;
    int calls = 0;
    ApiClient::Callback<T> callback()
    {
        return [this](const Result<T> &r) {
            ++calls;
            result.emplace(r);
        };
    }
};

} // namespace

class TestTransport : public QObject
{
    Q_OBJECT

    std::unique_ptr<QHttpServer> m_server;
    quint16 m_port = 0;
    std::unique_ptr<QNetworkAccessManager> m_network;

    // Behaviour of the fixture, set per test.
    int m_getCount = 0;
    int m_postCount = 0;
    int m_tokenCount = 0;
    int m_failFirstGets = 0; // answer 503 to this many GETs first
    int m_getStatus = 200;
    QByteArray m_getBody = webhooksBody;
    QList<std::pair<QByteArray, QByteArray>> m_getHeaders;
    QByteArray m_lastAuthorization;
    bool m_tokenRefusedAsExpired = false;

    ClientConfig config(quint16 port) const
    {
        ClientConfig c;
        c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        c.allowInsecureLoopback = true; // a test server on plain http
        c.generation = ApiGeneration::V2;
        c.transferTimeout = 5s;
        c.maxAttempts = 3;
        c.backoffBase = 1ms;
        return c;
    }

    AppCredentials credentials(bool withBearer = true) const
    {
        return AppCredentials {"fixture-consumer-key", consumerSecret, "111-fixtureownertoken",
                               "fixture-owner-token-secret", withBearer ? bearer : QByteArray()};
    }

private Q_SLOTS:
    void init()
    {
        m_getCount = m_postCount = m_tokenCount = m_failFirstGets = 0;
        m_getStatus = 200;
        m_getBody = webhooksBody;
        m_getHeaders.clear();
        m_lastAuthorization.clear();
        m_tokenRefusedAsExpired = false;

        m_server = std::make_unique<QHttpServer>();
        m_server->route(
            QStringLiteral("/2/webhooks"), QHttpServerRequest::Method::Get,
            [this](const QHttpServerRequest &request) {
                ++m_getCount;
                m_lastAuthorization = request.value("Authorization");
                if (m_tokenRefusedAsExpired && m_lastAuthorization == "Bearer " + fetchedBearer)
                    return json("{\"errors\":[{\"message\":\"Invalid or expired token\",\"code\":89}]}",
                                QHttpServerResponse::StatusCode::Unauthorized);
                if (m_getCount <= m_failFirstGets)
                    return json("{\"title\":\"Service Unavailable\"}",
                                QHttpServerResponse::StatusCode::ServiceUnavailable);
                QHttpServerResponse response = json(m_getBody, QHttpServerResponse::StatusCode(m_getStatus));
                for (const auto &[name, value] : m_getHeaders)
                    response.setHeader(name, value);
                return response;
            });
        m_server->route(QStringLiteral("/2/webhooks"), QHttpServerRequest::Method::Post,
                        [this](const QHttpServerRequest &) {
                            ++m_postCount;
                            return json("{\"title\":\"Service Unavailable\"}",
                                        QHttpServerResponse::StatusCode::ServiceUnavailable);
                        });
        m_server->route(
            QStringLiteral("/oauth2/token"), QHttpServerRequest::Method::Post,
            [this](const QHttpServerRequest &request) {
                ++m_tokenCount;
                if (request.body() != "grant_type=client_credentials" ||
                    !request.value("Authorization").startsWith("Basic "))
                    return json(
                        "{\"errors\":[{\"code\":99,\"message\":\"Unable to verify your credentials\"}]}",
                        QHttpServerResponse::StatusCode::Forbidden);
                return json("{\"token_type\":\"bearer\",\"access_token\":\"" + fetchedBearer + "\"}",
                            QHttpServerResponse::StatusCode::Ok);
            });
        m_port = m_server->listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_port != 0);
        m_network = std::make_unique<QNetworkAccessManager>();
    }

    void cleanup()
    {
        m_network.reset();
        m_server.reset();
    }

    void shouldRetryIdempotentGetOn503UpToMaxAttempts()
    {
        m_failFirstGets = 100;
        ApiClient client(m_network.get(), config(m_port), credentials());
        Outcome<QList<Webhook>> outcome;
        client.listWebhooks(this, outcome.callback());
        QTRY_COMPARE(outcome.calls, 1);
        QVERIFY(!outcome.result->ok());
        QCOMPARE(outcome.result->error().httpStatus, 503);
        QCOMPARE(m_getCount, 3);
        QCOMPARE(client.requestLog()->entries().size(), 1);
        const RequestLogEntry entry = client.requestLog()->entries().constFirst();
        QCOMPARE(entry.attempt, 3);
        QCOMPARE(entry.httpStatus, 503);
        QVERIFY(entry.finished());
        QVERIFY(!entry.error.isEmpty());
    }

    void shouldSucceedWhenARetryGetsThrough()
    {
        m_failFirstGets = 2;
        ApiClient client(m_network.get(), config(m_port), credentials());
        Outcome<QList<Webhook>> outcome;
        client.listWebhooks(this, outcome.callback());
        QTRY_COMPARE(outcome.calls, 1);
        QVERIFY2(outcome.result->ok(),
                 outcome.result->ok() ? "" : qPrintable(outcome.result->error().text()));
        QCOMPARE(outcome.result->value().size(), 1);
        QCOMPARE(m_getCount, 3);
        QCOMPARE(client.requestLog()->entries().constFirst().attempt, 3);
        QCOMPARE(client.requestLog()->entries().constFirst().error, QString());
    }

    void shouldNeverRetryPost()
    {
        ApiClient client(m_network.get(), config(m_port), credentials());
        Outcome<Webhook> outcome;
        client.registerWebhook(QStringLiteral("https://example.com/hook"), this, outcome.callback());
        QTRY_COMPARE(outcome.calls, 1);
        QVERIFY(!outcome.result->ok());
        QCOMPARE(outcome.result->error().kind, ApiError::Kind::Server);
        QCOMPARE(m_postCount, 1);
    }

    void shouldNotRetryOn4xx()
    {
        m_getStatus = 403;
        m_getBody = "{\"errors\":[{\"code\":99,\"message\":\"You do not have access to this resource.\"}]}";
        ApiClient client(m_network.get(), config(m_port), credentials());
        Outcome<QList<Webhook>> outcome;
        client.listWebhooks(this, outcome.callback());
        QTRY_COMPARE(outcome.calls, 1);
        QVERIFY(!outcome.result->ok());
        QCOMPARE(outcome.result->error().code, 99);
        QCOMPARE(m_getCount, 1);
    }

    void shouldNotRetryA429AndSayWhenToRetry()
    {
        const qint64 reset = QDateTime::currentSecsSinceEpoch() + 600;
        m_getStatus = 429;
        m_getBody = "{\"errors\":[{\"code\":88,\"message\":\"Rate limit exceeded\"}]}";
        m_getHeaders = {{"x-rate-limit-limit", "15"},
                        {"x-rate-limit-remaining", "0"},
                        {"x-rate-limit-reset", QByteArray::number(reset)}};
        ApiClient client(m_network.get(), config(m_port), credentials());
        QSignalSpy changed(&client, &ApiClient::rateLimitChanged);
        Outcome<QList<Webhook>> outcome;
        client.listWebhooks(this, outcome.callback());
        QTRY_COMPARE(outcome.calls, 1);
        QVERIFY(!outcome.result->ok());
        const ApiError &error = outcome.result->error();
        QCOMPARE(error.kind, ApiError::Kind::RateLimited);
        QCOMPARE(error.httpStatus, 429);
        QCOMPARE(error.retryAt, QDateTime::fromSecsSinceEpoch(reset, Qt::UTC));
        QCOMPARE(m_getCount, 1);

        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().first().value<Operation>(), Operation::ListWebhooks);
        const RateLimitState state = client.rateLimit(Operation::ListWebhooks);
        QCOMPARE(state.limit, 15);
        QCOMPARE(state.remaining, 0);
        QCOMPARE(state.resetUtc, QDateTime::fromSecsSinceEpoch(reset, Qt::UTC));
        QVERIFY(state.exhausted(QDateTime::currentDateTimeUtc()));
        QVERIFY(!client.rateLimit(Operation::SubscriptionCount).known());
        const RequestLogEntry entry = client.requestLog()->entries().constFirst();
        QCOMPARE(entry.rateLimitLimit, 15);
        QCOMPARE(entry.rateLimitRemaining, 0);
        QCOMPARE(entry.rateLimitReset, QDateTime::fromSecsSinceEpoch(reset, Qt::UTC));
    }

    void shouldTimeOutWhenTheServerNeverAnswers()
    {
        // A listener that accepts and then says nothing.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QList<QPointer<QTcpSocket>> keep;
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *socket = silent.nextPendingConnection())
                keep.append(socket);
        });
        ClientConfig c = config(silent.serverPort());
        c.transferTimeout = 200ms;
        c.maxAttempts = 2;
        ApiClient client(m_network.get(), c, credentials());
        Outcome<QList<Webhook>> outcome;
        client.listWebhooks(this, outcome.callback());
        QTRY_COMPARE_WITH_TIMEOUT(outcome.calls, 1, 5000);
        QVERIFY(!outcome.result->ok());
        QCOMPARE(outcome.result->error().kind, ApiError::Kind::Timeout);
        QCOMPARE(client.requestLog()->entries().constFirst().attempt, 2);
    }

    void shouldReportMalformedJsonAsMalformedResponse()
    {
        m_getBody = "{\"data\":[{\"id\":";
        ApiClient client(m_network.get(), config(m_port), credentials());
        Outcome<QList<Webhook>> outcome;
        client.listWebhooks(this, outcome.callback());
        QTRY_COMPARE(outcome.calls, 1);
        QVERIFY(!outcome.result->ok());
        QCOMPARE(outcome.result->error().kind, ApiError::Kind::MalformedResponse);
        QCOMPARE(m_getCount, 1);
    }

    void shouldReportARefusedConnectionAsNetworkError()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        ApiClient client(m_network.get(), config(closedPort), credentials());
        Outcome<QList<Webhook>> outcome;
        client.listWebhooks(this, outcome.callback());
        QTRY_COMPARE(outcome.calls, 1);
        QVERIFY(!outcome.result->ok());
        QCOMPARE(outcome.result->error().kind, ApiError::Kind::Network);
        QCOMPARE(outcome.result->error().httpStatus, 0);
        QCOMPARE(client.requestLog()->entries().constFirst().attempt, 3);
    }

    void shouldFetchTheBearerTokenOnceForConcurrentCalls()
    {
        ApiClient client(m_network.get(), config(m_port), credentials(false));
        Outcome<QList<Webhook>> first;
        Outcome<QList<Webhook>> second;
        client.listWebhooks(this, first.callback());
        client.listWebhooks(this, second.callback());
        QTRY_COMPARE(first.calls + second.calls, 2);
        QVERIFY(first.result->ok());
        QVERIFY(second.result->ok());
        QCOMPARE(m_tokenCount, 1);
        QCOMPARE(m_lastAuthorization, "Bearer " + fetchedBearer);
        QVERIFY(client.hasBearerToken());

        // Cached: the next call asks for no token.
        Outcome<QList<Webhook>> third;
        client.listWebhooks(this, third.callback());
        QTRY_COMPARE(third.calls, 1);
        QCOMPARE(m_tokenCount, 1);

        // The log shows the oauth2/token call, but never the token.
        const auto &entries = client.requestLog()->entries();
        QCOMPARE(entries.size(), 4);
        QCOMPARE(entries.constFirst().operation, QStringLiteral("oauth2.token"));
        for (const RequestLogEntry &entry : entries) {
            QVERIFY(!entry.responseBody.contains("fetchedBearer"));
            QVERIFY(!entry.curl.contains(QLatin1String("fetchedBearer")));
            for (const auto &header : entry.requestHeaders)
                QVERIFY(!header.second.contains("fetchedBearer"));
        }
    }

    void shouldDropTheBearerTokenOnInvalidOrExpired()
    {
        ApiClient client(m_network.get(), config(m_port), credentials(false));
        Outcome<QList<Webhook>> first;
        client.listWebhooks(this, first.callback());
        QTRY_COMPARE(first.calls, 1);
        QVERIFY(first.result->ok());

        m_tokenRefusedAsExpired = true;
        Outcome<QList<Webhook>> refused;
        client.listWebhooks(this, refused.callback());
        QTRY_COMPARE(refused.calls, 1);
        QVERIFY(!refused.result->ok());
        QCOMPARE(refused.result->error().code, 89);
        QVERIFY(!client.hasBearerToken());

        m_tokenRefusedAsExpired = false;
        Outcome<QList<Webhook>> again;
        client.listWebhooks(this, again.callback());
        QTRY_COMPARE(again.calls, 1);
        QVERIFY(again.result->ok());
        QCOMPARE(m_tokenCount, 2);
    }

    void shouldFailEveryWaitingCallWhenTheBearerFetchFails()
    {
        AppCredentials c = credentials(false);
        c.consumerKey.clear(); // nothing to ask oauth2/token with
        ApiClient client(m_network.get(), config(m_port), c);
        Outcome<QList<Webhook>> outcome;
        client.listWebhooks(this, outcome.callback());
        QTRY_COMPARE(outcome.calls, 1);
        QCOMPARE(outcome.result->error().kind, ApiError::Kind::MissingCredentials);
        QCOMPARE(m_tokenCount, 0);
        QCOMPARE(m_getCount, 0);
    }

    void shouldCheckBeforeSending()
    {
        ApiClient client(m_network.get(), config(m_port), credentials());
        Outcome<Webhook> badUrl;
        Outcome<Done> badId;
        Outcome<ReplayJob> badWindow;
        Outcome<QList<UserInfo>> tooMany;
        client.registerWebhook(QStringLiteral("ftp://example.com/hook"), this, badUrl.callback());
        client.deleteWebhook(QStringLiteral("12abc"), this, badId.callback());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        client.replay(QStringLiteral("1"), now.addDays(-3), now.addDays(-2), this, badWindow.callback());
        QStringList ids;
        for (int i = 1; i <= 101; ++i)
            ids.append(QString::number(i));
        client.lookupUsers(ids, this, tooMany.callback());
        // Delivered later, never from inside the call.
        QCOMPARE(badUrl.calls + badId.calls + badWindow.calls + tooMany.calls, 0);
        QTRY_COMPARE(badUrl.calls + badId.calls + badWindow.calls + tooMany.calls, 4);
        QCOMPARE(badUrl.result->error().kind, ApiError::Kind::Validation);
        QCOMPARE(badId.result->error().kind, ApiError::Kind::Validation);
        QCOMPARE(badWindow.result->error().kind, ApiError::Kind::Validation);
        QCOMPARE(tooMany.result->error().kind, ApiError::Kind::Validation);
        QCOMPARE(m_getCount + m_postCount, 0);
        QVERIFY(client.requestLog()->entries().isEmpty());
    }

    void shouldRefuseAPlainHttpBaseUrlThatIsNotLoopback()
    {
        ClientConfig c = config(m_port);
        c.baseUrl = QUrl(QStringLiteral("http://api.x.com"));
        ApiClient client(m_network.get(), c, credentials());
        QVERIFY(client.configurationError());
        Outcome<QList<Webhook>> outcome;
        client.listWebhooks(this, outcome.callback());
        QTRY_COMPARE(outcome.calls, 1);
        QCOMPARE(outcome.result->error().kind, ApiError::Kind::Validation);
    }

    // Plain http to this computer carries every credential in clear to whatever holds the port:
    // only to an address (not a name such as localhost), and only when the profile allows it.
    void shouldRefusePlainHttpToLoopbackUnlessAllowed_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<bool>("refused");
        QTest::newRow("127.0.0.1, not allowed") << QStringLiteral("127.0.0.1") << false << true;
        QTest::newRow("localhost, allowed") << QStringLiteral("localhost") << true << true;
        QTest::newRow("LocalHost, allowed") << QStringLiteral("LocalHost") << true << true;
        QTest::newRow("127.0.0.1, allowed") << QStringLiteral("127.0.0.1") << true << false;
    }
    void shouldRefusePlainHttpToLoopbackUnlessAllowed()
    {
        QFETCH(QString, host);
        QFETCH(bool, allowed);
        QFETCH(bool, refused);
        ClientConfig c = config(m_port);
        c.baseUrl = QUrl(QStringLiteral("http://%1:%2").arg(host).arg(m_port));
        c.allowInsecureLoopback = allowed;
        ApiClient client(m_network.get(), c, credentials());
        QCOMPARE(bool(client.configurationError()), refused);
        Outcome<QList<Webhook>> outcome;
        client.listWebhooks(this, outcome.callback());
        QTRY_COMPARE(outcome.calls, 1);
        QCOMPARE(outcome.result->ok(), !refused);
        if (refused) {
            QCOMPARE(outcome.result->error().kind, ApiError::Kind::Validation);
            QCOMPARE(m_getCount, 0); // nothing was sent
        }
    }

    void shouldRefuseOperationsTheGenerationLacks()
    {
        ApiClient client(m_network.get(), config(m_port), credentials());
        Outcome<Done> outcome;
        client.unsubscribeSelf(QStringLiteral("1"), UserCredentials {"t-123456", "s-123456", {}, {}}, this,
                               outcome.callback());
        QTRY_COMPARE(outcome.calls, 1);
        QCOMPARE(outcome.result->error().kind, ApiError::Kind::Validation);
    }

    void shouldDeliverCancelledOnceWhenAborted()
    {
        ApiClient client(m_network.get(), config(m_port), credentials());
        Outcome<QList<Webhook>> outcome;
        ApiCall *call = client.listWebhooks(this, outcome.callback());
        QPointer<ApiCall> guard(call);
        call->abort();
        QCOMPARE(outcome.calls, 1);
        QCOMPARE(outcome.result->error().kind, ApiError::Kind::Cancelled);
        call->abort(); // a second abort changes nothing
        QTRY_VERIFY(guard.isNull()); // the call deletes itself
        QCOMPARE(outcome.calls, 1);
    }

    void shouldNotCallBackWhenTheContextIsGone()
    {
        ApiClient client(m_network.get(), config(m_port), credentials());
        auto context = std::make_unique<QObject>();
        int calls = 0;
        ApiCall *call = client.listWebhooks(context.get(), [&](const Result<QList<Webhook>> &) { ++calls; });
        QSignalSpy finished(call, &ApiCall::finished);
        context.reset();
        QVERIFY(finished.wait());
        QCOMPARE(calls, 0);
        QCOMPARE(m_getCount, 1);
    }

    void shouldSurviveTheClientGoingFirst()
    {
        auto client = std::make_unique<ApiClient>(m_network.get(), config(m_port), credentials());
        int calls = 0;
        client->listWebhooks(this, [&](const Result<QList<Webhook>> &) { ++calls; });
        client.reset();
        QCoreApplication::processEvents(); // queued work runs; nothing may call back into a dead client
        QCOMPARE(calls, 0);
    }

    void shouldLogEachCallWhenSentAndWhenFinished()
    {
        RequestLog log;
        ApiClient client(m_network.get(), config(m_port), credentials(), &log);
        QCOMPARE(client.requestLog(), &log);
        QSignalSpy added(&log, &RequestLog::entryAdded);
        QSignalSpy updated(&log, &RequestLog::entryUpdated);
        Outcome<QList<Webhook>> outcome;
        client.listWebhooks(this, outcome.callback());
        QCOMPARE(added.size(), 1);
        const RequestLogEntry sent = log.entries().constFirst();
        QVERIFY(!sent.finished());
        QCOMPARE(sent.operation, QStringLiteral("webhooks.list"));
        QCOMPARE(sent.method, QByteArray("GET"));
        QCOMPARE(sent.url, QStringLiteral("http://127.0.0.1:%1/2/webhooks").arg(m_port));
        QCOMPARE(sent.credential, CredentialKind::AppOnly);
        QVERIFY(sent.startedAt.isValid());
        QTRY_COMPARE(outcome.calls, 1);
        QVERIFY(updated.size() >= 1);
        const RequestLogEntry done = log.entries().constFirst();
        QVERIFY(done.finished());
        QCOMPARE(done.httpStatus, 200);
        QCOMPARE(done.responseBody, webhooksBody);
        QVERIFY(done.curl.startsWith(QLatin1String("curl --globoff -X GET 'http://127.0.0.1:")));
        bool sawAuthorization = false;
        for (const auto &[name, value] : done.requestHeaders) {
            if (name == "Authorization") {
                sawAuthorization = true;
                QCOMPARE(value, QByteArray("Bearer [redacted]"));
            }
        }
        QVERIFY(sawAuthorization);
    }

    void shouldKeepTheLogBounded()
    {
        RequestLog log;
        log.setCapacity(2);
        QSignalSpy dropped(&log, &RequestLog::oldestDropped);
        for (int i = 0; i < 3; ++i) {
            RequestLogEntry entry;
            entry.operation = QString::number(i);
            log.add(entry);
        }
        QCOMPARE(log.entries().size(), 2);
        QCOMPARE(log.entries().constFirst().operation, QStringLiteral("1"));
        QCOMPARE(dropped.size(), 1);
        QVERIFY(!log.entry(1));
        QCOMPARE(log.indexOf(3), 1);
    }
};

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
