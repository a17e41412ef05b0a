#pragma once

#include "ResolvedProfile.h"
#include "Result.h"

#include <QDateTime>
#include <QMainWindow>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>

class QAction;
class QJsonObject;
class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QProgressBar;
class QSettings;
class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace activity {

class ApiClient;
class BulkUnsubscribeDialog;
class ConfirmationPrompter;
class ConsoleTableView;
class HistoryDock;
class HistoryStore;
class MessageBar;
class ProfileDialog;
class ProfileStore;
class RegisterWebhookDialog;
class ReplayDialog;
class ReplayJobTableModel;
class RequestLog;
class RequestLogDock;
class SubscriptionFilterProxy;
class SubscriptionTableModel;
class TableFilterProxy;
class UserCache;
class WebhookFilterProxy;
class WebhookTableModel;
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
    std::function<QDateTime()> clock; // UTC now; empty: the system clock
};

// The console: a profile switcher, the webhooks of the selected profile, the subscriptions of the
// selected webhook, replay jobs, and the request log. Every call is asynchronous; problems go to
// the non-modal message bar; destructive actions go through the ConfirmationPrompter.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(ConsoleServices services = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The embedded sandbox, handed over by the composition root. Used when no stored profile is
    // selected; the banner says plainly that no real X account is touched.
    void setBuiltInProfile(const ResolvedProfile &profile);
    // Loads profiles and data, and prunes the history (HistoryRetention from the settings, on a
    // thread of its own); call after show() so the window is interactive first.
    void start();

    // Hook for the 3-legged sign-in (another component): asked to add a user to the profile; it
    // answers later through addAccount().
    void setSignInHandler(std::function<void(const QString &profileId)> handler);
    void addAccount(const QString &profileId, const UserCredentials &account);

    QStringList profileIds() const;
    QString currentProfileId() const;
    const ResolvedProfile *currentProfile() const;
    bool selectProfile(const QString &profileId);

    ApiClient *client() const { return m_client; }
    RequestLog *requestLog() const { return m_requestLog; }
    MessageBar *messageBar() const { return m_messageBar; }
    WebhookTableModel *webhookModel() const { return m_webhooks; }
    SubscriptionTableModel *subscriptionModel() const { return m_subscriptions; }
    SubscriptionFilterProxy *subscriptionProxy() const { return m_subscriptionProxy; }
    ReplayJobTableModel *replayJobModel() const { return m_replayJobs; }
    QString selectedWebhookId() const;
    bool selectWebhook(const QString &webhookId);
    bool isBusy() const { return m_runningCalls > 0; }

    // Opened by the actions; returned so tests (and the screenshot mode) can drive them.
    RegisterWebhookDialog *openRegisterDialog();
    ReplayDialog *openReplayDialog();
    ProfileDialog *openProfileDialog();
    BulkUnsubscribeDialog *bulkUnsubscribeDialog() const;
    bool exportSubscriptionsCsv(const QString &path, QString *error = nullptr) const;

public Q_SLOTS:
    void refresh();
    void deleteSelectedWebhook();
    void validateSelectedWebhook();
    void unsubscribeSelected();
    void subscribeSelectedAccount();
    void checkSelectedAccount();

