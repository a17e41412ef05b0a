#include "MainWindow.h"

#include "BulkUnsubscribeDialog.h"
#include "RegisterWebhookDialog.h"
#include "ReplayDialog.h"

#include "ActionFactory.h"
#include "ApiClient.h"
#include "ConfirmationPrompter.h"
#include "ConsoleProfiles.h"
#include "ConsoleTableView.h"
#include "EventStore.h"
#include "EventsPane.h"
#include "HistoryDock.h"
#include "HistoryStore.h"
#include "HistoryWriter.h"
#include "LiveEvents.h"
#include "LiveEventsBar.h"
#include "MessageBar.h"
#include "PaneContext.h"
#include "ProfileActions.h"
#include "ProfileDialog.h"
#include "ProfileListModel.h"
#include "ProfileNotices.h"
#include "ProfileResolver.h"
#include "RecordedWrite.h"
#include "ReplayJobsPane.h"
#include "RequestLog.h"
#include "RequestLogDock.h"
#include "SubscriberDirectory.h" // the member the destructor frees
#include "SubscriptionsPane.h"
#include "WebhookHealthMonitor.h"
#include "WebhookTableModel.h"
#include "WebhooksPane.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace activity {

namespace {

QString settingsKeyForWebhook(const QString &profileId)
{
    return QStringLiteral("selection/webhook/") + profileId;
}

} // namespace

MainWindow::MainWindow(ConsoleServices services, QWidget *parent)
    : QMainWindow(parent)
    , m_services(std::move(services))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Activity Console"));
    resize(1280, 880);

    // Without injected ones: message boxes and the application's settings.
    if (!m_services.prompter) {
        m_ownPrompter = std::make_unique<MessageBoxPrompter>();
        m_services.prompter = m_ownPrompter.get();
    }
    if (!m_services.settings) {
        m_ownSettings = std::make_unique<QSettings>();
        m_services.settings = m_ownSettings.get();
    }
    m_requestLog = new RequestLog(this);
    m_recorder = new WriteRecorder(nullptr, QStringLiteral("console"), this);
    m_profiles = new ConsoleProfiles(m_services.profiles, this);

    buildFrame();
    buildMenus();
    buildDocks();
    connectPanes();
    if (HistoryStore *history = std::exchange(m_services.history, nullptr))
        attachHistory(history);
    if (EventStore *events = std::exchange(m_services.events, nullptr))
        attachEvents(events);
    if (WebhookTimeline *timeline = std::exchange(m_services.timeline, nullptr))
        attachHealth(timeline);
    restoreWindowState();
    m_notices->show(currentProfile());
}

MainWindow::~MainWindow()
{
    // Calls still running end silently with their client; nothing may call back into a half-gone window.
    delete m_client;
}

void MainWindow::buildFrame()
{
    auto *central = new QWidget(this);
    central->setObjectName(QStringLiteral("centralArea"));
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 6);

    m_notices = new ProfileNotices(central, this);
    layout->addWidget(m_notices->banner());
    m_messageBar = new MessageBar(central);
    layout->addWidget(m_messageBar);

    m_context = new PaneContext(m_services.network, prompter(), m_messageBar, m_recorder, m_profiles,
                                m_services.clock, this);
    m_profileActions = new ProfileActions(m_profiles, m_services.network, prompter(), m_messageBar, this);
    m_splitter = new QSplitter(Qt::Vertical, central);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_webhooksPane = new WebhooksPane(m_context, m_splitter);
    m_splitter->addWidget(m_webhooksPane);
    m_lowerTabs = new QTabWidget(m_splitter);
    m_lowerTabs->setObjectName(QStringLiteral("lowerTabs"));
    m_subscriptionsPane = new SubscriptionsPane(m_context, m_lowerTabs);
    m_replayPane = new ReplayJobsPane(m_context, m_lowerTabs);
    m_activityPane = new ActivitySubscriptionsPane(m_context, m_lowerTabs);
    m_eventsPane = new EventsPane(m_context, m_lowerTabs);
    m_lowerTabs->addTab(m_subscriptionsPane, tr("S&ubscriptions"));
    m_lowerTabs->addTab(m_replayPane, tr("Replay &jobs"));
    m_lowerTabs->addTab(m_activityPane, tr("X Acti&vity subscriptions"));
    // Alt+N: V, E, S, W, A and F are taken by the X Activity tab and the menus.
    m_lowerTabs->addTab(m_eventsPane, tr("Eve&nts"));
    m_splitter->addWidget(m_lowerTabs);
    // Keep the webhook pane first among the splitter's children (QSplitter reorders them), so that
    // lookups by type find the webhook stack before the tab widget's own stack.
    m_webhooksPane->lower();
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

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
    statusBar()->addPermanentWidget(m_notices->deprecationLabel());
    statusBar()->addPermanentWidget(m_busyIndicator);
}

