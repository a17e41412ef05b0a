// The CRC doctor against the in-process sandbox: a TLS sandbox plays https://hooks.sandbox.test/
// through a stand-in host table (no DNS), and each item of the checklist is made to fail by a
// sandbox fault. Everything stays on 127.0.0.1.

#include "ApiClient.h"
#include "CrcDoctor.h"
#include "CrcDoctorTestSupport.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "TestEnvironment.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>

using namespace activity;
using namespace activity::sandbox;
using namespace doctortest;
using namespace std::chrono_literals;
using Check = CrcDoctorItem::Check;
using Verdict = CrcDoctorItem::Verdict;

Q_DECLARE_METATYPE(Verdict)

class TestCrcDoctor : public QObject
{
    Q_OBJECT

    std::unique_ptr<QNetworkAccessManager> m_network;
    HttpsEndpoint m_https;

    CrcDoctorOptions options(ApiGeneration generation = ApiGeneration::V2) const
    {
        CrcDoctorOptions options;
        options.generation = generation;
        options.consumerSecret = demo::consumerSecret;
        options.extraCaCertificates = {testCa()};
        options.resolver = m_https.resolver();
        options.tries = 2;
        return options;
    }

    // Runs the doctor to its one finished().
    static bool runAndWait(CrcDoctor &doctor, const QUrl &url)
    {
        QSignalSpy finished(&doctor, &CrcDoctor::finished);
        doctor.run(url);
        if (finished.count() != 0)
            return false; // never before run() returned
        return finished.wait(20000) && finished.count() == 1 && !doctor.isRunning();
    }

    static QString describe(const CrcDoctor &doctor)
    {
        QStringList lines;
        for (const CrcDoctorItem &item : doctor.items())
            lines.append(
                QStringLiteral("%1: %2 — %3 | %4")
                    .arg(item.title(), CrcDoctorItem::verdictName(item.verdict), item.finding, item.remedy));
        return lines.join(QLatin1Char('\n'));
    }

    static void expect(const CrcDoctor &doctor, Check check, Verdict verdict, const QString &findingPart,
                       const QString &remedyPart = {})
    {
        const CrcDoctorItem *item = doctor.item(check);
        QVERIFY2(item, qPrintable(CrcDoctorItem::checkName(check)));
        QVERIFY2(item->verdict == verdict, qPrintable(describe(doctor)));
        QVERIFY2(item->finding.contains(findingPart, Qt::CaseInsensitive), qPrintable(describe(doctor)));
        QVERIFY2(remedyPart.isEmpty() || item->remedy.contains(remedyPart, Qt::CaseInsensitive),
                 qPrintable(describe(doctor)));
    }

private Q_SLOTS:
    void init()
    {
        if (!QSslSocket::supportsSsl())
            ACTIVITY_SKIP_UNLESS_PROVIDED(QStringLiteral("No TLS backend."));
        QVERIFY(!testCa().isNull() && !hooksKey().isNull());
        m_network = std::make_unique<QNetworkAccessManager>();
        m_network->setProxy(QNetworkProxy::NoProxy);
        QVERIFY(m_https.start());
    }
    void cleanup()
    {
        m_network.reset();
        m_https.server.reset();
    }

    void standInTableParsesAndNeverAsksDns()
    {
        StandInHostResolver table;
        QString error;
        QVERIFY(table.parse(QStringLiteral("a.test=127.0.0.1:8443, b.test=[::1]:9000,gone.test="), &error));
        QVERIFY(!table.parse(QStringLiteral("nonsense"), &error));
        QVERIFY(error.contains(QLatin1String("nonsense")));
        QVERIFY(!table.parse(QStringLiteral("a.test=127.0.0.1"), &error));
        QObject context;
        QList<HostLookup> answers;
        for (const QString &host : {QStringLiteral("A.test"), QStringLiteral("b.test"),
                                    QStringLiteral("gone.test"), QStringLiteral("example.com")}) {
            table.lookup(host, &context, [&answers](HostLookup lookup) { answers.append(lookup); });
        }
        QVERIFY(answers.isEmpty()); // later, as DNS would answer
        QTRY_COMPARE(answers.size(), 4);
        QCOMPARE(answers[0].addresses, QList<QHostAddress> {QHostAddress::LocalHost});
        QCOMPARE(answers[0].port, quint16(8443));
        QCOMPARE(answers[1].addresses, QList<QHostAddress> {QHostAddress::LocalHostIPv6});
        QVERIFY(answers[2].addresses.isEmpty());
        QVERIFY(answers[3].addresses.isEmpty());
        QVERIFY(answers[3].error.contains(QLatin1String("DNS is not consulted")));
    }

