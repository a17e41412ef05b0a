// The webhook receiver under load (#16): 64 keep-alive senders over loopback (LoadGenerator on a
// thread of its own) post signed X Activity events as fast as they are answered; each waits for
// its answer before the next. Prints events/s, p50/p99 time to acknowledgement, and the CPU time
// per event of the receiver's and the writer's threads where they have their own, for
//   floor:    the same receiver answering 200 at once (no signature check, no store);
//   stored:   verified, stored in the EventStore and only then answered, with the receiver on the
//             main thread and on a thread of its own, for each EventDurability (program-crash:
//             WAL synchronous=NORMAL, the default; power-loss: synchronous=FULL).
// Asserts that every event was answered 200 and stored, nothing about timing.
// BENCH_RECEIVER_EVENTS overrides the number of events (default 20,000); BENCH_RECEIVER_PROFILE
// runs only the stored run with the receiver on its own thread, or with "floor" only that (for perf);
// BENCH_RECEIVER_ROUNDS sets the number of back-to-back floor/stored pairs (default 3).
#include "EventIntake.h"
#include "LoadGenerator.h"
#include "WebhookReceiverThread.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QtTest>

#include <algorithm>
#include <memory>
#include <vector>

using namespace activity;
using sandbox::LoadGenerator;
using sandbox::LoadOptions;

namespace {

const QByteArray kSecret = "test_consumer_secret";
constexpr int senders = 64;

struct Figures
{
    double perSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    int ok = 0;
    // CPU time per event of the receiver's and the store writer's threads; < 0: not on a thread of
    // their own (or not Linux). Steadier than the rates on a shared machine.
    double receiverUsPerEvent = -1;
    double writerUsPerEvent = -1;
    // The load generator's own thread: what the senders take from the same cores.
    double generatorUsPerEvent = -1;
};

// CPU time so far of this process's threads called `name`, in ns (Linux's per-thread schedstat);
// -1 when there is none.
qint64 threadCpuNs(const QByteArray &name)
{
    qint64 total = -1;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(task + QStringLiteral("/comm")));
        if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != name)
            continue;
        QFile schedstat(tasks.filePath(task + QStringLiteral("/schedstat")));
        if (schedstat.open(QIODevice::ReadOnly))
            total = qMax<qint64>(total, 0) + schedstat.readAll().split(' ').value(0).toLongLong();
    }
    return total;
}

// The thread names WebhookReceiverThread and EventWriter give (Linux keeps 15 bytes).
const QByteArray kReceiverThread = "webhook-receive";
const QByteArray kWriterThread = "event-writer";
const QByteArray kGeneratorThread = "load-generator";

int eventCount()
{
    const int fromEnv = qEnvironmentVariableIntValue("BENCH_RECEIVER_EVENTS");
    return fromEnv > 0 ? fromEnv : 20000;
}

// Runs the generator on a thread of its own against `port`; the figures once it finished.
Figures drive(quint16 port, int events)
{
    LoadOptions options;
    options.port = port;
    options.consumerSecret = kSecret;
    options.events = events;
    options.connections = senders;
    QThread thread;
    thread.setObjectName(QString::fromLatin1(kGeneratorThread));
    auto *generator = new LoadGenerator(options);
    generator->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, generator, &QObject::deleteLater);
    // A real event loop while waiting (QTest::qWaitFor sleeps between its rounds, which would stall a
    // receiver on this thread).
    QEventLoop loop;
    QObject::connect(generator, &LoadGenerator::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(600000, &loop, &QEventLoop::quit);
    const qint64 receiverBefore = threadCpuNs(kReceiverThread);
    const qint64 writerBefore = threadCpuNs(kWriterThread);
    thread.start();
    // From when the generator starts: its requests are built and signed before (LoadGenerator::start).
    qint64 generatorBefore = -1;
    QObject::connect(
        generator, &LoadGenerator::started, generator,
        [&generatorBefore] { generatorBefore = threadCpuNs(kGeneratorThread); },
        Qt::DirectConnection); // on the generator's thread, as its clock starts
    QMetaObject::invokeMethod(generator, &LoadGenerator::start, Qt::QueuedConnection);
    loop.exec();
    Figures figures;
    const qint64 receiverAfter = threadCpuNs(kReceiverThread);
    const qint64 writerAfter = threadCpuNs(kWriterThread);
    const qint64 generatorAfter = threadCpuNs(kGeneratorThread);
    if (receiverBefore >= 0 && receiverAfter >= receiverBefore)
        figures.receiverUsPerEvent = double(receiverAfter - receiverBefore) / 1000.0 / events;
    if (writerBefore >= 0 && writerAfter >= writerBefore)
        figures.writerUsPerEvent = double(writerAfter - writerBefore) / 1000.0 / events;
    if (generatorBefore >= 0 && generatorAfter >= generatorBefore)
        figures.generatorUsPerEvent = double(generatorAfter - generatorBefore) / 1000.0 / events;
    // The generator's thread is idle now: its results can be read here.
    figures.ok = generator->countWithStatus(200);
    figures.perSecond = double(events) / generator->elapsedSeconds();
    figures.p50Ms = generator->percentileMs(50);
    figures.p99Ms = generator->percentileMs(99);
    thread.quit();
    thread.wait();
    return figures;
}

