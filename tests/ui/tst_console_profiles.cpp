#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"
#include "MessageBar.h"
#include "ProfileDialog.h"
#include "ProfileStore.h"
#include "SecretStore.h"
#include "WebhookTableModel.h"

#include <QComboBox>
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
