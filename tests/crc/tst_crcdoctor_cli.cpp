// `activity-cli crc doctor URL`: the real executable against in-process sandboxes on 127.0.0.1 — a
// TLS one playing https://hooks.sandbox.test/ through ACTIVITY_CRC_DOCTOR_HOSTS (no DNS), and a
// plain one holding a registered webhook for X's re-validation. Exit codes: 0 nothing failed, 1 an
// item failed, 3 DNS or TCP failed.

#include "CrcDoctorTestSupport.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "TestEnvironment.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include "CliTestSupport.h"

using namespace activity;
using namespace activity::sandbox;
using namespace doctortest;
using clitest::Run;

class TestCrcDoctorCli : public QObject
{
    Q_OBJECT

    HttpsEndpoint m_https;
    QTemporaryDir m_config;
    QTemporaryDir m_data;

    QProcessEnvironment environment(bool appKeys = false) const
    {
        QProcessEnvironment env = clitest::cleanEnvironment(m_config.path());
        if (appKeys)
            clitest::addDemoCredentials(env, nullptr);
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QString::fromLatin1(demo::consumerSecret));
        env.insert(QStringLiteral("ACTIVITY_HISTORY_FILE"),
                   m_data.filePath(QStringLiteral("history.sqlite")));
        env.insert(QStringLiteral("ACTIVITY_CRC_DOCTOR_HOSTS"), m_https.hostTable);
        env.insert(QStringLiteral("ACTIVITY_CRC_DOCTOR_CA"),
                   QStringLiteral(ACTIVITY_TEST_CERTS_DIR "/ca.pem"));
        return env;
    }
    static Run cli(const QStringList &arguments, const QProcessEnvironment &env)
    {
        return clitest::runCliProcess(arguments, env, 60000);
    }
    static QJsonObject itemOf(const Run &run, const QString &check)
    {
        for (const QJsonValue &item : run.json().value(QStringLiteral("items")).toArray()) {
            if (item.toObject().value(QStringLiteral("check")).toString() == check)
                return item.toObject();
        }
        return {};
    }

