#include "WebhookHealthMonitor.h"

#include "DesktopNotifications.h"
#include "MessageBar.h"

#include <QApplication>
#include <QSettings>
#include <QStyle>
#include <QSystemTrayIcon>

namespace activity {

WebhookHealthMonitor::WebhookHealthMonitor(WebhookTimeline *timeline, MessageBar *messageBar,
                                           QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_timeline(timeline)
    , m_messageBar(messageBar)
    , m_settings(settings)
    , m_watch(new WebhookWatch(timeline, this))
    , m_notifications(new DesktopNotifications(this))
    , m_alerts(new WebhookAlerts(m_watch, m_notifications, this))
{
    connect(m_watch, &WebhookWatch::transition, this, &WebhookHealthMonitor::webhookChanged);
    connect(m_notifications, &DesktopNotifications::unavailable, this,
            [this](const QString &summary, const QString &body, const QString &) {
                showWithoutService(summary, body);
            });
    connect(m_alerts, &WebhookAlerts::alerted, this,
            [this](const WebhookTimeline::Change &change, const QString &summary, const QString &) {
                const QString webhookId = change.now.webhookId;
                m_messageBar->showMessage(
                    MessageBar::Level::Warning, summary + QStringLiteral(": ") + change.now.url,
                    tr("X sends it no events until it passes a CRC check again. Fix the server's CRC answer "
                       "(Test endpoint (CRC)… shows what it answers), then re-validate."),
                    {tr("Re-validate"), [this, webhookId] { Q_EMIT revalidateRequested(webhookId); }});
            });
}

WebhookHealthMonitor::~WebhookHealthMonitor() = default;

void WebhookHealthMonitor::setProfile(const QString &profileName, ApiClient *client)
{
    if (!m_profile.isEmpty())
        m_watch->unwatch(m_profile);
    m_profile.clear();
    if (!client || !m_settings->value(QStringLiteral("health/watch"), true).toBool())
        return;
    m_profile = profileName;
    const int seconds = m_settings->value(QStringLiteral("health/watchIntervalSeconds"), 300).toInt();
    m_watch->watch(profileName, client, std::chrono::seconds(seconds > 0 ? seconds : 300));
}

void WebhookHealthMonitor::showWithoutService(const QString &summary, const QString &body)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return; // the warning in the window is all there is
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(qApp->windowIcon().isNull()
                                         ? qApp->style()->standardIcon(QStyle::SP_MessageBoxWarning)
                                         : qApp->windowIcon(),
                                     this);
        m_tray->setToolTip(tr("Activity Console"));
        m_tray->show();
    }
    m_tray->showMessage(summary, body, QSystemTrayIcon::Warning);
    Q_EMIT shownInTray(summary);
}

} // namespace activity
