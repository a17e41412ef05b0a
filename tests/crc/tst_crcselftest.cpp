// CrcSelfTest against the in-process sandbox's demo receiver (with its fault injector) and a tiny
// QHttpServer for what the sandbox cannot answer (redirects, a recorded request, odd tokens).
// Everything stays on 127.0.0.1.

#include "ActivityConfig.h"
#include "Crc.h"
#include "CrcSelfTest.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "TestEnvironment.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace activity;
using namespace activity::sandbox;
using namespace std::chrono_literals;
using Failure = CrcSelfTestResult::Failure;

namespace {

// What the endpoint below saw of the last CRC GET.
struct SeenRequest
{
    QByteArray query;
    QByteArray signature;
    QByteArray userAgent;
};

QByteArray tokenOf(const QHttpServerRequest &request)
{
    return QUrlQuery(request.url()).queryItemValue(QStringLiteral("crc_token")).toUtf8();
}

QHttpServerResponse json(const QJsonObject &object)
{
    return QHttpServerResponse(QByteArrayLiteral("application/json"),
                               QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// Answers in the ways the sandbox's receiver does not.
class TestEndpoint
{
public:
    TestEndpoint()
    {
        using Method = QHttpServerRequest::Method;
        m_server.route(QStringLiteral("/echo"), Method::Get, [this](const QHttpServerRequest &request) {
            seen.query = request.url().query(QUrl::FullyEncoded).toUtf8();
            seen.signature = request.value("x-twitter-webhooks-signature");
            seen.userAgent = request.value("User-Agent");
            return QHttpServerResponse(QByteArrayLiteral("application/json"),
                                       crc::responseBody(demo::consumerSecret, tokenOf(request)));
        });
        m_server.route(QStringLiteral("/moved"), Method::Get, [this](const QHttpServerRequest &request) {
            QHttpServerResponse response(QHttpServerResponder::StatusCode::Found);
            response.setHeader(QByteArrayLiteral("Location"),
                               url(QStringLiteral("/target?") + request.url().query()).toEncoded());
            return response;
        });
        m_server.route(QStringLiteral("/target"), Method::Get, [this](const QHttpServerRequest &request) {
            ++targetHits;
            return QHttpServerResponse(QByteArrayLiteral("application/json"),
                                       crc::responseBody(demo::consumerSecret, tokenOf(request)));
        });
        m_server.route(QStringLiteral("/nokey"), Method::Get, [](const QHttpServerRequest &request) {
            return json({{QStringLiteral("token"), QString::fromLatin1(tokenOf(request))}});
        });
        m_server.route(QStringLiteral("/noprefix"), Method::Get, [](const QHttpServerRequest &request) {
            const QByteArray token = crc::responseToken(demo::consumerSecret, tokenOf(request));
            return json({{QStringLiteral("response_token"), QString::fromLatin1(token.mid(7))}});
        });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
    }

    bool isListening() const { return m_port != 0; }
    QUrl url(const QString &pathAndQuery) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(pathAndQuery));
    }

    SeenRequest seen;
    int targetHits = 0;

private:
    QHttpServer m_server;
    quint16 m_port = 0;
};

// Log lines of the activity.net category, for the check that no token reaches the log.
QStringList *capturedLog = nullptr;
QtMessageHandler previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (capturedLog)
        capturedLog->append(QString::fromLatin1(context.category ? context.category : "") +
                            QLatin1String(": ") + message);
    if (previousHandler)
        previousHandler(type, context, message);
}

} // namespace

class TestCrcSelfTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void shouldPassOnTheDemoReceiverWithTheDemoSecret();
    void shouldAppendCrcParametersToTheUrlsOwnQueryAndSignThem();
    void shouldReportWrongTokenForAnotherConsumerSecret();
    void shouldReportNon200WhenTheReceiverAnswers500();
    void shouldReportInvalidJsonForAMalformedAnswer();
    void shouldReportMissingResponseToken();
    void shouldNameAMissingSha256Prefix();
    void shouldReportTooSlowAfterTheTimeLimit();
    void shouldReportConnectionErrorWhenNothingListens();
    void shouldFailOnARedirectWithoutFollowingIt();
    void shouldRefuseAnUntrustedCertificateUnlessItIsTrusted();
    void shouldStopReadingAnOversizedAnswer();
    void shouldRefuseANonHttpUrlWithoutSending();
    void shouldEmitOnlyForTheLatestRun();
    void shouldNeverLogTokensOrTheSecret();

