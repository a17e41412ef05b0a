#pragma once

#include "DesktopNotifications.h"
#include "WebhookWatch.h"

#include <QObject>

namespace activity {

// The watch's alerts (#17): exactly one desktop notification each time a webhook turns invalid (or
// is first seen invalid); a webhook already known invalid when a watch starts raises none. alerted()
// lets the window mark it. Neither the watch nor the notifications are owned.
class WebhookAlerts : public QObject
{
    Q_OBJECT
public:
    WebhookAlerts(WebhookWatch *watch, DesktopNotifications *notifications, QObject *parent = nullptr);

    static bool isAlert(const WebhookTimeline::Change &change);

Q_SIGNALS:
    void alerted(const activity::WebhookTimeline::Change &change, const QString &summary,
                 const QString &body);
};

} // namespace activity
