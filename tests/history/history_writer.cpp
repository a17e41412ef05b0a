// A second process for tst_history: writes to a history database the way another console or
// activity-cli would.
//   history_writer DB begin-and-hang        records one Pending entry, prints its id, never completes
//   history_writer DB write N TAG           waits for "go" on stdin, then records N entries
//                                           (begin + complete each); exit code = failed writes
#include "HistoryStore.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

using namespace activity;

namespace {
HistoryAction action(const QString &tag, int n)
{
    HistoryAction a;
    a.operation = Operation::Subscribe;
    a.source = tag;
    a.host = QStringLiteral("127.0.0.1");
    a.accountUserId = QString::number(n);
    a.parameters = {{QStringLiteral("webhook_id"), QStringLiteral("1500000000000000001")},
                    {QStringLiteral("writer"), tag},
                    {QStringLiteral("n"), n}};
    return a;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    QTextStream out(stdout);
    if (args.size() < 3)
        return 64;
    HistoryStore store(args.at(1));
    if (!store.isOpen()) {
        QTextStream(stderr) << store.lastError() << '\n';
        return 65;
    }

    if (args.at(2) == QLatin1String("begin-and-hang")) {
        const qint64 id = store.begin(action(QStringLiteral("hang"), 0));
        out << id << Qt::endl;
        return id > 0 ? QCoreApplication::exec() : 66; // runs until killed
    }

    if (args.at(2) == QLatin1String("write") && args.size() >= 5) {
        const int count = args.at(3).toInt();
        const QString tag = args.at(4);
        out << "ready" << Qt::endl;
        // Start only when the test says so, so that all writers overlap.
        QSocketNotifier notifier(STDIN_FILENO, QSocketNotifier::Read);
        QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&] {
            notifier.setEnabled(false);
            char buffer[16];
            (void)::read(STDIN_FILENO, buffer, sizeof(buffer));
            int failures = 0;
            for (int i = 0; i < count; ++i) {
                const qint64 id = store.begin(action(tag, i));
                if (id <= 0 || !store.complete(id, HistoryOutcome::success(QStringLiteral("ok"), 200))) {
                    ++failures;
                    QTextStream(stderr) << store.lastError() << '\n';
                }
            }
            QCoreApplication::exit(qMin(failures, 100));
        });
        return QCoreApplication::exec();
    }
    return 64;
}
