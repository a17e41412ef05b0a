// activity-sandbox: the emulated Account Activity API on 127.0.0.1, standalone.
//   activity-sandbox [--port N] --seed demo [--port-file FILE] [--token-file FILE] [--strict-urls]

#include "ActivityConfig.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

using namespace activity::sandbox;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("activity-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ACTIVITY_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("An emulated X Account Activity API server on 127.0.0.1 (v1.1 Enterprise and v2)."));
    parser.addHelpOption();
    parser.addVersionOption();
    // A free port by default: a fixed one would be taken, or guessed by whatever wants to reach it.
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QStringLiteral("Port to listen on (default 0: any free port)."),
                                        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption seedOption(QStringLiteral("seed"),
                                        QStringLiteral("Initial world: demo or empty."),
                                        QStringLiteral("world"), QStringLiteral("demo"));
    const QCommandLineOption portFileOption(
        QStringLiteral("port-file"), QStringLiteral("Write the chosen port to this file once listening."),
        QStringLiteral("file"));
    const QCommandLineOption tokenFileOption(
        QStringLiteral("token-file"),
        QStringLiteral("Write this run's control token (the X-Sandbox-Token header of the /sandbox/ "
                       "endpoints) to this file, readable by its owner only."),
        QStringLiteral("file"));
    const QCommandLineOption strictOption(
        QStringLiteral("strict-urls"),
        QStringLiteral("Apply X's webhook URL rules strictly (no http://127.0.0.1)."));
    parser.addOptions({portOption, seedOption, portFileOption, tokenFileOption, strictOption});
    parser.process(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        err << "activity-sandbox: --port needs a number from 0 to 65535\n";
        return 2;
    }
    const QString seed = parser.value(seedOption);
    if (seed != QLatin1String("demo") && seed != QLatin1String("empty")) {
        err << "activity-sandbox: --seed must be demo or empty\n";
        return 2;
    }

    SandboxServer server;
    server.setLenientLoopbackUrls(!parser.isSet(strictOption));
    if (!server.listen(QHostAddress::LocalHost, quint16(port))) {
        err << "activity-sandbox: cannot listen on 127.0.0.1:" << port << " (port in use?)\n";
        return 1;
    }
    if (seed == QLatin1String("demo"))
        server.seedDemo();

    out << "Activity sandbox listening on " << server.baseUrl().toString() << '\n'
        << "Control token (header " << sandboxTokenHeader
        << " for /sandbox/events, /sandbox/activity/events and the receiver's event list): "
        << server.controlToken() << '\n';
    if (seed == QLatin1String("demo")) {
        // Not secrets: they only open this emulated server on 127.0.0.1.
        out << "Demo credentials (sandbox only):\n"
            << "  consumer key        " << demo::consumerKey << '\n'
            << "  consumer secret     " << demo::consumerSecret << '\n'
            << "  owner token         " << demo::ownerToken << '\n'
            << "  owner token secret  " << demo::ownerTokenSecret << '\n'
            << "  bearer token        " << demo::bearerToken << '\n'
            << "  sign-in users       alice / alice-password, bob / bob-password, carol / carol-password\n"
            << "  demo receiver       " << server.demoReceiverUrl(demo::receiverName) << '\n';
    }
    out.flush();

    // Each written whole (temporary file + rename), so a reader never sees a part; the token
    // before the port, so whoever waits for the port file finds the token there too.
    const auto writeWhole = [&err](const QString &path, const QByteArray &content) {
        QFile file(path + QStringLiteral(".tmp"));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
            file.write(content + '\n') < 0 || !file.flush()) {
            err << "activity-sandbox: cannot write " << path << '\n';
            return false;
        }
        file.close();
        QFile::remove(path);
        if (!QFile::rename(file.fileName(), path)) {
            err << "activity-sandbox: cannot write " << path << '\n';
            return false;
        }
        return true;
    };
    if (parser.isSet(tokenFileOption) && !writeWhole(parser.value(tokenFileOption), server.controlToken()))
        return 1;
    if (parser.isSet(portFileOption) &&
        !writeWhole(parser.value(portFileOption), QByteArray::number(server.port())))
        return 1;
    return app.exec();
}