void MainWindow::buildMenus()
{
    m_refreshAction =
        makeAction(this, QStringLiteral("refreshAction"), tr("&Refresh"), QStyle::SP_BrowserReload);
    m_refreshAction->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R)});
    m_refreshAction->setToolTip(tr("Reload webhooks, subscriptions and the quota (F5, Ctrl+R)"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refresh);
    m_profilesAction = makeAction(this, QStringLiteral("profilesAction"), tr("&Profiles…"),
                                  QStyle::SP_FileDialogDetailedView);
    connect(m_profilesAction, &QAction::triggered, this, [this] { openProfileDialog(); });
    auto *findAction = makeAction(this, QStringLiteral("findAction"), tr("&Find"));
    findAction->setShortcut(QKeySequence::Find);
    connect(findAction, &QAction::triggered, this, &MainWindow::focusCurrentFilter);
    auto *quitAction = makeAction(this, QStringLiteral("quitAction"), tr("&Quit"));
    quitAction->setShortcut(QKeySequence::Quit);
    connect(quitAction, &QAction::triggered, this, &QWidget::close);
    m_copyRowsAction = makeAction(this, QStringLiteral("copyRowsAction"), tr("&Copy rows"));
    m_copyRowsAction->setShortcut(QKeySequence::Copy);
    m_copyRowsAction->setShortcutContext(
        Qt::WidgetShortcut); // per table: Ctrl+C in a line edit stays text copy
    connect(m_copyRowsAction, &QAction::triggered, this, [] {
        if (auto *view = qobject_cast<ConsoleTableView *>(QApplication::focusWidget()))
            view->copySelection();
    });

    const QList<QAction *> webhook =
        m_webhooksPane->actions(); // register, validate, delete, copy id, copy URL
    const QList<QAction *> subscription = m_subscriptionsPane->actions(); // subscribe, check, unsubscribe,
                                                                          // export, sign in, remove account
    QAction *replay = m_replayPane->replayAction();
    m_webhooksPane->view()->addActions({replay, m_copyRowsAction});
    m_subscriptionsPane->view()->addAction(m_copyRowsAction);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addActions({m_profilesAction, subscription[4], subscription[6]});
    file->addSeparator();
    file->addAction(subscription[3]);
    file->addSeparator();
    file->addAction(quitAction);
    QMenu *webhooks = menuBar()->addMenu(tr("&Webhooks"));
    webhooks->addActions({m_refreshAction, webhook[0], webhook[1], webhook[5], webhook[2]});
    webhooks->addSeparator();
    webhooks->addActions({webhook[3], webhook[4]});
    webhooks->addSeparator();
    webhooks->addAction(replay);
    m_planReplaysAction = webhooks->addAction(tr("&Plan Replays…"), this, [this] { planReplays(); });
    m_planReplaysAction->setObjectName(QStringLiteral("planReplaysAction"));
    m_planReplaysAction->setToolTip(
        tr("Replay what the selected webhook missed while it was invalid (and, on "
           "request, during gaps in the events received here), within X's rules."));
    QMenu *subscriptions = menuBar()->addMenu(tr("&Subscriptions"));
    subscriptions->addActions({subscription[0], subscription[1], subscription[2]});
    subscriptions->addSeparator();
    m_findSubscriberAction =
        subscriptions->addAction(tr("&Find Subscriber…"), this, [this] { findSubscriber(); });
    m_findSubscriberAction->setObjectName(QStringLiteral("findSubscriberAction"));
    m_findSubscriberAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    m_findSubscriberAction->setToolTip(
        tr("Is @someone subscribed, and to which webhook? Also who appeared and "
           "who disappeared since the previous look."));
    subscriptions->addAction(subscription[3]);
    // X Activity API: reload, create, edit, delete, bulk delete, export.
    const QList<QAction *> activity = m_activityPane->actions();
    QMenu *activityMenu = menuBar()->addMenu(tr("&Activity"));
    activityMenu->addActions(activity.mid(0, 5));
    activityMenu->addSeparator();
    activityMenu->addAction(activity.at(5));
    m_activityPane->view()->addAction(m_copyRowsAction);
    m_eventsPane->view()->addAction(m_copyRowsAction);
    menuBar()->addMenu(tr("&Edit"))->addAction(findAction);

    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *profileLabel = new QLabel(tr("Pr&ofile:"), toolbar);
    m_profileCombo = new QComboBox(toolbar);
    m_profileCombo->setObjectName(QStringLiteral("profileCombo"));
    m_profileCombo->setAccessibleName(tr("Profile"));
    m_profileCombo->setToolTip(tr("The X app (profile) the console works with"));
    m_profileCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_profileModel = new ProfileListModel(nullptr, this);
    m_profileCombo->setModel(m_profileModel);
    profileLabel->setBuddy(m_profileCombo);
    connect(m_profileCombo, &QComboBox::activated, this,
            [this](int index) { m_profiles->activate(m_profileCombo->itemData(index).toString()); });
    toolbar->addWidget(profileLabel);
    toolbar->addWidget(m_profileCombo);
    toolbar->addAction(m_profilesAction);
    toolbar->addSeparator();
    toolbar->addActions({m_refreshAction, webhook[0], webhook[1], webhook[2], replay});

    setTabOrder(m_profileCombo, m_webhooksPane->filter());
    setTabOrder(m_webhooksPane->filter(), m_webhooksPane->view());
    setTabOrder(m_webhooksPane->view(), m_lowerTabs);
    setTabOrder(m_lowerTabs, m_subscriptionsPane->filter());
    setTabOrder(m_subscriptionsPane->filter(), m_subscriptionsPane->accountCombo());
    setTabOrder(m_subscriptionsPane->accountCombo(), m_subscriptionsPane->view());
}

