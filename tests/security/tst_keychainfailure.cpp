// A missing or locked keychain must end in a clear error within seconds, never a hang. Each case
// runs a SecretStore job (keychain_probe) or activity-cli in a child process whose D-Bus session
// and keyring the test controls: no session bus at all; a private bus with gnome-keyring started
// but not unlocked (and no DISPLAY, so no prompt can appear); a private bus whose keyring does not
// exist yet. Every child has its own temporary HOME/XDG_* folders.
#include "ActivityConfig.h"
#include "ProfileStore.h"
#include "TestEnvironment.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace activity;

namespace {

struct Probe
{
    int exitCode = -1;
    double seconds = 0; // measured by the parent: process start to exit
    double jobSeconds = -1; // measured by the probe: the SecretStore job alone
    QString status; // as the probe printed it
    QString message;
    QByteArray out;
    QByteArray err;

    QString describe() const
    {
        return QStringLiteral("exit %1 after %2 s\nstdout:\n%3\nstderr:\n%4")
            .arg(exitCode)
            .arg(seconds, 0, 'f', 3)
            .arg(QString::fromUtf8(out), QString::fromUtf8(err).right(1500));
    }
};

constexpr int probeTimeoutMs = 2000;

} // namespace

class TestKeychainFailure : public QObject
{
    Q_OBJECT

    QTemporaryDir m_root;
    QString m_dbusRunSession;
    QString m_keyringDaemon;

