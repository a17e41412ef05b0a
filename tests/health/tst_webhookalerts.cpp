// The webhook watch's desktop notifications (#17): a notification service of the test's own on the
// private session bus (tools/run-tests starts one; the test registers org.freedesktop.Notifications
// on a second connection, so every call goes through the bus daemon) receives exactly one Notify per
// transition to invalid of a sandbox webhook, none for polls that change nothing or for a webhook
// already known invalid; without the service the notification falls back (unavailable()).
#include "ApiClient.h"
#include "DesktopNotifications.h"
#include "NotificationTestSupport.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "WebhookAlerts.h"
#include "WebhookTimeline.h"
#include "WebhookWatch.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace activity;
using activity::testing::sentByThisProcess;
namespace demo = activity::sandbox::demo;
using namespace std::chrono_literals;

// What a desktop's notification daemon does, as far as the test needs: keep what it was asked to show.
class FakeNotificationServer : public QObject, protected QDBusContext
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Shown
    {
        QString appName;
        QString summary;
        QString body;
    };
    QList<Shown> shown;

public Q_SLOTS:
    uint Notify(const QString &appName, uint, const QString &, const QString &summary, const QString &body,
                const QStringList &, const QVariantMap &, int)
    {
        if (!sentByThisProcess(*this))
            return 0; // another test program's console
        shown.append({appName, summary, body});
        return uint(shown.size());
    }
};

class TestWebhookAlerts : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_network;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    FakeNotificationServer m_fake;
    const QString m_connectionName = QStringLiteral("fake-notification-daemon");

    std::unique_ptr<ApiClient> client()
    {
        ClientConfig config;
        config.baseUrl = m_server->baseUrl();
        config.allowInsecureLoopback = true;
        AppCredentials app {demo::consumerKey, demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret,
                            demo::bearerToken};
        return std::make_unique<ApiClient>(&m_network, config, app);
    }

    bool registerFake()
    {
        QDBusConnection bus = QDBusConnection::connectToBus(QDBusConnection::SessionBus, m_connectionName);
        return bus.isConnected() &&
            bus.registerObject(QString::fromLatin1(DesktopNotifications::path), &m_fake,
                               QDBusConnection::ExportAllSlots) &&
            bus.registerService(QString::fromLatin1(DesktopNotifications::service));
    }

    void unregisterFake()
    {
        QDBusConnection bus(m_connectionName);
        if (!bus.isConnected())
            return;
        bus.unregisterService(QString::fromLatin1(DesktopNotifications::service));
        bus.unregisterObject(QString::fromLatin1(DesktopNotifications::path));
        QDBusConnection::disconnectFromBus(m_connectionName);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QDBusConnection::sessionBus().isConnected())
            QSKIP("No session bus: run through tools/run-tests (dbus-run-session).");
    }

    void init()
    {
        m_fake.shown.clear();
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
    }

    void cleanup()
    {
        unregisterFake();
        m_server.reset();
    }

    void shouldNotifyOncePerTransitionToInvalid()
    {
        QVERIFY(registerFake());
        WebhookTimeline timeline(m_dir->filePath(QStringLiteral("health.sqlite")));
        // The demo's invalid webhook is already known invalid: no notification for it.
        timeline.record({QStringLiteral("P"), demo::invalidWebhookId, demo::invalidWebhookUrl, false, 1000});
        WebhookWatch watch(&timeline);
        DesktopNotifications notifications;
        WebhookAlerts alerts(&watch, &notifications);
        QSignalSpy shown(&notifications, &DesktopNotifications::shown);
        QSignalSpy unavailable(&notifications, &DesktopNotifications::unavailable);
        QSignalSpy polled(&watch, &WebhookWatch::polled);
        const auto api = client();
        watch.watch(QStringLiteral("P"), api.get(), 2s);
        QVERIFY(polled.wait(10000));
        QCOMPARE(m_fake.shown.size(), 0);

        m_server->setWebhookValid(demo::validWebhookId, false);
        for (int poll = 0; poll < 3; ++poll) { // three reads, one transition
            watch.pollNow(QStringLiteral("P"));
            QVERIFY(polled.wait(10000));
        }
        QTRY_COMPARE(shown.count(), 1);
        QCOMPARE(m_fake.shown.size(), 1);
        QCOMPARE(m_fake.shown.at(0).appName, QStringLiteral("Activity Console"));
        QVERIFY(m_fake.shown.at(0).summary.contains(demo::validWebhookId));
        QVERIFY(m_fake.shown.at(0).body.contains(QStringLiteral("re-validate")));
        QCOMPARE(unavailable.count(), 0);

        // Restored, then invalid again: a second notification.
        m_server->setWebhookValid(demo::validWebhookId, true);
        watch.pollNow(QStringLiteral("P"));
        QVERIFY(polled.wait(10000));
        m_server->setWebhookValid(demo::validWebhookId, false);
        watch.pollNow(QStringLiteral("P"));
        QVERIFY(polled.wait(10000));
        QTRY_COMPARE(m_fake.shown.size(), 2);
    }

    void shouldFallBackWithoutANotificationService()
    {
        QVERIFY(!QDBusConnection::sessionBus().interface()->isServiceRegistered(
            QString::fromLatin1(DesktopNotifications::service)));
        DesktopNotifications notifications;
        QSignalSpy unavailable(&notifications, &DesktopNotifications::unavailable);
        notifications.notify(QStringLiteral("Webhook 1 is invalid"), QStringLiteral("details"));
        QVERIFY(unavailable.wait(10000));
        QCOMPARE(unavailable.at(0).at(0).toString(), QStringLiteral("Webhook 1 is invalid"));
        QVERIFY(!unavailable.at(0).at(2).toString().isEmpty());
    }

    void shouldAlertOnlyOnTurningInvalid()
    {
        const auto change = [](std::optional<bool> before, bool now) {
            return WebhookTimeline::Change {before, {QStringLiteral("P"), QStringLiteral("1"), {}, now, 0}};
        };
        QVERIFY(WebhookAlerts::isAlert(change(true, false)));
        QVERIFY(WebhookAlerts::isAlert(change(std::nullopt, false))); // first seen, invalid
        QVERIFY(!WebhookAlerts::isAlert(change(false, false))); // known invalid
        QVERIFY(!WebhookAlerts::isAlert(change(false, true)));
        QVERIFY(!WebhookAlerts::isAlert(change(std::nullopt, true)));
    }
};

QTEST_GUILESS_MAIN(TestWebhookAlerts)
#include "tst_webhookalerts.moc"
