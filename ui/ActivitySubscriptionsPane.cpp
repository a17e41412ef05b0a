#include "ActivitySubscriptionsPane.h"

#include "ActionFactory.h"
#include "ActivityBulkDelete.h"
#include "ActivityEventTypes.h"
#include "ActivitySubscriptionDialog.h"
#include "ActivitySubscriptionLoader.h"
#include "ActivitySubscriptionTableModel.h"
#include "ActivitySubscriptions.h"
#include "ApiClient.h"
#include "ConfirmationPrompter.h"
#include "ConsoleTableView.h"
#include "CsvExport.h"
#include "MessageBar.h"
#include "PaletteColors.h"
#include "PaneContext.h"
#include "RecordedWrite.h"
#include "SubscriptionFilterProxy.h"
#include "UserCache.h"
#include "UserLookupPager.h"
#include "UserTokenKeeper.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace activity {

namespace {
constexpr int kPageSize = 1000; // X's largest page
constexpr int kWarningPerMille = 900; // the quota bar warns from 90 %
constexpr int kPreviewCount = 10; // subscriptions named in a question or a result before "and N more"

// Counts as the quota text writes them ("75,000"), in the person's locale unless that is C.
QString count(qint64 value)
{
    const QLocale locale;
    return locale.language() == QLocale::C ? QLocale(QLocale::English, QLocale::UnitedStates).toString(value)
                                           : locale.toString(value);
}

QString accountLabel(const UserCredentials &account)
{
    return account.username.isEmpty() ? account.userId : QStringLiteral("@") + account.username;
}
} // namespace

