#pragma once

#include "ApiTypes.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QAction;
class QLabel;
class QLineEdit;
class QProgressBar;

namespace activity {

class ActivityBulkDelete;
class ActivitySubscriptionDialog;
class ActivitySubscriptionLoader;
class ActivitySubscriptionTableModel;
class ConsoleTableView;
class PaneContext;
class SubscriptionFilterProxy;
class UserLookupPager;
struct ApiError;
struct UserCredentials;

// The app's X Activity API subscriptions (issue #15): every page loaded with progress, filtered
// and sorted as you type, the filter's users shown by @name once looked up; create (a dialog that
// checks the input with xaa::checkCreate), edit tag and webhook, delete one, bulk delete the
// selection in batches of 100 with the ids X refused left selected with their reason, the quota of
// the profile's tier, and CSV export. Creates of types that need a user token run as the chosen
// account through the context's token keeper; every write goes through the history.
class ActivitySubscriptionsPane : public QWidget
{
    Q_OBJECT
public:
    explicit ActivitySubscriptionsPane(PaneContext *context, QWidget *parent = nullptr);
    ~ActivitySubscriptionsPane() override;

    ActivitySubscriptionTableModel *model() const { return m_model; }
    SubscriptionFilterProxy *proxy() const { return m_proxy; }
    ConsoleTableView *view() const { return m_view; }
    QLineEdit *filter() const { return m_filter; }
    QProgressBar *quotaBar() const { return m_quotaBar; }
    QLabel *progressLabel() const { return m_progress; }
    QList<QAction *> actions() const;
    QAction *refreshAction() const { return m_refreshAction; }
    QAction *createAction() const { return m_createAction; }
    QAction *editAction() const { return m_editAction; }
    QAction *deleteAction() const { return m_deleteAction; }
    QAction *bulkDeleteAction() const { return m_bulkDeleteAction; }
    QAction *exportAction() const { return m_exportAction; }

    bool isLoading() const;
    bool hasLoaded() const { return m_loaded; }
    bool isBusy() const { return m_operationRunning; }
    // The subscriptions in use as the quota counts them (X's total when it said one).
    qint64 usedSubscriptions() const;
    bool quotaWarning() const { return m_quotaWarning; }
    // The ids the last bulk delete could not delete, with X's reason.
    const QList<ActivityBulkDeleteError> &lastBulkFailures() const { return m_lastFailures; }
    // The profile's webhooks, offered in the create and edit dialogs.
    void setWebhooks(const QList<Webhook> &webhooks) { m_webhooks = webhooks; }
    bool exportCsv(const QString &path, QString *error = nullptr) const;
    // Selects the rows of these subscription ids (the view's selection).
    void selectSubscriptions(const QStringList &ids);
    QStringList selectedSubscriptionIds() const;

    // The dialogs, open (non-modal, deleted on close); null when the action is not possible now.
    ActivitySubscriptionDialog *openCreateDialog();
    ActivitySubscriptionDialog *openEditDialog();

public Q_SLOTS:
    // Loads every page again.
    void refresh();
    // Loads once per profile (the tab was shown).
    void loadIfNeeded();
    void create(const activity::ActivitySubscriptionRequest &request,
                const std::optional<activity::UserCredentials> &account);
    void edit(const QString &subscriptionId, const activity::ActivitySubscriptionUpdate &update);
    // One row: asks, then deletes it; several: the bulk delete.
    void deleteSelected();
    // Asks, then deletes the selected rows in batches of 100.
    void bulkDeleteSelected();

Q_SIGNALS:
    void loaded();
    void loadFailed(const activity::ApiError &error);
    void subscriptionCreated(const QString &subscriptionId);
    void subscriptionUpdated(const QString &subscriptionId);
    void subscriptionsDeleted(const QStringList &subscriptionIds);
    void bulkDeleteFinished(const QStringList &deleted,
                            const QList<activity::ActivityBulkDeleteError> &failed);
    void namesResolved();

private:
    void reset();
    void resolveNames();
    void updateActions();
    // Deleted subscriptions leave the table, the total and the quota; `remaining`: X's count, if sent.
    void forgetDeleted(const QStringList &ids, std::optional<qint64> remaining);
    void updateQuota();
    void updateTitle();
    void setTotal(std::optional<qint64> total);
    void startBulkDelete(const QStringList &ids);
    void deleteOne(const QString &id);
    void exportInteractively();
    QString describe(const QString &subscriptionId) const;
    std::optional<QString> userIdForUsername(const QString &username) const;

    PaneContext *m_context;
    ActivitySubscriptionTableModel *m_model;
    SubscriptionFilterProxy *m_proxy;
    ActivitySubscriptionLoader *m_loader;
    ActivityBulkDelete *m_bulk;
    UserLookupPager *m_pager;
    QList<Webhook> m_webhooks;
    QList<ActivityBulkDeleteError> m_lastFailures;
    std::optional<qint64> m_total; // meta.total_subscriptions, as X last said it
    bool m_loaded = false;
    bool m_operationRunning = false;
    bool m_quotaWarning = false;

    QLabel *m_title = nullptr;
    QLabel *m_progress = nullptr;
    QProgressBar *m_quotaBar = nullptr;
    QLineEdit *m_filter = nullptr;
    ConsoleTableView *m_view = nullptr;

    QAction *m_refreshAction = nullptr;
    QAction *m_createAction = nullptr;
    QAction *m_editAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_bulkDeleteAction = nullptr;
    QAction *m_exportAction = nullptr;
};

} // namespace activity
