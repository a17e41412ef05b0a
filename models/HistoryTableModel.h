#pragma once

#include "HistoryStore.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace activity {

// The history of write actions as a table, newest first. The rows are a snapshot: reload() reads
// the store again (the store's own writes trigger it; another process's writes need a call, e.g.
// when the view is shown or on a refresh action).
class HistoryTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Column { Time, Action, Target, Account, Profile, State, Result, Count };
    enum Role {
        SortRole = Qt::UserRole + 1,
        EntryIdRole,
        StateRole, // HistoryState as int
        ProgressRole, // HistoryEntry::Progress as int
        // true for a Pending entry of an earlier run: the view highlights it.
        NeedsAttentionRole,
    };

    explicit HistoryTableModel(HistoryStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setQuery(const HistoryQuery &query);
    HistoryQuery query() const { return m_query; }
    void reload();

    const QList<HistoryEntry> &rows() const { return m_rows; }
    int interruptedCount() const;

    // "Register webhook", "Unsubscribe", ...
    static QString actionText(const HistoryEntry &entry);
    // The webhook id/URL, user id or replay window the action was about.
    static QString targetText(const HistoryEntry &entry);
    static QString stateText(const HistoryEntry &entry);
    static QString resultText(const HistoryEntry &entry);
    // Why an interrupted entry matters and what to do.
    static QString interruptedExplanation();

private:
    QPointer<HistoryStore> m_store;
    HistoryQuery m_query;
    QList<HistoryEntry> m_rows;
};

} // namespace activity
