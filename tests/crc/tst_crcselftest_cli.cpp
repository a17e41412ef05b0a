// `activity-cli crc test URL`: the real executable, run with QProcess against the demo receiver of an
// in-process SandboxServer on 127.0.0.1. Exit codes: 0 passed, 1 failed check, 2 usage, 3 unreachable,
// 4 no consumer secret.

#include "Crc.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include "CliTestSupport.h"

#include <memory>

using namespace activity;
using namespace activity::sandbox;

using clitest::Run;

class TestCrcSelfTestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void shouldExitZeroWhenTheEndpointPasses();
    void shouldExitOneWithTheVerdictForAWrongSecret();
    void shouldExitOneForANon200Answer();
    void shouldExitThreeWhenNothingListens();
    void shouldPrintTheVerdictAsJson();
    void shouldExitFourWithoutAConsumerSecret();
    void shouldExitTwoForANonHttpUrl();
    void shouldKeepTheTokenFormOfCrc();

private:
    QProcessEnvironment environment(const QByteArray &consumerSecret) const;
    Run cli(const QStringList &arguments, const QProcessEnvironment &env);
    Run cli(const QStringList &arguments) { return cli(arguments, environment(demo::consumerSecret)); }

    std::unique_ptr<SandboxServer> m_sandbox;
    QTemporaryDir m_config; // the child's XDG_CONFIG_HOME: no real user's settings are read
};

void TestCrcSelfTestCli::init()
{
    m_sandbox = std::make_unique<SandboxServer>();
    m_sandbox->seedDemo();
    QVERIFY(m_sandbox->listen());
}

void TestCrcSelfTestCli::cleanup()
{
    m_sandbox.reset();
}

QProcessEnvironment TestCrcSelfTestCli::environment(const QByteArray &consumerSecret) const
{
    QProcessEnvironment env = clitest::cleanEnvironment(m_config.path());
    if (!consumerSecret.isEmpty())
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QString::fromLatin1(consumerSecret));
    return env;
}

Run TestCrcSelfTestCli::cli(const QStringList &arguments, const QProcessEnvironment &env)
{
    return clitest::runCliProcess(arguments, env, 30000);
}

void TestCrcSelfTestCli::shouldExitZeroWhenTheEndpointPasses()
{
    const Run run = cli({QStringLiteral("crc"), QStringLiteral("test"), m_sandbox->demoReceiverUrl()});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.startsWith("Passed in "), qPrintable(run.describe()));
    QVERIFY(!run.out.contains(demo::consumerSecret));
    QVERIFY(!run.err.contains(demo::consumerSecret));
}

void TestCrcSelfTestCli::shouldExitOneWithTheVerdictForAWrongSecret()
{
    const QByteArray wrongSecret = QByteArrayLiteral("a-wrong-consumer-secret");
    const Run run = cli({QStringLiteral("crc"), QStringLiteral("test"), m_sandbox->demoReceiverUrl()},
                        environment(wrongSecret));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.startsWith("Failed: Wrong response_token"), qPrintable(run.describe()));
    QVERIFY(run.out.contains("HTTP 200 after "));
    QVERIFY(run.out.contains("Expected response_token: sha256="));
    QVERIFY(run.out.contains("Received response_token: sha256="));
    QVERIFY(!run.out.contains(wrongSecret) && !run.err.contains(wrongSecret));
}

void TestCrcSelfTestCli::shouldExitOneForANon200Answer()
{
    m_sandbox->faults().always("GET", QStringLiteral("/sandbox/receiver/*"), Fault::httpStatus(500));
    const Run run = cli({QStringLiteral("crc"), QStringLiteral("test"), m_sandbox->demoReceiverUrl()});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.startsWith("Failed: Non-200"), qPrintable(run.describe()));
    QVERIFY(run.out.contains("HTTP 500 after "));
}

void TestCrcSelfTestCli::shouldExitThreeWhenNothingListens()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    const Run run = cli({QStringLiteral("crc"), QStringLiteral("test"),
                         QStringLiteral("http://127.0.0.1:%1/webhook").arg(port)});
    QCOMPARE(run.exitCode, 3);
    QVERIFY2(run.out.startsWith("Failed: Connection error"), qPrintable(run.describe()));
    QVERIFY(run.out.contains("No HTTP answer"));
}

void TestCrcSelfTestCli::shouldPrintTheVerdictAsJson()
{
    const Run run = cli({QStringLiteral("--json"), QStringLiteral("crc"), QStringLiteral("test"),
                         m_sandbox->demoReceiverUrl()});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject verdict = QJsonDocument::fromJson(run.out).object();
    QVERIFY2(verdict.value(QStringLiteral("passed")).toBool(), qPrintable(run.describe()));
    QCOMPARE(verdict.value(QStringLiteral("verdict")).toString(), QStringLiteral("passed"));
    QCOMPARE(verdict.value(QStringLiteral("http_status")).toInt(), 200);
    QVERIFY(verdict.value(QStringLiteral("latency_ms")).isDouble());
    QVERIFY(verdict.value(QStringLiteral("expected_token")).toString().startsWith(QLatin1String("sha256=")));
    QCOMPARE(verdict.value(QStringLiteral("received_token")),
             verdict.value(QStringLiteral("expected_token")));
}

void TestCrcSelfTestCli::shouldExitFourWithoutAConsumerSecret()
{
    const Run run =
        cli({QStringLiteral("crc"), QStringLiteral("test"), m_sandbox->demoReceiverUrl()}, environment({}));
    QCOMPARE(run.exitCode, 4);
    QVERIFY2(run.err.contains("consumer secret"), qPrintable(run.describe()));
    QCOMPARE(m_sandbox->journal().size(), 0);
}

void TestCrcSelfTestCli::shouldExitTwoForANonHttpUrl()
{
    const Run run =
        cli({QStringLiteral("crc"), QStringLiteral("test"), QStringLiteral("ftp://127.0.0.1/hook")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("http"), qPrintable(run.describe()));
}

void TestCrcSelfTestCli::shouldKeepTheTokenFormOfCrc()
{
    const Run run = cli({QStringLiteral("crc"), QStringLiteral("challenge-123")});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out.trimmed(), crc::responseToken(demo::consumerSecret, "challenge-123"));
    const Run help = cli({QStringLiteral("--help")});
    QVERIFY2(help.out.contains("crc test URL"), qPrintable(help.describe()));
}

QTEST_GUILESS_MAIN(TestCrcSelfTestCli)
#include "tst_crcselftest_cli.moc"
