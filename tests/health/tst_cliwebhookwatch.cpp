// activity-cli webhooks watch (#17), the real executable against an in-process SandboxServer on
// 127.0.0.1: one JSON line per change of `valid` (and the first state of each webhook), nothing for
// a poll that changes nothing, --exit-on-invalid's exit code 5, --revalidate restoring a webhook
// with the real CRC PUT, and every change kept in the timeline (ACTIVITY_HEALTH_FILE).
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "WebhookTimeline.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

#include <memory>

using namespace activity;
namespace demo = activity::sandbox::demo;

class TestCliWebhookWatch : public QObject
{
    Q_OBJECT

    std::unique_ptr<sandbox::SandboxServer> m_server;
    QTemporaryDir m_config;
    std::unique_ptr<QTemporaryDir> m_data;
    std::unique_ptr<QProcess> m_watch;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = clitest::cleanEnvironment(m_config.path());
        clitest::addDemoCredentials(env, nullptr);
        env.insert(QStringLiteral("ACTIVITY_BEARER_TOKEN"), QString::fromLatin1(demo::bearerToken));
        env.insert(QStringLiteral("ACTIVITY_HISTORY_FILE"),
                   m_data->filePath(QStringLiteral("history.sqlite")));
        env.insert(QStringLiteral("ACTIVITY_HEALTH_FILE"), healthFile());
        return env;
    }

    QString healthFile() const { return m_data->filePath(QStringLiteral("health.sqlite")); }
    QString profile() const { return m_server->baseUrl().toString(); }

    QStringList base() const
    {
        return {QStringLiteral("--base-url=") + m_server->baseUrl().toString(),
                QStringLiteral("--allow-insecure-loopback")};
    }

    void startWatch(const QStringList &extra)
    {
        m_watch = std::make_unique<QProcess>();
        m_watch->setStandardInputFile(QProcess::nullDevice());
        clitest::startCliProcess(*m_watch,
                                 base() +
                                     QStringList {QStringLiteral("webhooks"), QStringLiteral("watch"),
                                                  QStringLiteral("--interval"), QStringLiteral("2"),
                                                  QStringLiteral("--json")} +
                                     extra,
                                 environment());
    }

    // The next JSON line of the watch; empty after 15 s (several polls) or when it ended.
    QJsonObject nextChange()
    {
        if (!QTest::qWaitFor(
                [this] { return m_watch->canReadLine() || m_watch->state() == QProcess::NotRunning; }, 15000))
            return {};
        return QJsonDocument::fromJson(m_watch->readLine()).object();
    }

    // The first read: one line per webhook, in any order, by webhook id.
    QHash<QString, QJsonObject> firstState(int webhooks)
    {
        QHash<QString, QJsonObject> state;
        for (int i = 0; i < webhooks; ++i) {
            const QJsonObject line = nextChange();
            state.insert(line.value(QStringLiteral("webhook_id")).toString(), line);
        }
        return state;
    }

