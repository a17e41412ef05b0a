// The X Activity API subscriptions table: pages, upserts, removals, names, the filter proxy, CSV.
#include "ActivitySubscriptionTableModel.h"
#include "SubscriptionFilterProxy.h"
#include "UserCache.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QtTest>

using namespace activity;
using Column = ActivitySubscriptionTableModel::Column;

namespace {
const QDateTime kNoon(QDate(2026, 3, 10), QTime(12, 0), Qt::UTC);

ActivitySubscription sub(const QString &id, const QString &type, const QString &userId = {},
                         const QString &tag = {}, const QString &webhookId = {})
{
    ActivitySubscription s;
    s.id = id;
    s.eventType = type;
    s.filter.userId = userId;
    s.tag = tag;
    s.webhookId = webhookId;
    s.createdAt = kNoon;
    s.updatedAt = kNoon.addSecs(60);
    return s;
}

QList<ActivitySubscription> page(int first, int count)
{
    QList<ActivitySubscription> rows;
    for (int i = first; i < first + count; ++i)
        rows.append(sub(QString::number(1000 + i), QStringLiteral("post.create"), QString::number(i % 5 + 1),
                        QStringLiteral("tag-%1").arg(i), QStringLiteral("wh1")));
    return rows;
}

QString text(const QAbstractItemModel &model, int row, Column column)
{
    return model.index(row, int(column)).data().toString();
}
} // namespace

class TestActivitySubscriptionModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldAppendPagesInOneInsertEach()
    {
        ActivitySubscriptionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.appendPage(page(0, 1000));
        model.appendPage(page(1000, 500));
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 1000);
        QCOMPARE(inserted.at(1).at(2).toInt(), 1499);
        QCOMPARE(model.rowCount(), 1500);
        QCOMPARE(model.rowOf(QStringLiteral("1000")), 0);
        QCOMPARE(model.index(3, 0).data(Qt::UserRole).toString(), QStringLiteral("1003"));
        // A page that repeats a listed id updates it instead of listing it twice.
        ActivitySubscription again =
            sub(QStringLiteral("1001"), QStringLiteral("post.create"), {}, QStringLiteral("renamed"));
        model.appendPage({again});
        QCOMPARE(model.rowCount(), 1500);
        QCOMPARE(text(model, 1, Column::Tag), QStringLiteral("renamed"));
    }

    void shouldShowFiltersWebhooksAndTimesReadably()
    {
        ActivitySubscriptionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ActivitySubscription news = sub(QStringLiteral("1"), QStringLiteral("news.new"));
        news.filter.keyword = QStringLiteral("launch");
        ActivitySubscription dm = sub(QStringLiteral("2"), QStringLiteral("dm.received"),
                                      QStringLiteral("42"), {}, QStringLiteral("wh9"));
        dm.filter.direction = QStringLiteral("inbound");
        ActivitySubscription bare = sub(QStringLiteral("3"), QStringLiteral("profile.update.bio"));
        bare.createdAt = QDateTime();
        model.appendPage({news, dm, bare});
        QCOMPARE(text(model, 0, Column::Filter), QStringLiteral("keyword \"launch\""));
        QCOMPARE(text(model, 1, Column::Filter), QStringLiteral("42, inbound"));
        QCOMPARE(text(model, 2, Column::Filter), QString());
        QCOMPARE(text(model, 0, Column::Webhook), QStringLiteral("Stream only"));
        QCOMPARE(text(model, 1, Column::Webhook), QStringLiteral("wh9"));
        QCOMPARE(text(model, 0, Column::Created),
                 kNoon.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        QCOMPARE(text(model, 2, Column::Created), QString());
        QCOMPARE(model.headerData(int(Column::EventType), Qt::Horizontal).toString(),
                 QStringLiteral("Event type"));
        QCOMPARE(model.columnCount(), 6);
    }

    void shouldResolveFilterUsersThroughTheCache()
    {
        UserCache cache;
        cache.insert(UserInfo {QStringLiteral("1"), QStringLiteral("alice"), QStringLiteral("Alice")});
        ActivitySubscriptionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendPage({sub(QStringLiteral("a"), QStringLiteral("post.create"), QStringLiteral("1")),
                          sub(QStringLiteral("b"), QStringLiteral("post.create"), QStringLiteral("2")),
                          sub(QStringLiteral("c"), QStringLiteral("like.create"), QStringLiteral("2")),
                          sub(QStringLiteral("d"), QStringLiteral("news.new"))},
                         &cache);
        QCOMPARE(text(model, 0, Column::Filter), QStringLiteral("@alice")); // known at once
        QCOMPARE(text(model, 1, Column::Filter), QStringLiteral("2")); // the id until looked up
        QCOMPARE(model.userIdsWithoutNames(), QStringList {QStringLiteral("2")});

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.applyUsers({UserInfo {QStringLiteral("2"), QStringLiteral("bob"), QStringLiteral("Bob")},
                          UserInfo {QStringLiteral("99"), QStringLiteral("nobody"), QString()}});
        QCOMPARE(changed.size(), 1); // rows 1 and 2: one range
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 2);
        QCOMPARE(text(model, 1, Column::Filter), QStringLiteral("@bob"));
        QCOMPARE(text(model, 2, Column::Filter), QStringLiteral("@bob"));
        QVERIFY(model.userIdsWithoutNames().isEmpty());
        // The id is still searchable after the name shows.
        QVERIFY(model.searchText(1).contains(QLatin1String(" 2")));
        QVERIFY(model.searchText(1).contains(QLatin1String("@bob")));
        // An update keeps the name already found.
        ActivitySubscription updated = sub(QStringLiteral("b"), QStringLiteral("post.create"),
                                           QStringLiteral("2"), QStringLiteral("new tag"));
        model.upsert(updated);
        QCOMPARE(text(model, 1, Column::Filter), QStringLiteral("@bob"));
        QCOMPARE(text(model, 1, Column::Tag), QStringLiteral("new tag"));
    }

    void shouldUpsertAndRemoveById()
    {
        ActivitySubscriptionTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendPage(page(0, 200));
        model.upsert(sub(QStringLiteral("new"), QStringLiteral("follow.follow"), QStringLiteral("7")));
        QCOMPARE(model.rowCount(), 201);
        QCOMPARE(model.rowOf(QStringLiteral("new")), 200);
        // Contiguous and scattered removals (the latter as one reset), and unknown ids.
        model.remove({QStringLiteral("1000"), QStringLiteral("1001"), QStringLiteral("nope")});
        QCOMPARE(model.rowCount(), 199);
        QCOMPARE(model.rowOf(QStringLiteral("1002")), 0);
        QStringList every2nd;
        for (int i = 2; i < 200; i += 2)
            every2nd.append(QString::number(1000 + i));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.remove(every2nd);
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.rowOf(QStringLiteral("new")), 99);
        QCOMPARE(model.rowOf(QStringLiteral("1003")), 0);
        QCOMPARE(model.subscription(1).id, QStringLiteral("1005"));
        // Names still reach the right rows after the removals renumbered them.
        model.applyUsers({UserInfo {QStringLiteral("3"), QStringLiteral("carol"), QString()}});
        for (int row = 0; row < model.rowCount(); ++row) {
            const bool carol = model.subscription(row).filter.userId == QLatin1String("3");
            QCOMPARE(text(model, row, Column::Filter) == QLatin1String("@carol"), carol);
        }
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.rowOf(QStringLiteral("new")), -1);
    }

    void shouldFilterOnEventFilterTagAndWebhookAndSortAnyColumn()
    {
        UserCache cache;
        cache.insert(UserInfo {QStringLiteral("1"), QStringLiteral("Alice"), QString()});
        ActivitySubscriptionTableModel model;
        SubscriptionFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ActivitySubscription news =
            sub(QStringLiteral("10"), QStringLiteral("news.new"), {}, QStringLiteral("Zeta"));
        news.filter.keyword = QStringLiteral("Launch");
        news.createdAt = kNoon.addDays(-1);
        model.appendPage({sub(QStringLiteral("11"), QStringLiteral("post.create"), QStringLiteral("1"),
                              QStringLiteral("campaign"), QStringLiteral("wh-main")),
                          news,
                          sub(QStringLiteral("12"), QStringLiteral("like.create"), QStringLiteral("3"))},
                         &cache);
        auto shown = [&proxy] {
            QStringList ids;
            for (int row = 0; row < proxy.rowCount(); ++row)
                ids.append(proxy.index(row, 0).data(Qt::UserRole).toString());
            return ids;
        };
        proxy.setFilterText(QStringLiteral("POST"));
        QCOMPARE(shown(), QStringList {QStringLiteral("11")});
        proxy.setFilterText(QStringLiteral("@ali"));
        QCOMPARE(shown(), QStringList {QStringLiteral("11")});
        proxy.setFilterText(QStringLiteral("launch"));
        QCOMPARE(shown(), QStringList {QStringLiteral("10")});
        proxy.setFilterText(QStringLiteral("zeta"));
        QCOMPARE(shown(), QStringList {QStringLiteral("10")});
        proxy.setFilterText(QStringLiteral("wh-main"));
        QCOMPARE(shown(), QStringList {QStringLiteral("11")});
        proxy.setFilterText(QStringLiteral("stream only"));
        QCOMPARE(shown(), (QStringList {QStringLiteral("10"), QStringLiteral("12")}));
        proxy.setFilterText(QString());
        QCOMPARE(proxy.rowCount(), 3);

        proxy.sort(int(Column::EventType));
        QCOMPARE(shown(), (QStringList {QStringLiteral("12"), QStringLiteral("10"), QStringLiteral("11")}));
        proxy.sort(int(Column::Tag), Qt::DescendingOrder);
        QCOMPARE(shown().first(), QStringLiteral("10")); // "Zeta", ignoring case
        proxy.sort(int(Column::Created));
        QCOMPARE(shown().first(), QStringLiteral("10")); // a day older
        // Rows that arrive while filtered are matched too.
        proxy.setFilterText(QStringLiteral("follow"));
        QCOMPARE(proxy.rowCount(), 0);
        model.upsert(sub(QStringLiteral("13"), QStringLiteral("follow.follow")));
        QCOMPARE(shown(), QStringList {QStringLiteral("13")});
    }

    void shouldExportEveryRowAsCsv()
    {
        UserCache cache;
        cache.insert(UserInfo {QStringLiteral("1"), QStringLiteral("alice"), QString()});
        ActivitySubscriptionTableModel model;
        ActivitySubscription news =
            sub(QStringLiteral("10"), QStringLiteral("news.new"), {}, QStringLiteral("=SUM(A1)"));
        news.filter.keyword = QStringLiteral("launch, now");
        model.appendPage({sub(QStringLiteral("11"), QStringLiteral("post.create"), QStringLiteral("1"),
                              QStringLiteral("t"), QStringLiteral("wh1")),
                          news},
                         &cache);
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(model.exportCsv(&buffer));
        const QList<QByteArray> lines = buffer.data().split('\n');
        QCOMPARE(lines.size(), 4); // header, two rows, the empty rest after the last CRLF
        QCOMPARE(lines.at(0),
                 QByteArray("subscription_id,event_type,user_id,username,keyword,direction,tag,"
                            "webhook_id,created_at,updated_at\r"));
        QCOMPARE(lines.at(1),
                 QByteArray("11,post.create,1,alice,,,t,wh1,2026-03-10T12:00:00Z,2026-03-10T12:01:00Z\r"));
        QCOMPARE(lines.at(2),
                 QByteArray("10,news.new,,,\"launch, now\",,'=SUM(A1),,2026-03-10T12:00:00Z,"
                            "2026-03-10T12:01:00Z\r"));
        QBuffer closed;
        QVERIFY(!model.exportCsv(&closed));
    }
};

QTEST_GUILESS_MAIN(TestActivitySubscriptionModel)
#include "tst_activitysubscriptionmodel.moc"
