// Benchmark (prints figures, never fails on timing): activity-console against a floor program (a
// bare QMainWindow with a table and a menu), started alternately on a fresh HOME under the
// session's X display. For both: time from process start to the first paint of the main window,
// and resident memory once the window has been up for 3 s; then the console/floor ratios.
#include "ConsoleProcess.h"

#include <QtTest>

#include <algorithm>

using namespace activity::testing;

namespace {

constexpr int runsEach = 5;
constexpr int idleMs = 3000;

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

} // namespace

class BenchStartup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void consoleAgainstTheFloor()
    {
        const QString programs[] = {QStringLiteral(ACTIVITY_FLOOR_EXE), QStringLiteral(ACTIVITY_CONSOLE_EXE)};
        QList<double> mapped[2];
        QList<double> resident[2];
        QList<double> probed[2]; // the probe's own figure, in 10 ms steps
        for (int run = 0; run < runsEach; ++run) {
            for (int which = 0; which < 2; ++which) { // alternately, so drift hits both alike
                ProbedProcess p;
                p.start(programs[which], idleMs);
                const std::optional<double> ms = p.waitForMapped();
                QVERIFY2(ms, p.stderrText().constData());
                const std::optional<qint64> kib = p.waitForIdleResidentKiB();
                QVERIFY2(kib, p.stderrText().constData());
                mapped[which].append(p.mappedSeenMs());
                probed[which].append(*ms);
                resident[which].append(double(*kib) / 1024.0);
            }
        }
        const double floorMapped = median(mapped[0]);
        const double consoleMapped = median(mapped[1]);
        const double floorMiB = median(resident[0]);
        const double consoleMiB = median(resident[1]);
        qInfo().noquote()
            << QStringLiteral("start-up, median of %1 runs each (alternating, fresh HOME):").arg(runsEach);
        qInfo().noquote() << QStringLiteral(
                                 "  time to first paint (process start to the probe's line): floor %1 ms, "
                                 "console %2 ms, ratio %3")
                                 .arg(floorMapped, 0, 'f', 0)
                                 .arg(consoleMapped, 0, 'f', 0)
                                 .arg(consoleMapped / floorMapped, 0, 'f', 2);
        qInfo().noquote() << QStringLiteral("  idle resident memory: floor %1 MiB, console %2 MiB, ratio %3")
                                 .arg(floorMiB, 0, 'f', 1)
                                 .arg(consoleMiB, 0, 'f', 1)
                                 .arg(consoleMiB / floorMiB, 0, 'f', 2);
        qInfo().noquote() << QStringLiteral(
                                 "  the probes' own figures (10 ms steps): floor %1 ms, console %2 ms")
                                 .arg(median(probed[0]), 0, 'f', 0)
                                 .arg(median(probed[1]), 0, 'f', 0);
        QStringList raw;
        for (int i = 0; i < runsEach; ++i)
            raw << QStringLiteral("%1/%2 ms %3/%4 MiB")
                       .arg(mapped[0].at(i), 0, 'f', 0)
                       .arg(mapped[1].at(i), 0, 'f', 0)
                       .arg(resident[0].at(i), 0, 'f', 1)
                       .arg(resident[1].at(i), 0, 'f', 1);
        qInfo().noquote() << QStringLiteral("  runs (floor/console): ") + raw.join(QStringLiteral("; "));
    }
};

QTEST_GUILESS_MAIN(BenchStartup)
#include "bench_startup.moc"