private:
    // Runs the job and waits for its single finished().
    bool runAndWait(CrcSelfTest &job, const QUrl &url);
    QUrl receiverUrl() const { return QUrl(m_sandbox->demoReceiverUrl()); }

    std::unique_ptr<SandboxServer> m_sandbox;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

void TestCrcSelfTest::init()
{
    m_sandbox = std::make_unique<SandboxServer>();
    QVERIFY(m_sandbox->listen());
    m_sandbox->seedDemo();
    m_network = std::make_unique<QNetworkAccessManager>();
    m_network->setProxy(QNetworkProxy::NoProxy); // loopback only, whatever the environment says
}

void TestCrcSelfTest::cleanup()
{
    m_network.reset();
    m_sandbox.reset();
}

bool TestCrcSelfTest::runAndWait(CrcSelfTest &job, const QUrl &url)
{
    QSignalSpy finished(&job, &CrcSelfTest::finished);
    job.run(url);
    if (finished.count() != 0)
        return false; // never synchronously, even for a refused URL
    return finished.wait(10000) && finished.count() == 1;
}

void TestCrcSelfTest::shouldPassOnTheDemoReceiverWithTheDemoSecret()
{
    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QVERIFY(runAndWait(job, receiverUrl()));
    const CrcSelfTestResult &result = job.result();
    QVERIFY2(result.passed, qPrintable(result.problem));
    QCOMPARE(result.failure, Failure::None);
    QCOMPARE(result.httpStatus, 200);
    QVERIFY(result.expectedToken.startsWith("sha256="));
    QCOMPARE(result.receivedToken, result.expectedToken);
    QVERIFY(result.problem.isEmpty());
    QVERIFY(result.latencyMs >= 0 && result.latencyMs < 3000);
    QCOMPARE(result.summary(), QStringLiteral("Passed in %1 ms").arg(result.latencyMs));
    QVERIFY(!job.isRunning());
}

void TestCrcSelfTest::shouldAppendCrcParametersToTheUrlsOwnQueryAndSignThem()
{
    TestEndpoint endpoint;
    QVERIFY(endpoint.isListening());
    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QVERIFY(runAndWait(job, endpoint.url(QStringLiteral("/echo?app=one&note=a%20b#fragment"))));
    QVERIFY2(job.result().passed, qPrintable(job.result().problem));

    // The URL's own query first, untouched; then crc_token and nonce, as X sends them.
    const QList<QByteArray> items = endpoint.seen.query.split('&');
    QCOMPARE(items.size(), 4);
    QCOMPARE(items.at(0), QByteArray("app=one"));
    QCOMPARE(items.at(1), QByteArray("note=a%20b"));
    QVERIFY(items.at(2).startsWith("crc_token="));
    QVERIFY(items.at(3).startsWith("nonce="));
    const QByteArray token = items.at(2).mid(10);
    QVERIFY(token.size() >= 16);
    QVERIFY(items.at(3).size() > 6 + 15);
    QVERIFY(crc::verifySignature(demo::consumerSecret, QByteArray(items.at(2) + '&' + items.at(3)),
                                 endpoint.seen.signature));
    QCOMPARE(job.result().expectedToken, crc::responseToken(demo::consumerSecret, token));
    QCOMPARE(endpoint.seen.userAgent, QByteArray(ACTIVITY_ORGANISATION "/" ACTIVITY_VERSION));

    // A fresh token on every run.
    const QByteArray firstQuery = endpoint.seen.query;
    QVERIFY(runAndWait(job, endpoint.url(QStringLiteral("/echo"))));
    QVERIFY(endpoint.seen.query.startsWith("crc_token="));
    QVERIFY(endpoint.seen.query.split('&').at(0) != firstQuery.split('&').at(2));
}

