// The services the console and activity-cli share, against an in-process sandbox on 127.0.0.1 and
// a real SQLite history: the recorded write, the history writer's thread, the user-lookup pager
// (batches, cache, pacing) and profile/account resolution.
#include "ApiClient.h"
#include "EndpointCatalogue.h"
#include "HistoryWriter.h"
#include "MemorySecretBackend.h"
#include "ProfileResolver.h"
#include "RecordedWrite.h"
#include "RequestLog.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "UserLookupPager.h"

#include <QNetworkAccessManager>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <optional>

using namespace activity;
using namespace std::chrono_literals;
namespace demo = activity::sandbox::demo;

class TestServices : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<ApiClient> m_client;

    ResolvedProfile sandboxProfile() const
    {
        ResolvedProfile profile;
        profile.id = QStringLiteral("test");
        profile.name = QStringLiteral("Test app");
        profile.baseUrl = m_server->baseUrl();
        profile.allowInsecureLoopback = true;
        profile.credentials = {
            demo::consumerKey, demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, {}};
        return profile;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
        m_network = std::make_unique<QNetworkAccessManager>();
        const ResolvedProfile profile = sandboxProfile();
        m_client = std::make_unique<ApiClient>(m_network.get(), profile.clientConfig(), profile.credentials);
    }

    void cleanup()
    {
        m_client.reset();
        m_network.reset();
        m_server.reset();
    }

    void shouldRecordAWriteWithTheStatusTheCallReported()
    {
        HistoryStore reader(m_dir.filePath(QStringLiteral("recorded.sqlite")));
        HistoryWriter writer(reader);
        WriteRecorder recorder(&writer, QStringLiteral("test"));
        recorder.setProfile(QStringLiteral("p1"), QStringLiteral("Test app"));

        const QString url =
            m_server->demoReceiverUrl().section(QLatin1Char('/'), 0, -2) + QStringLiteral("/recorded");
        std::optional<Result<Webhook>> answer;
        recorder.run<Webhook>(
            *m_client, Operation::RegisterWebhook, {{QStringLiteral("url"), url}}, nullptr, this,
            [this, url](QObject *context, ApiClient::Callback<Webhook> done) {
                return m_client->registerWebhook(url, context, std::move(done));
            },
            [](const Webhook &webhook) { return QStringLiteral("webhook %1").arg(webhook.id); },
            [&](const Result<Webhook> &result) { answer.emplace(result); });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 15000);
        QVERIFY2(answer->ok(), answer->ok() ? "" : qPrintable(answer->error().text()));
        QCOMPARE(answer->httpStatus(), 200);

        // A failing write: an unknown webhook.
        std::optional<Result<Done>> failed;
        recorder.run<Done>(
            *m_client, Operation::DeleteWebhook,
            {{QStringLiteral("webhook_id"), QStringLiteral("1999999999999999999")}}, nullptr, this,
            [this](QObject *context, ApiClient::Callback<Done> done) {
                return m_client->deleteWebhook(QStringLiteral("1999999999999999999"), context,
                                               std::move(done));
            },
            {}, [&](const Result<Done> &result) { failed.emplace(result); });
        QTRY_VERIFY_WITH_TIMEOUT(failed.has_value(), 15000);
        QVERIFY(!failed->ok());

        bool idle = false;
        writer.whenIdle(this, [&] { idle = true; });
        QTRY_VERIFY(idle);
        QCOMPARE(writer.pendingWrites(), 0);
        const QList<HistoryEntry> entries = reader.entries();
        QCOMPARE(entries.size(), 2);
        const HistoryEntry &deleted = entries.at(0); // newest first
        QCOMPARE(deleted.state, HistoryState::Failed);
        QCOMPARE(deleted.httpStatus, failed->error().httpStatus);
        QVERIFY(deleted.httpStatus >= 400);
        const HistoryEntry &registered = entries.at(1);
        QCOMPARE(registered.state, HistoryState::Succeeded);
        QCOMPARE(registered.httpStatus, 200);
        QCOMPARE(registered.summary, QStringLiteral("webhook %1").arg(answer->value().id));
        QCOMPARE(registered.action.source, QStringLiteral("test"));
        QCOMPARE(registered.action.profileName, QStringLiteral("Test app"));
        QCOMPARE(registered.action.host, QStringLiteral("127.0.0.1:%1").arg(m_server->baseUrl().port()));
        // Written by the writer's thread under the reader's run: this run's entries, not another's.
        QCOMPARE(registered.runId, reader.runId());
    }

    void shouldWriteOffTheCallingThreadAndReportWhatCannotBeWritten()
    {
        HistoryStore reader(m_dir.filePath(QStringLiteral("writer.sqlite")));
        std::optional<HistoryWriter> writer(std::in_place, reader);
        QSignalSpy added(&*writer, &HistoryWriter::entryAdded);
        QSignalSpy completed(&*writer, &HistoryWriter::entryCompleted);
        HistoryAction action;
        action.operation = Operation::Subscribe;
        action.source = QStringLiteral("test");
        const qint64 first = writer->begin(action);
        const qint64 second = writer->begin(action);
        QVERIFY(first > 0 && second > first);
        writer->complete(first, HistoryOutcome::success(QStringLiteral("one"), 200));
        QTRY_COMPARE(completed.size(), 1);
        QCOMPARE(added.size(), 2);
        QCOMPARE(completed.at(0).at(0).toLongLong(), first);
        const qint64 firstId = completed.at(0).at(1).toLongLong();
        QCOMPARE(reader.entry(firstId)->summary, QStringLiteral("one"));
        // Destroying the writer waits for what is queued: nothing asked for is lost.
        writer->complete(second, HistoryOutcome::success(QStringLiteral("two"), 204));
        writer.reset();
        QCOMPARE(reader.entries().first().summary, QStringLiteral("two"));

        // A database that cannot be written: the action's ticket still comes back, the problem as a signal.
        QFile blocker(m_dir.filePath(QStringLiteral("not-a-folder")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        HistoryStore broken(m_dir.filePath(QStringLiteral("not-a-folder/history.sqlite")));
        HistoryWriter brokenWriter(broken);
        QSignalSpy problem(&brokenWriter, &HistoryWriter::errorOccurred);
        QVERIFY(brokenWriter.begin(action) > 0);
        QTRY_COMPARE(problem.size(), 1);
        QVERIFY(!problem.at(0).at(0).toString().isEmpty());
    }

    void shouldLookUpInBatchesOfAHundredAndRememberWhatItFound()
    {
        std::optional<Result<SubscriptionList>> list;
        m_client->listSubscriptions(demo::validWebhookId, this,
                                    [&](const Result<SubscriptionList> &result) { list.emplace(result); });
        QTRY_VERIFY_WITH_TIMEOUT(list.has_value(), 15000);
        QVERIFY(list->ok());
        QStringList ids = list->value().userIds;
        QVERIFY(ids.size() > 200);
        ids.append(QStringLiteral("1999999999999999999")); // not a user: reported missing, not asked again

        UserCache cache;
        UserLookupPager pager(&cache);
        pager.setClient(m_client.get());
        QSignalSpy started(&pager, &UserLookupPager::batchStarted);
        QSignalSpy answered(&pager, &UserLookupPager::batchAnswered);
        QSignalSpy finished(&pager, &UserLookupPager::finished);
        pager.lookup(ids);
        QVERIFY(finished.wait(15000));
        const int batches = int((ids.size() + 99) / 100);
        QCOMPARE(started.size(), batches);
        for (const QList<QVariant> &batch : std::as_const(started))
            QVERIFY(batch.at(0).toInt() <= endpoints::maxUsersPerLookup);
        QVERIFY(cache.contains(demo::alice.id));
        QVERIFY(cache.isNotFound(QStringLiteral("1999999999999999999")));
        QCOMPARE(cache.missing(ids).size(), 0);

        // Everything is known now: no call at all.
        const qsizetype logged = m_client->requestLog()->entries().size();
        pager.lookup(ids);
        QTRY_COMPARE(finished.size(), 2);
        QCOMPARE(started.size(), batches);
        QCOMPARE(m_client->requestLog()->entries().size(), logged);
    }

    void shouldWaitForTheRateLimitWindowInsteadOfRunningIntoIt()
    {
        // One lookup per 2-second window: the second batch waits for the reset, then goes.
        m_server->setRateLimit(endpoints::find(Operation::UsersLookup, ApiGeneration::V2)->rateLimitKey, 1,
                               2s);
        QStringList ids;
        for (int i = 0; i < 150; ++i)
            ids.append(QString::number(1600000000000000000LL + i));
        UserCache cache;
        UserLookupPager pager(&cache);
        pager.setClient(m_client.get());
        QSignalSpy waiting(&pager, &UserLookupPager::waiting);
        QSignalSpy failed(&pager, &UserLookupPager::failed);
        QSignalSpy finished(&pager, &UserLookupPager::finished);
        pager.lookup(ids);
        QVERIFY(finished.wait(20000));
        QVERIFY(failed.isEmpty());
        QVERIFY(waiting.size() >= 1);
        QVERIFY(waiting.first().at(0).toDateTime().isValid());
        // No request was answered 429: the pager paced itself.
        for (const RequestLogEntry &entry : m_client->requestLog()->entries())
            QVERIFY2(entry.httpStatus != 429, qPrintable(entry.url));
    }

    void shouldResolveStoredProfilesAndAccounts()
    {
        QSettings settings(m_dir.filePath(QStringLiteral("profiles.ini")), QSettings::IniFormat);
        const auto secrets = testing::MemorySecretBackend::store();
        ProfileStore store(&settings, secrets.get());
        ProfileResolver resolver(&store);
        Profile stored;
        stored.name = QStringLiteral("Production");
        stored.baseUrl = QStringLiteral("https://api.x.com");
        stored.consumerKey = QStringLiteral("ck");
        stored.id = store.saveProfile(stored);

        const Result<Profile> unknown = resolver.find(QStringLiteral("staging"));
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().kind, ApiError::Kind::MissingCredentials);
        QVERIFY(unknown.error().remedy.contains(QStringLiteral("Production")));
        QVERIFY(resolver.find(QStringLiteral("production")));
        QVERIFY(resolver.find(stored.id));

        std::optional<Result<Done>> saved;
        store.saveSecrets(stored.id, ProfileSecrets {"cs", "ot", "ots", "bearer"}, this,
                          [&](const Result<Done> &result) { saved.emplace(result); });
        QTRY_VERIFY(saved.has_value());
        QVERIFY(saved->ok());
        std::optional<Result<ResolvedProfile>> resolved;
        resolver.resolve(stored, this,
                         [&](const Result<ResolvedProfile> &result) { resolved.emplace(result); });
        QTRY_VERIFY(resolved.has_value());
        QVERIFY(resolved->ok());
        QCOMPARE(resolved->value().credentials.consumerKey, QByteArray("ck"));
        QCOMPARE(resolved->value().credentials.consumerSecret, QByteArray("cs"));
        QCOMPARE(resolved->value().credentials.bearerToken, QByteArray("bearer"));
        QCOMPARE(resolved->value().clientConfig().baseUrl, QUrl(QStringLiteral("https://api.x.com")));

        const QList<Account> accounts {{QStringLiteral("1"), QStringLiteral("amy"), {}},
                                       {QStringLiteral("2"), QStringLiteral("bo"), {}}};
        QCOMPARE(ProfileResolver::chooseAccount(accounts, QStringLiteral("@Amy"), {}, {}).value().userId,
                 QStringLiteral("1"));
        QCOMPARE(ProfileResolver::chooseAccount(accounts, QStringLiteral("2"), {}, {}).value().username,
                 QStringLiteral("bo"));
        const Result<Account> ambiguous = ProfileResolver::chooseAccount(accounts, {}, QStringLiteral("P"),
                                                                         QStringLiteral("subscriptions add"));
        QVERIFY(!ambiguous);
        QVERIFY(ambiguous.error().remedy.contains(QStringLiteral("@amy, @bo")));
        QVERIFY(ProfileResolver::chooseAccount(accounts.mid(0, 1), {}, {}, {}));
        QVERIFY(!ProfileResolver::chooseAccount({}, {}, QStringLiteral("P"), {}));
    }
};

QTEST_GUILESS_MAIN(TestServices)
#include "tst_services.moc"
