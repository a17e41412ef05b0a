#pragma once

#include "WebhookAlerts.h"
#include "WebhookTimeline.h"
#include "WebhookWatch.h"

#include <QObject>
#include <QPointer>

class QAction;
class QSettings;
class QSystemTrayIcon;

namespace activity {

class ApiClient;
class DesktopNotifications;
class MessageBar;
class WebhookTableModel;

// The webhook watch in the console (#17): while the console runs it watches the active profile's
// webhooks (settings "health/watchIntervalSeconds", default 300; "health/watch" false turns it
// off), and when one turns invalid it shows a desktop notification (the tray icon's message where
// the desktop has no notification service), a warning in the window with a button to re-validate,
// and says so with webhookChanged() so the webhooks pane reads the list again.
class WebhookHealthMonitor : public QObject
{
    Q_OBJECT
public:
    // None is owned; the timeline outlives this object.
    WebhookHealthMonitor(WebhookTimeline *timeline, MessageBar *messageBar, QSettings *settings,
                         QObject *parent = nullptr);
    ~WebhookHealthMonitor() override;

    // Watches this profile's webhooks through `client` (the previous profile's watch ends); null: none.
    void setProfile(const QString &profileName, ApiClient *client);

    // The table that shows each webhook's state: its Since and Last seen valid columns and the
    // state's tooltip (the changes of the last 7 days) follow every read. Not owned.
    void setWebhookModel(WebhookTableModel *model);
    // "Re-validate automatically", checkable, for the webhook selected (setSelectedWebhook): kept
    // per profile and webhook in the settings (health/autoRevalidate/<profile>).
    QAction *autoRevalidateAction() const { return m_autoRevalidateAction; }
    void setSelectedWebhook(const QString &webhookId);

    WebhookWatch *watch() const { return m_watch; }
    QString watchedProfile() const { return m_profile; }

Q_SIGNALS:
    void webhookChanged(const activity::WebhookTimeline::Change &change);
    void revalidateRequested(const QString &webhookId);

private:
    void showWithoutService(const QString &summary, const QString &body);
    void updateModel();
    QString autoRevalidateKey() const;

    WebhookTimeline *m_timeline;
    MessageBar *m_messageBar;
    QSettings *m_settings;
    WebhookWatch *m_watch;
    DesktopNotifications *m_notifications;
    WebhookAlerts *m_alerts;
    QSystemTrayIcon *m_tray = nullptr; // created on the first alert that needs it
    QString m_profile;
    QPointer<WebhookTableModel> m_model;
    QAction *m_autoRevalidateAction;
    QString m_selectedWebhook;
};

} // namespace activity