void MainWindow::buildDocks()
{
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_logDock = new RequestLogDock(m_requestLog, this);
    addDock(m_logDock, QStringLiteral("toggleRequestLogAction"), QKeySequence(Qt::CTRL | Qt::Key_L));
    // The tables come first; the log gets a modest strip until the person resizes it.
    resizeDocks({m_logDock}, {200}, Qt::Vertical);
}

void MainWindow::addDock(QDockWidget *dock, const QString &toggleName, const QKeySequence &key)
{
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    QAction *toggle = dock->toggleViewAction();
    toggle->setObjectName(toggleName);
    toggle->setShortcut(key);
    m_viewMenu->addAction(toggle);
}

void MainWindow::attachHistory(HistoryStore *history)
{
    if (m_services.history || !history)
        return;
    m_services.history = history;
    // Writes go on a thread of their own: the window never waits for another process's lock.
    m_historyWriter = std::make_unique<HistoryWriter>(*history);
    if (m_services.clock)
        m_historyWriter->setClock(m_services.clock);
    m_recorder->setWriter(m_historyWriter.get());
    m_historyDock = new HistoryDock(history, this);
    m_historyDock->followWriter(m_historyWriter.get());
    addDock(m_historyDock, QStringLiteral("toggleHistoryAction"), QKeySequence(Qt::CTRL | Qt::Key_H));
    tabifyDockWidget(m_logDock, m_historyDock);
    // Changes whose answer never arrived (the console or activity-cli ended first) come first.
    if (m_historyDock->warnOfInterruptedChanges(m_messageBar))
        m_historyDock->raise();
    else
        m_logDock->raise();
}

