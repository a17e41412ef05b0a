#include "MainWindow.h"

#include "ApiClient.h"
#include "BulkUnsubscribeDialog.h"
#include "ConfirmationPrompter.h"
#include "ConsoleTableView.h"
#include "HistoryDock.h"
#include "HistoryStore.h"
#include "HistoryTableModel.h"
#include "MessageBar.h"
#include "PaletteColors.h"
#include "ProfileDialog.h"
#include "ProfileStore.h"
#include "RegisterWebhookDialog.h"
#include "ReplayDialog.h"
#include "ReplayJobTableModel.h"
#include "RequestLog.h"
#include "RequestLogDock.h"
#include "SignInController.h"
#include "SubscriptionFilterProxy.h"
#include "SubscriptionTableModel.h"
#include "TableFilterProxy.h"
#include "UserCache.h"
#include "Validation.h"
#include "WebhookFilterProxy.h"
#include "WebhookTableModel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QProgressBar>
#include <QSaveFile>
#include <QSet>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace activity {

namespace {

constexpr int namePreviewCount = 10; // names listed in a confirmation before "and N more"

QString accountLabel(const UserCredentials &account)
{
    return account.username.isEmpty() ? account.userId : QStringLiteral("@") + account.username;
}

QString settingsKeyForWebhook(const QString &profileId)
{
    return QStringLiteral("selection/webhook/") + profileId;
}

} // namespace

MainWindow::MainWindow(ConsoleServices services, QWidget *parent)
    : QMainWindow(parent)
    , m_services(std::move(services))
    , m_userCache(std::make_unique<UserCache>())
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Activity Console"));
    resize(1280, 880);

    m_requestLog = new RequestLog(this);
    m_webhooks = new WebhookTableModel(this);
    m_webhookProxy = new WebhookFilterProxy(this);
    m_webhookProxy->setSourceModel(m_webhooks);
    m_subscriptions = new SubscriptionTableModel(this);
    m_subscriptionProxy = new SubscriptionFilterProxy(this);
    m_subscriptionProxy->setSourceModel(m_subscriptions);
    m_replayJobs = new ReplayJobTableModel(this);
    m_replayProxy = new TableFilterProxy(this);
    m_replayProxy->setSourceModel(m_replayJobs);

    buildActions();
    buildCentralArea();
    buildDocks();
    restoreWindowState();
    updateBanner();
    updateActions();
    updateEmptyState();
}

MainWindow::~MainWindow()
{
    // Calls still running end silently with their client; nothing may call back into a half-gone window.
    delete m_client;
}

// --- construction -------------------------------------------------------------------------------

void MainWindow::buildActions()
{
    auto make = [this](const QString &name, const QString &text,
                       QStyle::StandardPixmap icon = QStyle::SP_CustomBase) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        if (icon != QStyle::SP_CustomBase)
            action->setIcon(style()->standardIcon(icon));
        return action;
    };

    m_refreshAction = make(QStringLiteral("refreshAction"), tr("&Refresh"), QStyle::SP_BrowserReload);
    m_refreshAction->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R)});
    m_refreshAction->setToolTip(tr("Reload webhooks, subscriptions and the quota (F5, Ctrl+R)"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refresh);

    m_registerAction =
        make(QStringLiteral("registerAction"), tr("Re&gister webhook…"), QStyle::SP_FileDialogNewFolder);
    m_registerAction->setShortcut(QKeySequence::New);
    connect(m_registerAction, &QAction::triggered, this, [this] { openRegisterDialog(); });

    m_validateAction =
        make(QStringLiteral("validateAction"), tr("&Validate (CRC)"), QStyle::SP_DialogApplyButton);
    m_validateAction->setToolTip(
        tr("Ask X to run a CRC check now; re-enables an invalid webhook when it passes"));
    connect(m_validateAction, &QAction::triggered, this, &MainWindow::validateSelectedWebhook);

    m_deleteAction = make(QStringLiteral("deleteAction"), tr("&Delete webhook…"), QStyle::SP_TrashIcon);
    connect(m_deleteAction, &QAction::triggered, this, &MainWindow::deleteSelectedWebhook);

    m_copyIdAction = make(QStringLiteral("copyIdAction"), tr("Copy webhook &id"));
    connect(m_copyIdAction, &QAction::triggered, this,
            [this] { copySelectedWebhookField(int(WebhookTableModel::Column::Id)); });
    m_copyUrlAction = make(QStringLiteral("copyUrlAction"), tr("Copy webhook &URL"));
    connect(m_copyUrlAction, &QAction::triggered, this,
            [this] { copySelectedWebhookField(int(WebhookTableModel::Column::Url)); });

    m_replayAction =
        make(QStringLiteral("replayAction"), tr("Re&play events…"), QStyle::SP_MediaSeekBackward);
    connect(m_replayAction, &QAction::triggered, this, [this] { openReplayDialog(); });

    m_subscribeAction =
        make(QStringLiteral("subscribeAction"), tr("&Subscribe account"), QStyle::SP_DialogYesButton);
    connect(m_subscribeAction, &QAction::triggered, this, &MainWindow::subscribeSelectedAccount);
    m_checkAction = make(QStringLiteral("checkAction"), tr("C&heck account"), QStyle::SP_MessageBoxQuestion);
    connect(m_checkAction, &QAction::triggered, this, &MainWindow::checkSelectedAccount);
    m_unsubscribeAction =
        make(QStringLiteral("unsubscribeAction"), tr("&Unsubscribe selected…"), QStyle::SP_DialogNoButton);
    connect(m_unsubscribeAction, &QAction::triggered, this, &MainWindow::unsubscribeSelected);
    m_exportAction = make(QStringLiteral("exportCsvAction"), tr("&Export CSV…"), QStyle::SP_DialogSaveButton);
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportCsvInteractively);
    m_copyRowsAction = make(QStringLiteral("copyRowsAction"), tr("&Copy rows"));
    m_copyRowsAction->setShortcut(QKeySequence::Copy);
    m_copyRowsAction->setShortcutContext(
        Qt::WidgetShortcut); // per table: Ctrl+C in a line edit stays text copy
    connect(m_copyRowsAction, &QAction::triggered, this, [this] {
        if (auto *view = qobject_cast<ConsoleTableView *>(QApplication::focusWidget()))
            view->copySelection();
    });
    m_signInAction = make(QStringLiteral("signInAction"), tr("Sign &in another user…"));
    connect(m_signInAction, &QAction::triggered, this, &MainWindow::requestSignIn);
    m_removeAccountAction = make(QStringLiteral("removeAccountAction"), tr("&Remove account…"));
    m_removeAccountAction->setToolTip(
        tr("Forget the selected signed-in account and delete its tokens from the keychain"));
    connect(m_removeAccountAction, &QAction::triggered, this, &MainWindow::removeSelectedAccount);

    m_profilesAction =
        make(QStringLiteral("profilesAction"), tr("&Profiles…"), QStyle::SP_FileDialogDetailedView);
    connect(m_profilesAction, &QAction::triggered, this, [this] { openProfileDialog(); });
    m_findAction = make(QStringLiteral("findAction"), tr("&Find"));
    m_findAction->setShortcut(QKeySequence::Find);
    connect(m_findAction, &QAction::triggered, this, &MainWindow::focusCurrentFilter);
    m_quitAction = make(QStringLiteral("quitAction"), tr("&Quit"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    auto *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_profilesAction);
    fileMenu->addAction(m_signInAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_exportAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_quitAction);
    auto *webhookMenu = menuBar()->addMenu(tr("&Webhooks"));
    webhookMenu->addAction(m_refreshAction);
    webhookMenu->addAction(m_registerAction);
    webhookMenu->addAction(m_validateAction);
    webhookMenu->addAction(m_deleteAction);
    webhookMenu->addSeparator();
    webhookMenu->addAction(m_copyIdAction);
    webhookMenu->addAction(m_copyUrlAction);
    webhookMenu->addSeparator();
    webhookMenu->addAction(m_replayAction);
    auto *subscriptionMenu = menuBar()->addMenu(tr("&Subscriptions"));
    subscriptionMenu->addAction(m_subscribeAction);
    subscriptionMenu->addAction(m_checkAction);
    subscriptionMenu->addAction(m_unsubscribeAction);
    subscriptionMenu->addSeparator();
    subscriptionMenu->addAction(m_exportAction);
    auto *editMenu = menuBar()->addMenu(tr("&Edit"));
    editMenu->addAction(m_findAction);

    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *profileLabel = new QLabel(tr("Pr&ofile:"), toolbar);
    m_profileCombo = new QComboBox(toolbar);
    m_profileCombo->setObjectName(QStringLiteral("profileCombo"));
    m_profileCombo->setAccessibleName(tr("Profile"));
    m_profileCombo->setToolTip(tr("The X app (profile) the console works with"));
    m_profileCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    profileLabel->setBuddy(m_profileCombo);
    connect(m_profileCombo, &QComboBox::activated, this,
            [this](int index) { activateProfile(m_profileCombo->itemData(index).toString()); });
    toolbar->addWidget(profileLabel);
    toolbar->addWidget(m_profileCombo);
    toolbar->addAction(m_profilesAction);
    toolbar->addSeparator();
    toolbar->addAction(m_refreshAction);
    toolbar->addAction(m_registerAction);
    toolbar->addAction(m_validateAction);
    toolbar->addAction(m_deleteAction);
    toolbar->addAction(m_replayAction);

    m_busyIndicator = new QProgressBar(this);
    m_busyIndicator->setObjectName(QStringLiteral("busyIndicator"));
    m_busyIndicator->setAccessibleName(tr("Calls in progress"));
    m_busyIndicator->setRange(0, 0);
    m_busyIndicator->setMaximumWidth(120);
    m_busyIndicator->setTextVisible(false);
    m_busyIndicator->hide();
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("statusLabel"));
    // Shows webhook URLs and error causes, which come from X: text, never markup.
    m_statusLabel->setTextFormat(Qt::PlainText);
    statusBar()->addWidget(m_statusLabel, 1);
    // X's deprecation notice for the profile's API generation, where the person works with it.
    m_deprecationLabel = new QLabel(this);
    m_deprecationLabel->setObjectName(QStringLiteral("deprecationLabel"));
    m_deprecationLabel->setTextFormat(Qt::PlainText);
    statusBar()->addPermanentWidget(m_deprecationLabel);
    statusBar()->addPermanentWidget(m_busyIndicator);
}

