#pragma once

// The one way tests run activity-cli: in this process (runCli: parsed and run by the activity_cli
// library with in-memory stdout, stderr and stdin), or as the real executable in a child process
// (runCliProcess, startCliProcess: the end-to-end tests).

#include "ActivityConfig.h"
#include "CliArguments.h"
#include "CliRunner.h"
#include "SandboxDemo.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
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

// What an in-process run reads as its stdin: the typed text, and whether it counts as a terminal
// (the real binary asks isatty(); a confirmation prompt needs a terminal).
struct Input
{
    QByteArray typed;
    bool terminal = false;
};

// The console's settings file under the environment's XDG_CONFIG_HOME, where the child process
// would look for it; empty without one.
inline QString settingsFileOf(const QProcessEnvironment &env)
{
    const QString configHome = env.value(QStringLiteral("XDG_CONFIG_HOME"));
    return configHome.isEmpty() ? QString() : configHome + QStringLiteral("/" ACTIVITY_SETTINGS_FILE);
}

// Runs the command in this process as activity-cli would: parsed by the library, run by a Runner
// with `env` as its environment and buffers for its streams; waits on its finished signal.
inline Run runCli(const QStringList &arguments, const QProcessEnvironment &env, const Input &input = {},
                  int timeoutMs = 60000)
{
    Run run;
    const activity::cli::ParseResult parsed =
        activity::cli::parseArguments(QStringList {QStringLiteral("activity-cli")} + arguments);
    if (!parsed.invocation) {
        run.exitCode = parsed.exitCode;
        run.out = parsed.out.toUtf8();
        run.err = parsed.err.toUtf8();
        return run;
    }
    QBuffer out;
    QBuffer err;
    QBuffer in;
    out.open(QIODevice::WriteOnly);
    err.open(QIODevice::WriteOnly);
    in.setData(input.typed);
    in.open(QIODevice::ReadOnly);
    QNetworkAccessManager network;
    activity::cli::CliEnvironment environment;
    environment.variables = env;
    environment.network = &network;
    environment.out = &out;
    environment.err = &err;
    environment.input = &in;
    environment.inputIsTerminal = input.terminal;
    environment.settingsFile = settingsFileOf(env);
    activity::cli::Runner runner(*parsed.invocation, environment);
    QSignalSpy finished(&runner, &activity::cli::Runner::finished);
    runner.start();
    if (finished.isEmpty() && !finished.wait(timeoutMs))
        return run;
    run.exitCode = finished.first().first().toInt();
    run.out = out.data();
    run.err = err.data();
    return run;
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
