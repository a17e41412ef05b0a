// Subscriptions > Find Subscriber… (#17) in the real window over an in-process sandbox on
// 127.0.0.1: @alice is found on the two webhooks that list her (the demo's and one more), a user on
// none is said to be on none, and after a subscribe and an unsubscribe the refreshed lists show who
// appeared and who disappeared (snapshots in a temporary folder). With "All profiles", two stored
// profiles on sandboxes of their own (secrets in an in-memory keychain) are searched too, each
// answer naming its profile, and a profile that cannot be searched says why while the others answer.
#include "ConsoleTestSupport.h"
#include "FindSubscriberDialog.h"
#include "MemorySecretBackend.h"
#include "ProfileStore.h"
#include "SandboxDemo.h"

#include <QAction>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

class TestConsoleFindSubscriber : public QObject
{
    Q_OBJECT

    static QStringList column(QTreeWidget *tree, int column)
    {
        QStringList out;
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            out.append(tree->topLevelItem(i)->text(column));
        out.sort();
        return out;
    }

    static QStringList children(QTreeWidget *tree, const QString &webhookId)
    {
        QStringList out;
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            QTreeWidgetItem *top = tree->topLevelItem(i);
            if (!top->text(0).startsWith(webhookId))
                continue;
            for (int c = 0; c < top->childCount(); ++c)
                out.append(top->child(c)->data(0, Qt::UserRole).toString() + QLatin1Char(' ') +
                           top->child(c)->text(1));
        }
        out.sort();
        return out;
    }

