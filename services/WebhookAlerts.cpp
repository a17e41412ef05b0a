#include "WebhookAlerts.h"

#include <QDateTime>

namespace activity {

WebhookAlerts::WebhookAlerts(WebhookWatch *watch, DesktopNotifications *notifications, QObject *parent)
    : QObject(parent)
{
    connect(watch, &WebhookWatch::transition, this,
            [this, notifications](const WebhookTimeline::Change &change) {
                if (!isAlert(change))
                    return;
                const QString summary = tr("Webhook %1 is invalid").arg(change.now.webhookId);
                const QString body = tr("%1 (%2) failed X's CRC check at %3 UTC: X delivers no events to it "
                                        "until it is valid again. Check "
                                        "that the server answers the CRC, then re-validate it.")
                                         .arg(change.now.url, change.now.profile,
                                              QDateTime::fromMSecsSinceEpoch(change.now.atMs, Qt::UTC)
                                                  .toString(QStringLiteral("yyyy-MM-dd HH:mm")));
                if (notifications)
                    notifications->notify(summary, body);
                Q_EMIT alerted(change, summary, body);
            });
}

bool WebhookAlerts::isAlert(const WebhookTimeline::Change &change)
{
    return !change.now.valid && change.before.value_or(true);
}

} // namespace activity