void MainWindow::attachEvents(EventStore *events)
{
    if (m_services.events || !events)
        return;
    m_services.events = events;
    m_eventsPane->setEventStore(events);
    // Where live events come from and go: the same service activity-cli events tail uses.
    m_liveEvents = new LiveEvents(events, m_services.network, this);
    m_eventsPane->addControls(
        new LiveEventsBar(m_context, m_liveEvents, m_eventsPane, settings(), m_eventsPane));
}

void MainWindow::connectPanes()
{
    connect(m_context, &PaneContext::statusChanged, m_statusLabel, &QLabel::setText);
    connect(m_context, &PaneContext::callFailed, this, &MainWindow::callFailed);
    connect(m_context, &PaneContext::busyChanged, this, [this](bool busy) {
        m_busyIndicator->setVisible(busy);
        Q_EMIT busyChanged(busy);
    });
    auto showWebhook = [this](const QString &id, bool reload) {
        if (!id.isEmpty() && !m_currentProfileId.isEmpty())
            settings()->setValue(settingsKeyForWebhook(m_currentProfileId), id);
        if (reload)
            m_subscriptionsPane->load(id);
        else
            m_subscriptionsPane->showWebhook(id);
        m_replayPane->setWebhook(id, m_webhooksPane->webhookLabel(id));
    };
    connect(m_webhooksPane, &WebhooksPane::selectionChanged, this,
            [showWebhook](const QString &id) { showWebhook(id, false); });
    connect(m_webhooksPane, &WebhooksPane::selectionRefreshed, this,
            [showWebhook](const QString &id) { showWebhook(id, true); });
    connect(m_webhooksPane, &WebhooksPane::refreshed, this, &MainWindow::webhooksRefreshed);
    connect(m_webhooksPane, &WebhooksPane::webhookDeleted, m_subscriptionsPane,
            &SubscriptionsPane::refreshCount);
    m_webhooksPane->setSubscriptionCounter(
        [this](const QString &id) { return m_subscriptionsPane->knownSubscriptionCount(id); });
    m_subscriptionsPane->setWebhookLabeler(
        [this](const QString &id) { return m_webhooksPane->webhookLabel(id); });
    connect(m_subscriptionsPane, &SubscriptionsPane::subscriptionsLoaded, this,
            &MainWindow::subscriptionsLoaded);
    connect(m_subscriptionsPane, &SubscriptionsPane::namesResolved, this, &MainWindow::namesResolved);
    connect(m_subscriptionsPane, &SubscriptionsPane::subscriptionCountChanged, this,
            &MainWindow::subscriptionCountChanged);
    connect(m_subscriptionsPane, &SubscriptionsPane::subscriptionChecked, this,
            &MainWindow::subscriptionChecked);
    connect(m_subscriptionsPane, &SubscriptionsPane::signInRequested, this, &MainWindow::requestSignIn);
    connect(m_subscriptionsPane, &SubscriptionsPane::oauth2SignInRequested, this,
            &MainWindow::requestOAuth2SignIn);
    connect(m_context, &PaneContext::oauth2SignInRequested, this, &MainWindow::requestOAuth2SignIn);
    connect(m_subscriptionsPane, &SubscriptionsPane::profileSettingsRequested, this,
            [this] { openProfileDialog(); });
    connect(m_subscriptionsPane, &SubscriptionsPane::removeAccountRequested, m_profileActions,
            &ProfileActions::removeAccount);
    connect(m_replayPane, &ReplayJobsPane::jobSubmitted, this, [this] { m_lowerTabs->setCurrentIndex(1); });
    // The X Activity subscriptions load when their tab is first shown (they can be 100,000s), and
    // offer the profile's webhooks in their dialogs.
    connect(m_lowerTabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_lowerTabs->widget(index) == m_activityPane)
            m_activityPane->loadIfNeeded();
    });
    connect(m_webhooksPane, &WebhooksPane::refreshed, this,
            [this] { m_activityPane->setWebhooks(m_webhooksPane->model()->webhooks()); });

    connect(m_profiles, &ConsoleProfiles::listChanged, this, &MainWindow::rebuildProfileCombo);
    connect(m_profileActions, &ProfileActions::currentProfileSaved, this,
            [this](const QString &id) { useProfile(*m_profiles->find(id), std::nullopt); });
    connect(m_profileActions, &ProfileActions::currentProfileRemoved, this, [this] {
        if (!m_profiles->all().isEmpty())
            m_profiles->activate(m_profiles->all().first().id);
    });
    connect(m_profileActions, &ProfileActions::accountSignedIn, m_subscriptionsPane,
            &SubscriptionsPane::selectAccount);
    connect(m_profiles, &ConsoleProfiles::activationPending, this, [this](const QString &name) {
        m_statusLabel->setText(tr("Reading the secrets of %1 from the keychain…").arg(name));
    });
    connect(m_profiles, &ConsoleProfiles::activated, this, &MainWindow::useProfile);
    connect(m_profiles, &ConsoleProfiles::accountsChanged, this, [this](const QString &profileId) {
        if (const ResolvedProfile *profile = m_profiles->find(profileId);
            profile && profileId == m_currentProfileId)
            m_context->setAccounts(profile->accounts);
    });
    connect(m_profiles, &ConsoleProfiles::accountUnreadable, this,
            [this](const QString &username, const ApiError &error) {
                m_messageBar->showMessage(
                    MessageBar::Level::Warning,
                    tr("The sign-in of @%1 could not be read from the keychain.").arg(username),
                    error.text());
            });
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
        if (const QString webhook = selectedWebhookId(); !webhook.isEmpty())
            s->setValue(settingsKeyForWebhook(m_currentProfileId), webhook);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindowState();
    QMainWindow::closeEvent(event);
}

