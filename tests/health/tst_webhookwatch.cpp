// WebhookWatch (#17) in-process against the sandbox: the interval never below the list endpoint's
// limit, one transition per change, a poll failure reported and survived, and an automatic
// re-validation that restores the webhook and then backs off for one that keeps failing.
#include "ApiClient.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "WebhookTimeline.h"
#include "WebhookWatch.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace activity;
namespace demo = activity::sandbox::demo;
using namespace std::chrono_literals;

class TestWebhookWatch : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_network;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;

    std::unique_ptr<ApiClient> client(ApiGeneration generation = ApiGeneration::V2)
    {
        ClientConfig config;
        config.baseUrl = m_server->baseUrl();
        config.allowInsecureLoopback = true;
        config.generation = generation;
        AppCredentials app {demo::consumerKey, demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret,
                            demo::bearerToken};
        return std::make_unique<ApiClient>(&m_network, config, app);
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
    }
    void cleanup() { m_server.reset(); }

    void shouldNeverPollFasterThanTheLimitAllows()
    {
        QCOMPARE(WebhookWatch::minimumInterval(Operation::ListWebhooks, ApiGeneration::V1_1), 60s);
        QCOMPARE(WebhookWatch::minimumInterval(Operation::ListWebhooks, ApiGeneration::V2), 2s);
        QCOMPARE(WebhookWatch::minimumInterval(Operation::ValidateWebhook, ApiGeneration::V1_1), 60s);
        WebhookTimeline timeline(m_dir->filePath(QStringLiteral("health.sqlite")));
        WebhookWatch watch(&timeline);
        const auto v1 = client(ApiGeneration::V1_1);
        QCOMPARE(watch.watch(QStringLiteral("v1"), v1.get(), 1s), 60s);
        const auto v2 = client();
        QCOMPARE(watch.watch(QStringLiteral("v2"), v2.get(), 1s), 2s);
        QCOMPARE(watch.watch(QStringLiteral("v2"), v2.get()), WebhookWatch::defaultInterval);
        QVERIFY(watch.isWatching(QStringLiteral("v2")));
        watch.unwatch(QStringLiteral("v2"));
        QVERIFY(!watch.isWatching(QStringLiteral("v2")));
    }

    void shouldReportEachChangeOnce()
    {
        WebhookTimeline timeline(m_dir->filePath(QStringLiteral("health.sqlite")));
        QVERIFY2(timeline.isOpen(), qPrintable(timeline.lastError()));
        WebhookWatch watch(&timeline);
        QSignalSpy transitions(&watch, &WebhookWatch::transition);
        QSignalSpy polled(&watch, &WebhookWatch::polled);
        const auto v2 = client();
        watch.watch(QStringLiteral("P"), v2.get(), 2s);
        QVERIFY(polled.wait(10000));
        QCOMPARE(transitions.count(), 2); // first sight of both webhooks
        m_server->setWebhookValid(demo::validWebhookId, false);
        watch.pollNow(QStringLiteral("P"));
        QVERIFY(polled.wait(10000));
        QCOMPARE(transitions.count(), 3);
        const auto change = transitions.last().at(0).value<WebhookTimeline::Change>();
        QCOMPARE(change.now.webhookId, demo::validWebhookId);
        QCOMPARE(change.before, std::optional<bool>(true));
        QCOMPARE(change.now.valid, false);
        // Nothing changed: nothing reported.
        watch.pollNow(QStringLiteral("P"));
        QVERIFY(polled.wait(10000));
        QCOMPARE(transitions.count(), 3);
        QCOMPARE(timeline.healthOf(QStringLiteral("P")).size(), 2);
    }

    void shouldSurviveAFailedPoll()
    {
        WebhookTimeline timeline(m_dir->filePath(QStringLiteral("health.sqlite")));
        WebhookWatch watch(&timeline);
        QSignalSpy failed(&watch, &WebhookWatch::pollFailed);
        QSignalSpy polled(&watch, &WebhookWatch::polled);
        const auto v2 = client();
        m_server->faults().forNext(1, "GET", QStringLiteral("/2/webhooks"), sandbox::Fault::malformedJson());
        watch.watch(QStringLiteral("P"), v2.get(), 2s);
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.at(0).at(1).value<ApiError>().kind, ApiError::Kind::MalformedResponse);
        // The next interval reads it again.
        QVERIFY(polled.wait(10000));
    }

    void shouldRevalidateAndBackOff()
    {
        WebhookTimeline timeline(m_dir->filePath(QStringLiteral("health.sqlite")));
        WebhookWatch watch(&timeline);
        QSignalSpy transitions(&watch, &WebhookWatch::transition);
        QSignalSpy revalidated(&watch, &WebhookWatch::revalidated);
        m_server->setWebhookValid(demo::validWebhookId, false);
        watch.setAutoRevalidate(QStringLiteral("P"), demo::validWebhookId, true);
        watch.setAutoRevalidate(QStringLiteral("P"), demo::invalidWebhookId, true);
        QVERIFY(watch.autoRevalidates(QStringLiteral("P"), demo::invalidWebhookId));
        const auto v2 = client();
        watch.watch(QStringLiteral("P"), v2.get(), 2s);
        // Both are re-validated once: the one whose receiver answers the CRC comes back valid.
        QTRY_COMPARE_WITH_TIMEOUT(revalidated.count(), 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(timeline.health(QStringLiteral("P"), demo::validWebhookId)->valid, 10000);
        bool sawRestored = false;
        for (const QList<QVariant> &args : std::as_const(transitions)) {
            const auto change = args.at(0).value<WebhookTimeline::Change>();
            sawRestored |= change.now.webhookId == demo::validWebhookId && change.now.valid &&
                change.before == std::optional<bool>(false);
        }
        QVERIFY(sawRestored);
        for (const QList<QVariant> &args : std::as_const(revalidated)) {
            const bool ok = args.at(2).toBool();
            QCOMPARE(ok, args.at(1).toString() == demo::validWebhookId);
            // The next attempt, should it stay invalid, is at least a minute away.
            QVERIFY(QDateTime::currentDateTimeUtc().secsTo(args.at(4).toDateTime()) >= 55);
        }
        // Polls go on; the failing one is not tried again within its backoff.
        QSignalSpy polled(&watch, &WebhookWatch::polled);
        watch.pollNow(QStringLiteral("P"));
        QVERIFY(polled.wait(10000));
        QCOMPARE(revalidated.count(), 2);
    }
};

QTEST_GUILESS_MAIN(TestWebhookWatch)
#include "tst_webhookwatch.moc"
