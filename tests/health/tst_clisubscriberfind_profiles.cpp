// activity-cli subscriptions find --all-profiles (#17) with the real keychain (the private, unlocked
// Secret Service of tools/run-tests): two profiles stored with `profiles add` (their secrets in the
// keychain), both apps on an in-process sandbox on 127.0.0.1, are each listed, and the answer names
// the profile of every webhook that lists the user.
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "SecretStore.h"
#include "TestEnvironment.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

#include <memory>

using namespace activity;
namespace demo = activity::sandbox::demo;
using clitest::Run;

class TestCliSubscriberFindProfiles : public QObject
{
    Q_OBJECT

    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<QTemporaryDir> m_config;
    QTemporaryDir m_data;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = clitest::cleanEnvironment(m_config->path());
        env.insert(QStringLiteral("ACTIVITY_SUBSCRIBERS_DIR"),
                   m_data.filePath(QStringLiteral("subscribers")));
        env.insert(QStringLiteral("ACTIVITY_HISTORY_FILE"),
                   m_data.filePath(QStringLiteral("history.sqlite")));
        return env;
    }

    Run addProfile(const QString &name, const QString &baseUrl = {})
    {
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QString::fromLatin1(demo::consumerSecret));
        env.insert(QStringLiteral("ACTIVITY_ACCESS_TOKEN"), QString::fromLatin1(demo::ownerToken));
        env.insert(QStringLiteral("ACTIVITY_ACCESS_TOKEN_SECRET"),
                   QString::fromLatin1(demo::ownerTokenSecret));
        env.insert(QStringLiteral("ACTIVITY_BEARER_TOKEN"), QString::fromLatin1(demo::bearerToken));
        return clitest::runCli({QStringLiteral("--allow-insecure-loopback"), QStringLiteral("profiles"),
                                QStringLiteral("add"), name, QStringLiteral("--api"), QStringLiteral("v2"),
                                QStringLiteral("--base-url"),
                                baseUrl.isEmpty() ? m_server->baseUrl().toString() : baseUrl,
                                QStringLiteral("--consumer-key"), QString::fromLatin1(demo::consumerKey)},
                               env);
    }

private Q_SLOTS:
    void initTestCase()
    {
        SecretStore probe;
        const QString key = QStringLiteral("tst_clisubscriberfind_profiles/probe");
        QSignalSpy written(probe.write(key, "probe"), &SecretJob::finished);
        QVERIFY(written.wait(10000));
        if (!written.first().first().value<SecretJob *>()->ok())
            ACTIVITY_SKIP_UNLESS_PROVIDED(QStringLiteral("No usable keychain for stored profiles."));
        QSignalSpy removed(probe.remove(key), &SecretJob::finished);
        QVERIFY(removed.wait(10000));
    }

    void init()
    {
        m_config = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
    }

    void cleanup()
    {
        for (const QString &name :
             {QStringLiteral("Production"), QStringLiteral("Staging"), QStringLiteral("Unreachable")})
            clitest::runCli(
                {QStringLiteral("profiles"), QStringLiteral("remove"), name, QStringLiteral("--yes")},
                environment());
        m_server.reset();
    }

    void findsTheUserInEveryStoredProfile()
    {
        for (const QString &name : {QStringLiteral("Production"), QStringLiteral("Staging")}) {
            const Run added = addProfile(name);
            QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        }
        const Run run = clitest::runCli({QStringLiteral("subscriptions"), QStringLiteral("find"),
                                         QStringLiteral("@alice"), QStringLiteral("--all-profiles"),
                                         QStringLiteral("--json")},
                                        environment());
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QJsonObject document = run.json();
        QCOMPARE(document.value(QStringLiteral("subscribed")).toBool(), true);
        QStringList searched;
        for (const QJsonValue &profile : document.value(QStringLiteral("profiles_searched")).toArray())
            searched.append(profile.toString());
        searched.sort();
        QCOMPARE(searched, (QStringList {QStringLiteral("Production"), QStringLiteral("Staging")}));
        QCOMPARE(document.value(QStringLiteral("webhooks_searched")).toInt(), 4);
        QStringList found;
        for (const QJsonValue &hit : document.value(QStringLiteral("found")).toArray())
            found.append(hit.toObject().value(QStringLiteral("profile")).toString() + QLatin1Char('/') +
                         hit.toObject().value(QStringLiteral("webhook_id")).toString());
        found.sort();
        QCOMPARE(found,
                 (QStringList {QStringLiteral("Production/") + demo::validWebhookId,
                               QStringLiteral("Staging/") + demo::validWebhookId}));
        // Nothing secret in what it printed.
        for (const QByteArray &secret : {demo::consumerSecret, demo::ownerTokenSecret, demo::bearerToken})
            QVERIFY(!run.out.contains(secret) && !run.err.contains(secret));
    }

    // A profile whose webhooks cannot be listed (nothing answers at its address) is named, and the
    // other still answers.
    void namesAProfileItCannotSearchAndAnswersForTheOther()
    {
        Run added = addProfile(QStringLiteral("Staging"));
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        added = addProfile(QStringLiteral("Unreachable"), QStringLiteral("http://127.0.0.1:1"));
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        const Run run =
            clitest::runCli({QStringLiteral("subscriptions"), QStringLiteral("find"), demo::alice.id,
                             QStringLiteral("--all-profiles"), QStringLiteral("--json")},
                            environment());
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(run.err.contains("Profile Unreachable not searched"), qPrintable(run.describe()));
        const QJsonObject document = run.json();
        QCOMPARE(document.value(QStringLiteral("subscribed")).toBool(), true);
        QCOMPARE(document.value(QStringLiteral("profiles_searched")).toArray(),
                 QJsonArray {QStringLiteral("Staging")});
        const QJsonArray failed = document.value(QStringLiteral("profiles_failed")).toArray();
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().toObject().value(QStringLiteral("profile")).toString(),
                 QStringLiteral("Unreachable"));
        QVERIFY(!failed.first().toObject().value(QStringLiteral("remedy")).toString().isEmpty());
    }

    void saysWhenNoProfileIsStored()
    {
        const Run run = clitest::runCli({QStringLiteral("subscriptions"), QStringLiteral("find"),
                                         demo::alice.id, QStringLiteral("--all-profiles")},
                                        environment());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("No profile is stored"), qPrintable(run.describe()));
    }
};

QTEST_GUILESS_MAIN(TestCliSubscriberFindProfiles)
#include "tst_clisubscriberfind_profiles.moc"
