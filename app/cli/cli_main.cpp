#include "ActivityConfig.h"
#include "CliArguments.h"
#include "CliRunner.h"

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QProcessEnvironment>

#include <cstdio>

// activity-cli: the composition root. Parses, then runs the command on the event loop with the
// process's environment, stdout and stderr (stdin is read by the runner itself).
int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("activity-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral(ACTIVITY_ORGANISATION));
    QCoreApplication::setApplicationVersion(QStringLiteral(ACTIVITY_VERSION));

    QFile out;
    QFile err;
    if (!out.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered) ||
        !err.open(stderr, QIODevice::WriteOnly | QIODevice::Unbuffered))
        return activity::cli::ExitUsage;

    const activity::cli::ParseResult parsed = activity::cli::parseArguments(QCoreApplication::arguments());
    if (!parsed.invocation) {
        out.write(parsed.out.toUtf8());
        err.write(parsed.err.toUtf8());
        return parsed.exitCode;
    }

    // The library's progress lines (CRC checks and the like) would mix with the command's own
    // output; --verbose, or QT_LOGGING_RULES, shows them.
    if (!parsed.invocation->verbose && qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("activity.*.info=false"));

    QNetworkAccessManager network;
    activity::cli::CliEnvironment environment;
    environment.variables = QProcessEnvironment::systemEnvironment();
    environment.network = &network;
    environment.out = &out;
    environment.err = &err;
    activity::cli::Runner runner(*parsed.invocation, environment);
    QObject::connect(&runner, &activity::cli::Runner::finished, &app, &QCoreApplication::exit,
                     Qt::QueuedConnection);
    runner.start();
    return QCoreApplication::exec();
}