    // A fresh, isolated environment: nothing from the caller's session or keyring leaks in.
    QProcessEnvironment isolated(const QString &name) const
    {
        const QString base = m_root.filePath(name);
        QProcessEnvironment env;
        env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        for (const char *dir : {"home", "data", "config", "cache", "runtime", "tmp"})
            QDir().mkpath(base + QLatin1Char('/') + QLatin1String(dir));
        QFile::setPermissions(base + QStringLiteral("/runtime"),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        env.insert(QStringLiteral("HOME"), base + QStringLiteral("/home"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), base + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), base + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), base + QStringLiteral("/cache"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), base + QStringLiteral("/runtime"));
        env.insert(QStringLiteral("TMPDIR"), base + QStringLiteral("/tmp"));
        return env; // no DISPLAY, no WAYLAND_DISPLAY, no DBUS_SESSION_BUS_ADDRESS
    }

    Probe run(const QString &program, const QStringList &arguments, const QProcessEnvironment &env)
    {
        QProcess process;
        process.setProcessEnvironment(env);
        process.setProgram(program);
        process.setArguments(arguments);
        process.setStandardInputFile(QProcess::nullDevice());
        QSignalSpy finished(&process, &QProcess::finished);
        QElapsedTimer timer;
        timer.start();
        process.start();
        Probe probe;
        if (!finished.wait(30000)) {
            process.kill();
            process.waitForFinished(); // reap only after a failed wait
            probe.seconds = timer.elapsed() / 1000.0;
            probe.status = QStringLiteral("parent-timeout");
            return probe;
        }
        probe.seconds = timer.elapsed() / 1000.0;
        probe.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
        probe.out = process.readAllStandardOutput();
        probe.err = process.readAllStandardError();
        for (const QByteArray &line : probe.out.split('\n')) {
            if (line.startsWith("status=")) {
                probe.status = QString::fromUtf8(line.mid(7, line.indexOf(' ') - 7));
                const qsizetype at = line.indexOf("seconds=");
                if (at > 0)
                    probe.jobSeconds = line.mid(at + 8).toDouble();
            } else if (line.startsWith("message="))
                probe.message = QString::fromUtf8(line.mid(8));
        }
        return probe;
    }

    // The probe inside its own dbus-run-session; `prelude` prepares the keyring first.
    Probe runInSession(const QString &prelude, const QStringList &probeArguments,
                       const QProcessEnvironment &env)
    {
        QStringList quoted;
        for (const QString &argument : QStringList {QStringLiteral(KEYCHAIN_PROBE_PATH)} + probeArguments)
            quoted.append(QLatin1Char('\'') + argument + QLatin1Char('\''));
        const QString script = prelude + QStringLiteral("; exec ") + quoted.join(QLatin1Char(' '));
        return run(m_dbusRunSession,
                   {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"), script}, env);
    }

    QStringList probeArgs(const QString &operation, const QString &key) const
    {
        QStringList args {operation, key};
        if (operation == QLatin1String("write"))
            args.append(QStringLiteral("value-that-must-not-be-stored"));
        args << QStringLiteral("--timeout-ms") << QString::number(probeTimeoutMs);
        return args;
    }

    QString startLocked() const
    {
        return QStringLiteral("gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        m_dbusRunSession = QStandardPaths::findExecutable(QStringLiteral("dbus-run-session"));
        m_keyringDaemon = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
    }

    void shouldExplainAMissingKeychainWithinSeconds()
    {
        QProcessEnvironment env = isolated(QStringLiteral("missing"));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent"));
        for (const QString &operation : {QStringLiteral("write"), QStringLiteral("read")}) {
            const Probe probe =
                run(QStringLiteral(KEYCHAIN_PROBE_PATH), probeArgs(operation, QStringLiteral("k")), env);
            qInfo("no session bus, %s: %s after %.3f s: %s", qPrintable(operation), qPrintable(probe.status),
                  probe.seconds, qPrintable(probe.message));
            QVERIFY2(probe.exitCode == 4, qPrintable(probe.describe()));
            QVERIFY2(probe.seconds < 5, qPrintable(probe.describe()));
            QVERIFY2(probe.message.contains(QStringLiteral("keychain"), Qt::CaseInsensitive) ||
                         probe.message.contains(QStringLiteral("keyring"), Qt::CaseInsensitive),
                     qPrintable(probe.describe()));
            QVERIFY(!probe.out.contains("value-that-must-not-be-stored"));
        }
    }

    void shouldExitWithCode4WhenTheCliCannotReachTheKeychain()
    {
        QProcessEnvironment env = isolated(QStringLiteral("cli-missing"));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent"));
        // A stored profile, as the console leaves it: its secrets are in the (unreachable) keychain.
        {
            QSettings settings(env.value(QStringLiteral("XDG_CONFIG_HOME")) +
                                   QStringLiteral("/" ACTIVITY_SETTINGS_FILE),
                               QSettings::IniFormat);
            ProfileStore profiles(&settings, nullptr);
            Profile profile;
            profile.name = QStringLiteral("Production");
            profile.baseUrl = QStringLiteral("http://127.0.0.1:9"); // never reached
            profile.consumerKey = QStringLiteral("consumer-key");
            profiles.saveProfile(profile);
            settings.sync();
        }
        const Probe cli = run(QStringLiteral(ACTIVITY_CLI_PATH),
                              {QStringLiteral("--profile"), QStringLiteral("Production"),
                               QStringLiteral("webhooks"), QStringLiteral("list")},
                              env);
        qInfo("activity-cli --profile without a session bus: exit %d after %.3f s: %s", cli.exitCode,
              cli.seconds, qPrintable(QString::fromUtf8(cli.err).simplified()));
        QVERIFY2(cli.exitCode == 4, qPrintable(cli.describe()));
        QVERIFY2(cli.seconds < 5, qPrintable(cli.describe()));
        QVERIFY2(cli.err.contains("keychain") || cli.err.contains("keyring"), qPrintable(cli.describe()));
    }

    void shouldRefuseALockedKeyringWithinTheTimeout()
    {
        if (m_dbusRunSession.isEmpty() || m_keyringDaemon.isEmpty())
            ACTIVITY_SKIP_UNLESS_PROVIDED(
                QStringLiteral("dbus-run-session or gnome-keyring-daemon is not installed"));
        const QProcessEnvironment env = isolated(QStringLiteral("locked"));

        // First session: create the login keyring with a password and store one entry.
        const Probe created = runInSession(
            QStringLiteral("echo -n throwaway-password | gnome-keyring-daemon --unlock --components=secrets "
                           ">/dev/null 2>&1"),
            probeArgs(QStringLiteral("write"), QStringLiteral("stored-before")), env);
        QVERIFY2(created.exitCode == 0, qPrintable(created.describe()));

        // Second session: the daemon runs, the keyring exists, nobody unlocks it, no display.
        const Probe write =
            runInSession(startLocked(), probeArgs(QStringLiteral("write"), QStringLiteral("k")), env);
        qInfo(
            "locked keyring, write: %s after %.3f s (job), %.3f s (process incl. D-Bus and daemon start): %s",
            qPrintable(write.status), write.jobSeconds, write.seconds, qPrintable(write.message));
        QVERIFY2(write.exitCode == 4, qPrintable(write.describe()));
        QVERIFY2(QStringList({QStringLiteral("Denied"), QStringLiteral("Failed"), QStringLiteral("TimedOut")})
                     .contains(write.status),
                 qPrintable(write.describe()));
        QVERIFY2(write.message.contains(QStringLiteral("lock"), Qt::CaseInsensitive),
                 qPrintable(write.describe()));
        // Within the store's timeout, plus the cost of starting a bus and a daemon.
        QVERIFY2(write.seconds < probeTimeoutMs / 1000.0 + 3, qPrintable(write.describe()));

        const Probe read = runInSession(
            startLocked(), probeArgs(QStringLiteral("read"), QStringLiteral("stored-before")), env);
        // Known: the Secret Service hides a locked item, so this reads as NotFound ("not stored yet").
        qInfo("locked keyring, read of an existing entry: %s after %.3f s (job), %.3f s (process): %s",
              qPrintable(read.status), read.jobSeconds, read.seconds, qPrintable(read.message));
        QVERIFY2(read.exitCode != 0 && read.exitCode != 5 && read.exitCode != -1,
                 qPrintable(read.describe()));
        QVERIFY2(read.seconds < probeTimeoutMs / 1000.0 + 3, qPrintable(read.describe()));
    }

    void shouldNotHangWhenTheKeyringDoesNotExistYet()
    {
        if (m_dbusRunSession.isEmpty() || m_keyringDaemon.isEmpty())
            ACTIVITY_SKIP_UNLESS_PROVIDED(
                QStringLiteral("dbus-run-session or gnome-keyring-daemon is not installed"));
        const QProcessEnvironment env = isolated(QStringLiteral("no-keyring"));
        const Probe write =
            runInSession(startLocked(), probeArgs(QStringLiteral("write"), QStringLiteral("k")), env);
        qInfo("no keyring yet, write: %s after %.3f s (job), %.3f s (process): %s", qPrintable(write.status),
              write.jobSeconds, write.seconds, qPrintable(write.message));
        QVERIFY2(write.exitCode == 4, qPrintable(write.describe()));
        QVERIFY2(write.seconds < probeTimeoutMs / 1000.0 + 3, qPrintable(write.describe()));
        QVERIFY(!write.message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestKeychainFailure)
#include "tst_keychainfailure.moc"
