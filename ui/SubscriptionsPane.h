#pragma once

#include "BulkUnsubscribeDialog.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTimer;

namespace activity {

class AccountTableModel;
class ConsoleTableView;
class PaneContext;
class SubscriptionFilterProxy;
class SubscriptionTableModel;
class UserLookupPager;
struct ApiError;
struct UserCredentials;

// The subscriptions of the selected webhook: the list with names looked up in batches (paced by
// the rate limit), the quota, the signed-in account to subscribe or check (how it signed in, its
// OAuth 2.0 scopes and token expiry beside it), unsubscribing (one by one, with progress, after a
// confirmation) and CSV export. Subscribe and check run as the account through the context's
// token keeper, so an expiring OAuth 2.0 token is renewed first.
class SubscriptionsPane : public QWidget
{
    Q_OBJECT
public:
    explicit SubscriptionsPane(PaneContext *context, QWidget *parent = nullptr);
    ~SubscriptionsPane() override;

    SubscriptionTableModel *model() const { return m_model; }
    SubscriptionFilterProxy *proxy() const { return m_proxy; }
    ConsoleTableView *view() const { return m_view; }
    QLineEdit *filter() const { return m_filter; }
    QComboBox *accountCombo() const { return m_accountCombo; }
    AccountTableModel *accountModel() const { return m_accountModel; }
    QList<QAction *> actions() const;
    QAction *exportAction() const { return m_exportAction; }
    QAction *signInAction() const { return m_signInAction; }
    QAction *oauth2SignInAction() const { return m_oauth2SignInAction; }

    QString loadedWebhookId() const { return m_loadedWebhookId; }
    // Rows of the loaded webhook, or -1 for another one.
    int knownSubscriptionCount(const QString &webhookId) const;
    bool isBusy() const { return m_operationRunning; }
    BulkUnsubscribeDialog *bulkDialog() const { return m_bulkDialog; }
    bool exportCsv(const QString &path, QString *error = nullptr) const;
    void selectAccount(const QString &userId);
    // How the webhook is named in titles and questions (its URL).
    void setWebhookLabeler(std::function<QString(const QString &)> labeler)
    {
        m_labeler = std::move(labeler);
    }

public Q_SLOTS:
    // Shows the webhook's subscriptions: loads them when another webhook was shown.
    void showWebhook(const QString &webhookId);
    // Loads them again.
    void load(const QString &webhookId);
    void refreshCount();
    void subscribeSelectedAccount();
    void checkSelectedAccount();
    void unsubscribeSelected();

Q_SIGNALS:
    void subscriptionsLoaded(const QString &webhookId);
    void namesResolved(const QString &webhookId);
    void subscriptionCountChanged();
    void subscriptionChecked(const QString &userId, bool subscribed);
    void signInRequested();
    void oauth2SignInRequested();
    // The profile lacks what an OAuth 2.0 sign-in needs: the profile dialog should open.
    void profileSettingsRequested();
    void removeAccountRequested(const QString &userId, const QString &label);

private:
    void reset();
    void rebuildAccounts();
    void resolveNames();
    void updateActions();
    void updateAccountDetails();
    void updateQuota();
    void updateTitle();
    void startBulkUnsubscribe(const QStringList &userIds);
    void exportInteractively();
    QString label(const QString &webhookId) const;
    const UserCredentials *selectedAccount() const;
    // What subscribe and check act on: the client, the shown webhook and the chosen account; none
    // when one of them is missing.
    struct AccountAction;
    std::optional<AccountAction> accountAction() const;

    PaneContext *m_context;
    SubscriptionTableModel *m_model;
    SubscriptionFilterProxy *m_proxy;
    UserLookupPager *m_pager;
    AccountTableModel *m_accountModel; // the signed-in accounts of the profile, for the selector
    std::function<QString(const QString &)> m_labeler;
    QString m_loadedWebhookId;
    quint64 m_loadGeneration = 0; // bumps on every load; answers for an older one are dropped
    qint64 m_subscriptionsAll = -1;
    qint64 m_provisioned = -1;
    bool m_operationRunning = false;

    QLabel *m_title = nullptr;
    QProgressBar *m_quotaBar = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_accountCombo = nullptr;
    QLabel *m_accountDetails = nullptr;
    QWidget *m_oauth2Hint = nullptr; // what the profile lacks for an OAuth 2.0 sign-in
    QTimer *m_expiryTimer = nullptr;
    ConsoleTableView *m_view = nullptr;
    QPointer<BulkUnsubscribeDialog> m_bulkDialog;

    QAction *m_subscribeAction = nullptr;
    QAction *m_checkAction = nullptr;
    QAction *m_unsubscribeAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_signInAction = nullptr;
    QAction *m_oauth2SignInAction = nullptr;
    QAction *m_removeAccountAction = nullptr;
};

} // namespace activity
