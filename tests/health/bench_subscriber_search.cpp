// The subscriber search of #17: 100,000 subscribers on each of four webhooks (two profiles), then
// a search by id and by @username (through the profile's UserCache, as the console resolves a typed
// name). Prints the time to load the lists, to search, and to compare a list with its snapshot.
// The goal is a search under 50 ms; it asserts nothing about timing.
#include "BenchSupport.h"
#include "SubscriberDirectory.h"
#include "UserCache.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace activity;

class BenchSubscriberSearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void searchAcrossWebhooks()
    {
        constexpr int perWebhook = 100000;
        QTemporaryDir dir;
        SubscriberDirectory directory(dir.filePath(QStringLiteral("snapshots")));
        UserCache users;
        const QStringList profiles {QStringLiteral("Production"), QStringLiteral("Staging")};
        QList<WebhookSubscribers> lists;
        for (int w = 0; w < 4; ++w) {
            WebhookSubscribers list;
            list.profile = profiles.at(w / 2);
            list.webhookId = QString::number(1500000000000000000LL + w);
            list.webhookUrl = QStringLiteral("https://example.com/webhook/%1").arg(w);
            list.userIds.reserve(perWebhook);
            // Overlapping ranges: most users are on two webhooks.
            for (int i = 0; i < perWebhook; ++i)
                list.userIds.append(QString::number(2244994945LL + w * perWebhook / 2 + i));
            lists.append(list);
        }
        for (int i = 0; i < perWebhook * 5 / 2; ++i) {
            const QString id = QString::number(2244994945LL + i);
            users.insert(UserInfo {id, QStringLiteral("user_%1").arg(i), QStringLiteral("User %1").arg(i)});
        }

        benchsupport::Stopwatch load;
        for (const WebhookSubscribers &list : std::as_const(lists))
            directory.update(list);
        const double loadMs = load.wallMs();

        const QString target = QString::number(2244994945LL + perWebhook * 3 / 4); // on webhooks 0 and 1
        benchsupport::Stopwatch byId;
        const QList<SubscriberHit> hits = directory.find(target);
        const double byIdMs = byId.wallMs();
        QCOMPARE(hits.size(), 2);

        benchsupport::Stopwatch byName;
        const std::optional<UserInfo> user =
            users.findByUsername(QStringLiteral("USER_%1").arg(perWebhook * 3 / 4));
        QVERIFY(user);
        const QList<SubscriberHit> nameHits = directory.find(user->id);
        const double byNameMs = byName.wallMs();
        QCOMPARE(nameHits.size(), 2);

        // A refresh of one webhook with 1,000 subscribes and 1,000 unsubscribes since.
        WebhookSubscribers refreshed = lists.constFirst();
        refreshed.userIds = refreshed.userIds.mid(1000);
        for (int i = 0; i < 1000; ++i)
            refreshed.userIds.append(QString::number(9000000000LL + i));
        benchsupport::Stopwatch diff;
        const SubscriberChanges changes = directory.update(refreshed);
        const double diffMs = diff.wallMs();
        QCOMPARE(changes.appeared.size(), 1000);
        QCOMPARE(changes.disappeared.size(), 1000);

        benchsupport::report("load 4 lists of 100,000 into the index, snapshots written", loadMs, "ms");
        benchsupport::report("find by id (4 webhooks, 2 profiles)", byIdMs, "ms");
        benchsupport::report("find by @username (UserCache of 250,000 users), goal < 50", byNameMs, "ms");
        benchsupport::report("refresh one webhook, +1,000/-1,000 against its snapshot", diffMs, "ms");
    }
};

QTEST_GUILESS_MAIN(BenchSubscriberSearch)
#include "bench_subscriber_search.moc"
