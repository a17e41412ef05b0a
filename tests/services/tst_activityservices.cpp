// The X Activity API workflows the console and activity-cli share, against an in-process sandbox
// on 127.0.0.1: loading every page of the subscriptions, and deleting in batches of 100 with the
// per-id refusals, rate limits and failures reported and every batch in the history.
#include "ActivityBulkDelete.h"
#include "ActivitySubscriptionLoader.h"
#include "ApiClient.h"
#include "EndpointCatalogue.h"
#include "HistoryWriter.h"
#include "RecordedWrite.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"

#include <QNetworkAccessManager>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace activity;
using namespace std::chrono_literals;
namespace demo = activity::sandbox::demo;

Q_DECLARE_METATYPE(QList<activity::ActivityBulkDeleteError>)

class TestActivityServices : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<ApiClient> m_client;

    QStringList serverIds() const
    {
        QStringList ids;
        for (const ActivitySubscription &subscription : m_server->activitySubscriptions())
            ids.append(subscription.id);
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<QList<ActivitySubscription>>();
        qRegisterMetaType<QList<ActivityBulkDeleteError>>();
        qRegisterMetaType<std::optional<qint64>>();
        qRegisterMetaType<ApiError>();
    }

    void init()
    {
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
        m_network = std::make_unique<QNetworkAccessManager>();
        ClientConfig config;
        config.baseUrl = m_server->baseUrl();
        config.generation = ApiGeneration::V2;
        config.allowInsecureLoopback = true;
        m_client = std::make_unique<ApiClient>(m_network.get(), config,
                                               AppCredentials {demo::consumerKey, demo::consumerSecret,
                                                               demo::ownerToken, demo::ownerTokenSecret,
                                                               demo::bearerToken});
    }

    void cleanup()
    {
        m_client.reset();
        m_network.reset();
        m_server.reset();
    }

    void shouldLoadEveryPageOnce()
    {
        m_server->addActivitySubscriptions(2500);
        const QStringList expected = serverIds();

        ActivitySubscriptionLoader loader;
        QSignalSpy pages(&loader, &ActivitySubscriptionLoader::pageLoaded);
        QSignalSpy finished(&loader, &ActivitySubscriptionLoader::finished);
        QSignalSpy failed(&loader, &ActivitySubscriptionLoader::failed);
        loader.start(m_client.get(), 1000);
        QVERIFY(finished.wait(10000));
        QCOMPARE(failed.count(), 0);

        QStringList loaded;
        for (const QList<QVariant> &page : std::as_const(pages)) {
            for (const ActivitySubscription &subscription : page.at(0).value<QList<ActivitySubscription>>())
                loaded.append(subscription.id);
        }
        QCOMPARE(pages.count(), 3);
        QCOMPARE(loaded, expected); // every id, once, in the server's order
        QCOMPARE(pages.last().at(1).toLongLong(), qint64(expected.size()));
        QCOMPARE(loader.loaded(), qint64(expected.size()));
        QVERIFY(!loader.isRunning());
    }

    void shouldKeepTheLoadedPagesWhenAPageFails()
    {
        m_server->addActivitySubscriptions(1500);
        // The second page fails (every attempt); the first stays with the caller.
        ActivitySubscriptionLoader loader;
        QSignalSpy pages(&loader, &ActivitySubscriptionLoader::pageLoaded);
        QSignalSpy failed(&loader, &ActivitySubscriptionLoader::failed);
        QSignalSpy finished(&loader, &ActivitySubscriptionLoader::finished);
        connect(&loader, &ActivitySubscriptionLoader::pageLoaded, this, [this] {
            m_server->faults().always("GET", QStringLiteral("/2/activity/subscriptions"),
                                      sandbox::Fault::httpStatus(503));
        });
        loader.start(m_client.get(), 1000);
        QVERIFY(failed.wait(20000));
        const ApiError error = failed.first().first().value<ApiError>();
        QCOMPARE(error.httpStatus, 503);
        QVERIFY(!error.text().isEmpty());
        QCOMPARE(finished.count(), 0);
        QCOMPARE(pages.count(), 1);
        QCOMPARE(loader.loaded(), qint64(1000));
    }

    void shouldDropTheAnswersOfACancelledLoad()
    {
        ActivitySubscriptionLoader loader;
        QSignalSpy pages(&loader, &ActivitySubscriptionLoader::pageLoaded);
        QSignalSpy finished(&loader, &ActivitySubscriptionLoader::finished);
        loader.start(m_client.get(), 1000);
        QVERIFY(loader.isRunning());
        loader.cancel();
        QVERIFY(!loader.isRunning());
        // A second load finishes; the cancelled one never reported.
        loader.start(m_client.get(), 1000);
        QVERIFY(finished.wait(10000));
        QCOMPARE(pages.count(), 1);
        QCOMPARE(finished.count(), 1);
    }

    void shouldDeleteInBatchesOfAHundredAndReportRefusedIds()
    {
        m_server->addActivitySubscriptions(250);
        QStringList ids = serverIds().mid(3); // the 250 generated ones, not the demo's
        QCOMPARE(ids.size(), 250);
        ids.insert(120, QStringLiteral("1999999999999999999")); // unknown: refused, does not stop the rest
        ids.append(ids.first()); // a repeat is sent once

        HistoryStore reader(m_dir.filePath(QStringLiteral("bulk.sqlite")));
        HistoryWriter writer(reader);
        WriteRecorder recorder(&writer, QStringLiteral("test"));
        ActivityBulkDelete bulk;
        QSignalSpy progress(&bulk, &ActivityBulkDelete::progress);
        QSignalSpy finished(&bulk, &ActivityBulkDelete::finished);
        QSignalSpy stopped(&bulk, &ActivityBulkDelete::stopped);
        bulk.start(m_client.get(), &recorder, ids);
        QVERIFY(finished.wait(10000));
        QCOMPARE(stopped.count(), 0);

        const QStringList deleted = finished.first().at(0).toStringList();
        const auto failed = finished.first().at(1).value<QList<ActivityBulkDeleteError>>();
        QCOMPARE(deleted.size(), 250);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().subscriptionId, QStringLiteral("1999999999999999999"));
        QVERIFY(!failed.first().message.isEmpty());
        QCOMPARE(progress.count(), 3); // 251 distinct ids: 100 + 100 + 51
        QCOMPARE(progress.last().at(0).toInt(), 251);
        QCOMPARE(serverIds().size(), 3); // the demo's three are left

        // The writer thread completes the entries after the answers.
        const auto settled = [&reader] {
            const QList<HistoryEntry> entries = reader.entries();
            return entries.size() == 3 &&
                std::all_of(entries.cbegin(), entries.cend(), [](const HistoryEntry &e) {
                       return e.state == HistoryState::Succeeded &&
                           e.operationKey ==
                           HistoryStore::operationKey(Operation::DeleteActivitySubscriptions);
                   });
        };
        QTRY_VERIFY(settled());
    }

    void shouldWaitOutARateLimitAndSendTheBatchAgain()
    {
        m_server->addActivitySubscriptions(150);
        const QStringList ids = serverIds().mid(3);
        const Endpoint *endpoint = endpoints::find(Operation::DeleteActivitySubscriptions, ApiGeneration::V2);
        QVERIFY(endpoint);
        m_server->setRateLimit(endpoint->rateLimitKey, 1, 1s);

        ActivityBulkDelete bulk;
        QSignalSpy waiting(&bulk, &ActivityBulkDelete::waiting);
        QSignalSpy finished(&bulk, &ActivityBulkDelete::finished);
        bulk.start(m_client.get(), nullptr, ids);
        QVERIFY(finished.wait(15000));
        QCOMPARE(waiting.count(), 1);
        QCOMPARE(finished.first().at(0).toStringList().size(), 150);
        QCOMPARE(finished.first().at(1).value<QList<ActivityBulkDeleteError>>().size(), 0);
        QCOMPARE(serverIds().size(), 3);
    }

    void shouldReportEveryIdWhenABatchFailsAsAWhole()
    {
        m_server->addActivitySubscriptions(250);
        const QStringList ids = serverIds().mid(3);
        // The first batch goes through, the second is refused as a whole.
        ActivityBulkDelete bulk;
        QSignalSpy progress(&bulk, &ActivityBulkDelete::progress);
        QSignalSpy stopped(&bulk, &ActivityBulkDelete::stopped);
        QSignalSpy finished(&bulk, &ActivityBulkDelete::finished);
        connect(&bulk, &ActivityBulkDelete::progress, this, [this](int done, int) {
            if (done == 100)
                m_server->faults().always("DELETE", QStringLiteral("/2/activity/subscriptions"),
                                          sandbox::Fault::httpStatus(500));
        });
        bulk.start(m_client.get(), nullptr, ids);
        QVERIFY(finished.wait(15000));
        QCOMPARE(stopped.count(), 1);
        QCOMPARE(stopped.first().first().value<ApiError>().httpStatus, 500);
        const QStringList deleted = finished.first().at(0).toStringList();
        const auto failed = finished.first().at(1).value<QList<ActivityBulkDeleteError>>();
        QCOMPARE(deleted, ids.mid(0, 100));
        QCOMPARE(failed.size(), 150);
        QCOMPARE(failed.at(0).subscriptionId, ids.at(100)); // the refused batch
        QVERIFY(failed.at(0).reason != ActivityBulkDelete::notSentReason());
        QCOMPARE(failed.at(100).subscriptionId, ids.at(200)); // never sent
        QCOMPARE(failed.at(100).reason, ActivityBulkDelete::notSentReason());
        QCOMPARE(serverIds().size(), 3 + 150);
    }
};

QTEST_GUILESS_MAIN(TestActivityServices)
#include "tst_activityservices.moc"
