#pragma once

#include <QPointer>
#include <QWidget>

#include <functional>

class QAction;
class QLabel;
class QLineEdit;
class QStackedWidget;

namespace activity {

class ConsoleTableView;
class CrcDoctorDialog;
class PaneContext;
class RegisterWebhookDialog;
class WebhookFilterProxy;
class WebhookTableModel;

// The webhooks of the active profile: the filter, the table (or its empty state), and the actions
// on them — register, validate (CRC), diagnose (the CRC doctor), delete, copy id/URL. Every write
// goes through the context's recorder; the selection tells the rest of the window which webhook is
// being looked at.
class WebhooksPane : public QWidget
{
    Q_OBJECT
public:
    explicit WebhooksPane(PaneContext *context, QWidget *parent = nullptr);

    WebhookTableModel *model() const { return m_model; }
    ConsoleTableView *view() const { return m_view; }
    QLineEdit *filter() const { return m_filter; }
    QList<QAction *> actions() const;
    QAction *registerAction() const { return m_registerAction; }

    QString selectedWebhookId() const;
    bool selectWebhook(const QString &webhookId);
    // The webhook's URL, or the id when it is not listed.
    QString webhookLabel(const QString &webhookId) const;
    // Selected after the next refresh (a remembered selection, a newly registered webhook).
    void setPendingSelection(const QString &webhookId) { m_pendingSelection = webhookId; }
    // How many subscriptions a webhook has, when known (-1 otherwise): the delete question names it.
    void setSubscriptionCounter(std::function<int(const QString &webhookId)> counter)
    {
        m_subscriptionCounter = std::move(counter);
    }

    RegisterWebhookDialog *openRegisterDialog();
    // The CRC doctor for the selected webhook (its URL, ending with X's re-validation); the one
    // already open for it is raised. Null without a selection, profile or client.
    CrcDoctorDialog *openCrcDoctor();
    CrcDoctorDialog *crcDoctorDialog() const;

public Q_SLOTS:
    void refresh();
    void validateSelected();
    void deleteSelected();
    void updateActions();

Q_SIGNALS:
    // The selected webhook changed (empty: none).
    void selectionChanged(const QString &webhookId);
    // A refresh kept the same webhook selected: what is shown of it should be reloaded.
    void selectionRefreshed(const QString &webhookId);
    void refreshed();
    void webhookDeleted(const QString &webhookId);

private:
    void reset();
    void registerWebhook(RegisterWebhookDialog *dialog, const QString &url);
    void copySelectedField(int column);
    void updateEmptyState();

    PaneContext *m_context;
    WebhookTableModel *m_model;
    WebhookFilterProxy *m_proxy;
    QLineEdit *m_filter = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_emptyState = nullptr;
    ConsoleTableView *m_view = nullptr;
    QPointer<RegisterWebhookDialog> m_registerDialog;
    QPointer<CrcDoctorDialog> m_crcDoctor;
    std::function<int(const QString &)> m_subscriptionCounter;
    QString m_pendingSelection;
    bool m_operationRunning = false;

    QAction *m_registerAction = nullptr;
    QAction *m_validateAction = nullptr;
    QAction *m_diagnoseAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_copyIdAction = nullptr;
    QAction *m_copyUrlAction = nullptr;
};

} // namespace activity
