#include "EventsPane.h"

#include "ActionFactory.h"
#include "ApiClient.h"
#include "ConsoleTableView.h"
#include "CsvExport.h"
#include "EventDetailView.h"
#include "EventFilterProxy.h"
#include "EventJsonLines.h"
#include "EventTableModel.h"
#include "MessageBar.h"
#include "PaletteColors.h"
#include "PaneContext.h"
#include "UserCache.h"
#include "UserLookupPager.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace activity {

namespace {
using Column = EventTableModel::Column;

constexpr int kLoadDelayMs = 50; // appended() signals within this time share one read (and one view update)
constexpr int kRateIntervalMs = 5000;
constexpr int kChangedRowsPerLoad = 200; // rows read again per load (duplicates, forward results)
constexpr int kTypesInCounts = 6;

QString number(qint64 value)
{
    const QLocale locale;
    return locale.language() == QLocale::C ? QLocale(QLocale::English, QLocale::UnitedStates).toString(value)
                                           : locale.toString(value);
}

bool byRowId(const StoredEvent &a, const StoredEvent &b)
{
    return a.rowId < b.rowId;
}
} // namespace

EventsPane::EventsPane(PaneContext *context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new EventTableModel(this))
    , m_proxy(new EventFilterProxy(this))
    , m_pager(new UserLookupPager(context->userCache(), this))
    , m_pollTimer(new QTimer(this))
    , m_loadTimer(new QTimer(this))
    , m_rateTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("eventsPane"));
    m_model->setUserCache(context->userCache());
    m_proxy->setSourceModel(m_model);
    m_pager->setClock(context->clock());
    m_pollTimer->setInterval(defaultPollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &EventsPane::loadNewEvents);
    m_loadTimer->setSingleShot(true);
    m_loadTimer->setInterval(kLoadDelayMs);
    connect(m_loadTimer, &QTimer::timeout, this, &EventsPane::loadNewEvents);
    m_rateTimer->setInterval(kRateIntervalMs);
    connect(m_rateTimer, &QTimer::timeout, this, &EventsPane::updateRates);

    m_pauseAction =
        makeAction(this, QStringLiteral("eventsPauseAction"), tr("&Pause"), QStyle::SP_MediaPause);
    m_pauseAction->setCheckable(true);
    m_pauseAction->setToolTip(tr("Hold new events back (they are counted) until Resume"));
    connect(m_pauseAction, &QAction::toggled, this, &EventsPane::setPaused);
    m_copyAction = makeAction(this, QStringLiteral("eventsCopyBodyAction"), tr("Copy &body"));
    m_copyAction->setToolTip(tr("Copy the selected event's body, as received"));
    connect(m_copyAction, &QAction::triggered, this, &EventsPane::copyBody);
    m_exportAction = makeAction(this, QStringLiteral("eventsExportAction"), tr("E&xport JSON Lines…"),
                                QStyle::SP_DialogSaveButton);
    m_exportAction->setToolTip(tr("Save the bodies of the events shown, one per line"));
    connect(m_exportAction, &QAction::triggered, this, &EventsPane::exportInteractively);

    auto plainLabel = [this](const QString &name) {
        auto *label = new QLabel(this);
        label->setObjectName(name);
        label->setTextFormat(Qt::PlainText); // states and types come from the wire
        return label;
    };
    auto *layout = new QVBoxLayout(this);
    auto *status = new QHBoxLayout;
    m_streamLabel = plainLabel(QStringLiteral("eventsStreamState"));
    m_receiverLabel = plainLabel(QStringLiteral("eventsReceiverState"));
    m_rateLabel = plainLabel(QStringLiteral("eventsRate"));
    status->addWidget(m_streamLabel);
    status->addSpacing(24);
    status->addWidget(m_receiverLabel);
    status->addStretch();
    status->addWidget(m_rateLabel);
    layout->addLayout(status);

    auto *bar = new QHBoxLayout;
    auto addButton = [this, bar](QAction *action, const QString &name) {
        auto *button = new QToolButton(this);
        button->setObjectName(name);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setAccessibleName(action->text().remove(QLatin1Char('&')).remove(QStringLiteral("…")));
        bar->addWidget(button);
    };
    addButton(m_pauseAction, QStringLiteral("eventsPauseButton"));
    m_pendingLabel = plainLabel(QStringLiteral("eventsPending"));
    m_pendingLabel->hide();
    bar->addWidget(m_pendingLabel);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("eventsFilter"));
    m_filter->setAccessibleName(tr("Filter events"));
    m_filter->setPlaceholderText(tr("Filter by type, account, tag, source or event id (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(260);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &EventFilterProxy::setFilterText);
    connect(m_filter, &QLineEdit::textChanged, this, [this] {
        updateCounts();
        updateActions();
    });
    bar->addWidget(m_filter, 1);
    m_typeButton = new QToolButton(this);
    m_typeButton->setObjectName(QStringLiteral("eventsTypeButton"));
    m_typeButton->setAccessibleName(tr("Event types shown"));
    m_typeButton->setPopupMode(QToolButton::InstantPopup);
    auto *typeMenu = new QMenu(m_typeButton);
    typeMenu->setObjectName(QStringLiteral("eventsTypeMenu"));
    m_typeButton->setMenu(typeMenu);
    connect(typeMenu, &QMenu::aboutToShow, this, &EventsPane::rebuildTypeMenu);
    bar->addWidget(m_typeButton);
    m_accountCombo = new QComboBox(this);
    m_accountCombo->setObjectName(QStringLiteral("eventsAccountCombo"));
    m_accountCombo->setAccessibleName(tr("Account shown"));
    m_accountCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_accountCombo, &QComboBox::activated, this,
            [this](int index) { setAccountFilter(m_accountCombo->itemData(index).toString()); });
    bar->addWidget(m_accountCombo);
    addButton(m_copyAction, QStringLiteral("eventsCopyButton"));
    addButton(m_exportAction, QStringLiteral("eventsExportButton"));
    layout->addLayout(bar);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("eventsSplitter"));
    m_view = new ConsoleTableView(split);
    m_view->setObjectName(QStringLiteral("eventsView"));
    m_view->setAccessibleName(tr("Events"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(false); // a log: in the order the events were stored
    QHeaderView *header = m_view->horizontalHeader();
    header->resizeSection(int(Column::Time), 170);
    header->resizeSection(int(Column::Source), 70);
    header->resizeSection(int(Column::Account), 120);
    header->resizeSection(int(Column::Type), 160);
    header->resizeSection(int(Column::Tag), 100);
    header->resizeSection(int(Column::Signature), 70);
    header->resizeSection(int(Column::Duplicates), 70);
    m_view->addActions({m_copyAction, m_exportAction});
    m_detail = new EventDetailView(split);
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    m_countsLabel = plainLabel(QStringLiteral("eventsCounts"));
    layout->addWidget(m_countsLabel);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EventsPane::showCurrentEvent);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &EventsPane::showCurrentEvent);
    connect(m_model, &EventTableModel::countsChanged, this, &EventsPane::updateCounts);
    connect(m_model, &EventTableModel::accountsChanged, this, [this] {
        rebuildAccounts();
        resolveNames();
    });
    connect(m_pager, &UserLookupPager::batchAnswered, this,
            [this](const QList<UserInfo> &found, const QStringList &) { m_model->applyUsers(found); });
    connect(m_context, &PaneContext::profileChanged, this, [this] {
        // Events belong to the machine, not the profile: they stay. Names are looked up anew.
        m_pager->cancel();
        m_pager->setClient(m_context->client());
        m_askedNames.clear();
        resolveNames();
    });

    setStreamState(tr("not connected"), false);
    setReceiverState({}, {});
    setTypeFilter({});
    rebuildAccounts();
    updateCounts();
    updateRates();
    updateActions();
}

