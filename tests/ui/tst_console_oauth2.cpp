#include "AccountTableModel.h"
#include "ConsoleTestSupport.h"
#include "MemorySecretBackend.h"
#include "MessageBar.h"
#include "ProfileDialog.h"
#include "ProfileStore.h"
#include "RequestLog.h"
#include "RequestLogModel.h"
#include "SecretStore.h"
#include "SubscriptionTableModel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QToolButton>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

// OAuth 2.0 in the console (#14): the profile dialog's OAuth 2.0 group, the account table's sign-in
// columns, the OAuth 2.0 sign-in action, and calls as an OAuth 2.0 account against the sandbox:
// renewed before expiry, "sign in again" when the grant is gone, revoked when the account is removed.
// Keychains are in memory (MemorySecretBackend); the sign-in helper is never started.
class TestConsoleOAuth2 : public QObject
{
    Q_OBJECT
public:
    static void initMain()
    {
        // A sign-in started by a test fails at once instead of opening a window.
        qputenv("ACTIVITY_SIGNIN_HELPER", "/nonexistent/activity-signin");
    }

private:
    template<typename T> static T *child(QObject *parent, const char *name)
    {
        return parent->findChild<T *>(QString::fromLatin1(name));
    }

    // Starts the window on the sandbox and waits until the valid demo webhook's subscriptions are in.
    static bool loadDemo(ConsoleFixture &f)
    {
        if (!f.listen())
            return false;
        MainWindow *window = f.createWindow();
        QSignalSpy resolved(window, &MainWindow::namesResolved);
        window->start();
        return resolved.wait(20000) && window->selectedWebhookId() == demo::validWebhookId;
    }

    // `user` signs in with OAuth 2.0 as well (a grant the sandbox made for the demo client); the
    // console keeps it beside the demo OAuth 1.0a tokens.
    static UserCredentials signInWithOAuth2(ConsoleFixture &f, const demo::User &user,
                                            const QDateTime &expiresAt)
    {
        const sandbox::IssuedOAuth2Token issued =
            f.server.issueOAuth2Token(user.id, oauth2::accountActivityScopes());
        UserCredentials credentials;
        credentials.userId = user.id;
        credentials.username = user.username;
        credentials.oauth2.accessToken = issued.accessToken;
        credentials.oauth2.refreshToken = issued.refreshToken;
        credentials.oauth2.scopes = issued.scopes;
        credentials.oauth2.expiresAt = expiresAt;
        f.window->addAccount(builtInSandboxProfileId, credentials);
        return credentials;
    }

    static AccountTableModel *accountModel(MainWindow *window)
    {
        return qobject_cast<AccountTableModel *>(child<QComboBox>(window, "accountCombo")->model());
    }

    static bool selectAccount(MainWindow *window, const QString &userId)
    {
        auto *combo = child<QComboBox>(window, "accountCombo");
        const int index = combo->findData(userId);
        combo->setCurrentIndex(index);
        return index >= 0;
    }

