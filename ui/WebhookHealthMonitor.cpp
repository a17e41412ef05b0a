#include "WebhookHealthMonitor.h"

#include "DesktopNotifications.h"
#include "MessageBar.h"
#include "WebhookTableModel.h"

#include <QAction>
#include <QDateTime>

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
    , m_autoRevalidateAction(new QAction(tr("Re-validate &Automatically"), this))
{
    m_autoRevalidateAction->setObjectName(QStringLiteral("autoRevalidateAction"));
    m_autoRevalidateAction->setCheckable(true);
    m_autoRevalidateAction->setEnabled(false);
    m_autoRevalidateAction->setToolTip(
        tr("When the watch finds this webhook invalid, re-validate it (the CRC "
           "check) with a growing pause of 1 to 60 minutes, within X's limits."));
    connect(m_autoRevalidateAction, &QAction::toggled, this, [this](bool on) {
        if (m_profile.isEmpty() || m_selectedWebhook.isEmpty())
            return;
        QStringList ids = m_settings->value(autoRevalidateKey()).toStringList();
        ids.removeAll(m_selectedWebhook);
        if (on)
            ids.append(m_selectedWebhook);
        m_settings->setValue(autoRevalidateKey(), ids);
        m_watch->setAutoRevalidate(m_profile, m_selectedWebhook, on);
        if (on)
            m_watch->pollNow(m_profile); // an invalid one is re-validated at once
    });
    connect(m_watch, &WebhookWatch::polled, this, [this](const QString &profile) {
        if (profile == m_profile)
            updateModel();
    });
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
    if (m_model)
        m_model->setHealth({}, {});
    setSelectedWebhook({});
    if (!client || !m_settings->value(QStringLiteral("health/watch"), true).toBool())
        return;
    m_profile = profileName;
    for (const QVariant &id : m_settings->value(autoRevalidateKey()).toList())
        m_watch->setAutoRevalidate(profileName, id.toString(), true);
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
}

void WebhookHealthMonitor::setWebhookModel(WebhookTableModel *model)
{
    m_model = model;
    updateModel();
}

void WebhookHealthMonitor::setSelectedWebhook(const QString &webhookId)
{
    m_selectedWebhook = webhookId;
    const QSignalBlocker blocker(m_autoRevalidateAction);
    m_autoRevalidateAction->setEnabled(!m_profile.isEmpty() && !webhookId.isEmpty());
    m_autoRevalidateAction->setChecked(!webhookId.isEmpty() &&
                                       m_watch->autoRevalidates(m_profile, webhookId));
}

QString WebhookHealthMonitor::autoRevalidateKey() const
{
    // A profile's name may hold any character; the key stays one settings level.
    return QStringLiteral("health/autoRevalidate/") + QString::fromLatin1(m_profile.toUtf8().toHex());
}

void WebhookHealthMonitor::updateModel()
{
    if (!m_model || m_profile.isEmpty())
        return;
    const QList<WebhookHealth> health = m_timeline->healthOf(m_profile);
    const qint64 weekAgo = QDateTime::currentMSecsSinceEpoch() - 7LL * 24 * 3600 * 1000;
    QHash<QString, QList<WebhookValidity>> recent;
    for (const WebhookHealth &h : health)
        recent.insert(h.webhookId, m_timeline->changes(m_profile, h.webhookId, weekAgo));
    m_model->setHealth(health, recent);
}

} // namespace activity
