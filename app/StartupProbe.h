#pragma once

// The start-up benchmark's probe (tests/ui/bench_startup), shared by activity-console and the
// bare-window floor program so both are measured the same way. Off unless the environment has
// ACTIVITY_STARTUP_PROBE=1: then "constructed <ms>" when the window is built (before show()), the
// first paint of `window` prints "mapped <ms>" (time since the
// process started, from the kernel's own start time, so dynamic loading counts) on stderr, and
// once the window has been up for ACTIVITY_STARTUP_IDLE_MS (default 3000) it prints
// "idle_rss_kib <n>" and quits.

#include <QCoreApplication>
#include <QEvent>
#include <QFile>
#include <QTextStream>
#include <QTimer>
#include <QWidget>

#include <unistd.h>

namespace activity {

namespace startupprobe {

inline double processAgeMs()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20)
        return -1;
    const double startTicks = fields.at(19).toDouble(); // field 22 of stat: starttime
    const double upSeconds = uptime.readAll().split(' ').value(0).toDouble();
    return (upSeconds - startTicks / double(sysconf(_SC_CLK_TCK))) * 1000.0;
}

inline qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

class FirstPaint : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Paint)
            return false;
        QTextStream(stderr) << "mapped " << processAgeMs() << Qt::endl;
        watched->removeEventFilter(this);
        bool ok = false;
        const int idleMs = qEnvironmentVariableIntValue("ACTIVITY_STARTUP_IDLE_MS", &ok);
        QTimer::singleShot(ok ? idleMs : 3000, this, [] {
            QTextStream(stderr) << "idle_rss_kib " << residentKiB() << Qt::endl;
            QCoreApplication::exit(0);
        });
        return false;
    }
};

} // namespace startupprobe

inline void installStartupProbe(QWidget &window)
{
    if (qEnvironmentVariable("ACTIVITY_STARTUP_PROBE") != QLatin1String("1"))
        return;
    // When the window is built, before show(): what loading and construction cost.
    QTextStream(stderr) << "constructed " << startupprobe::processAgeMs() << Qt::endl;
    window.installEventFilter(new startupprobe::FirstPaint(&window));
}

} // namespace activity