// ", CPU: receiver thread 11.2 us/event, writer 7.9 us/event" for what ran on threads of its own.
QByteArray cpuText(const Figures &f)
{
    QByteArray text;
    if (f.receiverUsPerEvent >= 0)
        text += ", CPU: receiver thread " + QByteArray::number(f.receiverUsPerEvent, 'f', 1) + " us/event";
    if (f.writerUsPerEvent >= 0)
        text += (text.isEmpty() ? ", CPU: writer " : ", writer ") +
            QByteArray::number(f.writerUsPerEvent, 'f', 1) + " us/event";
    if (f.generatorUsPerEvent >= 0)
        text += ", senders " + QByteArray::number(f.generatorUsPerEvent, 'f', 1) + " us/event";
    return text;
}

void print(const char *name, const Figures &f)
{
    qInfo("  %-48s %8.0f events/s, p50 %7.3f ms, p99 %7.3f ms (%d answered 200)%s", name, f.perSecond,
          f.p50Ms, f.p99Ms, f.ok, cpuText(f).constData());
}

} // namespace

class BenchReceiver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void storedNextToTheFloor()
    {
        const int events = eventCount();
        // For a profiler: only the stored run with the receiver on a thread of its own.
        if (qEnvironmentVariable("BENCH_RECEIVER_PROFILE") == QLatin1String("floor")) {
            print("floor, receiver thread:", runFloor(true, events));
            return;
        }
        if (qEnvironmentVariableIsSet("BENCH_RECEIVER_PROFILE")) {
            Figures threaded;
            runStored(EventDurability::ProgramCrash, true, events, threaded);
            print("verified + stored (program-crash), receiver thread:", threaded);
            return;
        }
        // Each stored run right after its floor (the receiver on the main thread, then on a thread of
        // its own, what the console does: its sockets, parsing and HMACs leave the main thread, which
        // only gets the intake's reports), so each headline ratio compares neighbours; the store's
        // writer on its own thread, with either durability.
        Figures stored, threaded, storedPowerLoss, threadedPowerLoss;
        const Figures floor = runFloor(false, events);
        QCOMPARE(floor.ok, events); // 0 when it could not listen
        runStored(EventDurability::ProgramCrash, false, events, stored);
        const Figures floorThreaded = runFloor(true, events);
        QCOMPARE(floorThreaded.ok, events);
        runStored(EventDurability::ProgramCrash, true, events, threaded);

        // Verified and acknowledged through the same queued ack, without a store: what the store adds.
        Figures verified;
        {
            WebhookReceiver receiver(kSecret);
            receiver.setSink([](ReceivedDelivery, WebhookReceiver::Ack ack) { ack(true, {}); });
            QVERIFY(!receiver.listen(QHostAddress::LocalHost, 0));
            verified = drive(receiver.port(), events);
        }
        QCOMPARE(verified.ok, events);

        runStored(EventDurability::PowerLoss, false, events, storedPowerLoss);
        runStored(EventDurability::PowerLoss, true, events, threadedPowerLoss);
        if (QTest::currentTestFailed())
            return;

        qInfo("%d keep-alive senders over loopback, %d signed X Activity events, each sender waiting for "
              "its answer:",
              senders, events);
        print("floor (200 at once, no check, no store), main:", floor);
        print("floor, receiver thread:", floorThreaded);
        print("verified, acked at once (no store), main:", verified);
        print("verified + stored (program-crash), receiver on main:", stored);
        print("verified + stored (program-crash), receiver thread:", threaded);
        print("verified + stored (power-loss), receiver on main:", storedPowerLoss);
        print("verified + stored (power-loss), receiver thread:", threadedPowerLoss);
        qInfo("  stored/floor, program-crash (the default): %.2f (main thread), %.2f (receiver thread)",
              stored.perSecond / floor.perSecond, threaded.perSecond / floorThreaded.perSecond);
        qInfo("  stored/floor, power-loss (fsync per commit): %.2f (main thread), %.2f (receiver thread)",
              storedPowerLoss.perSecond / floor.perSecond,
              threadedPowerLoss.perSecond / floorThreaded.perSecond);

        // On a shared machine the floor alone moves by a fifth between runs: pairs run back to back
        // (the console's way: receiver thread, program-crash), in alternating order so a drift favours
        // neither, and their median is the figure the goal is about.
        const int rounds = std::max(1,
                                    qEnvironmentVariableIntValue("BENCH_RECEIVER_ROUNDS") > 0
                                        ? qEnvironmentVariableIntValue("BENCH_RECEIVER_ROUNDS")
                                        : 3);
        std::vector<double> ratios;
        for (int round = 1; round <= rounds; ++round) {
            const bool floorFirst = round % 2 == 1;
            Figures pairFloor, pairStored;
            if (floorFirst)
                pairFloor = runFloor(true, events);
            runStored(EventDurability::ProgramCrash, true, events, pairStored);
            if (!floorFirst)
                pairFloor = runFloor(true, events);
            QCOMPARE(pairFloor.ok, events);
            if (QTest::currentTestFailed())
                return;
            ratios.push_back(pairStored.perSecond / pairFloor.perSecond);
            qInfo("  pair %d (%s first), receiver thread: floor %8.0f events/s (%.1f us/event), stored %8.0f "
                  "events/s (%.1f us/event, p99 %.3f ms): %.2f",
                  round, floorFirst ? "floor" : "stored", pairFloor.perSecond, pairFloor.receiverUsPerEvent,
                  pairStored.perSecond, pairStored.receiverUsPerEvent, pairStored.p99Ms, ratios.back());
        }
        std::sort(ratios.begin(), ratios.end());
        qInfo("  stored/floor, median of %d pairs: %.2f", rounds, ratios[ratios.size() / 2]);
    }

