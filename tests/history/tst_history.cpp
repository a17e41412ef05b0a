// HistoryStore and HistoryTableModel: the round trip, an entry left Pending by a killed process,
// three processes writing at once, the schema version, failures that must not block, and the model
// under QAbstractItemModelTester.
#include "HistoryStore.h"
#include "HistoryTableModel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace activity;

namespace {

const QDateTime kStart(QDate(2026, 3, 1), QTime(9, 30), Qt::UTC);

HistoryAction registerAction()
{
    HistoryAction action;
    action.operation = Operation::RegisterWebhook;
    action.source = QStringLiteral("console");
    action.profileId = QStringLiteral("c0ffee00-0000-4000-8000-000000000001");
    action.profileName = QStringLiteral("Production app");
    action.generation = ApiGeneration::V2;
    action.host = QStringLiteral("api.x.com");
    action.parameters = {{QStringLiteral("url"), QStringLiteral("https://hooks.example.com/x")}};
    return action;
}

HistoryAction subscribeAction(const QString &userId = QStringLiteral("2000000000000000001"))
{
    HistoryAction action;
    action.operation = Operation::Subscribe;
    action.source = QStringLiteral("cli");
    action.profileName = QStringLiteral("Production app");
    action.generation = ApiGeneration::V1_1;
    action.host = QStringLiteral("api.x.com");
    action.accountUserId = userId;
    action.accountUsername = QStringLiteral("alice");
    action.parameters = {{QStringLiteral("webhook_id"), QStringLiteral("1500000000000000001")},
                         {QStringLiteral("user_id"), userId}};
    return action;
}

// A child process that writes to the same database.
std::unique_ptr<QProcess> startWriter(const QStringList &arguments)
{
    auto process = std::make_unique<QProcess>();
    process->setProgram(QStringLiteral(HISTORY_WRITER_PATH));
    process->setArguments(arguments);
    process->setProcessChannelMode(QProcess::SeparateChannels);
    process->start();
    return process;
}

bool waitForLine(QProcess *process, QByteArray *line)
{
    QElapsedTimer timer;
    timer.start();
    while (!process->canReadLine()) {
        QSignalSpy ready(process, &QProcess::readyReadStandardOutput);
        if (process->state() == QProcess::NotRunning || !ready.wait(10000) || timer.hasExpired(20000)) {
            if (!process->canReadLine())
                return false;
        }
    }
    *line = process->readLine().trimmed();
    return true;
}

} // namespace

class TestHistory : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString databasePath() const
    {
        return m_dir.filePath(
            QStringLiteral("%1.sqlite").arg(QString::fromLatin1(QTest::currentTestFunction())));
    }

