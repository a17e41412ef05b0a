// activity-cli and the shared history: run in this process (and, where the process's exit matters,
// as the real executable) against an in-process SandboxServer, it records its write actions (successes and
// failures) in the database ACTIVITY_HISTORY_FILE names, and `activity-cli history` prints them as a table or
// one JSON document, filtered and limited.
#include "HistoryStore.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

#include <memory>

using namespace activity;
namespace demo = activity::sandbox::demo;

using clitest::Run;

class TestCliHistory : public QObject
{
    Q_OBJECT

    std::unique_ptr<sandbox::SandboxServer> m_server;
    QTemporaryDir m_dir;
    QString m_database;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = clitest::cleanEnvironment(m_dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("ACTIVITY_HISTORY_FILE"), m_database);
        clitest::addDemoCredentials(env, &demo::bob);
        return env;
    }

    QStringList withSandbox(const QStringList &arguments) const
    {
        return QStringList {QStringLiteral("--base-url=") + m_server->baseUrl().toString(),
                            QStringLiteral("--allow-insecure-loopback")} +
            arguments;
    }

    Run cli(const QStringList &arguments, const QProcessEnvironment &env)
    {
        return clitest::runCli(withSandbox(arguments), env);
    }

    // The real executable: its entries must be written before the process exits.
    Run cliProcess(const QStringList &arguments, const QProcessEnvironment &env)
    {
        return clitest::runCliProcess(withSandbox(arguments), env);
    }

    Run cli(const QStringList &arguments) { return cli(arguments, environment()); }

