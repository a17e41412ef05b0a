#pragma once

// Running the real activity-cli executable (ACTIVITY_CLI_PATH, a compile definition of the test) in
// a child process: the end-to-end tests' one way to do it. Tests that also run the CLI in this
// process use CliTestSupport.h, which includes this.

#include "SandboxDemo.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>

namespace clitest {

struct Run
{
    int exitCode = -1; // -1: did not finish in time; -2: crashed
    QByteArray out;
    QByteArray err;

    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QString describe() const
    {
        return QStringLiteral("exit %1\nstdout:\n%2\nstderr:\n%3")
            .arg(exitCode)
            .arg(QString::fromUtf8(out), QString::fromUtf8(err));
    }
};

// The caller's environment without any ACTIVITY_* variable or proxy, with a private config folder,
// so no real user's settings or credentials reach the child.
inline QProcessEnvironment cleanEnvironment(const QString &configHome)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(QLatin1String("ACTIVITY_")) ||
            key.endsWith(QLatin1String("_proxy"), Qt::CaseInsensitive))
            env.remove(key);
    }
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    return env;
}

// The demo app's credentials (app owner), and optionally a demo user's token, as the CLI reads them.
inline void addDemoCredentials(QProcessEnvironment &env, const activity::sandbox::demo::User *user)
{
    namespace demo = activity::sandbox::demo;
    env.insert(QStringLiteral("ACTIVITY_CONSUMER_KEY"), QString::fromLatin1(demo::consumerKey));
    env.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QString::fromLatin1(demo::consumerSecret));
    env.insert(QStringLiteral("ACTIVITY_ACCESS_TOKEN"), QString::fromLatin1(demo::ownerToken));
    env.insert(QStringLiteral("ACTIVITY_ACCESS_TOKEN_SECRET"), QString::fromLatin1(demo::ownerTokenSecret));
    if (user) {
        env.insert(QStringLiteral("ACTIVITY_USER_TOKEN"), QString::fromLatin1(user->token));
        env.insert(QStringLiteral("ACTIVITY_USER_TOKEN_SECRET"), QString::fromLatin1(user->tokenSecret));
    }
}

// Starts the real activity-cli executable with `env`; the caller writes its stdin and waits.
inline void startCliProcess(QProcess &process, const QStringList &arguments, const QProcessEnvironment &env)
{
    process.setProcessEnvironment(env);
    process.setProgram(QStringLiteral(ACTIVITY_CLI_PATH));
    process.setArguments(arguments);
    process.start();
}

// Runs the real activity-cli executable to its end with no standard input; waits on the finished
// signal.
inline Run runCliProcess(const QStringList &arguments, const QProcessEnvironment &env, int timeoutMs = 60000)
{
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    QSignalSpy finished(&process, &QProcess::finished);
    startCliProcess(process, arguments, env);
    Run run;
    if (!finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished(); // only after a failed wait, to reap the child
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace clitest
