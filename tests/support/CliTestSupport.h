#pragma once

// The one way tests run activity-cli: in this process (runCli: parsed and run by the activity_cli
// library with in-memory stdout, stderr and stdin), or as the real executable in a child process
// (CliProcess.h: runCliProcess, startCliProcess, for the end-to-end tests).

#include "ActivityConfig.h"
#include "CliArguments.h"
#include "CliProcess.h"
#include "CliRunner.h"
#include "SandboxDemo.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>

namespace clitest {

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

} // namespace clitest
