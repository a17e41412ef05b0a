#include "ActivityConfig.h"
#include "AfterFirstPaint.h"
#include "ApplicationIcon.h"
#include "ConfirmationPrompter.h"
#include "EventStore.h"
#include "HistoryStore.h"
#include "MainWindow.h"
#include "ProfileDialog.h"
#include "ProfileStore.h"
#include "ReplayDialog.h"
#include "ResolvedProfile.h"
#include "SandboxProcess.h"
#include "SandboxProfile.h"
#include "SecretStore.h"
#include "StartupProbe.h"
#include "Translations.h"
#include "WebhookTimeline.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QTextStream>
#include <QTimer>

namespace {

// --screenshot-dir: once the data is on screen, grab the main window, the profile dialog and the
// replay dialog as PNGs and quit (tools/screenshots uses it for docs/screenshots/).
void takeScreenshotsWhenLoaded(activity::MainWindow &window, const QString &directory)
{
    QDir().mkpath(directory);
    auto save = [directory](QWidget *widget, const QString &name) {
        const QString path = QDir(directory).filePath(name);
        const bool ok = widget && widget->grab().save(path);
        QTextStream(stderr) << (ok ? "saved " : "FAILED to save ") << path << '\n';
        return ok;
    };
    auto done = std::make_shared<bool>(false);
    QObject::connect(&window, &activity::MainWindow::namesResolved, &window, [&window, save, done] {
        if (*done)
            return;
        *done = true;
        // One more pass so the last names are painted.
        QTimer::singleShot(200, &window, [&window, save] {
            bool ok = save(&window, QStringLiteral("main-window.png"));
            if (auto *replay = window.openReplayDialog()) {
                ok = save(replay, QStringLiteral("replay-dialog.png")) && ok;
                replay->close();
            }
            if (auto *profiles = window.openProfileDialog()) {
                // An illustrative entry (X's documented example key); nothing is saved or sent.
                activity::ResolvedProfile example;
                example.name = QStringLiteral("My X app");
                example.generation = activity::ApiGeneration::V2;
                example.baseUrl = QUrl(QStringLiteral("https://api.x.com"));
                example.credentials.consumerKey = QByteArrayLiteral("xvz1evFS4wEEPTGEFPHBog");
                example.credentials.consumerSecret = QByteArrayLiteral("example-consumer-secret");
                example.credentials.ownerToken = QByteArrayLiteral("example-owner-token");
                example.credentials.ownerTokenSecret = QByteArrayLiteral("example-owner-secret");
                example.callbackUrl = QStringLiteral("http://127.0.0.1/activity-console/callback");
                profiles->setEditedProfile(example);
                ok = save(profiles, QStringLiteral("profile-dialog.png")) && ok;
                profiles->close();
            }
            QCoreApplication::exit(ok ? 0 : 1);
        });
    });
    // Never hang a script: give up after a minute.
    QTimer::singleShot(std::chrono::minutes(1), &window, [] {
        QTextStream(stderr) << "screenshots: the data did not load within a minute\n";
        QCoreApplication::exit(2);
    });
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral(ACTIVITY_APPLICATION_NAME));
    QApplication::setOrganizationName(QStringLiteral(ACTIVITY_ORGANISATION));
    QApplication::setApplicationVersion(QStringLiteral(ACTIVITY_VERSION));
    QApplication::setDesktopFileName(QStringLiteral(ACTIVITY_APP_ID));
    QApplication::setWindowIcon(activity::applicationIcon());
    activity::installTranslators(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Desktop console for the X Account Activity API"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshotDir(
        QStringLiteral("screenshot-dir"),
        QApplication::translate("main", "Save screenshots of the windows into <dir> once loaded, then quit."),
        QStringLiteral("dir"));
    parser.addOption(screenshotDir);
    parser.process(app);

    QNetworkAccessManager network;
    activity::MessageBoxPrompter prompter;
    QSettings settings;
    activity::SecretStore secrets;
    activity::ProfileStore profiles(&settings, &secrets);
    // Opened after the first paint (declared first: the window refers to it until it is gone).
    std::unique_ptr<activity::HistoryStore> history;
    std::unique_ptr<activity::EventStore> events; // the live events (#16), likewise
    std::unique_ptr<activity::WebhookTimeline> timeline; // the webhook watch's record (#17), likewise
    // The embedded sandbox: a process of its own, running only while its profile is selected.
    activity::SandboxProcess sandbox;

    activity::ConsoleServices services;
    services.network = &network;
    services.prompter = &prompter;
    services.settings = &settings;
    services.profiles = &profiles;
    activity::MainWindow window(services);
    activity::ConsoleProfiles::Launcher launcher;
    launcher.start = [&sandbox](activity::ConsoleProfiles::Launcher::Done done) {
        sandbox.start([done](const activity::Result<QUrl> &baseUrl) {
            if (baseUrl)
                done(activity::sandboxConsoleProfile(baseUrl.value()));
            else
                done(baseUrl.error());
        });
    };
    launcher.stop = [&sandbox] { sandbox.stop(); };
    window.setBuiltInSandbox(activity::sandboxPlaceholderProfile(), std::move(launcher));
    activity::installStartupProbe(window);
    window.show();
    if (parser.isSet(screenshotDir))
        takeScreenshotsWhenLoaded(window, parser.value(screenshotDir));
    // After the first paint, so the window is interactive at once: the history and event databases, the
    // profile (keychain, sandbox) and the first requests.
    activity::runAfterFirstPaint(window, [&window, &history, &events, &timeline, &settings] {
        history = std::make_unique<activity::HistoryStore>(); // shared with activity-cli
        window.attachHistory(history.get());
        // EventStore::defaultPath(), shared too; settings "events/durability" says how durable.
        events = std::make_unique<activity::EventStore>(
            QString(), activity::EventStore::durabilityFromSettings(settings));
        window.attachEvents(events.get());
        timeline = std::make_unique<activity::WebhookTimeline>(); // health.sqlite, shared with activity-cli
        window.attachHealth(timeline.get());
        window.start();
    });
    return app.exec();
}