Q_SIGNALS:
    void profileActivated(const QString &profileId);
    void webhooksRefreshed();
    void subscriptionsLoaded(const QString &webhookId);
    void namesResolved(const QString &webhookId);
    void subscriptionCountChanged();
    void busyChanged(bool busy);
    void signInRequested(const QString &profileId);
    void subscriptionChecked(const QString &userId, bool subscribed);
    void callFailed(const activity::ApiError &error);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildCentralArea();
    void buildDocks();
    void restoreWindowState();
    void saveWindowState() const;

    void rebuildProfileCombo();
    void activateProfile(const QString &profileId);
    // withClient false: the profile is selected but its secrets are missing; nothing is sent.
    void useProfile(const ResolvedProfile &profile, bool withClient = true);
    void updateBanner();
    void reloadStoredProfiles();
    QList<ResolvedProfile> storedProfiles() const;
    void storeProfile(const ResolvedProfile &profile, bool secretsIncluded);
    void forgetProfile(const QString &profileId);
    // Persist through the ProfileStore (settings + keychain); `done` gets "" or what went wrong.
    void saveToStore(const ResolvedProfile &profile, bool secretsIncluded,
                     std::function<void(const QString &problem, const ResolvedProfile &saved)> done);
    void removeFromStore(const QString &profileId, std::function<void(const QString &problem)> done);
    void loadSecretsFor(const QString &profileId);
    void loadAccountsOf(const QString &profileId);

    void refreshWebhooks();
    void refreshSubscriptionCount();
    void loadSubscriptions(const QString &webhookId);
    void resolveNames();
    void onWebhookSelectionChanged();
    void updateActions();
    void updateQuota();
    void updateEmptyState();
    void rebuildAccountCombo();

    void registerWebhook(RegisterWebhookDialog *dialog, const QString &url);
    void submitReplay(ReplayDialog *dialog, const QString &webhookId, const QDateTime &from,
                      const QDateTime &to);
    void startBulkUnsubscribe(const QStringList &userIds);
    void focusCurrentFilter();
    void copySelectedWebhookField(int column);
    void exportCsvInteractively();
    void requestSignIn();
    void signInWithBrowser(const QString &profileId);
    void removeSelectedAccount();

    void callStarted();
    void callEnded();
    void showError(const ApiError &error);
    // The local history: an entry before a write action is sent, its outcome when the answer is
    // there. Never in the way of the action: 0 when nothing could be recorded.
    qint64 recordBegin(Operation operation, const QJsonObject &parameters,
                       const UserCredentials *user = nullptr);
    void recordEnd(qint64 entry, const ApiError *error, const QString &summary = {});
    // Completes the entry from the call's result: failed, succeeded, or partly (errors next to data).
    template<typename T> void recordResult(qint64 entry, const Result<T> &result, const QString &summary = {})
    {
        if (!result)
            recordEnd(entry, &result.error());
        else
            recordPartial(entry, summary, result.partialErrors());
    }
    void recordPartial(qint64 entry, const QString &summary, const QList<ApiError> &problems);
    // A warning in the message bar for the "errors" X sent next to a successful answer.
    void showPartialErrors(const QList<ApiError> &problems);
    QDateTime now() const;
    ConfirmationPrompter *prompter() const;
    QSettings *settings() const;
    QString webhookLabel(const QString &webhookId) const;

    ConsoleServices m_services;
    std::unique_ptr<ConfirmationPrompter> m_ownPrompter;
    std::unique_ptr<QSettings> m_ownSettings;

    QList<ResolvedProfile> m_profiles; // built-in first, then the stored profiles that were loaded
    std::optional<ResolvedProfile> m_builtIn;
    QString m_currentProfileId;
    QSet<QString> m_secretsLoaded; // stored profiles whose keychain secrets are in memory
    quint64 m_activationAttempt = 0;
    QPointer<ApiClient> m_client;
    RequestLog *m_requestLog = nullptr;
    std::unique_ptr<UserCache> m_userCache;
    std::function<void(const QString &)> m_signInHandler;
    int m_runningCalls = 0;
    bool m_webhookOperationRunning = false;
    bool m_subscriptionOperationRunning = false;
    bool m_lookupRunning = false;
    quint64 m_subscriptionsGeneration = 0; // bumps on every webhook switch; stale answers are dropped
    QString m_loadedWebhookId;
    QString m_pendingWebhookSelection;
    qint64 m_subscriptionsAll = -1;
    qint64 m_provisioned = -1;

    WebhookTableModel *m_webhooks = nullptr;
    WebhookFilterProxy *m_webhookProxy = nullptr;
    SubscriptionTableModel *m_subscriptions = nullptr;
    SubscriptionFilterProxy *m_subscriptionProxy = nullptr;
    ReplayJobTableModel *m_replayJobs = nullptr;
    TableFilterProxy *m_replayProxy = nullptr;

    QComboBox *m_profileCombo = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_deprecationLabel = nullptr;
    MessageBar *m_messageBar = nullptr;
    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_webhookStack = nullptr;
    ConsoleTableView *m_webhookView = nullptr;
    QLabel *m_emptyState = nullptr;
    QLineEdit *m_webhookFilter = nullptr;
    QTabWidget *m_lowerTabs = nullptr;
    ConsoleTableView *m_subscriptionView = nullptr;
    QLineEdit *m_subscriptionFilter = nullptr;
    QLabel *m_subscriptionTitle = nullptr;
    QProgressBar *m_quotaBar = nullptr;
    QComboBox *m_accountCombo = nullptr;
    ConsoleTableView *m_replayView = nullptr;
    RequestLogDock *m_logDock = nullptr;
    HistoryDock *m_historyDock = nullptr;
    QProgressBar *m_busyIndicator = nullptr;
    QLabel *m_statusLabel = nullptr;
    QPointer<BulkUnsubscribeDialog> m_bulkDialog;
    QPointer<RegisterWebhookDialog> m_registerDialog;
    QPointer<ReplayDialog> m_replayDialog;
    QPointer<ProfileDialog> m_profileDialog;

    QAction *m_refreshAction = nullptr;
    QAction *m_registerAction = nullptr;
    QAction *m_validateAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_copyIdAction = nullptr;
    QAction *m_copyUrlAction = nullptr;
    QAction *m_replayAction = nullptr;
    QAction *m_subscribeAction = nullptr;
    QAction *m_checkAction = nullptr;
    QAction *m_unsubscribeAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_copyRowsAction = nullptr;
    QAction *m_signInAction = nullptr;
    QAction *m_removeAccountAction = nullptr;
    QAction *m_profilesAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_quitAction = nullptr;
};

} // namespace activity