void MainWindow::buildCentralArea()
{
    auto *central = new QWidget(this);
    central->setObjectName(QStringLiteral("centralArea"));
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 6);

    m_banner = new QLabel(central);
    m_banner->setObjectName(QStringLiteral("sandboxBanner"));
    m_banner->setTextFormat(Qt::RichText); // its own markup; the URL in it is escaped
    m_banner->setAccessibleName(tr("Sandbox notice"));
    m_banner->setWordWrap(true);
    m_banner->setAutoFillBackground(true);
    m_banner->setMargin(6);
    QPalette bannerPalette = m_banner->palette();
    bannerPalette.setColor(QPalette::Window, palette::neutralBackground(bannerPalette));
    m_banner->setPalette(bannerPalette);
    layout->addWidget(m_banner);

    m_messageBar = new MessageBar(central);
    layout->addWidget(m_messageBar);

    // Webhooks: filter + table (or the empty state).
    m_splitter = new QSplitter(Qt::Vertical, central);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    auto *webhookPane = new QWidget(m_splitter);
    m_splitter->addWidget(webhookPane);
    webhookPane->setObjectName(QStringLiteral("webhookPane"));
    auto *webhookLayout = new QVBoxLayout(webhookPane);
    webhookLayout->setContentsMargins(0, 0, 0, 0);
    auto *webhookHeader = new QHBoxLayout;
    auto *webhookTitle = new QLabel(tr("<b>Webhooks</b>"), webhookPane);
    webhookTitle->setTextFormat(Qt::RichText);
    m_webhookFilter = new QLineEdit(webhookPane);
    m_webhookFilter->setObjectName(QStringLiteral("webhookFilter"));
    m_webhookFilter->setAccessibleName(tr("Filter webhooks"));
    m_webhookFilter->setPlaceholderText(tr("Filter webhooks (Ctrl+F)"));
    m_webhookFilter->setClearButtonEnabled(true);
    m_webhookFilter->setMinimumWidth(260);
    connect(m_webhookFilter, &QLineEdit::textChanged, m_webhookProxy, &TableFilterProxy::setFilterText);
    webhookHeader->addWidget(webhookTitle);
    webhookHeader->addStretch();
    webhookHeader->addWidget(m_webhookFilter);
    webhookLayout->addLayout(webhookHeader);

    m_webhookStack = new QStackedWidget(webhookPane);
    m_emptyState =
        new QLabel(tr("No webhooks yet.\nRegister one to start receiving account activity."), m_webhookStack);
    m_emptyState->setObjectName(QStringLiteral("emptyState"));
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_webhookView = new ConsoleTableView(m_webhookStack);
    m_webhookView->setObjectName(QStringLiteral("webhookView"));
    m_webhookView->setAccessibleName(tr("Webhooks"));
    m_webhookView->setModel(m_webhookProxy);
    m_webhookView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_webhookView->setSortingEnabled(true);
    m_webhookView->sortByColumn(int(WebhookTableModel::Column::Created), Qt::AscendingOrder);
    m_webhookView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_webhookView->horizontalHeader()->setSectionResizeMode(int(WebhookTableModel::Column::Url),
                                                            QHeaderView::Stretch);
    // The state text must never be cut: it is what says "invalid", not only the colour.
    m_webhookView->horizontalHeader()->setSectionResizeMode(int(WebhookTableModel::Column::Valid),
                                                            QHeaderView::Interactive);
    m_webhookView->horizontalHeader()->resizeSection(
        int(WebhookTableModel::Column::Valid),
        m_webhookView->fontMetrics().horizontalAdvance(tr("Invalid — re-validate")) + 48);
    m_webhookView->horizontalHeader()->setStretchLastSection(false);
    m_webhookView->addActions({m_validateAction, m_deleteAction, m_replayAction, m_copyIdAction,
                               m_copyUrlAction, m_copyRowsAction});
    connect(m_webhookView, &ConsoleTableView::deleteRequested, this, &MainWindow::deleteSelectedWebhook);
    connect(m_webhookView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onWebhookSelectionChanged);
    m_webhookStack->addWidget(m_emptyState);
    m_webhookStack->addWidget(m_webhookView);
    webhookLayout->addWidget(m_webhookStack);
    connect(m_webhooks, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateEmptyState);
    connect(m_webhooks, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateEmptyState);
    connect(m_webhooks, &QAbstractItemModel::modelReset, this, &MainWindow::updateEmptyState);

    // Subscriptions of the selected webhook.
    auto *subscriptionPane = new QWidget(central);
    subscriptionPane->setObjectName(QStringLiteral("subscriptionPane"));
    auto *subscriptionLayout = new QVBoxLayout(subscriptionPane);
    auto *subscriptionHeader = new QHBoxLayout;
    m_subscriptionTitle = new QLabel(tr("Select a webhook to see its subscriptions."), subscriptionPane);
    m_subscriptionTitle->setObjectName(QStringLiteral("subscriptionTitle"));
    m_subscriptionTitle->setTextFormat(Qt::PlainText); // names the webhook by its URL
    m_quotaBar = new QProgressBar(subscriptionPane);
    m_quotaBar->setObjectName(QStringLiteral("quotaBar"));
    m_quotaBar->setAccessibleName(tr("Subscriptions used of the provisioned quota"));
    m_quotaBar->setMinimumWidth(220);
    m_quotaBar->hide();
    m_subscriptionFilter = new QLineEdit(subscriptionPane);
    m_subscriptionFilter->setObjectName(QStringLiteral("subscriptionFilter"));
    m_subscriptionFilter->setAccessibleName(tr("Filter subscriptions"));
    m_subscriptionFilter->setPlaceholderText(tr("Filter by id, @username or name (Ctrl+F)"));
    m_subscriptionFilter->setClearButtonEnabled(true);
    m_subscriptionFilter->setMinimumWidth(260);
    connect(m_subscriptionFilter, &QLineEdit::textChanged, m_subscriptionProxy,
            &SubscriptionFilterProxy::setFilterText);
    subscriptionHeader->addWidget(m_subscriptionTitle, 1);
    subscriptionHeader->addWidget(m_quotaBar);
    subscriptionHeader->addWidget(m_subscriptionFilter);
    subscriptionLayout->addLayout(subscriptionHeader);

    auto *accountRow = new QHBoxLayout;
    auto *accountLabelWidget = new QLabel(tr("&Account:"), subscriptionPane);
    m_accountCombo = new QComboBox(subscriptionPane);
    m_accountCombo->setObjectName(QStringLiteral("accountCombo"));
    m_accountCombo->setAccessibleName(tr("Signed-in account to subscribe or check"));
    m_accountCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    accountLabelWidget->setBuddy(m_accountCombo);
    auto addButton = [subscriptionPane, accountRow](QAction *action, const QString &name) {
        auto *button = new QToolButton(subscriptionPane);
        button->setObjectName(name);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setAccessibleName(action->text().remove(QLatin1Char('&')));
        accountRow->addWidget(button);
        return button;
    };
    accountRow->addWidget(accountLabelWidget);
    accountRow->addWidget(m_accountCombo);
    addButton(m_subscribeAction, QStringLiteral("subscribeButton"));
    addButton(m_checkAction, QStringLiteral("checkButton"));
    addButton(m_signInAction, QStringLiteral("signInButton"));
    addButton(m_removeAccountAction, QStringLiteral("removeAccountButton"));
    accountRow->addStretch();
    addButton(m_unsubscribeAction, QStringLiteral("unsubscribeButton"));
    addButton(m_exportAction, QStringLiteral("exportButton"));
    subscriptionLayout->addLayout(accountRow);

    m_subscriptionView = new ConsoleTableView(subscriptionPane);
    m_subscriptionView->setObjectName(QStringLiteral("subscriptionView"));
    m_subscriptionView->setAccessibleName(tr("Subscriptions"));
    m_subscriptionView->setModel(m_subscriptionProxy);
    m_subscriptionView->setSortingEnabled(true);
    m_subscriptionView->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_subscriptionView->horizontalHeader()->resizeSection(int(SubscriptionTableModel::Column::UserId), 200);
    m_subscriptionView->horizontalHeader()->resizeSection(int(SubscriptionTableModel::Column::Username), 200);
    m_subscriptionView->addActions({m_unsubscribeAction, m_exportAction, m_copyRowsAction});
    connect(m_subscriptionView, &ConsoleTableView::deleteRequested, this, &MainWindow::unsubscribeSelected);
    connect(m_subscriptionView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);
    subscriptionLayout->addWidget(m_subscriptionView);

    // Replay jobs submitted in this session.
    auto *replayPane = new QWidget(central);
    auto *replayLayout = new QVBoxLayout(replayPane);
    m_replayView = new ConsoleTableView(replayPane);
    m_replayView->setObjectName(QStringLiteral("replayJobView"));
    m_replayView->setAccessibleName(tr("Replay jobs"));
    m_replayView->setModel(m_replayProxy);
    m_replayView->setSortingEnabled(true);
    m_replayView->addAction(m_replayAction);
    replayLayout->addWidget(m_replayView);

    m_lowerTabs = new QTabWidget(m_splitter);
    m_lowerTabs->setObjectName(QStringLiteral("lowerTabs"));
    m_lowerTabs->addTab(subscriptionPane, tr("S&ubscriptions"));
    m_lowerTabs->addTab(replayPane, tr("Replay &jobs"));

    m_splitter->addWidget(m_lowerTabs);
    // Keep the webhook pane first among the splitter's children (QSplitter reorders them), so that
    // lookups by type find the webhook stack before the tab widget's own stack.
    webhookPane->lower();
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    setTabOrder(m_profileCombo, m_webhookFilter);
    setTabOrder(m_webhookFilter, m_webhookView);
    setTabOrder(m_webhookView, m_lowerTabs);
    setTabOrder(m_lowerTabs, m_subscriptionFilter);
    setTabOrder(m_subscriptionFilter, m_accountCombo);
    setTabOrder(m_accountCombo, m_subscriptionView);
}

