// Benchmark (prints figures, never fails on timing): 100,000 subscriptions in the sandbox, then
// the list, count and users/lookup answers over real HTTP on 127.0.0.1.

#include "SandboxTestSupport.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace sandboxtest;

class BenchSandboxSubscriptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shouldServeAHundredThousandSubscriptions()
    {
        SandboxServer server;
        QVERIFY(server.listen());
        server.seedDemo();
        QElapsedTimer timer;
        timer.start();
        server.addSubscriptions(demo::validWebhookId, 100000);
        const qint64 seedMs = timer.elapsed();
        Client client(server.baseUrl());

        timer.restart();
        const Response list =
            client.bearer("GET",
                          QStringLiteral("/2/account_activity/webhooks/%1/subscriptions/all/list")
                              .arg(demo::validWebhookId));
        const qint64 listMs = timer.elapsed();
        QCOMPARE(list.status, 200);
        const QJsonArray subs = list.data().value(QStringLiteral("subscriptions")).toArray();
        QCOMPARE(subs.size(), 100000 + demo::seededSubscriberCount + 1);

        timer.restart();
        const Response count =
            client.bearer("GET", QStringLiteral("/1.1/account_activity/subscriptions/count.json"));
        const qint64 countMs = timer.elapsed();
        QCOMPARE(count.status, 200);

        QStringList ids;
        for (int i = 0; i < 100; ++i)
            ids.append(subs.at(1000 + i).toObject().value(QStringLiteral("user_id")).toString());
        timer.restart();
        const Response users =
            client.bearer("GET", QStringLiteral("/2/users?ids=") + ids.join(QLatin1Char(',')));
        const qint64 lookupMs = timer.elapsed();
        QCOMPARE(users.object().value(QStringLiteral("data")).toArray().size(), 100);

        qInfo("addSubscriptions(100000): %lld ms", seedMs);
        qInfo("GET .../subscriptions/all/list (%lld subscriptions, %lld bytes): %lld ms", qint64(subs.size()),
              qint64(list.body.size()), listMs);
        qInfo("GET subscriptions/count.json: %lld ms", countMs);
        qInfo("GET /2/users?ids=<100 ids>: %lld ms", lookupMs);
    }
};

QTEST_GUILESS_MAIN(BenchSandboxSubscriptions)
#include "bench_sandbox_subscriptions.moc"