// --- profiles -----------------------------------------------------------------------------------

void MainWindow::setBuiltInProfile(const ResolvedProfile &profile)
{
    m_profiles->setBuiltIn(profile);
}

void MainWindow::setBuiltInSandbox(const ResolvedProfile &placeholder, ConsoleProfiles::Launcher launcher)
{
    m_profiles->setBuiltInLauncher(placeholder, std::move(launcher));
}

void MainWindow::setSignInHandler(std::function<void(const QString &)> handler)
{
    m_signInHandler = std::move(handler);
}

void MainWindow::addAccount(const QString &profileId, const UserCredentials &account)
{
    m_profiles->addAccount(profileId, account);
}

QStringList MainWindow::profileIds() const
{
    QStringList ids;
    for (int i = 0; i < m_profileCombo->count(); ++i)
        ids.append(m_profileCombo->itemData(i).toString());
    return ids;
}

bool MainWindow::selectProfile(const QString &profileId)
{
    if (!profileIds().contains(profileId))
        return false;
    m_profiles->activate(profileId);
    return true;
}

void MainWindow::rebuildProfileCombo()
{
    const QSignalBlocker blocker(m_profileCombo);
    QList<Profile> rows;
    for (const ResolvedProfile &profile : m_profiles->all())
        rows.append(ProfileResolver::toStored(profile));
    m_profileModel->setProfiles(rows);
    m_profileModel->setCurrentProfileId(m_currentProfileId);
    if (const int index = m_profileCombo->findData(m_currentProfileId); index >= 0)
        m_profileCombo->setCurrentIndex(index);
}

void MainWindow::start()
{
    m_profiles->reload();
    QString wanted = settings()->value(QStringLiteral("selection/profile")).toString();
    if (wanted.isEmpty() || !profileIds().contains(wanted))
        wanted = m_profiles->builtIn()
            ? m_profiles->builtIn()->id
            : (m_profiles->all().isEmpty() ? QString() : m_profiles->all().first().id);
    if (!wanted.isEmpty())
        m_profiles->activate(wanted);
    if (m_services.history) {
        // What the history no longer keeps goes on a thread of its own; the window goes on.
        m_services.history->setRetention(HistoryRetention::fromSettings(*settings()));
        m_services.history->pruneInBackground();
    }
    if (m_services.events) {
        m_services.events->setRetention(EventRetention::fromSettings(*settings()));
        m_services.events->pruneInBackground();
    }
}

