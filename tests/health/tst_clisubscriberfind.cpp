// activity-cli subscriptions find @NAME|ID (#17) against an in-process SandboxServer on 127.0.0.1:
// the demo app's two webhooks (alice on the valid one among 25 seeded subscribers), a second
// webhook that also lists her, and the snapshots in a temporary folder (ACTIVITY_SUBSCRIBERS_DIR)
// telling who appeared and disappeared between two runs.
#include "SandboxDemo.h"
#include "SandboxServer.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

#include <memory>

using namespace activity;
namespace demo = activity::sandbox::demo;

using clitest::Run;

class TestCliSubscriberFind : public QObject
{
    Q_OBJECT

    std::unique_ptr<sandbox::SandboxServer> m_server;
    QTemporaryDir m_config;
    std::unique_ptr<QTemporaryDir> m_data;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = clitest::cleanEnvironment(m_config.path());
        clitest::addDemoCredentials(env, nullptr);
        env.insert(QStringLiteral("ACTIVITY_BEARER_TOKEN"), QString::fromLatin1(demo::bearerToken));
        env.insert(QStringLiteral("ACTIVITY_HISTORY_FILE"),
                   m_data->filePath(QStringLiteral("history.sqlite")));
        env.insert(QStringLiteral("ACTIVITY_SUBSCRIBERS_DIR"),
                   m_data->filePath(QStringLiteral("subscribers")));
        return env;
    }

    Run cli(const QStringList &arguments)
    {
        return clitest::runCli(QStringList {QStringLiteral("--base-url=") + m_server->baseUrl().toString(),
                                            QStringLiteral("--allow-insecure-loopback")} +
                                   arguments,
                               environment());
    }

    static QStringList webhookIds(const QJsonArray &found)
    {
        QStringList ids;
        for (const QJsonValue &hit : found)
            ids.append(hit.toObject().value(QStringLiteral("webhook_id")).toString());
        ids.sort();
        return ids;
    }

    static QJsonObject webhookEntry(const QJsonObject &document, const QString &webhookId)
    {
        for (const QJsonValue &entry : document.value(QStringLiteral("webhooks")).toArray()) {
            if (entry.toObject().value(QStringLiteral("webhook_id")).toString() == webhookId)
                return entry.toObject();
        }
        return {};
    }