EventsPane::~EventsPane()
{
    // The view, proxy and model are children, deleted after this destructor: whatever they signal
    // while going (the proxy resets when its source goes) must not reach this half-destroyed pane.
    m_view->selectionModel()->disconnect(this);
    m_proxy->disconnect(this);
    m_model->disconnect(this);
    m_pager->disconnect(this);
}

void EventsPane::addControls(QWidget *controls)
{
    static_cast<QVBoxLayout *>(layout())->insertWidget(0, controls);
}

void EventsPane::setEventStore(EventStore *store)
{
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    m_pollTimer->stop();
    m_rateTimer->stop();
    m_lastRowId = 0;
    m_pending.clear();
    m_changedRows.clear();
    m_model->clear();
    if (m_store) {
        connect(m_store, &EventStore::appended, this, [this](qint64, const EventAppendResult &result) {
            if (result.duplicate && result.rowId > 0)
                m_changedRows.insert(result.rowId);
            scheduleLoad();
        });
        connect(m_store, &EventStore::forwardRecorded, this, [this](qint64 rowId, bool) {
            m_changedRows.insert(rowId);
            scheduleLoad();
        });
        EventQuery query;
        query.limit = initialRows;
        query.withBodies = false;
        addEvents(m_store->events(query));
        m_pollTimer->start();
        m_rateTimer->start();
    }
    updatePending();
    updateRates();
    updateActions();
}

