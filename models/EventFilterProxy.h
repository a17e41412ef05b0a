#pragma once

#include <QAbstractProxyModel>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QStringMatcher>

#include <vector>

namespace activity {

class EventTableModel;

// The Events pane's filter over EventTableModel: a set of event types, one account, and free text,
// all at once. Rows stay in the model's order (the log's: oldest at the top), so the proxy is a
// sorted list of visible source rows; there is no sorting.
//
// Built for 100,000 rows and more arriving while a person types (like SubscriptionFilterProxy, and
// for the same reasons not a QSortFilterProxyModel): a new filter is computed first and announced
// with one reset; a narrower text re-checks only the visible rows. The text is matched against the
// model's precomputed case-folded strings: each distinct type, account (id and @name), tag and
// source is matched once per keystroke, then each row costs a few table look-ups and a search in
// its event id. Appended rows that pass arrive as one rowsInserted; the model dropping its oldest
// rows is one rowsRemoved.
//
// The text matches what the table shows (event id, type, account, tag, source), not the bodies,
// which the model does not hold.
class EventFilterProxy : public QAbstractProxyModel
{
    Q_OBJECT
public:
    explicit EventFilterProxy(QObject *parent = nullptr);

    // An EventTableModel; any other model shows no rows.
    void setSourceModel(QAbstractItemModel *source) override;

    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &index) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;

    // Only events of these types; empty: every type.
    void setTypes(const QStringList &types);
    QStringList types() const { return m_types; }
    // Only events for this account (for_user_id); empty: every account.
    void setAccount(const QString &accountId);
    QString account() const { return m_account; }
    void setFilterText(const QString &text);
    QString filterText() const { return m_filterText; }
    bool isFiltering() const { return !m_types.isEmpty() || !m_account.isEmpty() || !m_needle.isEmpty(); }

    int sourceRow(int proxyRow) const { return m_rows.value(proxyRow, -1); }
    // The visible source rows, in order.
    const QList<int> &sourceRows() const { return m_rows; }

private:
    // Brings the per-entry match tables up to the model's tables; `all`: recomputes them.
    void refreshTables(bool all);
    bool matches(int sourceRow) const;
    QList<int> filteredRows(bool onlyVisible) const;
    void applyFilter(bool onlyVisible);
    void resetAll();
    int proxyLowerBound(int sourceRow) const;

    void onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);

    QPointer<EventTableModel> m_events;
    QList<QMetaObject::Connection> m_connections;
    QList<int> m_rows; // visible source rows, ascending

    QStringList m_types;
    QSet<QString> m_typeSet;
    QString m_account;
    QString m_filterText;
    QString m_needle; // case-folded
    QStringMatcher m_matcher; // m_needle, its skip table made once per keystroke, not once per row
    // Per entry of the model's tables: 1 when it passes (types: the type set; the others: the text).
    std::vector<char> m_typeAllowed;
    std::vector<char> m_typeText;
    std::vector<char> m_accountText;
    std::vector<char> m_tagText;
    std::vector<char> m_sourceText;
    int m_accountEntry = -1; // the model's account entry for m_account; -1: not seen yet
};

} // namespace activity