void MainWindow::buildDocks()
{
    m_logDock = new RequestLogDock(m_requestLog, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    auto *viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *toggle = m_logDock->toggleViewAction();
    toggle->setObjectName(QStringLiteral("toggleRequestLogAction"));
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    viewMenu->addAction(toggle);
    // The tables come first; the log gets a modest strip until the person resizes it.
    resizeDocks({m_logDock}, {200}, Qt::Vertical);

    if (m_services.history) {
        m_historyDock = new HistoryDock(m_services.history, this);
        addDockWidget(Qt::BottomDockWidgetArea, m_historyDock);
        tabifyDockWidget(m_logDock, m_historyDock);
        QAction *toggleHistory = m_historyDock->toggleViewAction();
        toggleHistory->setObjectName(QStringLiteral("toggleHistoryAction"));
        toggleHistory->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
        viewMenu->addAction(toggleHistory);
        // Changes whose answer never arrived (the console or activity-cli ended first) come first.
        const int interrupted = int(m_services.history->pendingFromEarlierRuns().size());
        if (interrupted > 0) {
            m_historyDock->raise();
            QTimer::singleShot(0, this, [this, interrupted] {
                m_messageBar->showMessage(
                    MessageBar::Level::Warning,
                    tr("%n change(s) from an earlier run that ended before the answer arrived.", nullptr,
                       interrupted),
                    tr("X may or may not have made them: check the webhook/subscription state (View > "
                       "History)."));
            });
        } else {
            m_logDock->raise();
        }
    }
}

qint64 MainWindow::recordBegin(Operation operation, const QJsonObject &parameters,
                               const UserCredentials *user)
{
    if (!m_services.history || !m_client)
        return 0;
    HistoryAction action;
    action.operation = operation;
    action.source = QStringLiteral("console");
    if (const ConsoleProfile *profile = currentProfile()) {
        action.profileId = profile->id;
        action.profileName = profile->name;
    }
    action.generation = m_client->generation();
    const QUrl base = m_client->config().baseUrl;
    action.host = base.port() > 0 ? QStringLiteral("%1:%2").arg(base.host()).arg(base.port()) : base.host();
    if (user) {
        action.accountUserId = user->userId;
        action.accountUsername = user->username;
    }
    action.parameters = parameters;
    // A failure shows in the History dock; the action itself goes ahead.
    return m_services.history->begin(action);
}

void MainWindow::recordEnd(qint64 entry, const ApiError *error, const QString &summary)
{
    if (m_services.history && entry > 0)
        m_services.history->complete(
            entry, error ? HistoryOutcome::failure(*error) : HistoryOutcome::success(summary));
}

void MainWindow::recordPartial(qint64 entry, const QString &summary, const QList<ApiError> &problems)
{
    if (m_services.history && entry > 0)
        m_services.history->complete(entry, HistoryOutcome::partial(summary, problems));
    showPartialErrors(problems);
}

void MainWindow::showPartialErrors(const QList<ApiError> &problems)
{
    if (problems.isEmpty())
        return;
    const ApiError &first = problems.first();
    m_messageBar->showMessage(
        MessageBar::Level::Warning,
        tr("X answered with success but also reported %n problem(s): %1", nullptr, int(problems.size()))
            .arg(first.cause.isEmpty() ? first.serverMessage : first.cause),
        first.remedy);
}

void MainWindow::restoreWindowState()
{
    QSettings *s = settings();
    if (const QByteArray geometry = s->value(QStringLiteral("window/geometry")).toByteArray();
        !geometry.isEmpty())
        restoreGeometry(geometry);
    if (const QByteArray state = s->value(QStringLiteral("window/state")).toByteArray(); !state.isEmpty())
        restoreState(state);
    if (const QByteArray split = s->value(QStringLiteral("window/splitter")).toByteArray(); !split.isEmpty())
        m_splitter->restoreState(split);
}

void MainWindow::saveWindowState() const
{
    QSettings *s = settings();
    s->setValue(QStringLiteral("window/geometry"), saveGeometry());
    s->setValue(QStringLiteral("window/state"), saveState());
    s->setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    if (!m_currentProfileId.isEmpty()) {
        s->setValue(QStringLiteral("selection/profile"), m_currentProfileId);
        const QString webhook = selectedWebhookId();
        if (!webhook.isEmpty())
            s->setValue(settingsKeyForWebhook(m_currentProfileId), webhook);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindowState();
    QMainWindow::closeEvent(event);
}

// --- profiles -----------------------------------------------------------------------------------

void MainWindow::setBuiltInProfile(const ConsoleProfile &profile)
{
    m_builtIn = profile;
    m_builtIn->builtInSandbox = true;
    if (m_builtIn->id.isEmpty())
        m_builtIn->id = builtInSandboxProfileId;
    m_profiles.removeIf([](const ConsoleProfile &p) { return p.builtInSandbox; });
    m_profiles.prepend(*m_builtIn);
    rebuildProfileCombo();
}

void MainWindow::setSignInHandler(std::function<void(const QString &)> handler)
{
    m_signInHandler = std::move(handler);
}

void MainWindow::addAccount(const QString &profileId, const UserCredentials &account)
{
    for (ConsoleProfile &profile : m_profiles) {
        if (profile.id != profileId)
            continue;
        profile.accounts.removeIf([&](const UserCredentials &a) { return a.userId == account.userId; });
        profile.accounts.append(account);
    }
    if (profileId == m_currentProfileId)
        rebuildAccountCombo();
}

QStringList MainWindow::profileIds() const
{
    QStringList ids;
    for (int i = 0; i < m_profileCombo->count(); ++i)
        ids.append(m_profileCombo->itemData(i).toString());
    return ids;
}

QString MainWindow::currentProfileId() const
{
    return m_currentProfileId;
}

const ConsoleProfile *MainWindow::currentProfile() const
{
    for (const ConsoleProfile &profile : m_profiles) {
        if (profile.id == m_currentProfileId)
            return &profile;
    }
    return nullptr;
}

bool MainWindow::selectProfile(const QString &profileId)
{
    if (!profileIds().contains(profileId))
        return false;
    activateProfile(profileId);
    return true;
}

void MainWindow::rebuildProfileCombo()
{
    const QSignalBlocker blocker(m_profileCombo);
    m_profileCombo->clear();
    for (const ConsoleProfile &profile : std::as_const(m_profiles))
        m_profileCombo->addItem(profile.name, profile.id);
    const int index = m_profileCombo->findData(m_currentProfileId);
    if (index >= 0)
        m_profileCombo->setCurrentIndex(index);
}

void MainWindow::start()
{
    reloadStoredProfiles();
    if (m_services.profiles)
        connect(m_services.profiles, &ProfileStore::profilesChanged, this, &MainWindow::reloadStoredProfiles,
                Qt::UniqueConnection);
    QString wanted = settings()->value(QStringLiteral("selection/profile")).toString();
    if (wanted.isEmpty() || !profileIds().contains(wanted))
        wanted = m_builtIn ? m_builtIn->id : (m_profiles.isEmpty() ? QString() : m_profiles.first().id);
    if (!wanted.isEmpty())
        activateProfile(wanted);
    if (m_services.history) {
        // What the history no longer keeps goes on a thread of its own; the window goes on.
        m_services.history->setRetention(HistoryRetention::fromSettings(*settings()));
        m_services.history->pruneInBackground();
    }
}

void MainWindow::activateProfile(const QString &profileId)
{
    const ConsoleProfile *found = nullptr;
    for (const ConsoleProfile &profile : std::as_const(m_profiles)) {
        if (profile.id == profileId)
            found = &profile;
    }
    if (!found)
        return;
    if (found->builtInSandbox || !m_services.profiles || m_secretsLoaded.contains(profileId)) {
        ++m_activationAttempt;
        useProfile(*found);
        return;
    }
    // A stored profile: its secrets come from the keychain, in one round trip, before any call.
    const quint64 attempt = ++m_activationAttempt;
    m_statusLabel->setText(tr("Reading the secrets of %1 from the keychain…").arg(found->name));
    m_services.profiles->loadSecrets(
        profileId, this, [this, profileId, attempt](const Result<ProfileSecrets> &result) {
            if (attempt != m_activationAttempt)
                return; // another profile was chosen meanwhile
            m_statusLabel->clear();
            ConsoleProfile *profile = nullptr;
            for (ConsoleProfile &candidate : m_profiles) {
                if (candidate.id == profileId)
                    profile = &candidate;
            }
            if (!profile)
                return;
            if (!result) {
                // No plaintext fallback: say what is wrong and work without this profile.
                const ConsoleProfile copy = *profile;
                useProfile(copy, false);
                showError(result.error());
                return;
            }
            profile->credentials.consumerSecret = result.value().consumerSecret;
            profile->credentials.ownerToken = result.value().ownerToken;
            profile->credentials.ownerTokenSecret = result.value().ownerTokenSecret;
            profile->credentials.bearerToken = result.value().bearerToken;
            m_secretsLoaded.insert(profileId);
            const ConsoleProfile copy = *profile;
            useProfile(copy);
            loadAccountsOf(profileId);
        });
}

void MainWindow::loadAccountsOf(const QString &profileId)
{
    if (!m_services.profiles)
        return;
    for (const Account &account : m_services.profiles->accounts(profileId)) {
        m_services.profiles->loadAccountTokens(
            profileId, account.userId, this, [this, profileId, account](const Result<AccountTokens> &tokens) {
                if (!tokens) {
                    m_messageBar->showMessage(
                        MessageBar::Level::Warning,
                        tr("The sign-in of @%1 could not be read from the keychain.").arg(account.username),
                        tokens.error().text());
                    return;
                }
                addAccount(profileId,
                           UserCredentials {tokens.value().token, tokens.value().tokenSecret, account.userId,
                                            account.username});
            });
    }
}

void MainWindow::useProfile(const ConsoleProfile &profile, bool withClient)
{
    if (!m_currentProfileId.isEmpty() && !selectedWebhookId().isEmpty())
        settings()->setValue(settingsKeyForWebhook(m_currentProfileId), selectedWebhookId());

    delete m_client; // its running calls end silently
    m_runningCalls = 0;
    m_webhookOperationRunning = false;
    m_subscriptionOperationRunning = false;
    m_lookupRunning = false;
    ++m_subscriptionsGeneration;
    m_busyIndicator->hide();

    m_currentProfileId = profile.id;
    settings()->setValue(QStringLiteral("selection/profile"), profile.id);
    if (m_services.profiles && !profile.builtInSandbox)
        m_services.profiles->setCurrentProfileId(profile.id);
    m_pendingWebhookSelection = settings()->value(settingsKeyForWebhook(profile.id)).toString();
    const int index = m_profileCombo->findData(profile.id);
    if (index >= 0)
        m_profileCombo->setCurrentIndex(index);

    m_userCache->clear();
    m_webhooks->setWebhooks({});
    m_subscriptions->clear();
    m_loadedWebhookId.clear();
    m_subscriptionsAll = m_provisioned = -1;
    m_messageBar->dismiss();

    ClientConfig config;
    config.baseUrl = profile.baseUrl;
    config.generation = profile.generation;
    config.allowInsecureLoopback = profile.builtInSandbox || profile.allowInsecureLoopback;
    if (m_services.clock)
        config.clock = m_services.clock;
    if (m_services.network && withClient)
        m_client = new ApiClient(m_services.network, config, profile.credentials, m_requestLog, this);
    if (m_client && m_client->configurationError())
        showError(*m_client->configurationError());

    setWindowTitle(tr("%1 — Activity Console").arg(profile.name));
    updateBanner();
    rebuildAccountCombo();
    updateQuota();
    updateActions();
    Q_EMIT profileActivated(profile.id);
    refresh();
}

void MainWindow::reloadStoredProfiles()
{
    if (!m_services.profiles)
        return;
    QList<ConsoleProfile> merged;
    if (m_builtIn)
        merged.append(*m_builtIn);
    for (const Profile &stored : m_services.profiles->profiles()) {
        ConsoleProfile profile;
        // Secrets and accounts already read from the keychain stay in memory.
        for (const ConsoleProfile &known : std::as_const(m_profiles)) {
            if (known.id == stored.id)
                profile = known;
        }
        profile.id = stored.id;
        profile.name = stored.name;
        profile.generation = stored.generation;
        profile.baseUrl = QUrl(stored.baseUrl);
        profile.callbackUrl = stored.callbackUrl;
        profile.credentials.consumerKey = stored.consumerKey.toUtf8();
        profile.builtInSandbox = false;
        profile.allowInsecureLoopback = stored.allowInsecureLoopback || stored.isSandbox;
        merged.append(profile);
    }
    m_profiles = merged;
    rebuildProfileCombo();
    if (m_profileDialog)
        m_profileDialog->setProfiles(storedProfiles());
}

void MainWindow::saveToStore(const ConsoleProfile &profile, bool secretsIncluded,
                             std::function<void(const QString &, const ConsoleProfile &)> done)
{
    if (!m_services.profiles) {
        done(QString(), profile); // a session without a store keeps profiles in memory only
        return;
    }
    Profile stored;
    stored.id = profile.id;
    stored.name = profile.name;
    stored.generation = profile.generation;
    stored.baseUrl = profile.baseUrl.toString();
    stored.consumerKey = QString::fromUtf8(profile.credentials.consumerKey);
    stored.callbackUrl = profile.callbackUrl;
    stored.allowInsecureLoopback = profile.allowInsecureLoopback;
    ConsoleProfile saved = profile;
    saved.id = m_services.profiles->saveProfile(stored);
    if (!secretsIncluded) {
        done(QString(), saved);
        return;
    }
    ProfileSecrets secrets {profile.credentials.consumerSecret, profile.credentials.ownerToken,
                            profile.credentials.ownerTokenSecret, profile.credentials.bearerToken};
    m_services.profiles->saveSecrets(saved.id, secrets, this, [saved, done](const Result<Done> &result) {
        done(result ? QString() : result.error().text(), saved);
    });
}

void MainWindow::removeFromStore(const QString &profileId, std::function<void(const QString &)> done)
{
    if (!m_services.profiles) {
        done(QString());
        return;
    }
    m_services.profiles->removeProfile(profileId, this, [done](const Result<Done> &result) {
        // The profile is gone from the list either way; the store retries keychain removals later.
        done(result ? QString() : result.error().text());
    });
}

void MainWindow::loadSecretsFor(const QString &profileId)
{
    if (!m_services.profiles)
        return;
    if (m_secretsLoaded.contains(profileId)) {
        for (const ConsoleProfile &profile : std::as_const(m_profiles)) {
            if (profile.id == profileId && m_profileDialog)
                m_profileDialog->setSecrets(profileId, profile.credentials);
        }
        return;
    }
    m_services.profiles->loadSecrets(profileId, this,
                                     [this, profileId](const Result<ProfileSecrets> &result) {
                                         if (!result) {
                                             if (m_profileDialog)
                                                 m_profileDialog->setStoreResult(result.error().text());
                                             return;
                                         }
                                         AppCredentials credentials;
                                         for (const ConsoleProfile &profile : std::as_const(m_profiles)) {
                                             if (profile.id == profileId)
                                                 credentials.consumerKey = profile.credentials.consumerKey;
                                         }
                                         credentials.consumerSecret = result.value().consumerSecret;
                                         credentials.ownerToken = result.value().ownerToken;
                                         credentials.ownerTokenSecret = result.value().ownerTokenSecret;
                                         credentials.bearerToken = result.value().bearerToken;
                                         if (m_profileDialog)
                                             m_profileDialog->setSecrets(profileId, credentials);
                                     });
}

void MainWindow::updateBanner()
{
    const ConsoleProfile *profile = currentProfile();
    const auto deprecation = profile ? endpoints::deprecation(profile->generation) : std::nullopt;
    m_deprecationLabel->setVisible(deprecation.has_value());
    if (deprecation) {
        m_deprecationLabel->setText(tr("API %1: deprecated by X since %2 (successor: %3)")
                                        .arg(endpoints::generationName(profile->generation),
                                             deprecation->markedOn.toString(Qt::ISODate),
                                             deprecation->successor));
        m_deprecationLabel->setToolTip(deprecation->text);
    }
    const bool sandbox = profile && profile->builtInSandbox;
    m_banner->setVisible(sandbox);
    if (sandbox) {
        m_banner->setText(tr("<b>Sandbox:</b> this is the built-in emulated X API on %1 (127.0.0.1). "
                             "No real X account is touched; the users, webhooks and events are demo data. "
                             "Add your X app under File ▸ Profiles to work with the real API.")
                              .arg(profile->baseUrl.toString().toHtmlEscaped()));
    }
}

void MainWindow::rebuildAccountCombo()
{
    m_accountCombo->clear();
    if (const ConsoleProfile *profile = currentProfile()) {
        for (const UserCredentials &account : profile->accounts)
            m_accountCombo->addItem(accountLabel(account), account.userId);
    }
    updateActions();
}

// --- loading ------------------------------------------------------------------------------------

void MainWindow::refresh()
{
    refreshWebhooks();
    refreshSubscriptionCount();
}

void MainWindow::refreshWebhooks()
{
    if (!m_client)
        return;
    callStarted();
    m_client->listWebhooks(this, [this](const Result<QList<Webhook>> &result) {
        callEnded();
        if (!result) {
            showError(result.error());
            return;
        }
        showPartialErrors(result.partialErrors());
        const QString previous = selectedWebhookId();
        m_webhooks->setWebhooks(result.value());
        QString wanted = !m_pendingWebhookSelection.isEmpty() ? m_pendingWebhookSelection : previous;
        m_pendingWebhookSelection.clear();
        if (wanted.isEmpty() || m_webhooks->rowOf(wanted) < 0) {
            // Nothing remembered: the first valid webhook, else the first one.
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
            selectWebhook(wanted); // loads its subscriptions
        else if (!wanted.isEmpty())
            loadSubscriptions(wanted); // refresh of the same webhook
        else
            onWebhookSelectionChanged();
        updateActions();
        Q_EMIT webhooksRefreshed();
    });
}

void MainWindow::refreshSubscriptionCount()
{
    if (!m_client)
        return;
    callStarted();
    m_client->subscriptionCount(this, [this](const Result<SubscriptionCount> &result) {
        callEnded();
        if (!result) {
            // The quota is extra information: not worth a message of its own when lists work.
            m_quotaBar->hide();
            m_statusLabel->setText(tr("Quota unavailable: %1").arg(result.error().cause));
            return;
        }
        m_subscriptionsAll = result.value().subscriptionsAll;
        m_provisioned = result.value().provisioned;
        updateQuota();
        Q_EMIT subscriptionCountChanged();
    });
}

void MainWindow::updateQuota()
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

QString MainWindow::selectedWebhookId() const
{
    const auto rows = m_webhookView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    return rows.first().data(WebhookTableModel::WebhookIdRole).toString();
}

bool MainWindow::selectWebhook(const QString &webhookId)
{
    const int row = m_webhooks->rowOf(webhookId);
    if (row < 0)
        return false;
    const QModelIndex proxyIndex = m_webhookProxy->mapFromSource(m_webhooks->index(row, 0));
    if (!proxyIndex.isValid())
        return false;
    m_webhookView->selectionModel()->select(proxyIndex,
                                            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_webhookView->selectionModel()->setCurrentIndex(proxyIndex, QItemSelectionModel::NoUpdate);
    m_webhookView->scrollTo(proxyIndex);
    return true;
}

void MainWindow::onWebhookSelectionChanged()
{
    const QString id = selectedWebhookId();
    if (!id.isEmpty() && !m_currentProfileId.isEmpty())
        settings()->setValue(settingsKeyForWebhook(m_currentProfileId), id);
    if (id != m_loadedWebhookId)
        loadSubscriptions(id);
    updateActions();
}

QString MainWindow::webhookLabel(const QString &webhookId) const
{
    const int row = m_webhooks->rowOf(webhookId);
    return row < 0 ? webhookId : m_webhooks->webhooks().at(row).url;
}

void MainWindow::loadSubscriptions(const QString &webhookId)
{
    const quint64 generation = ++m_subscriptionsGeneration;
    m_lookupRunning = false;
    if (webhookId != m_loadedWebhookId)
        m_subscriptions->clear();
    m_loadedWebhookId = webhookId;
    if (webhookId.isEmpty() || !m_client) {
        m_subscriptionTitle->setText(tr("Select a webhook to see its subscriptions."));
        updateActions();
        return;
    }
    m_subscriptionTitle->setText(tr("Loading subscriptions of %1…").arg(webhookLabel(webhookId)));
    callStarted();
    m_client->listSubscriptions(
        webhookId, this, [this, generation, webhookId](const Result<SubscriptionList> &result) {
            callEnded();
            if (generation != m_subscriptionsGeneration)
                return; // another webhook was selected meanwhile
            if (!result) {
                m_subscriptionTitle->setText(
                    tr("Subscriptions of %1 could not be loaded.").arg(webhookLabel(webhookId)));
                showError(result.error());
                return;
            }
            m_subscriptions->setUserIds(result.value().userIds, m_userCache.get());
            m_subscriptionTitle->setText(tr("%n subscription(s) on %1", nullptr, m_subscriptions->rowCount())
                                             .arg(webhookLabel(webhookId)));
            updateActions();
            Q_EMIT subscriptionsLoaded(webhookId);
            resolveNames();
        });
}

void MainWindow::resolveNames()
{
    if (!m_client || m_lookupRunning)
        return;
    const QStringList ids = m_subscriptions->userIdsWithoutNames(endpoints::maxUsersPerLookup);
    if (ids.isEmpty()) {
        m_statusLabel->clear();
        Q_EMIT namesResolved(m_loadedWebhookId);
        return;
    }
    const quint64 generation = m_subscriptionsGeneration;
    // Pace by the lookup window: wait for the reset instead of running into 429s.
    const RateLimitState window = m_client->rateLimit(Operation::UsersLookup);
    if (window.exhausted(now())) {
        const qint64 wait = qMax<qint64>(1000, now().msecsTo(window.resetUtc));
        m_statusLabel->setText(tr("Names: waiting for the user-lookup rate limit until %1.")
                                   .arg(window.resetUtc.toLocalTime().toString(QStringLiteral("HH:mm:ss"))));
        QTimer::singleShot(wait, this, [this, generation] {
            if (generation == m_subscriptionsGeneration)
                resolveNames();
        });
        return;
    }
    m_lookupRunning = true;
    m_statusLabel->setText(tr("Looking up names of %n subscriber(s)…", nullptr, int(ids.size())));
    callStarted();
    m_client->lookupUsers(ids, this, [this, ids, generation](const Result<QList<UserInfo>> &result) {
        callEnded();
        if (generation != m_subscriptionsGeneration)
            return;
        m_lookupRunning = false;
        if (!result) {
            if (result.error().kind == ApiError::Kind::RateLimited && result.error().retryAt.isValid()) {
                QTimer::singleShot(qMax<qint64>(1000, now().msecsTo(result.error().retryAt)), this,
                                   [this, generation] {
                                       if (generation == m_subscriptionsGeneration)
                                           resolveNames();
                                   });
                return;
            }
            m_statusLabel->clear();
            showError(result.error());
            return;
        }
        m_userCache->insert(result.value());
        m_subscriptions->applyUsers(result.value());
        QSet<QString> found;
        for (const UserInfo &user : result.value())
            found.insert(user.id);
        QStringList missing;
        for (const QString &id : ids) {
            if (!found.contains(id))
                missing.append(id);
        }
        if (!missing.isEmpty()) {
            m_userCache->markNotFound(missing);
            m_subscriptions->markNotFound(missing);
        }
        resolveNames();
    });
}

// --- webhook actions ----------------------------------------------------------------------------

RegisterWebhookDialog *MainWindow::openRegisterDialog()
{
    const ConsoleProfile *profile = currentProfile();
    if (!profile || !m_client)
        return nullptr;
    if (m_registerDialog) {
        m_registerDialog->raise();
        m_registerDialog->activateWindow();
        return m_registerDialog;
    }
    const bool loopback = profile->builtInSandbox || validate::isLoopbackAddress(profile->baseUrl.host());
    QString prefill;
    if (profile->builtInSandbox && !profile->demoReceiverUrl.isEmpty()) {
        // A receiver the sandbox itself serves, under a fresh name so it is not a duplicate URL.
        QString base = profile->demoReceiverUrl;
        const int slash = base.lastIndexOf(QLatin1Char('/'));
        if (slash > 0)
            base = base.left(slash + 1);
        prefill = base + QStringLiteral("console-%1").arg(m_webhooks->rowCount() + 1);
    }
    auto *dialog = new RegisterWebhookDialog(loopback ? validate::UrlPolicy::AllowLoopbackHttp
                                                      : validate::UrlPolicy::XRules,
                                             profile->generation, prefill, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setCrcSelfTest(m_services.network, profile->credentials.consumerSecret);
    connect(dialog, &RegisterWebhookDialog::registerRequested, this,
            [this, dialog](const QString &url) { registerWebhook(dialog, url); });
    m_registerDialog = dialog;
    dialog->open();
    return dialog;
}

void MainWindow::registerWebhook(RegisterWebhookDialog *dialog, const QString &url)
{
    if (!m_client)
        return;
    QPointer<RegisterWebhookDialog> guard(dialog);
    m_webhookOperationRunning = true;
    updateActions();
    callStarted();
    const qint64 entry = recordBegin(Operation::RegisterWebhook, {{QStringLiteral("url"), url}});
    m_client->registerWebhook(url, this, [this, guard, entry](const Result<Webhook> &result) {
        callEnded();
        recordResult(entry, result,
                     result.ok() ? QStringLiteral("webhook %1").arg(result.value().id) : QString());
        m_webhookOperationRunning = false;
        updateActions();
        if (!result) {
            if (guard)
                guard->showServerProblem(result.error());
            else
                showError(result.error());
            return;
        }
        m_pendingWebhookSelection = result.value().id;
        if (guard)
            guard->accept();
        m_statusLabel->setText(tr("Registered %1.").arg(result.value().url));
        refresh();
    });
}

void MainWindow::validateSelectedWebhook()
{
    const QString id = selectedWebhookId();
    if (id.isEmpty() || !m_client || m_webhookOperationRunning)
        return;
    m_webhookOperationRunning = true;
    updateActions();
    m_statusLabel->setText(tr("X is running a CRC check against %1…").arg(webhookLabel(id)));
    callStarted();
    const qint64 entry = recordBegin(Operation::ValidateWebhook, {{QStringLiteral("webhook_id"), id}});
    m_client->validateWebhook(id, this, [this, id, entry](const Result<bool> &result) {
        callEnded();
        recordResult(entry, result,
                     result.ok() && result.value() ? QStringLiteral("valid") : QStringLiteral("not valid"));
        m_webhookOperationRunning = false;
        updateActions();
        if (!result) {
            showError(result.error());
        } else {
            m_statusLabel->setText(result.value()
                                       ? tr("CRC check passed: %1 is valid.").arg(webhookLabel(id))
                                       : tr("CRC check failed: %1 stays invalid.").arg(webhookLabel(id)));
        }
        // Re-list either way: the server's view of "valid" is what counts.
        refreshWebhooks();
    });
}

void MainWindow::deleteSelectedWebhook()
{
    const QString id = selectedWebhookId();
    if (id.isEmpty() || !m_client || m_webhookOperationRunning)
        return;
    const QString url = webhookLabel(id);
    Confirmation confirmation;
    confirmation.title = tr("Delete webhook");
    confirmation.question = tr("Delete the webhook %1 (id %2)?").arg(url, id);
    const int known = id == m_loadedWebhookId ? m_subscriptions->rowCount() : -1;
    confirmation.details = known >= 0
        ? tr("Its %n subscription(s) are removed with it, and X stops sending events to this URL. "
             "Registering the URL again does not bring the subscriptions back.",
             nullptr, known)
        : tr("All of its subscriptions are removed with it, and X stops sending events to this URL. "
             "Registering the URL again does not bring the subscriptions back.");
    confirmation.acceptLabel = tr("Delete webhook");
    QPointer<MainWindow> self(this);
    prompter()->ask(this, confirmation, [self, id](bool accepted) {
        if (!self || !accepted || !self->m_client)
            return;
        self->m_webhookOperationRunning = true;
        self->updateActions();
        self->callStarted();
        const qint64 entry =
            self->recordBegin(Operation::DeleteWebhook, {{QStringLiteral("webhook_id"), id}});
        self->m_client->deleteWebhook(id, self, [self, id, entry](const Result<Done> &result) {
            self->callEnded();
            self->recordResult(entry, result, QStringLiteral("deleted"));
            self->m_webhookOperationRunning = false;
            if (!result) {
                self->showError(result.error());
                self->updateActions();
                return;
            }
            self->m_webhooks->removeWebhook(id);
            self->m_statusLabel->setText(tr("Webhook %1 deleted.").arg(id));
            self->onWebhookSelectionChanged();
            self->refreshSubscriptionCount();
        });
    });
}

void MainWindow::copySelectedWebhookField(int column)
{
    const auto rows = m_webhookView->selectionModel()->selectedRows(column);
    if (!rows.isEmpty())
        QApplication::clipboard()->setText(rows.first().data(Qt::DisplayRole).toString());
}

ReplayDialog *MainWindow::openReplayDialog()
{
    const QString id = selectedWebhookId();
    const ConsoleProfile *profile = currentProfile();
    if (id.isEmpty() || !profile || !m_client)
        return nullptr;
    if (m_replayDialog)
        m_replayDialog->close();
    auto *dialog = new ReplayDialog(profile->generation, webhookLabel(id), m_services.clock, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ReplayDialog::replayRequested, this,
            [this, dialog, id](const QDateTime &from, const QDateTime &to) {
                submitReplay(dialog, id, from, to);
            });
    m_replayDialog = dialog;
    dialog->open();
    return dialog;
}

void MainWindow::submitReplay(ReplayDialog *dialog, const QString &webhookId, const QDateTime &from,
                              const QDateTime &to)
{
    QPointer<ReplayDialog> guard(dialog);
    callStarted();
    const qint64 entry = recordBegin(endpoints::replayOperation(m_client->generation()),
                                     {{QStringLiteral("webhook_id"), webhookId},
                                      {QStringLiteral("from"), from.toUTC().toString(Qt::ISODate)},
                                      {QStringLiteral("to"), to.toUTC().toString(Qt::ISODate)}});
    m_client->replay(webhookId, from, to, this,
                     [this, guard, webhookId, from, to, entry](const Result<ReplayJob> &result) {
                         callEnded();
                         recordResult(entry, result,
                                      result.ok() ? QStringLiteral("job %1").arg(result.value().jobId)
                                                  : QString());
                         if (!result) {
                             if (guard)
                                 guard->showServerProblem(result.error());
                             else
                                 showError(result.error());
                             return;
                         }
                         ReplayJobRow row;
                         row.webhookId = webhookId;
                         row.webhookUrl = webhookLabel(webhookId);
                         row.from = from;
                         row.to = to;
                         row.jobId = result.value().jobId;
                         row.createdAt = result.value().createdAt;
                         m_replayJobs->addJob(row);
                         m_lowerTabs->setCurrentIndex(1);
                         m_statusLabel->setText(tr("Replay job %1 submitted.").arg(result.value().jobId));
                         if (guard)
                             guard->accept();
                     });
}

// --- subscription actions -----------------------------------------------------------------------

void MainWindow::subscribeSelectedAccount()
{
    const ConsoleProfile *profile = currentProfile();
    const QString webhookId = selectedWebhookId();
    const int index = m_accountCombo->currentIndex();
    if (!profile || webhookId.isEmpty() || index < 0 || index >= profile->accounts.size() || !m_client)
        return;
    const UserCredentials account = profile->accounts.at(index);
    m_subscriptionOperationRunning = true;
    updateActions();
    callStarted();
    const qint64 entry =
        recordBegin(Operation::Subscribe, {{QStringLiteral("webhook_id"), webhookId}}, &account);
    m_client->subscribe(
        webhookId, account, this, [this, account, webhookId, entry](const Result<Done> &result) {
            callEnded();
            recordResult(entry, result, QStringLiteral("subscribed"));
            m_subscriptionOperationRunning = false;
            updateActions();
            if (!result) {
                showError(result.error());
                return;
            }
            m_statusLabel->setText(
                tr("%1 is subscribed to %2.").arg(accountLabel(account), webhookLabel(webhookId)));
            if (webhookId == m_loadedWebhookId) {
                m_userCache->insert(UserInfo {account.userId, account.username, QString()});
                m_subscriptions->addUserIds({account.userId}, m_userCache.get());
                resolveNames();
            }
            refreshSubscriptionCount();
        });
}

void MainWindow::checkSelectedAccount()
{
    const ConsoleProfile *profile = currentProfile();
    const QString webhookId = selectedWebhookId();
    const int index = m_accountCombo->currentIndex();
    if (!profile || webhookId.isEmpty() || index < 0 || index >= profile->accounts.size() || !m_client)
        return;
    const UserCredentials account = profile->accounts.at(index);
    callStarted();
    m_client->checkSubscription(
        webhookId, account, this, [this, account, webhookId](const Result<bool> &result) {
            callEnded();
            if (!result) {
                showError(result.error());
                return;
            }
            const QString text = result.value()
                ? tr("%1 is subscribed to %2.").arg(accountLabel(account), webhookLabel(webhookId))
                : tr("%1 is not subscribed to %2.").arg(accountLabel(account), webhookLabel(webhookId));
            m_messageBar->showMessage(MessageBar::Level::Information, text);
            m_statusLabel->setText(text);
            Q_EMIT subscriptionChecked(account.userId, result.value());
        });
}

void MainWindow::unsubscribeSelected()
{
    if (m_subscriptionOperationRunning || !m_client || m_loadedWebhookId.isEmpty())
        return;
    QStringList ids;
    QStringList names;
    for (const int proxyRow : m_subscriptionView->selectedRows()) {
        const int row = m_subscriptionProxy->sourceRow(proxyRow);
        if (row < 0)
            continue;
        const SubscriptionRow &sub = m_subscriptions->row(row);
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
        tr("Unsubscribe %n user(s) from %1?", nullptr, int(ids.size())).arg(webhookLabel(m_loadedWebhookId));
    confirmation.details =
        tr("%1\n\nX stops sending their account activity to this webhook. They can only be "
           "subscribed again with their own sign-in.")
            .arg(nameList);
    confirmation.acceptLabel = tr("Unsubscribe %n user(s)", nullptr, int(ids.size()));
    QPointer<MainWindow> self(this);
    prompter()->ask(this, confirmation, [self, ids](bool accepted) {
        if (self && accepted)
            self->startBulkUnsubscribe(ids);
    });
}

void MainWindow::startBulkUnsubscribe(const QStringList &userIds)
{
    if (!m_client)
        return;
    QList<BulkUnsubscribeDialog::Target> targets;
    for (const QString &id : userIds) {
        const int row = m_subscriptions->rowOf(id);
        QString label = id;
        if (row >= 0 && !m_subscriptions->row(row).username.isEmpty())
            label = QStringLiteral("@") + m_subscriptions->row(row).username;
        targets.append({id, label});
    }
    const QString webhookId = m_loadedWebhookId;
    QPointer<ApiClient> client = m_client;
    QPointer<MainWindow> self(this);
    auto step = [self, client, webhookId](const QString &userId,
                                          std::function<void(const BulkUnsubscribeDialog::Outcome &)> done) {
        if (!self || !client) {
            done({ApiError::make(ApiError::Kind::Cancelled, tr("The profile was closed.")), -1, {}});
            return;
        }
        self->callStarted();
        const qint64 entry = self->recordBegin(
            Operation::UnsubscribeUser,
            {{QStringLiteral("webhook_id"), webhookId}, {QStringLiteral("user_id"), userId}});
        client->unsubscribe(webhookId, userId, self, [self, client, done, entry](const Result<Done> &result) {
            self->callEnded();
            self->recordResult(entry, result, QStringLiteral("unsubscribed"));
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
    auto *dialog = new BulkUnsubscribeDialog(targets, step, m_services.clock, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &BulkUnsubscribeDialog::userUnsubscribed, this, [this, webhookId](const QString &userId) {
        if (webhookId == m_loadedWebhookId)
            m_subscriptions->removeUserIds({userId});
    });
    connect(dialog, &BulkUnsubscribeDialog::finishedAll, this, [this](const QStringList &, int, bool) {
        m_subscriptionOperationRunning = false;
        m_subscriptionTitle->setText(tr("%n subscription(s) on %1", nullptr, m_subscriptions->rowCount())
                                         .arg(webhookLabel(m_loadedWebhookId)));
        updateActions();
        refreshSubscriptionCount();
    });
    m_bulkDialog = dialog;
    m_subscriptionOperationRunning = true;
    updateActions();
    dialog->open();
    dialog->start();
}

BulkUnsubscribeDialog *MainWindow::bulkUnsubscribeDialog() const
{
    return m_bulkDialog;
}

bool MainWindow::exportSubscriptionsCsv(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    if (!m_subscriptions->exportCsv(&file) || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void MainWindow::exportCsvInteractively()
{
    if (m_subscriptions->rowCount() == 0)
        return;
    auto *dialog = new QFileDialog(this, tr("Export subscriptions"));
    dialog->setObjectName(QStringLiteral("exportCsvDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilter(tr("CSV files (*.csv)"));
    dialog->setDefaultSuffix(QStringLiteral("csv"));
    dialog->selectFile(QStringLiteral("subscriptions-%1.csv").arg(m_loadedWebhookId));
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        QString error;
        if (exportSubscriptionsCsv(path, &error)) {
            m_statusLabel->setText(
                tr("Exported %n subscription(s) to %1.", nullptr, m_subscriptions->rowCount()).arg(path));
        } else {
            m_messageBar->showMessage(MessageBar::Level::Error, tr("The CSV file could not be written."),
                                      tr("%1 Choose another folder.").arg(error));
        }
    });
    dialog->open();
}

void MainWindow::requestSignIn()
{
    if (m_currentProfileId.isEmpty())
        return;
    Q_EMIT signInRequested(m_currentProfileId);
    if (m_signInHandler)
        m_signInHandler(m_currentProfileId);
    else
        signInWithBrowser(m_currentProfileId);
}

void MainWindow::signInWithBrowser(const QString &profileId)
{
    const ConsoleProfile *profile = currentProfile();
    if (!profile || profile->id != profileId || !m_client)
        return;
    // The built-in sandbox keeps its accounts in memory: its demo tokens open nothing real.
    ProfileStore *store = profile->builtInSandbox ? nullptr : m_services.profiles;
    auto *controller = new SignInController(m_client, store, profileId, profile->callbackUrl, this, this);
    connect(controller, &SignInController::succeeded, this,
            [this, controller, profileId](const Account &account, const UserCredentials &credentials) {
                controller->deleteLater();
                addAccount(profileId, credentials);
                const int index = m_accountCombo->findData(account.userId);
                if (index >= 0)
                    m_accountCombo->setCurrentIndex(index);
                m_messageBar->showMessage(
                    MessageBar::Level::Information, tr("@%1 is signed in.").arg(account.username),
                    tr("Choose Subscribe to subscribe the account to the selected webhook."));
            });
    connect(controller, &SignInController::failed, this, [this, controller](const ApiError &error) {
        controller->deleteLater();
        if (error.kind == ApiError::Kind::Cancelled)
            m_messageBar->showMessage(MessageBar::Level::Information, error.cause, error.remedy);
        else
            m_messageBar->showError(error);
    });
    controller->start();
}

void MainWindow::removeSelectedAccount()
{
    const ConsoleProfile *profile = currentProfile();
    const int index = m_accountCombo->currentIndex();
    if (!profile || index < 0)
        return;
    const QString profileId = profile->id;
    const QString userId = m_accountCombo->itemData(index).toString();
    const bool stored = !profile->builtInSandbox && m_services.profiles;
    Confirmation confirmation;
    confirmation.title = tr("Remove account");
    confirmation.question = tr("Remove %1 from this profile?").arg(m_accountCombo->itemText(index));
    confirmation.details = stored
        ? tr("Its tokens are deleted from the keychain. The account stays subscribed "
             "on X until you unsubscribe it.")
        : tr("The account stays subscribed until you unsubscribe it.");
    confirmation.acceptLabel = tr("Remove");
    QPointer<MainWindow> self(this);
    prompter()->ask(this, confirmation, [self, profileId, userId, stored](bool accepted) {
        if (!self || !accepted)
            return;
        auto forget = [self, profileId, userId] {
            for (ConsoleProfile &p : self->m_profiles) {
                if (p.id == profileId)
                    p.accounts.removeIf([&](const UserCredentials &a) { return a.userId == userId; });
            }
            if (profileId == self->m_currentProfileId)
                self->rebuildAccountCombo();
        };
        if (!stored) {
            forget();
            return;
        }
        self->m_services.profiles->removeAccount(profileId, userId, self,
                                                 [self, forget](const Result<Done> &removed) {
                                                     forget();
                                                     if (!removed)
                                                         self->m_messageBar->showError(removed.error());
                                                 });
    });
}

ProfileDialog *MainWindow::openProfileDialog()
{
    if (m_profileDialog) {
        m_profileDialog->raise();
        m_profileDialog->activateWindow();
        return m_profileDialog;
    }
    auto *dialog = new ProfileDialog(m_services.network, prompter(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setProfiles(storedProfiles());
    if (!m_currentProfileId.isEmpty())
        dialog->selectProfile(m_currentProfileId);
    connect(dialog, &ProfileDialog::saveRequested, this, &MainWindow::storeProfile);
    connect(dialog, &ProfileDialog::secretsNeeded, this, &MainWindow::loadSecretsFor);
    connect(dialog, &ProfileDialog::removeRequested, this, &MainWindow::forgetProfile);
    m_profileDialog = dialog;
    dialog->open();
    return dialog;
}

QList<ConsoleProfile> MainWindow::storedProfiles() const
{
    QList<ConsoleProfile> result;
    for (const ConsoleProfile &profile : m_profiles) {
        if (!profile.builtInSandbox)
            result.append(profile);
    }
    return result;
}

void MainWindow::storeProfile(const ConsoleProfile &edited, bool secretsIncluded)
{
    ConsoleProfile profile = edited;
    if (!secretsIncluded) {
        // Keep what is in memory (if this profile is loaded); the keychain keeps its values.
        for (const ConsoleProfile &existing : std::as_const(m_profiles)) {
            if (existing.id == profile.id)
                profile.credentials = existing.credentials;
        }
    }
    auto finish = [this, secretsIncluded](const QString &problem, const ConsoleProfile &saved) {
        if (m_profileDialog)
            m_profileDialog->setStoreResult(problem.isEmpty() ? tr("Saved.") : problem);
        if (!problem.isEmpty()) {
            m_messageBar->showMessage(MessageBar::Level::Error, tr("The profile could not be saved."),
                                      problem);
            return;
        }
        bool replaced = false;
        for (ConsoleProfile &existing : m_profiles) {
            if (existing.id == saved.id) {
                existing = saved;
                replaced = true;
            }
        }
        if (!replaced)
            m_profiles.append(saved);
        if (secretsIncluded)
            m_secretsLoaded.insert(saved.id);
        rebuildProfileCombo();
        if (saved.id == m_currentProfileId)
            useProfile(saved); // new values take effect at once
    };
    saveToStore(profile, secretsIncluded, finish);
}

void MainWindow::forgetProfile(const QString &profileId)
{
    auto finish = [this, profileId](const QString &problem) {
        if (!problem.isEmpty()) {
            if (m_profileDialog)
                m_profileDialog->setStoreResult(problem);
            m_messageBar->showMessage(MessageBar::Level::Error, tr("The profile could not be removed."),
                                      problem);
            return;
        }
        m_profiles.removeIf([&](const ConsoleProfile &p) { return p.id == profileId && !p.builtInSandbox; });
        m_secretsLoaded.remove(profileId);
        rebuildProfileCombo();
        if (m_profileDialog)
            m_profileDialog->setProfiles(storedProfiles());
        if (profileId == m_currentProfileId && !m_profiles.isEmpty())
            useProfile(m_profiles.first());
    };
    removeFromStore(profileId, finish);
}

// --- state --------------------------------------------------------------------------------------

void MainWindow::updateActions()
{
    const bool haveClient = m_client != nullptr;
    const bool haveWebhook = !selectedWebhookId().isEmpty();
    const bool haveAccount = m_accountCombo->currentIndex() >= 0;
    const bool haveSelection = !m_subscriptionView->selectedRows().isEmpty();
    m_refreshAction->setEnabled(haveClient);
    m_registerAction->setEnabled(haveClient && !m_webhookOperationRunning);
    m_validateAction->setEnabled(haveClient && haveWebhook && !m_webhookOperationRunning);
    m_deleteAction->setEnabled(haveClient && haveWebhook && !m_webhookOperationRunning);
    m_copyIdAction->setEnabled(haveWebhook);
    m_copyUrlAction->setEnabled(haveWebhook);
    m_replayAction->setEnabled(haveClient && haveWebhook);
    m_subscribeAction->setEnabled(haveClient && haveWebhook && haveAccount &&
                                  !m_subscriptionOperationRunning);
    m_checkAction->setEnabled(haveClient && haveWebhook && haveAccount);
    m_unsubscribeAction->setEnabled(haveClient && haveSelection && !m_subscriptionOperationRunning);
    m_exportAction->setEnabled(m_subscriptions->rowCount() > 0);
    m_signInAction->setEnabled(haveClient && !m_currentProfileId.isEmpty());
    m_removeAccountAction->setEnabled(haveAccount);
}

void MainWindow::updateEmptyState()
{
    m_webhookStack->setCurrentWidget(m_webhooks->rowCount() == 0 ? static_cast<QWidget *>(m_emptyState)
                                                                 : m_webhookView);
}

void MainWindow::focusCurrentFilter()
{
    // The filter of the table the person is working in: the webhooks when they have focus (or
    // the replay tab is up), otherwise the subscriptions.
    const bool inWebhooks = m_webhookView->hasFocus() || m_webhookFilter->hasFocus();
    QLineEdit *filter =
        inWebhooks || m_lowerTabs->currentIndex() != 0 ? m_webhookFilter : m_subscriptionFilter;
    filter->setFocus(Qt::ShortcutFocusReason);
    filter->selectAll();
}

void MainWindow::callStarted()
{
    if (m_runningCalls++ == 0) {
        m_busyIndicator->show();
        Q_EMIT busyChanged(true);
    }
}

void MainWindow::callEnded()
{
    if (m_runningCalls > 0 && --m_runningCalls == 0) {
        m_busyIndicator->hide();
        Q_EMIT busyChanged(false);
    }
}

void MainWindow::showError(const ApiError &error)
{
    m_messageBar->showError(error);
    Q_EMIT callFailed(error);
}

QDateTime MainWindow::now() const
{
    return m_services.clock ? m_services.clock() : QDateTime::currentDateTimeUtc();
}

ConfirmationPrompter *MainWindow::prompter() const
{
    if (m_services.prompter)
        return m_services.prompter;
    if (!m_ownPrompter)
        const_cast<MainWindow *>(this)->m_ownPrompter = std::make_unique<MessageBoxPrompter>();
    return m_ownPrompter.get();
}

QSettings *MainWindow::settings() const
{
    if (m_services.settings)
        return m_services.settings;
    if (!m_ownSettings)
        const_cast<MainWindow *>(this)->m_ownSettings = std::make_unique<QSettings>();
    return m_ownSettings.get();
}

} // namespace activity