void EventsPane::setPollInterval(int ms)
{
    m_pollTimer->setInterval(ms);
}

void EventsPane::scheduleLoad()
{
    if (!m_loadTimer->isActive())
        m_loadTimer->start();
}

void EventsPane::loadNewEvents()
{
    m_loadTimer->stop();
    if (!m_store)
        return;
    // By row id, without bodies: only what committed since the last read, whoever wrote it.
    EventQuery query;
    query.limit = m_model->maxRows();
    query.withBodies = false;
    query.minRowId = m_lastRowId + 1;
    QList<StoredEvent> events = m_store->events(query);
    if (!events.isEmpty())
        addEvents(std::move(events));
    refreshChangedRows();
}

void EventsPane::showStoredEvents(const QList<StoredEvent> &events)
{
    if (m_store)
        loadNewEvents(); // they are in the store; read in order with whatever else arrived
    else
        addEvents(events);
}

void EventsPane::addEvents(QList<StoredEvent> events)
{
    events.removeIf([this](const StoredEvent &event) { return event.rowId <= m_lastRowId; });
    if (events.isEmpty())
        return;
    std::sort(events.begin(), events.end(), byRowId);
    m_lastRowId = events.constLast().rowId;
    for (StoredEvent &event : events) {
        event.body.clear(); // the model keeps none; the detail view reads the one it shows
        event.headers = {};
        event.filter.clear();
    }
    if (m_paused) {
        m_pending.append(events);
        if (m_pending.size() > m_model->maxRows())
            m_pending.remove(0, m_pending.size() - m_model->maxRows());
        updatePending();
        return;
    }
    showInTable(events);
}

void EventsPane::showInTable(const QList<StoredEvent> &events)
{
    // A log follows new rows while it is scrolled to the bottom, and stays put otherwise.
    const QScrollBar *scroll = m_view->verticalScrollBar();
    const bool follow = scroll->value() >= scroll->maximum();
    const int added = m_model->appendEvents(events);
    if (added <= 0)
        return;
    if (follow)
        m_view->scrollToBottom();
    updateActions();
    Q_EMIT eventsShown(added);
}

void EventsPane::refreshChangedRows()
{
    if (!m_store || m_changedRows.isEmpty())
        return;
    QList<qint64> rows(m_changedRows.cbegin(), m_changedRows.cend());
    std::sort(rows.begin(), rows.end());
    if (rows.size() > kChangedRowsPerLoad) {
        rows.resize(kChangedRowsPerLoad);
        scheduleLoad(); // the rest on the next pass
    }
    const qint64 current = currentRowId();
    for (qint64 rowId : std::as_const(rows)) {
        m_changedRows.remove(rowId);
        EventQuery query;
        query.limit = 1;
        query.withBodies = false;
        query.minRowId = rowId;
        query.maxRowId = rowId;
        const QList<StoredEvent> found = m_store->events(query);
        if (found.isEmpty())
            continue;
        const StoredEvent &event = found.constFirst();
        if (m_model->updateDuplicate(rowId, event.duplicates)) {
            m_model->updateForward(rowId, event.forward);
        } else {
            StoredEvent key;
            key.rowId = rowId;
            const auto it = std::lower_bound(m_pending.begin(), m_pending.end(), key, byRowId);
            if (it != m_pending.end() && it->rowId == rowId) {
                it->duplicates = event.duplicates;
                it->forward = event.forward;
            }
        }
        if (rowId == current)
            showCurrentEvent();
    }
}