private Q_SLOTS:
    void init()
    {
        m_data = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
    }

    void cleanup()
    {
        if (m_watch && m_watch->state() != QProcess::NotRunning) {
            m_watch->kill();
            m_watch->waitForFinished();
        }
        m_watch.reset();
        m_server.reset();
    }

    void printsEachChangeOnceAndKeepsItInTheTimeline()
    {
        startWatch({});
        const QHash<QString, QJsonObject> first = firstState(2);
        QCOMPARE(first.value(demo::validWebhookId).value(QStringLiteral("valid")).toBool(), true);
        QVERIFY(first.value(demo::validWebhookId).value(QStringLiteral("before")).isNull());
        QCOMPARE(first.value(demo::invalidWebhookId).value(QStringLiteral("valid")).toBool(), false);
        QCOMPARE(first.value(demo::validWebhookId).value(QStringLiteral("profile")).toString(), profile());

        // X finds the webhook failing its CRC check: one line, whatever the number of polls.
        m_server->setWebhookValid(demo::validWebhookId, false);
        QJsonObject change = nextChange();
        QCOMPARE(change.value(QStringLiteral("webhook_id")).toString(), demo::validWebhookId);
        QCOMPARE(change.value(QStringLiteral("valid")).toBool(), false);
        QCOMPARE(change.value(QStringLiteral("before")).toBool(), true);
        m_server->setWebhookValid(demo::validWebhookId, true);
        change = nextChange();
        QCOMPARE(change.value(QStringLiteral("valid")).toBool(), true);
        QCOMPARE(change.value(QStringLiteral("before")).toBool(), false);

        // SIGTERM: exit 0, and nothing was printed twice.
        m_watch->terminate();
        QVERIFY(QTest::qWaitFor([this] { return m_watch->state() == QProcess::NotRunning; }, 10000));
        QCOMPARE(m_watch->exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_watch->exitCode(), 0);
        QVERIFY2(m_watch->readAllStandardOutput().trimmed().isEmpty(),
                 "a poll without a change printed a line");

        const WebhookTimeline timeline(healthFile());
        const QList<WebhookValidity> changes = timeline.changes(profile(), demo::validWebhookId);
        QCOMPARE(changes.size(), 3);
        QCOMPARE(changes.at(1).valid, false);
        const std::optional<WebhookHealth> health = timeline.health(profile(), demo::validWebhookId);
        QVERIFY(health && health->valid);
        QCOMPARE(health->sinceMs, changes.at(2).atMs);
        QVERIFY(health->lastSeenValidMs >= health->sinceMs);

        // A change while nobody watched is one at the next start: its first read shows every
        // webhook with the state recorded last.
        m_server->setWebhookValid(demo::validWebhookId, false);
        startWatch({});
        const QHash<QString, QJsonObject> again = firstState(2);
        QCOMPARE(again.value(demo::validWebhookId).value(QStringLiteral("valid")).toBool(), false);
        QCOMPARE(again.value(demo::validWebhookId).value(QStringLiteral("before")).toBool(), true);
        QCOMPARE(again.value(demo::invalidWebhookId).value(QStringLiteral("valid")).toBool(), false);
        QCOMPARE(again.value(demo::invalidWebhookId).value(QStringLiteral("before")).toBool(), false);
        QCOMPARE(WebhookTimeline(healthFile()).changes(profile(), demo::validWebhookId).size(), 4);
        QCOMPARE(WebhookTimeline(healthFile()).changes(profile(), demo::invalidWebhookId).size(), 1);
    }

    void exitsWithCodeFiveWhenAWebhookTurnsInvalid()
    {
        QCOMPARE(clitest::runCli(base() +
                                     QStringList {QStringLiteral("webhooks"), QStringLiteral("delete"),
                                                  demo::invalidWebhookId, QStringLiteral("--yes")},
                                 environment())
                     .exitCode,
                 0);
        startWatch({QStringLiteral("--exit-on-invalid")});
        QCOMPARE(nextChange().value(QStringLiteral("valid")).toBool(), true);
        QCOMPARE(m_watch->state(), QProcess::Running);
        m_server->setWebhookValid(demo::validWebhookId, false);
        QCOMPARE(nextChange().value(QStringLiteral("valid")).toBool(), false);
        QVERIFY(QTest::qWaitFor([this] { return m_watch->state() == QProcess::NotRunning; }, 10000));
        QCOMPARE(m_watch->exitCode(), 5);
        QVERIFY(m_watch->readAllStandardError().contains("--exit-on-invalid"));
    }

    void revalidatesAnInvalidWebhookAndReadsItBack()
    {
        m_server->setWebhookValid(demo::validWebhookId, false);
        startWatch({QStringLiteral("--revalidate")});
        const QHash<QString, QJsonObject> first = firstState(2);
        QCOMPARE(first.value(demo::validWebhookId).value(QStringLiteral("valid")).toBool(), false);
        // The PUT makes the sandbox run a real CRC check against the webhook's receiver, which
        // answers it: valid again, read back by the poll that follows.
        const QJsonObject restored = nextChange();
        QCOMPARE(restored.value(QStringLiteral("webhook_id")).toString(), demo::validWebhookId);
        QCOMPARE(restored.value(QStringLiteral("valid")).toBool(), true);
        QCOMPARE(restored.value(QStringLiteral("before")).toBool(), false);
        // The other webhook's URL fails its CRC: refused, retried only after the backoff.
        QVERIFY(QTest::qWaitFor(
            [this] { return m_watch->readAllStandardError().contains("re-validation refused"); }, 10000));
    }

    void refusesABadInterval()
    {
        const clitest::Run run =
            clitest::runCli(base() +
                                QStringList {QStringLiteral("webhooks"), QStringLiteral("watch"),
                                             QStringLiteral("--interval"), QStringLiteral("soon")},
                            environment());
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--interval"));
    }
};

QTEST_GUILESS_MAIN(TestCliWebhookWatch)
#include "tst_cliwebhookwatch.moc"