private Q_SLOTS:
    void findsAUserAcrossWebhooksAndShowsWhatChanged()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        const QString second = f.server.addWebhook(QStringLiteral("https://example.com/second"), true);
        QVERIFY(f.server.subscribe(second, demo::alice.id));
        ConsoleServices services;
        services.subscribersFolder = f.dir.filePath(QStringLiteral("subscribers"));
        f.startWindow(services);
        QTRY_VERIFY(!f.window->currentProfileId().isEmpty());
        auto *action = f.window->findChild<QAction *>(QStringLiteral("findSubscriberAction"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));

        FindSubscriberDialog *dialog = f.window->findSubscriber();
        QVERIFY(dialog && dialog->isVisible());
        QSignalSpy searched(dialog, &FindSubscriberDialog::searched);
        dialog->queryEdit()->setText(QStringLiteral("@Alice"));
        QTest::mouseClick(dialog->findButton(), Qt::LeftButton);
        QVERIFY(searched.wait(10000));
        QCOMPARE(searched.at(0).at(0).toBool(), true);
        QStringList expected {demo::validWebhookId, second};
        expected.sort();
        QCOMPARE(column(dialog->results(), FindSubscriberDialog::WebhookColumn), expected);
        QCOMPARE(column(dialog->results(), FindSubscriberDialog::ProfileColumn),
                 QStringList(2, f.window->currentProfile()->name));
        QVERIFY2(dialog->status()->text().contains(QStringLiteral("subscribed to 2 webhook")),
                 qPrintable(dialog->status()->text()));
        // Three webhooks listed, each for the first time.
        QCOMPARE(dialog->changes()->topLevelItemCount(), 3);

        // Bob is on none (an id: no lookup, and the lists are not read again).
        searched.clear();
        dialog->queryEdit()->setText(demo::bob.id);
        QTest::keyClick(dialog->queryEdit(), Qt::Key_Return);
        QTRY_VERIFY(!searched.isEmpty()); // an id is answered at once
        QCOMPARE(searched.at(0).at(0).toBool(), false);
        QCOMPARE(dialog->results()->topLevelItemCount(), 0);
        QVERIFY(dialog->status()->text().contains(QStringLiteral("not subscribed")));

        // Bob subscribes, alice leaves the second webhook: Refresh Lists says so.
        QVERIFY(f.server.subscribe(demo::validWebhookId, demo::bob.id));
        QVERIFY(f.server.subscribe(second, demo::carol.id));
        QCOMPARE(unsubscribe(f, second, demo::alice.id), true);
        QSignalSpy refreshed(dialog, &FindSubscriberDialog::listsRefreshed);
        QTest::mouseClick(dialog->refreshButton(), Qt::LeftButton);
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(children(dialog->changes(), demo::validWebhookId),
                 QStringList {demo::bob.id + QStringLiteral(" appeared")});
        QCOMPARE(children(dialog->changes(), second),
                 (QStringList {demo::alice.id + QStringLiteral(" disappeared"),
                               demo::carol.id + QStringLiteral(" appeared")}));

        // Not a user: said so, nothing sent.
        dialog->queryEdit()->setText(QStringLiteral("not a user!"));
        dialog->find();
        QVERIFY(dialog->status()->text().contains(QStringLiteral("is not a user")));
    }

    // Bob is subscribed on the second stored profile's webhook only: with All profiles ticked the
    // dialog finds him there and names that profile; the active profile alone does not list him.
    void findsAUserInEveryStoredProfile()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        sandbox::SandboxServer production;
        sandbox::SandboxServer staging;
        for (sandbox::SandboxServer *server : {&production, &staging}) {
            server->seedDemo();
            QVERIFY(server->listen(QHostAddress::LocalHost, 0));
        }
        const QString stagingHook = staging.addWebhook(QStringLiteral("https://example.com/staging"), true);
        QVERIFY(staging.subscribe(stagingHook, demo::bob.id));
        const std::unique_ptr<SecretStore> secrets = MemorySecretBackend::store();
        ProfileStore store(&f.settings, secrets.get());
        QVERIFY(!storeProfile(store, QStringLiteral("Production"), production, demoSecrets()).isEmpty());
        QVERIFY(!storeProfile(store, QStringLiteral("Staging"), staging, demoSecrets()).isEmpty());
        const auto closeWindow = qScopeGuard([&f] { f.window.reset(); }); // before the store goes
        ConsoleServices services;
        services.subscribersFolder = f.dir.filePath(QStringLiteral("subscribers"));
        services.profiles = &store;
        f.startWindow(services);
        QTRY_VERIFY(f.window->client());
        const QString active = f.window->currentProfile()->name;

        FindSubscriberDialog *dialog = f.window->findSubscriber();
        QVERIFY(dialog);
        QVERIFY(dialog->allProfilesBox()->isEnabled());
        QVERIFY(!dialog->allProfilesBox()->isChecked());
        QTest::mouseClick(dialog->allProfilesBox(), Qt::LeftButton);
        QVERIFY(dialog->searchesAllProfiles());
        QCOMPARE(f.settings.value(QStringLiteral("health/findAllProfiles")).toBool(), true);

        QSignalSpy searched(dialog, &FindSubscriberDialog::searched);
        dialog->queryEdit()->setText(QStringLiteral("@bob"));
        QTest::mouseClick(dialog->findButton(), Qt::LeftButton);
        QVERIFY(searched.wait(10000));
        QCOMPARE(searched.at(0).at(0).toBool(), true);
        QTreeWidget *results = dialog->results();
        QCOMPARE(results->topLevelItemCount(), 1);
        QCOMPARE(results->topLevelItem(0)->text(FindSubscriberDialog::ProfileColumn),
                 QStringLiteral("Staging"));
        QCOMPARE(results->topLevelItem(0)->text(FindSubscriberDialog::WebhookColumn), stagingHook);
        QCOMPARE(results->topLevelItem(0)->text(FindSubscriberDialog::UrlColumn),
                 QStringLiteral("https://example.com/staging"));
        QVERIFY2(dialog->status()->text().contains(QStringLiteral("1 webhook(s) of Staging")),
                 qPrintable(dialog->status()->text()));
        QVERIFY(dialog->problems()->isHidden());
        // Each profile's webhooks were listed, each under its own profile.
        QCOMPARE(changedWebhooks(dialog->changes(), active), 2);
        QCOMPARE(changedWebhooks(dialog->changes(), QStringLiteral("Production")), 2);
        QCOMPARE(changedWebhooks(dialog->changes(), QStringLiteral("Staging")), 3);

        // Carol subscribes on Staging's webhook: Refresh Lists shows her there.
        QVERIFY(staging.subscribe(stagingHook, demo::carol.id));
        QSignalSpy refreshed(dialog, &FindSubscriberDialog::listsRefreshed);
        QTest::mouseClick(dialog->refreshButton(), Qt::LeftButton);
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(children(dialog->changes(), stagingHook),
                 QStringList {demo::carol.id + QStringLiteral(" appeared")});

        // The active profile alone: bob is on none of its webhooks.
        QTest::mouseClick(dialog->allProfilesBox(), Qt::LeftButton);
        QCOMPARE(f.settings.value(QStringLiteral("health/findAllProfiles")).toBool(), false);
        searched.clear();
        QTest::mouseClick(dialog->findButton(), Qt::LeftButton);
        QVERIFY(searched.wait(10000));
        QCOMPARE(searched.at(0).at(0).toBool(), false);
        QCOMPARE(changedWebhooks(dialog->changes(), QStringLiteral("Staging")), 0);

        // The box is remembered: the next dialog starts with it ticked.
        QTest::mouseClick(dialog->allProfilesBox(), Qt::LeftButton);
        dialog->close(); // deleted on close
        QTRY_VERIFY(!f.window->findChild<FindSubscriberDialog *>());
        dialog = f.window->findSubscriber();
        QVERIFY(dialog->allProfilesBox()->isChecked());
    }

    // A profile whose secret is not in the keychain and one whose app X refuses are each named with
    // what to do; the profile that can be searched still answers.
    void namesTheProfilesItCannotSearchAndAnswersForTheOthers()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        sandbox::SandboxServer staging;
        staging.seedDemo();
        QVERIFY(staging.listen(QHostAddress::LocalHost, 0));
        const QString stagingHook = staging.addWebhook(QStringLiteral("https://example.com/staging"), true);
        QVERIFY(staging.subscribe(stagingHook, demo::bob.id));
        const std::unique_ptr<SecretStore> secrets = MemorySecretBackend::store();
        ProfileStore store(&f.settings, secrets.get());
        QVERIFY(!storeProfile(store, QStringLiteral("Missing secret"), staging, std::nullopt).isEmpty());
        ProfileSecrets wrong {QByteArrayLiteral("wrong-consumer-secret"), demo::ownerToken,
                              demo::ownerTokenSecret, QByteArrayLiteral("wrong-bearer-token")};
        QVERIFY(!storeProfile(store, QStringLiteral("Refused"), staging, wrong).isEmpty());
        QVERIFY(!storeProfile(store, QStringLiteral("Staging"), staging, demoSecrets()).isEmpty());
        f.settings.setValue(QStringLiteral("health/findAllProfiles"), true); // ticked last time
        const auto closeWindow = qScopeGuard([&f] { f.window.reset(); });
        ConsoleServices services;
        services.subscribersFolder = f.dir.filePath(QStringLiteral("subscribers"));
        services.profiles = &store;
        f.startWindow(services);
        QTRY_VERIFY(f.window->client());

        FindSubscriberDialog *dialog = f.window->findSubscriber();
        QVERIFY(dialog->searchesAllProfiles());
        QSignalSpy searched(dialog, &FindSubscriberDialog::searched);
        dialog->queryEdit()->setText(demo::bob.id);
        QTest::keyClick(dialog->queryEdit(), Qt::Key_Return);
        QVERIFY(searched.wait(10000));
        QCOMPARE(searched.at(0).at(0).toBool(), true);
        QCOMPARE(column(dialog->results(), FindSubscriberDialog::ProfileColumn),
                 QStringList {QStringLiteral("Staging")});
        QVERIFY2(dialog->status()->text().contains(QStringLiteral("2 profile(s) could not be searched")),
                 qPrintable(dialog->status()->text()));

        QVERIFY(dialog->problems()->isVisible());
        const QStringList lines = dialog->problems()->text().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        const QString missing = lines.filter(QStringLiteral("Missing secret")).value(0);
        QVERIFY2(missing.contains(QStringLiteral("keychain")) &&
                     missing.contains(QStringLiteral("profile dialog")),
                 qPrintable(missing)); // which profile, and what to do
        const QString refused = lines.filter(QStringLiteral("Refused")).value(0);
        QVERIFY2(!refused.isEmpty(), qPrintable(dialog->problems()->text()));
        // No secret of any profile reaches the window.
        QVERIFY(!dialog->problems()->text().contains(QStringLiteral("wrong-consumer-secret")));
    }

