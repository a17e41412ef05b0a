// The history does not grow without end: settled entries go by age and by count, in the
// background, in batches, and a pending entry is never removed (whether its change happened on X
// is still unknown).
#include "HistoryStore.h"

#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace activity;

namespace {

const QDateTime kNow(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);

HistoryAction action(const QString &webhookId)
{
    HistoryAction a;
    a.operation = Operation::DeleteWebhook;
    a.source = QStringLiteral("console");
    a.host = QStringLiteral("api.x.com");
    a.parameters = {{QStringLiteral("webhook_id"), webhookId}};
    return a;
}

// Records an action `daysAgo` days before kNow; settled unless `pending`.
qint64 record(HistoryStore &store, int daysAgo, bool pending = false)
{
    store.setClock([daysAgo] { return kNow.addDays(-daysAgo); });
    const qint64 id = store.begin(action(QString::number(1500000000000000000LL + daysAgo)));
    if (!pending)
        store.complete(id, HistoryOutcome::success(QStringLiteral("deleted")));
    store.setClock([] { return kNow; });
    return id;
}

QList<qint64> idsOf(const QList<HistoryEntry> &entries)
{
    QList<qint64> ids;
    for (const HistoryEntry &e : entries)
        ids.prepend(e.id); // oldest first
    return ids;
}

// A raw connection of the test's own, as another process would have.
struct OtherConnection
{
    explicit OtherConnection(const QString &path)
        : name(QStringLiteral("other-%1").arg(quintptr(this)))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.open();
    }
    ~OtherConnection()
    {
        QSqlDatabase::database(name, false).close();
        QSqlDatabase::removeDatabase(name);
    }
    bool exec(const QString &sql) { return QSqlQuery(QSqlDatabase::database(name, false)).exec(sql); }
    QString name;
};

} // namespace

class TestHistoryRetention : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString databasePath() const
    {
        return m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + QStringLiteral(".sqlite"));
    }

    static qint64 prune(HistoryStore &store, const HistoryRetention &retention)
    {
        store.setRetention(retention);
        QSignalSpy pruned(&store, &HistoryStore::pruned);
        store.pruneInBackground();
        if (!pruned.wait(20000))
            return -1;
        return pruned.at(0).at(0).toLongLong();
    }

private Q_SLOTS:
    void shouldKeepNinetyDaysAndFiftyThousandEntriesByDefault()
    {
        const HistoryRetention defaults;
        QCOMPARE(defaults.maxAgeDays, 90);
        QCOMPARE(defaults.maxEntries, 50000);
        QSettings settings(m_dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
        QCOMPARE(HistoryRetention::fromSettings(settings).maxAgeDays, 90);
        settings.setValue(QStringLiteral("history/maxAgeDays"), 30);
        settings.setValue(QStringLiteral("history/maxEntries"), 7);
        QCOMPARE(HistoryRetention::fromSettings(settings).maxAgeDays, 30);
        QCOMPARE(HistoryRetention::fromSettings(settings).maxEntries, 7);
        settings.setValue(QStringLiteral("history/maxAgeDays"), QStringLiteral("soon"));
        settings.setValue(QStringLiteral("history/maxEntries"), -3);
        QCOMPARE(HistoryRetention::fromSettings(settings).maxAgeDays, 90);
        QCOMPARE(HistoryRetention::fromSettings(settings).maxEntries, 50000);
    }

    void shouldPruneSettledEntriesOlderThanTheAgeLimit()
    {
        HistoryStore store(databasePath());
        QVERIFY(store.isOpen());
        const qint64 ancient = record(store, 400);
        const qint64 old = record(store, 91);
        const qint64 oldPending = record(store, 200, true);
        const qint64 recent = record(store, 89);
        const qint64 today = record(store, 0);

        QCOMPARE(prune(store, HistoryRetention {90, 0}), 2);
        QCOMPARE(idsOf(store.entries()), (QList<qint64> {oldPending, recent, today}));
        QVERIFY(!store.entry(ancient));
        QVERIFY(!store.entry(old));
        QCOMPARE(store.entry(oldPending)->state, HistoryState::Pending);
    }

    void shouldPruneTheOldestSettledEntriesBeyondTheCountLimit()
    {
        HistoryStore store(databasePath());
        const qint64 pendingFirst = record(store, 50, true);
        QList<qint64> settled;
        for (int daysAgo = 20; daysAgo > 10; --daysAgo)
            settled.append(record(store, daysAgo));
        const qint64 pendingLater = record(store, 5, true);

        // 12 entries, 4 kept: the two pending ones and the two newest settled ones.
        QCOMPARE(prune(store, HistoryRetention {0, 4}), 8);
        QCOMPARE(idsOf(store.entries()),
                 (QList<qint64> {pendingFirst, settled.at(8), settled.at(9), pendingLater}));

        // Only pending entries over the limit: nothing more can go, and the prune still ends.
        QCOMPARE(prune(store, HistoryRetention {0, 1}), 2);
        QCOMPARE(idsOf(store.entries()), (QList<qint64> {pendingFirst, pendingLater}));
        QCOMPARE(prune(store, HistoryRetention {0, 1}), 0);
        QCOMPARE(store.entries().size(), 2);
    }

    // Many rows: removed in several short transactions, not one long one.
    void shouldPruneALargeHistoryInBatches()
    {
        HistoryStore store(databasePath());
        const qint64 pending = record(store, 1000, true);
        {
            OtherConnection other(store.databasePath());
            QVERIFY(other.exec(QStringLiteral("BEGIN")));
            for (int i = 0; i < 1700; ++i) {
                QVERIFY(other.exec(QStringLiteral(
                    "INSERT INTO history (run_id, source, started_at, finished_at, api_generation, operation,"
                    " parameters, state) VALUES ('bulk', 'cli', '2026-05-01T00:00:00.000Z',"
                    " '2026-05-01T00:00:01.000Z', 'v2', 'webhooks.delete', '{}', 'succeeded')")));
            }
            QVERIFY(other.exec(QStringLiteral("COMMIT")));
        }
        QCOMPARE(prune(store, HistoryRetention {0, 201}), 1500);
        const QList<HistoryEntry> left = store.entries(HistoryQuery {0, {}});
        QCOMPARE(left.size(), 201);
        QCOMPARE(left.last().id, pending);
    }

    // The caller's thread only starts the prune: while another connection holds the write lock,
    // pruneInBackground() returns at once and the history stays readable; the prune finishes
    // when the lock is released. (Run on the caller's thread, it would have had to wait here.)
    void shouldPruneWithoutBlockingTheCaller()
    {
        HistoryStore store(databasePath());
        record(store, 300);
        record(store, 200);
        const qint64 kept = record(store, 1);
        OtherConnection other(store.databasePath());
        QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE")));

        store.setRetention(HistoryRetention {90, 0});
        QSignalSpy pruned(&store, &HistoryStore::pruned);
        store.pruneInBackground();
        QVERIFY(store.isPruning());
        QCOMPARE(pruned.size(), 0);
        QCOMPARE(store.entries().size(), 3); // readable meanwhile (WAL)
        store.pruneInBackground(); // one at a time
        QVERIFY(other.exec(QStringLiteral("ROLLBACK")));

        QVERIFY(pruned.wait(20000));
        QCOMPARE(pruned.size(), 1);
        QCOMPARE(pruned.at(0).at(0).toLongLong(), 2);
        QVERIFY(!store.isPruning());
        QCOMPARE(idsOf(store.entries()), QList<qint64> {kept});
        QVERIFY(store.lastError().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHistoryRetention)
#include "tst_historyretention.moc"
