#include "WebhooksPane.h"

#include "ActionFactory.h"
#include "ApiClient.h"
#include "ConfirmationPrompter.h"
#include "ConsoleTableView.h"
#include "CrcDoctorDialog.h"
#include "PaneContext.h"
#include "RecordedWrite.h"
#include "RegisterWebhookDialog.h"
#include "Validation.h"
#include "WebhookFilterProxy.h"
#include "WebhookTableModel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QStyle>
#include <QVBoxLayout>

namespace activity {

namespace {

// The doctor's options from the active profile: its generation and secrets, no webhook.
CrcDoctorOptions crcDoctorOptions(const ResolvedProfile &profile)
{
    CrcDoctorOptions options;
    options.generation = profile.generation;
    options.consumerSecret = profile.credentials.consumerSecret;
    options.clientSecret = profile.credentials.oauth2ClientSecret; // told apart in the token check
    return options;
}

} // namespace

WebhooksPane::WebhooksPane(PaneContext *context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new WebhookTableModel(this))
    , m_proxy(new WebhookFilterProxy(this))
{
    setObjectName(QStringLiteral("webhookPane"));
    m_proxy->setSourceModel(m_model);

    m_registerAction = makeAction(this, QStringLiteral("registerAction"), tr("Re&gister webhook…"),
                                  QStyle::SP_FileDialogNewFolder);
    m_registerAction->setShortcut(QKeySequence::New);
    connect(m_registerAction, &QAction::triggered, this, [this] { openRegisterDialog(); });
    m_validateAction = makeAction(this, QStringLiteral("validateAction"), tr("&Validate (CRC)"),
                                  QStyle::SP_DialogApplyButton);
    m_validateAction->setToolTip(
        tr("Ask X to run a CRC check now; re-enables an invalid webhook when it passes"));
    connect(m_validateAction, &QAction::triggered, this, &WebhooksPane::validateSelected);
    m_diagnoseAction = makeAction(this, QStringLiteral("diagnoseCrcAction"), tr("Diag&nose CRC…"),
                                  QStyle::SP_MessageBoxQuestion);
    m_diagnoseAction->setToolTip(
        tr("Check the webhook's URL step by step (URL, DNS, TCP, TLS, the CRC answer and its token, "
           "latency, compression), then have X re-validate it; each item says what is wrong and what to do"));
    connect(m_diagnoseAction, &QAction::triggered, this, [this] { openCrcDoctor(); });
    m_deleteAction =
        makeAction(this, QStringLiteral("deleteAction"), tr("&Delete webhook…"), QStyle::SP_TrashIcon);
    connect(m_deleteAction, &QAction::triggered, this, &WebhooksPane::deleteSelected);
    m_copyIdAction = makeAction(this, QStringLiteral("copyIdAction"), tr("Copy webhook &id"));
    connect(m_copyIdAction, &QAction::triggered, this,
            [this] { copySelectedField(int(WebhookTableModel::Column::Id)); });
    m_copyUrlAction = makeAction(this, QStringLiteral("copyUrlAction"), tr("Copy webhook &URL"));
    connect(m_copyUrlAction, &QAction::triggered, this,
            [this] { copySelectedField(int(WebhookTableModel::Column::Url)); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *header = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Webhooks</b>"), this);
    title->setTextFormat(Qt::RichText);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("webhookFilter"));
    m_filter->setAccessibleName(tr("Filter webhooks"));
    m_filter->setPlaceholderText(tr("Filter webhooks (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(260);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &TableFilterProxy::setFilterText);
    header->addWidget(title);
    header->addStretch();
    header->addWidget(m_filter);
    layout->addLayout(header);

    m_stack = new QStackedWidget(this);
    m_emptyState =
        new QLabel(tr("No webhooks yet.\nRegister one to start receiving account activity."), m_stack);
    m_emptyState->setObjectName(QStringLiteral("emptyState"));
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_view = new ConsoleTableView(m_stack);
    m_view->setObjectName(QStringLiteral("webhookView"));
    m_view->setAccessibleName(tr("Webhooks"));
    m_view->setModel(m_proxy);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(int(WebhookTableModel::Column::Created), Qt::AscendingOrder);
    QHeaderView *columns = m_view->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(int(WebhookTableModel::Column::Url), QHeaderView::Stretch);
    // The state text must never be cut: it is what says "invalid", not only the colour.
    columns->setSectionResizeMode(int(WebhookTableModel::Column::Valid), QHeaderView::Interactive);
    columns->resizeSection(int(WebhookTableModel::Column::Valid),
                           m_view->fontMetrics().horizontalAdvance(tr("Invalid — re-validate")) + 48);
    columns->setStretchLastSection(false);
    m_view->addActions({m_validateAction, m_diagnoseAction, m_deleteAction, m_copyIdAction, m_copyUrlAction});
    connect(m_view, &ConsoleTableView::deleteRequested, this, &WebhooksPane::deleteSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        Q_EMIT selectionChanged(selectedWebhookId());
    });
    m_stack->addWidget(m_emptyState);
    m_stack->addWidget(m_view);
    layout->addWidget(m_stack);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &WebhooksPane::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &WebhooksPane::updateEmptyState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &WebhooksPane::updateEmptyState);
    setFocusProxy(m_view);

    connect(m_context, &PaneContext::profileChanged, this, &WebhooksPane::reset);
    updateActions();
    updateEmptyState();
}

QList<QAction *> WebhooksPane::actions() const
{
    // Diagnose last: the window places the others by position, and Diagnose after Validate.
    return {m_registerAction, m_validateAction, m_deleteAction,
            m_copyIdAction,   m_copyUrlAction,  m_diagnoseAction};
}

void WebhooksPane::reset()
{
    m_operationRunning = false;
    m_model->setWebhooks({});
    updateActions();
}

void WebhooksPane::refresh()
{
    ApiClient *client = m_context->client();
    if (!client)
        return;
    m_context->callStarted();
    client->listWebhooks(this, [this](const Result<QList<Webhook>> &result) {
        m_context->callEnded();
        if (!result) {
            m_context->showError(result.error());
            return;
        }
        m_context->showPartialErrors(result.partialErrors());
        const QString previous = selectedWebhookId();
        m_model->setWebhooks(result.value());
        QString wanted = !m_pendingSelection.isEmpty() ? m_pendingSelection : previous;
        m_pendingSelection.clear();
        if (wanted.isEmpty() || m_model->rowOf(wanted) < 0) {
            // Nothing remembered: the first valid webhook, else the first one.
            wanted.clear();
            for (const Webhook &webhook : result.value()) {
                if (webhook.valid) {
                    wanted = webhook.id;
                    break;
                }
            }
            if (wanted.isEmpty() && !result.value().isEmpty())
                wanted = result.value().first().id;
        }
        if (!wanted.isEmpty() && wanted != selectedWebhookId())
            selectWebhook(wanted); // selectionChanged() follows
        else if (!wanted.isEmpty())
            Q_EMIT selectionRefreshed(wanted);
        else
            Q_EMIT selectionChanged(QString());
        updateActions();
        Q_EMIT refreshed();
    });
}

QString WebhooksPane::selectedWebhookId() const
{
    const auto rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(WebhookTableModel::WebhookIdRole).toString();
}

bool WebhooksPane::selectWebhook(const QString &webhookId)
{
    const int row = m_model->rowOf(webhookId);
    if (row < 0)
        return false;
    const QModelIndex proxyIndex = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!proxyIndex.isValid())
        return false;
    m_view->selectionModel()->select(proxyIndex,
                                     QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->selectionModel()->setCurrentIndex(proxyIndex, QItemSelectionModel::NoUpdate);
    m_view->scrollTo(proxyIndex);
    return true;
}

QString WebhooksPane::webhookLabel(const QString &webhookId) const
{
    const int row = m_model->rowOf(webhookId);
    return row < 0 ? webhookId : m_model->webhooks().at(row).url;
}

RegisterWebhookDialog *WebhooksPane::openRegisterDialog()
{
    if (!m_context->hasProfile() || !m_context->client())
        return nullptr;
    if (m_registerDialog) {
        m_registerDialog->raise();
        m_registerDialog->activateWindow();
        return m_registerDialog;
    }
    const ResolvedProfile &profile = m_context->profile();
    const bool loopback = profile.builtInSandbox || validate::isLoopbackAddress(profile.baseUrl.host());
    QString prefill;
    if (profile.builtInSandbox && !profile.demoReceiverUrl.isEmpty()) {
        // A receiver the sandbox itself serves, under a fresh name so it is not a duplicate URL.
        QString base = profile.demoReceiverUrl;
        const int slash = base.lastIndexOf(QLatin1Char('/'));
        if (slash > 0)
            base = base.left(slash + 1);
        prefill = base + QStringLiteral("console-%1").arg(m_model->rowCount() + 1);
    }
    auto *dialog = new RegisterWebhookDialog(loopback ? validate::UrlPolicy::AllowLoopbackHttp
                                                      : validate::UrlPolicy::XRules,
                                             profile.generation, prefill, window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setCrcSelfTest(m_context->network(), profile.credentials.consumerSecret);
    dialog->setCrcDoctor(m_context->network(), crcDoctorOptions(profile));
    connect(dialog, &RegisterWebhookDialog::registerRequested, this,
            [this, dialog](const QString &url) { registerWebhook(dialog, url); });
    m_registerDialog = dialog;
    dialog->open();
    return dialog;
}

CrcDoctorDialog *WebhooksPane::crcDoctorDialog() const
{
    return m_crcDoctor;
}

CrcDoctorDialog *WebhooksPane::openCrcDoctor()
{
    const QString id = selectedWebhookId();
    ApiClient *client = m_context->client();
    if (id.isEmpty() || !client || !m_context->hasProfile())
        return nullptr;
    if (m_crcDoctor && m_crcDoctor->webhookId() == id) {
        m_crcDoctor->raise();
        m_crcDoctor->activateWindow();
        return m_crcDoctor;
    }
    CrcDoctorOptions options = crcDoctorOptions(m_context->profile());
    options.client = client;
    options.webhookId = id;
    // X's PUT is a write: in the history like the Validate action's.
    options.revalidate = recordedRevalidation(m_context->recorder(), client);
    auto *dialog =
        new CrcDoctorDialog(m_context->network(), std::move(options), QUrl(webhookLabel(id)), window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // X's re-validation may have changed `valid`: show what X lists now.
    connect(dialog, &CrcDoctorDialog::runFinished, this, [this, dialog] {
        if (dialog->includesRevalidation() && m_context->client())
            refresh();
    });
    m_crcDoctor = dialog;
    dialog->show(); // not modal: the console stays usable while it runs
    return dialog;
}

void WebhooksPane::registerWebhook(RegisterWebhookDialog *dialog, const QString &url)
{
    ApiClient *client = m_context->client();
    if (!client)
        return;
    QPointer<RegisterWebhookDialog> guard(dialog);
    m_operationRunning = true;
    updateActions();
    m_context->callStarted();
    m_context->recorder()->run<Webhook>(
        *client, Operation::RegisterWebhook, {{QStringLiteral("url"), url}}, nullptr, this,
        [client, url](QObject *context, ApiClient::Callback<Webhook> done) {
            return client->registerWebhook(url, context, std::move(done));
        },
        [](const Webhook &webhook) { return QStringLiteral("webhook %1").arg(webhook.id); },
        [this, guard](const Result<Webhook> &result) {
            m_context->callEnded();
            m_operationRunning = false;
            updateActions();
            if (!result) {
                if (guard)
                    guard->showServerProblem(result.error());
                else
                    m_context->showError(result.error());
                return;
            }
            m_context->showPartialErrors(result.partialErrors());
            m_pendingSelection = result.value().id;
            if (guard)
                guard->accept();
            m_context->setStatus(tr("Registered %1.").arg(result.value().url));
            refresh();
        });
}

void WebhooksPane::validateSelected()
{
    const QString id = selectedWebhookId();
    ApiClient *client = m_context->client();
    if (id.isEmpty() || !client || m_operationRunning)
        return;
    m_operationRunning = true;
    updateActions();
    m_context->setStatus(tr("X is running a CRC check against %1…").arg(webhookLabel(id)));
    m_context->callStarted();
    m_context->recorder()->run<bool>(
        *client, Operation::ValidateWebhook, {{QStringLiteral("webhook_id"), id}}, nullptr, this,
        [client, id](QObject *context, ApiClient::Callback<bool> done) {
            return client->validateWebhook(id, context, std::move(done));
        },
        [](const bool &valid) { return valid ? QStringLiteral("valid") : QStringLiteral("not valid"); },
        [this, id](const Result<bool> &result) {
            m_context->callEnded();
            m_operationRunning = false;
            updateActions();
            if (!result) {
                m_context->showError(result.error());
            } else {
                m_context->showPartialErrors(result.partialErrors());
                m_context->setStatus(result.value()
                                         ? tr("CRC check passed: %1 is valid.").arg(webhookLabel(id))
                                         : tr("CRC check failed: %1 stays invalid.").arg(webhookLabel(id)));
            }
            // Re-list either way: the server's view of "valid" is what counts.
            refresh();
        });
}

void WebhooksPane::deleteSelected()
{
    const QString id = selectedWebhookId();
    if (id.isEmpty() || !m_context->client() || m_operationRunning)
        return;
    const QString url = webhookLabel(id);
    Confirmation confirmation;
    confirmation.title = tr("Delete webhook");
    confirmation.question = tr("Delete the webhook %1 (id %2)?").arg(url, id);
    const int known = m_subscriptionCounter ? m_subscriptionCounter(id) : -1;
    confirmation.details = known >= 0
        ? tr("Its %n subscription(s) are removed with it, and X stops sending events to this URL. "
             "Registering the URL again does not bring the subscriptions back.",
             nullptr, known)
        : tr("All of its subscriptions are removed with it, and X stops sending events to this URL. "
             "Registering the URL again does not bring the subscriptions back.");
    confirmation.acceptLabel = tr("Delete webhook");
    QPointer<WebhooksPane> self(this);
    m_context->prompter()->ask(window(), confirmation, [self, id](bool accepted) {
        ApiClient *client = self ? self->m_context->client() : nullptr;
        if (!accepted || !client)
            return;
        self->m_operationRunning = true;
        self->updateActions();
        self->m_context->callStarted();
        self->m_context->recorder()->run<Done>(
            *client, Operation::DeleteWebhook, {{QStringLiteral("webhook_id"), id}}, nullptr, self,
            [client, id](QObject *context, ApiClient::Callback<Done> done) {
                return client->deleteWebhook(id, context, std::move(done));
            },
            [](const Done &) { return QStringLiteral("deleted"); },
            [self, id](const Result<Done> &result) {
                self->m_context->callEnded();
                self->m_operationRunning = false;
                if (!result) {
                    self->m_context->showError(result.error());
                    self->updateActions();
                    return;
                }
                self->m_context->showPartialErrors(result.partialErrors());
                self->m_model->removeWebhook(id);
                self->m_context->setStatus(tr("Webhook %1 deleted.").arg(id));
                self->updateActions();
                Q_EMIT self->selectionChanged(self->selectedWebhookId());
                Q_EMIT self->webhookDeleted(id);
            });
    });
}

void WebhooksPane::copySelectedField(int column)
{
    const auto rows = m_view->selectionModel()->selectedRows(column);
    if (!rows.isEmpty())
        QApplication::clipboard()->setText(rows.first().data(Qt::DisplayRole).toString());
}

void WebhooksPane::updateActions()
{
    const bool haveClient = m_context->client() != nullptr;
    const bool haveWebhook = !selectedWebhookId().isEmpty();
    m_registerAction->setEnabled(haveClient && !m_operationRunning);
    m_validateAction->setEnabled(haveClient && haveWebhook && !m_operationRunning);
    m_diagnoseAction->setEnabled(haveClient && haveWebhook);
    m_deleteAction->setEnabled(haveClient && haveWebhook && !m_operationRunning);
    m_copyIdAction->setEnabled(haveWebhook);
    m_copyUrlAction->setEnabled(haveWebhook);
}

void WebhooksPane::updateEmptyState()
{
    m_stack->setCurrentWidget(m_model->rowCount() == 0 ? static_cast<QWidget *>(m_emptyState) : m_view);
}

} // namespace activity