    static QStringList operations(RequestLog *log)
    {
        QStringList names;
        for (const RequestLogEntry &entry : log->entries())
            names.append(entry.operation);
        return names;
    }

private Q_SLOTS:
    // The OAuth 2.0 settings go to the settings file, the client secret only to the keychain; a new
    // session shows them all again.
    void shouldKeepTheOAuth2SettingsAndTheClientSecretInTheKeychain()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        auto shared = std::make_shared<MemorySecretBackend::Shared>();
        const auto secrets = MemorySecretBackend::store(shared);
        ProfileStore store(&f.settings, secrets.get());
        ConsoleServices services;
        services.network = &f.network;
        services.prompter = &f.prompter;
        services.settings = &f.settings;
        services.profiles = &store;
        const QByteArray clientSecret = QByteArrayLiteral("oauth2-client-secret-Kq7zW");
        const QString redirect = QStringLiteral("http://127.0.0.1:8976/callback");
        const oauth2::ScopePreset *likes = oauth2::findPreset(u"activity-likes");
        QVERIFY(likes);
        QString id;
        {
            MainWindow window(services);
            window.setBuiltInProfile(sandboxProfile(f.server));
            window.show();
            window.start();
            ProfileDialog *dialog = window.openProfileDialog();
            QVERIFY(dialog);
            dialog->addProfile();
            child<QLineEdit>(dialog, "profileName")->setText(QStringLiteral("OAuth app"));
            child<QLineEdit>(dialog, "profileBaseUrl")->setText(f.server.baseUrl().toString());
            child<QCheckBox>(dialog, "profileAllowInsecureLoopback")->setChecked(true);
            child<QLineEdit>(dialog, "profileConsumerKey")->setText(QString::fromUtf8(demo::consumerKey));
            child<QLineEdit>(dialog, "profileOAuth2ClientId")
                ->setText(QString::fromUtf8(demo::oauth2ClientId));
            auto *secretField = child<QLineEdit>(dialog, "profileOAuth2ClientSecret");
            QCOMPARE(secretField->echoMode(), QLineEdit::Password);
            secretField->setText(QString::fromUtf8(clientSecret));
            child<QLineEdit>(dialog, "profileOAuth2RedirectUri")->setText(redirect);
            auto *preset = child<QComboBox>(dialog, "profileOAuth2ScopePreset");
            preset->setCurrentIndex(preset->findData(likes->id));
            QCOMPARE(dialog->checkedScopes(), likes->scopes);
            dialog->saveProfile();
            auto *result = child<QLabel>(dialog, "profileStoreResult");
            QTRY_COMPARE_WITH_TIMEOUT(result->text(), QStringLiteral("Saved."), 10000);
            id = dialog->selectedProfileId();
            QVERIFY(!id.isEmpty());
        }