void EventsPane::setPaused(bool paused)
{
    if (paused != m_pauseAction->isChecked()) {
        const QSignalBlocker blocker(m_pauseAction);
        m_pauseAction->setChecked(paused);
    }
    m_pauseAction->setText(paused ? tr("&Resume") : tr("&Pause"));
    m_pauseAction->setIcon(style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (!m_paused && !m_pending.isEmpty())
        showInTable(std::exchange(m_pending, {}));
    updatePending();
}

void EventsPane::updatePending()
{
    m_pendingLabel->setVisible(m_paused);
    m_pendingLabel->setText(tr("%1 new").arg(number(m_pending.size())));
}

void EventsPane::setTypeFilter(const QStringList &types)
{
    m_types = types;
    m_proxy->setTypes(types);
    m_typeButton->setText(types.isEmpty()         ? tr("All types")
                              : types.size() == 1 ? types.constFirst()
                                                  : tr("%n types", nullptr, int(types.size())));
    updateCounts();
    updateActions();
}

QStringList EventsPane::typeFilter() const
{
    return m_types;
}

void EventsPane::rebuildTypeMenu()
{
    // The types in view with their counts, and any type chosen that has none at the moment.
    QMenu *menu = m_typeButton->menu();
    menu->clear();
    QAction *all = menu->addAction(tr("All types"));
    all->setObjectName(QStringLiteral("eventsAllTypesAction"));
    all->setCheckable(true);
    all->setChecked(m_types.isEmpty());
    connect(all, &QAction::triggered, this, [this] { setTypeFilter({}); });
    menu->addSeparator();
    QList<std::pair<QString, qint64>> counts = m_model->countPerType();
    for (const QString &type : std::as_const(m_types)) {
        if (m_model->countOfType(type) == 0)
            counts.append({type, 0});
    }
    for (const auto &[type, count] : std::as_const(counts)) {
        QAction *action = menu->addAction(tr("%1 (%2)").arg(type, number(count)));
        action->setCheckable(true);
        action->setChecked(m_types.contains(type));
        action->setData(type);
        connect(action, &QAction::toggled, this, [this, type = type](bool on) {
            QStringList types = m_types;
            types.removeAll(type);
            if (on)
                types.append(type);
            setTypeFilter(types);
        });
    }
}

void EventsPane::setAccountFilter(const QString &accountId)
{
    m_proxy->setAccount(accountId);
    rebuildAccounts();
    updateCounts();
    updateActions();
}

void EventsPane::rebuildAccounts()
{
    const QSignalBlocker blocker(m_accountCombo);
    const QString selected = m_proxy->account();
    m_accountCombo->clear();
    m_accountCombo->addItem(tr("All accounts"), QString());
    bool listed = false;
    for (const auto &[id, label] : m_model->accounts()) {
        m_accountCombo->addItem(label, id);
        listed = listed || id == selected;
    }
    if (!selected.isEmpty() && !listed)
        m_accountCombo->addItem(selected, selected); // chosen before any of its events arrived
    m_accountCombo->setCurrentIndex(qMax(0, m_accountCombo->findData(selected)));
}

void EventsPane::resolveNames()
{
    UserCache *cache = m_context->userCache();
    const QStringList ids = m_model->accountIdsWithoutNames();
    if (ids.isEmpty())
        return;
    m_model->applyUsers(cache->users(ids)); // names the cache has, without a lookup
    const QStringList missing = cache->missing(ids);
    const bool fresh = std::any_of(missing.cbegin(), missing.cend(),
                                   [this](const QString &id) { return !m_askedNames.contains(id); });
    if (!fresh || !m_context->client())
        return;
    for (const QString &id : missing)
        m_askedNames.insert(id);
    m_pager->setClient(m_context->client());
    m_pager->lookup(missing); // replaces a running lookup: `missing` includes what it still had to ask
}

void EventsPane::updateCounts()
{
    const QList<std::pair<QString, qint64>> counts = m_model->countPerType();
    QStringList parts;
    for (qsizetype i = 0; i < counts.size() && i < kTypesInCounts; ++i)
        parts.append(QStringLiteral("%1 %2").arg(counts.at(i).first, number(counts.at(i).second)));
    if (counts.size() > kTypesInCounts)
        parts.append(tr("%n more type(s)", nullptr, int(counts.size()) - kTypesInCounts));
    QString text = tr("%1 events in view").arg(number(m_model->rowCount()));
    if (m_proxy->isFiltering())
        text += QStringLiteral(" ") + tr("(%1 shown)").arg(number(m_proxy->rowCount()));
    if (!parts.isEmpty())
        text += QStringLiteral(": ") + parts.join(QStringLiteral(" · "));
    m_countsLabel->setText(text);
}

void EventsPane::updateRates()
{
    if (!m_store) {
        m_rateLabel->setText(tr("No event store"));
        return;
    }
    const QList<qint64> minutes = m_store->perMinute(m_context->now().toMSecsSinceEpoch(), 60);
    const qint64 hour = std::accumulate(minutes.cbegin(), minutes.cend(), qint64(0));
    m_rateLabel->setText(tr("Last minute: %1 · last 60 minutes: %2")
                             .arg(number(minutes.isEmpty() ? 0 : minutes.constLast()), number(hour)));
}

void EventsPane::setStreamState(const QString &text, bool healthy)
{
    m_streamLabel->setText(tr("Stream: %1").arg(text));
    m_streamLabel->setProperty("healthy", healthy);
    QPalette colors = palette();
    colors.setColor(QPalette::WindowText,
                    healthy ? palette::positiveText(palette()) : palette::negativeText(palette()));
    m_streamLabel->setPalette(colors);
}

void EventsPane::setReceiverState(const QString &address, const QString &lastCrc)
{
    if (address.isEmpty())
        m_receiverLabel->setText(tr("Receiver: off"));
    else if (lastCrc.isEmpty())
        m_receiverLabel->setText(tr("Receiver: %1 · no CRC yet").arg(address));
    else
        m_receiverLabel->setText(tr("Receiver: %1 · last CRC %2").arg(address, lastCrc));
}

qint64 EventsPane::currentRowId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(EventTableModel::RowIdRole).toLongLong() : 0;
}