private:
    static ProfileSecrets demoSecrets()
    {
        return {demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, demo::bearerToken};
    }

    // A stored profile for the demo app on `server`, its secrets (when given) in the keychain; its id.
    static QString storeProfile(ProfileStore &store, const QString &name,
                                const sandbox::SandboxServer &server,
                                const std::optional<ProfileSecrets> &secrets)
    {
        Profile profile;
        profile.name = name;
        profile.baseUrl = server.baseUrl().toString();
        profile.allowInsecureLoopback = true; // the sandbox's plain http on 127.0.0.1
        profile.consumerKey = QString::fromLatin1(demo::consumerKey);
        const QString id = store.saveProfile(profile);
        if (!secrets)
            return id;
        std::optional<bool> saved;
        store.saveSecrets(id, *secrets, &store,
                          [&saved](const Result<Done> &result) { saved = bool(result); });
        return QTest::qWaitFor([&] { return saved.has_value(); }, 10000) && *saved ? id : QString();
    }

    // How many webhooks of `profile` the changes list shows.
    static int changedWebhooks(QTreeWidget *tree, const QString &profile)
    {
        int count = 0;
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            count += tree->topLevelItem(i)->text(FindSubscriberDialog::ChangeProfileColumn) == profile;
        return count;
    }

    // An unsubscribe as the console does it, through the client of the window's profile.
    static bool unsubscribe(ConsoleFixture &f, const QString &webhookId, const QString &userId)
    {
        ApiClient *client = f.window->client();
        bool done = false;
        bool ok = false;
        client->unsubscribe(webhookId, userId, f.window.get(), [&](const Result<Done> &result) {
            ok = bool(result);
            done = true;
        });
        return QTest::qWaitFor([&] { return done; }, 10000) && ok;
    }
};

QTEST_MAIN(TestConsoleFindSubscriber)
#include "tst_console_find_subscriber.moc"
