// activity-cli activity types|list|add|update|remove (the X Activity API) against an in-process
// SandboxServer on 127.0.0.1: every command, --json, the checks before sending with their exit
// codes, public types with the app's Bearer token and private ones with a user's OAuth 2.0 token,
// @names looked up, every page listed, deletes in batches of 100, and the history entries.
#include "ActivityEventTypes.h"
#include "HistoryStore.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

#include <memory>

using namespace activity;
namespace demo = activity::sandbox::demo;

using clitest::Run;

class TestCliActivity : public QObject
{
    Q_OBJECT

    std::unique_ptr<sandbox::SandboxServer> m_server;
    QTemporaryDir m_config;
    QTemporaryDir m_data;

    QString historyFile() const { return m_data.filePath(QStringLiteral("history.sqlite")); }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = clitest::cleanEnvironment(m_config.path());
        clitest::addDemoCredentials(env, nullptr);
        env.insert(QStringLiteral("ACTIVITY_HISTORY_FILE"), historyFile());
        return env;
    }

    // The environment of a user signed in with OAuth 2.0 and these scopes.
    QProcessEnvironment signedIn(const demo::User &user, const QStringList &scopes) const
    {
        QProcessEnvironment env = environment();
        const sandbox::IssuedOAuth2Token token = m_server->issueOAuth2Token(user.id, scopes);
        env.insert(QStringLiteral("ACTIVITY_OAUTH2_USER_TOKEN"), QString::fromLatin1(token.accessToken));
        env.insert(QStringLiteral("ACTIVITY_OAUTH2_SCOPES"), scopes.join(QLatin1Char(' ')));
        return env;
    }

    Run cli(const QStringList &arguments, const QProcessEnvironment &env, const clitest::Input &input = {})
    {
        return clitest::runCli(QStringList {QStringLiteral("--base-url=") + m_server->baseUrl().toString(),
                                            QStringLiteral("--allow-insecure-loopback")} +
                                   arguments,
                               env, input);
    }
    Run cli(const QStringList &arguments) { return cli(arguments, environment()); }

    static QJsonObject json(const Run &run) { return QJsonDocument::fromJson(run.out).object(); }

    QStringList serverIds() const
    {
        QStringList ids;
        for (const ActivitySubscription &subscription : m_server->activitySubscriptions())
            ids.append(subscription.id);
        return ids;
    }

    std::optional<ActivitySubscription> newest() const
    {
        const QList<ActivitySubscription> all = m_server->activitySubscriptions();
        return all.isEmpty() ? std::nullopt : std::optional<ActivitySubscription>(all.constLast());
    }

