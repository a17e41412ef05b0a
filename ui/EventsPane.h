#pragma once

#include "EventStore.h"

#include <QList>
#include <QPointer>
#include <QSet>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QTimer;
class QToolButton;

namespace activity {

class ConsoleTableView;
class EventDetailView;
class EventFilterProxy;
class EventTableModel;
class PaneContext;
class UserLookupPager;

// The console's "Events" tab (#16): the live events of the EventStore as a log (newest at the
// bottom, following it while the view is scrolled to the bottom), pause/resume, filters by type,
// account and text, a detail view (pretty JSON body and the kept headers, read from the store by row
// id), copy the body, export the filtered rows as JSON Lines, counts per type, events per minute,
// and a status strip for the stream and the receiver.
//
// How events reach it (for the integrator): give it the EventStore (setEventStore; MainWindow does
// it in attachEvents) and nothing else. The pane reads what the store committed after the last row
// it listed (EventQuery::minRowId, no bodies) on each appended() of that store and every
// pollIntervalMs, so events written by another EventStore object or another process
// (activity-cli listen) appear too; duplicates and forward outcomes are read again on appended()
// (duplicate) and forwardRecorded(). Whoever has just appended may call loadNewEvents() to show the
// rows at once. Without a store, showStoredEvents() lists the events it is given.
//
// Export format: JSON Lines in the format activity-cli events export writes (eventexport::jsonLine,
// models/EventExport.h): one object per event with its metadata and "body", the bytes as received;
// the filtered rows only, in the table's order.
class EventsPane : public QWidget
{
    Q_OBJECT
public:
    static constexpr int initialRows = 10000; // the newest events listed when the store is attached
    static constexpr int defaultPollIntervalMs = 500;

    explicit EventsPane(PaneContext *context, QWidget *parent = nullptr);
    ~EventsPane() override;

    // The store shown and followed; null: none. Lists its newest initialRows events.
    void setEventStore(EventStore *store);
    // Puts `controls` (the window's LiveEventsBar: stream, receiver, forwarding) above the pane.
    void addControls(QWidget *controls);
    EventStore *eventStore() const { return m_store; }
    void setPollInterval(int ms);

    EventTableModel *model() const { return m_model; }
    EventFilterProxy *proxy() const { return m_proxy; }
    ConsoleTableView *view() const { return m_view; }
    EventDetailView *detail() const { return m_detail; }
    QLineEdit *filter() const { return m_filter; }
    QToolButton *typeButton() const { return m_typeButton; }
    QComboBox *accountCombo() const { return m_accountCombo; }
    QLabel *pendingLabel() const { return m_pendingLabel; }
    QLabel *countsLabel() const { return m_countsLabel; }
    QLabel *rateLabel() const { return m_rateLabel; }
    QLabel *streamLabel() const { return m_streamLabel; }
    QLabel *receiverLabel() const { return m_receiverLabel; }
    QAction *pauseAction() const { return m_pauseAction; }
    QAction *copyAction() const { return m_copyAction; }
    QAction *exportAction() const { return m_exportAction; }
    QList<QAction *> actions() const { return {m_pauseAction, m_copyAction, m_exportAction}; }

    bool isPaused() const { return m_paused; }
    // Events held while paused.
    int pendingCount() const { return int(m_pending.size()); }
    // The type filter (empty: all types) and the account filter (empty: all accounts).
    void setTypeFilter(const QStringList &types);
    QStringList typeFilter() const;
    void setAccountFilter(const QString &accountId);
    // Selects the event of this store row (the detail view follows); false when it is not shown.
    bool selectEvent(qint64 rowId);
    // Writes the filtered rows' bodies as JSON Lines (see above). `written`: the lines written.
    bool exportJsonLines(const QString &path, QString *error = nullptr, int *written = nullptr) const;

public Q_SLOTS:
    // The stream's connection state in a few words ("Connected", "Reconnecting in 5 s…").
    void setStreamState(const QString &text, bool healthy);
    // Where the receiver listens (empty: off) and when it last answered a CRC (text, e.g. a time).
    void setReceiverState(const QString &address, const QString &lastCrc);
    // With a store: reads what it committed since the last row listed (the events given are in it).
    // Without one: lists these events (their bodies are not kept).
    void showStoredEvents(const QList<activity::StoredEvent> &events);
    // Reads what the store committed since the last row listed, and the rows whose duplicate count
    // or forward outcome changed.
    void loadNewEvents();
    void setPaused(bool paused);
    void copyBody();
    void exportInteractively();
    // Events per minute from the store (last minute, last 60 minutes).
    void updateRates();

Q_SIGNALS:
    // Rows were added to the table (not while paused).
    void eventsShown(int count);
    void exportFinished(const QString &path, int written);

private:
    void addEvents(QList<StoredEvent> events);
    void showInTable(const QList<StoredEvent> &events);
    void refreshChangedRows();
    void scheduleLoad();
    void showCurrentEvent();
    void rebuildTypeMenu();
    void rebuildAccounts();
    void resolveNames();
    void updateCounts();
    void updatePending();
    void updateActions();
    qint64 currentRowId() const;

    PaneContext *m_context;
    QPointer<EventStore> m_store;
    EventTableModel *m_model;
    EventFilterProxy *m_proxy;
    UserLookupPager *m_pager;
    QTimer *m_pollTimer;
    QTimer *m_loadTimer;
    QTimer *m_rateTimer;
    qint64 m_lastRowId = 0; // the last row read from the store (shown or pending)
    QSet<qint64> m_changedRows; // duplicates or forward outcomes to read again
    QSet<QString> m_askedNames; // account ids whose names were asked for
    QList<StoredEvent> m_pending; // arrived while paused, oldest first, no bodies
    bool m_paused = false;
    QStringList m_types;

    QLabel *m_streamLabel = nullptr;
    QLabel *m_receiverLabel = nullptr;
    QLabel *m_pendingLabel = nullptr;
    QLabel *m_countsLabel = nullptr;
    QLabel *m_rateLabel = nullptr;
    QLineEdit *m_filter = nullptr;
    QToolButton *m_typeButton = nullptr;
    QComboBox *m_accountCombo = nullptr;
    ConsoleTableView *m_view = nullptr;
    EventDetailView *m_detail = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_exportAction = nullptr;
};

} // namespace activity
