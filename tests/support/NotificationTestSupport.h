#pragma once

#include <QDBusConnection>
#include <QDBusContext>
#include <QDBusMessage>

namespace activity::testing {

// The tests share one session bus and run in parallel: other test programs' consoles notify too, and a
// fake notification daemon that owns the bus name receives their calls as well. It counts only the
// calls this process sent (through the shared session connection the code under test uses).
inline bool sentByThisProcess(const QDBusContext &context)
{
    return context.calledFromDBus() &&
        context.message().service() == QDBusConnection::sessionBus().baseService();
}

} // namespace activity::testing
