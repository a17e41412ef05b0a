#include "ConsoleTestSupport.h"
#include "ProfileDialog.h"
#include "ProfileStore.h"
#include "SecretStore.h"
#include "WebhookTableModel.h"

#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QUuid>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
namespace demo = activity::sandbox::demo;

// Against the private Secret Service that tools/run-tests unlocks: a profile saved in the profile
// dialog keeps its secrets in the keychain only, and selecting it later reads them back and works.
class TestConsoleKeychain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldSaveProfileSecretsInKeychainAndUseThem()
    {
        ConsoleFixture f;
        QVERIFY(f.listen());
        SecretStore secrets(QStringLiteral("activity-console-test-") +
                            QUuid::createUuid().toString(QUuid::Id128));
        ProfileStore store(&f.settings, &secrets);
        ConsoleServices services;
        services.network = &f.network;
        services.prompter = &f.prompter;
        services.settings = &f.settings;
        services.profiles = &store;
        QString id;
        {
            MainWindow window(services);
            window.setBuiltInProfile(sandboxProfile(f.server));
            window.show();
            window.start();
            ProfileDialog *dialog = window.openProfileDialog();
            QVERIFY(dialog);
            ResolvedProfile profile = sandboxProfile(f.server);
            profile.id.clear();
            profile.builtInSandbox = false;
            profile.name = QStringLiteral("Stored app");
            dialog->setEditedProfile(profile);
            dialog->saveProfile();
            auto *result = dialog->findChild<QLabel *>(QStringLiteral("profileStoreResult"));
            QTRY_COMPARE_WITH_TIMEOUT(result->text(), QStringLiteral("Saved."), 10000);
            QCOMPARE(window.profileIds().size(), 2);
            id = window.profileIds().last();
        }
        f.settings.sync();
        QFile file(f.settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray ini = file.readAll();
        QVERIFY(ini.contains("Stored app"));
        QVERIFY(!ini.contains(demo::consumerSecret));
        QVERIFY(!ini.contains(demo::ownerTokenSecret));

        // A new session: the secrets come back from the keychain.
        MainWindow window(services);
        window.setBuiltInProfile(sandboxProfile(f.server));
        window.show();
        QSignalSpy refreshed(&window, &MainWindow::webhooksRefreshed);
        window.start();
        QVERIFY(window.selectProfile(id));
        QTRY_VERIFY_WITH_TIMEOUT(window.currentProfileId() == id && window.webhookModel()->rowCount() == 2,
                                 15000);
        QVERIFY(!window.findChild<QLabel *>(QStringLiteral("sandboxBanner"))->isVisible());

        ProfileDialog *dialog = window.openProfileDialog();
        QVERIFY(dialog->selectProfile(id));
        f.prompter.answers = {true};
        dialog->removeProfile();
        QTRY_COMPARE_WITH_TIMEOUT(window.profileIds().size(), 1, 10000);
    }
};

QTEST_MAIN(TestConsoleKeychain)
#include "tst_console_keychain.moc"