    void healthyHttpsEndpointPassesEveryItem()
    {
        CrcDoctor doctor(m_network.get(), options());
        QSignalSpy changed(&doctor, &CrcDoctor::itemChanged);
        QVERIFY(runAndWait(doctor, m_https.url()));
        QCOMPARE(doctor.items().size(), 8); // no re-validation: not registered
        for (const CrcDoctorItem &item : doctor.items())
            QVERIFY2(item.verdict == Verdict::Passed, qPrintable(describe(doctor)));
        QCOMPARE(doctor.overall(), Verdict::Passed);
        QVERIFY(changed.count() >= 8);
        expect(doctor, Check::Dns, Verdict::Passed, QStringLiteral("127.0.0.1"));
        expect(doctor, Check::Tls, Verdict::Passed, QStringLiteral("Activity Console Test CA"));
        expect(doctor, Check::Tls, Verdict::Passed, QStringLiteral("2120-01-01"));
        expect(doctor, Check::Crc, Verdict::Passed, QStringLiteral("application/json"));
        expect(doctor, Check::Token, Verdict::Passed, QStringLiteral("consumer secret"));
        expect(doctor, Check::Latency, Verdict::Passed, QStringLiteral("over 2 tries"));
        QCOMPARE(doctor.latenciesMs().size(), 2);
        expect(doctor, Check::Compression, Verdict::Passed, QStringLiteral("uncompressed"));
    }

