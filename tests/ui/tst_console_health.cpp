// The webhook watch in the real window (#17) over an in-process sandbox on 127.0.0.1: a webhook made
// invalid raises exactly one desktop notification (read from a notification service of the test's
// own on the private session bus), a warning in the window whose "Re-validate" restores it with the
// real CRC PUT, the webhooks table showing the new state, and the change in the timeline.
#include "ConsoleTestSupport.h"
#include "DesktopNotifications.h"
#include "MessageBar.h"
#include "NotificationTestSupport.h"
#include "SandboxDemo.h"
#include "WebhookHealthMonitor.h"
#include "WebhookTableModel.h"
#include "WebhookTimeline.h"
#include "WebhooksPane.h"

#include <QAction>
#include <QDBusConnection>
#include <QSignalSpy>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

class FakeNotificationServer : public QObject, protected QDBusContext
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    QStringList summaries;

public Q_SLOTS:
    uint Notify(const QString &, uint, const QString &, const QString &summary, const QString &,
                const QStringList &, const QVariantMap &, int)
    {
        if (!sentByThisProcess(*this))
            return 0; // another test program's console
        summaries.append(summary);
        return uint(summaries.size());
    }
};

class TestConsoleHealth : public QObject
{
    Q_OBJECT

    FakeNotificationServer m_fake;
    const QString m_connection = QStringLiteral("fake-notification-daemon");

private Q_SLOTS:
    void initTestCase()
    {
        if (!QDBusConnection::sessionBus().isConnected())
            QSKIP("No session bus: run through tools/run-tests (dbus-run-session).");
        QDBusConnection bus = QDBusConnection::connectToBus(QDBusConnection::SessionBus, m_connection);
        QVERIFY(bus.registerObject(QString::fromLatin1(DesktopNotifications::path), &m_fake,
                                   QDBusConnection::ExportAllSlots));
        QVERIFY(bus.registerService(QString::fromLatin1(DesktopNotifications::service)));
    }

    void cleanupTestCase() { QDBusConnection::disconnectFromBus(m_connection); }

    void invalidWebhookIsNotifiedMarkedAndRevalidated()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        f.settings.setValue(QStringLiteral("health/watchIntervalSeconds"), 2);
        f.prompter.fallback = true; // the re-validation's confirmation, if it asks
        WebhookTimeline timeline(f.dir.filePath(QStringLiteral("health.sqlite")));
        ConsoleServices services;
        services.timeline = &timeline;
        f.startWindow(services);
        WebhookHealthMonitor *health = f.window->healthMonitor();
        QVERIFY(health);
        QTRY_VERIFY(!health->watchedProfile().isEmpty());
        const QString profile = health->watchedProfile();
        QSignalSpy polled(health->watch(), &WebhookWatch::polled);
        QVERIFY(polled.wait(10000));
        QTRY_VERIFY(f.window->webhookModel()->rowOf(demo::validWebhookId) >= 0);
        // First sight: the demo's invalid webhook is new and invalid, one notification for it.
        QTRY_COMPARE(m_fake.summaries.size(), 1);
        QVERIFY(m_fake.summaries.at(0).contains(demo::invalidWebhookId));

        f.server.setWebhookValid(demo::validWebhookId, false);
        health->watch()->pollNow(profile);
        QVERIFY(polled.wait(10000));
        health->watch()->pollNow(profile); // another read: no second notification
        QVERIFY(polled.wait(10000));
        QTRY_COMPARE(m_fake.summaries.size(), 2);
        QVERIFY(m_fake.summaries.at(1).contains(demo::validWebhookId));
        QCOMPARE(timeline.health(profile, demo::validWebhookId)->valid, false);