private Q_SLOTS:
    void init()
    {
        if (!QSslSocket::supportsSsl())
            ACTIVITY_SKIP_UNLESS_PROVIDED(QStringLiteral("No TLS backend."));
        QVERIFY(m_config.isValid() && m_data.isValid());
        QVERIFY(m_https.start());
    }
    void cleanup() { m_https.server.reset(); }

    void healthyEndpointPrintsEveryItemAndExitsZero()
    {
        const Run run = cli({QStringLiteral("crc"), QStringLiteral("doctor"), m_https.url().toString(),
                             QStringLiteral("--tries"), QStringLiteral("2")},
                            environment());
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QString out = QString::fromUtf8(run.out);
        for (const char *title : {"Webhook URL", "DNS", "TCP connection", "TLS certificate", "CRC answer",
                                  "response_token", "Latency", "Compression"}) {
            QVERIFY2(out.contains(QStringLiteral("PASS  %1: ").arg(QLatin1String(title))),
                     qPrintable(run.describe()));
        }
        QVERIFY(out.contains(QLatin1String("over 2 tries")));
        QVERIFY(out.contains(QLatin1String("8 passed, 0 warned, 0 failed.")));
        QVERIFY(!run.out.contains(demo::consumerSecret));
    }

    void eachFaultGivesItsVerdictCauseAndRemedyAsJson_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("check");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<QString>("finding");
        QTest::addColumn<QString>("remedy");
        QTest::addColumn<int>("exitCode");
        using Mode = ReceiverCrcAnswer::Mode;
        QTest::newRow("url") << hooksHost + QStringLiteral(":8443") << int(Mode::Correct) << "url"
                             << "failed"
                             << "names a port (:8443)"
                             << "port 443" << 1;
        QTest::newRow("dns") << missingHost << int(Mode::Correct) << "dns"
                             << "failed"
                             << "does not resolve"
                             << "DNS records" << 3;
        QTest::newRow("tcp") << closedHost << int(Mode::Correct) << "tcp"
                             << "failed"
                             << "No connection"
                             << "firewall" << 3;
        QTest::newRow("tls") << otherHost << int(Mode::Correct) << "tls"
                             << "failed"
                             << "not other.sandbox.test"
                             << "names include" << 1;
        QTest::newRow("crc") << hooksHost << int(Mode::Redirect) << "crc"
                             << "failed"
                             << "redirect"
                             << "Register the URL" << 1;
        QTest::newRow("content type") << hooksHost << int(Mode::PlainText) << "crc"
                                      << "warned"
                                      << "text/plain"
                                      << "application/json" << 0;
        QTest::newRow("token") << hooksHost << int(Mode::OtherSecret) << "token"
                               << "failed"
                               << "Wrong response_token"
                               << "consumer secret" << 1;
        QTest::newRow("compression") << hooksHost << int(Mode::GzipDeclaredNotUsed) << "compression"
                                     << "failed"
                                     << "declares Content-Encoding: gzip"
                                     << "Content-Encoding" << 1;
    }
    void eachFaultGivesItsVerdictCauseAndRemedyAsJson()
    {
        QFETCH(QString, host);
        QFETCH(int, mode);
        QFETCH(QString, check);
        QFETCH(QString, verdict);
        QFETCH(QString, finding);
        QFETCH(QString, remedy);
        QFETCH(int, exitCode);
        m_https.server->setReceiverCrcAnswer({ReceiverCrcAnswer::Mode(mode), "another-apps-secret"});
        const Run run = cli({QStringLiteral("crc"), QStringLiteral("doctor"), m_https.url(host).toString(),
                             QStringLiteral("--tries=1"), QStringLiteral("--json")},
                            environment());
        QVERIFY2(run.exitCode == exitCode, qPrintable(run.describe()));
        const QJsonObject item = itemOf(run, check);
        QVERIFY2(item.value(QStringLiteral("verdict")).toString() == verdict, qPrintable(run.describe()));
        QVERIFY2(item.value(QStringLiteral("finding")).toString().contains(finding),
                 qPrintable(run.describe()));
        QVERIFY2(item.value(QStringLiteral("remedy")).toString().contains(remedy),
                 qPrintable(run.describe()));
        QCOMPARE(run.json().value(QStringLiteral("url")).toString(), m_https.url(host).toString());
    }

    void slowAnswerFailsLatencyForV11()
    {
        m_https.server->faults().always("GET", QStringLiteral("/sandbox/receiver/*"),
                                        Fault::delay(std::chrono::milliseconds(3300)));
        const Run run = cli({QStringLiteral("--api"), QStringLiteral("1.1"), QStringLiteral("crc"),
                             QStringLiteral("doctor"), m_https.url().toString(), QStringLiteral("--tries=1"),
                             QStringLiteral("--json")},
                            environment());
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        const QJsonObject latency = itemOf(run, QStringLiteral("latency"));
        QCOMPARE(latency.value(QStringLiteral("verdict")).toString(), QStringLiteral("failed"));
        QVERIFY(latency.value(QStringLiteral("finding")).toString().contains(QLatin1String("3000 ms")));
    }

    void registeredWebhookIsFoundByUrlAndRevalidated()
    {
        SandboxServer x;
        x.seedDemo();
        QVERIFY(x.listen());
        const QString id = x.addWebhook(x.demoReceiverUrl(), false);
        const QStringList base {QStringLiteral("--base-url=") + x.baseUrl().toString(),
                                QStringLiteral("--allow-insecure-loopback")};
        Run run = cli(base +
                          QStringList {QStringLiteral("crc"), QStringLiteral("doctor"), x.demoReceiverUrl(),
                                       QStringLiteral("--tries=1"), QStringLiteral("--json")},
                      environment(true));
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QJsonObject revalidation = itemOf(run, QStringLiteral("revalidation"));
        QCOMPARE(revalidation.value(QStringLiteral("verdict")).toString(), QStringLiteral("passed"));
        QVERIFY(revalidation.value(QStringLiteral("finding")).toString().contains(id));
        QCOMPARE(itemOf(run, QStringLiteral("url")).value(QStringLiteral("verdict")).toString(),
                 QStringLiteral("warned")); // a local endpoint
        QVERIFY(x.webhook(id)->valid);
        // X's PUT is a write: it is in the history, as `webhooks validate` would be.
        const Run history = cli({QStringLiteral("--json"), QStringLiteral("history")}, environment(true));
        const QJsonObject entry = history.json().value(QStringLiteral("entries")).toArray().at(0).toObject();
        QVERIFY2(entry.value(QStringLiteral("summary")).toString() == QLatin1String("valid"),
                 qPrintable(history.describe()));
        QVERIFY2(QJsonDocument(entry).toJson().contains(id.toUtf8()), qPrintable(history.describe()));

        // Its CRC now fails: the doctor says so, and so does X's PUT.
        x.setReceiverCrcAnswer({ReceiverCrcAnswer::Mode::OtherSecret, "another-apps-secret"});
        run = cli(base +
                      QStringList {QStringLiteral("crc"), QStringLiteral("doctor"), x.demoReceiverUrl(),
                                   QStringLiteral("--tries=1"), QStringLiteral("--json")},
                  environment(true));
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        revalidation = itemOf(run, QStringLiteral("revalidation"));
        QCOMPARE(revalidation.value(QStringLiteral("verdict")).toString(), QStringLiteral("failed"));
        QVERIFY(!x.webhook(id)->valid);

        // --no-revalidate: no PUT, no revalidation item.
        run = cli(base +
                      QStringList {QStringLiteral("crc"), QStringLiteral("doctor"), x.demoReceiverUrl(),
                                   QStringLiteral("--tries=1"), QStringLiteral("--json"),
                                   QStringLiteral("--no-revalidate")},
                  environment(true));
        QVERIFY(itemOf(run, QStringLiteral("revalidation")).isEmpty());
    }

    void badInputIsRefusedWithWhatToDo()
    {
        Run run = cli({QStringLiteral("crc"), QStringLiteral("doctor"), m_https.url().toString(),
                       QStringLiteral("--tries=0")},
                      environment());
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--tries takes a number from 1 to 20"));
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("ACTIVITY_CRC_DOCTOR_HOSTS"), QStringLiteral("nonsense"));
        run = cli({QStringLiteral("crc"), QStringLiteral("doctor"), m_https.url().toString()}, env);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("ACTIVITY_CRC_DOCTOR_HOSTS"), qPrintable(run.describe()));
        env = environment();
        env.remove(QStringLiteral("ACTIVITY_CONSUMER_SECRET"));
        run = cli({QStringLiteral("crc"), QStringLiteral("doctor"), m_https.url().toString()}, env);
        QCOMPARE(run.exitCode, 4);
    }
};

QTEST_GUILESS_MAIN(TestCrcDoctorCli)
#include "tst_crcdoctor_cli.moc"