private Q_SLOTS:
    void init()
    {
        m_database = m_dir.filePath(
            QStringLiteral("%1/history.sqlite").arg(QString::fromLatin1(QTest::currentTestFunction())));
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
    }

    void cleanup() { m_server.reset(); }

    void shouldRecordTheCliWriteActionsWithTheirOutcome()
    {
        const QString url = m_server->demoReceiverUrl(QStringLiteral("clihistory"));
        const Run registered =
            cli({QStringLiteral("--json"), QStringLiteral("webhooks"), QStringLiteral("register"), url});
        QVERIFY2(registered.exitCode == 0, qPrintable(registered.describe()));
        const QString id = registered.json()
                               .value(QStringLiteral("webhook"))
                               .toObject()
                               .value(QStringLiteral("id"))
                               .toString();
        const Run subscribed =
            cliProcess({QStringLiteral("subscriptions"), QStringLiteral("add"), id}, environment());
        QVERIFY2(subscribed.exitCode == 0, qPrintable(subscribed.describe()));
        const QString unknown = QStringLiteral("1999999999999999999");
        const Run refused =
            cli({QStringLiteral("webhooks"), QStringLiteral("delete"), unknown, QStringLiteral("--yes")});
        QCOMPARE(refused.exitCode, 1);
        // Reads are not recorded.
        QCOMPARE(cli({QStringLiteral("webhooks"), QStringLiteral("list")}).exitCode, 0);

        HistoryStore store(m_database);
        const QList<HistoryEntry> entries = store.entries();
        QCOMPARE(entries.size(), 3);
        // Newest first.
        QCOMPARE(entries.at(0).operationKey, QStringLiteral("webhooks.delete"));
        QCOMPARE(entries.at(0).state, HistoryState::Failed);
        QCOMPARE(entries.at(0).errorKind, QStringLiteral("not_found"));
        QVERIFY(!entries.at(0).errorCause.isEmpty());
        QCOMPARE(entries.at(0).action.parameters.value(QStringLiteral("webhook_id")).toString(), unknown);
        QCOMPARE(entries.at(1).operationKey, QStringLiteral("subscriptions.add"));
        QCOMPARE(entries.at(1).state, HistoryState::Succeeded);
        QCOMPARE(entries.at(1).action.accountUserId, demo::bob.id);
        QCOMPARE(entries.at(2).operationKey, QStringLiteral("webhooks.register"));
        QCOMPARE(entries.at(2).state, HistoryState::Succeeded);
        QCOMPARE(entries.at(2).summary, QStringLiteral("webhook %1").arg(id));
        QVERIFY(entries.at(2).httpStatus >= 200 && entries.at(2).httpStatus < 300);
        for (const HistoryEntry &e : entries) {
            QCOMPARE(e.action.source, QStringLiteral("cli"));
            QCOMPARE(e.action.host, m_server->baseUrl().authority());
            QCOMPARE(e.action.generation, ApiGeneration::V2);
            QVERIFY(e.durationMs >= 0);
            QCOMPARE(e.progress, HistoryEntry::Progress::Finished);
        }
    }

    // ACTIVITY_HISTORY_MAX_ENTRIES / _MAX_AGE_DAYS: `history` prints what is left after pruning,
    // and pending entries stay whatever the limits.
    void shouldPruneTheHistoryAsTheEnvironmentSays()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        qint64 pending = 0;
        {
            HistoryStore earlier(m_database, QStringLiteral("earlier-run"));
            HistoryAction action;
            action.operation = Operation::DeleteWebhook;
            action.source = QStringLiteral("cli");
            action.host = QStringLiteral("api.x.com");
            earlier.setClock([now] { return now.addDays(-400); });
            pending = earlier.begin(action);
            earlier.complete(earlier.begin(action), HistoryOutcome::success(QStringLiteral("old")));
            earlier.setClock([now] { return now.addDays(-10); });
            for (int i = 0; i < 3; ++i)
                earlier.complete(earlier.begin(action), HistoryOutcome::success(QStringLiteral("recent")));
        }
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("ACTIVITY_HISTORY_MAX_AGE_DAYS"), QStringLiteral("30"));
        const Run byAge = cli({QStringLiteral("--json"), QStringLiteral("history"), QStringLiteral("--limit"),
                               QStringLiteral("0")},
                              env);
        QVERIFY2(byAge.exitCode == 0, qPrintable(byAge.describe()));
        QCOMPARE(byAge.json().value(QStringLiteral("entries")).toArray().size(), 4); // 3 recent + pending

        env.insert(QStringLiteral("ACTIVITY_HISTORY_MAX_ENTRIES"), QStringLiteral("2"));
        const Run byCount = cli({QStringLiteral("--json"), QStringLiteral("history"),
                                 QStringLiteral("--limit"), QStringLiteral("0")},
                                env);
        QVERIFY2(byCount.exitCode == 0, qPrintable(byCount.describe()));
        const QJsonArray left = byCount.json().value(QStringLiteral("entries")).toArray();
        QCOMPARE(left.size(), 2);
        HistoryStore store(m_database);
        QCOMPARE(store.entries().size(), 2);
        QVERIFY(store.entry(pending).has_value());
        QCOMPARE(store.entry(pending)->state, HistoryState::Pending);
    }

    void shouldPrintTheHistoryAsJsonFilteredAndLimited()
    {
        const QString url = m_server->demoReceiverUrl(QStringLiteral("clijson"));
        QCOMPARE(cli({QStringLiteral("webhooks"), QStringLiteral("register"), url}).exitCode, 0);
        QCOMPARE(cli({QStringLiteral("webhooks"), QStringLiteral("validate"),
                      QStringLiteral("1999999999999999999")})
                     .exitCode,
                 1);
        // An entry left pending by a run that ended: written under another run id, then closed.
        qint64 interruptedId = 0;
        {
            HistoryStore earlier(m_database, QStringLiteral("earlier-run"));
            HistoryAction action;
            action.operation = Operation::UnsubscribeUser;
            action.source = QStringLiteral("console");
            action.host = QStringLiteral("api.x.com");
            action.parameters = {{QStringLiteral("webhook_id"), QStringLiteral("42")},
                                 {QStringLiteral("user_id"), QStringLiteral("7")}};
            interruptedId = earlier.begin(action);
            QVERIFY(interruptedId > 0);
        }

        const Run all = cli({QStringLiteral("history"), QStringLiteral("--json")});
        QVERIFY2(all.exitCode == 0, qPrintable(all.describe()));
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(all.out, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(document.object().value(QStringLiteral("database")).toString(), m_database);
        const QJsonArray entries = document.object().value(QStringLiteral("entries")).toArray();
        QCOMPARE(entries.size(), 3);
        const QJsonObject newest = entries.at(0).toObject();
        QCOMPARE(newest.value(QStringLiteral("id")).toInteger(), interruptedId);
        QCOMPARE(newest.value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
        QCOMPARE(newest.value(QStringLiteral("progress")).toString(), QStringLiteral("interrupted"));
        QVERIFY(newest.value(QStringLiteral("note")).toString().contains(QStringLiteral("earlier run")));
        const QJsonObject failed = entries.at(1).toObject();
        QCOMPARE(failed.value(QStringLiteral("operation")).toString(), QStringLiteral("webhooks.validate"));
        QCOMPARE(failed.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
        QVERIFY(!failed.value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("cause"))
                     .toString()
                     .isEmpty());
        const QJsonObject succeeded = entries.at(2).toObject();
        QCOMPARE(succeeded.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(
            succeeded.value(QStringLiteral("parameters")).toObject().value(QStringLiteral("url")).toString(),
            url);
        QCOMPARE(succeeded.value(QStringLiteral("source")).toString(), QStringLiteral("cli"));
        QVERIFY(succeeded.value(QStringLiteral("started_at")).toString().endsWith(QLatin1Char('Z')));

        const Run failedOnly = cli({QStringLiteral("history"), QStringLiteral("--json"),
                                    QStringLiteral("--state"), QStringLiteral("failed")});
        QCOMPARE(failedOnly.json().value(QStringLiteral("entries")).toArray().size(), 1);
        const Run pendingOnly = cli({QStringLiteral("history"), QStringLiteral("--state"),
                                     QStringLiteral("pending"), QStringLiteral("--json")});
        QCOMPARE(pendingOnly.json().value(QStringLiteral("entries")).toArray().size(), 1);
        const Run one = cli({QStringLiteral("--json"), QStringLiteral("history"), QStringLiteral("--limit"),
                             QStringLiteral("1")});
        QCOMPARE(one.json().value(QStringLiteral("entries")).toArray().size(), 1);

        // The table, with the interruption explained under it.
        const Run table = cli({QStringLiteral("history")});
        QVERIFY2(table.exitCode == 0, qPrintable(table.describe()));
        QVERIFY(table.out.startsWith("ID"));
        QVERIFY(table.out.contains("webhooks.register"));
        QVERIFY(table.out.contains("Interrupted"));
        QVERIFY(table.out.contains("1 interrupted:"));

        const Run bad = cli({QStringLiteral("history"), QStringLiteral("--state"), QStringLiteral("lost")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains("--state"));
        const Run badLimit =
            cli({QStringLiteral("history"), QStringLiteral("--limit"), QStringLiteral("many")});
        QCOMPARE(badLimit.exitCode, 2);
    }

    void shouldRunTheActionAndWarnWhenTheHistoryCannotBeWritten()
    {
        QProcessEnvironment env = environment();
        // A file where the database's folder should be.
        const QString blocker = m_dir.filePath(QStringLiteral("blocker"));
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        env.insert(QStringLiteral("ACTIVITY_HISTORY_FILE"), blocker + QStringLiteral("/history.sqlite"));
        const QString url = m_server->demoReceiverUrl(QStringLiteral("unrecorded"));
        const Run run = cliProcess({QStringLiteral("webhooks"), QStringLiteral("register"), url}, env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY(run.out.contains("Registered webhook"));
        QCOMPARE(run.err.count("warning:"), 1);
        QVERIFY2(run.err.contains("warning:") && run.err.contains("not recorded"),
                 qPrintable(run.describe()));
        QCOMPARE(m_server->webhooks().size(), 3); // the two seeded ones and this one

        const Run history = cli({QStringLiteral("history")}, env);
        QCOMPARE(history.exitCode, 1);
        QVERIFY(history.err.contains("history"));
    }
};

QTEST_GUILESS_MAIN(TestCliHistory)
#include "tst_clihistory.moc"
