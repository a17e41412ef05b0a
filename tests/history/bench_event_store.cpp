// EventStore's appends, durable (#16): 64 producers, each a sender that waits for its append to be
// reported durable before it sends the next (as a receiver's connection waits to answer 200).
// Prints appends/s and p50/p99 time-to-durable next to a floor: the same producers and the same
// hand-off to one thread that answers in batches, without SQLite. Asserts nothing about timing.
#include "EventStore.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <semaphore>
#include <thread>
#include <vector>

using namespace activity;

namespace {

constexpr int producers = 64;
constexpr int perProducer = 150;

// The floor: EventWriter's queue and batching, answering without writing.
class NoStore
{
public:
    NoStore()
        : m_thread([this] { run(); })
    {
    }
    ~NoStore()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_one();
        m_thread.join();
    }
    void append(EventRecord record, std::function<void(const EventAppendResult &)> done)
    {
        {
            std::lock_guard lock(m_mutex);
            m_queue.emplace_back(std::move(record), std::move(done));
        }
        m_wake.notify_one();
    }

private:
    void run()
    {
        for (;;) {
            std::deque<std::pair<EventRecord, std::function<void(const EventAppendResult &)>>> batch;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
                if (m_queue.empty())
                    return;
                batch.swap(m_queue);
            }
            for (auto &[record, done] : batch) {
                EventAppendResult result;
                result.stored = true;
                result.eventId = record.eventId;
                done(result);
            }
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::pair<EventRecord, std::function<void(const EventAppendResult &)>>> m_queue;
    bool m_stopping = false;
    std::thread m_thread;
};

EventRecord record(int producer, int n)
{
    EventRecord r;
    r.source = EventSource::Receiver;
    r.signature = SignatureVerdict::Valid;
    const QByteArray uuid = QByteArray::number(producer * 1000000 + n);
    r.body = QByteArrayLiteral("{\"data\":{\"event_uuid\":\"") + uuid +
        QByteArrayLiteral(
                 "\",\"filter\":{\"user_id\":\"1111111111111111111\"},\"event_type\":\"like.create\","
                 "\"tag\":\"likes\",\"payload\":{\"id\":\"87719f50ee17bdfa06a3089098a2b9ed\","
                 "\"created_at\":\"2026-07-24T21:12:45.000Z\",\"timestamp_ms\":\"1784927565236\","
                 "\"liked_tweet_author_id\":\"3333333333333333333\","
                 "\"liked_tweet_id\":\"2079814480427442556\"}}}");
    r.headers = {{"content-type", "application/json"},
                 {"x-twitter-webhooks-signature", "sha256=RdDZAnO2VvOxUgSej1BGkkZwq96p1Gad7bWMdNdQ184="}};
    return r;
}

struct Figures
{
    double perSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    int failed = 0;
};

// Each producer appends, waits for its answer, and appends the next.
template<typename Append> Figures run(const Append &append)
{
    std::vector<std::vector<qint64>> latencies(producers);
    std::atomic_int failed = 0;
    QElapsedTimer wall;
    wall.start();
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
        threads.emplace_back([&, p] {
            std::binary_semaphore answered(0);
            latencies[p].reserve(perProducer);
            for (int n = 0; n < perProducer; ++n) {
                QElapsedTimer timer;
                timer.start();
                append(record(p, n), [&](const EventAppendResult &result) {
                    if (!result.stored)
                        ++failed;
                    answered.release();
                });
                answered.acquire();
                latencies[p].push_back(timer.nsecsElapsed());
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    const qint64 elapsedNs = wall.nsecsElapsed();
    std::vector<qint64> all;
    for (const auto &list : latencies)
        all.insert(all.end(), list.begin(), list.end());
    std::sort(all.begin(), all.end());
    Figures figures;
    figures.perSecond = double(all.size()) * 1e9 / double(elapsedNs);
    figures.p50Ms = double(all[all.size() / 2]) / 1e6;
    figures.p99Ms = double(all[all.size() * 99 / 100]) / 1e6;
    figures.failed = failed;
    return figures;
}

} // namespace

class BenchEventStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendsDurableWith64Producers()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Figures floor;
        {
            NoStore none;
            floor = run([&](EventRecord r, std::function<void(const EventAppendResult &)> done) {
                none.append(std::move(r), std::move(done));
            });
        }
        Figures programCrash;
        Figures powerLoss;
        for (const EventDurability durability : {EventDurability::ProgramCrash, EventDurability::PowerLoss}) {
            EventStore store(dir.filePath(EventStore::durabilityKey(durability) + QStringLiteral(".sqlite")),
                             durability);
            QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
            const Figures figures =
                run([&](EventRecord r, std::function<void(const EventAppendResult &)> done) {
                    store.append(std::move(r), std::move(done));
                });
            QCOMPARE(figures.failed, 0);
            QCOMPARE(store.count(), qint64(producers * perProducer));
            (durability == EventDurability::PowerLoss ? powerLoss : programCrash) = figures;
        }
        qInfo("%d producers x %d appends, each waiting for its answer:", producers, perProducer);
        qInfo("  floor (same hand-off, no SQLite):          %9.0f appends/s, p50 %7.3f ms, p99 %7.3f ms",
              floor.perSecond, floor.p50Ms, floor.p99Ms);
        qInfo("  EventStore, program-crash (WAL, NORMAL):   %9.0f appends/s, p50 %7.3f ms, p99 %7.3f ms",
              programCrash.perSecond, programCrash.p50Ms, programCrash.p99Ms);
        qInfo("  EventStore, power-loss (WAL, FULL, fsync): %9.0f appends/s, p50 %7.3f ms, p99 %7.3f ms",
              powerLoss.perSecond, powerLoss.p50Ms, powerLoss.p99Ms);
    }
};

QTEST_GUILESS_MAIN(BenchEventStore)
#include "bench_event_store.moc"