private Q_SLOTS:
    void init()
    {
        QFile::remove(historyFile());
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
    }

    void cleanup() { m_server.reset(); }

    void shouldListEveryEventTypeWithItsRules()
    {
        const Run text = cli({QStringLiteral("activity"), QStringLiteral("types")});
        QVERIFY2(text.exitCode == 0, qPrintable(text.describe()));
        for (const xaa::EventType &type : xaa::eventTypes())
            QVERIFY2(text.out.contains(type.name.toUtf8()), qPrintable(type.name));
        QVERIFY(text.out.contains("ProfileBioUpdate -> profile.update.bio"));
        QVERIFY(text.out.contains("chat.conversation_join -> chat.conversation.join"));

        const Run run = cli({QStringLiteral("activity"), QStringLiteral("types"), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        const QJsonArray types = json(run).value(QStringLiteral("event_types")).toArray();
        QCOMPARE(types.size(), xaa::eventTypes().size());
        QCOMPARE(types.size(), 42);
        const auto find = [&types](const QString &name) {
            for (const QJsonValue &type : types) {
                if (type[QStringLiteral("name")].toString() == name)
                    return type.toObject();
            }
            return QJsonObject();
        };
        const QJsonObject like = find(QStringLiteral("like.create"));
        QCOMPARE(like[QStringLiteral("scope")].toString(), QStringLiteral("like.read"));
        QCOMPARE(like[QStringLiteral("filters")].toArray(),
                 (QJsonArray {QStringLiteral("user_id"), QStringLiteral("direction")}));
        QVERIFY(like[QStringLiteral("needs_user_token")].toBool());
        const QJsonObject mute = find(QStringLiteral("mute.mute"));
        QVERIFY(mute[QStringLiteral("actor_only")].toBool());
        QCOMPARE(find(QStringLiteral("news.new"))[QStringLiteral("filters")].toArray(),
                 (QJsonArray {QStringLiteral("keyword")}));
        QVERIFY(!find(QStringLiteral("profile.update.bio"))[QStringLiteral("needs_user_token")].toBool());
    }

    void shouldListEveryPageWithTheQuota()
    {
        m_server->addActivitySubscriptions(2500, demo::validWebhookId);
        const Run run = cli({QStringLiteral("activity"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QJsonObject document = json(run);
        QStringList listed;
        for (const QJsonValue &subscription : document.value(QStringLiteral("subscriptions")).toArray())
            listed.append(subscription[QStringLiteral("subscription_id")].toString());
        QCOMPARE(listed, serverIds());
        const QJsonObject quota = document.value(QStringLiteral("quota")).toObject();
        QCOMPARE(quota[QStringLiteral("used")].toInteger(), 2503);
        QCOMPARE(quota[QStringLiteral("limit")].toInteger(), 75000);

        const Run selfServe = cli({QStringLiteral("activity"), QStringLiteral("list"),
                                   QStringLiteral("--tier"), QStringLiteral("self-serve")});
        QVERIFY2(selfServe.exitCode == 0, qPrintable(selfServe.describe()));
        QVERIFY2(selfServe.out.contains("2,503 of 1,500"), qPrintable(selfServe.describe()));
    }

    void shouldShowNamesWithResolve()
    {
        const Run run =
            cli({QStringLiteral("activity"), QStringLiteral("list"), QStringLiteral("--resolve")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(run.out.contains("@alice"), qPrintable(run.describe()));
        QVERIFY(run.out.contains("@bob"));
        QVERIFY(run.out.contains("stream only"));
    }

    void shouldCreateAPublicSubscriptionForAnAtName()
    {
        const Run run = cli({QStringLiteral("activity"), QStringLiteral("add"),
                             QStringLiteral("ProfileBioUpdate"), QStringLiteral("--user"),
                             QStringLiteral("@Carol"), QStringLiteral("--tag"), QStringLiteral("carol's bio"),
                             QStringLiteral("--webhook"), demo::validWebhookId, QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const std::optional<ActivitySubscription> created = newest();
        QVERIFY(created);
        QCOMPARE(created->eventType, QStringLiteral("profile.update.bio")); // sent as the current name
        QCOMPARE(created->filter.userId, demo::carol.id);
        QCOMPARE(created->tag, QStringLiteral("carol's bio"));
        QCOMPARE(created->webhookId, demo::validWebhookId);
        const QJsonObject subscription = json(run).value(QStringLiteral("subscription")).toObject();
        QCOMPARE(subscription[QStringLiteral("subscription_id")].toString(), created->id);

        // Recorded in the history, with what was asked.
        HistoryStore history(historyFile());
        const QList<HistoryEntry> entries = history.entries();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().operationKey,
                 HistoryStore::operationKey(Operation::CreateActivitySubscription));
        QCOMPARE(entries.first().state, HistoryState::Succeeded);
    }

    void shouldCreateForANumericIdWithoutALookup()
    {
        const Run run = cli({QStringLiteral("activity"), QStringLiteral("add"), QStringLiteral("post.create"),
                             QStringLiteral("--user"), QStringLiteral("2244994945")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY(run.out.contains("the stream only"));
        QCOMPARE(newest()->filter.userId, QStringLiteral("2244994945"));
    }

    void shouldCreateAPrivateSubscriptionWithTheUsersOAuth2Token()
    {
        const QProcessEnvironment env = signedIn(
            demo::alice,
            {QStringLiteral("like.read"), QStringLiteral("tweet.read"), QStringLiteral("users.read")});
        const Run run = cli({QStringLiteral("activity"), QStringLiteral("add"), QStringLiteral("like.create"),
                             QStringLiteral("--user"), QStringLiteral("@alice"),
                             QStringLiteral("--direction"), QStringLiteral("outbound")},
                            env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(newest()->eventType, QStringLiteral("like.create"));
        QCOMPARE(newest()->filter.userId, demo::alice.id);
        QCOMPARE(newest()->filter.direction, QStringLiteral("outbound"));
    }

    void shouldWatchTheSignedInUserForMuteAndBlock()
    {
        const QProcessEnvironment env = signedIn(
            demo::alice,
            {QStringLiteral("mute.read"), QStringLiteral("tweet.read"), QStringLiteral("users.read")});
        const Run run =
            cli({QStringLiteral("activity"), QStringLiteral("add"), QStringLiteral("mute.mute")}, env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(newest()->eventType, QStringLiteral("mute.mute"));
        QCOMPARE(newest()->filter.userId, demo::alice.id); // from GET /2/users/me

        const Run other = cli({QStringLiteral("activity"), QStringLiteral("add"), QStringLiteral("mute.mute"),
                               QStringLiteral("--user"), demo::bob.id},
                              env);
        // Checked before sending: mute and block watch only the signed-in user.
        QCOMPARE(other.exitCode, 2);
        QVERIFY2(other.err.contains("mute"), qPrintable(other.describe()));
        QCOMPARE(m_server->activitySubscriptions().size(), 4);
    }

    void shouldRefuseBeforeSending_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<bool>("withUserToken");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("says");
        const QString add = QStringLiteral("add");
        QTest::newRow("unknown type")
            << QStringList {add, QStringLiteral("post.explode")} << false << 2 << QByteArray("post.explode");
        QTest::newRow("keyword on a profile type") << QStringList {add,
                                                                   QStringLiteral("profile.update.bio"),
                                                                   QStringLiteral("--user"),
                                                                   demo::alice.id,
                                                                   QStringLiteral("--keyword"),
                                                                   QStringLiteral("x")}
                                                   << false << 2 << QByteArray("keyword");
        QTest::newRow("keyword too long")
            << QStringList {add, QStringLiteral("news.new"), QStringLiteral("--keyword"),
                            QString(151, QLatin1Char('k'))}
            << false << 2 << QByteArray("150");
        QTest::newRow("tag too long") << QStringList {add,
                                                      QStringLiteral("post.create"),
                                                      QStringLiteral("--user"),
                                                      demo::alice.id,
                                                      QStringLiteral("--tag"),
                                                      QString(201, QLatin1Char('t'))}
                                      << false << 2 << QByteArray("200");
        QTest::newRow("bad direction")
            << QStringList {add, QStringLiteral("like.create"), QStringLiteral("--direction"),
                            QStringLiteral("sideways")}
            << false << 2 << QByteArray("inbound or outbound");
        QTest::newRow("bad webhook id") << QStringList {add,
                                                        QStringLiteral("post.create"),
                                                        QStringLiteral("--user"),
                                                        demo::alice.id,
                                                        QStringLiteral("--webhook"),
                                                        QStringLiteral("hook-1")}
                                        << false << 2 << QByteArray("webhook");
        QTest::newRow("private type without a user token")
            << QStringList {add, QStringLiteral("dm.received"), QStringLiteral("--user"), demo::alice.id}
            << false << 4 << QByteArray("dm.read");
        QTest::newRow("user token without the scope")
            << QStringList {add, QStringLiteral("like.create"), QStringLiteral("--user"), demo::alice.id}
            << true << 4 << QByteArray("like.read");
        QTest::newRow("nothing to update") << QStringList {QStringLiteral("update"), QStringLiteral("1")}
                                           << false << 2 << QByteArray("--tag");
        QTest::newRow("bad id to remove")
            << QStringList {QStringLiteral("remove"), QStringLiteral("abc"), QStringLiteral("--yes")} << false
            << 2 << QByteArray("subscription id");
    }
    void shouldRefuseBeforeSending()
    {
        QFETCH(QStringList, arguments);
        QFETCH(bool, withUserToken);
        QFETCH(int, exitCode);
        QFETCH(QByteArray, says);
        const QProcessEnvironment env = withUserToken
            ? signedIn(demo::alice, {QStringLiteral("tweet.read"), QStringLiteral("users.read")})
            : environment();
        const int before = int(m_server->activitySubscriptions().size());
        const Run run = cli(QStringList {QStringLiteral("activity")} + arguments, env);
        QVERIFY2(run.exitCode == exitCode, qPrintable(run.describe()));
        QVERIFY2(run.err.contains(says), qPrintable(run.describe()));
        QCOMPARE(int(m_server->activitySubscriptions().size()), before);
        for (const sandbox::JournalEntry &entry : m_server->journal().entries())
            QVERIFY2(!entry.path.startsWith(QLatin1String("/2/activity/subscriptions")) ||
                         entry.method == "GET",
                     qPrintable(entry.path));
    }

    void shouldSayWhenAnAtNameIsUnknown()
    {
        const Run run = cli({QStringLiteral("activity"), QStringLiteral("add"), QStringLiteral("post.create"),
                             QStringLiteral("--user"), QStringLiteral("@nobody_here")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("@nobody_here"), qPrintable(run.describe()));
    }

    void shouldPassOnWhatXRefuses()
    {
        // A duplicate of a seeded subscription: X's 409 and its detail.
        const ActivitySubscription seeded = m_server->activitySubscriptions().constFirst();
        QStringList arguments {QStringLiteral("activity"), QStringLiteral("add"), seeded.eventType,
                               QStringLiteral("--user"), seeded.filter.userId};
        if (!seeded.tag.isEmpty())
            arguments << QStringLiteral("--tag") << seeded.tag;
        if (!seeded.webhookId.isEmpty())
            arguments << QStringLiteral("--webhook") << seeded.webhookId;
        const Run run = cli(arguments);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(!run.err.isEmpty(), qPrintable(run.describe()));
    }

    void shouldUpdateTheTagAndWebhook()
    {
        const ActivitySubscription seeded = m_server->activitySubscriptions().constFirst();
        const Run run = cli({QStringLiteral("activity"), QStringLiteral("update"), seeded.id,
                             QStringLiteral("--tag"), QStringLiteral("renamed")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY(run.out.contains("renamed"));
        QCOMPARE(m_server->activitySubscription(seeded.id)->tag, QStringLiteral("renamed"));

        const Run missing =
            cli({QStringLiteral("activity"), QStringLiteral("update"), QStringLiteral("1999999999999999999"),
                 QStringLiteral("--tag"), QStringLiteral("x")});
        QCOMPARE(missing.exitCode, 1);
    }

    void shouldRemoveInBatchesAfterConfirmation()
    {
        m_server->addActivitySubscriptions(230);
        const QStringList ids = serverIds().mid(3);

        // Not a terminal and no --yes: nothing happens.
        const Run refused = cli(QStringList {QStringLiteral("activity"), QStringLiteral("remove")} + ids);
        QCOMPARE(refused.exitCode, 2);
        QCOMPARE(serverIds().size(), 233);

        // At a terminal the count must be typed.
        const Run typed =
            cli(QStringList {QStringLiteral("activity"), QStringLiteral("remove")} + ids.mid(0, 5),
                environment(), clitest::Input {"5\n", true});
        QVERIFY2(typed.exitCode == 0, qPrintable(typed.describe()));
        QCOMPARE(serverIds().size(), 228);

        const QStringList rest = ids.mid(5) + QStringList {QStringLiteral("1999999999999999999")};
        const Run run = cli(QStringList {QStringLiteral("activity"), QStringLiteral("remove"),
                                         QStringLiteral("--yes"), QStringLiteral("--json")} +
                            rest);
        QCOMPARE(run.exitCode, 1); // one id was not deleted
        const QJsonObject document = json(run);
        QCOMPARE(document.value(QStringLiteral("deleted")).toArray().size(), 225);
        const QJsonArray failed = document.value(QStringLiteral("failed")).toArray();
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first()[QStringLiteral("subscription_id")].toString(),
                 QStringLiteral("1999999999999999999"));
        QCOMPARE(serverIds().size(), 3);

        // One history entry per batch of 100: 1 + 3.
        HistoryStore history(historyFile());
        QCOMPARE(history.entries().size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestCliActivity)
#include "tst_cliactivity.moc"