        // The window says so, and the table shows it invalid.
        MessageBar *bar = f.window->messageBar();
        QVERIFY(bar->isShowing());
        QCOMPARE(bar->level(), MessageBar::Level::Warning);
        QVERIFY(bar->cause().contains(demo::validWebhookId));
        QCOMPARE(bar->actionText(), QStringLiteral("Re-validate"));
        const auto validCell = [&] {
            const int row = f.window->webhookModel()->rowOf(demo::validWebhookId);
            return f.window->webhookModel()
                ->index(row, int(WebhookTableModel::Column::Valid))
                .data(Qt::DisplayRole)
                .toString();
        };
        QTRY_VERIFY(validCell().startsWith(QStringLiteral("Invalid")));

        // Re-validate: the sandbox runs the CRC against the webhook's receiver, which answers it.
        QSignalSpy changed(health, &WebhookHealthMonitor::webhookChanged);
        Q_EMIT health->revalidateRequested(demo::validWebhookId);
        // The next read (every 2 s here) finds it valid.
        QTRY_VERIFY_WITH_TIMEOUT(timeline.health(profile, demo::validWebhookId)->valid, 10000);
        QVERIFY(!changed.isEmpty());
        const auto restored = changed.last().at(0).value<WebhookTimeline::Change>();
        QCOMPARE(restored.now.webhookId, demo::validWebhookId);
        QCOMPARE(restored.before, std::optional<bool>(false));
        QTRY_COMPARE(validCell(), QStringLiteral("Valid"));
        QCOMPARE(m_fake.summaries.size(), 2);

        // The table shows since when, when last seen valid, and the changes in the state's tooltip.
        const auto cell = [&](WebhookTableModel::Column column, int role = Qt::DisplayRole) {
            const int row = f.window->webhookModel()->rowOf(demo::validWebhookId);
            return f.window->webhookModel()->index(row, int(column)).data(role);
        };
        QTRY_VERIFY(!cell(WebhookTableModel::Column::Since).toString().isEmpty());
        QVERIFY(!cell(WebhookTableModel::Column::LastSeenValid).toString().isEmpty());
        const QString tooltip = cell(WebhookTableModel::Column::Valid, Qt::ToolTipRole).toString();
        QVERIFY2(tooltip.contains(QStringLiteral("invalid")) && tooltip.contains(QStringLiteral("valid")),
                 qPrintable(tooltip));
    }

    void autoRevalidationRestoresAWebhookAndIsRemembered()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        f.settings.setValue(QStringLiteral("health/watchIntervalSeconds"), 2);
        WebhookTimeline timeline(f.dir.filePath(QStringLiteral("health.sqlite")));
        ConsoleServices services;
        services.timeline = &timeline;
        f.startWindow(services);
        WebhookHealthMonitor *health = f.window->healthMonitor();
        QTRY_VERIFY(!health->watchedProfile().isEmpty());
        QTRY_VERIFY(f.window->webhookModel()->rowOf(demo::validWebhookId) >= 0);
        QAction *automatic = health->autoRevalidateAction();
        QVERIFY(f.window->webhooksPane()->selectWebhook(demo::validWebhookId));
        QTRY_VERIFY(automatic->isEnabled());
        QVERIFY(!automatic->isChecked());

        f.server.setWebhookValid(demo::validWebhookId, false);
        QSignalSpy revalidated(health->watch(), &WebhookWatch::revalidated);
        automatic->setChecked(true); // reads the list at once: invalid, re-validated
        QVERIFY(revalidated.wait(10000));
        QCOMPARE(revalidated.at(0).at(1).toString(), demo::validWebhookId);
        QCOMPARE(revalidated.at(0).at(2).toBool(), true);
        QTRY_VERIFY_WITH_TIMEOUT(timeline.health(health->watchedProfile(), demo::validWebhookId)->valid,
                                 10000);

        // Remembered for the profile: a new window re-validates it too.
        f.window.reset();
        f.startWindow(services);
        QTRY_VERIFY(!f.window->healthMonitor()->watchedProfile().isEmpty());
        QVERIFY(f.window->healthMonitor()->watch()->autoRevalidates(
            f.window->healthMonitor()->watchedProfile(), demo::validWebhookId));
    }
};

QTEST_MAIN(TestConsoleHealth)
#include "tst_console_health.moc"
