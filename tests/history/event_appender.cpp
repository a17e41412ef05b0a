// A second process for tst_eventstore: appends to an event store the way a receiver would.
//   event_appender DB burst N TAG    appends N events (event_uuid TAG-i) at once and prints
//                                    "durable TAG-i" for each once its append reported it stored;
//                                    the test kills it mid-way
//   event_appender DB write N TAG    waits for "go" on stdin, then appends N events of its own
//                                    (TAG-i) and N shared ones (shared-i) that the other writer also
//                                    appends; exit code = appends that failed
// An optional last argument names the store's durability (program-crash, the default, or power-loss).
#include "EventStore.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <atomic>
#include <cstdio>
#include <unistd.h>

using namespace activity;

namespace {

EventRecord record(const QString &uuid)
{
    EventRecord r;
    r.source = EventSource::Receiver;
    r.signature = SignatureVerdict::Valid;
    r.body = QByteArrayLiteral(R"({"data":{"event_uuid":")") + uuid.toUtf8() +
        QByteArrayLiteral(R"(","filter":{"user_id":"1111111111111111111"},"event_type":"post.create",)"
                          R"("payload":{"text":"burst"}}})");
    r.headers = {{"Content-Type", "application/json"}};
    return r;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 5)
        return 64;
    const std::optional<EventDurability> durability =
        args.size() > 5 ? EventStore::durabilityFromKey(args.at(5)) : EventDurability::ProgramCrash;
    if (!durability)
        return 64;
    EventStore store(args.at(1), *durability);
    if (!store.isOpen()) {
        QTextStream(stderr) << store.lastError() << '\n';
        return 65;
    }
    const int count = args.at(3).toInt();
    const QString tag = args.at(4);

    if (args.at(2) == QLatin1String("burst")) {
        std::atomic_int left = count;
        for (int i = 0; i < count; ++i) {
            const QString uuid = QStringLiteral("%1-%2").arg(tag).arg(i);
            store.append(record(uuid), [uuid, &left](const EventAppendResult &result) {
                // On the writer's thread, after the commit: a whole line per write.
                const QByteArray line =
                    (result.stored ? QByteArrayLiteral("durable ") : QByteArrayLiteral("failed ")) +
                    uuid.toUtf8() + '\n';
                std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
                std::fflush(stdout);
                if (--left == 0)
                    QMetaObject::invokeMethod(qApp, [] { QCoreApplication::exit(0); });
            });
        }
        return QCoreApplication::exec();
    }

    if (args.at(2) == QLatin1String("write")) {
        QTextStream(stdout) << "ready" << Qt::endl;
        std::atomic_int left = 2 * count;
        std::atomic_int failures = 0;
        QSocketNotifier notifier(STDIN_FILENO, QSocketNotifier::Read);
        QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&] {
            notifier.setEnabled(false);
            char buffer[16];
            (void)::read(STDIN_FILENO, buffer, sizeof(buffer));
            const auto done = [&](const EventAppendResult &result) {
                if (!result.stored) {
                    ++failures;
                    std::fprintf(stderr, "%s\n", qPrintable(result.error));
                }
                if (--left == 0)
                    QMetaObject::invokeMethod(qApp,
                                              [&] { QCoreApplication::exit(qMin(int(failures), 100)); });
            };
            for (int i = 0; i < count; ++i) {
                store.append(record(QStringLiteral("%1-%2").arg(tag).arg(i)), done);
                store.append(record(QStringLiteral("shared-%1").arg(i)), done);
            }
        });
        return QCoreApplication::exec();
    }
    return 64;
}
