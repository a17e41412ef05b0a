#include "Csv.h"
#include "SubscriptionFilterProxy.h"
#include "SubscriptionTableModel.h"
#include "UserCache.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QtTest>

#include <algorithm>

using namespace activity;
using Column = SubscriptionTableModel::Column;

namespace {
QStringList ids(int first, int count)
{
    QStringList result;
    for (int i = first; i < first + count; ++i)
        result.append(QString::number(1000 + i));
    return result;
}

UserInfo user(int i, const QString &username, const QString &name)
{
    return UserInfo {QString::number(1000 + i), username, name};
}

// What the proxy should show: the ids of matching rows, in the order the proxy promises.
QStringList expectedIds(const SubscriptionTableModel &model, const QString &filter, int sortColumn,
                        Qt::SortOrder order)
{
    const QString needle = filter.trimmed().toCaseFolded();
    QList<int> rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.searchText(row).contains(needle))
            rows.append(row);
    }
    auto key = [&](int row) -> QString {
        const SubscriptionRow &r = model.row(row);
        switch (Column(sortColumn)) {
        case Column::UserId:
            return QString(20 - r.userId.size(), QLatin1Char('0')) + r.userId;
        case Column::Username:
            return r.username.toLower();
        case Column::Name:
            return r.name.toLower();
        case Column::Count:
            break;
        }
        return QString();
    };
    if (sortColumn >= 0) {
        std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) {
            return order == Qt::AscendingOrder ? key(a) < key(b) : key(b) < key(a);
        });
    }
    QStringList result;
    for (int row : rows)
        result.append(model.row(row).userId);
    return result;
}

QStringList proxyIds(const SubscriptionFilterProxy &proxy)
{
    QStringList result;
    for (int row = 0; row < proxy.rowCount(); ++row)
        result.append(proxy.index(row, int(Column::UserId)).data().toString());
    return result;
}
} // namespace

class TestSubscriptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldLoadIdsOnceAndSkipRepeats()
    {
        SubscriptionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setUserIds(
            {QStringLiteral("3"), QStringLiteral("1"), QString(), QStringLiteral("3"), QStringLiteral("2")});
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.userIds(),
                 (QStringList {QStringLiteral("3"), QStringLiteral("1"), QStringLiteral("2")}));
        QCOMPARE(model.rowOf(QStringLiteral("2")), 2);
        QCOMPARE(model.rowOf(QStringLiteral("9")), -1);
        QCOMPARE(model.index(0, int(Column::Username)).data().toString(), QString());
        QCOMPARE(model.index(0, int(Column::UserId)).data(SubscriptionTableModel::SortRole).toULongLong(),
                 3ULL);
    }

    void shouldFillNamesInPlaceWithOneSignalPerContiguousRange()
    {
        SubscriptionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setUserIds(ids(0, 10));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // Rows 2,3,4 and 7, out of order, plus an id that is not subscribed.
        model.applyUsers({user(4, QStringLiteral("d"), QStringLiteral("D")),
                          user(2, QStringLiteral("b"), QStringLiteral("B")),
                          user(7, QStringLiteral("g"), QStringLiteral("G")),
                          user(3, QStringLiteral("c"), QStringLiteral("C Name")),
                          UserInfo {QStringLiteral("99999"), QStringLiteral("x"), QStringLiteral("X")}});
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 4);
        QCOMPARE(changed.at(1).at(0).toModelIndex().row(), 7);
        QCOMPARE(model.index(3, int(Column::Username)).data().toString(), QStringLiteral("@c"));
        QCOMPARE(model.index(3, int(Column::Name)).data().toString(), QStringLiteral("C Name"));
        QCOMPARE(model.index(3, 0).data(SubscriptionTableModel::SearchTextRole).toString(),
                 QStringLiteral("1003 @c c name"));

        // The same answer again changes nothing.
        changed.clear();
        model.applyUsers({user(3, QStringLiteral("c"), QStringLiteral("C Name"))});
        QCOMPARE(changed.size(), 0);

        QCOMPARE(model.userIdsWithoutNames(3), ids(0, 2) << QString::number(1005));
        model.markNotFound({QString::number(1000)});
        QCOMPARE(model.nameState(0), SubscriptionTableModel::NameState::NotFound);
        QVERIFY(!model.index(0, int(Column::Name)).data(Qt::ToolTipRole).toString().isEmpty());
        QCOMPARE(model.userIdsWithoutNames(100),
                 (QStringList {QStringLiteral("1001"), QStringLiteral("1005"), QStringLiteral("1006"),
                               QStringLiteral("1008"), QStringLiteral("1009")}));
    }

    void shouldHandOutLookupBatchesOfAtMostTheAskedSize()
    {
        SubscriptionTableModel model;
        model.setUserIds(ids(0, 250));
        QStringList batch = model.userIdsWithoutNames(100);
        QCOMPARE(batch, ids(0, 100));
        QList<UserInfo> users;
        for (int i = 0; i < 100; ++i)
            users.append(user(i, QStringLiteral("u%1").arg(i), QStringLiteral("U")));
        model.applyUsers(users);
        QCOMPARE(model.userIdsWithoutNames(100), ids(100, 100));
        model.markNotFound(ids(100, 100));
        QCOMPARE(model.userIdsWithoutNames(100), ids(200, 50));
        model.removeUserIds(ids(200, 50));
        QVERIFY(model.userIdsWithoutNames(100).isEmpty());
    }

    void shouldRemoveFewRangesWithRowSignalsAndManyWithOneReset()
    {
        SubscriptionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setUserIds(ids(0, 1000));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

        model.removeUserIds(ids(10, 5) + ids(500, 1) + QStringList {QStringLiteral("nope")});
        QCOMPARE(removed.size(), 2);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(model.rowCount(), 994);
        QCOMPARE(model.rowOf(QString::number(1015)), 10);
        QCOMPARE(model.rowOf(QString::number(1501)), 495);

        // Every third id: hundreds of ranges.
        QStringList scattered;
        for (int i = 0; i < 1000; i += 3)
            scattered.append(QString::number(1000 + i));
        model.removeUserIds(scattered);
        QCOMPARE(resets.size(), 1);
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString id = model.row(row).userId;
            QVERIFY((id.toInt() - 1000) % 3 != 0);
            QCOMPARE(model.rowOf(id), row);
        }
        // 1012 was among the first removals already.
        QCOMPARE(model.rowCount(), 994 - int(scattered.size()) + 1);
    }

    void shouldAppendNewSubscriptionsWithNamesFromTheCache()
    {
        UserCache cache;
        cache.insert(user(1, QStringLiteral("one"), QStringLiteral("One")));
        cache.markNotFound({QString::number(1002)});
        QCOMPARE(cache.missing(ids(0, 4) + ids(0, 1)),
                 (QStringList {QStringLiteral("1000"), QStringLiteral("1003")}));

        SubscriptionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setUserIds(ids(0, 2), &cache);
        QCOMPARE(model.index(1, int(Column::Username)).data().toString(), QStringLiteral("@one"));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.addUserIds(ids(1, 3), &cache);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.nameState(2), SubscriptionTableModel::NameState::NotFound);
        QCOMPARE(model.userIdsWithoutNames(), (QStringList {QStringLiteral("1000"), QStringLiteral("1003")}));
        // A cache entry, once found, wins over an earlier "not found".
        cache.insert(user(2, QStringLiteral("two"), QStringLiteral("Two")));
        QVERIFY(!cache.isNotFound(QString::number(1002)));
    }

    void shouldExportRfc4180CsvWithAFormulaGuard()
    {
        SubscriptionTableModel model;
        model.setUserIds(
            {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4")});
        model.applyUsers(
            {UserInfo {QStringLiteral("1"), QStringLiteral("plain"), QStringLiteral("Jane Doe")},
             UserInfo {QStringLiteral("2"), QStringLiteral("comma"), QStringLiteral("Doe, \"JD\" Jane")},
             UserInfo {QStringLiteral("3"), QStringLiteral("evil"), QStringLiteral("=HYPERLINK(\"x\")")},
             UserInfo {QStringLiteral("4"), QStringLiteral("multi"), QStringLiteral("line\nbreak")}});
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(model.exportCsv(&buffer));
        const QByteArray expected = "user_id,username,name\r\n"
                                    "1,plain,Jane Doe\r\n"
                                    "2,comma,\"Doe, \"\"JD\"\" Jane\"\r\n"
                                    "3,evil,\"'=HYPERLINK(\"\"x\"\")\"\r\n"
                                    "4,multi,\"line\nbreak\"\r\n";
        QCOMPARE(buffer.data(), expected);

        QCOMPARE(csv::field(QStringLiteral("+1")), QStringLiteral("'+1"));
        QCOMPARE(csv::field(QStringLiteral("-2")), QStringLiteral("'-2"));
        QCOMPARE(csv::field(QStringLiteral("@x")), QStringLiteral("'@x"));
        QCOMPARE(csv::field(QStringLiteral("\tx")), QStringLiteral("'\tx"));
        QCOMPARE(csv::field(QStringLiteral("a=b")), QStringLiteral("a=b"));
        QCOMPARE(csv::field(QStringLiteral("Zoë")), QStringLiteral("Zoë"));

        QBuffer readOnly;
        QVERIFY(readOnly.open(QIODevice::ReadOnly));
        QVERIFY(!model.exportCsv(&readOnly));
    }

    void shouldFindAUserByUsernameInAnyCaseAfterARename()
    {
        UserCache cache;
        cache.insert(UserInfo {QStringLiteral("1"), QStringLiteral("Alice"), QStringLiteral("Alice A.")});
        cache.insert(UserInfo {QStringLiteral("2"), QStringLiteral("bob"), QStringLiteral("Bob")});
        QCOMPARE(cache.findByUsername(QStringLiteral("ALICE"))->id, QStringLiteral("1"));
        QCOMPARE(cache.findByUsername(QStringLiteral("bob"))->name, QStringLiteral("Bob"));
        QVERIFY(!cache.findByUsername(QStringLiteral("carol")));
        QVERIFY(!cache.findByUsername(QString()));
        // Renamed: the new name finds her, the old one nobody; a name taken over finds its new owner.
        cache.insert(UserInfo {QStringLiteral("1"), QStringLiteral("alice_new"), QStringLiteral("Alice A.")});
        QCOMPARE(cache.findByUsername(QStringLiteral("Alice_New"))->id, QStringLiteral("1"));
        QVERIFY(!cache.findByUsername(QStringLiteral("alice")));
        cache.insert(UserInfo {QStringLiteral("3"), QStringLiteral("Bob"), QStringLiteral("Another Bob")});
        cache.insert(UserInfo {QStringLiteral("2"), QStringLiteral("bobby"), QStringLiteral("Bob")});
        QCOMPARE(cache.findByUsername(QStringLiteral("bob"))->id, QStringLiteral("3"));
        QCOMPARE(cache.findByUsername(QStringLiteral("bobby"))->id, QStringLiteral("2"));
        cache.clear();
        QVERIFY(!cache.findByUsername(QStringLiteral("bobby")));
    }

    void shouldMatchIdUsernameOrNameIgnoringCase()
    {
        SubscriptionTableModel model;
        model.setUserIds(ids(0, 4));
        model.applyUsers({user(0, QStringLiteral("JaneDoe"), QStringLiteral("Jane Doe")),
                          user(1, QStringLiteral("bob"), QStringLiteral("Robert ÉCLAIR")),
                          user(2, QStringLiteral("carol"), QStringLiteral("Carol"))});
        SubscriptionFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        QCOMPARE(proxy.rowCount(), 4);

        proxy.setFilterText(QStringLiteral("JANE"));
        QCOMPARE(proxyIds(proxy), QStringList {QStringLiteral("1000")});
        proxy.setFilterText(QStringLiteral("éclair"));
        QCOMPARE(proxyIds(proxy), QStringList {QStringLiteral("1001")});
        proxy.setFilterText(QStringLiteral("1003")); // unresolved rows match by id
        QCOMPARE(proxyIds(proxy), QStringList {QStringLiteral("1003")});
        proxy.setFilterText(QStringLiteral("@car"));
        QCOMPARE(proxyIds(proxy), QStringList {QStringLiteral("1002")});
        proxy.setFilterText(QStringLiteral("  100  "));
        QCOMPARE(proxy.rowCount(), 4);
        proxy.setFilterText(QStringLiteral("nobody"));
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setFilterText(QString());
        QCOMPARE(proxy.rowCount(), 4);
        QCOMPARE(proxy.mapToSource(proxy.index(2, 1)), model.index(2, 1));
        QCOMPARE(proxy.index(1, int(Column::Username)).data().toString(), QStringLiteral("@bob"));
    }

    void shouldNarrowAndWidenLikeAFullRecheck_data()
    {
        QTest::addColumn<int>("sortColumn");
        QTest::addColumn<Qt::SortOrder>("order");
        QTest::newRow("unsorted") << -1 << Qt::AscendingOrder;
        QTest::newRow("by id, descending") << int(Column::UserId) << Qt::DescendingOrder;
        QTest::newRow("by username") << int(Column::Username) << Qt::AscendingOrder;
        QTest::newRow("by name, descending") << int(Column::Name) << Qt::DescendingOrder;
    }

    void shouldNarrowAndWidenLikeAFullRecheck()
    {
        QFETCH(int, sortColumn);
        QFETCH(Qt::SortOrder, order);
        SubscriptionTableModel model;
        model.setUserIds(ids(0, 300));
        QList<UserInfo> users;
        for (int i = 0; i < 300; i += 2)
            users.append(
                user(i, QStringLiteral("user%1").arg((i * 7) % 300), QStringLiteral("Name %1").arg(i % 13)));
        model.applyUsers(users);

        SubscriptionFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(sortColumn, order);
        QCOMPARE(proxyIds(proxy), expectedIds(model, {}, sortColumn, order));

        const QStringList typed = {QStringLiteral("u"),
                                   QStringLiteral("us"),
                                   QStringLiteral("user"),
                                   QStringLiteral("user1"),
                                   QStringLiteral("user12"),
                                   QStringLiteral("user1"),
                                   QStringLiteral("user"),
                                   QStringLiteral("1"),
                                   QStringLiteral("12"),
                                   QStringLiteral("NAME 1"),
                                   QString()};
        for (const QString &text : typed) {
            proxy.setFilterText(text);
            QCOMPARE(proxyIds(proxy), expectedIds(model, text, sortColumn, order));
        }
    }

    void shouldFollowSourceEditsWhileFilteredAndSorted_data()
    {
        QTest::addColumn<int>("sortColumn");
        QTest::addColumn<QString>("filter");
        QTest::newRow("unsorted, unfiltered") << -1 << QString();
        QTest::newRow("unsorted, filtered") << -1 << QStringLiteral("a");
        QTest::newRow("by name, unfiltered") << int(Column::Name) << QString();
        QTest::newRow("by name, filtered") << int(Column::Name) << QStringLiteral("a");
        QTest::newRow("by id, filtered") << int(Column::UserId) << QStringLiteral("10");
    }

    void shouldFollowSourceEditsWhileFilteredAndSorted()
    {
        QFETCH(int, sortColumn);
        QFETCH(QString, filter);
        SubscriptionTableModel model;
        model.setUserIds(ids(0, 200));
        SubscriptionFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(sortColumn, Qt::AscendingOrder);
        proxy.setFilterText(filter);
        auto check = [&] {
            return proxyIds(proxy) == expectedIds(model, filter, sortColumn, Qt::AscendingOrder);
        };

        // Names arrive in batches, out of order.
        const QString names[] = {QStringLiteral("Anna"), QStringLiteral("Bert"), QStringLiteral("Zed"),
                                 QStringLiteral("carla"), QStringLiteral("Olaf")};
        for (int batch = 0; batch < 4; ++batch) {
            QList<UserInfo> users;
            for (int i = batch; i < 200; i += 4)
                users.append(user(i, QStringLiteral("u%1").arg(i), names[(i * 3) % 5]));
            model.applyUsers(users);
            QTRY_VERIFY(check()); // re-sorting waits for the event loop
        }
        // A rename that moves a row and makes another one leave the filter.
        model.applyUsers({user(5, QStringLiteral("u5"), QStringLiteral("Aaron")),
                          user(6, QStringLiteral("u6"), QStringLiteral("Bo"))});
        QTRY_VERIFY(check()); // re-sorting waits for the event loop
        model.markNotFound({QString::number(1000)});
        QTRY_VERIFY(check()); // re-sorting waits for the event loop
        // Unsubscribes: a few ranges, then many.
        model.removeUserIds(ids(10, 5) + ids(100, 1));
        QTRY_VERIFY(check()); // re-sorting waits for the event loop
        QStringList scattered;
        for (int i = 20; i < 200; i += 3)
            scattered.append(QString::number(1000 + i));
        model.removeUserIds(scattered);
        QTRY_VERIFY(check()); // re-sorting waits for the event loop
        // New subscriptions, named from the start and not.
        UserCache cache;
        cache.insert(user(500, QStringLiteral("new"), QStringLiteral("Alma")));
        model.addUserIds(ids(500, 3), &cache);
        QTRY_VERIFY(check()); // re-sorting waits for the event loop
        // A persistent index follows its row through a re-sort.
        const int visible = proxy.rowCount();
        if (visible > 0) {
            QPersistentModelIndex kept = proxy.index(visible - 1, int(Column::UserId));
            const QString id = kept.data().toString();
            proxy.sort(int(Column::Username), Qt::DescendingOrder);
            QVERIFY(kept.isValid());
            QCOMPARE(kept.data().toString(), id);
        }
        model.setUserIds(ids(0, 3));
        QCOMPARE(proxyIds(proxy), expectedIds(model, filter, proxy.sortColumn(), proxy.sortOrder()));
    }
};

QTEST_GUILESS_MAIN(TestSubscriptions)
#include "tst_subscriptions.moc"
