#include "SubscriptionsPane.h"

#include "AccountTableModel.h"
#include "ActionFactory.h"
#include "ApiClient.h"
#include "BulkUnsubscribeDialog.h"
#include "ConfirmationPrompter.h"
#include "ConsoleTableView.h"
#include "CsvExport.h"
#include "MessageBar.h"
#include "PaneContext.h"
#include "RecordedWrite.h"
#include "SubscriptionFilterProxy.h"
#include "SubscriptionTableModel.h"
#include "UserCache.h"
#include "UserLookupPager.h"
#include "UserTokenKeeper.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace activity {

namespace {

constexpr int namePreviewCount = 10; // names listed in a confirmation before "and N more"
constexpr int expiryRefreshMs = 30 * 1000; // "in 1 h 52 min" stays current to the minute

// What an OAuth 2.0 sign-in lacks in the profile: empty when it has a client id and a usable
// redirect URI.
QString oauth2SetupProblem(const ResolvedProfile &profile)
{
    const bool hasClient = !profile.credentials.oauth2ClientId.isEmpty();
    const bool hasRedirect = !profile.oauth2RedirectUri.isEmpty();
    if (!hasClient && !hasRedirect)
        return SubscriptionsPane::tr("Signing in with OAuth 2.0 needs the profile's OAuth 2.0 client ID and "
                                     "redirect URI (from the developer portal).");
    if (!hasClient)
        return SubscriptionsPane::tr("Signing in with OAuth 2.0 needs the profile's OAuth 2.0 client ID.");
    if (!hasRedirect)
        return SubscriptionsPane::tr("Signing in with OAuth 2.0 needs the profile's redirect URI.");
    if (const auto problem = oauth2::redirectUriProblem(profile.oauth2RedirectUri))
        return *problem;
    return {};
}

QString accountLabel(const UserCredentials &account)
{
    return account.username.isEmpty() ? account.userId : QStringLiteral("@") + account.username;
}

} // namespace