void TestCrcSelfTest::shouldReportWrongTokenForAnotherConsumerSecret()
{
    CrcSelfTest job(m_network.get(), QByteArrayLiteral("not-the-apps-consumer-secret"));
    QVERIFY(runAndWait(job, receiverUrl()));
    const CrcSelfTestResult &result = job.result();
    QVERIFY(!result.passed);
    QCOMPARE(result.failure, Failure::WrongToken);
    QCOMPARE(result.httpStatus, 200);
    QVERIFY(!result.receivedToken.isEmpty());
    QVERIFY(result.receivedToken != result.expectedToken);
    QVERIFY2(result.problem.contains(QLatin1String("consumer secret")), qPrintable(result.problem));
    QVERIFY(result.remedy.contains(QLatin1String("HMAC-SHA256")));
    QVERIFY(!result.isNetworkFailure());
    QVERIFY(!result.problem.contains(QLatin1String("not-the-apps-consumer-secret")));
    QVERIFY(!result.remedy.contains(QLatin1String("not-the-apps-consumer-secret")));
}

void TestCrcSelfTest::shouldReportNon200WhenTheReceiverAnswers500()
{
    m_sandbox->faults().always("GET", QStringLiteral("/sandbox/receiver/*"), Fault::httpStatus(500));
    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QVERIFY(runAndWait(job, receiverUrl()));
    const CrcSelfTestResult &result = job.result();
    QVERIFY(!result.passed);
    QCOMPARE(result.failure, Failure::Non200);
    QCOMPARE(result.httpStatus, 500);
    QVERIFY(result.problem.contains(QLatin1String("Non-200")));
    QVERIFY(result.problem.contains(QLatin1String("500")));
    QVERIFY(result.receivedToken.isEmpty());
    QVERIFY(!result.expectedToken.isEmpty());
}

void TestCrcSelfTest::shouldReportInvalidJsonForAMalformedAnswer()
{
    m_sandbox->faults().always("GET", QStringLiteral("/sandbox/receiver/*"), Fault::malformedJson());
    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QVERIFY(runAndWait(job, receiverUrl()));
    QCOMPARE(job.result().failure, Failure::InvalidJson);
    QCOMPARE(job.result().httpStatus, 200);
    QVERIFY(job.result().problem.contains(QLatin1String("Invalid JSON")));
    QVERIFY(job.result().remedy.contains(QLatin1String("response_token")));

    m_sandbox->faults().clear();
    m_sandbox->faults().always("GET", QStringLiteral("/sandbox/receiver/*"), Fault::wrongContentType());
    QVERIFY(runAndWait(job, receiverUrl()));
    QCOMPARE(job.result().failure, Failure::InvalidJson);
}

void TestCrcSelfTest::shouldReportMissingResponseToken()
{
    TestEndpoint endpoint;
    QVERIFY(endpoint.isListening());
    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QVERIFY(runAndWait(job, endpoint.url(QStringLiteral("/nokey"))));
    QCOMPARE(job.result().failure, Failure::InvalidJson);
    QVERIFY2(job.result().problem.contains(QLatin1String("response_token")),
             qPrintable(job.result().problem));
}

void TestCrcSelfTest::shouldNameAMissingSha256Prefix()
{
    TestEndpoint endpoint;
    QVERIFY(endpoint.isListening());
    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QVERIFY(runAndWait(job, endpoint.url(QStringLiteral("/noprefix"))));
    QCOMPARE(job.result().failure, Failure::WrongToken);
    QVERIFY2(job.result().problem.contains(QLatin1String("sha256=")), qPrintable(job.result().problem));
    QCOMPARE(QByteArray("sha256=" + job.result().receivedToken), job.result().expectedToken);
}

void TestCrcSelfTest::shouldReportTooSlowAfterTheTimeLimit()
{
    // The receiver answers after 3.5 s, as a slow endpoint would; the limit is shortened so the
    // test does not wait X's full 3 s.
    m_sandbox->faults().always("GET", QStringLiteral("/sandbox/receiver/*"), Fault::delay(3500ms));
    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QCOMPARE(job.timeLimit(), 3000ms);
    job.setTimeLimit(300ms);
    QVERIFY(runAndWait(job, receiverUrl()));
    const CrcSelfTestResult &result = job.result();
    QVERIFY(!result.passed);
    QCOMPARE(result.failure, Failure::TooSlow);
    QVERIFY2(result.latencyMs >= 290 && result.latencyMs < 3000,
             qPrintable(QString::number(result.latencyMs)));
    QVERIFY(result.problem.contains(QLatin1String("3 second")));
    QVERIFY(!result.isNetworkFailure());

    // A body dripped slowly never trips a silence timeout; the whole-answer limit still applies.
    m_sandbox->faults().clear();
    m_sandbox->faults().always("GET", QStringLiteral("/sandbox/receiver/*"), Fault::slowBody(2000ms, 20));
    QVERIFY(runAndWait(job, receiverUrl()));
    QCOMPARE(job.result().failure, Failure::TooSlow);
    QVERIFY(job.result().latencyMs < 2000);
}