private Q_SLOTS:
    void init()
    {
        m_data = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
    }
    void cleanup() { m_server.reset(); }

    void findsAUserByNameOnEveryWebhookListingHer()
    {
        const QString second = m_server->addWebhook(QStringLiteral("https://example.com/second"), true);
        QVERIFY(m_server->subscribe(second, demo::alice.id));
        const Run run =
            cli({QStringLiteral("subscriptions"), QStringLiteral("find"), QStringLiteral("@Alice")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QByteArray("@alice (" + demo::alice.id.toUtf8() + ") is subscribed to:")),
                 qPrintable(run.describe()));
        QVERIFY2(run.out.contains(QByteArray("webhook " + demo::validWebhookId.toUtf8())),
                 qPrintable(run.describe()));
        QVERIFY2(run.out.contains(QByteArray("webhook " + second.toUtf8() + "  https://example.com/second")),
                 qPrintable(run.describe()));
        QVERIFY(!run.out.contains(demo::invalidWebhookId.toUtf8()));
    }

    void findsByIdAndSaysWhenNobodyListsTheUser()
    {
        Run run = cli({QStringLiteral("subscriptions"), QStringLiteral("find"), demo::bob.id,
                       QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        QJsonObject document = run.json();
        QCOMPARE(document.value(QStringLiteral("user_id")).toString(), demo::bob.id);
        QCOMPARE(document.value(QStringLiteral("subscribed")).toBool(), false);
        QCOMPARE(document.value(QStringLiteral("webhooks_searched")).toInt(), 2);
        QVERIFY(document.value(QStringLiteral("found")).toArray().isEmpty());

        run = cli({QStringLiteral("subscriptions"), QStringLiteral("find"), demo::alice.id,
                   QStringLiteral("--json")});
        document = run.json();
        QCOMPARE(document.value(QStringLiteral("subscribed")).toBool(), true);
        QCOMPARE(webhookIds(document.value(QStringLiteral("found")).toArray()),
                 QStringList {demo::validWebhookId});

        run = cli({QStringLiteral("subscriptions"), QStringLiteral("find"), demo::bob.id});
        QVERIFY2(run.out.contains(
                     QByteArray(demo::bob.id.toUtf8() + " is not subscribed to any of the 2 webhooks")),
                 qPrintable(run.describe()));
    }

    void listsWhoAppearedAndDisappearedSinceTheLastRun()
    {
        Run run = cli({QStringLiteral("subscriptions"), QStringLiteral("find"), demo::alice.id,
                       QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        QJsonObject valid = webhookEntry(run.json(), demo::validWebhookId);
        QCOMPARE(valid.value(QStringLiteral("first_list")).toBool(), true);
        const int before = valid.value(QStringLiteral("subscribers")).toInt();
        QVERIFY(before > 1);

        // Bob subscribes, alice is unsubscribed.
        QVERIFY(m_server->subscribe(demo::validWebhookId, demo::bob.id));
        QCOMPARE(cli({QStringLiteral("subscriptions"), QStringLiteral("remove"), demo::validWebhookId,
                      demo::alice.id, QStringLiteral("--yes")})
                     .exitCode,
                 0);

        run = cli({QStringLiteral("subscriptions"), QStringLiteral("find"), demo::alice.id,
                   QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject document = run.json();
        QCOMPARE(document.value(QStringLiteral("subscribed")).toBool(), false);
        valid = webhookEntry(document, demo::validWebhookId);
        QCOMPARE(valid.value(QStringLiteral("first_list")).toBool(), false);
        QVERIFY(!valid.value(QStringLiteral("since")).toString().isEmpty());
        QCOMPARE(valid.value(QStringLiteral("appeared")).toArray(), QJsonArray {demo::bob.id});
        QCOMPARE(valid.value(QStringLiteral("disappeared")).toArray(), QJsonArray {demo::alice.id});
        QCOMPARE(valid.value(QStringLiteral("subscribers")).toInt(), before);
        // The invalid webhook's list did not change.
        const QJsonObject invalid = webhookEntry(document, demo::invalidWebhookId);
        QVERIFY(invalid.value(QStringLiteral("appeared")).toArray().isEmpty());
        QVERIFY(invalid.value(QStringLiteral("disappeared")).toArray().isEmpty());

        // In text, a note per changed webhook (on stderr: the answer stays on stdout).
        QVERIFY(m_server->subscribe(demo::validWebhookId, demo::carol.id));
        run = cli({QStringLiteral("subscriptions"), QStringLiteral("find"), demo::carol.id});
        QVERIFY2(run.err.contains(QByteArray("1 appeared, 0 disappeared (" + demo::carol.id.toUtf8() + ")")),
                 qPrintable(run.describe()));
        QVERIFY2(run.out.contains("is subscribed to:"), qPrintable(run.describe()));
    }

    void refusesWhatIsNotAUser()
    {
        const Run run =
            cli({QStringLiteral("subscriptions"), QStringLiteral("find"), QStringLiteral("@not a name")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("is not a user") && run.err.contains("@username"),
                 qPrintable(run.describe()));
    }

    void saysWhenTheNameIsUnknown()
    {
        const Run run =
            cli({QStringLiteral("subscriptions"), QStringLiteral("find"), QStringLiteral("@nobody_here")});
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains("@nobody_here"), qPrintable(run.describe()));
    }
};

QTEST_GUILESS_MAIN(TestCliSubscriberFind)
#include "tst_clisubscriberfind.moc"
