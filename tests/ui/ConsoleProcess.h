#pragma once

// Starting activity-console (or the bare-window floor program) as a real process on a fresh HOME
// under the session's display, with the start-up probe on (app/StartupProbe.h).

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace activity::testing {

struct ProbedProcess
{
    std::unique_ptr<QTemporaryDir> home = std::make_unique<QTemporaryDir>();
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();

    // Starts `program`; the probe quits it `idleMs` after its first paint.
    void start(const QString &program, int idleMs)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QString root = home->path();
        env.insert(QStringLiteral("HOME"), root);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), root + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), root + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), root + QStringLiteral("/cache"));
        env.insert(QStringLiteral("ACTIVITY_STARTUP_PROBE"), QStringLiteral("1"));
        env.insert(QStringLiteral("ACTIVITY_STARTUP_IDLE_MS"), QString::number(idleMs));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        process->setProcessEnvironment(env);
        process->setProgram(program);
        m_clock.start();
        process->start();
    }

    // The probe's "mapped <ms>" line, once it came (waits on the process's output, never sleeps):
    // the process's own age at its first paint, in 10 ms steps (the kernel's start-time clock).
    std::optional<double> waitForMapped(int timeoutMs = 30000)
    {
        QSignalSpy output(process.get(), &QProcess::readyReadStandardError);
        while (!m_err.contains("mapped ")) {
            if (process->state() == QProcess::NotRunning || !output.wait(timeoutMs))
                return std::nullopt;
            m_err += process->readAllStandardError();
            m_mappedSeenMs = double(m_clock.nsecsElapsed()) / 1e6;
        }
        return value("mapped ");
    }
    // When that line reached us, in ms since start(): finer than the probe's figure, and it counts
    // fork and exec the same way for every program.
    double mappedSeenMs() const { return m_mappedSeenMs; }

    std::optional<qint64> waitForIdleResidentKiB(int timeoutMs = 30000)
    {
        QSignalSpy finished(process.get(), &QProcess::finished);
        if (process->state() != QProcess::NotRunning && !finished.wait(timeoutMs))
            return std::nullopt;
        m_err += process->readAllStandardError();
        const std::optional<double> kib = value("idle_rss_kib ");
        return kib ? std::optional<qint64>(qint64(*kib)) : std::nullopt;
    }

    QByteArray stderrText() const { return m_err; }

private:
    std::optional<double> value(const QByteArray &key) const
    {
        const qsizetype at = m_err.indexOf(key);
        if (at < 0)
            return std::nullopt;
        const qsizetype end = m_err.indexOf('\n', at);
        bool ok = false;
        const double number =
            m_err.mid(at + key.size(), end < 0 ? -1 : end - at - key.size()).trimmed().toDouble(&ok);
        return ok ? std::optional<double>(number) : std::nullopt;
    }

    QByteArray m_err;
    QElapsedTimer m_clock;
    double m_mappedSeenMs = -1;
};

} // namespace activity::testing