void TestCrcSelfTest::shouldReportConnectionErrorWhenNothingListens()
{
    // A port that was free a moment ago: nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();

    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QVERIFY(runAndWait(job, QUrl(QStringLiteral("http://127.0.0.1:%1/webhook").arg(port))));
    const CrcSelfTestResult &result = job.result();
    QVERIFY(!result.passed);
    QCOMPARE(result.failure, Failure::Connection);
    QCOMPARE(result.httpStatus, 0);
    QVERIFY(result.isNetworkFailure());
    QVERIFY(result.problem.contains(QLatin1String("Connection error")));
}

void TestCrcSelfTest::shouldFailOnARedirectWithoutFollowingIt()
{
    TestEndpoint endpoint;
    QVERIFY(endpoint.isListening());
    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QVERIFY(runAndWait(job, endpoint.url(QStringLiteral("/moved"))));
    const CrcSelfTestResult &result = job.result();
    QVERIFY(!result.passed);
    QCOMPARE(result.failure, Failure::Redirect);
    QCOMPARE(result.httpStatus, 302);
    QVERIFY(result.problem.contains(QLatin1String("redirect")));
    QVERIFY(result.problem.contains(QLatin1String("/target")));
    QCOMPARE(endpoint.targetHits, 0); // not followed
}

void TestCrcSelfTest::shouldRefuseAnUntrustedCertificateUnlessItIsTrusted()
{
    if (!QSslSocket::supportsSsl())
        ACTIVITY_SKIP_UNLESS_PROVIDED(QStringLiteral("No TLS backend."));
    // A self-signed certificate for 127.0.0.1, made now.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess openssl;
    openssl.setProgram(QStringLiteral("openssl"));
    openssl.setArguments({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                          QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                          QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                          QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1"),
                          QStringLiteral("-keyout"), dir.filePath(QStringLiteral("key.pem")),
                          QStringLiteral("-out"), dir.filePath(QStringLiteral("cert.pem"))});
    QSignalSpy done(&openssl, &QProcess::finished);
    openssl.start();
    if (!done.wait(60000) || openssl.exitCode() != 0)
        ACTIVITY_SKIP_UNLESS_PROVIDED(QStringLiteral("openssl could not make a certificate."));
    QFile certFile(dir.filePath(QStringLiteral("cert.pem")));
    QFile keyFile(dir.filePath(QStringLiteral("key.pem")));
    QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    const QSslCertificate certificate(certFile.readAll(), QSsl::Pem);
    const QSslKey key(keyFile.readAll(), QSsl::Rsa, QSsl::Pem);
    QVERIFY(!certificate.isNull() && !key.isNull());

    SandboxServer https;
    https.useTls(certificate, key);
    QVERIFY(https.listen());
    const QUrl url(https.demoReceiverUrl());
    QCOMPARE(url.scheme(), QStringLiteral("https"));

    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QVERIFY(runAndWait(job, url));
    QCOMPARE(job.result().failure, Failure::Tls);
    QVERIFY(job.result().isNetworkFailure());
    QVERIFY(job.result().problem.contains(QLatin1String("TLS")));
    QVERIFY(job.result().remedy.contains(QLatin1String("Never turn off")));

    // Trusted explicitly (as a company root would be): verified, and it passes. A fresh network
    // manager: QNetworkAccessManager keeps its connection to this host and port with the TLS settings
    // of the first request (clearConnectionCache() has the same effect).
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    CrcSelfTest trusting(&network, demo::consumerSecret);
    trusting.setExtraCaCertificates({certificate});
    QVERIFY(runAndWait(trusting, url));
    QVERIFY2(trusting.result().passed, qPrintable(trusting.result().problem));
}

void TestCrcSelfTest::shouldStopReadingAnOversizedAnswer()
{
    m_sandbox->faults().always("GET", QStringLiteral("/sandbox/receiver/*"),
                               Fault::oversized(4 * 1024 * 1024));
    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QVERIFY(runAndWait(job, receiverUrl()));
    QCOMPARE(job.result().failure, Failure::InvalidJson);
    QVERIFY2(job.result().problem.contains(QLatin1String("64 KiB")), qPrintable(job.result().problem));
}

