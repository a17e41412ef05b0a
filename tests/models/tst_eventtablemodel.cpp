// The Events pane's model and filter (#16): batches appended in one insert, the cap dropping the
// oldest rows in one removal, duplicate and forward updates, counts per type, names, and the
// proxy's type, account and text filters while rows come and go (QAbstractItemModelTester on both).
#include "EventFilterProxy.h"
#include "EventTableModel.h"
#include "UserCache.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QtTest>

using namespace activity;
using Column = EventTableModel::Column;

namespace {
const qint64 kNoonMs = QDateTime(QDate(2026, 3, 10), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();

StoredEvent stored(qint64 rowId, const QString &type, const QString &user = {}, const QString &tag = {},
                   EventSource source = EventSource::Stream)
{
    StoredEvent e;
    e.rowId = rowId;
    e.eventId = QStringLiteral("-89179090398556%1").arg(rowId, 5, 10, QLatin1Char('0'));
    e.source = source;
    e.receivedAtMs = kNoonMs + rowId * 10;
    e.eventType = type;
    e.forUserId = user;
    e.tag = tag;
    e.signature = source == EventSource::Receiver ? SignatureVerdict::Valid : SignatureVerdict::NotApplicable;
    return e;
}

// Rows first..first+count-1: post.create, like.create, follow.follow in turn, for users 1-3.
QList<StoredEvent> batch(qint64 first, int count)
{
    static const QStringList types {QStringLiteral("post.create"), QStringLiteral("like.create"),
                                    QStringLiteral("follow.follow")};
    QList<StoredEvent> events;
    for (qint64 id = first; id < first + count; ++id)
        events.append(stored(id, types.at(int(id % 3)), QString::number(id % 3 + 1),
                             QStringLiteral("tag-%1").arg(id % 2)));
    return events;
}

QString text(const QAbstractItemModel &model, int row, Column column)
{
    return model.index(row, int(column)).data().toString();
}

QList<qint64> rowIds(const QAbstractItemModel &model)
{
    QList<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, 0).data(EventTableModel::RowIdRole).toLongLong());
    return ids;
}
} // namespace

class TestEventTableModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldAppendBatchesInOneInsertEachOldestFirst()
    {
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QList<StoredEvent> newestFirst = batch(1, 100);
        std::reverse(newestFirst.begin(), newestFirst.end()); // as the store answers
        QCOMPARE(model.appendEvents(newestFirst), 100);
        QCOMPARE(model.appendEvents(batch(101, 50)), 50);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 100);
        QCOMPARE(inserted.at(1).at(2).toInt(), 149);
        QCOMPARE(model.rowId(0), 1);
        QCOMPARE(model.rowId(149), 150);
        // Rows already listed (a reload, an overlapping query) are not listed twice.
        QCOMPARE(model.appendEvents(batch(140, 20)), 9);
        QCOMPARE(model.rowCount(), 159);
        QCOMPARE(model.rowOf(150), 149);
        QCOMPARE(model.rowOf(9999), -1);

        const int row = model.rowOf(4); // like.create for user 2, tag-0
        QCOMPARE(text(model, row, Column::Type), QStringLiteral("like.create"));
        QCOMPARE(text(model, row, Column::Account), QStringLiteral("2"));
        QCOMPARE(text(model, row, Column::Tag), QStringLiteral("tag-0"));
        QCOMPARE(text(model, row, Column::Source), QStringLiteral("Stream"));
        QCOMPARE(text(model, row, Column::Signature), QStringLiteral("n/a"));
        QCOMPARE(text(model, row, Column::Duplicates), QString());
        QCOMPARE(text(model, row, Column::Forward), QString());
        QCOMPARE(model.index(row, 0).data(EventTableModel::EventIdRole).toString(), model.eventId(row));
        QCOMPARE(model.index(row, int(Column::Time)).data(EventTableModel::SortRole).toLongLong(),
                 kNoonMs + 40);
        QCOMPARE(text(model, row, Column::Time),
                 QDateTime::fromMSecsSinceEpoch(kNoonMs + 40, Qt::UTC)
                     .toLocalTime()
                     .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
    }

    void shouldKeepCountsPerTypeAndDropTheOldestAtTheCap()
    {
        EventTableModel model;
        model.setMaxRows(1000);
        EventFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setTypes({QStringLiteral("like.create")});
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy proxyRemoved(&proxy, &QAbstractItemModel::rowsRemoved);
        model.appendEvents(batch(1, 900));
        QCOMPARE(model.countOfType(QStringLiteral("post.create")), 300);
        QCOMPARE(proxy.rowCount(), 300);
        model.appendEvents(batch(901, 300)); // 200 over the cap: rows 1-200 go, in one removal
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(removed.at(0).at(2).toInt(), 199);
        QCOMPARE(proxyRemoved.size(), 1);
        QCOMPARE(model.rowId(0), 201);
        QCOMPARE(model.lastRowId(), 1200);
        const auto counts = model.countPerType();
        QCOMPARE(counts.size(), 3);
        qint64 total = 0;
        for (const auto &[type, count] : counts)
            total += count;
        QCOMPARE(total, 1000);
        QCOMPARE(model.countOfType(QStringLiteral("like.create")), 333); // 201..1200 with id % 3 == 1
        QCOMPARE(proxy.rowCount(), 333);
        for (int row = 0; row < proxy.rowCount(); ++row)
            QCOMPARE(proxy.index(row, int(Column::Type)).data().toString(), QStringLiteral("like.create"));
        QCOMPARE(rowIds(proxy).first(), 202);

        // A batch larger than the cap keeps its newest rows.
        model.appendEvents(batch(2001, 1500));
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(model.rowId(0), 2501);
        // A smaller cap drops the oldest at once.
        model.setMaxRows(10);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.rowId(0), 3491);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(proxy.rowCount(), 0);
        QVERIFY(model.countPerType().isEmpty());
    }

    void shouldUpdateDuplicatesAndForwardResults()
    {
        EventTableModel model;
        EventFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendEvents(batch(1, 10));
        QSignalSpy changed(&proxy, &QAbstractItemModel::dataChanged);
        QVERIFY(model.updateDuplicate(5, 2));
        QCOMPARE(text(model, 4, Column::Duplicates), QStringLiteral("2"));
        QCOMPARE(model.index(4, int(Column::Duplicates)).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Delivered 2 more time(s); stored once."));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 4);

        ForwardOutcome ok;
        ok.httpStatus = 200;
        ok.durationMs = 12;
        QVERIFY(model.updateForward(5, ok));
        QCOMPARE(text(proxy, 4, Column::Forward), QStringLiteral("200 · 12 ms"));
        ForwardOutcome refused;
        refused.error = QStringLiteral("Connection refused");
        refused.durationMs = 3;
        QVERIFY(model.updateForward(6, refused));
        QCOMPARE(text(model, 5, Column::Forward), QStringLiteral("Error: Connection refused"));
        QCOMPARE(model.forward(5)->error, QStringLiteral("Connection refused"));
        QVERIFY(model.updateForward(6, std::nullopt));
        QCOMPARE(text(model, 5, Column::Forward), QString());
        QVERIFY(!model.updateDuplicate(999, 1));
        QVERIFY(!model.updateForward(999, ok));

        // The store's forward outcome and duplicates come with rows as they are loaded.
        StoredEvent loaded = stored(11, QStringLiteral("post.create"), {}, {}, EventSource::Receiver);
        loaded.duplicates = 1;
        ForwardOutcome gateway;
        gateway.httpStatus = 502;
        gateway.durationMs = 40;
        loaded.forward = gateway;
        model.appendEvents({loaded});
        QCOMPARE(text(model, 10, Column::Forward), QStringLiteral("502 · 40 ms"));
        QCOMPARE(text(model, 10, Column::Duplicates), QStringLiteral("1"));
        QCOMPARE(text(model, 10, Column::Signature), QStringLiteral("Valid"));
        QCOMPARE(text(model, 10, Column::Source), QStringLiteral("Receiver"));
        QCOMPARE(text(model, 10, Column::Account), QString());
    }

    void shouldShowAccountsByNameWhenKnown()
    {
        UserCache cache;
        cache.insert(UserInfo {QStringLiteral("1"), QStringLiteral("alice"), QStringLiteral("Alice")});
        EventTableModel model;
        model.setUserCache(&cache);
        EventFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy accounts(&model, &EventTableModel::accountsChanged);
        model.appendEvents(batch(1, 6)); // users 2, 3, 1, 2, 3, 1
        QCOMPARE(accounts.size(), 1);
        QCOMPARE(text(model, 2, Column::Account), QStringLiteral("@alice"));
        QCOMPARE(model.index(2, int(Column::Account)).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("User id 1"));
        QCOMPARE(text(model, 0, Column::Account), QStringLiteral("2"));
        QCOMPARE(model.accountIdsWithoutNames(), (QStringList {QStringLiteral("2"), QStringLiteral("3")}));

        proxy.setFilterText(QStringLiteral("@BO"));
        QCOMPARE(proxy.rowCount(), 0);
        model.applyUsers({UserInfo {QStringLiteral("2"), QStringLiteral("bob"), QStringLiteral("Bob")}});
        QCOMPARE(text(model, 0, Column::Account), QStringLiteral("@bob"));
        QCOMPARE(proxy.rowCount(), 2); // the name now matches
        QCOMPARE(model.accountIdsWithoutNames(), QStringList {QStringLiteral("3")});
        const auto list = model.accounts();
        QCOMPARE(list.size(), 3);
        QCOMPARE(list.at(0), std::make_pair(QStringLiteral("2"), QStringLiteral("@bob")));
    }

    void shouldFilterByTypeAccountAndText()
    {
        EventTableModel model;
        EventFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendEvents(batch(1, 300));
        QCOMPARE(proxy.rowCount(), 300);
        QVERIFY(!proxy.isFiltering());

        proxy.setTypes({QStringLiteral("post.create"), QStringLiteral("follow.follow")});
        QCOMPARE(proxy.rowCount(), 200);
        proxy.setAccount(QStringLiteral("1")); // id % 3 == 0: the post.create rows
        QCOMPARE(proxy.rowCount(), 100);
        QCOMPARE(proxy.index(0, int(Column::Type)).data().toString(), QStringLiteral("post.create"));
        proxy.setTypes({});
        QCOMPARE(proxy.rowCount(), 100);
        proxy.setAccount({});
        QCOMPARE(proxy.rowCount(), 300);

        // Text: any shown field, case-insensitive; narrowing and widening again.
        proxy.setFilterText(QStringLiteral("LIKE"));
        QCOMPARE(proxy.rowCount(), 100);
        proxy.setFilterText(QStringLiteral("like.create"));
        QCOMPARE(proxy.rowCount(), 100);
        proxy.setFilterText(QStringLiteral("tag-1"));
        QCOMPARE(proxy.rowCount(), 150);
        proxy.setFilterText(QStringLiteral("stream"));
        QCOMPARE(proxy.rowCount(), 300);
        proxy.setFilterText(QStringLiteral("00042")); // an event id
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(EventTableModel::RowIdRole).toLongLong(), 42);
        proxy.setFilterText(QString());
        QCOMPARE(proxy.rowCount(), 300);

        // Rows arriving and leaving while filtered: mapped without a reset.
        proxy.setTypes({QStringLiteral("follow.follow")});
        proxy.setFilterText(QStringLiteral("tag-0"));
        QCOMPARE(proxy.rowCount(), 50);
        QSignalSpy resets(&proxy, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&proxy, &QAbstractItemModel::rowsInserted);
        model.appendEvents(batch(301, 60));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(proxy.rowCount(), 60);
        model.setMaxRows(200); // drops 160 rows at the top
        QCOMPARE(resets.size(), 0);
        const QList<qint64> kept = rowIds(model);
        QCOMPARE(kept.first(), 161);
        QCOMPARE(proxy.rowCount(),
                 int(std::count_if(kept.cbegin(), kept.cend(), [](qint64 id) { return id % 6 == 2; })));
        for (int row = 0; row < proxy.rowCount(); ++row) {
            const QModelIndex source = proxy.mapToSource(proxy.index(row, 0));
            QCOMPARE(proxy.mapFromSource(source).row(), row);
            QCOMPARE(model.eventType(source.row()), QStringLiteral("follow.follow"));
        }
        // A type or account that has not been seen yet filters everything until it arrives.
        proxy.setTypes({QStringLiteral("oauth.revoke")});
        proxy.setFilterText({});
        proxy.setAccount(QStringLiteral("99"));
        QCOMPARE(proxy.rowCount(), 0);
        model.appendEvents({stored(1000, QStringLiteral("oauth.revoke"), QStringLiteral("99"))});
        QCOMPARE(proxy.rowCount(), 1);
    }

    void shouldFollowTheStoreByRowId()
    {
        // What the pane does: EventQuery::minRowId = the last row listed + 1, without bodies.
        QTemporaryDir dir;
        EventStore store(dir.filePath(QStringLiteral("events.sqlite")));
        QVERIFY(store.isOpen());
        QSignalSpy appended(&store, &EventStore::appended);
        for (int i = 0; i < 5; ++i) {
            EventRecord record;
            record.body = QStringLiteral(R"({"data":{"event_uuid":"%1","filter":{"user_id":"7"},)"
                                         R"("event_type":"post.create","tag":"posts","payload":{}}})")
                              .arg(1000 + i)
                              .toUtf8();
            store.append(record);
        }
        QTRY_COMPARE(appended.size(), 5);
        EventTableModel model;
        EventQuery query;
        query.limit = 0;
        query.withBodies = false;
        query.maxRowId = 3;
        QCOMPARE(model.appendEvents(store.events(query)), 3);
        query.maxRowId = 0;
        query.minRowId = model.lastRowId() + 1;
        const QList<StoredEvent> since = store.events(query);
        QCOMPARE(since.size(), 2);
        QVERIFY(since.first().body.isEmpty());
        QCOMPARE(model.appendEvents(since), 2);
        QCOMPARE(model.eventId(4), QStringLiteral("1004"));
        QCOMPARE(model.accountId(4), QStringLiteral("7"));
        QCOMPARE(model.tag(4), QStringLiteral("posts"));
    }

    void shouldFilterOneHundredThousandRows()
    {
        EventTableModel model;
        EventFilterProxy proxy;
        proxy.setSourceModel(&model);
        for (qint64 first = 1; first <= 100000; first += 10000)
            model.appendEvents(batch(first, 10000));
        QCOMPARE(model.rowCount(), 100000);
        proxy.setFilterText(QStringLiteral("tag-1"));
        QCOMPARE(proxy.rowCount(), 50000);
        proxy.setFilterText(QStringLiteral("99999"));
        QCOMPARE(proxy.rowCount(), 1);
    }
};

QTEST_MAIN(TestEventTableModel)
#include "tst_eventtablemodel.moc"