    void urlFormFollowsTheGenerationsRules_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<int>("generation");
        QTest::addColumn<Verdict>("verdict");
        QTest::addColumn<QString>("finding");
        QTest::newRow("plain http") << QStringLiteral("http://hooks.sandbox.test/sandbox/receiver/demo")
                                    << int(ApiGeneration::V2) << Verdict::Failed
                                    << QStringLiteral("only https");
        QTest::newRow("port") << QStringLiteral("https://hooks.sandbox.test:8443/sandbox/receiver/demo")
                              << int(ApiGeneration::V1_1) << Verdict::Failed << QStringLiteral("port");
        QTest::newRow("crc_token in query")
            << QStringLiteral("https://hooks.sandbox.test/sandbox/receiver/demo?crc_token=1")
            << int(ApiGeneration::V2) << Verdict::Failed << QStringLiteral("crc_token");
        QTest::newRow("other query") << QStringLiteral(
                                            "https://hooks.sandbox.test/sandbox/receiver/demo?app=x")
                                     << int(ApiGeneration::V2) << Verdict::Warned << QStringLiteral("query");
        QTest::newRow("too long for v2")
            << QStringLiteral("https://hooks.sandbox.test/sandbox/receiver/demo?p=") +
                QString(180, QLatin1Char('a'))
            << int(ApiGeneration::V2) << Verdict::Failed << QStringLiteral("at most 200");
        QTest::newRow("fine for v1.1")
            << QStringLiteral("https://hooks.sandbox.test/sandbox/receiver/demo/") +
                QString(180, QLatin1Char('a'))
            << int(ApiGeneration::V1_1) << Verdict::Passed << QStringLiteral("of 2048");
    }
    void urlFormFollowsTheGenerationsRules()
    {
        QFETCH(QString, url);
        QFETCH(int, generation);
        QFETCH(Verdict, verdict);
        QFETCH(QString, finding);
        CrcDoctor doctor(m_network.get(), options(ApiGeneration(generation)));
        QVERIFY(runAndWait(doctor, QUrl(url)));
        expect(doctor, Check::Url, verdict, finding);
        // The rest still runs: a URL X would refuse can still be diagnosed.
        QVERIFY(doctor.item(Check::Dns)->verdict != Verdict::Skipped);
    }

    void localEndpointIsDiagnosedWithAWarning()
    {
        SandboxServer plain;
        QVERIFY(plain.listen());
        CrcDoctor doctor(m_network.get(), options());
        QVERIFY(runAndWait(doctor, QUrl(plain.demoReceiverUrl())));
        expect(doctor, Check::Url, Verdict::Warned, QStringLiteral("local endpoint"),
               QStringLiteral("https"));
        expect(doctor, Check::Dns, Verdict::Passed, QStringLiteral("nothing to resolve"));
        expect(doctor, Check::Tls, Verdict::Skipped, QStringLiteral("Plain http"));
        expect(doctor, Check::Token, Verdict::Passed, QStringLiteral("consumer secret"));
    }

    void unknownHostFailsDnsAndSkipsTheRest()
    {
        CrcDoctor doctor(m_network.get(), options());
        QVERIFY(runAndWait(doctor, m_https.url(missingHost)));
        expect(doctor, Check::Dns, Verdict::Failed, QStringLiteral("does not resolve"),
               QStringLiteral("DNS"));
        for (Check check :
             {Check::Tcp, Check::Tls, Check::Crc, Check::Token, Check::Latency, Check::Compression})
            expect(doctor, check, Verdict::Skipped, QStringLiteral("does not resolve"));
        QCOMPARE(doctor.overall(), Verdict::Failed);
    }

    void closedPortFailsTcp()
    {
        CrcDoctor doctor(m_network.get(), options());
        QVERIFY(runAndWait(doctor, m_https.url(closedHost)));
        expect(doctor, Check::Dns, Verdict::Passed, closedHost);
        expect(doctor, Check::Tcp, Verdict::Failed, QStringLiteral("No connection"),
               QStringLiteral("firewall"));
        expect(doctor, Check::Tls, Verdict::Skipped, QStringLiteral("no connection"));
    }

    void untrustedChainFailsTls()
    {
        CrcDoctorOptions untrusting = options();
        untrusting.extraCaCertificates.clear();
        CrcDoctor doctor(m_network.get(), untrusting);
        QVERIFY(runAndWait(doctor, m_https.url()));
        expect(doctor, Check::Tls, Verdict::Failed, QStringLiteral("chain does not verify"),
               QStringLiteral("full chain"));
        expect(doctor, Check::Crc, Verdict::Skipped, QStringLiteral("TLS failed"));
    }

    void expiredCertificateFailsTls()
    {
        HttpsEndpoint expired;
        QVERIFY(expired.start(expiredCertificate()));
        CrcDoctorOptions opts = options();
        opts.resolver = expired.resolver();
        CrcDoctor doctor(m_network.get(), opts);
        QVERIFY(runAndWait(doctor, expired.url()));
        expect(doctor, Check::Tls, Verdict::Failed, QStringLiteral("expired on 2021-01-01"),
               QStringLiteral("Renew"));
    }

    void certificateForAnotherNameFailsTls()
    {
        CrcDoctor doctor(m_network.get(), options());
        QVERIFY(runAndWait(doctor, m_https.url(otherHost)));
        expect(doctor, Check::Tls, Verdict::Failed,
               QStringLiteral("is for hooks.sandbox.test, not other.sandbox.test"), otherHost);
    }

    void certificateExpiringSoonIsAWarning()
    {
        CrcDoctorOptions opts = options();
        opts.clock = [] { return QDateTime(QDate(2119, 12, 25), QTime(0, 0), Qt::UTC); };
        CrcDoctor doctor(m_network.get(), opts);
        QVERIFY(runAndWait(doctor, m_https.url()));
        expect(doctor, Check::Tls, Verdict::Warned, QStringLiteral("7 days left"), QStringLiteral("Renew"));
        expect(doctor, Check::Crc, Verdict::Passed, QStringLiteral("HTTP 200"));
    }

    void non200AnswerFailsTheCrcItem()
    {
        m_https.server->faults().always("GET", QStringLiteral("/sandbox/receiver/*"), Fault::httpStatus(500));
        CrcDoctor doctor(m_network.get(), options());
        QVERIFY(runAndWait(doctor, m_https.url()));
        expect(doctor, Check::Crc, Verdict::Failed, QStringLiteral("HTTP 500"), QStringLiteral("GET"));
        expect(doctor, Check::Token, Verdict::Skipped, QStringLiteral("no JSON"));
        expect(doctor, Check::Latency, Verdict::Passed, QStringLiteral("over 2 tries"));
    }

    void redirectIsReportedAndNotFollowed()
    {
        m_https.server->setReceiverCrcAnswer({ReceiverCrcAnswer::Mode::Redirect});
        CrcDoctor doctor(m_network.get(), options());
        QVERIFY(runAndWait(doctor, m_https.url()));
        expect(doctor, Check::Crc, Verdict::Failed, QStringLiteral("redirect (HTTP 302"),
               QStringLiteral("Register"));
        QVERIFY(doctor.item(Check::Crc)->finding.contains(QLatin1String("/sandbox/receiver/demo/moved")));
    }

    void malformedJsonFailsTheCrcItem()
    {
        m_https.server->faults().always("GET", QStringLiteral("/sandbox/receiver/*"), Fault::malformedJson());
        CrcDoctor doctor(m_network.get(), options());
        QVERIFY(runAndWait(doctor, m_https.url()));
        expect(doctor, Check::Crc, Verdict::Failed, QStringLiteral("Invalid JSON"),
               QStringLiteral("response_token"));
    }

    void wrongContentTypeIsAWarning()
    {
        m_https.server->setReceiverCrcAnswer({ReceiverCrcAnswer::Mode::PlainText});
        CrcDoctor doctor(m_network.get(), options());
        QVERIFY(runAndWait(doctor, m_https.url()));
        expect(doctor, Check::Crc, Verdict::Warned, QStringLiteral("text/plain"),
               QStringLiteral("application/json"));
        expect(doctor, Check::Token, Verdict::Passed, QStringLiteral("consumer secret"));
    }

    void tokenOfAnotherSecretFails()
    {
        m_https.server->setReceiverCrcAnswer(
            {ReceiverCrcAnswer::Mode::OtherSecret, "not-the-consumer-secret"});
        CrcDoctorOptions opts = options();
        opts.clientSecret = "the-oauth2-client-secret";
        CrcDoctor doctor(m_network.get(), opts);
        QVERIFY(runAndWait(doctor, m_https.url()));
        expect(doctor, Check::Crc, Verdict::Passed, QStringLiteral("HTTP 200"));
        expect(doctor, Check::Token, Verdict::Failed,
               QStringLiteral("neither the consumer secret nor the OAuth 2.0"),
               QStringLiteral("consumer secret"));
    }

    void tokenOfTheClientSecretIsNamed()
    {
        m_https.server->setReceiverCrcAnswer(
            {ReceiverCrcAnswer::Mode::OtherSecret, "the-oauth2-client-secret"});
        CrcDoctorOptions opts = options();
        opts.clientSecret = "the-oauth2-client-secret";
        CrcDoctor doctor(m_network.get(), opts);
        QVERIFY(runAndWait(doctor, m_https.url()));
        expect(doctor, Check::Token, Verdict::Failed,
               QStringLiteral("OAuth 2.0 client secret, not the consumer"),
               QStringLiteral("instead of the OAuth 2.0 client secret"));
    }

    void slowAnswersAreMeasuredAgainstTheGenerationsLimits()
    {
        m_https.server->faults().always("GET", QStringLiteral("/sandbox/receiver/*"), Fault::delay(300ms));
        // v2: within the (scaled) 10 s answer limit, over the (scaled) 3 s CRC rule: a warning.
        CrcDoctorOptions v2 = options();
        v2.crcLimit = 200ms;
        v2.deliveryLimit = 2000ms;
        CrcDoctor doctor(m_network.get(), v2);
        QVERIFY(runAndWait(doctor, m_https.url()));
        expect(doctor, Check::Latency, Verdict::Warned, QStringLiteral("over 2 tries"),
               QStringLiteral("at once"));
        QVERIFY(doctor.item(Check::Latency)->finding.contains(QLatin1String("within v2's 2000 ms")));
        QVERIFY(doctor.latenciesMs().first() >= 300);
        expect(doctor, Check::Crc, Verdict::Passed, QStringLiteral("HTTP 200"));

        // v1.1: the CRC limit is the hard one.
        CrcDoctorOptions v1 = options(ApiGeneration::V1_1);
        v1.crcLimit = 200ms;
        CrcDoctor strict(m_network.get(), v1);
        QVERIFY(runAndWait(strict, m_https.url()));
        expect(strict, Check::Latency, Verdict::Failed, QStringLiteral("High latency on CRC GET"));
        expect(strict, Check::Crc, Verdict::Skipped, QStringLiteral("see Latency"));
    }

    void compressionMismatchesFail_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<Verdict>("verdict");
        QTest::addColumn<QString>("finding");
        using Mode = ReceiverCrcAnswer::Mode;
        QTest::newRow("declared, not used")
            << int(Mode::GzipDeclaredNotUsed) << Verdict::Failed
            << QStringLiteral("declares Content-Encoding: gzip but is not compressed");
        QTest::newRow("used, not declared")
            << int(Mode::GzipUndeclared) << Verdict::Failed << QStringLiteral("without declaring it");
        QTest::newRow("unasked") << int(Mode::GzipAlways) << Verdict::Failed
                                 << QStringLiteral("although the request asked for none");
        QTest::newRow("correct") << int(Mode::GzipWhenAsked) << Verdict::Passed
                                 << QStringLiteral("gzip when asked, declared correctly");
    }
    void compressionMismatchesFail()
    {
        QFETCH(int, mode);
        QFETCH(Verdict, verdict);
        QFETCH(QString, finding);
        m_https.server->setReceiverCrcAnswer({ReceiverCrcAnswer::Mode(mode)});
        CrcDoctor doctor(m_network.get(), options());
        QVERIFY(runAndWait(doctor, m_https.url()));
        expect(doctor, Check::Compression, verdict, finding);
        if (verdict == Verdict::Failed)
            QVERIFY(doctor.item(Check::Compression)->remedy.contains(QLatin1String("Content-Encoding")));
        else
            expect(doctor, Check::Token, Verdict::Passed, QStringLiteral("consumer secret")); // decoded by Qt
    }

    void registeredWebhookEndsWithXsRevalidation()
    {
        SandboxServer x;
        x.seedDemo();
        QVERIFY(x.listen());
        const QString id = x.addWebhook(x.demoReceiverUrl(), false);
        ClientConfig config;
        config.baseUrl = x.baseUrl();
        config.allowInsecureLoopback = true;
        config.generation = ApiGeneration::V2;
        ApiClient client(m_network.get(), config,
                         AppCredentials {demo::consumerKey, demo::consumerSecret, demo::ownerToken,
                                         demo::ownerTokenSecret, demo::bearerToken});
        CrcDoctorOptions opts = options();
        opts.client = &client;
        opts.webhookId = id;
        CrcDoctor doctor(m_network.get(), opts);
        QVERIFY(runAndWait(doctor, QUrl(x.demoReceiverUrl())));
        QCOMPARE(doctor.items().size(), 9);
        expect(doctor, Check::Revalidation, Verdict::Passed, QStringLiteral("lists it as valid"));
        QVERIFY(x.webhook(id)->valid);

        // The receiver signs with another secret: the token fails here, and X's PUT fails too.
        x.setReceiverCrcAnswer({ReceiverCrcAnswer::Mode::OtherSecret, "another-apps-secret"});
        QVERIFY(runAndWait(doctor, QUrl(x.demoReceiverUrl())));
        expect(doctor, Check::Token, Verdict::Failed, QStringLiteral("response_token"));
        expect(doctor, Check::Revalidation, Verdict::Failed, QStringLiteral("failed"));
        QVERIFY(!x.webhook(id)->valid);
    }

    void aNewRunOrAbortDropsTheOldOne()
    {
        CrcDoctor doctor(m_network.get(), options());
        QSignalSpy finished(&doctor, &CrcDoctor::finished);
        doctor.run(m_https.url(missingHost));
        doctor.run(m_https.url());
        QVERIFY(finished.wait(20000));
        QCOMPARE(doctor.url(), m_https.url());
        QCOMPARE(doctor.overall(), Verdict::Passed);
        doctor.run(m_https.url());
        doctor.abort();
        QVERIFY(!doctor.isRunning());
        // The aborted run never reports: the next one's finished() is the only one that follows.
        doctor.run(m_https.url(missingHost));
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.count(), 2);
        QCOMPARE(doctor.item(Check::Dns)->verdict, Verdict::Failed);
    }
};

QTEST_GUILESS_MAIN(TestCrcDoctor)
#include "tst_crcdoctor.moc"
