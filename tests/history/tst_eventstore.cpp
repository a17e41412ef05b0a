// EventStore (#16): an append answered only once durable, group commit answering each caller,
// what identifies an event, duplicates as a count on the first row, the headers kept, the queries,
// forward outcomes, the limits and background pruning, a process killed mid-burst losing nothing it
// reported durable, and two processes appending at once.
#include "EventStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using namespace activity;

namespace {

// 2026-07-24 21:05:48 UTC
constexpr qint64 kNow = 1784927148000;

QByteArray xaaBody(const QString &uuid, const QString &type = QStringLiteral("post.create"),
                   const QString &user = QStringLiteral("1111111111111111111"),
                   const QString &text = QStringLiteral("hello"))
{
    return QStringLiteral(R"({"data":{"event_uuid":"%1","filter":{"user_id":"%3"},"event_type":"%2",)"
                          R"("tag":"posts","payload":{"text":"%4"}}})")
        .arg(uuid, type, user, text)
        .toUtf8();
}

EventRecord xaa(const QString &uuid, qint64 receivedAt = kNow,
                const QString &type = QStringLiteral("post.create"),
                const QString &user = QStringLiteral("1111111111111111111"),
                const QString &text = QStringLiteral("hello"))
{
    EventRecord r;
    r.source = EventSource::Stream;
    r.body = xaaBody(uuid, type, user, text);
    r.receivedAtMs = receivedAt;
    return r;
}

const QByteArray kFavorite =
    R"({"for_user_id":"2244994945","favorite_events":[{"id":"a7ba59eab0bfcba386f7acedac279542","created_at":"Mon May 19 14:01:46 +0000 2025","timestamp_ms":1747663306000}]})";
const QByteArray kFollow =
    R"({"for_user_id":"2244994945","follow_events":[{"type":"follow","created_timestamp":"1517588749178","target":{"id":"2244994945"},"source":{"id":"3333333333"}}]})";
// The same event with its keys in another order and spaces: X may re-serialise a retry.
const QByteArray kFollowAgain =
    R"({ "follow_events": [ {"source":{"id":"3333333333"}, "target":{"id":"2244994945"}, "created_timestamp":"1517588749178", "type":"follow"} ], "for_user_id": "2244994945" })";
// The same follow delivered for the other user involved.
const QByteArray kFollowOther =
    R"({"for_user_id":"3333333333","follow_events":[{"type":"follow","created_timestamp":"1517588749178","target":{"id":"2244994945"},"source":{"id":"3333333333"}}]})";

std::unique_ptr<QProcess> startAppender(const QStringList &arguments)
{
    auto process = std::make_unique<QProcess>();
    process->setProgram(QStringLiteral(EVENT_APPENDER_PATH));
    process->setArguments(arguments);
    process->start();
    return process;
}

bool waitForLine(QProcess *process, QByteArray *line)
{
    QElapsedTimer timer;
    timer.start();
    while (!process->canReadLine()) {
        QSignalSpy ready(process, &QProcess::readyReadStandardOutput);
        if (process->state() == QProcess::NotRunning || !ready.wait(10000) || timer.hasExpired(20000)) {
            if (!process->canReadLine())
                return false;
        }
    }
    *line = process->readLine().trimmed();
    return true;
}

// A thread's name and nice value from its /proc stat line: "pid (comm) state ...", nice is field 19.
std::pair<QByteArray, int> nameAndNice(const QString &statPath)
{
    QFile stat(statPath);
    if (!stat.open(QIODevice::ReadOnly))
        return {{}, 0};
    const QByteArray line = stat.readAll();
    const qsizetype open = line.indexOf('('), close = line.lastIndexOf(')');
    if (open < 0 || close < open)
        return {{}, 0};
    return {line.mid(open + 1, close - open - 1), line.mid(close + 2).split(' ').value(19 - 3).toInt()};
}

// The nice value of each of this process's threads called `name`.
QList<int> niceOfThreadsNamed(const QByteArray &name)
{
    QList<int> nice;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const auto [comm, value] = nameAndNice(tasks.filePath(task + QStringLiteral("/stat")));
        if (comm == name)
            nice.append(value);
    }
    return nice;
}

} // namespace

class TestEventStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString databasePath() const
    {
        return m_dir.filePath(
            QStringLiteral("%1.sqlite").arg(QString::fromLatin1(QTest::currentTestFunction())));
    }

    // Appends and waits for the answer.
    static void limitBodiesTo1024(EventStore &store)
    {
        EventRetention retention = store.retention();
        retention.maxBodyBytes = 1024;
        store.setRetention(retention);
    }

    static EventAppendResult appendAndWait(EventStore &store, const EventRecord &record)
    {
        QSignalSpy spy(&store, &EventStore::appended);
        const qint64 ticket = store.append(record);
        EventAppendResult result;
        while (spy.count() || spy.wait(10000)) {
            const QList<QVariant> args = spy.takeFirst();
            if (args.at(0).toLongLong() == ticket)
                return args.at(1).value<EventAppendResult>();
        }
        result.error = QStringLiteral("no answer");
        return result;
    }

