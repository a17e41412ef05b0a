#pragma once

#include "ActivitySubscriptionsPane.h"
#include "ConsoleProfiles.h"
#include "EventsPane.h"
#include "PaneContext.h"
#include "ProfileActions.h"
#include "ProfileDialog.h"
#include "ReplayJobsPane.h"
#include "ResolvedProfile.h"
#include "Result.h"
#include "SubscriptionsPane.h"
#include "WebhooksPane.h"

#include <QDateTime>
#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <memory>

class QAction;
class QComboBox;
class QDockWidget;
class QKeySequence;
class QMenu;
class QLabel;
class QNetworkAccessManager;
class QProgressBar;
class QSettings;
class QSplitter;
class QTabWidget;

namespace activity {

class ApiClient;
class BulkUnsubscribeDialog;
class ConfirmationPrompter;
class ConsoleProfiles;
class EventStore;
class EventsPane;
class LiveEvents;
class HistoryDock;
class HistoryStore;
class HistoryWriter;
class MessageBar;
class PaneContext;
class ProfileActions;
class ProfileDialog;
class ProfileListModel;
class ProfileNotices;
class ProfileStore;
class RegisterWebhookDialog;
class WebhookHealthMonitor;
class FindSubscriberDialog;
class ReplayPlannerDialog;
class SubscriberDirectory;
class WebhookTimeline;
class ReplayDialog;
class ReplayJobTableModel;
class ReplayJobsPane;
class ActivitySubscriptionsPane;
class RequestLog;
class RequestLogDock;
class SubscriptionFilterProxy;
class SubscriptionTableModel;
class SubscriptionsPane;
class WebhookTableModel;
class WebhooksPane;
class WriteRecorder;
struct ApiError;

// What the window is built on; passed in by the composition root (and by tests). Every pointer
// may be null: without a network manager the window only shows what it is given.
struct ConsoleServices
{
    QNetworkAccessManager *network = nullptr;
    ConfirmationPrompter *prompter = nullptr; // null: message boxes
    QSettings *settings = nullptr; // window state and selections; null: the application's QSettings
    ProfileStore *profiles = nullptr; // stored X apps; null: only the built-in profile
    HistoryStore *history = nullptr; // every write action is recorded here; null: not recorded
    EventStore *events = nullptr; // the live events the Events tab shows (#16); null: none
    WebhookTimeline *timeline = nullptr; // the webhook watch's record (#17); null: no watch
    QString subscribersFolder; // the subscriber snapshots (#17); empty: SubscriberDirectory::defaultFolder()
    std::function<QDateTime()> clock; // UTC now; empty: the system clock
};

// The console's frame: menus, tool bar, docks, the profile selector and the layout of the panes
// (webhooks above; subscriptions and replay jobs below). Each pane owns its view, its actions and
// their state; the window switches profiles and hands the panes the active client (PaneContext).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(ConsoleServices services = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The embedded sandbox, handed over by the composition root. Used when no stored profile is
    // selected; the banner says plainly that no real X account is touched.
    void setBuiltInProfile(const ResolvedProfile &profile);
    // The same, with a server that runs only while its profile is selected (ConsoleProfiles::Launcher).
    void setBuiltInSandbox(const ResolvedProfile &placeholder, ConsoleProfiles::Launcher launcher);
    // The local history, when it was not in the ConsoleServices: the console opens it after its
    // first paint. Adds the History dock; every later write action is recorded.
    void attachHistory(HistoryStore *history);
    // The event store, when it was not in the ConsoleServices (the console opens it after its first
    // paint): the Events tab shows and follows it; start() prunes it (EventRetention from the settings).
    void attachEvents(EventStore *events);
    // The webhook watch's timeline, when it was not in the ConsoleServices (opened after the first
    // paint): the active profile's webhooks are watched from then on, with alerts (#17).
    void attachHealth(WebhookTimeline *timeline);
    WebhookHealthMonitor *healthMonitor() const { return m_health; }
    // Subscriptions > Find Subscriber…: opens (or raises) the search across the profile's webhooks.
    FindSubscriberDialog *findSubscriber();
    // Webhooks > Plan Replays…: the replay planner for the selected webhook; null without one.
    ReplayPlannerDialog *planReplays();
    // Loads profiles and data, and prunes the history (HistoryRetention from the settings, on a
    // thread of its own); call after show() so the window is interactive first.
    void start();

    // Hook for the 3-legged sign-in (another component): asked to add a user to the profile; it
    // answers later through addAccount().
    void setSignInHandler(std::function<void(const QString &profileId)> handler);
    void addAccount(const QString &profileId, const UserCredentials &account);

    QStringList profileIds() const;
    QString currentProfileId() const { return m_currentProfileId; }
    const ResolvedProfile *currentProfile() const { return m_profiles->find(m_currentProfileId); }
    bool selectProfile(const QString &profileId);

