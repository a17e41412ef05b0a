#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"
#include "HistoryStore.h"
#include "MessageBar.h"
#include "ProfileDialog.h"
#include "ProfileStore.h"
#include "SecretStore.h"
#include "WebhookTableModel.h"

#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

// Profiles stored through ProfileStore, with a keychain that is not there: the session bus address
// points nowhere, so every keychain job fails at once. The console must say so in the message bar
// and never fall back to plain text.
class TestConsoleProfiles : public QObject
{
    Q_OBJECT
public:
    static void initMain()
    {
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/activity-console-test-bus");
    }

private Q_SLOTS:
    // The composition root's built-in sandbox runs only while its profile is selected: nothing is
    // started before the profile is chosen, and choosing another profile stops it.
    void shouldStartTheBuiltInSandboxOnlyWhileItIsSelected()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("lazy.ini")), QSettings::IniFormat);
        SecretStore secrets(QStringLiteral("activity-console-test"));
        secrets.setTimeout(std::chrono::seconds(3));
        ProfileStore store(&settings, &secrets);
        Profile other;
        other.name = QStringLiteral("Other app");
        other.baseUrl = QStringLiteral("https://api.x.com");
        const QString otherId = store.saveProfile(other);

        QNetworkAccessManager network;
        PresetPrompter prompter;
        ConsoleServices services;
        services.network = &network;
        services.prompter = &prompter;
        services.settings = &settings;
        services.profiles = &store;
        MainWindow window(services);
        std::unique_ptr<sandbox::SandboxServer> server;
        int starts = 0;
        int stops = 0;
        ConsoleProfiles::Launcher launcher;
        launcher.start = [&](ConsoleProfiles::Launcher::Done done) {
            ++starts;
            server = std::make_unique<sandbox::SandboxServer>();
            server->seedDemo();
            if (!server->listen(QHostAddress::LocalHost, 0))
                return done(ApiError::make(ApiError::Kind::Network, QStringLiteral("no port")));
            done(sandboxConsoleProfile(*server));
        };
        launcher.stop = [&] {
            ++stops;
            server.reset();
        };
        window.setBuiltInSandbox(sandboxPlaceholderProfile(), launcher);
        window.show();
        QCOMPARE(starts, 0); // listed, not started
        QVERIFY(window.profileIds().contains(builtInSandboxProfileId));

        QSignalSpy refreshed(&window, &MainWindow::webhooksRefreshed);
        window.start();
        QCOMPARE(starts, 1);
        QVERIFY(server);
        QCOMPARE(window.currentProfile()->baseUrl, server->baseUrl());
        QVERIFY(refreshed.wait(10000)); // the console works against the server it started
        QVERIFY(window.webhookModel()->rowCount() > 0);

        QSignalSpy failed(&window, &MainWindow::callFailed);
        QVERIFY(window.selectProfile(otherId)); // no keychain here: selected, nothing sent
        QTRY_COMPARE(stops, 1);
        QVERIFY(!server);
        QVERIFY(window.selectProfile(builtInSandboxProfileId));
        QCOMPARE(starts, 2);
        QVERIFY(server);
        QCOMPARE(window.currentProfile()->baseUrl, server->baseUrl());
    }

    // The console opens the history after its first paint: the dock and the recording come then.
    void shouldTakeTheHistoryAfterTheWindowIsShown()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        MainWindow *window = f.createWindow();
        QVERIFY(!window->findChild<QDockWidget *>(QStringLiteral("historyDock")));
        HistoryStore history(f.dir.filePath(QStringLiteral("history.sqlite")));
        window->attachHistory(&history);
        QVERIFY(window->findChild<QDockWidget *>(QStringLiteral("historyDock")));
        window->start();
        QTRY_VERIFY(window->selectedWebhookId() == demo::validWebhookId ||
                    window->selectWebhook(demo::validWebhookId));
        window->validateSelectedWebhook();
        QTRY_COMPARE_WITH_TIMEOUT(history.entries().size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(history.entries().first().state, HistoryState::Succeeded, 10000);
    }

    void shouldExplainMissingKeychainInMessageBar()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        SecretStore secrets(QStringLiteral("activity-console-test"));
        secrets.setTimeout(std::chrono::seconds(3));
        ProfileStore store(&f.settings, &secrets);
        Profile stored;
        stored.name = QStringLiteral("Production app");
        stored.baseUrl = f.server.baseUrl().toString();
        stored.allowInsecureLoopback = true;
        stored.consumerKey = QString::fromUtf8(demo::consumerKey);
        const QString id = store.saveProfile(stored);

        ConsoleServices services;
        services.network = &f.network;
        services.prompter = &f.prompter;
        services.settings = &f.settings;
        services.profiles = &store;
        MainWindow window(services);
        window.setBuiltInProfile(sandboxProfile(f.server));
        window.show();
        window.start();
        QTRY_VERIFY(window.profileIds().contains(id));
        QSignalSpy failed(&window, &MainWindow::callFailed);
        QVERIFY(window.selectProfile(id));
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().first().value<ApiError>().kind, ApiError::Kind::MissingCredentials);
        QVERIFY(window.messageBar()->isVisible());
        QVERIFY(!window.messageBar()->cause().isEmpty());
        QVERIFY(!window.messageBar()->remedy().isEmpty());
        QVERIFY(!window.client()); // nothing can be sent without the secrets
        QCOMPARE(window.webhookModel()->rowCount(), 0);
        QVERIFY(!window.findChild<QLabel *>(QStringLiteral("sandboxBanner"))->isVisible());
    }

    void shouldNotStoreSecretsInPlainTextWhenKeychainIsMissing()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        SecretStore secrets(QStringLiteral("activity-console-test"));
        secrets.setTimeout(std::chrono::seconds(3));
        ProfileStore store(&f.settings, &secrets);
        ConsoleServices services;
        services.network = &f.network;
        services.prompter = &f.prompter;
        services.settings = &f.settings;
        services.profiles = &store;
        MainWindow window(services);
        window.setBuiltInProfile(sandboxProfile(f.server));
        window.show();
        window.start();

        ProfileDialog *dialog = window.openProfileDialog();
        QVERIFY(dialog);
        ResolvedProfile profile = sandboxProfile(f.server);
        profile.id.clear();
        profile.builtInSandbox = false;
        profile.allowInsecureLoopback = true; // the sandbox's plain http, confirmed
        profile.name = QStringLiteral("Staging");
        profile.credentials.consumerSecret = QByteArrayLiteral("Zq9-very-secret-value");
        dialog->setEditedProfile(profile);
        dialog->saveProfile();
        auto *result = dialog->findChild<QLabel *>(QStringLiteral("profileStoreResult"));
        QTRY_VERIFY_WITH_TIMEOUT(
            !result->text().isEmpty() && !result->text().startsWith(QStringLiteral("Saving")), 10000);
        QVERIFY(result->text() != QStringLiteral("Saved."));
        QVERIFY(window.messageBar()->isVisible());
        f.settings.sync();
        QFile file(f.settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("Zq9-very-secret-value"));
    }

    void shouldRememberSelectedWebhookAcrossSessions()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        {
            MainWindow *window = f.createWindow();
            QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
            window->start();
            QVERIFY(refreshed.wait());
            QVERIFY(window->selectWebhook(demo::invalidWebhookId));
            window->close(); // saves geometry, splitter and selection
            f.window.reset();
        }
        MainWindow *window = f.createWindow();
        QSignalSpy refreshed(window, &MainWindow::webhooksRefreshed);
        window->start();
        QVERIFY(refreshed.wait());
        QCOMPARE(window->selectedWebhookId(), demo::invalidWebhookId);
        QCOMPARE(window->currentProfileId(), builtInSandboxProfileId);
    }
};

QTEST_MAIN(TestConsoleProfiles)
#include "tst_console_profiles.moc"