        const std::optional<Profile> stored = store.profile(id);
        QVERIFY(stored);
        QCOMPARE(stored->oauth2ClientId, QString::fromUtf8(demo::oauth2ClientId));
        QCOMPARE(stored->oauth2RedirectUri, redirect);
        QCOMPARE(stored->oauth2Scopes, likes->scopes);
        f.settings.sync();
        QFile file(f.settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray ini = file.readAll();
        QVERIFY(ini.contains(demo::oauth2ClientId));
        QVERIFY(!ini.contains(clientSecret));
        const QByteArray appEntry =
            shared->entries.value(QStringLiteral("activity-test/") + ProfileStore::appSecretKey(id));
        QVERIFY(appEntry.contains(clientSecret));

        // A new session reads the secret back from the keychain into the form.
        MainWindow window(services);
        window.setBuiltInProfile(sandboxProfile(f.server));
        window.show();
        window.start();
        ProfileDialog *dialog = window.openProfileDialog();
        QVERIFY(dialog->selectProfile(id));
        QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(dialog, "profileOAuth2ClientSecret")->text(),
                                  QString::fromUtf8(clientSecret), 10000);
        QCOMPARE(child<QLineEdit>(dialog, "profileOAuth2ClientId")->text(),
                 QString::fromUtf8(demo::oauth2ClientId));
        QCOMPARE(child<QLineEdit>(dialog, "profileOAuth2RedirectUri")->text(), redirect);
        QCOMPARE(dialog->scopePresetId(), likes->id);
        const ResolvedProfile edited = dialog->editedProfile();
        QCOMPARE(edited.credentials.oauth2ClientSecret, clientSecret);
        QCOMPARE(edited.oauth2Scopes, likes->scopes);
    }

    void shouldTickAPresetsScopesAndSwitchToCustomWhenEdited()
    {
        PresetPrompter prompter;
        ProfileDialog dialog(nullptr, &prompter);
        // A new profile asks for the Account Activity scopes, stored as "none chosen".
        QCOMPARE(dialog.scopePresetId(), QStringLiteral("account-activity"));
        QCOMPARE(dialog.checkedScopes(), oauth2::accountActivityScopes());
        QVERIFY(dialog.editedProfile().oauth2Scopes.isEmpty());

        auto *list = child<QListWidget>(&dialog, "profileOAuth2Scopes");
        QCOMPARE(list->count(), int(oauth2::knownScopes().size()));
        for (int row = 0; row < list->count(); ++row)
            QCOMPARE(list->item(row)->toolTip(), oauth2::scopeReason(list->item(row)->text()));
        list->setCurrentRow(0);
        QCOMPARE(child<QLabel>(&dialog, "profileOAuth2ScopeReason")->text(),
                 oauth2::scopeReason(list->item(0)->text()));

        const oauth2::ScopePreset *mutes = oauth2::findPreset(u"activity-mutes-blocks");
        QVERIFY(mutes);
        auto *preset = child<QComboBox>(&dialog, "profileOAuth2ScopePreset");
        QCOMPARE(preset->findData(QStringLiteral("custom")), preset->count() - 1);
        preset->setCurrentIndex(preset->findData(mutes->id));
        QCOMPARE(dialog.checkedScopes(), mutes->scopes);
        QCOMPARE(dialog.editedProfile().oauth2Scopes, mutes->scopes);

        // Ticking one more by hand: Custom, with the preset's scopes plus the new one.
        const QList<QListWidgetItem *> like = list->findItems(QStringLiteral("like.read"), Qt::MatchExactly);
        QCOMPARE(like.size(), 1);
        like.first()->setCheckState(Qt::Checked);
        QCOMPARE(dialog.scopePresetId(), QStringLiteral("custom"));
        QVERIFY(dialog.checkedScopes().contains(QStringLiteral("like.read")));
        QCOMPARE(dialog.checkedScopes().size(), mutes->scopes.size() + 1);

        // Unticking everything is refused.
        for (int row = 0; row < list->count(); ++row)
            list->item(row)->setCheckState(Qt::Unchecked);
        QVERIFY(!dialog.oauth2Problem().isEmpty());
        QVERIFY(!child<QPushButton>(&dialog, "profileSave")->isEnabled());
        dialog.choosePreset(QStringLiteral("account-activity"));
        QVERIFY(dialog.oauth2Problem().isEmpty());
        QVERIFY(dialog.editedProfile().oauth2Scopes.isEmpty());
    }

    void shouldRefuseAnInvalidRedirectUri()
    {
        PresetPrompter prompter;
        ProfileDialog dialog(nullptr, &prompter);
        QSignalSpy saved(&dialog, &ProfileDialog::saveRequested);
        QVERIFY(child<QLabel>(&dialog, "profileOAuth2RedirectHint")
                    ->text()
                    .contains(QStringLiteral("developer portal")));
        auto *redirect = child<QLineEdit>(&dialog, "profileOAuth2RedirectUri");
        // Plain http is only for this computer's own address.
        redirect->setText(QStringLiteral("http://example.com/callback"));
        const QString problem = dialog.oauth2Problem();
        QVERIFY(!problem.isEmpty());
        QVERIFY(child<QLabel>(&dialog, "profileOAuth2Problem")->isVisibleTo(&dialog));
        QVERIFY(!child<QPushButton>(&dialog, "profileSave")->isEnabled());
        dialog.saveProfile();
        QCOMPARE(saved.size(), 0);
        QVERIFY(child<QLabel>(&dialog, "profileStoreResult")->text().contains(problem));

        redirect->setText(QStringLiteral("http://127.0.0.1:8976/callback"));
        QVERIFY(dialog.oauth2Problem().isEmpty());
        dialog.saveProfile();
        QCOMPARE(saved.size(), 1);
        QCOMPARE(dialog.editedProfile().oauth2RedirectUri,
                 QUrl(QStringLiteral("http://127.0.0.1:8976/callback")));
    }

    // The account selector's list is the account table: kind, scopes and expiry, never a token.
    void shouldShowKindScopesAndExpiryOfAnOAuth2Account()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        MainWindow *window = f.window.get();
        AccountTableModel *model = accountModel(window);
        QVERIFY(model);
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(child<QTableView>(window, "accountTable"));
        const UserCredentials bob =
            signInWithOAuth2(f, demo::bob, QDateTime::currentDateTimeUtc().addSecs(2 * 3600));
        const int row = model->rowOf(demo::bob.id);
        QVERIFY(row >= 0);
        using Column = AccountTableModel::Column;
        QCOMPARE(model->index(row, int(Column::SignInKind)).data().toString(),
                 QStringLiteral("OAuth 1.0a + 2.0"));
        QCOMPARE(model->index(row, int(Column::Scopes)).data().toString(),
                 oauth2::joinScopes(bob.oauth2.scopes));
        const QString expires = model->index(row, int(Column::Expires)).data().toString();
        QVERIFY2(expires == QStringLiteral("in 1 h 59 min") || expires == QStringLiteral("in 2 h 0 min"),
                 qPrintable(expires));
        QCOMPARE(model->index(model->rowOf(demo::alice.id), int(Column::SignInKind)).data().toString(),
                 QStringLiteral("OAuth 1.0a"));
        QVERIFY(selectAccount(window, demo::bob.id));
        const QString details = child<QLabel>(window, "accountDetails")->text();
        QVERIFY2(details.contains(QStringLiteral("OAuth 1.0a + 2.0")) &&
                     details.contains(QStringLiteral("dm.write")) &&
                     details.contains(QStringLiteral("expires in")),
                 qPrintable(details));

        for (int r = 0; r < model->rowCount(); ++r) {
            for (int column = 0; column < model->columnCount(); ++column) {
                for (int role = 0; role <= AccountTableModel::UserIdRole + 8; ++role) {
                    const QString text = model->index(r, column).data(role).toString();
                    QVERIFY(!text.contains(QString::fromLatin1(bob.oauth2.accessToken)));
                    QVERIFY(!text.contains(QString::fromLatin1(bob.oauth2.refreshToken)));
                    QVERIFY(!text.contains(QString::fromLatin1(demo::bob.token)));
                }
            }
        }
        QVERIFY(!details.contains(QString::fromLatin1(bob.oauth2.accessToken)));
    }

    // The built-in sandbox has the demo client: the action is on. A stored profile without a client
    // id says what it lacks and offers the profile dialog.
    void shouldOfferOAuth2SignInOnlyWithAClientIdAndRedirectUri()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        auto shared = std::make_shared<MemorySecretBackend::Shared>();
        const auto secrets = MemorySecretBackend::store(shared);
        ProfileStore store(&f.settings, secrets.get());
        Profile plain;
        plain.name = QStringLiteral("No OAuth 2.0 yet");
        plain.baseUrl = f.server.baseUrl().toString();
        plain.allowInsecureLoopback = true;
        plain.consumerKey = QString::fromUtf8(demo::consumerKey);
        const QString id = store.saveProfile(plain);
        bool saved = false;
        store.saveSecrets(id,
                          ProfileSecrets {demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, {}},
                          this, [&saved](const Result<Done> &result) { saved = bool(result); });
        QTRY_VERIFY(saved);

        ConsoleServices services;
        services.network = &f.network;
        services.prompter = &f.prompter;
        services.settings = &f.settings;
        services.profiles = &store;
        MainWindow window(services);
        window.setBuiltInProfile(sandboxProfile(f.server));
        window.show();
        window.start();
        QTRY_COMPARE(window.currentProfileId(), builtInSandboxProfileId);
        auto *action = window.findChild<QAction *>(QStringLiteral("oauth2SignInAction"));
        QVERIFY(action);
        QVERIFY(window.findChild<QToolButton *>(QStringLiteral("oauth2SignInButton")));
        QVERIFY(action->isEnabled());
        QVERIFY(!child<QWidget>(&window, "oauth2SetupHint")->isVisible());

        QVERIFY(window.selectProfile(id));
        QTRY_VERIFY_WITH_TIMEOUT(window.currentProfileId() == id && window.client(), 10000);
        QVERIFY(!action->isEnabled());
        QVERIFY(action->toolTip().contains(QStringLiteral("client ID")));
        QVERIFY(child<QWidget>(&window, "oauth2SetupHint")->isVisible());
        QVERIFY(child<QLabel>(&window, "oauth2SetupText")->text().contains(QStringLiteral("redirect URI")));
        child<QToolButton>(&window, "oauth2SetupButton")->click();
        QVERIFY(window.findChild<ProfileDialog *>());
        QCOMPARE(window.findChild<ProfileDialog *>()->selectedProfileId(), id);
    }

    // Removing an OAuth 2.0 account asks first (saying the sign-in is revoked), then revokes the
    // grant at X and removes the account.
    void shouldRevokeAtXBeforeRemovingAnAccount()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        MainWindow *window = f.window.get();
        const UserCredentials bob =
            signInWithOAuth2(f, demo::bob, QDateTime::currentDateTimeUtc().addSecs(2 * 3600));
        QVERIFY(!f.server.oauth2Scopes(bob.oauth2.accessToken).isEmpty());
        QVERIFY(selectAccount(window, demo::bob.id));
        auto *remove = window->findChild<QAction *>(QStringLiteral("removeAccountAction"));

        f.prompter.answers = {false};
        remove->trigger();
        QCOMPARE(f.prompter.asked.size(), 1);
        QVERIFY(f.prompter.asked.first().details.contains(QStringLiteral("revoked at X")));
        QVERIFY(accountModel(window)->rowOf(demo::bob.id) >= 0);
        QVERIFY(!operations(window->requestLog()).contains(QStringLiteral("oauth2.revoke")));

        f.prompter.answers = {true};
        remove->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(accountModel(window)->rowOf(demo::bob.id), -1, 10000);
        QVERIFY(operations(window->requestLog()).contains(QStringLiteral("oauth2.revoke")));
        QVERIFY(f.server.oauth2Scopes(bob.oauth2.accessToken).isEmpty()); // the grant is over at X
        QVERIFY(!window->messageBar()->isShowing() ||
                window->messageBar()->level() != MessageBar::Level::Warning);
        QVERIFY(accountModel(window)->rowOf(demo::alice.id) >= 0);
    }

    void shouldRemoveTheAccountAndWarnWhenRevocationFails()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        MainWindow *window = f.window.get();
        const UserCredentials bob =
            signInWithOAuth2(f, demo::bob, QDateTime::currentDateTimeUtc().addSecs(2 * 3600));
        f.server.faults().always("POST", QStringLiteral("/2/oauth2/revoke"), sandbox::Fault::httpStatus(503));
        QVERIFY(selectAccount(window, demo::bob.id));
        f.prompter.answers = {true};
        window->findChild<QAction *>(QStringLiteral("removeAccountAction"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(accountModel(window)->rowOf(demo::bob.id), -1, 20000);
        QTRY_VERIFY(window->messageBar()->isShowing());
        QCOMPARE(window->messageBar()->level(), MessageBar::Level::Warning);
        QVERIFY2(window->messageBar()->cause().contains(QStringLiteral("@bob was removed here")),
                 qPrintable(window->messageBar()->cause()));
        QVERIFY(!f.server.oauth2Scopes(bob.oauth2.accessToken).isEmpty()); // X still honours it
    }

    // An expired access token is renewed before the subscribe, which then goes out with the new
    // OAuth 2.0 token; the account list shows the new expiry.
    void shouldRenewAnExpiredTokenBeforeSubscribing()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        MainWindow *window = f.window.get();
        const UserCredentials bob =
            signInWithOAuth2(f, demo::bob, QDateTime::currentDateTimeUtc().addSecs(-60));
        QVERIFY(!bob.oauth2.refreshToken.isEmpty());
        QVERIFY(selectAccount(window, demo::bob.id));
        AccountTableModel *model = accountModel(window);
        const QModelIndex expiry =
            model->index(model->rowOf(demo::bob.id), int(AccountTableModel::Column::Expires));
        QCOMPARE(expiry.data().toString(), QStringLiteral("expired — renews on next use"));
        QVERIFY(!f.server.isSubscribed(demo::validWebhookId, demo::bob.id));
        window->requestLog()->clear();

        window->subscribeSelectedAccount();
        QTRY_VERIFY_WITH_TIMEOUT(f.server.isSubscribed(demo::validWebhookId, demo::bob.id), 10000);
        QTRY_VERIFY(window->subscriptionModel()->rowOf(demo::bob.id) >= 0);
        QCOMPARE(f.server.oauth2TokenRequests(QStringLiteral("refresh_token")), 1);
        const QList<RequestLogEntry> entries = window->requestLog()->entries();
        int refresh = -1;
        int subscribe = -1;
        for (int i = 0; i < entries.size(); ++i) {
            if (entries.at(i).operation == QLatin1String("oauth2.user_token") && refresh < 0)
                refresh = i;
            if (entries.at(i).operation == QLatin1String("subscriptions.add") && subscribe < 0)
                subscribe = i;
        }
        QVERIFY(refresh >= 0);
        QVERIFY(subscribe > refresh);
        QCOMPARE(entries.at(subscribe).credential, CredentialKind::OAuth2User);
        QCOMPARE(entries.at(subscribe).httpStatus, 200);
        QCOMPARE(RequestLogModel::credentialText(entries.at(subscribe).credential),
                 QStringLiteral("OAuth 2.0 user"));
        auto *logView = child<QTableView>(window, "requestLogView");
        QVERIFY(logView);
        bool shown = false;
        for (int row = 0; row < logView->model()->rowCount(); ++row)
            shown = shown ||
                logView->model()->index(row, int(RequestLogModel::Column::Credential)).data().toString() ==
                    QLatin1String("OAuth 2.0 user");
        QVERIFY(shown);

        // The renewed token is the one in memory: later calls need no refresh.
        QTRY_VERIFY(model->index(model->rowOf(demo::bob.id), int(AccountTableModel::Column::Expires))
                        .data()
                        .toString()
                        .startsWith(QStringLiteral("in ")));
        const ResolvedProfile *profile = window->currentProfile();
        for (const UserCredentials &account : profile->accounts) {
            if (account.userId == demo::bob.id) {
                QVERIFY(account.oauth2.accessToken != bob.oauth2.accessToken);
                QVERIFY(!f.server.oauth2Scopes(account.oauth2.accessToken).isEmpty());
            }
        }
        QSignalSpy checked(window, &MainWindow::subscriptionChecked);
        window->checkSelectedAccount();
        QVERIFY(checked.wait());
        QCOMPARE(checked.last().at(1).toBool(), true);
        QCOMPARE(f.server.oauth2TokenRequests(QStringLiteral("refresh_token")), 1);
    }

    // The person revoked the app at X: the call fails, the message bar asks to sign in again (with
    // the button that starts it), and the account stays listed.
    void shouldAskToSignInAgainWhenTheGrantIsGone()
    {
        ConsoleFixture f;
        QVERIFY(loadDemo(f));
        MainWindow *window = f.window.get();
        signInWithOAuth2(f, demo::bob, QDateTime::currentDateTimeUtc().addSecs(2 * 3600));
        QVERIFY(f.server.revokeOAuth2Grants(demo::bob.id) > 0);
        QVERIFY(selectAccount(window, demo::bob.id));
        QSignalSpy failed(window, &MainWindow::callFailed);
        window->subscribeSelectedAccount();
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().first().value<ApiError>().name, QStringLiteral("sign_in_again"));
        MessageBar *bar = window->messageBar();
        QVERIFY(bar->isShowing());
        QCOMPARE(bar->level(), MessageBar::Level::Warning);
        QVERIFY2(bar->cause().contains(QStringLiteral("@bob")), qPrintable(bar->cause()));
        QCOMPARE(bar->actionText(), QStringLiteral("Sign in again"));
        QVERIFY(!f.server.isSubscribed(demo::validWebhookId, demo::bob.id));
        QVERIFY(accountModel(window)->rowOf(demo::bob.id) >= 0); // nothing removed
        QVERIFY(operations(window->requestLog()).contains(QStringLiteral("oauth2.user_token")));

        QSignalSpy signIn(window, &MainWindow::oauth2SignInRequested);
        auto *button = child<QPushButton>(bar, "messageBarAction");
        QVERIFY(button && button->isVisible());
        button->click();
        QCOMPARE(signIn.size(), 1);
        QCOMPARE(signIn.first().first().toString(), builtInSandboxProfileId);
        // The helper is not there in this test: the sign-in says so instead of opening a window.
        QTRY_VERIFY(bar->isShowing() && bar->level() == MessageBar::Level::Error);
    }
};

QTEST_MAIN(TestConsoleOAuth2)
#include "tst_console_oauth2.moc"
