// The small models: replay jobs, request log, profiles, accounts, and the generic table proxy.
#include "AccountTableModel.h"
#include "MemorySecretBackend.h"
#include "ProfileListModel.h"
#include "ProfileStore.h"
#include "ReplayJobTableModel.h"
#include "RequestLog.h"
#include "RequestLogModel.h"
#include "SecretStore.h"
#include "TableFilterProxy.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QtTest>

using namespace activity;

namespace {
const QDateTime kNoon(QDate(2024, 3, 10), QTime(12, 0), Qt::UTC);

ReplayJobRow job(const char *jobId, const char *webhookId, int hoursAgo)
{
    ReplayJobRow row;
    row.webhookId = QString::fromLatin1(webhookId);
    row.jobId = QString::fromLatin1(jobId);
    row.from = kNoon.addSecs(-3600 * (hoursAgo + 2));
    row.to = kNoon.addSecs(-3600 * hoursAgo);
    row.createdAt = kNoon;
    return row;
}

RequestLogEntry logEntry(quint64 id, CredentialKind credential = CredentialKind::AppOwner)
{
    RequestLogEntry entry;
    entry.id = id;
    entry.startedAt = kNoon.addSecs(qint64(id));
    entry.operation = QStringLiteral("webhooks.list");
    entry.method = "GET";
    entry.url = QStringLiteral("https://api.x.com/2/webhooks?max_results=10");
    entry.credential = credential;
    return entry;
}
} // namespace

class TestTableModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldTrackReplayJobsUntilTheirStatusEventArrives()
    {
        ReplayJobTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        using Column = ReplayJobTableModel::Column;
        model.addJob(job("j1", "w1", 1));
        model.addJob(job("j2", "w2", 5));
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.hasRunningJob(QStringLiteral("w1")));
        QVERIFY(model.index(0, int(Column::State)).data().toString().startsWith(QStringLiteral("Submitted")));
        // The window is shown in local time; the tooltip gives UTC.
        const QString tooltip = model.index(0, int(Column::Window)).data(Qt::ToolTipRole).toString();
        QCOMPARE(tooltip, QStringLiteral("2024-03-10 09:00 – 11:00 UTC"));
        QCOMPARE(model.index(0, int(Column::Window)).data().toString(),
                 kNoon.addSecs(-3 * 3600).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) +
                     QStringLiteral(" – ") +
                     kNoon.addSecs(-3600).toLocalTime().toString(QStringLiteral("HH:mm")));

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(model.applyStatus(
            QStringLiteral("w1"), QStringLiteral("j1"),
            ReplayJobTableModel::stateFromApi(QStringLiteral("Incomplete")),
            QStringLiteral("Job failed to deliver all events, please retry your replay job")));
        QCOMPARE(changed.size(), 1);
        QVERIFY(!model.hasRunningJob(QStringLiteral("w1")));
        QVERIFY(model.index(0, int(Column::State))
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("retry")));
        // The same event delivered twice changes nothing.
        QVERIFY(!model.applyStatus(
            QStringLiteral("w1"), QStringLiteral("j1"), ReplayJobRow::State::Incomplete,
            QStringLiteral("Job failed to deliver all events, please retry your replay job")));
        QCOMPARE(changed.size(), 1);
        // A job submitted elsewhere gets a row, without a window.
        QVERIFY(
            model.applyStatus(QStringLiteral("w3"), QStringLiteral("j9"), ReplayJobRow::State::Complete, {}));
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.index(2, int(Column::Window)).data().toString().isEmpty());
        QCOMPARE(ReplayJobTableModel::stateFromApi(QStringLiteral("whatever")), ReplayJobRow::State::Failed);

        TableFilterProxy proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(int(Column::Window), Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, int(Column::JobId)).data().toString(),
                 QStringLiteral("j9")); // no window first
        QCOMPARE(proxy.index(1, int(Column::JobId)).data().toString(), QStringLiteral("j2"));
        proxy.setFilterText(QStringLiteral("W2"));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setFilterText(QString());
        QCOMPARE(proxy.rowCount(), 3);

        model.removeJob(QStringLiteral("j2"));
        QCOMPARE(model.rowCount(), 2);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void shouldShowRequestsAndUpdateThemById()
    {
        RequestLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        using Column = RequestLogModel::Column;
        model.append(logEntry(1));
        model.append(logEntry(2, CredentialKind::AppOnly));
        QCOMPARE(model.index(0, int(Column::Path)).data().toString(), QStringLiteral("/2/webhooks"));
        QCOMPARE(model.index(0, int(Column::Path)).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("https://api.x.com/2/webhooks?max_results=10"));
        QCOMPARE(model.index(0, int(Column::Credential)).data().toString(),
                 QStringLiteral("App owner (OAuth 1.0a)"));
        QCOMPARE(model.index(1, int(Column::Credential)).data().toString(),
                 QStringLiteral("App-only (Bearer)"));
        QVERIFY(model.index(0, int(Column::Status)).data().toString().startsWith(QStringLiteral("running")));

        RequestLogEntry done = logEntry(1);
        done.httpStatus = 429;
        done.durationMs = 123;
        done.rateLimitLimit = 15;
        done.rateLimitRemaining = 0;
        done.rateLimitReset = kNoon.addSecs(900);
        done.error = QStringLiteral("Rate limited.");
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(model.update(done));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(0, int(Column::Status)).data().toInt(), 429);
        QCOMPARE(model.index(0, int(Column::Status)).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Rate limited."));
        QCOMPARE(model.index(0, int(Column::Duration)).data().toString(), QStringLiteral("123 ms"));
        QCOMPARE(model.index(0, int(Column::RateLimitRemaining)).data().toString(), QStringLiteral("0/15"));
        const auto whole = model.index(0, 0).data(RequestLogModel::EntryRole).value<RequestLogEntry>();
        QCOMPARE(whole.error, done.error);
        QCOMPARE(model.index(1, 0).data(RequestLogModel::EntryIdRole).toULongLong(), 2ULL);
        QVERIFY(!model.update(logEntry(99)));
    }

    void shouldKeepOnlyTheNewestEntries()
    {
        RequestLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMaxEntries(5);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        for (quint64 id = 1; id <= 12; ++id)
            model.append(logEntry(id));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(removed.size(), 7);
        QCOMPARE(model.entry(0).id, 8ULL);
        QCOMPARE(model.rowOf(12), 4);
        QCOMPARE(model.rowOf(3), -1);
        RequestLogEntry late = logEntry(10);
        late.httpStatus = 200;
        late.durationMs = 5;
        QVERIFY(model.update(late));
        QCOMPARE(model.entry(2).httpStatus, 200);
        QVERIFY(!model.update(logEntry(3))); // dropped already
        model.setMaxEntries(2);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.entry(0).id, 11ULL);
    }

    void shouldFollowAClientsRequestLog()
    {
        RequestLog log;
        log.add(logEntry(0));
        RequestLogModel model(&log);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 1);
        const quint64 id = log.add(logEntry(0, CredentialKind::SubscribingUser));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, int(RequestLogModel::Column::Credential)).data().toString(),
                 QStringLiteral("Subscribing user (OAuth 1.0a)"));
        RequestLogEntry finished = *log.entry(id);
        finished.httpStatus = 204;
        finished.durationMs = 40;
        log.update(finished);
        QCOMPARE(model.entry(1).httpStatus, 204);
        log.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void shouldListProfilesAndKeepRowsInPlace()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("p.ini")), QSettings::IniFormat);
        const auto secrets = testing::MemorySecretBackend::store();
        ProfileStore store(&settings, secrets.get());
        Profile b;
        b.name = QStringLiteral("Bravo");
        b.id = store.saveProfile(b);

        ProfileListModel model(&store);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 1);
        QPersistentModelIndex bravo = model.index(0);

        Profile a;
        a.name = QStringLiteral("alpha");
        a.isSandbox = true;
        a.id = store.saveProfile(a);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0).data().toString(), QStringLiteral("alpha (sandbox)"));
        QCOMPARE(bravo.row(), 1);

        store.setCurrentProfileId(b.id);
        QVERIFY(model.index(model.rowOf(b.id)).data(ProfileListModel::IsCurrentRole).toBool());
        b.name = QStringLiteral("Bravo 2");
        store.saveProfile(b);
        QVERIFY(bravo.isValid());
        QCOMPARE(bravo.data().toString(), QStringLiteral("Bravo 2"));
        QCOMPARE(bravo.data(ProfileListModel::ProfileIdRole).toString(), b.id);
    }

    void shouldShowTheAccountsOfTheChosenProfile()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("a.ini")), QSettings::IniFormat);
        const auto secrets = testing::MemorySecretBackend::store();
        ProfileStore store(&settings, secrets.get());
        Profile p;
        p.name = QStringLiteral("P");
        p.id = store.saveProfile(p);
        // Written as a previous session would have left them (saving needs the keychain; see
        // tst_profilekeychain for the live path).
        settings.setValue(QStringLiteral("profiles/%1/accounts/42/username").arg(p.id),
                          QStringLiteral("zed"));
        settings.setValue(QStringLiteral("profiles/%1/accounts/42/signedInAt").arg(p.id),
                          QStringLiteral("2024-03-10T12:00:00Z"));
        settings.setValue(QStringLiteral("profiles/%1/accounts/7/username").arg(p.id), QStringLiteral("amy"));

        AccountTableModel model(&store);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setProfileId(p.id);
        QCOMPARE(model.rowCount(), 2);
        using Column = AccountTableModel::Column;
        QCOMPARE(model.index(0, int(Column::Username)).data().toString(), QStringLiteral("@amy"));
        QCOMPARE(model.index(1, int(Column::SignedInAt)).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("2024-03-10T12:00:00Z"));
        QCOMPARE(model.index(1, int(Column::UserId)).data(AccountTableModel::SortRole).toULongLong(), 42ULL);
        model.setProfileId(QString());
        QCOMPARE(model.rowCount(), 0);
    }

    // Kind, scopes and expiry of an OAuth 2.0 sign-in, from the credentials in memory; no token in
    // any role of any cell.
    void shouldShowSignInKindScopesAndExpiryWithoutTokens()
    {
        UserCredentials both;
        both.userId = QStringLiteral("42");
        both.username = QStringLiteral("zed");
        both.token = QByteArrayLiteral("oauth1-token-zed");
        both.tokenSecret = QByteArrayLiteral("oauth1-secret-zed");
        both.oauth2.accessToken = QByteArrayLiteral("oauth2-access-zed");
        both.oauth2.refreshToken = QByteArrayLiteral("oauth2-refresh-zed");
        both.oauth2.scopes = oauth2::accountActivityScopes();
        both.oauth2.expiresAt = kNoon.addSecs(3600 + 52 * 60 + 30);
        UserCredentials only2;
        only2.userId = QStringLiteral("7");
        only2.username = QStringLiteral("amy");
        only2.oauth2.accessToken = QByteArrayLiteral("oauth2-access-amy");
        only2.oauth2.scopes = {QStringLiteral("tweet.read"), QStringLiteral("users.read")};
        only2.oauth2.expiresAt = kNoon.addSecs(-60);
        UserCredentials only1;
        only1.userId = QStringLiteral("9");
        only1.username = QStringLiteral("bo");
        only1.token = QByteArrayLiteral("oauth1-token-bo");
        only1.tokenSecret = QByteArrayLiteral("oauth1-secret-bo");

        AccountTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QDateTime now = kNoon;
        model.setClock([&now] { return now; });
        model.setRows({AccountRow::fromCredentials(both), AccountRow::fromCredentials(only2),
                       AccountRow::fromCredentials(only1)});
        QCOMPARE(model.rowCount(), 3);
        using Column = AccountTableModel::Column;
        auto cell = [&](int row, Column column, int role = Qt::DisplayRole) {
            return model.index(row, int(column)).data(role);
        };
        QCOMPARE(cell(0, Column::SignInKind).toString(), QStringLiteral("OAuth 1.0a + 2.0"));
        QCOMPARE(cell(1, Column::SignInKind).toString(), QStringLiteral("OAuth 2.0"));
        QCOMPARE(cell(2, Column::SignInKind).toString(), QStringLiteral("OAuth 1.0a"));
        QCOMPARE(cell(0, Column::Scopes).toString(),
                 QStringLiteral("dm.read dm.write offline.access tweet.read users.read"));
        QVERIFY(
            cell(0, Column::Scopes, Qt::ToolTipRole).toString().contains(QStringLiteral("offline.access: ")));
        QCOMPARE(cell(0, Column::Expires).toString(), QStringLiteral("in 1 h 52 min"));
        QCOMPARE(cell(0, Column::Expires, AccountTableModel::SortRole).toDateTime(), both.oauth2.expiresAt);
        QCOMPARE(cell(1, Column::Expires).toString(), QStringLiteral("expired — sign in again"));
        QCOMPARE(cell(2, Column::Expires).toString(), QString());
        QCOMPARE(cell(2, Column::Scopes).toString(), QString());
        QCOMPARE(model.headerData(int(Column::Expires), Qt::Horizontal).toString(),
                 QStringLiteral("Token expires"));

        // Time passes: the refresh token renews it on the next call.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        now = kNoon.addSecs(2 * 3600);
        model.refreshExpiry();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(cell(0, Column::Expires).toString(), QStringLiteral("expired — renews on next use"));
        now = kNoon.addSecs(30 * 60);
        model.refreshExpiry();
        QCOMPARE(cell(0, Column::Expires).toString(), QStringLiteral("in 1 h 22 min"));

        // A refreshed token: the row changes in place.
        QPersistentModelIndex zed = model.index(0, 0);
        both.oauth2.expiresAt = now.addSecs(7200);
        model.setRows({AccountRow::fromCredentials(both), AccountRow::fromCredentials(only2),
                       AccountRow::fromCredentials(only1)});
        QCOMPARE(zed.row(), 0);
        QCOMPARE(cell(0, Column::Expires).toString(), QStringLiteral("in 2 h 0 min"));

        const QList<QByteArray> tokens {both.token,
                                        both.tokenSecret,
                                        both.oauth2.accessToken,
                                        both.oauth2.refreshToken,
                                        only2.oauth2.accessToken,
                                        only1.token,
                                        only1.tokenSecret};
        for (int row = 0; row < model.rowCount(); ++row) {
            for (int column = 0; column < model.columnCount(); ++column) {
                for (int role = 0; role <= AccountTableModel::UserIdRole + 8; ++role) {
                    const QString text = model.index(row, column).data(role).toString();
                    for (const QByteArray &token : tokens)
                        QVERIFY2(!text.contains(QString::fromLatin1(token)), qPrintable(text));
                }
            }
        }
        model.setRows({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTableModels)
#include "tst_tablemodels.moc"
