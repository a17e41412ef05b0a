// The X Activity subscriptions pane against the in-process sandbox over real HTTP: listing, create
// (public with the app's Bearer token, private as an OAuth 2.0 account), edit, delete, bulk delete
// in batches with a refused id, the tier's quota, CSV export, and the history of every write.
#include "ActivitySubscriptionDialog.h"
#include "ActivitySubscriptionTableModel.h"
#include "ActivitySubscriptionsPane.h"
#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"
#include "HistoryStore.h"
#include "MessageBar.h"
#include "SubscriptionFilterProxy.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

namespace {
using Column = ActivitySubscriptionTableModel::Column;

QStringList operations(const HistoryStore &history)
{
    QStringList keys;
    const QList<HistoryEntry> entries = history.entries();
    for (auto it = entries.crbegin(); it != entries.crend(); ++it) // oldest first
        keys.append(it->operationKey + QLatin1Char(':') + HistoryStore::stateKey(it->state));
    return keys;
}

void accept(ActivitySubscriptionDialog *dialog)
{
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
}
} // namespace

class TestConsoleActivity : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_databases = 0;

    // The window over the sandbox with a history, the activity tab shown and loaded.
    struct Setup
    {
        ConsoleFixture f;
        std::unique_ptr<HistoryStore> history;
        ActivitySubscriptionsPane *pane = nullptr;
    };

    bool open(Setup &s, xaa::Tier tier = xaa::Tier::Enterprise)
    {
        s.history =
            std::make_unique<HistoryStore>(m_dir.filePath(QStringLiteral("h%1.sqlite").arg(++m_databases)));
        if (!s.f.listen())
            return false;
        ConsoleServices services;
        services.network = &s.f.network;
        services.prompter = &s.f.prompter;
        services.settings = &s.f.settings;
        services.history = s.history.get();
        s.f.window = std::make_unique<MainWindow>(services);
        ResolvedProfile profile = sandboxProfile(s.f.server);
        profile.activityTier = tier;
        s.f.window->setBuiltInProfile(profile);
        s.f.window->show();
        QSignalSpy webhooks(s.f.window.get(), &MainWindow::webhooksRefreshed);
        s.f.window->start();
        if (!webhooks.wait(20000))
            return false;
        s.pane = s.f.window->activityPane();
        QSignalSpy loaded(s.pane, &ActivitySubscriptionsPane::loaded);
        s.f.window->showActivityPane();
        return loaded.wait(20000);
    }

    static bool reload(ActivitySubscriptionsPane *pane)
    {
        QSignalSpy loaded(pane, &ActivitySubscriptionsPane::loaded);
        pane->refresh();
        return loaded.wait(20000);
    }

    static int rowOf(ActivitySubscriptionsPane *pane, const QString &id) { return pane->model()->rowOf(id); }