private Q_SLOTS:
    void shouldStoreAnEventAndAnswerOnceDurable()
    {
        EventStore store(databasePath());
        QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
        EventRecord record = xaa(QStringLiteral("-8917909039855612786"));
        record.source = EventSource::Receiver;
        record.signature = SignatureVerdict::Valid;
        record.headers = {
            {"Content-Type", "application/json"},
            {"X-Twitter-Webhooks-Signature", "sha256=RdDZAnO2VvOxUgSej1BGkkZwq96p1Gad7bWMdNdQ184="},
            {"Authorization", "Bearer AAAA-secret"},
            {"Proxy-Authorization", "Basic dXNlcjpwYXNz"},
            {"Cookie", "session=1"}};
        const EventAppendResult result = appendAndWait(store, record);
        QVERIFY2(result.stored, qPrintable(result.error));
        QVERIFY(!result.duplicate);
        QVERIFY(result.rowId > 0);
        QCOMPARE(result.eventId, QStringLiteral("-8917909039855612786"));

        // A second store on the file (another process would see the same): the row is committed.
        EventStore other(databasePath());
        const std::optional<StoredEvent> e = other.eventById(QStringLiteral("-8917909039855612786"));
        QVERIFY(e);
        QCOMPARE(e->rowId, result.rowId);
        QCOMPARE(e->body, record.body);
        QCOMPARE(e->bodySize, qint64(record.body.size()));
        QCOMPARE(e->source, EventSource::Receiver);
        QCOMPARE(e->signature, SignatureVerdict::Valid);
        QCOMPARE(e->receivedAtMs, kNow);
        QCOMPARE(e->eventType, QStringLiteral("post.create"));
        QCOMPARE(e->forUserId, QStringLiteral("1111111111111111111"));
        QCOMPARE(e->filter, QStringLiteral(R"({"user_id":"1111111111111111111"})"));
        QCOMPARE(e->tag, QStringLiteral("posts"));
        QCOMPARE(e->duplicates, 0);
        QVERIFY(!e->forward);
        QCOMPARE(e->headers.value(QStringLiteral("x-twitter-webhooks-signature")).toString(),
                 QStringLiteral("sha256=RdDZAnO2VvOxUgSej1BGkkZwq96p1Gad7bWMdNdQ184="));
        QCOMPARE(e->headers.value(QStringLiteral("content-type")).toString(),
                 QStringLiteral("application/json"));
        QVERIFY(!e->headers.contains(QStringLiteral("authorization")));
        QVERIFY(!e->headers.contains(QStringLiteral("proxy-authorization")));
        QVERIFY(!e->headers.contains(QStringLiteral("cookie")));
        QVERIFY(!QJsonDocument(e->headers).toJson().contains("secret"));
        QCOMPARE(other.event(result.rowId)->eventId, e->eventId);
    }

    void shouldKeepHeadersAsValidJsonWhateverTheirBytes()
    {
        // The kept headers are written as JSON by hand: quotes, backslashes, control characters and
        // Latin-1 bytes come back as sent; a repeated header keeps both values; secret-looking names go.
        const QByteArray json = EventStore::selectedHeaders({{" X-Note ", "say \"hi\" \\ back\tnow\x01"},
                                                             {"User-Agent", "caf\xe9"},
                                                             {"Accept", "text/plain"},
                                                             {"accept", "application/json"},
                                                             {"X-Api-Token", "abc"},
                                                             {"X-Client-Secret", "abc"}});
        QJsonParseError error;
        const QJsonObject headers = QJsonDocument::fromJson(json, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(headers.value(QStringLiteral("x-note")).toString(),
                 QStringLiteral("say \"hi\" \\ back\tnow\x01"));
        QCOMPARE(headers.value(QStringLiteral("user-agent")).toString(), QStringLiteral("caf\u00e9"));
        QCOMPARE(headers.value(QStringLiteral("accept")).toString(),
                 QStringLiteral("text/plain, application/json"));
        QCOMPARE(headers.size(), 3);
        // The same bytes QJsonDocument would write (sorted keys, compact).
        QCOMPARE(json, QJsonDocument(headers).toJson(QJsonDocument::Compact));
        QCOMPARE(EventStore::selectedHeaders({}), QByteArray("{}"));
        // Three of a name in any case, one of them empty, around others: one key, values in order.
        QCOMPARE(
            EventStore::selectedHeaders(
                {{"Via", "a"}, {"Host", "h"}, {"via", ""}, {"Accept", "x"}, {"VIA", "c"}, {" ", "blank"}}),
            QByteArray(R"({"accept":"x","host":"h","via":"a, , c"})"));
    }

    void shouldKeepTheWalBoundedWhileAppendsGoOn()
    {
        // The writer leaves checkpoints to a thread of its own (WalCheckpointer): they still happen,
        // so the WAL is reused instead of growing with everything written.
        EventStore store(databasePath());
        QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
        const QString text(8000, QLatin1Char('x'));
        constexpr int events = 20000; // about 160 MB of bodies, 2.5 times the WAL's restart size (64 MB)
        qint64 walMax = 0;
        for (int chunk = 0; chunk < events / 100; ++chunk) {
            EventAppendResult last;
            for (int i = 0; i < 100; ++i) {
                const EventRecord record =
                    xaa(QStringLiteral("wal-%1").arg(chunk * 100 + i), kNow, QStringLiteral("post.create"),
                        QStringLiteral("1111111111111111111"), text);
                if (i < 99)
                    store.append(record);
                else
                    last = appendAndWait(store, record);
            }
            QVERIFY2(last.stored, qPrintable(last.error));
            walMax = std::max(walMax, QFileInfo(databasePath() + QStringLiteral("-wal")).size());
        }
        QCOMPARE(store.count(), qint64(events));
        const qint64 written = qint64(events) * text.size();
        // Without checkpoints it would hold all of it; with them it starts over near 64 MB (more while
        // a busy machine keeps the checkpoint thread waiting).
        QVERIFY2(walMax < written * 3 / 4, qPrintable(QStringLiteral("WAL reached %1 bytes").arg(walMax)));
        QTRY_VERIFY(QFileInfo(databasePath()).size() > written / 2); // the pages reached the database
    }

    void shouldLetTheWriterGiveWayForTheCpu()
    {
#ifndef Q_OS_LINUX
        QSKIP("Per-thread nice values are Linux's");
#endif
        // The receiver's and the GUI's threads come first on a busy machine: the writer runs at a
        // lower priority. The WAL's checkpoints keep the store's owner's, or they fall behind.
        const int ours = nameAndNice(QStringLiteral("/proc/thread-self/stat")).second;
        EventStore store(databasePath());
        QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
        const EventAppendResult result = appendAndWait(store, xaa(QStringLiteral("nice-1")));
        QVERIFY2(result.stored, qPrintable(result.error)); // the writer has opened the file: both threads run
        QTRY_COMPARE(niceOfThreadsNamed("event-writer"), QList<int> {std::min(19, ours + 5)});
        QTRY_COMPARE(niceOfThreadsNamed("wal-checkpoint"), QList<int> {ours});
    }

    void shouldUpgradeAVersionOneFileKeepingItsEvents()
    {
        // A store written by the first schema (with the type and account indexes version 2 drops).
        const QString path = databasePath();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            for (const char *sql :
                 {"CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL,"
                  " source TEXT NOT NULL, received_at INTEGER NOT NULL, event_type TEXT NOT NULL DEFAULT '',"
                  " for_user_id TEXT, filter TEXT, tag TEXT, headers TEXT NOT NULL DEFAULT '{}',"
                  " body BLOB NOT NULL, body_size INTEGER NOT NULL, signature TEXT NOT NULL,"
                  " duplicate_count INTEGER NOT NULL DEFAULT 0, last_duplicate_at INTEGER,"
                  " forward_status INTEGER, forward_duration_ms INTEGER, forward_at INTEGER,"
                  " forward_error TEXT)",
                  "CREATE UNIQUE INDEX events_event_id ON events (event_id)",
                  "CREATE INDEX events_received_at ON events (received_at)",
                  "CREATE INDEX events_type ON events (event_type, id)",
                  "CREATE INDEX events_user ON events (for_user_id, id)",
                  "INSERT INTO events (event_id, source, received_at, event_type, for_user_id, body, "
                  "body_size,"
                  " signature) VALUES ('old-1', 'stream', 1784927148000, 'post.create', "
                  "'1111111111111111111',"
                  " '{}', 2, 'n/a')",
                  "PRAGMA user_version = 1"})
                QVERIFY2(q.exec(QString::fromLatin1(sql)), qPrintable(q.lastError().text()));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v1"));
        {
            EventStore store(path);
            QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
            QCOMPARE(store.eventById(QStringLiteral("old-1"))->eventType, QStringLiteral("post.create"));
            EventQuery byType;
            byType.types = {QStringLiteral("post.create")};
            byType.forUserId = QStringLiteral("1111111111111111111");
            QCOMPARE(store.events(byType).size(), 1); // without their indexes, still found
            QVERIFY(appendAndWait(store, xaa(QStringLiteral("new-1"))).stored);
            QCOMPARE(store.count(), qint64(2));
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inspect"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
            QCOMPARE(q.value(0).toInt(), EventStore::schemaVersion);
            QVERIFY(q.exec(QStringLiteral("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master"
                                          " WHERE type = 'index' AND tbl_name = 'events' ORDER BY name)")) &&
                    q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("events_event_id,events_received_at"));
        }
        db.close();
        db = {};
        QSqlDatabase::removeDatabase(QStringLiteral("inspect"));
    }

    void shouldIdentifyEventsFromTheirBodies()
    {
        // X Activity: the event_uuid, whatever its form.
        EventFacts facts = EventStore::describe(xaaBody(QStringLiteral("2080761390344937796")));
        QCOMPARE(facts.eventId, QStringLiteral("2080761390344937796"));
        QCOMPARE(facts.eventType, QStringLiteral("post.create"));
        QCOMPARE(facts.tag, QStringLiteral("posts"));

        // Account Activity: the array key, the user it was delivered for, the element ids.
        facts = EventStore::describe(kFavorite);
        QCOMPARE(facts.eventId,
                 QStringLiteral("aaa:favorite_events:2244994945:a7ba59eab0bfcba386f7acedac279542"));
        QCOMPARE(facts.eventType, QStringLiteral("favorite_events"));
        QCOMPARE(facts.forUserId, QStringLiteral("2244994945"));

        // No id in a follow: stable across re-serialisation, distinct per subscribed user.
        const EventFacts follow = EventStore::describe(kFollow);
        QVERIFY(follow.eventId.startsWith(QLatin1String("aaa:follow_events:2244994945:")));
        QCOMPARE(EventStore::describe(kFollowAgain).eventId, follow.eventId);
        QVERIFY(EventStore::describe(kFollowOther).eventId != follow.eventId);

        // Nothing to go by: the body's SHA-256.
        facts = EventStore::describe("not json");
        QCOMPARE(facts.eventId,
                 QStringLiteral("sha256:") +
                     QString::fromLatin1(
                         QCryptographicHash::hash("not json", QCryptographicHash::Sha256).toHex()));
        QVERIFY(facts.eventType.isEmpty());
    }

    void shouldKeepTheFilterAsCompactJson_data()
    {
        QTest::addColumn<QByteArray>("filter");
        QTest::newRow("user") << QByteArray(R"({"user_id":"1111111111111111111"})");
        QTest::newRow("keys in another order")
            << QByteArray(R"({ "keyword": "launch", "direction": "inbound", "user_id": "42" })");
        QTest::newRow("quotes, a tab, non-ASCII")
            << QByteArray("{\"keyword\":\"say \\\"caf\\u00e9\\\" \\\\ \\t ok \xf0\x9f\x9a\x80\"}");
        QTest::newRow("a number (QJsonDocument writes it)") << QByteArray(R"({"user_id":42,"keyword":"x"})");
        QTest::newRow("empty") << QByteArray("{}");
    }

    void shouldKeepTheFilterAsCompactJson()
    {
        // Written by hand for speed: the same text QJsonDocument writes.
        QFETCH(QByteArray, filter);
        const QByteArray body =
            R"({"data":{"event_uuid":"f-1","event_type":"post.create","filter":)" + filter + "}}";
        const QJsonObject parsed = QJsonDocument::fromJson(filter).object();
        QCOMPARE(EventStore::describe(body).filter,
                 QString::fromUtf8(QJsonDocument(parsed).toJson(QJsonDocument::Compact)));
    }

    void shouldKeepEveryTextColumnAsGiven()
    {
        // The row's text columns are encoded as UTF-8 back to back in one buffer: each comes back
        // whole, non-ASCII and empty ones too, and the headers after them.
        EventStore store(databasePath());
        EventRecord record;
        record.source = EventSource::Receiver;
        record.receivedAtMs = kNow;
        record.body = "{}";
        record.eventId = QStringLiteral("caf\u00e9-\U0001F680-1");
        record.eventType = QStringLiteral("post.create");
        record.forUserId = QString();
        record.filter = QStringLiteral("{\"keyword\":\"\u65e5\u672c\"}");
        record.tag = QStringLiteral("t\u00e4g \U0001F680");
        record.headers = {{"Content-Type", "application/json"},
                          {"User-Agent", "caf\xe9"}}; // Latin-1, as HTTP allows
        QVERIFY(appendAndWait(store, record).stored);
        const std::optional<StoredEvent> stored = store.eventById(record.eventId);
        QVERIFY(stored);
        QCOMPARE(stored->eventId, record.eventId);
        QCOMPARE(stored->eventType, record.eventType);
        QVERIFY(stored->forUserId.isEmpty());
        QCOMPARE(stored->filter, record.filter);
        QCOMPARE(stored->tag, record.tag);
        QCOMPARE(stored->headers.value(QStringLiteral("content-type")).toString(),
                 QStringLiteral("application/json"));
        QCOMPARE(stored->headers.value(QStringLiteral("user-agent")).toString(), QStringLiteral("caf\u00e9"));
    }

    void shouldMarkADuplicateOnTheFirstRowWithoutASecondBody()
    {
        EventStore store(databasePath());
        const EventAppendResult first = appendAndWait(store, xaa(QStringLiteral("5934540941047412905")));
        QVERIFY(first.stored);
        // The receiver brings what the stream already brought: another source, the same event.
        EventRecord again = xaa(QStringLiteral("5934540941047412905"), kNow + 5000);
        again.source = EventSource::Receiver;
        const EventAppendResult second = appendAndWait(store, again);
        QVERIFY2(second.stored, qPrintable(second.error));
        QVERIFY(second.duplicate);
        QCOMPARE(second.rowId, first.rowId);
        const EventAppendResult third = appendAndWait(store, again);
        QVERIFY(third.duplicate);

        QCOMPARE(store.count(), qint64(1));
        const StoredEvent e = *store.event(first.rowId);
        QCOMPARE(e.duplicates, 2);
        QCOMPARE(e.lastDuplicateAtMs, kNow + 5000);
        QCOMPARE(e.source, EventSource::Stream); // the first delivery's
        QCOMPARE(e.receivedAtMs, kNow);

        // AAA: a retry re-serialised is a duplicate; the copy for the other user is not.
        EventRecord follow;
        follow.body = kFollow;
        QVERIFY(!appendAndWait(store, follow).duplicate);
        follow.body = kFollowAgain;
        QVERIFY(appendAndWait(store, follow).duplicate);
        follow.body = kFollowOther;
        QVERIFY(!appendAndWait(store, follow).duplicate);
        QCOMPARE(store.count(), qint64(3));
    }

    void shouldAnswerEveryCallerOfAGroupCommit()
    {
        EventStore store(databasePath());
        constexpr int threads = 8;
        constexpr int perThread = 250;
        std::atomic_int stored = 0;
        std::atomic_int failed = 0;
        std::atomic_int duplicates = 0;
        std::vector<std::thread> producers;
        for (int t = 0; t < threads; ++t) {
            producers.emplace_back([&, t] {
                for (int i = 0; i < perThread; ++i) {
                    store.append(xaa(QStringLiteral("%1-%2").arg(t).arg(i)), [&](const EventAppendResult &r) {
                        (r.stored ? stored : failed)++;
                        duplicates += r.duplicate ? 1 : 0;
                    });
                }
            });
        }
        for (std::thread &producer : producers)
            producer.join();
        QTRY_COMPARE_WITH_TIMEOUT(stored.load() + failed.load(), threads * perThread, 60000);
        QCOMPARE(failed.load(), 0);
        QCOMPARE(duplicates.load(), 0);
        QCOMPARE(store.count(), qint64(threads * perThread));
    }

    void shouldAnswerTheQueriesOfThePaneAndTheCli()
    {
        EventStore store(databasePath());
        const QString alice = QStringLiteral("1111111111111111111");
        const QString bob = QStringLiteral("2222222222222222222");
        std::atomic_int answered = 0;
        const auto count = [&](const EventAppendResult &) { ++answered; };
        // 3 likes of alice's in the last 3 minutes, 2 posts of bob's 10 and 70 minutes ago.
        store.append(xaa(QStringLiteral("1"), kNow - 70 * 60000, QStringLiteral("post.create"), bob), count);
        store.append(xaa(QStringLiteral("2"), kNow - 10 * 60000 + 1, QStringLiteral("post.create"), bob,
                         QStringLiteral("Needle in a post")),
                     count);
        for (int i = 0; i < 3; ++i)
            store.append(xaa(QStringLiteral("like-%1").arg(i), kNow - (i + 1) * 60000 + 1,
                             QStringLiteral("like.create"), alice),
                         count);
        QTRY_COMPARE(answered.load(), 5);

        const QList<StoredEvent> newest = store.newest(2);
        QCOMPARE(newest.size(), 2);
        QCOMPARE(newest.at(0).eventId, QStringLiteral("like-2"));
        QCOMPARE(newest.at(1).eventId, QStringLiteral("like-1"));

        EventQuery byType;
        byType.types = {QStringLiteral("post.create")};
        QCOMPARE(store.events(byType).size(), 2);
        EventQuery byAccount;
        byAccount.forUserId = alice;
        QCOMPARE(store.events(byAccount).size(), 3);
        EventQuery byText;
        byText.text = QStringLiteral("needle");
        byText.withBodies = false;
        const QList<StoredEvent> found = store.events(byText);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.at(0).eventId, QStringLiteral("2"));
        QVERIFY(found.at(0).body.isEmpty());
        QVERIFY(found.at(0).bodySize > 0);
        EventQuery since;
        since.sinceMs = kNow - 60 * 60000;
        QCOMPARE(store.events(since).size(), 4);

        const QList<std::pair<QString, qint64>> perType = store.countPerType();
        QCOMPARE(perType.size(), 2);
        QCOMPARE(perType.at(0), std::make_pair(QStringLiteral("like.create"), qint64(3)));
        QCOMPARE(perType.at(1), std::make_pair(QStringLiteral("post.create"), qint64(2)));
        QCOMPARE(store.countPerType(kNow - 60 * 60000).at(1).second, qint64(1));

        const QList<qint64> minutes = store.perMinute(kNow);
        QCOMPARE(minutes.size(), 60);
        QCOMPARE(minutes.at(59), qint64(1)); // kNow - 1 min + 1 ms
        QCOMPARE(minutes.at(58), qint64(1));
        QCOMPARE(minutes.at(57), qint64(1));
        QCOMPARE(minutes.at(50), qint64(1)); // 10 minutes ago
        qint64 total = 0;
        for (qint64 n : minutes)
            total += n;
        QCOMPARE(total, qint64(4)); // the post 70 minutes ago is out of the hour
    }

    void shouldKeepTheForwardOutcome()
    {
        EventStore store(databasePath());
        const EventAppendResult result = appendAndWait(store, xaa(QStringLiteral("42")));
        QSignalSpy recorded(&store, &EventStore::forwardRecorded);
        ForwardOutcome outcome;
        outcome.httpStatus = 204;
        outcome.durationMs = 17;
        outcome.atMs = kNow + 100;
        store.setForwardOutcome(result.rowId, outcome);
        QVERIFY(recorded.wait(10000));
        QCOMPARE(recorded.at(0).at(0).toLongLong(), result.rowId);
        QVERIFY(recorded.at(0).at(1).toBool());
        const StoredEvent e = *store.event(result.rowId);
        QVERIFY(e.forward);
        QCOMPARE(e.forward->httpStatus, 204);
        QCOMPARE(e.forward->durationMs, qint64(17));
        QCOMPARE(e.forward->atMs, kNow + 100);
        QVERIFY(e.forward->error.isEmpty());

        // A row that is not there is not recorded.
        store.setForwardOutcome(result.rowId + 1000, outcome);
        QVERIFY(recorded.wait(10000));
        QVERIFY(!recorded.at(1).at(1).toBool());
    }

    void shouldRefuseABodyOverTheLimit()
    {
        EventStore store(databasePath());
        limitBodiesTo1024(store);
        EventRecord big = xaa(QStringLiteral("big"));
        big.body += QByteArray(2048, ' ');
        const EventAppendResult result = appendAndWait(store, big);
        QVERIFY(!result.stored);
        QVERIFY(result.error.contains(QLatin1String("1024")));
        QVERIFY(appendAndWait(store, xaa(QStringLiteral("small"))).stored);
        QCOMPARE(store.count(), qint64(1));
    }

    void shouldAnswerEachOfSeveralAppendsHandedOverTogether()
    {
        // The receiver hands over one pass of deliveries at once: each is answered for itself, a body
        // over the limit at once, a repeated id as a duplicate of the first.
        EventStore store(databasePath());
        limitBodiesTo1024(store);
        EventRecord big = xaa(QStringLiteral("together-big"));
        big.body += QByteArray(2048, ' ');
        std::mutex mutex;
        QHash<QString, EventAppendResult> results;
        QList<int> order;
        std::vector<EventStore::PendingAppend> appends;
        EventRecord second = xaa(QStringLiteral("together-2"));
        second.tag = QStringLiteral("t\u00e4g-2");
        second.headers = {{"X-Second", "2"}};
        const QList<EventRecord> records {xaa(QStringLiteral("together-1")), big, second,
                                          xaa(QStringLiteral("together-1"))};
        for (int i = 0; i < records.size(); ++i) {
            appends.push_back({records.at(i), [&, i](const EventAppendResult &result) {
                                   std::lock_guard lock(mutex);
                                   results.insert(QString::number(i), result);
                                   order << i;
                               }});
        }
        store.append(std::move(appends));
        QTRY_COMPARE(
            [&] {
                std::lock_guard lock(mutex);
                return results.size();
            }(),
            4);
        std::lock_guard lock(mutex);
        QCOMPARE(order.first(), 1); // refused before anything was queued
        QVERIFY(results.value(QStringLiteral("0")).stored);
        QVERIFY(!results.value(QStringLiteral("0")).duplicate);
        QVERIFY(!results.value(QStringLiteral("1")).stored);
        QVERIFY(results.value(QStringLiteral("1")).error.contains(QLatin1String("1024")));
        QVERIFY(results.value(QStringLiteral("2")).stored);
        QVERIFY(results.value(QStringLiteral("3")).duplicate);
        QCOMPARE(results.value(QStringLiteral("3")).rowId, results.value(QStringLiteral("0")).rowId);
        QCOMPARE(store.count(), qint64(2));
        // The rows of one hand-over share one block of text columns: each reads back its own.
        const std::optional<StoredEvent> first = store.eventById(QStringLiteral("together-1"));
        const std::optional<StoredEvent> other = store.eventById(QStringLiteral("together-2"));
        QVERIFY(first && other);
        QCOMPARE(first->eventType, QStringLiteral("post.create"));
        QCOMPARE(other->eventType, QStringLiteral("post.create"));
        QCOMPARE(other->tag, second.tag);
        QCOMPARE(first->forUserId, QStringLiteral("1111111111111111111"));
        QVERIFY(!first->headers.contains(QStringLiteral("x-second")));
        QCOMPARE(other->headers.value(QStringLiteral("x-second")).toString(), QStringLiteral("2"));
    }

    void shouldPruneByAgeAndSizeInTheBackground()
    {
        EventStore store(databasePath());
        std::atomic_int answered = 0;
        const auto count = [&](const EventAppendResult &) { ++answered; };
        // 10 events 40 days old, then 20 recent ones of about 10 kB each.
        for (int i = 0; i < 10; ++i)
            store.append(xaa(QStringLiteral("old-%1").arg(i), kNow - 40LL * 24 * 3600 * 1000 + i), count);
        for (int i = 0; i < 20; ++i) {
            EventRecord r = xaa(QStringLiteral("new-%1").arg(i), kNow - 20000 + i);
            r.body = xaaBody(QStringLiteral("new-%1").arg(i), QStringLiteral("post.create"),
                             QStringLiteral("1111111111111111111"), QString(10000, QLatin1Char('x')));
            store.append(r, count);
        }
        QTRY_COMPARE(answered.load(), 30);

        EventRetention retention;
        retention.maxAgeDays = 30;
        retention.maxTotalBytes = 10 * 10100; // room for about ten of the big ones
        store.setRetention(retention);
        QSignalSpy pruned(&store, &EventStore::pruned);
        store.pruneInBackground(kNow);
        QVERIFY(store.isPruning());
        QVERIFY(pruned.wait(30000));
        QVERIFY(!store.isPruning());
        const qint64 removed = pruned.at(0).at(0).toLongLong();

        EventQuery all;
        all.limit = 0;
        const QList<StoredEvent> left = store.events(all);
        QCOMPARE(removed, qint64(30 - left.size()));
        qint64 bytes = 0;
        for (const StoredEvent &e : left) {
            QVERIFY2(e.eventId.startsWith(QLatin1String("new-")), qPrintable(e.eventId));
            bytes += e.bodySize;
        }
        QVERIFY(bytes <= retention.maxTotalBytes);
        QVERIFY(left.size() >= 8);
        // The newest are kept: the oldest went first.
        QCOMPARE(left.first().eventId, QStringLiteral("new-19"));
        QCOMPARE(left.last().eventId, QStringLiteral("new-%1").arg(20 - left.size()));
    }

    // Either durability survives a kill -9 (what #16 asks); power-loss also survives a power cut,
    // which no test can cause.
    void shouldKeepEveryDurableEventWhenKilledMidBurst_data()
    {
        QTest::addColumn<EventDurability>("durability");
        QTest::newRow("program-crash") << EventDurability::ProgramCrash;
        QTest::newRow("power-loss") << EventDurability::PowerLoss;
    }

    void shouldKeepEveryDurableEventWhenKilledMidBurst()
    {
        QFETCH(EventDurability, durability);
        const QString path =
            m_dir.filePath(QStringLiteral("killed-%1.sqlite").arg(EventStore::durabilityKey(durability)));
        {
            EventStore schema(path);
            QVERIFY(schema.isOpen());
        }
        std::unique_ptr<QProcess> child =
            startAppender({path, QStringLiteral("burst"), QStringLiteral("100000"), QStringLiteral("k"),
                           EventStore::durabilityKey(durability)});
        QVERIFY(child->waitForStarted(10000));
        // Kill it once a few hundred appends have reported durable, while it is still appending.
        QByteArray seen;
        QTRY_VERIFY_WITH_TIMEOUT((seen += child->readAllStandardOutput()).count('\n') >= 300, 60000);
        QCOMPARE(child->state(), QProcess::Running);
        QSignalSpy finished(child.get(), &QProcess::finished);
        child->kill(); // SIGKILL: no destructor, no flush, no clean close
        QVERIFY(finished.count() || finished.wait(10000));
        QCOMPARE(child->exitStatus(), QProcess::CrashExit);
        seen += child->readAllStandardOutput();

        QSet<QString> durable;
        const QList<QByteArray> lines = seen.split('\n');
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) { // the last piece may be a cut line
            QVERIFY2(lines.at(i).startsWith("durable "), lines.at(i).constData());
            durable.insert(QString::fromUtf8(lines.at(i).mid(8)));
        }
        QVERIFY(durable.size() >= 300);

        EventStore after(path);
        QVERIFY(after.isOpen());
        EventQuery all;
        all.limit = 0;
        all.withBodies = false;
        QSet<QString> stored;
        const QList<StoredEvent> events = after.events(all);
        for (const StoredEvent &e : events)
            stored.insert(e.eventId);
        QVERIFY(stored.size() < 100000); // it was killed mid-burst
        for (const QString &id : std::as_const(durable))
            QVERIFY2(stored.contains(id), qPrintable(id));
        qInfo("killed after %lld appends reported durable; %lld rows found after restart",
              qint64(durable.size()), qint64(stored.size()));
    }

    void shouldReadTheDurabilityFromItsKeyAndTheSettings()
    {
        QCOMPARE(EventStore::durabilityFromKey(QStringLiteral("program-crash")),
                 EventDurability::ProgramCrash);
        QCOMPARE(EventStore::durabilityFromKey(QStringLiteral("power-loss")), EventDurability::PowerLoss);
        QVERIFY(!EventStore::durabilityFromKey(QStringLiteral("fsync")));
        QSettings settings(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        QCOMPARE(EventStore::durabilityFromSettings(settings), EventDurability::ProgramCrash); // unset
        settings.setValue(QStringLiteral("events/durability"), QStringLiteral("power-loss"));
        QCOMPARE(EventStore::durabilityFromSettings(settings), EventDurability::PowerLoss);
        settings.setValue(QStringLiteral("events/durability"), QStringLiteral("sometimes"));
        QCOMPARE(EventStore::durabilityFromSettings(settings), EventDurability::ProgramCrash);
        // Each one stores, dedupes and records a forward outcome the same way.
        for (const EventDurability durability : {EventDurability::ProgramCrash, EventDurability::PowerLoss}) {
            EventStore store(
                m_dir.filePath(EventStore::durabilityKey(durability) + QStringLiteral(".sqlite")),
                durability);
            QCOMPARE(store.durability(), durability);
            const EventAppendResult first = appendAndWait(store, xaa(QStringLiteral("1")));
            QVERIFY2(first.stored, qPrintable(first.error));
            QVERIFY(appendAndWait(store, xaa(QStringLiteral("1"))).duplicate);
            QSignalSpy recorded(&store, &EventStore::forwardRecorded);
            store.setForwardOutcome(first.rowId, {200, 12, kNow, {}});
            QVERIFY(recorded.wait(10000));
            QCOMPARE(recorded.at(0).at(1).toBool(), true);
            QCOMPARE(store.event(first.rowId)->forward->httpStatus, 200);
            QCOMPARE(store.event(first.rowId)->duplicates, 1);
        }
    }

    void shouldAcceptTwoProcessesAppendingAtOnce()
    {
        const QString path = databasePath();
        constexpr int perWriter = 500;
        EventStore store(path);
        QVERIFY(store.isOpen());
        std::unique_ptr<QProcess> a =
            startAppender({path, QStringLiteral("write"), QString::number(perWriter), QStringLiteral("a")});
        std::unique_ptr<QProcess> b =
            startAppender({path, QStringLiteral("write"), QString::number(perWriter), QStringLiteral("b")});
        QByteArray line;
        QVERIFY(waitForLine(a.get(), &line) && line == "ready");
        QVERIFY(waitForLine(b.get(), &line) && line == "ready");
        QSignalSpy aDone(a.get(), &QProcess::finished);
        QSignalSpy bDone(b.get(), &QProcess::finished);
        a->write("go\n");
        b->write("go\n");
        QVERIFY(aDone.count() || aDone.wait(90000));
        QVERIFY(bDone.count() || bDone.wait(90000));
        const QByteArray aErrors = a->readAllStandardError();
        const QByteArray bErrors = b->readAllStandardError();
        QVERIFY2(a->exitStatus() == QProcess::NormalExit && a->exitCode() == 0, aErrors.constData());
        QVERIFY2(b->exitStatus() == QProcess::NormalExit && b->exitCode() == 0, bErrors.constData());
        QVERIFY(!aErrors.contains("locked") && !bErrors.contains("locked"));

        // Each writer's own events, and the shared ones once, counted twice over the two.
        QCOMPARE(store.count(), qint64(3 * perWriter));
        EventQuery all;
        all.limit = 0;
        all.withBodies = false;
        int duplicates = 0;
        const QList<StoredEvent> events = store.events(all);
        for (const StoredEvent &e : events)
            duplicates += e.duplicates;
        QCOMPARE(duplicates, perWriter);
    }
};

QTEST_GUILESS_MAIN(TestEventStore)
#include "tst_eventstore.moc"
