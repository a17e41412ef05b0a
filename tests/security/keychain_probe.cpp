// One SecretStore job in a process of its own, for tst_keychainfailure: the test chooses the
// D-Bus session and keyring state around it.
//   keychain_probe read|write|remove KEY [VALUE] [--timeout-ms N] [--service NAME]
// Prints "status=<SecretJob::Status> seconds=<elapsed>" and "message=<sentence>" (never the value).
// Exit code: 0 Ok, 1 NotFound, 4 any keychain failure (as activity-cli's "credentials" code),
// 5 when the job did not finish within twice the timeout (a hang), 64 usage.
#include "SecretStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMetaEnum>
#include <QTextStream>
#include <QTimer>

using namespace activity;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments().mid(1);
    int timeoutMs = 2000;
    QString service = QStringLiteral("activity-console-keychain-probe");
    for (qsizetype i = 0; i + 1 < args.size();) {
        if (args.at(i) == QLatin1String("--timeout-ms")) {
            timeoutMs = args.at(i + 1).toInt();
            args.remove(i, 2);
        } else if (args.at(i) == QLatin1String("--service")) {
            service = args.at(i + 1);
            args.remove(i, 2);
        } else {
            ++i;
        }
    }
    if (args.size() < 2 || timeoutMs <= 0)
        return 64;

    SecretStore store(service);
    store.setTimeout(std::chrono::milliseconds(timeoutMs));
    QElapsedTimer elapsed;
    elapsed.start();
    SecretJob *job = nullptr;
    if (args.at(0) == QLatin1String("read"))
        job = store.read(args.at(1));
    else if (args.at(0) == QLatin1String("write"))
        job = store.write(args.at(1), args.value(2, QStringLiteral("probe-value")).toUtf8());
    else if (args.at(0) == QLatin1String("remove"))
        job = store.remove(args.at(1));
    else
        return 64;

    QTextStream out(stdout);
    QObject::connect(job, &SecretJob::finished, &app, [&](SecretJob *done) {
        const char *name = QMetaEnum::fromType<SecretJob::Status>().valueToKey(int(done->status()));
        out << "status=" << name << " seconds=" << QString::number(elapsed.elapsed() / 1000.0, 'f', 3) << '\n'
            << "message=" << done->message() << '\n';
        out.flush();
        const int code = done->ok() ? 0 : done->status() == SecretJob::Status::NotFound ? 1 : 4;
        QCoreApplication::exit(code);
    });
    // The store's own timeout must fire first; this one only catches a store that hangs.
    QTimer::singleShot(2 * timeoutMs + 1000, &app, [&] {
        out << "status=Hang seconds=" << QString::number(elapsed.elapsed() / 1000.0, 'f', 3) << '\n';
        out.flush();
        QCoreApplication::exit(5);
    });
    return QCoreApplication::exec();
}
