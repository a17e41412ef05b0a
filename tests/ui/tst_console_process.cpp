// activity-console as a real process on a fresh HOME: its window comes up and, while it runs, it
// has no Qt WebEngine library mapped (sign-in runs in the activity-signin helper).
#include "ConsoleProcess.h"

#include <QFile>
#include <QtTest>

using namespace activity::testing;

class TestConsoleProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shouldRunWithoutWebEngineMapped()
    {
        ProbedProcess console;
        console.start(QStringLiteral(ACTIVITY_CONSOLE_EXE), 60000); // stays up while we look
        const std::optional<double> mapped = console.waitForMapped();
        QVERIFY2(mapped, console.stderrText().constData());
        QFile maps(QStringLiteral("/proc/%1/maps").arg(console.process->processId()));
        QVERIFY(maps.open(QIODevice::ReadOnly));
        const QByteArray mappedFiles = maps.readAll();
        QVERIFY(mappedFiles.contains("libQt6Widgets")); // the check reads the right process
        QVERIFY2(!mappedFiles.contains("libQt6WebEngine"), "the console maps Qt WebEngine");
        console.process->terminate();
        QVERIFY(console.process->waitForFinished(10000));
    }
};

QTEST_GUILESS_MAIN(TestConsoleProcess)
#include "tst_console_process.moc"