private Q_SLOTS:
    void shouldNameEveryCataloguedOperationBothWays()
    {
        for (const Endpoint &endpoint : endpoints::all()) {
            const QString key = HistoryStore::operationKey(endpoint.op);
            QVERIFY2(!key.isEmpty(), qPrintable(endpoint.name));
            QCOMPARE(HistoryStore::operationFromKey(key), std::optional<Operation>(endpoint.op));
        }
        QCOMPARE(HistoryStore::operationFromKey(QStringLiteral("oauth2.revoke")),
                 std::optional<Operation>(Operation::OAuth2Revoke));
        QVERIFY(!HistoryStore::operationFromKey(QStringLiteral("no.such.operation")));
    }

    void shouldRecordBeforeSendingAndCompleteAfterTheAnswer()
    {
        HistoryStore store(databasePath());
        QVERIFY2(store.isOpen(), qPrintable(store.lastError()));
        store.setClock([] { return kStart; });
        QSignalSpy added(&store, &HistoryStore::entryAdded);
        QSignalSpy completed(&store, &HistoryStore::entryCompleted);

        const qint64 id = store.begin(registerAction());
        QVERIFY(id > 0);
        QCOMPARE(added.count(), 1);
        std::optional<HistoryEntry> pending = store.entry(id);
        QVERIFY(pending);
        QCOMPARE(pending->state, HistoryState::Pending);
        QCOMPARE(pending->progress, HistoryEntry::Progress::Running);
        QCOMPARE(pending->startedAt, kStart);
        QVERIFY(!pending->finishedAt.isValid());
        QCOMPARE(pending->runId, store.runId());
        QCOMPARE(pending->operationKey, QStringLiteral("webhooks.register"));
        QCOMPARE(pending->action.operation, Operation::RegisterWebhook);
        QCOMPARE(pending->action.profileName, QStringLiteral("Production app"));
        QCOMPARE(pending->action.host, QStringLiteral("api.x.com"));
        QCOMPARE(pending->action.parameters.value(QStringLiteral("url")).toString(),
                 QStringLiteral("https://hooks.example.com/x"));

        store.setClock([] { return kStart.addSecs(2); });
        HistoryOutcome outcome = HistoryOutcome::success(QStringLiteral("webhook 1500000000000000009"), 200);
        outcome.durationMs = 1234;
        QVERIFY(store.complete(id, outcome));
        QCOMPARE(completed.count(), 1);
        const std::optional<HistoryEntry> done = store.entry(id);
        QCOMPARE(done->state, HistoryState::Succeeded);
        QCOMPARE(done->progress, HistoryEntry::Progress::Finished);
        QCOMPARE(done->finishedAt, kStart.addSecs(2));
        QCOMPARE(done->httpStatus, 200);
        QCOMPARE(done->summary, QStringLiteral("webhook 1500000000000000009"));
        QCOMPARE(done->durationMs, qint64(1234));

        // A settled entry stays settled.
        QVERIFY(!store.complete(id, HistoryOutcome::success({})));
        QCOMPARE(completed.count(), 1);
    }

    void shouldRecordFailuresWithCauseRemedyAndMeasuredDuration()
    {
        HistoryStore store(databasePath());
        const qint64 id = store.begin(subscribeAction());
        ApiError error = ApiError::make(ApiError::Kind::Authentication,
                                        QStringLiteral("X could not authenticate the request."),
                                        QStringLiteral("Check the consumer secret."), 401);
        error.code = 32;
        QVERIFY(store.complete(id, HistoryOutcome::failure(error)));
        const HistoryEntry e = *store.entry(id);
        QCOMPARE(e.state, HistoryState::Failed);
        QCOMPARE(e.httpStatus, 401);
        QCOMPARE(e.errorKind, QStringLiteral("authentication"));
        QCOMPARE(e.errorCause, error.cause);
        QCOMPARE(e.errorRemedy, error.remedy);
        QVERIFY(e.durationMs >= 0);
        QCOMPARE(e.action.generation, ApiGeneration::V1_1);
        QCOMPARE(e.action.accountUsername, QStringLiteral("alice"));
    }

    void shouldNeverStoreParametersThatLookLikeCredentials()
    {
        HistoryStore store(databasePath());
        HistoryAction action = registerAction();
        action.parameters.insert(QStringLiteral("oauth_token"), QStringLiteral("tok-SECRET-1"));
        action.parameters.insert(QStringLiteral("consumer_secret"), QStringLiteral("cs-SECRET-2"));
        action.parameters.insert(QStringLiteral("Authorization"), QStringLiteral("Bearer SECRET-3"));
        action.parameters.insert(QStringLiteral("password"), QStringLiteral("pw-SECRET-4"));
        action.parameters.insert(QStringLiteral("url"),
                                 QStringLiteral("https://user:pw-SECRET-5@hooks.example.com/x"));
        const qint64 id = store.begin(action);
        QVERIFY(id > 0);
        const HistoryEntry e = *store.entry(id);
        QCOMPARE(e.action.parameters.keys(), QStringList {QStringLiteral("url")});
        QCOMPARE(e.action.parameters.value(QStringLiteral("url")).toString(),
                 QStringLiteral("https://hooks.example.com/x"));

        QFile file(databasePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray bytes = file.readAll();
        QFile wal(databasePath() + QStringLiteral("-wal"));
        if (wal.open(QIODevice::ReadOnly))
            bytes += wal.readAll();
        QVERIFY(!bytes.contains("SECRET"));
    }

    void shouldLeaveAnEntryPendingWhenTheProcessIsKilledBeforeTheAnswer()
    {
        const QString path = databasePath();
        std::unique_ptr<QProcess> child = startWriter({path, QStringLiteral("begin-and-hang")});
        QVERIFY(child->waitForStarted(10000));
        QByteArray line;
        QVERIFY2(waitForLine(child.get(), &line), child->readAllStandardError().constData());
        const qint64 id = line.toLongLong();
        QVERIFY(id > 0);

        HistoryStore store(path);
        // While the child lives, its entry is running elsewhere, not interrupted.
        QCOMPARE(store.entry(id)->progress, HistoryEntry::Progress::RunningElsewhere);
        QVERIFY(store.pendingFromEarlierRuns().isEmpty());

        QSignalSpy finished(child.get(), &QProcess::finished);
        child->kill();
        QVERIFY(finished.wait(10000));

        const HistoryEntry e = *store.entry(id);
        QCOMPARE(e.state, HistoryState::Pending);
        QCOMPARE(e.progress, HistoryEntry::Progress::Interrupted);
        QVERIFY(e.runId != store.runId());
        const QList<HistoryEntry> interrupted = store.pendingFromEarlierRuns();
        QCOMPARE(interrupted.size(), 1);
        QCOMPARE(interrupted.first().id, id);

        // The console's view of it: highlighted, with the explanation.
        HistoryTableModel model(&store);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.interruptedCount(), 1);
        const QModelIndex state = model.index(0, int(HistoryTableModel::Column::State));
        QVERIFY(model.data(state, HistoryTableModel::NeedsAttentionRole).toBool());
        QVERIFY(model.data(state).toString().contains(QStringLiteral("never arrived")));
        QVERIFY(model.data(state, Qt::ToolTipRole).toString().contains(QStringLiteral("earlier run")));

        // A fresh store in this process still sees it: the pending state is in the file.
        HistoryStore later(path);
        QCOMPARE(later.pendingFromEarlierRuns().size(), 1);
    }

    void shouldAcceptThreeConcurrentWritersWithoutLockFailures()
    {
        const QString path = databasePath();
        constexpr int perWriter = 200;
        HistoryStore store(path); // creates the schema first, as the console would
        QVERIFY(store.isOpen());

        std::unique_ptr<QProcess> a = startWriter(
            {path, QStringLiteral("write"), QString::number(perWriter), QStringLiteral("child-a")});
        std::unique_ptr<QProcess> b = startWriter(
            {path, QStringLiteral("write"), QString::number(perWriter), QStringLiteral("child-b")});
        QByteArray line;
        QVERIFY(waitForLine(a.get(), &line) && line == "ready");
        QVERIFY(waitForLine(b.get(), &line) && line == "ready");
        QSignalSpy aDone(a.get(), &QProcess::finished);
        QSignalSpy bDone(b.get(), &QProcess::finished);
        a->write("go\n");
        b->write("go\n");
        QVERIFY(a->waitForBytesWritten(5000) && b->waitForBytesWritten(5000));

        QElapsedTimer timer;
        timer.start();
        int failures = 0;
        for (int i = 0; i < perWriter; ++i) {
            HistoryAction action = subscribeAction(QString::number(i));
            action.source = QStringLiteral("test");
            const qint64 id = store.begin(action);
            if (id <= 0 || !store.complete(id, HistoryOutcome::success(QStringLiteral("ok"), 200))) {
                ++failures;
                qWarning("%s", qPrintable(store.lastError()));
            }
        }
        const qint64 parentMs = timer.elapsed();
        QVERIFY(aDone.count() || aDone.wait(60000));
        QVERIFY(bDone.count() || bDone.wait(60000));
        const qint64 allMs = timer.elapsed();
        QCOMPARE(failures, 0);
        QCOMPARE(a->exitStatus(), QProcess::NormalExit);
        QVERIFY2(a->exitCode() == 0, a->readAllStandardError().constData());
        QVERIFY2(b->exitCode() == 0, b->readAllStandardError().constData());
        QVERIFY(!a->readAllStandardError().contains("locked"));

        HistoryQuery all;
        all.limit = 0;
        const QList<HistoryEntry> entries = store.entries(all);
        QCOMPARE(entries.size(), 3 * perWriter);
        QHash<QString, int> perSource;
        for (const HistoryEntry &e : entries) {
            QCOMPARE(e.state, HistoryState::Succeeded);
            ++perSource[e.action.source];
        }
        QCOMPARE(perSource.value(QStringLiteral("test")), perWriter);
        QCOMPARE(perSource.value(QStringLiteral("child-a")), perWriter);
        QCOMPARE(perSource.value(QStringLiteral("child-b")), perWriter);
        qInfo("3 writers x %d entries (begin + complete, %d transactions): this process %lld ms, all %lld ms",
              perWriter, 6 * perWriter, parentMs, allMs);
    }

    void shouldUseWalAndRecordTheSchemaVersion()
    {
        const QString path = databasePath();
        {
            HistoryStore store(path);
            QVERIFY(store.isOpen());
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inspect"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
            QCOMPARE(q.value(0).toInt(), HistoryStore::schemaVersion);
            QVERIFY(q.exec(QStringLiteral("SELECT max(version) FROM schema_version")) && q.next());
            QCOMPARE(q.value(0).toInt(), HistoryStore::schemaVersion);
            // A newer program's schema: this one must refuse politely, not write into it.
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 99")));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("inspect"));

        HistoryStore newer(path);
        QVERIFY(!newer.isOpen());
        QVERIFY2(newer.lastError().contains(QStringLiteral("newer version")), qPrintable(newer.lastError()));
        QCOMPARE(newer.begin(registerAction()), qint64(0));
    }

    void shouldReportAnUnusableDatabaseWithoutBlockingTheAction()
    {
        // A file where the folder should be: nothing can be created there.
        const QString blocker = m_dir.filePath(QStringLiteral("not-a-folder"));
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        HistoryStore store(blocker + QStringLiteral("/history.sqlite"));
        QVERIFY(!store.isOpen());
        QVERIFY(!store.lastError().isEmpty());
        QSignalSpy errors(&store, &HistoryStore::errorOccurred);
        QCOMPARE(store.begin(registerAction()), qint64(0));
        QCOMPARE(errors.count(), 1);
        QVERIFY(errors.first().first().toString().contains(QStringLiteral("not recorded")));
        QVERIFY(!store.complete(0, HistoryOutcome::success({})));
        QVERIFY(store.entries().isEmpty());

        // Not a database at all.
        const QString garbage = m_dir.filePath(QStringLiteral("garbage.sqlite"));
        QFile g(garbage);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write(QByteArray(8192, 'x'));
        g.close();
        HistoryStore broken(garbage);
        QVERIFY(!broken.isOpen());
        QVERIFY(!broken.lastError().isEmpty());
        QCOMPARE(broken.begin(registerAction()), qint64(0));
    }

    void shouldGiveEachStoreItsOwnConnection()
    {
        const QString path = databasePath();
        const QStringList before = QSqlDatabase::connectionNames();
        {
            HistoryStore one(path);
            HistoryStore two(path);
            QVERIFY(one.isOpen() && two.isOpen());
            QVERIFY(one.runId() != two.runId());
            QCOMPARE(QSqlDatabase::connectionNames().size(), before.size() + 2);
            const qint64 id = one.begin(registerAction());
            QCOMPARE(two.entry(id)->progress, HistoryEntry::Progress::RunningElsewhere);
        }
        QCOMPARE(QSqlDatabase::connectionNames(), before);
        HistoryStore three(path);
        QCOMPARE(three.pendingFromEarlierRuns().size(), 1);
    }

    void shouldShowEntriesInTheTableModel()
    {
        HistoryStore store(databasePath());
        store.setClock([] { return kStart; });
        HistoryTableModel model(&store);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.columnCount(), int(HistoryTableModel::Column::Count));
        QCOMPARE(model.headerData(int(HistoryTableModel::Column::Result), Qt::Horizontal).toString(),
                 QStringLiteral("Result"));

        const qint64 first = store.begin(registerAction());
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.data(model.index(0, int(HistoryTableModel::Column::State)))
                    .toString()
                    .contains(QStringLiteral("waiting")));
        store.complete(first, HistoryOutcome::success(QStringLiteral("webhook 77"), 200));
        HistoryAction replay;
        replay.operation = Operation::ReplayAccountActivity;
        replay.host = QStringLiteral("127.0.0.1:8080");
        replay.parameters = {{QStringLiteral("webhook_id"), QStringLiteral("77")},
                             {QStringLiteral("from"), QStringLiteral("202603010800")},
                             {QStringLiteral("to"), QStringLiteral("202603010900")}};
        const qint64 second = store.begin(replay); // no source, no profile: still recorded
        QVERIFY2(second > 0, qPrintable(store.lastError()));
        store.complete(second,
                       HistoryOutcome::failure(ApiError::make(
                           ApiError::Kind::Conflict,
                           QStringLiteral("A replay job is already running for this webhook."), {}, 409)));
        store.complete(store.begin(subscribeAction()), HistoryOutcome::success(QStringLiteral("subscribed")));

        QCOMPARE(model.rowCount(), 3);
        auto cell = [&](int row, HistoryTableModel::Column column) {
            return model.data(model.index(row, int(column))).toString();
        };
        // Newest first.
        QCOMPARE(cell(0, HistoryTableModel::Column::Action), QStringLiteral("Subscribe"));
        QCOMPARE(cell(0, HistoryTableModel::Column::Account), QStringLiteral("@alice"));
        QCOMPARE(cell(0, HistoryTableModel::Column::Target),
                 QStringLiteral("webhook 1500000000000000001, user 2000000000000000001"));
        QCOMPARE(cell(1, HistoryTableModel::Column::Action), QStringLiteral("Replay"));
        QCOMPARE(cell(1, HistoryTableModel::Column::State), QStringLiteral("Failed"));
        QCOMPARE(cell(1, HistoryTableModel::Column::Result),
                 QStringLiteral("HTTP 409: A replay job is already running for this webhook."));
        QCOMPARE(cell(1, HistoryTableModel::Column::Profile), QStringLiteral("127.0.0.1:8080"));
        QVERIFY(cell(1, HistoryTableModel::Column::Target).contains(QStringLiteral("202603010800")));
        QCOMPARE(cell(2, HistoryTableModel::Column::Action), QStringLiteral("Register webhook"));
        QCOMPARE(cell(2, HistoryTableModel::Column::Result), QStringLiteral("HTTP 200: webhook 77"));
        QCOMPARE(model.data(model.index(2, 0), HistoryTableModel::EntryIdRole).toLongLong(), first);

        HistoryQuery failedOnly;
        failedOnly.state = HistoryState::Failed;
        model.setQuery(failedOnly);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.data(model.index(0, 0), HistoryTableModel::EntryIdRole).toLongLong(), second);
        HistoryQuery two;
        two.limit = 2;
        model.setQuery(two);
        QCOMPARE(model.rowCount(), 2);
    }
};

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
