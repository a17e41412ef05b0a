// activity-cli against an in-process SandboxServer on 127.0.0.1 with the demo credentials in its
// environment: every command, --json, the exit codes 0/1/2/3/4, and no secret on stdout or stderr.
// Most run in this process through clitest::runCli (the activity_cli library with in-memory
// streams); shouldBehaveTheSameAsARealProcess runs the real executable.
#include "ActivityConfig.h"
#include "Crc.h"
#include "OAuth1.h"
#include "ProfileStore.h"
#include "ReplayJournal.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "SecretStore.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

#include <memory>

using namespace activity;
namespace demo = activity::sandbox::demo;

using clitest::Run;

namespace {

QString replayTime(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyyMMddHHmm"));
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

    std::unique_ptr<sandbox::SandboxServer> m_server;
    QTemporaryDir m_config; // the child's XDG_CONFIG_HOME: no real user's settings are read

    QProcessEnvironment demoEnvironment(bool withUser = true) const
    {
        QProcessEnvironment env = clitest::cleanEnvironment(m_config.path());
        clitest::addDemoCredentials(env, withUser ? &demo::bob : nullptr);
        return env;
    }

    // Runs activity-cli with --base-url of the sandbox (unless given) and waits for it to end. The
    // sandbox is plain http on 127.0.0.1: --allow-insecure-loopback says that is meant.
    Run cli(QStringList arguments, const QProcessEnvironment &env, bool addBaseUrl = true)
    {
        if (addBaseUrl)
            arguments = QStringList {QStringLiteral("--base-url=") + m_server->baseUrl().toString(),
                                     QStringLiteral("--allow-insecure-loopback")} +
                arguments;
        return clitest::runCli(arguments, env);
    }

    Run cli(const QStringList &arguments) { return cli(arguments, demoEnvironment()); }

    static void verifyNoSecrets(const Run &run)
    {
        const QByteArray all = run.out + '\n' + run.err;
        const QList<QByteArray> secrets {demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret,
                                         demo::bearerToken,    demo::bob.token,  demo::bob.tokenSecret};
        for (const QByteArray &secret : secrets) {
            QVERIFY2(!all.contains(secret), qPrintable(run.describe()));
            QVERIFY2(!all.contains(oauth1::percentEncode(secret)), qPrintable(run.describe()));
        }
        QCOMPARE(all.count("oauth_signature=\""), all.count("oauth_signature=\"[redacted]\""));
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
    }

    void cleanup() { m_server.reset(); }

    void shouldPrintHelpForEveryCommand_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("global") << QStringList {QStringLiteral("--help")};
        QTest::newRow("webhooks") << QStringList {QStringLiteral("webhooks"), QStringLiteral("--help")};
        QTest::newRow("subscriptions")
            << QStringList {QStringLiteral("subscriptions"), QStringLiteral("--help")};
        for (const char *command :
             {"webhooks list", "webhooks register", "webhooks validate", "webhooks delete",
              "subscriptions count", "subscriptions list", "subscriptions add", "subscriptions check",
              "subscriptions remove", "replay", "crc"}) {
            QStringList arguments = QString::fromLatin1(command).split(QLatin1Char(' '));
            arguments.append(QStringLiteral("--help"));
            QTest::newRow(command) << arguments;
        }
    }
    void shouldPrintHelpForEveryCommand()
    {
        QFETCH(QStringList, arguments);
        const Run run = cli(arguments, demoEnvironment(), false);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("Usage:"), qPrintable(run.describe()));
        QVERIFY(run.err.isEmpty());
    }

    void shouldListWebhooksAsATable_data()
    {
        QTest::addColumn<QString>("api");
        QTest::newRow("v2") << QStringLiteral("v2");
        QTest::newRow("v1.1") << QStringLiteral("v1.1");
    }
    void shouldListWebhooksAsATable()
    {
        QFETCH(QString, api);
        const Run run =
            cli({QStringLiteral("--api"), api, QStringLiteral("webhooks"), QStringLiteral("list")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY(run.out.startsWith("ID"));
        QVERIFY(run.out.contains(demo::validWebhookId.toLatin1()));
        QVERIFY(run.out.contains(demo::invalidWebhookId.toLatin1()));
        verifyNoSecrets(run);
    }

    void shouldPrintOneJsonDocument()
    {
        const Run run = cli({QStringLiteral("webhooks"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(run.out, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(document.object().value(QStringLiteral("webhooks")).toArray().size(), 2);
    }

    void shouldRegisterValidateAndDeleteAWebhook_data() { shouldListWebhooksAsATable_data(); }
    void shouldRegisterValidateAndDeleteAWebhook()
    {
        QFETCH(QString, api);
        const QString url = m_server->demoReceiverUrl(QStringLiteral("cli"));
        const Run registered = cli({QStringLiteral("--api"), api, QStringLiteral("--json"),
                                    QStringLiteral("webhooks"), QStringLiteral("register"), url});
        QVERIFY2(registered.exitCode == 0, qPrintable(registered.describe()));
        const QString id = registered.json()
                               .value(QStringLiteral("webhook"))
                               .toObject()
                               .value(QStringLiteral("id"))
                               .toString();
        QVERIFY(m_server->webhook(id));

        const Run validated =
            cli({QStringLiteral("--api"), api, QStringLiteral("webhooks"), QStringLiteral("validate"), id});
        QVERIFY2(validated.exitCode == 0, qPrintable(validated.describe()));
        QVERIFY(validated.out.contains("valid"));

        // No terminal and no --yes: refused, and nothing is deleted.
        const Run unconfirmed =
            cli({QStringLiteral("--api"), api, QStringLiteral("webhooks"), QStringLiteral("delete"), id});
        QCOMPARE(unconfirmed.exitCode, 2);
        QVERIFY(unconfirmed.err.contains("--yes"));
        QVERIFY(m_server->webhook(id));

        const Run deleted =
            cli({QStringLiteral("--api"), api, QStringLiteral("webhooks"), QStringLiteral("delete"), id,
                 QStringLiteral("--yes"), QStringLiteral("--json")});
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.describe()));
        QCOMPARE(deleted.json().value(QStringLiteral("deleted")).toBool(), true);
        QVERIFY(!m_server->webhook(id));
        verifyNoSecrets(registered);
        verifyNoSecrets(deleted);
    }

    // At a terminal the person types the id to confirm; anything else changes nothing.
    void shouldDeleteOnlyWhatIsConfirmedAtATerminal()
    {
        const QString id = demo::invalidWebhookId;
        const QStringList remove {QStringLiteral("--base-url=") + m_server->baseUrl().toString(),
                                  QStringLiteral("--allow-insecure-loopback"), QStringLiteral("webhooks"),
                                  QStringLiteral("delete"), id};
        const Run mistyped = clitest::runCli(remove, demoEnvironment(), {"123\n", true});
        QCOMPARE(mistyped.exitCode, 1);
        QVERIFY2(mistyped.err.contains(QByteArray("Type " + id.toLatin1() + " to confirm")),
                 qPrintable(mistyped.describe()));
        QVERIFY(mistyped.err.contains("not confirmed"));
        QVERIFY(m_server->webhook(id));

        const Run confirmed =
            clitest::runCli(remove, demoEnvironment(), {QByteArray(id.toLatin1() + "\n"), true});
        QVERIFY2(confirmed.exitCode == 0, qPrintable(confirmed.describe()));
        QVERIFY(confirmed.out.contains("Deleted webhook"));
        QVERIFY(!m_server->webhook(id));
    }

    // The real executable: the same exit codes and output, stdin (not a terminal) refusing a
    // confirmation, and one JSON document on its stdout.
    void shouldBehaveTheSameAsARealProcess()
    {
        const QProcessEnvironment env = demoEnvironment();
        const QStringList sandbox {QStringLiteral("--base-url=") + m_server->baseUrl().toString(),
                                   QStringLiteral("--allow-insecure-loopback")};
        for (const QStringList &arguments :
             {QStringList {QStringLiteral("--help")}, QStringList {QStringLiteral("webhooks")},
              sandbox +
                  QStringList {QStringLiteral("--json"), QStringLiteral("webhooks"), QStringLiteral("list")},
              sandbox +
                  QStringList {QStringLiteral("webhooks"), QStringLiteral("delete"), demo::validWebhookId},
              sandbox + QStringList {QStringLiteral("subscriptions"), QStringLiteral("count")}}) {
            const Run inProcess = clitest::runCli(arguments, env);
            const Run real = clitest::runCliProcess(arguments, env);
            QCOMPARE(real.exitCode, inProcess.exitCode);
            QCOMPARE(real.err, inProcess.err);
            if (!arguments.contains(QStringLiteral("--help"))) // its usage line names the program
                QCOMPARE(real.out, inProcess.out);
        }
        QVERIFY(m_server->webhook(demo::validWebhookId));
    }

    void shouldCountSubscriptions()
    {
        const Run run =
            cli({QStringLiteral("--json"), QStringLiteral("subscriptions"), QStringLiteral("count")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(run.json().value(QStringLiteral("subscriptions_count_all")).toInteger(),
                 demo::seededSubscriberCount + 1);
        QCOMPARE(run.json().value(QStringLiteral("provisioned_count")).toInteger(),
                 demo::provisionedSubscriptions);
        const Run table = cli({QStringLiteral("subscriptions"), QStringLiteral("count")});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains(demo::accountName.toLatin1()));
    }

    void shouldResolveNamesInBatchesOfAHundred()
    {
        m_server->clearJournal();
        const Run run = cli({QStringLiteral("--json"), QStringLiteral("subscriptions"),
                             QStringLiteral("list"), demo::validWebhookId, QStringLiteral("--resolve")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QJsonArray subscriptions = run.json().value(QStringLiteral("subscriptions")).toArray();
        QCOMPARE(subscriptions.size(), demo::seededSubscriberCount + 1);
        int named = 0;
        bool sawAlice = false;
        for (const QJsonValue &item : subscriptions) {
            const QJsonObject user = item.toObject();
            named += user.value(QStringLiteral("username")).isString() ? 1 : 0;
            sawAlice = sawAlice || user.value(QStringLiteral("username")).toString() == demo::alice.username;
        }
        QCOMPARE(named, demo::seededSubscriberCount + 1);
        QVERIFY(sawAlice);
        const int expectedBatches = (demo::seededSubscriberCount + 1 + 99) / 100;
        QCOMPARE(m_server->journal().forPath(QStringLiteral("/2/users"), "GET").size(), expectedBatches);

        const Run table = cli({QStringLiteral("subscriptions"), QStringLiteral("list"), demo::validWebhookId,
                               QStringLiteral("--resolve")});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains("@alice"));
    }

    void shouldAddCheckAndRemoveASubscription_data() { shouldListWebhooksAsATable_data(); }
    void shouldAddCheckAndRemoveASubscription()
    {
        QFETCH(QString, api);
        const QStringList common {QStringLiteral("--api"), api, QStringLiteral("--json"),
                                  QStringLiteral("subscriptions")};
        const Run before = cli(common + QStringList {QStringLiteral("check"), demo::validWebhookId});
        QVERIFY2(before.exitCode == 0, qPrintable(before.describe()));
        QCOMPARE(before.json().value(QStringLiteral("subscribed")).toBool(), false);

        const Run added = cli(common + QStringList {QStringLiteral("add"), demo::validWebhookId});
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        QVERIFY(m_server->isSubscribed(demo::validWebhookId, demo::bob.id));

        const Run after = cli(common + QStringList {QStringLiteral("check"), demo::validWebhookId});
        QCOMPARE(after.json().value(QStringLiteral("subscribed")).toBool(), true);

        const Run again = cli(common + QStringList {QStringLiteral("add"), demo::validWebhookId});
        QCOMPARE(again.exitCode, 1); // already subscribed: the API refused
        QVERIFY(!again.err.isEmpty());
        QCOMPARE(
            again.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("kind")).toString(),
            QStringLiteral("conflict"));

        const Run unconfirmed =
            cli(common + QStringList {QStringLiteral("remove"), demo::validWebhookId, demo::bob.id});
        QCOMPARE(unconfirmed.exitCode, 2);
        QVERIFY(m_server->isSubscribed(demo::validWebhookId, demo::bob.id));

        const Run removed = cli(common +
                                QStringList {QStringLiteral("remove"), demo::validWebhookId, demo::bob.id,
                                             QStringLiteral("--yes")});
        QVERIFY2(removed.exitCode == 0, qPrintable(removed.describe()));
        QVERIFY(!m_server->isSubscribed(demo::validWebhookId, demo::bob.id));
        for (const Run &run : {before, added, after, again, removed})
            verifyNoSecrets(run);
    }

    void shouldStartAReplay_data() { shouldListWebhooksAsATable_data(); }
    void shouldStartAReplay()
    {
        QFETCH(QString, api);
        // Slow deliveries keep the job running, so that a second request meets it.
        m_server->faults().always("POST", QStringLiteral("/sandbox/receiver/*"),
                                  sandbox::Fault::delay(std::chrono::seconds(20)));
        const QDateTime now = m_server->now();
        const Run run =
            cli({QStringLiteral("--api"), api, QStringLiteral("--json"), QStringLiteral("replay"),
                 demo::validWebhookId, QStringLiteral("--from"), replayTime(now.addSecs(-3 * 3600)),
                 QStringLiteral("--to"), replayTime(now.addSecs(-3600))});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY(!run.json().value(QStringLiteral("job_id")).toString().isEmpty());

        const Run conflict =
            cli({QStringLiteral("--api"), api, QStringLiteral("replay"), demo::validWebhookId,
                 QStringLiteral("--from"), replayTime(now.addSecs(-3 * 3600)), QStringLiteral("--to"),
                 replayTime(now.addSecs(-3600))});
        QVERIFY(m_server->hasRunningReplay(demo::validWebhookId));
        QVERIFY2(conflict.exitCode == 1, qPrintable(conflict.describe()));
        QVERIFY(conflict.err.contains("replay"));
    }

    void shouldAcceptIsoTimesForReplay()
    {
        const QDateTime now = m_server->now();
        const auto iso = [](const QDateTime &t) {
            const QDateTime utc = t.toUTC();
            return QDateTime(utc.date(), QTime(utc.time().hour(), utc.time().minute()), Qt::UTC)
                .toString(Qt::ISODate);
        };
        const Run run = cli({QStringLiteral("replay"), demo::validWebhookId, QStringLiteral("--from"),
                             iso(now.addSecs(-7200)), QStringLiteral("--to"), iso(now.addSecs(-3600))});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY(run.out.contains("Replay job"));
    }

    void shouldReplayV2ThroughTheWebhooksEndpointOnly()
    {
        // The default generation is v2: its only replay is POST /2/webhooks/replay with a JSON body.
        m_server->clearJournal();
        const QDateTime now = m_server->now();
        const Run run = cli({QStringLiteral("--json"), QStringLiteral("replay"), demo::validWebhookId,
                             QStringLiteral("--from"), replayTime(now.addSecs(-7200)), QStringLiteral("--to"),
                             replayTime(now.addSecs(-3600))});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY(!run.json().value(QStringLiteral("job_id")).toString().isEmpty());
        const testing::ReplayTraffic traffic = testing::replayTraffic(m_server->journal());
        QCOMPARE(traffic.current, 1);
        QCOMPARE(traffic.retired, 0);

        // A window the rules refuse is refused before sending, with the rule in the message.
        m_server->clearJournal();
        const Run tooRecent = cli({QStringLiteral("replay"), demo::validWebhookId, QStringLiteral("--from"),
                                   replayTime(now.addSecs(-20 * 60)), QStringLiteral("--to"),
                                   replayTime(now.addSecs(-5 * 60))});
        QVERIFY2(tooRecent.exitCode == 2, qPrintable(tooRecent.describe()));
        QVERIFY2(tooRecent.err.contains("31 minutes"), qPrintable(tooRecent.describe()));
        // Nothing sent by the CLI; the first replay job may still be delivering its events to the
        // demo receiver (POST /sandbox/receiver/...), which the journal records too.
        for (const auto &entry : m_server->journal().entries())
            QVERIFY2(entry.path.startsWith(QStringLiteral("/sandbox/receiver/")), qPrintable(entry.path));
    }

    void shouldStateTheCurrentReplayRulesInHelp()
    {
        const Run run = cli({QStringLiteral("replay"), QStringLiteral("--help")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        for (const char *needle : {"POST /2/webhooks/replay", "24 hours", "31 minutes", "10 minutes",
                                   "end minute is not", "5 days", "spec 2.167"})
            QVERIFY2(run.out.contains(needle), qPrintable(run.describe()));
        QVERIFY(!run.out.contains("webhooks-endpoint"));
    }

    void shouldRefuseALongV2UrlBeforeSending()
    {
        m_server->clearJournal();
        const QString url = QStringLiteral("https://hooks.example.com/") + QString(175, QLatin1Char('a'));
        QCOMPARE(url.size(), 201);
        const Run run = cli({QStringLiteral("webhooks"), QStringLiteral("register"), url});
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY2(run.err.contains("at most 200"), qPrintable(run.describe()));
        QVERIFY(m_server->journal().isEmpty());
    }

    void shouldExitWithOneWhenXDoesNotConfirmASubscription()
    {
        // 200 {"data":{"subscribed":false}} after a subscribe is not a success.
        m_server->faults().forNext(1, "POST",
                                   QStringLiteral("/2/account_activity/webhooks/*/subscriptions/all"),
                                   sandbox::Fault::answer(200, "{\"data\":{\"subscribed\":false}}"));
        const Run run = cli({QStringLiteral("--json"), QStringLiteral("subscriptions"), QStringLiteral("add"),
                             demo::validWebhookId});
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        QCOMPARE(
            run.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("kind")).toString(),
            QStringLiteral("not_confirmed"));
        QVERIFY2(run.err.contains("not subscribed"), qPrintable(run.describe()));
    }

    void shouldWarnAboutErrorsNextToASuccess()
    {
        // 200 with data and errors[]: the change stands (exit 0), the errors are shown.
        m_server->faults().forNext(
            1, "POST", QStringLiteral("/2/account_activity/webhooks/*/subscriptions/all"),
            sandbox::Fault::answer(
                200,
                "{\"data\":{\"subscribed\":true},\"errors\":[{\"title\":\"Not Found "
                "Error\",\"type\":\"https://api.x.com/2/problems/resource-not-found\",\"detail\":\"Could not "
                "find user with id: [42].\",\"resource_type\":\"user\",\"resource_id\":\"42\"}]}"));
        QTemporaryDir data;
        QProcessEnvironment env = demoEnvironment();
        env.insert(QStringLiteral("ACTIVITY_HISTORY_FILE"), data.filePath(QStringLiteral("history.sqlite")));
        const Run run =
            cli({QStringLiteral("subscriptions"), QStringLiteral("add"), demo::validWebhookId}, env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(run.err.contains("warning: X answered with success but also reported"),
                 qPrintable(run.describe()));
        QVERIFY2(run.err.contains("user 42"), qPrintable(run.describe()));
        // The history says "partly", with what X reported.
        const Run history = cli({QStringLiteral("--json"), QStringLiteral("history")}, env);
        QVERIFY2(history.exitCode == 0, qPrintable(history.describe()));
        const QJsonObject entry = history.json().value(QStringLiteral("entries")).toArray().at(0).toObject();
        QCOMPARE(entry.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QVERIFY2(entry.value(QStringLiteral("summary")).toString().contains(QLatin1String("partly")),
                 qPrintable(history.describe()));
        QVERIFY2(entry.value(QStringLiteral("problems"))
                     .toObject()
                     .value(QStringLiteral("cause"))
                     .toString()
                     .contains(QLatin1String("user 42")),
                 qPrintable(history.describe()));
    }

    void shouldExitWithTheRightCodeForEveryProblemType_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("kind");
        const QString x = QStringLiteral("https://api.x.com/2/problems/");
        const QString twitter = QStringLiteral("https://api.twitter.com/2/problems/");
        QTest::newRow("resource-not-found") << 404 << x + QStringLiteral("resource-not-found") << "not_found";
        QTest::newRow("invalid-request") << 400 << x + QStringLiteral("invalid-request") << "invalid_request";
        QTest::newRow("not-authorized-for-resource")
            << 403 << x + QStringLiteral("not-authorized-for-resource") << "permission";
        QTest::newRow("not-authorized-for-field")
            << 403 << x + QStringLiteral("not-authorized-for-field") << "permission";
        QTest::newRow("field-unauthorized")
            << 403 << x + QStringLiteral("field-unauthorized") << "permission";
        QTest::newRow("field-hydration-failure")
            << 500 << x + QStringLiteral("field-hydration-failure") << "server";
        QTest::newRow("resource-unavailable")
            << 404 << x + QStringLiteral("resource-unavailable") << "not_found";
        QTest::newRow("disallowed-resource")
            << 403 << x + QStringLiteral("disallowed-resource") << "permission";
        QTest::newRow("internal-error") << 500 << x + QStringLiteral("internal-error") << "server";
        QTest::newRow("unsupported-authentication (old host)")
            << 403 << twitter + QStringLiteral("unsupported-authentication") << "authentication";
        QTest::newRow("usage-capped (old host)")
            << 429 << twitter + QStringLiteral("usage-capped") << "quota_exceeded";
        QTest::newRow("client-forbidden")
            << 403 << twitter + QStringLiteral("client-forbidden") << "permission";
        QTest::newRow("conflict") << 409 << twitter + QStringLiteral("conflict") << "conflict";
    }
    void shouldExitWithTheRightCodeForEveryProblemType()
    {
        QFETCH(int, status);
        QFETCH(QString, type);
        QFETCH(QString, kind);
        const QJsonObject problem {{QStringLiteral("type"), type},
                                   {QStringLiteral("title"), QStringLiteral("Problem")},
                                   {QStringLiteral("detail"), QStringLiteral("Something about it.")},
                                   {QStringLiteral("status"), status}};
        // A POST (sent once, never retried) meets the problem.
        m_server->faults().forNext(
            1, "POST", QStringLiteral("/2/account_activity/webhooks/*/subscriptions/all"),
            sandbox::Fault::answer(status, QJsonDocument(problem).toJson(QJsonDocument::Compact),
                                   "application/problem+json"));
        const Run run = cli({QStringLiteral("--json"), QStringLiteral("subscriptions"), QStringLiteral("add"),
                             demo::validWebhookId});
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        const QJsonObject error = run.json().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("kind")).toString(), kind);
        QVERIFY2(
            !error.value(QStringLiteral("cause")).toString().contains(QLatin1String("does not recognise")),
            qPrintable(run.describe()));
    }

    void shouldPrintTheCrcResponseToken()
    {
        const Run run = cli({QStringLiteral("crc"), QStringLiteral("challenge-123")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.trimmed(), crc::responseToken(demo::consumerSecret, "challenge-123"));
    }

    void shouldExitWithOneWhenTheApiRefuses()
    {
        const Run run = cli(
            {QStringLiteral("webhooks"), QStringLiteral("validate"), QStringLiteral("1999999999999999999")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.out.isEmpty());
        QVERIFY(run.err.contains("What to do:"));

        QProcessEnvironment wrong = demoEnvironment();
        wrong.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QStringLiteral("not-the-secret"));
        const Run unauthenticated =
            cli({QStringLiteral("--api"), QStringLiteral("v1.1"), QStringLiteral("webhooks"),
                 QStringLiteral("register"), m_server->demoReceiverUrl()},
                wrong);
        QCOMPARE(unauthenticated.exitCode, 1);
        QVERIFY(!unauthenticated.err.contains("not-the-secret"));
    }

    void shouldExitWithTwoOnUsageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("no command") << QStringList {};
        QTest::newRow("unknown command") << QStringList {QStringLiteral("frobnicate")};
        QTest::newRow("missing subcommand") << QStringList {QStringLiteral("webhooks")};
        QTest::newRow("missing argument")
            << QStringList {QStringLiteral("webhooks"), QStringLiteral("validate")};
        QTest::newRow("unknown option")
            << QStringList {QStringLiteral("webhooks"), QStringLiteral("list"), QStringLiteral("--frob")};
        QTest::newRow("bad api") << QStringList {QStringLiteral("--api"), QStringLiteral("v3"),
                                                 QStringLiteral("webhooks"), QStringLiteral("list")};
        QTest::newRow("bad id") << QStringList {QStringLiteral("webhooks"), QStringLiteral("validate"),
                                                QStringLiteral("12ab")};
        QTest::newRow("bad url") << QStringList {QStringLiteral("webhooks"), QStringLiteral("register"),
                                                 QStringLiteral("ftp://x.example/h")};
        QTest::newRow("replay without dates") << QStringList {QStringLiteral("replay"), demo::validWebhookId};
        QTest::newRow("bad replay date") << QStringList {
            QStringLiteral("replay"),    demo::validWebhookId,   QStringLiteral("--from"),
            QStringLiteral("yesterday"), QStringLiteral("--to"), QStringLiteral("202501010000")};
        QTest::newRow("retired --webhooks-endpoint switch")
            << QStringList {QStringLiteral("replay"),
                            demo::validWebhookId,
                            QStringLiteral("--webhooks-endpoint"),
                            QStringLiteral("--from"),
                            QStringLiteral("202501010000"),
                            QStringLiteral("--to"),
                            QStringLiteral("202501010100")};
        QTest::newRow("plain http base url")
            << QStringList {QStringLiteral("--base-url"), QStringLiteral("http://api.x.com"),
                            QStringLiteral("webhooks"), QStringLiteral("list")};
    }
    void shouldExitWithTwoOnUsageErrors()
    {
        QFETCH(QStringList, arguments);
        m_server->clearJournal();
        const bool ownBase = arguments.contains(QStringLiteral("--base-url"));
        const Run run = cli(arguments, demoEnvironment(), !ownBase);
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY(!run.err.isEmpty());
        QVERIFY(m_server->journal().isEmpty()); // nothing was sent
    }

    // The sandbox's demo credentials over plain http: only with the person's explicit word, and only
    // to an address (a name such as localhost is whatever the resolver makes of it).
    void shouldSendOverPlainHttpOnlyWhenAllowedAndOnlyToALoopbackAddress()
    {
        m_server->clearJournal();
        const QString port = QString::number(m_server->port());
        const QStringList list {QStringLiteral("webhooks"), QStringLiteral("list")};
        const Run refused = cli(QStringList {QStringLiteral("--base-url=http://127.0.0.1:") + port} + list,
                                demoEnvironment(), false);
        QVERIFY2(refused.exitCode == 2, qPrintable(refused.describe()));
        QVERIFY2(refused.err.contains("--allow-insecure-loopback"), qPrintable(refused.describe()));
        const Run byName = cli(QStringList {QStringLiteral("--base-url=http://localhost:") + port,
                                            QStringLiteral("--allow-insecure-loopback")} +
                                   list,
                               demoEnvironment(), false);
        QVERIFY2(byName.exitCode == 2, qPrintable(byName.describe()));
        QVERIFY(m_server->journal().isEmpty()); // nothing was sent
        const Run allowed = cli(QStringList {QStringLiteral("--base-url=http://127.0.0.1:") + port,
                                             QStringLiteral("--allow-insecure-loopback")} +
                                    list,
                                demoEnvironment(), false);
        QVERIFY2(allowed.exitCode == 0, qPrintable(allowed.describe()));
    }

    void shouldExitWithThreeOnNetworkErrors()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        const Run run =
            cli({QStringLiteral("--base-url"), QStringLiteral("http://127.0.0.1:%1").arg(closedPort),
                 QStringLiteral("--allow-insecure-loopback"), QStringLiteral("--json"),
                 QStringLiteral("subscriptions"), QStringLiteral("count")},
                demoEnvironment(), false);
        QVERIFY2(run.exitCode == 3, qPrintable(run.describe()));
        QCOMPARE(
            run.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("kind")).toString(),
            QStringLiteral("network"));
    }

    void shouldExitWithFourWithoutCredentials()
    {
        QProcessEnvironment empty = demoEnvironment();
        for (const QString &key : empty.keys()) {
            if (key.startsWith(QLatin1String("ACTIVITY_")))
                empty.remove(key);
        }
        m_server->clearJournal();
        const Run list = cli({QStringLiteral("webhooks"), QStringLiteral("list")}, empty);
        QCOMPARE(list.exitCode, 4);
        QVERIFY(list.err.contains("ACTIVITY_BEARER_TOKEN"));

        const Run add = cli({QStringLiteral("subscriptions"), QStringLiteral("add"), demo::validWebhookId},
                            demoEnvironment(false));
        QCOMPARE(add.exitCode, 4);
        QVERIFY(add.err.contains("ACTIVITY_USER_TOKEN"));

        const Run owner = cli({QStringLiteral("--api"), QStringLiteral("v1.1"), QStringLiteral("webhooks"),
                               QStringLiteral("delete"), demo::validWebhookId, QStringLiteral("--yes")},
                              empty);
        QCOMPARE(owner.exitCode, 4);
        QVERIFY(owner.err.contains("ACTIVITY_ACCESS_TOKEN"));

        const Run crc = cli({QStringLiteral("crc"), QStringLiteral("x")}, empty);
        QCOMPARE(crc.exitCode, 4);

        const Run profile = cli({QStringLiteral("--profile"), QStringLiteral("work"),
                                 QStringLiteral("webhooks"), QStringLiteral("list")});
        QCOMPARE(profile.exitCode, 4);
        QVERIFY(profile.err.contains("no stored profile named 'work'"));
        QVERIFY(m_server->journal().isEmpty());
    }

    void shouldFindStoredProfilesInTheConsoleSettings()
    {
        // The console's settings file in the child's XDG_CONFIG_HOME (no keychain is touched here).
        QSettings settings(m_config.filePath(QStringLiteral(ACTIVITY_SETTINGS_FILE)), QSettings::IniFormat);
        SecretStore secrets(QStringLiteral("activity-cli-test-unused"));
        ProfileStore store(&settings, &secrets);
        Profile profile;
        profile.name = QStringLiteral("Staging");
        profile.baseUrl = m_server->baseUrl().toString();
        profile.consumerKey = QString::fromLatin1(demo::consumerKey);
        store.saveProfile(profile);
        settings.sync();

        const Run unknown = cli({QStringLiteral("--profile"), QStringLiteral("Production"),
                                 QStringLiteral("webhooks"), QStringLiteral("list")});
        QCOMPARE(unknown.exitCode, 4);
        QVERIFY2(unknown.err.contains("Stored profiles: Staging"), qPrintable(unknown.describe()));
    }

    void shouldKeepSecretsOutOfVerboseOutput()
    {
        const QStringList verbose {QStringLiteral("--verbose")};
        QList<Run> runs;
        runs.append(cli(verbose + QStringList {QStringLiteral("webhooks"), QStringLiteral("list")}));
        runs.append(
            cli(verbose +
                QStringList {QStringLiteral("--api"), QStringLiteral("v1.1"), QStringLiteral("webhooks"),
                             QStringLiteral("register"), m_server->demoReceiverUrl(QStringLiteral("v"))}));
        runs.append(
            cli(verbose +
                QStringList {QStringLiteral("subscriptions"), QStringLiteral("add"), demo::validWebhookId}));
        runs.append(
            cli(verbose +
                QStringList {QStringLiteral("--api"), QStringLiteral("v1.1"), QStringLiteral("subscriptions"),
                             QStringLiteral("check"), demo::validWebhookId}));
        runs.append(cli(verbose +
                        QStringList {QStringLiteral("webhooks"), QStringLiteral("validate"),
                                     QStringLiteral("1999999999999999999")}));
        for (const Run &run : std::as_const(runs)) {
            verifyNoSecrets(run);
            QVERIFY2(run.err.contains("as curl: curl"), qPrintable(run.describe()));
            QVERIFY(run.err.contains("[redacted]"));
        }
        // The bearer token fetched with oauth2/token is shown redacted, never in clear.
        QVERIFY(runs.first().err.contains("oauth2/token"));
    }

    // A server (or a tested webhook) that answers with terminal escape sequences: ESC, CSI as one
    // C1 character, OSC with BEL, a carriage return. activity-cli prints what it says, but none of
    // the control characters reach the terminal; the words around them do.
    void shouldNotPassTerminalEscapesFromServersToTheTerminal()
    {
        const QString esc = QStringLiteral("\x1b");
        const QString hostile = esc + QStringLiteral("[2J") + esc + QStringLiteral("]0;owned") + QChar(0x07) +
            QChar(0x9b) + QStringLiteral("31mRED") + QChar(u'\r') + QStringLiteral("over");
        QHttpServer server;
        server.route(QStringLiteral("/2/webhooks"), QHttpServerRequest::Method::Get, [&] {
            const QJsonObject hook {
                {QStringLiteral("id"), QStringLiteral("1500000000000000001")},
                {QStringLiteral("url"), QString(QStringLiteral("https://hooks.example/a") + hostile)},
                {QStringLiteral("valid"), true},
                {QStringLiteral("created_at"), QStringLiteral("2024-01-02T03:04:05.000Z")}};
            return QHttpServerResponse(QJsonObject {{QStringLiteral("data"), QJsonArray {hook}}});
        });
        // Not JSON at all: the raw bytes, for --verbose and for the error's server message.
        server.route(QStringLiteral("/2/account_activity/subscriptions/count"),
                     QHttpServerRequest::Method::Get, [&] {
                         return QHttpServerResponse(QByteArrayLiteral("text/plain"),
                                                    QByteArrayLiteral("Bad gateway ") + hostile.toUtf8(),
                                                    QHttpServerResponder::StatusCode::BadGateway);
                     });
        // A webhook whose CRC answer carries them inside the token.
        server.route(QStringLiteral("/hook"), QHttpServerRequest::Method::Get, [&] {
            return QHttpServerResponse(QJsonObject {
                {QStringLiteral("response_token"), QString(QStringLiteral("sha256=") + hostile)}});
        });
        const quint16 port = server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port != 0);
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);

        QProcessEnvironment env = demoEnvironment();
        env.insert(QStringLiteral("ACTIVITY_BEARER_TOKEN"), QStringLiteral("plain-test-bearer"));
        const QList<QStringList> runs {
            {QStringLiteral("webhooks"), QStringLiteral("list")},
            {QStringLiteral("--verbose"), QStringLiteral("webhooks"), QStringLiteral("list")},
            {QStringLiteral("--json"), QStringLiteral("webhooks"), QStringLiteral("list")},
            {QStringLiteral("--verbose"), QStringLiteral("subscriptions"), QStringLiteral("count")},
            {QStringLiteral("crc"), QStringLiteral("test"), base + QStringLiteral("/hook")},
        };
        for (const QStringList &arguments : runs) {
            const Run run = cli(QStringList {QStringLiteral("--base-url=") + base,
                                             QStringLiteral("--allow-insecure-loopback")} +
                                    arguments,
                                env, false);
            QVERIFY2(run.exitCode >= 0, qPrintable(run.describe()));
            const QByteArray all = run.out + run.err;
            QVERIFY2(all.contains("RED") && all.contains("over"), qPrintable(run.describe()));
            for (const QByteArray &control :
                 {QByteArray("\x1b"), QByteArray("\x07"), QByteArray("\r"), QByteArray("\xc2\x9b")})
                QVERIFY2(!all.contains(control),
                         qPrintable(arguments.join(QLatin1Char(' ')) +
                                    QStringLiteral(": a control character got through")));
        }
        // --json keeps the data: the characters are there, escaped, for a program to read.
        const Run json =
            cli({QStringLiteral("--base-url=") + base, QStringLiteral("--allow-insecure-loopback"),
                 QStringLiteral("--json"), QStringLiteral("webhooks"), QStringLiteral("list")},
                env, false);
        const QString url = json.json()
                                .value(QStringLiteral("webhooks"))
                                .toArray()
                                .at(0)
                                .toObject()
                                .value(QStringLiteral("url"))
                                .toString();
        QCOMPARE(url, QStringLiteral("https://hooks.example/a") + hostile);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