    ApiClient *client() const { return m_client; }
    RequestLog *requestLog() const { return m_requestLog; }
    MessageBar *messageBar() const { return m_messageBar; }
    WebhookTableModel *webhookModel() const { return m_webhooksPane->model(); }
    SubscriptionTableModel *subscriptionModel() const { return m_subscriptionsPane->model(); }
    SubscriptionFilterProxy *subscriptionProxy() const { return m_subscriptionsPane->proxy(); }
    ReplayJobTableModel *replayJobModel() const { return m_replayPane->model(); }
    ActivitySubscriptionsPane *activityPane() const { return m_activityPane; }
    // Shows the X Activity subscriptions tab (loading them the first time).
    void showActivityPane();
    // The live events (#16). The integrator wires the stream's and the receiver's state to its
    // setStreamState() and setReceiverState(); events come from the attached EventStore.
    EventsPane *eventsPane() const { return m_eventsPane; }
    WebhooksPane *webhooksPane() const { return m_webhooksPane; }
    LiveEvents *liveEvents() const { return m_liveEvents; } // null until attachEvents
    void showEventsPane();
    QString selectedWebhookId() const { return m_webhooksPane->selectedWebhookId(); }
    bool selectWebhook(const QString &webhookId) { return m_webhooksPane->selectWebhook(webhookId); }
    bool isBusy() const { return m_context->isBusy(); }

    // Opened by the actions; returned so tests (and the screenshot mode) can drive them.
    RegisterWebhookDialog *openRegisterDialog() { return m_webhooksPane->openRegisterDialog(); }
    ReplayDialog *openReplayDialog() { return m_replayPane->openReplayDialog(); }
    ProfileDialog *openProfileDialog() { return m_profileActions->openDialog(); }
    BulkUnsubscribeDialog *bulkUnsubscribeDialog() const { return m_subscriptionsPane->bulkDialog(); }
    bool exportSubscriptionsCsv(const QString &path, QString *error = nullptr) const
    {
        return m_subscriptionsPane->exportCsv(path, error);
    }

public Q_SLOTS:
    void refresh();
    void deleteSelectedWebhook() { m_webhooksPane->deleteSelected(); }
    void validateSelectedWebhook() { m_webhooksPane->validateSelected(); }
    void unsubscribeSelected() { m_subscriptionsPane->unsubscribeSelected(); }
    void subscribeSelectedAccount() { m_subscriptionsPane->subscribeSelectedAccount(); }
    void checkSelectedAccount() { m_subscriptionsPane->checkSelectedAccount(); }

Q_SIGNALS:
    void profileActivated(const QString &profileId);
    void webhooksRefreshed();
    void subscriptionsLoaded(const QString &webhookId);
    void namesResolved(const QString &webhookId);
    void subscriptionCountChanged();
    void busyChanged(bool busy);
    void signInRequested(const QString &profileId);
    void oauth2SignInRequested(const QString &profileId);
    void subscriptionChecked(const QString &userId, bool subscribed);
    void callFailed(const activity::ApiError &error);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildFrame();
    void buildMenus();
    void buildDocks();
    void addDock(QDockWidget *dock, const QString &toggleName, const QKeySequence &key);
    void connectPanes();
    void restoreWindowState();
    void saveWindowState() const;

    void rebuildProfileCombo();
    // `problem`: the profile's secrets could not be read; it is selected, but nothing is sent.
    void useProfile(const ResolvedProfile &profile, const std::optional<ApiError> &problem);
    ApiClient *makeClient(const ResolvedProfile &profile, QObject *parent) const;
    void requestSignIn();
    void requestOAuth2SignIn();
    void focusCurrentFilter();
    ConfirmationPrompter *prompter() const { return m_services.prompter; }
    QSettings *settings() const { return m_services.settings; }

    ConsoleServices m_services;
    std::unique_ptr<ConfirmationPrompter> m_ownPrompter;
    std::unique_ptr<QSettings> m_ownSettings;
    std::unique_ptr<HistoryWriter> m_historyWriter;
    ConsoleProfiles *m_profiles = nullptr;
    WriteRecorder *m_recorder = nullptr;
    PaneContext *m_context = nullptr;
    ProfileActions *m_profileActions = nullptr;
    QString m_currentProfileId;
    QPointer<ApiClient> m_client;
    RequestLog *m_requestLog = nullptr;
    std::function<void(const QString &)> m_signInHandler;

    WebhooksPane *m_webhooksPane = nullptr;
    SubscriptionsPane *m_subscriptionsPane = nullptr;
    ReplayJobsPane *m_replayPane = nullptr;
    ActivitySubscriptionsPane *m_activityPane = nullptr;
    EventsPane *m_eventsPane = nullptr;
    LiveEvents *m_liveEvents = nullptr; // made by attachEvents
    QComboBox *m_profileCombo = nullptr;
    ProfileListModel *m_profileModel = nullptr; // the profiles in m_profiles, for the selector
    ProfileNotices *m_notices = nullptr;
    MessageBar *m_messageBar = nullptr;
    WebhookHealthMonitor *m_health = nullptr;
    std::unique_ptr<SubscriberDirectory> m_subscribers; // created with the first search
    QPointer<FindSubscriberDialog> m_findSubscriber;
    QAction *m_findSubscriberAction = nullptr;
    QAction *m_planReplaysAction = nullptr;
    QSplitter *m_splitter = nullptr;
    QTabWidget *m_lowerTabs = nullptr;
    RequestLogDock *m_logDock = nullptr;
    QMenu *m_viewMenu = nullptr;
    HistoryDock *m_historyDock = nullptr;
    QProgressBar *m_busyIndicator = nullptr;
    QLabel *m_statusLabel = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_profilesAction = nullptr;
    QAction *m_copyRowsAction = nullptr;
};

} // namespace activity