bool EventsPane::selectEvent(qint64 rowId)
{
    const int row = m_model->rowOf(rowId);
    const QModelIndex index = row < 0 ? QModelIndex() : m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return false;
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    return true;
}

void EventsPane::showCurrentEvent()
{
    const qint64 rowId = currentRowId();
    // One body at a time, read when it is shown.
    m_detail->setEvent(rowId > 0 && m_store ? m_store->event(rowId) : std::nullopt);
    updateActions();
}

void EventsPane::updateActions()
{
    m_copyAction->setEnabled(m_detail->hasEvent());
    m_exportAction->setEnabled(m_store && m_proxy->rowCount() > 0);
}

void EventsPane::copyBody()
{
    if (!m_detail->hasEvent())
        return;
    const StoredEvent &event = *m_detail->event();
    QApplication::clipboard()->setText(QString::fromUtf8(event.body));
    m_context->setStatus(tr("The body of event %1 was copied.").arg(event.eventId));
}

bool EventsPane::exportJsonLines(const QString &path, QString *error, int *written) const
{
    if (written)
        *written = 0;
    if (!m_store) {
        if (error)
            *error = tr("There is no event store to read the bodies from.");
        return false;
    }
    QList<qint64> rowIds;
    rowIds.reserve(m_proxy->rowCount());
    for (int row : m_proxy->sourceRows())
        rowIds.append(m_model->rowId(row));
    int lines = 0;
    const bool ok = csvexport::save(
        path, [&](QIODevice *device) { return eventjsonlines::write(*m_store, rowIds, device, &lines); },
        error);
    if (written)
        *written = lines;
    return ok;
}

void EventsPane::exportInteractively()
{
    auto *dialog = new QFileDialog(this, tr("Export events as JSON Lines"));
    dialog->setObjectName(QStringLiteral("eventsExportDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilter(tr("JSON Lines (*.jsonl)"));
    dialog->setDefaultSuffix(QStringLiteral("jsonl"));
    dialog->selectFile(QStringLiteral("events.jsonl"));
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        QString error;
        int written = 0;
        if (exportJsonLines(path, &error, &written)) {
            m_context->setStatus(tr("%n event(s) written to %1.", nullptr, written).arg(path));
        } else {
            m_context->messageBar()->showMessage(MessageBar::Level::Error,
                                                 tr("The JSON Lines file could not be written."),
                                                 tr("%1 Choose another folder.").arg(error));
        }
        Q_EMIT exportFinished(path, written);
    });
    dialog->open();
}

} // namespace activity
