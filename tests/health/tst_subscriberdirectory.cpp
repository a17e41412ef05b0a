// SubscriberDirectory (#17): which webhook of which profile lists a user, and who appeared and who
// disappeared since the previous list, across a restart through the snapshot files.
#include "SubscriberDirectory.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace activity;

namespace {

WebhookSubscribers list(const QString &profile, const QString &webhookId, const QStringList &ids,
                        qint64 at = 1000)
{
    return {profile, webhookId, QStringLiteral("https://example.com/") + webhookId, ids, at};
}

QStringList webhooksOf(const QList<SubscriberHit> &hits)
{
    QStringList out;
    for (const SubscriberHit &hit : hits)
        out.append(hit.profile + QLatin1Char('/') + hit.webhookId);
    return out;
}

} // namespace

class TestSubscriberDirectory : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString folder() const { return m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction())); }

private Q_SLOTS:
    void shouldFindAUserOnEveryWebhookOfEveryProfile()
    {
        SubscriberDirectory directory;
        directory.update(list(QStringLiteral("Production"), QStringLiteral("1"),
                              {QStringLiteral("10"), QStringLiteral("11")}));
        directory.update(list(QStringLiteral("Production"), QStringLiteral("2"),
                              {QStringLiteral("11"), QStringLiteral("12")}));
        directory.update(list(QStringLiteral("Staging"), QStringLiteral("1"), {QStringLiteral("11")}));
        QCOMPARE(directory.webhookCount(), 3);
        QCOMPARE(webhooksOf(directory.find(QStringLiteral("11"))),
                 QStringList({QStringLiteral("Production/1"), QStringLiteral("Production/2"),
                              QStringLiteral("Staging/1")}));
        QCOMPARE(webhooksOf(directory.find(QStringLiteral("10"))),
                 QStringList {QStringLiteral("Production/1")});
        QCOMPARE(webhooksOf(directory.find(QStringLiteral(" 12 "))),
                 QStringList {QStringLiteral("Production/2")});
        QVERIFY(directory.find(QStringLiteral("13")).isEmpty());
        const SubscriberHit hit = directory.find(QStringLiteral("10")).constFirst();
        QCOMPARE(hit.webhookUrl, QStringLiteral("https://example.com/1"));
        QCOMPARE(hit.listedAtMs, qint64(1000));
    }

    void shouldReplaceAWebhooksListOnUpdate()
    {
        SubscriberDirectory directory;
        directory.update(
            list(QStringLiteral("P"), QStringLiteral("1"), {QStringLiteral("10"), QStringLiteral("11")}));
        // Empty and repeated ids are skipped.
        directory.update(list(QStringLiteral("P"), QStringLiteral("1"),
                              {QStringLiteral("11"), QStringLiteral("12"), QStringLiteral("12"), QString()}));
        QVERIFY(directory.find(QStringLiteral("10")).isEmpty());
        QCOMPARE(directory.find(QStringLiteral("12")).size(), 1);
        QCOMPARE(directory.subscriberCount(QStringLiteral("P"), QStringLiteral("1")), 2);
        QCOMPARE(directory.webhookCount(), 1);
        directory.remove(QStringLiteral("P"), QStringLiteral("1"));
        QVERIFY(directory.find(QStringLiteral("11")).isEmpty());
        QCOMPARE(directory.webhookCount(), 0);
        // The freed slot is used again.
        directory.update(list(QStringLiteral("Q"), QStringLiteral("9"), {QStringLiteral("11")}));
        QCOMPARE(webhooksOf(directory.find(QStringLiteral("11"))), QStringList {QStringLiteral("Q/9")});
    }

    void shouldSayWhoAppearedAndWhoDisappeared()
    {
        SubscriberDirectory directory;
        const SubscriberChanges first = directory.update(list(
            QStringLiteral("P"), QStringLiteral("1"), {QStringLiteral("10"), QStringLiteral("11")}, 1000));
        QVERIFY(first.firstSnapshot);
        QVERIFY(first.appeared.isEmpty() && first.disappeared.isEmpty());
        // A subscribe (12, 13) and an unsubscribe (10) since.
        const SubscriberChanges second =
            directory.update(list(QStringLiteral("P"), QStringLiteral("1"),
                                  {QStringLiteral("13"), QStringLiteral("11"), QStringLiteral("12")}, 2000));
        QVERIFY(!second.firstSnapshot);
        QCOMPARE(second.previousAtMs, qint64(1000));
        QCOMPARE(second.appeared, QStringList({QStringLiteral("12"), QStringLiteral("13")}));
        QCOMPARE(second.disappeared, QStringList {QStringLiteral("10")});
        QCOMPARE(directory.lastChanges(QStringLiteral("P"), QStringLiteral("1"))->appeared, second.appeared);
        QVERIFY(!directory.lastChanges(QStringLiteral("P"), QStringLiteral("2")));
        // Nothing changed: nothing listed.
        const SubscriberChanges third =
            directory.update(list(QStringLiteral("P"), QStringLiteral("1"),
                                  {QStringLiteral("11"), QStringLiteral("12"), QStringLiteral("13")}, 3000));
        QVERIFY(third.appeared.isEmpty() && third.disappeared.isEmpty());
    }

    void shouldCompareWithTheSnapshotOnDiskAfterARestart()
    {
        const QString path = folder();
        {
            SubscriberDirectory directory(path);
            directory.update(list(QStringLiteral("Prod / \"x\""), QStringLiteral("1"),
                                  {QStringLiteral("10"), QStringLiteral("11")}, 1000));
            QVERIFY(
                QFile::exists(directory.snapshotPath(QStringLiteral("Prod / \"x\""), QStringLiteral("1"))));
        }
        SubscriberDirectory restarted(path);
        QVERIFY(restarted.find(QStringLiteral("10")).isEmpty()); // not indexed until listed again
        const SubscriberChanges changes =
            restarted.update(list(QStringLiteral("Prod / \"x\""), QStringLiteral("1"),
                                  {QStringLiteral("11"), QStringLiteral("12")}, 5000));
        QVERIFY(!changes.firstSnapshot);
        QCOMPARE(changes.previousAtMs, qint64(1000));
        QCOMPARE(changes.appeared, QStringList {QStringLiteral("12")});
        QCOMPARE(changes.disappeared, QStringList {QStringLiteral("10")});
        // Another profile's webhook with the same id has a snapshot of its own.
        QVERIFY(restarted.update(list(QStringLiteral("Other"), QStringLiteral("1"), {QStringLiteral("10")}))
                    .firstSnapshot);
        // Removing a webhook removes its snapshot: listed again later, it starts afresh.
        restarted.remove(QStringLiteral("Prod / \"x\""), QStringLiteral("1"));
        QVERIFY(!QFile::exists(restarted.snapshotPath(QStringLiteral("Prod / \"x\""), QStringLiteral("1"))));
    }

    void shouldTreatAnUnreadableSnapshotAsNone()
    {
        const QString path = folder();
        SubscriberDirectory directory(path);
        QDir().mkpath(path);
        QFile broken(directory.snapshotPath(QStringLiteral("P"), QStringLiteral("1")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("not a snapshot\n10\n");
        broken.close();
        const SubscriberChanges changes =
            directory.update(list(QStringLiteral("P"), QStringLiteral("1"), {QStringLiteral("10")}));
        QVERIFY(changes.firstSnapshot);
        // ... and replaced by a good one.
        SubscriberDirectory again(path);
        QVERIFY(!again.update(list(QStringLiteral("P"), QStringLiteral("1"), {QStringLiteral("10")}))
                     .firstSnapshot);
    }
};

QTEST_GUILESS_MAIN(TestSubscriberDirectory)
#include "tst_subscriberdirectory.moc"
