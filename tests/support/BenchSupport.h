#pragma once

// What the benchmarks share: one way to print a figure, and a stopwatch with wall and CPU time.

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>

#include <algorithm>

#include <cstdio>
#include <ctime>

namespace benchsupport {

// "BENCH name: value unit", flushed at once (ctest keeps the output of a test that is killed).
inline void report(const char *name, double value, const char *unit)
{
    std::printf("BENCH %s: %.3f %s\n", name, value, unit);
    std::fflush(stdout);
}

// Wall time, and this thread's CPU time: the shared build machine is often busy, and CPU time
// shows what the code costs without the time spent waiting for a core.
class Stopwatch
{
public:
    Stopwatch() { restart(); }
    void restart()
    {
        m_wall.start();
        m_cpu = cpuNs();
    }
    double wallMs() const { return double(m_wall.nsecsElapsed()) / 1e6; }
    double cpuMs() const { return double(cpuNs() - m_cpu) / 1e6; }

private:
    static qint64 cpuNs()
    {
        timespec now {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
        return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
    }
    QElapsedTimer m_wall;
    qint64 m_cpu = 0;
};

// The mean and the worst of per-keystroke times, wall and CPU: "LABEL keystroke mean",
// "LABEL keystroke WORST" and the same with " [cpu]".
inline void reportKeystrokes(const char *label, const QList<double> &wall, const QList<double> &cpu,
                             const char *worst = "worst")
{
    const auto mean = [](const QList<double> &times) {
        double sum = 0;
        for (double t : times)
            sum += t;
        return sum / double(times.size());
    };
    const auto max = [](const QList<double> &times) {
        return *std::max_element(times.cbegin(), times.cend());
    };
    const QByteArray name = QByteArray(label) + " keystroke ";
    report(QByteArray(name + "mean").constData(), mean(wall), "ms");
    report(QByteArray(name + worst).constData(), max(wall), "ms");
    report(QByteArray(name + "mean [cpu]").constData(), mean(cpu), "ms");
    report(QByteArray(name + worst + " [cpu]").constData(), max(cpu), "ms");
}

} // namespace benchsupport
