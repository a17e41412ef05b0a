#include "ActivityConfig.h"
#include "CliArguments.h"
#include "CliRunner.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QProcessEnvironment>
#include <QTextStream>

#include <cstdio>

// activity-cli: the composition root. Parses, then runs the command on the event loop.
int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("activity-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral(ACTIVITY_ORGANISATION));
    QCoreApplication::setApplicationVersion(QStringLiteral(ACTIVITY_VERSION));

    const activity::cli::ParseResult parsed = activity::cli::parseArguments(QCoreApplication::arguments());
    if (!parsed.invocation) {
        if (!parsed.out.isEmpty())
            QTextStream(stdout) << parsed.out;
        if (!parsed.err.isEmpty())
            QTextStream(stderr) << parsed.err;
        return parsed.exitCode;
    }

    QNetworkAccessManager network;
    activity::cli::Runner runner(*parsed.invocation, QProcessEnvironment::systemEnvironment(), &network);
    QObject::connect(&runner, &activity::cli::Runner::finished, &app, &QCoreApplication::exit,
                     Qt::QueuedConnection);
    runner.start();
    return QCoreApplication::exec();
}
