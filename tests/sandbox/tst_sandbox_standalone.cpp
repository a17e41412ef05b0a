// The standalone activity-sandbox executable: a free port by default, --port-file and --token-file,
// then real calls; and the one tools/run-tests starts for the whole session.

#include "SandboxTestSupport.h"
#include "TestEnvironment.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace sandboxtest;

class TestSandboxStandalone : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shouldServeTheDemoWorldOnThePortItWrites()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString portFile = dir.filePath(QStringLiteral("sandbox.port"));
        const QString tokenFile = dir.filePath(QStringLiteral("sandbox.token"));
        QProcess process;
        process.setProgram(QStringLiteral(ACTIVITY_SANDBOX_EXE));
        // No --port: it picks a free one itself.
        process.setArguments({QStringLiteral("--seed"), QStringLiteral("demo"), QStringLiteral("--port-file"),
                              portFile, QStringLiteral("--token-file"), tokenFile});
        process.start();
        QVERIFY(process.waitForStarted(10000));
        // The port file is written after listening; the banner is printed just before it.
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(portFile), 10000);
        QFile file(portFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const quint16 port = quint16(file.readAll().trimmed().toUInt());
        QVERIFY(port != 0);

        Client client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
        const Response r = client.bearer("GET", QStringLiteral("/1.1/account_activity/webhooks.json"));
        QCOMPARE(r.status, 200);
        const QJsonArray list = r.json().array();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).toObject().value(QStringLiteral("id")).toString(), demo::validWebhookId);
        QCOMPARE(list.at(0).toObject().value(QStringLiteral("url")).toString(),
                 QStringLiteral("http://127.0.0.1:%1/sandbox/receiver/demo").arg(port));
        QVERIFY(list.at(0).toObject().value(QStringLiteral("valid")).toBool());
        QCOMPARE(list.at(1).toObject().value(QStringLiteral("valid")).toBool(), false);

        // The token file was written before the port file, for its owner only.
        QFile tokenText(tokenFile);
        QVERIFY(tokenText.open(QIODevice::ReadOnly));
        const QByteArray token = tokenText.readAll().trimmed();
        QVERIFY(token.size() >= 32);
        QCOMPARE(tokenText.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
        const QByteArray event =
            "{\"for_user_id\":\"" + demo::alice.id.toLatin1() + "\",\"event\":\"favorite_events\"}";
        const QUrl events = client.url(QStringLiteral("/sandbox/events"));
        QCOMPARE(client.send("POST", events, {}, event, "application/json").status, 403);
        client.setHeader(sandboxTokenHeader, token);
        const Response sent = client.send("POST", events, {}, event, "application/json");
        QCOMPARE(sent.status, 200);
        QCOMPARE(sent.object().value(QStringLiteral("delivered_to")).toInt(), 1);

        const QByteArray banner = process.readAllStandardOutput();
        QVERIFY(banner.contains(QStringLiteral("http://127.0.0.1:%1").arg(port).toLatin1()));
        QVERIFY(banner.contains(demo::bearerToken));
        QVERIFY(banner.contains(token));

        process.terminate();
        QVERIFY(process.waitForFinished(10000));
    }

    // tools/run-tests starts one for the session and exports its URL and token.
    void shouldTakeTheSessionTokenOfTheSharedSandbox()
    {
        const QString url = qEnvironmentVariable("ACTIVITY_SANDBOX_URL");
        const QByteArray token = qgetenv("ACTIVITY_SANDBOX_TOKEN");
        if (url.isEmpty() || token.isEmpty())
            ACTIVITY_SKIP_UNLESS_PROVIDED(QStringLiteral("no shared sandbox (run through tools/run-tests)"));
        Client client {QUrl(url)};
        const QUrl listed = client.url(QStringLiteral("/sandbox/receiver/demo/events"));
        QCOMPARE(client.send("GET", listed).status, 403);
        client.setHeader(sandboxTokenHeader, token);
        const Response r = client.send("GET", listed);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().isArray());
    }

    void shouldRefuseABadPort()
    {
        QProcess process;
        process.start(QStringLiteral(ACTIVITY_SANDBOX_EXE),
                      {QStringLiteral("--port"), QStringLiteral("nope")});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("--port"));
    }
};

QTEST_GUILESS_MAIN(TestSandboxStandalone)
#include "tst_sandbox_standalone.moc"
