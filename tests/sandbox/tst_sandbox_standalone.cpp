// The standalone activity-sandbox executable: --port 0 --seed demo --port-file F, then a real call.

#include "SandboxTestSupport.h"

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
        QProcess process;
        process.setProgram(QStringLiteral(ACTIVITY_SANDBOX_EXE));
        process.setArguments({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--seed"),
                              QStringLiteral("demo"), QStringLiteral("--port-file"), portFile});
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

        const QByteArray banner = process.readAllStandardOutput();
        QVERIFY(banner.contains(QStringLiteral("http://127.0.0.1:%1").arg(port).toLatin1()));
        QVERIFY(banner.contains(demo::bearerToken));

        process.terminate();
        QVERIFY(process.waitForFinished(10000));
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
