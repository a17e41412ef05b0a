#pragma once

#include <QObject>
#include <QString>

namespace activity {

// Desktop notifications through the freedesktop Notifications service on the session bus
// (org.freedesktop.Notifications.Notify), sent asynchronously. Where there is none (no session
// bus, no notification daemon, an error answer) unavailable() says so with the message, and the
// window shows it another way (the tray icon's message).
class DesktopNotifications : public QObject
{
    Q_OBJECT
public:
    explicit DesktopNotifications(QObject *parent = nullptr);

    static constexpr const char *service = "org.freedesktop.Notifications";
    static constexpr const char *path = "/org/freedesktop/Notifications";

    void notify(const QString &summary, const QString &body);

Q_SIGNALS:
    void shown(uint notificationId);
    void unavailable(const QString &summary, const QString &body, const QString &why);
};

} // namespace activity
