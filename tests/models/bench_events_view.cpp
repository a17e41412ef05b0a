// Figures for the Events pane's view of live events (#16, "Stream: events per second parsed into the
// pane's model with the window responsive, and memory per event held in view"). Prints
// "BENCH name: value unit" lines and never fails on timing.
//
// - The stream path on the GUI thread: JSON lines of X Activity envelopes (x-api-2026.md §4.6)
//   parsed as the store's append does (EventStore::describe), then appended to the model in
//   batches as the pane does per read: into the model and proxy alone, then through a shown
//   QTableView as well. Next to them, the floor: parsing alone.
// - The pane's real read: rows committed to an EventStore, read by row id without bodies
//   (EventQuery::minRowId) and appended, as EventsPane::loadNewEvents does.
// - Each keystroke of words typed into the filter with 100,000 events in view, up to the view
//   having handled the change (mean and worst), and appending a batch while a filter is on.
// - The heap held per event in view (mallinfo2: the rows, their strings, the proxy's list).
#include "BenchSupport.h"
#include "EventFilterProxy.h"
#include "EventStore.h"
#include "EventTableModel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <cstdio>

using namespace activity;

namespace {
using benchsupport::report;
using benchsupport::reportKeystrokes;
using benchsupport::Stopwatch;
constexpr int kEvents = 100'000;
constexpr int kBatch = 500; // events per read: 10,000 events/s at the pane's 50 ms coalescing
constexpr int kStoredEvents = 20'000;

void rate(const QByteArray &name, qint64 events, const Stopwatch &watch)
{
    report(name.constData(), double(events) * 1000.0 / qMax(watch.wallMs(), 0.001), "events/s");
    report(QByteArray(name).append(" [cpu]").constData(),
           double(events) * 1000.0 / qMax(watch.cpuMs(), 0.001), "events/s");
}

size_t heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd; // large blocks (the row array) are mmapped and counted apart
}

// Realistic envelopes after §4.6's samples: five types, 50 users, tags per subscription.
QByteArray envelopeLine(int i)
{
    const QString uuid = QString::number(-8917909039855612786LL + qint64(i) * 7919);
    const QString user = QString::number(1111111111111111111LL + i % 50);
    switch (i % 5) {
    case 0:
        return QStringLiteral(
                   R"({"data":{"event_uuid":"%1","filter":{"user_id":"%2"},"event_type":)"
                   R"("profile.update.bio","tag":"profile-bio","payload":{"before":"Building with )"
                   R"(the X API","after":"Building with the X API @XDevelopers %3"}}})")
            .arg(uuid, user)
            .arg(i)
            .toUtf8();
    case 1:
        return QStringLiteral(
                   R"({"data":{"event_uuid":"%1","filter":{"user_id":"%2"},"event_type":"post.delete",)"
                   R"("tag":"post-deletes","payload":{"id":"20807612693098%3","author_id":"%2"},)"
                   R"("includes":{"users":[{"data":{"id":"%2","username":"ExampleUser"}}]}}})")
            .arg(uuid, user)
            .arg(i)
            .toUtf8();
    case 2:
        return QStringLiteral(
                   R"({"data":{"event_uuid":"%1","filter":{"user_id":"%2","direction":"outbound"},)"
                   R"("event_type":"like.create","tag":"likes","payload":{"id":"87719f50ee17bdfa06a3089098a2b9ed",)"
                   R"("created_at":"2026-07-24T21:12:45.000Z","timestamp_ms":"1784927565236",)"
                   R"("liked_tweet_author_id":"3333333333333333333","liked_tweet_id":"2079814480427442556"},)"
                   R"("includes":{"users":[{"id":"3333333333333333333","username":"PublicUser"}],)"
                   R"("tweets":[{"id":"2079814480427442556","author_id":"3333333333333333333","text":"liked %3"}]}}})")
            .arg(uuid, user)
            .arg(i)
            .toUtf8();
    case 3:
        return QStringLiteral(
                   R"({"data":{"event_uuid":"%1","filter":{"user_id":"%2"},"event_type":"post.create",)"
                   R"("tag":"posts","payload":{"id":"2080761390344937796","author_id":"%2","text":"Hello from )"
                   R"(the Activity API %3","created_at":"2026-07-24T21:05:48.000Z","conversation_id":)"
                   R"("2080761390344937796","edit_history_tweet_ids":["2080761390344937796"],"lang":"en",)"
                   R"("reply_settings":"everyone","public_metrics":{"retweet_count":0,"retweet_count_str":"0",)"
                   R"("like_count":0,"like_count_str":"0"}},"includes":{"tweets":[],"users":[]}}})")
            .arg(uuid, user)
            .arg(i)
            .toUtf8();
    default:
        return QStringLiteral(
                   R"({"data":{"event_uuid":"%1","filter":{},"event_type":"oauth.revoke","payload":)"
                   R"({"date_time":"2026-07-23T21:44:05+00:00","user_id":"%2","app_id":"29820954"}}})")
            .arg(uuid, user)
            .toUtf8();
    }
}