ActivitySubscriptionsPane::ActivitySubscriptionsPane(PaneContext *context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new ActivitySubscriptionTableModel(this))
    , m_proxy(new SubscriptionFilterProxy(this))
    , m_loader(new ActivitySubscriptionLoader(this))
    , m_bulk(new ActivityBulkDelete(this))
    , m_pager(new UserLookupPager(context->userCache(), this))
{
    setObjectName(QStringLiteral("activitySubscriptionsPane"));
    // The proxy built for 100,000 rows: it matches the model's precomputed search strings.
    m_proxy->setSourceModel(m_model);
    m_pager->setClock(m_context->clock());
    m_bulk->setClock(m_context->clock());

    m_refreshAction =
        makeAction(this, QStringLiteral("activityRefreshAction"), tr("Re&load"), QStyle::SP_BrowserReload);
    connect(m_refreshAction, &QAction::triggered, this, &ActivitySubscriptionsPane::refresh);
    m_createAction = makeAction(this, QStringLiteral("activityCreateAction"), tr("&Create…"),
                                QStyle::SP_FileDialogNewFolder);
    connect(m_createAction, &QAction::triggered, this, [this] { openCreateDialog(); });
    m_editAction = makeAction(this, QStringLiteral("activityEditAction"), tr("&Edit tag and webhook…"),
                              QStyle::SP_FileDialogDetailedView);
    connect(m_editAction, &QAction::triggered, this, [this] { openEditDialog(); });
    m_deleteAction =
        makeAction(this, QStringLiteral("activityDeleteAction"), tr("&Delete…"), QStyle::SP_TrashIcon);
    connect(m_deleteAction, &QAction::triggered, this, &ActivitySubscriptionsPane::deleteSelected);
    m_bulkDeleteAction = makeAction(this, QStringLiteral("activityBulkDeleteAction"),
                                    tr("&Bulk delete selected…"), QStyle::SP_DialogDiscardButton);
    connect(m_bulkDeleteAction, &QAction::triggered, this, &ActivitySubscriptionsPane::bulkDeleteSelected);
    m_exportAction = makeAction(this, QStringLiteral("activityExportCsvAction"), tr("E&xport CSV…"),
                                QStyle::SP_DialogSaveButton);
    connect(m_exportAction, &QAction::triggered, this, &ActivitySubscriptionsPane::exportInteractively);

    auto *layout = new QVBoxLayout(this);
    auto *header = new QHBoxLayout;
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("activityTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_progress = new QLabel(this);
    m_progress->setObjectName(QStringLiteral("activityProgress"));
    m_progress->setTextFormat(Qt::PlainText);
    m_quotaBar = new QProgressBar(this);
    m_quotaBar->setObjectName(QStringLiteral("activityQuotaBar"));
    m_quotaBar->setAccessibleName(tr("X Activity subscriptions used of the tier's limit"));
    m_quotaBar->setRange(0, 1000); // per mille, as xaa::Quota counts
    m_quotaBar->setMinimumWidth(280);
    m_quotaBar->hide();
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("activityFilter"));
    m_filter->setAccessibleName(tr("Filter activity subscriptions"));
    m_filter->setPlaceholderText(tr("Filter by event type, filter, tag or webhook (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(260);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &SubscriptionFilterProxy::setFilterText);
    header->addWidget(m_title, 1);
    header->addWidget(m_progress);
    header->addWidget(m_quotaBar);
    header->addWidget(m_filter);
    layout->addLayout(header);

    auto *buttons = new QHBoxLayout;
    auto addButton = [this, buttons](QAction *action, const QString &name) {
        auto *button = new QToolButton(this);
        button->setObjectName(name);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setAccessibleName(action->text().remove(QLatin1Char('&')).remove(QStringLiteral("…")));
        buttons->addWidget(button);
    };
    addButton(m_refreshAction, QStringLiteral("activityRefreshButton"));
    addButton(m_createAction, QStringLiteral("activityCreateButton"));
    addButton(m_editAction, QStringLiteral("activityEditButton"));
    addButton(m_deleteAction, QStringLiteral("activityDeleteButton"));
    addButton(m_bulkDeleteAction, QStringLiteral("activityBulkDeleteButton"));
    buttons->addStretch();
    addButton(m_exportAction, QStringLiteral("activityExportButton"));
    layout->addLayout(buttons);

    m_view = new ConsoleTableView(this);
    m_view->setObjectName(QStringLiteral("activityView"));
    m_view->setAccessibleName(tr("Activity subscriptions"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->horizontalHeader()->resizeSection(int(ActivitySubscriptionTableModel::Column::EventType), 220);
    m_view->horizontalHeader()->resizeSection(int(ActivitySubscriptionTableModel::Column::Filter), 200);
    m_view->horizontalHeader()->resizeSection(int(ActivitySubscriptionTableModel::Column::Tag), 200);
    m_view->addActions({m_editAction, m_deleteAction, m_bulkDeleteAction, m_exportAction});
    connect(m_view, &ConsoleTableView::deleteRequested, this, &ActivitySubscriptionsPane::deleteSelected);
    connect(m_view, &QAbstractItemView::doubleClicked, this, [this] { openEditDialog(); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ActivitySubscriptionsPane::updateActions);
    layout->addWidget(m_view);

    connect(m_loader, &ActivitySubscriptionLoader::pageLoaded, this,
            [this](const QList<ActivitySubscription> &page, qint64 loadedSoFar, std::optional<qint64> total) {
                m_model->appendPage(page, m_context->userCache());
                if (total)
                    m_total = total;
                const qint64 expected = m_total.value_or(loadedSoFar);
                m_progress->setText(
                    tr("%1 of %2").arg(count(loadedSoFar), count(qMax(expected, loadedSoFar))));
                updateQuota();
            });
    connect(m_loader, &ActivitySubscriptionLoader::finished, this, [this] {
        m_context->callEnded();
        m_loaded = true;
        m_progress->clear();
        updateTitle();
        updateQuota();
        updateActions();
        Q_EMIT loaded();
        resolveNames();
    });
    connect(m_loader, &ActivitySubscriptionLoader::failed, this, [this](const ApiError &error) {
        m_context->callEnded();
        m_progress->clear();
        updateTitle();
        updateActions();
        m_context->showError(error);
        Q_EMIT loadFailed(error);
    });

    connect(m_bulk, &ActivityBulkDelete::progress, this, [this](int done, int total) {
        m_progress->setText(tr("Deleting: %1 of %2").arg(count(done), count(total)));
    });
    connect(m_bulk, &ActivityBulkDelete::waiting, this, [this](const QDateTime &until) {
        m_context->setStatus(tr("Bulk delete: waiting for the rate limit until %1.")
                                 .arg(until.toLocalTime().toString(QStringLiteral("HH:mm:ss"))));
    });
    connect(m_bulk, &ActivityBulkDelete::stopped, this,
            [this](const ApiError &error) { m_context->showError(error); });
    connect(m_bulk, &ActivityBulkDelete::finished, this,
            [this](const QStringList &deleted, const QList<ActivityBulkDeleteError> &failed) {
                m_context->callEnded();
                m_operationRunning = false;
                m_progress->clear();
                forgetDeleted(deleted, std::nullopt);
                m_lastFailures = failed;
                QStringList failedIds;
                QStringList lines;
                for (const ActivityBulkDeleteError &error : failed) {
                    failedIds.append(error.subscriptionId);
                    if (lines.size() < kPreviewCount) {
                        const QString why = error.message.isEmpty()
                            ? error.reason
                            : error.reason + QStringLiteral(": ") + error.message;
                        lines.append(tr("%1 — %2").arg(error.subscriptionId, why));
                    }
                }
                if (failed.size() > kPreviewCount)
                    lines.append(tr("and %n more", nullptr, int(failed.size()) - kPreviewCount));
                // What X refused stays selected, so the person sees it and can try again.
                selectSubscriptions(failedIds);
                if (failed.isEmpty()) {
                    m_context->setStatus(
                        tr("%n activity subscription(s) deleted.", nullptr, int(deleted.size())));
                } else {
                    m_context->messageBar()->showMessage(
                        MessageBar::Level::Warning,
                        tr("%n subscription(s) could not be deleted; they stay selected.", nullptr,
                           int(failed.size())),
                        lines.join(QLatin1Char('\n')));
                    m_context->setStatus(
                        tr("%1 deleted, %2 not deleted.").arg(count(deleted.size()), count(failed.size())));
                }
                updateActions();
                if (!deleted.isEmpty())
                    Q_EMIT subscriptionsDeleted(deleted);
                Q_EMIT bulkDeleteFinished(deleted, failed);
            });

    connect(m_pager, &UserLookupPager::batchAnswered, this,
            [this](const QList<UserInfo> &found, const QStringList &) { m_model->applyUsers(found); });
    connect(m_pager, &UserLookupPager::finished, this, &ActivitySubscriptionsPane::namesResolved);
    connect(m_pager, &UserLookupPager::failed, this, [this](const ApiError &error) {
        // Names are a convenience: the ids stay shown.
        m_context->setStatus(tr("Names of filter users unavailable: %1").arg(error.cause));
    });

    connect(m_context, &PaneContext::profileChanged, this, &ActivitySubscriptionsPane::reset);
    reset();
}

ActivitySubscriptionsPane::~ActivitySubscriptionsPane() = default;

QList<QAction *> ActivitySubscriptionsPane::actions() const
{
    return {m_refreshAction, m_createAction,     m_editAction,
            m_deleteAction,  m_bulkDeleteAction, m_exportAction};
}

bool ActivitySubscriptionsPane::isLoading() const
{
    return m_loader->isRunning();
}

void ActivitySubscriptionsPane::reset()
{
    if (m_loader->isRunning()) {
        m_loader->cancel();
        m_context->callEnded();
    }
    if (m_bulk->isRunning()) {
        m_bulk->cancel();
        m_context->callEnded();
    }
    m_pager->cancel();
    m_pager->setClient(m_context->client());
    m_operationRunning = false;
    m_loaded = false;
    m_total.reset();
    m_lastFailures.clear();
    m_model->clear();
    m_progress->clear();
    updateTitle();
    updateQuota();
    updateActions();
}

void ActivitySubscriptionsPane::loadIfNeeded()
{
    if (!m_loaded && !m_loader->isRunning())
        refresh();
}

void ActivitySubscriptionsPane::refresh()
{
    ApiClient *client = m_context->client();
    if (!client || m_operationRunning)
        return;
    if (m_loader->isRunning())
        m_context->callEnded(); // start() replaces the running load
    m_pager->cancel();
    m_model->clear();
    m_total.reset();
    m_loaded = false;
    m_progress->setText(tr("Loading…"));
    m_title->setText(tr("Loading X Activity subscriptions…"));
    m_context->callStarted();
    m_loader->start(client, kPageSize);
    updateActions();
}

void ActivitySubscriptionsPane::resolveNames()
{
    const QStringList ids = m_model->userIdsWithoutNames();
    // Names the cache already has are shown without a lookup.
    m_model->applyUsers(m_context->userCache()->users(ids));
    m_pager->setClient(m_context->client());
    m_pager->lookup(m_context->userCache()->missing(ids));
}

qint64 ActivitySubscriptionsPane::usedSubscriptions() const
{
    return qMax<qint64>(m_total.value_or(0), m_model->rowCount());
}

void ActivitySubscriptionsPane::setTotal(std::optional<qint64> total)
{
    if (total)
        m_total = total;
    updateQuota();
}

void ActivitySubscriptionsPane::updateQuota()
{
    if (!m_context->hasProfile() || (!m_loaded && !m_loader->isRunning())) {
        m_quotaBar->hide();
        return;
    }
    const xaa::Quota quota = xaa::quota(m_context->profile().activityTier, usedSubscriptions());
    m_quotaBar->setValue(quota.perMille());
    m_quotaBar->setFormat(quota.text());
    m_quotaBar->setToolTip(quota.full() ? tr("The tier's limit is reached: delete subscriptions or move to a "
                                             "higher tier before creating more.")
                                        : tr("%1 more can be created.").arg(count(quota.remaining())));
    const bool warning = quota.perMille() >= kWarningPerMille;
    if (warning != m_quotaWarning) {
        m_quotaWarning = warning;
        QPalette pal = palette();
        if (warning)
            pal.setColor(QPalette::Highlight, palette::negativeText(pal));
        m_quotaBar->setPalette(pal);
        m_quotaBar->setProperty("warning", warning);
    }
    m_quotaBar->show();
}

void ActivitySubscriptionsPane::updateTitle()
{
    if (!m_context->client()) {
        m_title->setText(tr("X Activity subscriptions need a profile with its secrets."));
        return;
    }
    if (!m_loaded && !m_loader->isRunning()) {
        m_title->setText(tr("X Activity subscriptions: press Reload to list them."));
        return;
    }
    m_title->setText(tr("%n X Activity subscription(s)", nullptr, m_model->rowCount()));
}

void ActivitySubscriptionsPane::updateActions()
{
    const bool haveClient = m_context->client() != nullptr;
    const int selected = int(m_view->selectedRows().size());
    const bool idle = !m_operationRunning;
    m_refreshAction->setEnabled(haveClient && idle);
    m_createAction->setEnabled(haveClient && idle);
    m_editAction->setEnabled(haveClient && idle && selected == 1);
    m_deleteAction->setEnabled(haveClient && idle && selected > 0);
    m_bulkDeleteAction->setEnabled(haveClient && idle && selected > 0);
    m_exportAction->setEnabled(m_model->rowCount() > 0);
}

void ActivitySubscriptionsPane::selectSubscriptions(const QStringList &ids)
{
    QItemSelection selection;
    for (const QString &id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (index.isValid())
            selection.select(index, index);
    }
    m_view->selectionModel()->select(selection,
                                     QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateActions();
}

QStringList ActivitySubscriptionsPane::selectedSubscriptionIds() const
{
    QStringList ids;
    for (const int proxyRow : m_view->selectedRows()) {
        const int row = m_proxy->sourceRow(proxyRow);
        if (row >= 0)
            ids.append(m_model->subscription(row).id);
    }
    return ids;
}

std::optional<QString> ActivitySubscriptionsPane::userIdForUsername(const QString &username) const
{
    if (m_context->hasProfile()) {
        for (const UserCredentials &account : m_context->profile().accounts) {
            if (account.username.compare(username, Qt::CaseInsensitive) == 0)
                return account.userId;
        }
    }
    if (const auto user = m_context->userCache()->findByUsername(username))
        return user->id;
    return std::nullopt;
}

ActivitySubscriptionDialog *ActivitySubscriptionsPane::openCreateDialog()
{
    if (!m_createAction->isEnabled() || !m_context->hasProfile())
        return nullptr;
    auto *dialog = new ActivitySubscriptionDialog(window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAccounts(m_context->profile().accounts);
    dialog->setWebhooks(m_webhooks);
    dialog->setUsernameResolver([this](const QString &username) { return userIdForUsername(username); });
    // Names the console does not know yet are asked of X (GET /2/users/by) and kept in the cache.
    dialog->setUsernameLookup(
        [client = QPointer<ApiClient>(m_context->client()), cache = m_context->userCache()](
            const QString &username, QObject *context, std::function<void(std::optional<QString>)> done) {
            if (!client) {
                done(std::nullopt);
                return;
            }
            client->lookupUsersByName({username}, context,
                                      [cache, done](const Result<QList<UserInfo>> &result) {
                                          if (!result || result.value().isEmpty()) {
                                              done(std::nullopt);
                                              return;
                                          }
                                          cache->insert(result.value());
                                          done(result.value().first().id);
                                      });
        });
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { create(dialog->request(), dialog->account()); });
    dialog->open();
    return dialog;
}

ActivitySubscriptionDialog *ActivitySubscriptionsPane::openEditDialog()
{
    const QStringList ids = selectedSubscriptionIds();
    if (!m_editAction->isEnabled() || ids.size() != 1)
        return nullptr;
    const int row = m_model->rowOf(ids.first());
    auto *dialog = new ActivitySubscriptionDialog(window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWebhooks(m_webhooks);
    dialog->setSubscription(m_model->subscription(row), m_model->filterText(row));
    const QString id = ids.first();
    connect(dialog, &QDialog::accepted, this, [this, dialog, id] { edit(id, dialog->update()); });
    dialog->open();
    return dialog;
}

void ActivitySubscriptionsPane::create(const ActivitySubscriptionRequest &request,
                                       const std::optional<UserCredentials> &account)
{
    ApiClient *client = m_context->client();
    if (!client)
        return;
    const xaa::EventType *type = xaa::findEventType(request.eventType);
    // Only a type that needs a user token is signed as the account (xaa::signingScopes decides).
    const bool asUser = type && account && !xaa::signingScopes(*type, account).isEmpty();
    UserTokenKeeper *keeper = m_context->tokenKeeper();
    if (asUser && !keeper)
        return;
    QJsonObject parameters {{QStringLiteral("event_type"), request.eventType}};
    if (!request.webhookId.isEmpty())
        parameters.insert(QStringLiteral("webhook_id"), request.webhookId);
    if (!request.filter.userId.isEmpty())
        parameters.insert(QStringLiteral("user_id"), request.filter.userId);
    m_operationRunning = true;
    updateActions();
    m_context->callStarted();
    auto send = [client = QPointer<ApiClient>(client), keeper = QPointer<UserTokenKeeper>(keeper), request,
                 account, asUser](QObject *context,
                                  ApiClient::Callback<ActivitySubscriptionChange> done) -> ApiCall * {
        if (!client)
            return nullptr; // the profile changed meanwhile: its calls end silently
        if (!asUser)
            return client->createActivitySubscription(request, std::nullopt, context, std::move(done));
        if (!keeper)
            return nullptr;
        // Through the keeper: a token about to expire is renewed first, and once more after a 401.
        keeper->call<ActivitySubscriptionChange>(
            Operation::CreateActivitySubscription, *account, context,
            [client, request](const UserCredentials &user, QObject *context,
                              ApiClient::Callback<ActivitySubscriptionChange> done) {
                if (client)
                    client->createActivitySubscription(request, user, context, std::move(done));
            },
            std::move(done));
        return nullptr;
    };
    const UserCredentials *user = asUser ? &*account : nullptr;
    m_context->recorder()->run<ActivitySubscriptionChange>(
        *client, Operation::CreateActivitySubscription, parameters, user, this, send,
        [](const ActivitySubscriptionChange &change) {
            return QStringLiteral("subscription %1").arg(change.subscription.id);
        },
        [this, account, asUser](const Result<ActivitySubscriptionChange> &result) {
            m_context->callEnded();
            m_operationRunning = false;
            updateActions();
            if (!result) {
                m_context->showError(result.error());
                return;
            }
            m_context->showPartialErrors(result.partialErrors());
            const ActivitySubscription &created = result.value().subscription;
            m_model->upsert(created, m_context->userCache());
            setTotal(result.value().totalSubscriptions);
            updateTitle();
            selectSubscriptions({created.id});
            m_context->setStatus(
                asUser ? tr("Subscribed to %1 as %2.").arg(created.eventType, accountLabel(*account))
                       : tr("Subscribed to %1.").arg(created.eventType));
            resolveNames();
            Q_EMIT subscriptionCreated(created.id);
        });
}

void ActivitySubscriptionsPane::edit(const QString &subscriptionId, const ActivitySubscriptionUpdate &update)
{
    ApiClient *client = m_context->client();
    if (!client)
        return;
    QJsonObject parameters {{QStringLiteral("subscription_id"), subscriptionId}};
    if (update.tag)
        parameters.insert(QStringLiteral("tag"), *update.tag);
    if (update.webhookId)
        parameters.insert(QStringLiteral("webhook_id"), *update.webhookId);
    m_operationRunning = true;
    updateActions();
    m_context->callStarted();
    m_context->recorder()->run<ActivitySubscriptionChange>(
        *client, Operation::UpdateActivitySubscription, parameters, nullptr, this,
        [client = QPointer<ApiClient>(client), subscriptionId,
         update](QObject *context, ApiClient::Callback<ActivitySubscriptionChange> done) -> ApiCall * {
            return client
                ? client->updateActivitySubscription(subscriptionId, update, context, std::move(done))
                : nullptr;
        },
        [](const ActivitySubscriptionChange &) { return QStringLiteral("updated"); },
        [this](const Result<ActivitySubscriptionChange> &result) {
            m_context->callEnded();
            m_operationRunning = false;
            updateActions();
            if (!result) {
                m_context->showError(result.error());
                return;
            }
            m_context->showPartialErrors(result.partialErrors());
            m_model->upsert(result.value().subscription, m_context->userCache());
            setTotal(result.value().totalSubscriptions);
            m_context->setStatus(tr("Subscription %1 updated.").arg(result.value().subscription.id));
            Q_EMIT subscriptionUpdated(result.value().subscription.id);
        });
}

QString ActivitySubscriptionsPane::describe(const QString &subscriptionId) const
{
    const int row = m_model->rowOf(subscriptionId);
    if (row < 0)
        return subscriptionId;
    const ActivitySubscription &s = m_model->subscription(row);
    const QString filter = m_model->filterText(row);
    return filter.isEmpty() ? s.eventType : tr("%1 (%2)").arg(s.eventType, filter);
}

void ActivitySubscriptionsPane::deleteSelected()
{
    const QStringList ids = selectedSubscriptionIds();
    if (ids.size() > 1) {
        bulkDeleteSelected();
        return;
    }
    if (ids.isEmpty() || m_operationRunning || !m_context->client())
        return;
    const QString id = ids.first();
    Confirmation confirmation;
    confirmation.title = tr("Delete activity subscription");
    confirmation.question = tr("Delete the subscription to %1?").arg(describe(id));
    confirmation.details = tr("Subscription %1. X stops delivering these events at once; the event type "
                              "and filter can only come back by creating the subscription again.")
                               .arg(id);
    confirmation.acceptLabel = tr("Delete subscription");
    QPointer<ActivitySubscriptionsPane> self(this);
    m_context->prompter()->ask(window(), confirmation, [self, id](bool accepted) {
        if (self && accepted)
            self->deleteOne(id);
    });
}

void ActivitySubscriptionsPane::forgetDeleted(const QStringList &ids, std::optional<qint64> remaining)
{
    m_model->remove(ids);
    // X's own count when it sent one, else the known total less what went.
    if (remaining)
        m_total = remaining;
    else if (m_total)
        m_total = qMax<qint64>(0, *m_total - ids.size());
    updateTitle();
    updateQuota();
}

void ActivitySubscriptionsPane::deleteOne(const QString &id)
{
    ApiClient *client = m_context->client();
    if (!client)
        return;
    m_operationRunning = true;
    updateActions();
    m_context->callStarted();
    m_context->recorder()->run<ActivityDeleteResult>(
        *client, Operation::DeleteActivitySubscription, {{QStringLiteral("subscription_id"), id}}, nullptr,
        this,
        [client = QPointer<ApiClient>(client),
         id](QObject *context, ApiClient::Callback<ActivityDeleteResult> done) -> ApiCall * {
            return client ? client->deleteActivitySubscription(id, context, std::move(done)) : nullptr;
        },
        [](const ActivityDeleteResult &) { return QStringLiteral("deleted"); },
        [this, id](const Result<ActivityDeleteResult> &result) {
            m_context->callEnded();
            m_operationRunning = false;
            if (!result) {
                updateActions();
                m_context->showError(result.error());
                return;
            }
            forgetDeleted({id}, result.value().remaining);
            updateActions();
            m_context->setStatus(tr("Subscription %1 deleted.").arg(id));
            Q_EMIT subscriptionsDeleted({id});
        });
}

void ActivitySubscriptionsPane::bulkDeleteSelected()
{
    const QStringList ids = selectedSubscriptionIds();
    if (ids.isEmpty() || m_operationRunning || !m_context->client())
        return;
    QStringList names;
    for (const QString &id : ids.mid(0, kPreviewCount))
        names.append(describe(id));
    QString list = names.join(QLatin1Char('\n'));
    if (ids.size() > kPreviewCount)
        list += QLatin1Char('\n') + tr("and %n more", nullptr, int(ids.size()) - kPreviewCount);
    Confirmation confirmation;
    confirmation.title = tr("Delete activity subscriptions");
    confirmation.question = tr("Delete %n activity subscription(s)?", nullptr, int(ids.size()));
    confirmation.details = tr("%1\n\nThey are deleted in batches of 100; X stops delivering their events at "
                              "once. Subscriptions X refuses to delete stay selected, with the reason.")
                               .arg(list);
    confirmation.acceptLabel = tr("Delete %n subscription(s)", nullptr, int(ids.size()));
    QPointer<ActivitySubscriptionsPane> self(this);
    m_context->prompter()->ask(window(), confirmation, [self, ids](bool accepted) {
        if (self && accepted)
            self->startBulkDelete(ids);
    });
}

void ActivitySubscriptionsPane::startBulkDelete(const QStringList &ids)
{
    ApiClient *client = m_context->client();
    if (!client)
        return;
    m_operationRunning = true;
    m_lastFailures.clear();
    updateActions();
    m_context->callStarted();
    m_progress->setText(tr("Deleting: %1 of %2").arg(count(0), count(ids.size())));
    m_bulk->start(client, m_context->recorder(), ids);
}

bool ActivitySubscriptionsPane::exportCsv(const QString &path, QString *error) const
{
    return csvexport::save(
        path, [this](QIODevice *device) { return m_model->exportCsv(device); }, error);
}

void ActivitySubscriptionsPane::exportInteractively()
{
    if (m_model->rowCount() == 0)
        return;
    csvexport::askAndSave(
        window(), m_context, tr("Export activity subscriptions"), QStringLiteral("activityExportCsvDialog"),
        QStringLiteral("activity-subscriptions.csv"),
        [this](QIODevice *device) { return m_model->exportCsv(device); },
        [this](const QString &path) {
            return tr("Exported %n activity subscription(s) to %1.", nullptr, m_model->rowCount()).arg(path);
        });
}

} // namespace activity