// The active profile's client, and each stored profile's in Find Subscriber's "All profiles".
ApiClient *MainWindow::makeClient(const ResolvedProfile &profile, QObject *parent) const
{
    if (!m_services.network)
        return nullptr;
    return new ApiClient(m_services.network, profile.clientConfig(m_services.clock), profile.credentials,
                         m_requestLog, parent);
}

void MainWindow::useProfile(const ResolvedProfile &profile, const std::optional<ApiError> &problem)
{
    if (!m_currentProfileId.isEmpty() && !selectedWebhookId().isEmpty())
        settings()->setValue(settingsKeyForWebhook(m_currentProfileId), selectedWebhookId());
    delete m_client; // its running calls end silently

    m_currentProfileId = profile.id;
    settings()->setValue(QStringLiteral("selection/profile"), profile.id);
    if (m_services.profiles && !profile.builtInSandbox)
        m_services.profiles->setCurrentProfileId(profile.id);
    if (const int index = m_profileCombo->findData(profile.id); index >= 0)
        m_profileCombo->setCurrentIndex(index);
    m_profileModel->setCurrentProfileId(profile.id);
    m_messageBar->dismiss();
    m_statusLabel->clear();

    if (m_services.network && !problem)
        m_client = makeClient(profile, this);
    m_recorder->setProfile(profile.id, profile.name);
    m_context->setProfile(profile, m_client); // the panes drop what they showed
    if (m_health)
        m_health->setProfile(profile.name, m_client);
    m_profileActions->setCurrent(profile.id, m_client, m_context->tokenKeeper());
    m_webhooksPane->setPendingSelection(settings()->value(settingsKeyForWebhook(profile.id)).toString());
    m_replayPane->setWebhook(QString(), QString());
    if (problem)
        m_context->showError(*problem);
    else if (m_client && m_client->configurationError())
        m_context->showError(*m_client->configurationError());

    setWindowTitle(tr("%1 — Activity Console").arg(profile.name));
    m_notices->show(currentProfile());
    m_refreshAction->setEnabled(m_client != nullptr);
    Q_EMIT profileActivated(profile.id);
    refresh();
}

void MainWindow::requestSignIn()
{
    if (m_currentProfileId.isEmpty())
        return;
    Q_EMIT signInRequested(m_currentProfileId);
    if (m_signInHandler)
        m_signInHandler(m_currentProfileId);
    else
        m_profileActions->signInWithBrowser();
}

void MainWindow::requestOAuth2SignIn()
{
    if (m_currentProfileId.isEmpty())
        return;
    Q_EMIT oauth2SignInRequested(m_currentProfileId);
    m_profileActions->signInWithOAuth2();
}

// --- what the panes do, for the composition root and the tests -----------------------------------

void MainWindow::refresh()
{
    m_webhooksPane->refresh();
    m_subscriptionsPane->refreshCount();
    if (m_lowerTabs->currentWidget() == m_activityPane)
        m_activityPane->refresh();
}

void MainWindow::showActivityPane()
{
    m_lowerTabs->setCurrentWidget(m_activityPane);
    m_activityPane->loadIfNeeded();
}

void MainWindow::showEventsPane()
{
    m_lowerTabs->setCurrentWidget(m_eventsPane);
}

void MainWindow::focusCurrentFilter()
{
    // The filter of the table the person is working in: the webhooks when they have focus (or
    // the replay tab is up), otherwise the subscriptions.
    const bool inWebhooks = m_webhooksPane->view()->hasFocus() || m_webhooksPane->filter()->hasFocus();
    QWidget *tab = m_lowerTabs->currentWidget();
    QLineEdit *filter = inWebhooks   ? m_webhooksPane->filter()
        : tab == m_subscriptionsPane ? m_subscriptionsPane->filter()
        : tab == m_activityPane      ? m_activityPane->filter()
        : tab == m_eventsPane        ? m_eventsPane->filter()
                                     : m_webhooksPane->filter();
    filter->setFocus(Qt::ShortcutFocusReason);
    filter->selectAll();
}

} // namespace activity
