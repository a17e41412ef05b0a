#include "DesktopNotifications.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QTimer>
#include <QVariantMap>

namespace activity {

DesktopNotifications::DesktopNotifications(QObject *parent)
    : QObject(parent)
{
}

void DesktopNotifications::notify(const QString &summary, const QString &body)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        const QString why = tr("There is no desktop session bus (%1).").arg(bus.lastError().message());
        // Queued, as an answer from the bus would be.
        QTimer::singleShot(0, this, [this, summary, body, why] { Q_EMIT unavailable(summary, body, why); });
        return;
    }
    QDBusMessage call =
        QDBusMessage::createMethodCall(QString::fromLatin1(service), QString::fromLatin1(path),
                                       QString::fromLatin1(service), QStringLiteral("Notify"));
    // app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout (-1: the server's).
    call << QStringLiteral("Activity Console") << uint(0) << QStringLiteral("activity-console") << summary
         << body << QStringList() << QVariantMap {{QStringLiteral("urgency"), QVariant::fromValue<uchar>(2)}}
         << int(-1);
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, summary, body] {
        watcher->deleteLater();
        const QDBusPendingReply<uint> reply = *watcher;
        if (reply.isError())
            return Q_EMIT unavailable(summary, body, reply.error().message());
        Q_EMIT shown(reply.value());
    });
}

} // namespace activity