private Q_SLOTS:
    void shouldListTheSeededSubscriptionsWithNames()
    {
        Setup s;
        QVERIFY(open(s));
        ActivitySubscriptionsPane *pane = s.pane;
        QAbstractItemModelTester tester(pane->proxy(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(pane->model()->rowCount(), demo::activitySubscriptionCount);
        const int bio = rowOf(pane, demo::activityBioSubscriptionId);
        QVERIFY(bio >= 0);
        QCOMPARE(pane->model()->index(bio, int(Column::Tag)).data().toString(), demo::activityBioTag);
        QCOMPARE(pane->model()->index(bio, int(Column::Webhook)).data().toString(), demo::validWebhookId);
        const int post = rowOf(pane, demo::activityPostSubscriptionId);
        QCOMPARE(pane->model()->index(post, int(Column::Webhook)).data().toString(),
                 QStringLiteral("Stream only"));
        // The filters' users by name once looked up.
        QTRY_COMPARE(pane->model()->index(bio, int(Column::Filter)).data().toString(),
                     QStringLiteral("@alice"));
        QTRY_COMPARE(pane->model()->index(post, int(Column::Filter)).data().toString(),
                     QStringLiteral("@bob"));
        const int like = rowOf(pane, demo::activityLikeSubscriptionId);
        QTRY_COMPARE(pane->model()->index(like, int(Column::Filter)).data().toString(),
                     QStringLiteral("@alice, inbound"));

        // Ctrl+F reaches this pane's filter; typing filters the table.
        QVERIFY(QTest::qWaitForWindowActive(s.f.window.get()));
        pane->view()->setFocus();
        QTest::keyClick(pane->view(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(pane->filter()->hasFocus());
        QTest::keyClicks(pane->filter(), QStringLiteral("@bob"));
        QCOMPARE(pane->proxy()->rowCount(), 1);
        QCOMPARE(pane->proxy()->index(0, 0).data(Qt::UserRole).toString(), demo::activityPostSubscriptionId);
        pane->filter()->clear();
        QCOMPARE(pane->proxy()->rowCount(), demo::activitySubscriptionCount);
        // The quota of the profile's tier (Enterprise).
        QVERIFY(pane->quotaBar()->isVisible());
        QCOMPARE(pane->quotaBar()->text(), QStringLiteral("3 of 75,000 subscriptions (Enterprise)"));
        QVERIFY(!pane->quotaWarning());
        QCOMPARE(operations(*s.history), QStringList()); // reading is not a write
    }

    void shouldCreatePublicWithTheAppAndPrivateAsTheAccount()
    {
        Setup s;
        QVERIFY(open(s));
        ActivitySubscriptionsPane *pane = s.pane;
        // Public: post.create for carol, to the demo webhook, with the app's Bearer token.
        ActivitySubscriptionDialog *dialog = pane->openCreateDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->selectEventType(QStringLiteral("post.create")));
        // @carol is asked of X (GET /2/users/by) when the typing pauses.
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("activityFilterUser")),
                         QStringLiteral("@carol"));
        dialog->findChild<QLineEdit *>(QStringLiteral("activityTag"))->setText(QStringLiteral("carol posts"));
        auto *webhook = dialog->findChild<QComboBox *>(QStringLiteral("activityWebhook"));
        webhook->setCurrentIndex(webhook->findData(demo::validWebhookId));
        QVERIFY(webhook->currentIndex() > 0);
        QTRY_VERIFY2(dialog->canSubmit(), qPrintable(dialog->problem()));
        QCOMPARE(dialog->request().filter.userId, demo::carol.id);
        QSignalSpy created(pane, &ActivitySubscriptionsPane::subscriptionCreated);
        accept(dialog);
        QVERIFY(created.wait(10000));
        const QString publicId = created.takeFirst().at(0).toString();
        const auto stored = s.f.server.activitySubscription(publicId);
        QVERIFY(stored);
        QCOMPARE(stored->eventType, QStringLiteral("post.create"));
        QCOMPARE(stored->filter.userId, demo::carol.id);
        QCOMPARE(stored->tag, QStringLiteral("carol posts"));
        QCOMPARE(stored->webhookId, demo::validWebhookId);
        QCOMPARE(pane->model()->rowCount(), demo::activitySubscriptionCount + 1);
        QCOMPARE(pane->selectedSubscriptionIds(), QStringList {publicId});
        const QList<sandbox::JournalEntry> creates =
            s.f.server.journal().forPath(QStringLiteral("/2/activity/subscriptions"), "POST");
        QCOMPARE(creates.size(), 1);
        QCOMPARE(creates.last().credential, CredentialKind::AppOnly);

        // Private: likes of alice's posts, as alice with her OAuth 2.0 token.
        const sandbox::IssuedOAuth2Token issued =
            s.f.server.issueOAuth2Token(demo::alice.id,
                                        {QStringLiteral("like.read"), QStringLiteral("tweet.read"),
                                         QStringLiteral("users.read"), QStringLiteral("offline.access")});
        UserCredentials alice;
        alice.userId = demo::alice.id;
        alice.username = demo::alice.username;
        alice.oauth2.accessToken = issued.accessToken;
        alice.oauth2.refreshToken = issued.refreshToken;
        alice.oauth2.scopes = issued.scopes;
        alice.oauth2.expiresAt = QDateTime::currentDateTimeUtc().addSecs(7200);
        s.f.window->addAccount(builtInSandboxProfileId, alice);
        QTRY_VERIFY(std::any_of(
            s.f.window->currentProfile()->accounts.cbegin(), s.f.window->currentProfile()->accounts.cend(),
            [](const UserCredentials &user) { return user.userId == demo::alice.id && user.hasOAuth2(); }));
        dialog = pane->openCreateDialog();
        QVERIFY(dialog->selectEventType(QStringLiteral("like.create")));
        auto *account = dialog->findChild<QComboBox *>(QStringLiteral("activityAccount"));
        QVERIFY(account->isEnabled());
        account->setCurrentIndex(account->findData(demo::alice.id));
        QVERIFY(account->currentIndex() >= 0);
        // @alice is known (a signed-in account), so the name is enough.
        dialog->findChild<QLineEdit *>(QStringLiteral("activityFilterUser"))
            ->setText(QStringLiteral("@alice"));
        auto *direction = dialog->findChild<QComboBox *>(QStringLiteral("activityFilterDirection"));
        direction->setCurrentIndex(direction->findData(QStringLiteral("outbound")));
        QVERIFY2(dialog->canSubmit(), qPrintable(dialog->problem()));
        accept(dialog);
        QVERIFY(created.wait(10000));
        const QString privateId = created.takeFirst().at(0).toString();
        const auto like = s.f.server.activitySubscription(privateId);
        QVERIFY(like);
        QCOMPARE(like->eventType, QStringLiteral("like.create"));
        QCOMPARE(like->filter.userId, demo::alice.id);
        QCOMPARE(like->filter.direction, QStringLiteral("outbound"));
        const QList<sandbox::JournalEntry> all =
            s.f.server.journal().forPath(QStringLiteral("/2/activity/subscriptions"), "POST");
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.last().credential, CredentialKind::OAuth2User);
        QTRY_COMPARE(operations(*s.history),
                     (QStringList {QStringLiteral("activity.subscriptions.create:succeeded"),
                                   QStringLiteral("activity.subscriptions.create:succeeded")}));
    }

    void shouldEditTheTag()
    {
        Setup s;
        QVERIFY(open(s));
        ActivitySubscriptionsPane *pane = s.pane;
        pane->selectSubscriptions({demo::activityBioSubscriptionId});
        ActivitySubscriptionDialog *dialog = pane->openEditDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isEditing());
        QVERIFY(!dialog->findChild<QComboBox *>(QStringLiteral("activityEventType"))->isEnabled());
        dialog->findChild<QLineEdit *>(QStringLiteral("activityTag"))
            ->setText(QStringLiteral("alice bio v2"));
        QSignalSpy updated(pane, &ActivitySubscriptionsPane::subscriptionUpdated);
        accept(dialog);
        QVERIFY(updated.wait(10000));
        QCOMPARE(s.f.server.activitySubscription(demo::activityBioSubscriptionId)->tag,
                 QStringLiteral("alice bio v2"));
        const int row = rowOf(pane, demo::activityBioSubscriptionId);
        QCOMPARE(pane->model()->index(row, int(Column::Tag)).data().toString(),
                 QStringLiteral("alice bio v2"));
        QTRY_COMPARE(operations(*s.history),
                     QStringList {QStringLiteral("activity.subscriptions.update:succeeded")});
    }

    void shouldAskBeforeDeleting()
    {
        Setup s;
        QVERIFY(open(s));
        ActivitySubscriptionsPane *pane = s.pane;
        pane->selectSubscriptions({demo::activityPostSubscriptionId});
        // No: nothing is sent. The Delete key asks the same question.
        s.f.prompter.answers = {false};
        pane->view()->setFocus();
        QTest::keyClick(pane->view(), Qt::Key_Delete);
        QCOMPARE(s.f.prompter.asked.size(), 1);
        QVERIFY2(s.f.prompter.asked.last().question.contains(QLatin1String("post.create")),
                 qPrintable(s.f.prompter.asked.last().question));
        QVERIFY(s.f.server.activitySubscription(demo::activityPostSubscriptionId));
        // Yes: deleted at X and from the table.
        s.f.prompter.answers = {true};
        QSignalSpy deleted(pane, &ActivitySubscriptionsPane::subscriptionsDeleted);
        pane->deleteSelected();
        QVERIFY(deleted.wait(10000));
        QCOMPARE(s.f.prompter.asked.size(), 2);
        QVERIFY(!s.f.server.activitySubscription(demo::activityPostSubscriptionId));
        QCOMPARE(rowOf(pane, demo::activityPostSubscriptionId), -1);
        QCOMPARE(pane->model()->rowCount(), demo::activitySubscriptionCount - 1);
        QTRY_COMPARE(operations(*s.history),
                     QStringList {QStringLiteral("activity.subscriptions.delete:succeeded")});
    }

    void shouldBulkDeleteInBatchesAndKeepTheRefusedSelected()
    {
        Setup s;
        s.f.server.addActivitySubscriptions(250, demo::validWebhookId);
        QVERIFY(open(s));
        ActivitySubscriptionsPane *pane = s.pane;
        QCOMPARE(pane->model()->rowCount(), 253);
        // One row X no longer has (deleted elsewhere meanwhile): its id is refused.
        ActivitySubscription gone;
        gone.id = QStringLiteral("1999999999999999999");
        gone.eventType = QStringLiteral("post.create");
        gone.filter.userId = demo::bob.id;
        pane->model()->upsert(gone);
        pane->view()->selectAll();
        QCOMPARE(pane->selectedSubscriptionIds().size(), 254);
        s.f.prompter.answers = {true};
        QSignalSpy finished(pane, &ActivitySubscriptionsPane::bulkDeleteFinished);
        pane->bulkDeleteSelected();
        QCOMPARE(s.f.prompter.asked.size(), 1);
        QVERIFY(s.f.prompter.asked.last().question.contains(QLatin1String("254")));
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().at(0).toStringList().size(), 253);
        QCOMPARE(pane->lastBulkFailures().size(), 1);
        QCOMPARE(pane->lastBulkFailures().first().subscriptionId, gone.id);
        QVERIFY(!pane->lastBulkFailures().first().reason.isEmpty());
        QVERIFY(s.f.server.activitySubscriptions().isEmpty());
        // The refused one stays, selected, and the message bar says why.
        QCOMPARE(pane->model()->rowCount(), 1);
        QCOMPARE(pane->selectedSubscriptionIds(), QStringList {gone.id});
        auto *bar = s.f.window->findChild<MessageBar *>();
        QVERIFY(bar && bar->isShowing());
        // Three batches (100, 100, 54), one history entry each.
        const QList<sandbox::JournalEntry> batches =
            s.f.server.journal().forPath(QStringLiteral("/2/activity/subscriptions"), "DELETE");
        QCOMPARE(batches.size(), 3);
        QTRY_COMPARE(operations(*s.history).size(), 3);
        for (const QString &entry : operations(*s.history))
            QVERIFY2(entry.startsWith(QLatin1String("activity.subscriptions.delete_many:")),
                     qPrintable(entry));
        QVERIFY(!operations(*s.history).join(QLatin1Char(' ')).contains(QLatin1String(":pending")));
    }

    void shouldWarnWhenTheTierIsNearlyFull()
    {
        Setup s;
        s.f.server.setActivityTier(xaa::Tier::SelfServe);
        s.f.server.addActivitySubscriptions(1000);
        QVERIFY(open(s, xaa::Tier::SelfServe));
        ActivitySubscriptionsPane *pane = s.pane;
        QCOMPARE(pane->model()->rowCount(), 1003);
        QCOMPARE(pane->quotaBar()->text(), QStringLiteral("1,003 of 1,500 subscriptions (Self-serve)"));
        QVERIFY(!pane->quotaWarning());
        QCOMPARE(pane->quotaBar()->value(), 668);
        const QColor normal = pane->quotaBar()->palette().color(QPalette::Highlight);
        s.f.server.addActivitySubscriptions(350);
        QVERIFY(reload(pane));
        QCOMPARE(pane->quotaBar()->text(), QStringLiteral("1,353 of 1,500 subscriptions (Self-serve)"));
        QVERIFY(pane->quotaWarning()); // 90 % and more
        QVERIFY(pane->quotaBar()->property("warning").toBool());
        QVERIFY(pane->quotaBar()->palette().color(QPalette::Highlight) != normal);
    }

    void shouldExportCsv()
    {
        Setup s;
        QVERIFY(open(s));
        ActivitySubscriptionsPane *pane = s.pane;
        QTRY_COMPARE(pane->model()
                         ->index(rowOf(pane, demo::activityBioSubscriptionId), int(Column::Filter))
                         .data()
                         .toString(),
                     QStringLiteral("@alice"));
        const QString path = m_dir.filePath(QStringLiteral("activity.csv"));
        QString error;
        QVERIFY2(pane->exportCsv(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), demo::activitySubscriptionCount + 2);
        QCOMPARE(lines.at(0),
                 QByteArray("subscription_id,event_type,user_id,username,keyword,direction,tag,"
                            "webhook_id,created_at,updated_at\r"));
        QByteArray bio;
        for (const QByteArray &line : lines) {
            if (line.startsWith(demo::activityBioSubscriptionId.toUtf8()))
                bio = line;
        }
        QVERIFY2(
            bio.startsWith((demo::activityBioSubscriptionId + QStringLiteral(",profile.update.bio,") +
                            demo::alice.id + QStringLiteral(",alice,,,alice bio,") + demo::validWebhookId)
                               .toUtf8()),
            bio.constData());
    }
};

QTEST_MAIN(TestConsoleActivity)
#include "tst_console_activity.moc"