StoredEvent parse(const QByteArray &line, qint64 rowId, qint64 nowMs)
{
    const EventFacts facts = EventStore::describe(line);
    StoredEvent event;
    event.rowId = rowId;
    event.eventId = facts.eventId;
    event.eventType = facts.eventType;
    event.forUserId = facts.forUserId;
    event.filter = facts.filter;
    event.tag = facts.tag;
    event.receivedAtMs = nowMs;
    event.bodySize = line.size();
    return event;
}

// Types each prefix of `word`, then deletes it again, each step up to the view having handled it.
void keystrokes(const QByteArray &label, const QString &word, EventFilterProxy &proxy)
{
    QList<double> wall;
    QList<double> cpu;
    auto step = [&](const QString &text) {
        const Stopwatch watch;
        proxy.setFilterText(text);
        QCoreApplication::processEvents(); // the view's layout and paint
        wall.append(watch.wallMs());
        cpu.append(watch.cpuMs());
    };
    for (qsizetype i = 1; i <= word.size(); ++i)
        step(word.left(i));
    proxy.setFilterText(word);
    std::printf("BENCH rows matching \"%s\": %d rows\n", qPrintable(word), proxy.rowCount());
    for (qsizetype i = word.size() - 1; i >= 0; --i)
        step(word.left(i));
    reportKeystrokes(label.constData(), wall, cpu);
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
#ifdef NDEBUG
    std::printf("BENCH build: release (NDEBUG)\n");
#else
    std::printf("BENCH build: debug\n");
#endif
    std::printf("BENCH events: %d, appended in batches of %d\n", kEvents, kBatch);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    QList<QByteArray> lines;
    lines.reserve(kEvents);
    qint64 bytes = 0;
    for (int i = 0; i < kEvents; ++i) {
        lines.append(envelopeLine(i));
        bytes += lines.constLast().size();
    }
    report("mean envelope size", double(bytes) / kEvents, "bytes");

    // The floor: parsing alone, as the store's append does it.
    Stopwatch watch;
    for (int i = 0; i < kEvents; ++i)
        (void)parse(lines.at(i), i + 1, nowMs);
    rate("parse only (floor)", kEvents, watch);

    // Parse + append into the model and the proxy, no view: what the model layer costs.
    {
        EventTableModel bare;
        EventFilterProxy bareProxy;
        bareProxy.setSourceModel(&bare);
        watch.restart();
        for (int first = 0; first < kEvents; first += kBatch) {
            QList<StoredEvent> batch;
            batch.reserve(kBatch);
            for (int i = first; i < first + kBatch && i < kEvents; ++i)
                batch.append(parse(lines.at(i), i + 1, nowMs));
            bare.appendEvents(batch);
        }
        rate("parse + append to the model and proxy, no view", kEvents, watch);
        keystrokes("no view: type \"like.cr\"", QStringLiteral("like.cr"), bareProxy);
        keystrokes("no view: event id \"-89179\"", QStringLiteral("-89179"), bareProxy);
    }

    // Parse + append into the model, through the proxy and a shown table that follows the bottom.
    const size_t heapBefore = heapInUse();
    auto *model = new EventTableModel;
    auto *proxy = new EventFilterProxy;
    proxy->setSourceModel(model);
    QTableView view;
    view.setModel(proxy);
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.resize(1200, 700);
    view.show();
    QCoreApplication::processEvents();
    watch.restart();
    for (int first = 0; first < kEvents; first += kBatch) {
        QList<StoredEvent> batch;
        batch.reserve(kBatch);
        for (int i = first; i < first + kBatch && i < kEvents; ++i)
            batch.append(parse(lines.at(i), i + 1, nowMs));
        model->appendEvents(batch);
        view.scrollToBottom();
        QCoreApplication::processEvents();
    }
    rate("parse + append to the model, proxy and shown view", kEvents, watch);
    const size_t heapAfter = heapInUse();
    report("memory per event in view (rows, strings, proxy list)", double(heapAfter - heapBefore) / kEvents,
           "bytes");
    report("memory for 100000 events in view", double(heapAfter - heapBefore) / (1024.0 * 1024.0), "MiB");
    lines.clear();
    lines.squeeze();

    // Filter keystrokes with 100,000 events in view.
    keystrokes("type \"like.cr\"", QStringLiteral("like.cr"), *proxy);
    keystrokes("tag \"profile-b\"", QStringLiteral("profile-b"), *proxy);
    keystrokes("event id \"-89179\"", QStringLiteral("-89179"), *proxy);
    keystrokes("account \"11111111111111111\"", QStringLiteral("11111111111111111"), *proxy);
    keystrokes("no match \"zqx\"", QStringLiteral("zqx"), *proxy);

    // New events while a filter is on: the append is mapped, not a reset.
    proxy->setFilterText(QStringLiteral("like"));
    QCoreApplication::processEvents();
    QList<double> appendMs;
    QList<double> signalMs;
    for (int round = 0; round < 20; ++round) {
        QList<StoredEvent> batch;
        for (int i = 0; i < kBatch; ++i) {
            const int n = kEvents + round * kBatch + i;
            batch.append(parse(envelopeLine(n), n + 1, nowMs));
        }
        watch.restart();
        model->appendEvents(batch); // at the cap: also drops the oldest 500
        signalMs.append(watch.wallMs());
        QCoreApplication::processEvents();
        appendMs.append(watch.wallMs());
    }
    std::sort(signalMs.begin(), signalMs.end());
    report("  of which the model's, proxy's and view's slots (median)", signalMs.at(signalMs.size() / 2),
           "ms");
    std::sort(appendMs.begin(), appendMs.end());
    report("append a batch of 500 while filtered (median, parsed beforehand)",
           appendMs.at(appendMs.size() / 2), "ms");
    report("append a batch of 500 while filtered (worst)", appendMs.constLast(), "ms");
    proxy->setFilterText({});
    view.setModel(nullptr);
    delete proxy;
    delete model;

    // The pane's real read: committed rows, by row id, without bodies, in batches.
    {
        QTemporaryDir dir;
        EventStore store(dir.filePath(QStringLiteral("events.sqlite")));
        QSignalSpy appended(&store, &EventStore::appended);
        for (int i = 0; i < kStoredEvents; ++i) {
            EventRecord record;
            record.body = envelopeLine(i);
            store.append(record);
        }
        if (!QTest::qWaitFor([&] { return appended.size() >= kStoredEvents; }, 120000)) {
            std::printf("BENCH store: the appends did not finish\n");
            return 1;
        }
        EventTableModel storeModel;
        EventFilterProxy storeProxy;
        storeProxy.setSourceModel(&storeModel);
        watch.restart();
        int reads = 0;
        for (;;) {
            EventQuery query;
            query.limit = 0;
            query.withBodies = false;
            query.minRowId = storeModel.lastRowId() + 1;
            query.maxRowId = storeModel.lastRowId() + kBatch;
            const QList<StoredEvent> events = store.events(query);
            if (events.isEmpty())
                break;
            storeModel.appendEvents(events);
            ++reads;
        }
        std::printf("BENCH store rows read: %d in %d reads\n", storeModel.rowCount(), reads);
        rate("read from the store by row id (no bodies) + append", storeModel.rowCount(), watch);
        watch.restart();
        for (int i = 0; i < 1000; ++i)
            (void)store.event(storeModel.rowId(i * (kStoredEvents / 1000)));
        report("detail view: one event with its body from the store", watch.wallMs() / 1000.0, "ms");
    }
    return 0;
}