void TestCrcSelfTest::shouldRefuseANonHttpUrlWithoutSending()
{
    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QVERIFY(!CrcSelfTest::urlProblem(QUrl(QStringLiteral("ftp://127.0.0.1/hook"))).isEmpty());
    QVERIFY(!CrcSelfTest::urlProblem(QUrl(QStringLiteral("/relative/path"))).isEmpty());
    QVERIFY(CrcSelfTest::urlProblem(receiverUrl()).isEmpty());
    // Plain http only to this computer by its address (the one loopback check), https anywhere.
    QVERIFY(!CrcSelfTest::urlProblem(QUrl(QStringLiteral("http://hooks.example.com/x"))).isEmpty());
    QVERIFY(!CrcSelfTest::urlProblem(QUrl(QStringLiteral("http://localhost:8080/x"))).isEmpty());
    QVERIFY(CrcSelfTest::urlProblem(QUrl(QStringLiteral("http://[::1]:8080/x"))).isEmpty());
    QVERIFY(CrcSelfTest::urlProblem(QUrl(QStringLiteral("https://hooks.example.com/x"))).isEmpty());

    const int before = m_sandbox->journal().size();
    QVERIFY(runAndWait(job, QUrl(QStringLiteral("file:///etc/hostname"))));
    QCOMPARE(job.result().failure, Failure::InvalidUrl);
    QVERIFY(!job.result().passed);
    QVERIFY(job.result().expectedToken.isEmpty());
    QCOMPARE(m_sandbox->journal().size(), before);
}

void TestCrcSelfTest::shouldEmitOnlyForTheLatestRun()
{
    m_sandbox->faults().always("GET", QStringLiteral("/sandbox/receiver/slow"), Fault::delay(3500ms));
    CrcSelfTest job(m_network.get(), demo::consumerSecret);
    QSignalSpy finished(&job, &CrcSelfTest::finished);
    job.run(QUrl(m_sandbox->demoReceiverUrl(QStringLiteral("slow")))); // superseded by the next run
    QVERIFY(job.isRunning());
    job.run(receiverUrl());
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.count(), 1);
    QVERIFY2(job.result().passed, qPrintable(job.result().problem));

    // The aborted first reply cannot report later: the next run is the second emission, not the third.
    job.run(receiverUrl());
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.count(), 2);

    // abort() ends a run with no signal at all.
    job.run(receiverUrl());
    job.abort();
    QVERIFY(!job.isRunning());
    job.run(receiverUrl());
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.count(), 3);
}

void TestCrcSelfTest::shouldNeverLogTokensOrTheSecret()
{
    QStringList log;
    capturedLog = &log;
    previousHandler = qInstallMessageHandler(captureMessage);
    QLoggingCategory::setFilterRules(QStringLiteral("activity.*=true"));
    const auto restore = qScopeGuard([] {
        qInstallMessageHandler(previousHandler);
        capturedLog = nullptr;
        QLoggingCategory::setFilterRules(QString());
    });

    const QByteArray otherSecret = QByteArrayLiteral("another-consumer-secret-value");
    CrcSelfTest good(m_network.get(), demo::consumerSecret);
    CrcSelfTest wrong(m_network.get(), otherSecret);
    QVERIFY(runAndWait(good, receiverUrl()));
    QVERIFY(runAndWait(wrong, receiverUrl()));
    QVERIFY(good.result().passed);
    QCOMPARE(wrong.result().failure, Failure::WrongToken);

    const QString text = log.join(QLatin1Char('\n'));
    QVERIFY2(text.contains(QLatin1String("CRC self-test of 127.0.0.1: passed")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("wrong-token")));
    for (const QByteArray &secret :
         {good.result().expectedToken, good.result().receivedToken, wrong.result().expectedToken,
          wrong.result().receivedToken, demo::consumerSecret, otherSecret}) {
        QVERIFY(!secret.isEmpty());
        QVERIFY2(!text.contains(QString::fromLatin1(secret)), "a token or secret reached the log");
        // The base64 part alone, without the prefix.
        QVERIFY(!text.contains(QString::fromLatin1(secret.mid(7))));
    }
    QVERIFY(!text.contains(QLatin1String("crc_token")));
}

QTEST_GUILESS_MAIN(TestCrcSelfTest)
#include "tst_crcselftest.moc"