SubscriptionsPane::SubscriptionsPane(PaneContext *context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new SubscriptionTableModel(this))
    , m_proxy(new SubscriptionFilterProxy(this))
    , m_pager(new UserLookupPager(context->userCache(), this))
    , m_accountModel(new AccountTableModel(nullptr, this))
{
    setObjectName(QStringLiteral("subscriptionPane"));
    m_proxy->setSourceModel(m_model);
    m_pager->setClock(m_context->clock());

    m_subscribeAction = makeAction(this, QStringLiteral("subscribeAction"), tr("&Subscribe account"),
                                   QStyle::SP_DialogYesButton);
    connect(m_subscribeAction, &QAction::triggered, this, &SubscriptionsPane::subscribeSelectedAccount);
    m_checkAction =
        makeAction(this, QStringLiteral("checkAction"), tr("C&heck account"), QStyle::SP_MessageBoxQuestion);
    connect(m_checkAction, &QAction::triggered, this, &SubscriptionsPane::checkSelectedAccount);
    m_unsubscribeAction = makeAction(this, QStringLiteral("unsubscribeAction"), tr("&Unsubscribe selected…"),
                                     QStyle::SP_DialogNoButton);
    connect(m_unsubscribeAction, &QAction::triggered, this, &SubscriptionsPane::unsubscribeSelected);
    m_exportAction =
        makeAction(this, QStringLiteral("exportCsvAction"), tr("&Export CSV…"), QStyle::SP_DialogSaveButton);
    connect(m_exportAction, &QAction::triggered, this, &SubscriptionsPane::exportInteractively);
    m_signInAction = makeAction(this, QStringLiteral("signInAction"), tr("Sign &in another user…"));
    connect(m_signInAction, &QAction::triggered, this, &SubscriptionsPane::signInRequested);
    m_oauth2SignInAction =
        makeAction(this, QStringLiteral("oauth2SignInAction"), tr("Sign in with &OAuth 2.0…"));
    connect(m_oauth2SignInAction, &QAction::triggered, this, &SubscriptionsPane::oauth2SignInRequested);
    m_removeAccountAction = makeAction(this, QStringLiteral("removeAccountAction"), tr("&Remove account…"));
    m_removeAccountAction->setToolTip(tr("Forget the selected signed-in account: its OAuth 2.0 sign-in is "
                                         "revoked at X and its tokens are deleted from the keychain"));
    connect(m_removeAccountAction, &QAction::triggered, this, [this] {
        if (const int index = m_accountCombo->currentIndex(); index >= 0)
            Q_EMIT removeAccountRequested(m_accountCombo->itemData(index).toString(),
                                          m_accountCombo->itemText(index));
    });

    auto *layout = new QVBoxLayout(this);
    auto *header = new QHBoxLayout;
    m_title = new QLabel(tr("Select a webhook to see its subscriptions."), this);
    m_title->setObjectName(QStringLiteral("subscriptionTitle"));
    m_title->setTextFormat(Qt::PlainText); // names the webhook by its URL
    m_quotaBar = new QProgressBar(this);
    m_quotaBar->setObjectName(QStringLiteral("quotaBar"));
    m_quotaBar->setAccessibleName(tr("Subscriptions used of the provisioned quota"));
    m_quotaBar->setMinimumWidth(220);
    m_quotaBar->hide();
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("subscriptionFilter"));
    m_filter->setAccessibleName(tr("Filter subscriptions"));
    m_filter->setPlaceholderText(tr("Filter by id, @username or name (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(260);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &SubscriptionFilterProxy::setFilterText);
    header->addWidget(m_title, 1);
    header->addWidget(m_quotaBar);
    header->addWidget(m_filter);
    layout->addLayout(header);

    auto *accountRow = new QHBoxLayout;
    auto *accountLabelWidget = new QLabel(tr("&Account:"), this);
    m_accountCombo = new QComboBox(this);
    m_accountCombo->setObjectName(QStringLiteral("accountCombo"));
    m_accountCombo->setAccessibleName(tr("Signed-in account to subscribe or check"));
    m_accountCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_accountCombo->setModel(m_accountModel);
    m_accountCombo->setModelColumn(int(AccountTableModel::Column::Username));
    // The open list is the account table: how each account signed in, its scopes and token expiry.
    auto *accountTable = new QTableView(m_accountCombo);
    accountTable->setObjectName(QStringLiteral("accountTable"));
    accountTable->setAccessibleName(tr("Signed-in accounts"));
    accountTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    accountTable->setSelectionMode(QAbstractItemView::SingleSelection);
    accountTable->setShowGrid(false);
    accountTable->setWordWrap(false);
    accountTable->verticalHeader()->hide();
    accountTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    accountTable->horizontalHeader()->setStretchLastSection(true);
    accountTable->setMinimumWidth(760);
    m_accountCombo->setView(accountTable);
    accountLabelWidget->setBuddy(m_accountCombo);
    m_accountModel->setClock(m_context->clock());
    connect(m_accountCombo, &QComboBox::currentIndexChanged, this, &SubscriptionsPane::updateAccountDetails);
    m_accountDetails = new QLabel(this);
    m_accountDetails->setObjectName(QStringLiteral("accountDetails"));
    m_accountDetails->setTextFormat(Qt::PlainText);
    m_expiryTimer = new QTimer(this);
    m_expiryTimer->setInterval(expiryRefreshMs);
    connect(m_expiryTimer, &QTimer::timeout, this, [this] {
        m_accountModel->refreshExpiry();
        updateAccountDetails();
    });
    m_expiryTimer->start();
    auto addButton = [this, accountRow](QAction *action, const QString &name) {
        auto *button = new QToolButton(this);
        button->setObjectName(name);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setAccessibleName(action->text().remove(QLatin1Char('&')));
        accountRow->addWidget(button);
    };
    accountRow->addWidget(accountLabelWidget);
    accountRow->addWidget(m_accountCombo);
    addButton(m_subscribeAction, QStringLiteral("subscribeButton"));
    addButton(m_checkAction, QStringLiteral("checkButton"));
    addButton(m_signInAction, QStringLiteral("signInButton"));
    addButton(m_oauth2SignInAction, QStringLiteral("oauth2SignInButton"));
    addButton(m_removeAccountAction, QStringLiteral("removeAccountButton"));
    accountRow->addStretch();
    addButton(m_unsubscribeAction, QStringLiteral("unsubscribeButton"));
    addButton(m_exportAction, QStringLiteral("exportButton"));
    layout->addLayout(accountRow);

    // Below the selector: the chosen account's sign-in, and what an OAuth 2.0 sign-in still needs.
    auto *detailsRow = new QHBoxLayout;
    detailsRow->addWidget(m_accountDetails, 1);
    m_oauth2Hint = new QWidget(this);
    m_oauth2Hint->setObjectName(QStringLiteral("oauth2SetupHint"));
    auto *hintLayout = new QHBoxLayout(m_oauth2Hint);
    hintLayout->setContentsMargins(0, 0, 0, 0);
    auto *hintText = new QLabel(m_oauth2Hint);
    hintText->setObjectName(QStringLiteral("oauth2SetupText"));
    hintText->setTextFormat(Qt::PlainText);
    hintText->setWordWrap(true);
    auto *hintButton = new QToolButton(m_oauth2Hint);
    hintButton->setObjectName(QStringLiteral("oauth2SetupButton"));
    hintButton->setText(tr("Set up OAuth 2.0…"));
    connect(hintButton, &QToolButton::clicked, this, &SubscriptionsPane::profileSettingsRequested);
    hintLayout->addWidget(hintText, 1);
    hintLayout->addWidget(hintButton);
    m_oauth2Hint->hide();
    detailsRow->addWidget(m_oauth2Hint, 1);
    layout->addLayout(detailsRow);

    m_view = new ConsoleTableView(this);
    m_view->setObjectName(QStringLiteral("subscriptionView"));
    m_view->setAccessibleName(tr("Subscriptions"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->horizontalHeader()->resizeSection(int(SubscriptionTableModel::Column::UserId), 200);
    m_view->horizontalHeader()->resizeSection(int(SubscriptionTableModel::Column::Username), 200);
    m_view->addActions({m_unsubscribeAction, m_exportAction});
    connect(m_view, &ConsoleTableView::deleteRequested, this, &SubscriptionsPane::unsubscribeSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SubscriptionsPane::updateActions);
    layout->addWidget(m_view);

    connect(m_pager, &UserLookupPager::batchStarted, this, [this](int count) {
        m_context->setStatus(tr("Looking up names of %n subscriber(s)…", nullptr, count));
    });
    connect(m_pager, &UserLookupPager::waiting, this, [this](const QDateTime &until) {
        m_context->setStatus(tr("Names: waiting for the user-lookup rate limit until %1.")
                                 .arg(until.toLocalTime().toString(QStringLiteral("HH:mm:ss"))));
    });
    connect(m_pager, &UserLookupPager::batchAnswered, this,
            [this](const QList<UserInfo> &found, const QStringList &missing) {
                m_model->applyUsers(found);
                if (!missing.isEmpty())
                    m_model->markNotFound(missing);
            });
    connect(m_pager, &UserLookupPager::finished, this, [this] {
        m_context->setStatus(QString());
        Q_EMIT namesResolved(m_loadedWebhookId);
    });
    connect(m_pager, &UserLookupPager::failed, this, [this](const ApiError &error) {
        m_context->setStatus(QString());
        m_context->showError(error);
    });

    connect(m_context, &PaneContext::profileChanged, this, &SubscriptionsPane::reset);
    connect(m_context, &PaneContext::accountsChanged, this, &SubscriptionsPane::rebuildAccounts);
    updateActions();
}

SubscriptionsPane::~SubscriptionsPane() = default;

QList<QAction *> SubscriptionsPane::actions() const
{
    return {m_subscribeAction, m_checkAction,         m_unsubscribeAction, m_exportAction,
            m_signInAction,    m_removeAccountAction, m_oauth2SignInAction};
}

QString SubscriptionsPane::label(const QString &webhookId) const
{
    return m_labeler ? m_labeler(webhookId) : webhookId;
}

int SubscriptionsPane::knownSubscriptionCount(const QString &webhookId) const
{
    return webhookId == m_loadedWebhookId ? m_model->rowCount() : -1;
}

void SubscriptionsPane::reset()
{
    m_pager->setClient(m_context->client());
    m_pager->cancel();
    m_operationRunning = false;
    ++m_loadGeneration;
    m_model->clear();
    m_loadedWebhookId.clear();
    m_subscriptionsAll = m_provisioned = -1;
    updateQuota();
    rebuildAccounts();
}

void SubscriptionsPane::rebuildAccounts()
{
    const QString previous = m_accountCombo->currentData().toString();
    QList<AccountRow> rows;
    if (m_context->hasProfile()) {
        for (const UserCredentials &account : m_context->profile().accounts)
            rows.append(AccountRow::fromCredentials(account));
    }
    m_accountModel->setRows(rows);
    if (m_accountCombo->currentIndex() < 0 && !rows.isEmpty())
        m_accountCombo->setCurrentIndex(0);
    selectAccount(previous);
    updateAccountDetails();
}

void SubscriptionsPane::selectAccount(const QString &userId)
{
    if (const int index = m_accountCombo->findData(userId); index >= 0)
        m_accountCombo->setCurrentIndex(index);
    updateActions();
}

const UserCredentials *SubscriptionsPane::selectedAccount() const
{
    const QString userId = m_accountCombo->currentData().toString();
    if (!m_context->hasProfile() || userId.isEmpty())
        return nullptr;
    for (const UserCredentials &account : m_context->profile().accounts) {
        if (account.userId == userId)
            return &account;
    }
    return nullptr;
}

struct SubscriptionsPane::AccountAction
{
    ApiClient *client;
    UserTokenKeeper *keeper;
    QString webhookId;
    UserCredentials account;
};

std::optional<SubscriptionsPane::AccountAction> SubscriptionsPane::accountAction() const
{
    const UserCredentials *account = selectedAccount();
    ApiClient *client = m_context->client();
    UserTokenKeeper *keeper = m_context->tokenKeeper();
    if (!account || m_loadedWebhookId.isEmpty() || !client || !keeper)
        return std::nullopt;
    return AccountAction {client, keeper, m_loadedWebhookId, *account};
}

void SubscriptionsPane::showWebhook(const QString &webhookId)
{
    if (webhookId != m_loadedWebhookId)
        load(webhookId);
    updateActions();
}

void SubscriptionsPane::load(const QString &webhookId)
{
    const quint64 generation = ++m_loadGeneration;
    m_pager->cancel();
    if (webhookId != m_loadedWebhookId)
        m_model->clear();
    m_loadedWebhookId = webhookId;
    ApiClient *client = m_context->client();
    if (webhookId.isEmpty() || !client) {
        m_title->setText(tr("Select a webhook to see its subscriptions."));
        updateActions();
        return;
    }
    m_title->setText(tr("Loading subscriptions of %1…").arg(label(webhookId)));
    m_context->callStarted();
    client->listSubscriptions(
        webhookId, this, [this, generation, webhookId](const Result<SubscriptionList> &result) {
            m_context->callEnded();
            if (generation != m_loadGeneration)
                return; // another webhook was selected meanwhile
            if (!result) {
                m_title->setText(tr("Subscriptions of %1 could not be loaded.").arg(label(webhookId)));
                m_context->showError(result.error());
                return;
            }
            m_model->setUserIds(result.value().userIds, m_context->userCache());
            updateTitle();
            updateActions();
            Q_EMIT subscriptionsLoaded(webhookId);
            resolveNames();
        });
}

void SubscriptionsPane::resolveNames()
{
    m_pager->setClient(m_context->client());
    m_pager->lookup(m_model->userIdsWithoutNames(std::numeric_limits<int>::max()));
}

void SubscriptionsPane::updateTitle()
{
    m_title->setText(
        tr("%n subscription(s) on %1", nullptr, m_model->rowCount()).arg(label(m_loadedWebhookId)));
}

void SubscriptionsPane::refreshCount()
{
    ApiClient *client = m_context->client();
    if (!client)
        return;
    m_context->callStarted();
    client->subscriptionCount(this, [this](const Result<SubscriptionCount> &result) {
        m_context->callEnded();
        if (!result) {
            // The quota is extra information: not worth a message of its own when lists work.
            m_quotaBar->hide();
            m_context->setStatus(tr("Quota unavailable: %1").arg(result.error().cause));
            return;
        }
        m_subscriptionsAll = result.value().subscriptionsAll;
        m_provisioned = result.value().provisioned;
        updateQuota();
        Q_EMIT subscriptionCountChanged();
    });
}

void SubscriptionsPane::updateQuota()
{
    if (m_subscriptionsAll < 0 || m_provisioned <= 0) {
        m_quotaBar->hide();
        return;
    }
    m_quotaBar->setRange(0, int(qMin<qint64>(m_provisioned, INT_MAX)));
    m_quotaBar->setValue(int(qMin(m_subscriptionsAll, m_provisioned)));
    m_quotaBar->setFormat(tr("%1 of %2 subscriptions").arg(m_subscriptionsAll).arg(m_provisioned));
    m_quotaBar->setToolTip(tr("Subscriptions across all webhooks of this app against the provisioned quota"));
    m_quotaBar->show();
}

void SubscriptionsPane::subscribeSelectedAccount()
{
    const std::optional<AccountAction> target = accountAction();
    if (!target)
        return;
    const auto &[client, keeper, webhookId, account] = *target;
    m_operationRunning = true;
    updateActions();
    m_context->callStarted();
    // Inside the recorded run, so the history has the subscribe whether or not a refresh came first.
    m_context->recorder()->run<Done>(
        *client, Operation::Subscribe, {{QStringLiteral("webhook_id"), webhookId}}, &account, this,
        [client = QPointer<ApiClient>(client), keeper = QPointer<UserTokenKeeper>(keeper), webhookId,
         account](QObject *context, ApiClient::Callback<Done> done) -> ApiCall * {
            if (!keeper)
                return nullptr; // the profile changed meanwhile: its calls end silently
            keeper->call<Done>(
                Operation::Subscribe, account, context,
                [client, webhookId](const UserCredentials &user, QObject *context,
                                    ApiClient::Callback<Done> done) {
                    if (client)
                        client->subscribe(webhookId, user, context, std::move(done));
                },
                std::move(done));
            return nullptr;
        },
        [](const Done &) { return QStringLiteral("subscribed"); },
        [this, account, webhookId](const Result<Done> &result) {
            m_context->callEnded();
            m_operationRunning = false;
            updateActions();
            if (!result) {
                m_context->showError(result.error());
                return;
            }
            m_context->showPartialErrors(result.partialErrors());
            m_context->setStatus(tr("%1 is subscribed to %2.").arg(accountLabel(account), label(webhookId)));
            if (webhookId == m_loadedWebhookId) {
                m_context->userCache()->insert(UserInfo {account.userId, account.username, QString()});
                m_model->addUserIds({account.userId}, m_context->userCache());
                updateTitle();
                resolveNames();
            }
            refreshCount();
        });
}

void SubscriptionsPane::checkSelectedAccount()
{
    const std::optional<AccountAction> target = accountAction();
    if (!target)
        return;
    const auto &[client, keeper, webhookId, account] = *target;
    m_context->callStarted();
    keeper->call<bool>(
        Operation::CheckSubscription, account, this,
        [client = QPointer<ApiClient>(client), webhookId](const UserCredentials &user, QObject *context,
                                                          ApiClient::Callback<bool> done) {
            if (client)
                client->checkSubscription(webhookId, user, context, std::move(done));
        },
        [this, account, webhookId](const Result<bool> &result) {
            m_context->callEnded();
            if (!result) {
                m_context->showError(result.error());
                return;
            }
            const QString text = result.value()
                ? tr("%1 is subscribed to %2.").arg(accountLabel(account), label(webhookId))
                : tr("%1 is not subscribed to %2.").arg(accountLabel(account), label(webhookId));
            m_context->messageBar()->showMessage(MessageBar::Level::Information, text);
            m_context->setStatus(text);
            Q_EMIT subscriptionChecked(account.userId, result.value());
        });
}

void SubscriptionsPane::unsubscribeSelected()
{
    if (m_operationRunning || !m_context->client() || m_loadedWebhookId.isEmpty())
        return;
    QStringList ids;
    QStringList names;
    for (const int proxyRow : m_view->selectedRows()) {
        const int row = m_proxy->sourceRow(proxyRow);
        if (row < 0)
            continue;
        const SubscriptionRow &sub = m_model->row(row);
        ids.append(sub.userId);
        names.append(sub.username.isEmpty() ? sub.userId : QStringLiteral("@") + sub.username);
    }
    if (ids.isEmpty())
        return;
    QString nameList = names.mid(0, namePreviewCount).join(QStringLiteral(", "));
    if (names.size() > namePreviewCount)
        nameList += tr(" and %n more", nullptr, int(names.size()) - namePreviewCount);
    Confirmation confirmation;
    confirmation.title = tr("Unsubscribe users");
    confirmation.question =
        tr("Unsubscribe %n user(s) from %1?", nullptr, int(ids.size())).arg(label(m_loadedWebhookId));
    confirmation.details =
        tr("%1\n\nX stops sending their account activity to this webhook. They can only be "
           "subscribed again with their own sign-in.")
            .arg(nameList);
    confirmation.acceptLabel = tr("Unsubscribe %n user(s)", nullptr, int(ids.size()));
    QPointer<SubscriptionsPane> self(this);
    m_context->prompter()->ask(window(), confirmation, [self, ids](bool accepted) {
        if (self && accepted)
            self->startBulkUnsubscribe(ids);
    });
}

void SubscriptionsPane::startBulkUnsubscribe(const QStringList &userIds)
{
    QPointer<ApiClient> client = m_context->client();
    if (!client)
        return;
    QList<BulkUnsubscribeDialog::Target> targets;
    for (const QString &id : userIds) {
        const int row = m_model->rowOf(id);
        QString name = id;
        if (row >= 0 && !m_model->row(row).username.isEmpty())
            name = QStringLiteral("@") + m_model->row(row).username;
        targets.append({id, name});
    }
    const QString webhookId = m_loadedWebhookId;
    QPointer<SubscriptionsPane> self(this);
    auto step = [self, client, webhookId](const QString &userId,
                                          std::function<void(const BulkUnsubscribeDialog::Outcome &)> done) {
        if (!self || !client) {
            done({ApiError::make(ApiError::Kind::Cancelled, tr("The profile was closed.")), -1, {}});
            return;
        }
        self->m_context->callStarted();
        self->m_context->recorder()->run<Done>(
            *client, Operation::UnsubscribeUser,
            {{QStringLiteral("webhook_id"), webhookId}, {QStringLiteral("user_id"), userId}}, nullptr, self,
            [client, webhookId, userId](QObject *context, ApiClient::Callback<Done> callback) {
                return client->unsubscribe(webhookId, userId, context, std::move(callback));
            },
            [](const Done &) { return QStringLiteral("unsubscribed"); },
            [self, client, done](const Result<Done> &result) {
                self->m_context->callEnded();
                BulkUnsubscribeDialog::Outcome outcome;
                if (!result)
                    outcome.error = result.error();
                if (client) {
                    const RateLimitState window = client->rateLimit(Operation::UnsubscribeUser);
                    outcome.rateLimitRemaining = window.remaining;
                    outcome.rateLimitReset = window.resetUtc;
                }
                done(outcome);
            });
    };
    auto *dialog = new BulkUnsubscribeDialog(targets, step, m_context->clock(), window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &BulkUnsubscribeDialog::userUnsubscribed, this, [this, webhookId](const QString &userId) {
        if (webhookId == m_loadedWebhookId)
            m_model->removeUserIds({userId});
    });
    connect(dialog, &BulkUnsubscribeDialog::finishedAll, this, [this](const QStringList &, int, bool) {
        m_operationRunning = false;
        updateTitle();
        updateActions();
        refreshCount();
    });
    m_bulkDialog = dialog;
    m_operationRunning = true;
    updateActions();
    dialog->open();
    dialog->start();
}

bool SubscriptionsPane::exportCsv(const QString &path, QString *error) const
{
    return csvexport::save(
        path, [this](QIODevice *device) { return m_model->exportCsv(device); }, error);
}

void SubscriptionsPane::exportInteractively()
{
    if (m_model->rowCount() == 0)
        return;
    csvexport::askAndSave(
        window(), m_context, tr("Export subscriptions"), QStringLiteral("exportCsvDialog"),
        QStringLiteral("subscriptions-%1.csv").arg(m_loadedWebhookId),
        [this](QIODevice *device) { return m_model->exportCsv(device); },
        [this](const QString &path) {
            return tr("Exported %n subscription(s) to %1.", nullptr, m_model->rowCount()).arg(path);
        });
}

void SubscriptionsPane::updateActions()
{
    const bool haveClient = m_context->client() != nullptr;
    const bool haveWebhook = !m_loadedWebhookId.isEmpty();
    const bool haveAccount = m_accountCombo->currentIndex() >= 0;
    const bool haveSelection = !m_view->selectedRows().isEmpty();
    m_subscribeAction->setEnabled(haveClient && haveWebhook && haveAccount && !m_operationRunning);
    m_checkAction->setEnabled(haveClient && haveWebhook && haveAccount);
    m_unsubscribeAction->setEnabled(haveClient && haveSelection && !m_operationRunning);
    m_exportAction->setEnabled(m_model->rowCount() > 0);
    m_signInAction->setEnabled(haveClient && m_context->hasProfile());
    const QString oauth2Problem =
        m_context->hasProfile() ? oauth2SetupProblem(m_context->profile()) : QString();
    m_oauth2SignInAction->setEnabled(haveClient && m_context->hasProfile() && oauth2Problem.isEmpty());
    m_oauth2SignInAction->setToolTip(
        oauth2Problem.isEmpty() ? tr("Sign a user in with OAuth 2.0 (PKCE), with the profile's scopes")
                                : oauth2Problem);
    // The hint and its button only where OAuth 2.0 matters: v2 subscribe and check take its tokens.
    m_oauth2Hint->setVisible(haveClient && m_context->hasProfile() && !oauth2Problem.isEmpty() &&
                             m_context->profile().generation == ApiGeneration::V2);
    m_oauth2Hint->findChild<QLabel *>(QStringLiteral("oauth2SetupText"))->setText(oauth2Problem);
    m_removeAccountAction->setEnabled(haveAccount);
}

void SubscriptionsPane::updateAccountDetails()
{
    const int index = m_accountCombo->currentIndex();
    if (index < 0 || index >= m_accountModel->rowCount()) {
        m_accountDetails->clear();
        return;
    }
    const AccountRow &row = m_accountModel->row(index);
    QStringList parts {AccountTableModel::signInKindText(row.account)};
    if (row.account.hasOAuth2) {
        if (!row.scopes.isEmpty())
            parts.append(tr("scopes: %1").arg(oauth2::joinScopes(row.scopes)));
        const QDateTime now = m_context->now();
        const QString expiry = AccountTableModel::expiryText(row, now);
        parts.append(row.expiresAt.isValid() && now < row.expiresAt ? tr("token expires %1").arg(expiry)
                                                                    : expiry);
    }
    m_accountDetails->setText(parts.join(QStringLiteral(" · ")));
}

} // namespace activity