private:
    // The same server answering 200 at once, unverified and unstored.
    static Figures runFloor(bool onThread, int events)
    {
        WebhookReceiverOptions options;
        options.floor = true;
        if (onThread) {
            WebhookReceiverThread receiver(kSecret, options);
            return receiver.listen(QHostAddress::LocalHost, 0) ? Figures() : drive(receiver.port(), events);
        }
        WebhookReceiver receiver(kSecret, options);
        return receiver.listen(QHostAddress::LocalHost, 0) ? Figures() : drive(receiver.port(), events);
    }

    // Verified, stored with `durability` and only then answered; every event answered 200 and stored.
    void runStored(EventDurability durability, bool onThread, int events, Figures &figures)
    {
        QTemporaryDir dir;
        EventStore store(dir.filePath(QStringLiteral("events.sqlite")), durability);
        QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
        if (onThread) {
            WebhookReceiverThread receiver(kSecret);
            auto intake = std::make_unique<EventIntake>(receiver.receiver(), &store);
            QVERIFY(!receiver.listen(QHostAddress::LocalHost, 0));
            figures = drive(receiver.port(), events);
            intake.reset(); // before the receiver's thread ends
        } else {
            WebhookReceiver receiver(kSecret);
            EventIntake intake(&receiver, &store);
            QVERIFY(!receiver.listen(QHostAddress::LocalHost, 0));
            figures = drive(receiver.port(), events);
        }
        QCOMPARE(store.count(), qint64(events));
        QCOMPARE(figures.ok, events);
    }
};

QTEST_GUILESS_MAIN(BenchReceiver)
#include "bench_receiver.moc"
