#pragma once

#include <QAbstractProxyModel>
#include <QList>
#include <QPointer>

namespace activity {

class SearchTextSource;
class SubscriptionTableModel;

// Filter and sort for the subscriptions table, built to stay instant at 100,000 rows.
//
// Why not QSortFilterProxyModel: in Qt 6.4 every filter change re-checks all rows, and it reports
// a scattered result as one rowsRemoved/rowsInserted per range, each of which moves its mapping
// and the views' headers (measured in bench_models: far over 30 ms per keystroke). This proxy keeps
// a plain list of visible source rows, re-checks only the visible rows when the new text extends
// the previous one, keeps the whole sort order ready so that a shorter text is one linear pass,
// and announces a new filter result with a single reset. Edits in the source (names arriving,
// unsubscribes, new subscriptions) are mapped to small row signals instead; rows whose sort key
// changed are put in place by one layout change on the next pass of the event loop.
//
// The filter text matches the user id, username or name, case-insensitively. With a source that is a
// SearchTextSource (SubscriptionTableModel, ActivitySubscriptionTableModel) it reads the precomputed
// search strings directly; any other source is matched through SubscriptionTableModel::SearchTextRole
// or, without it, the display text.
class SubscriptionFilterProxy : public QAbstractProxyModel
{
    Q_OBJECT
public:
    explicit SubscriptionFilterProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *source) override;

    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &index) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;

    // Sorts by the source's SortRole (SubscriptionTableModel: ids as numbers, names ignoring case).
    // column -1 restores the source order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    void setFilterText(const QString &text);
    QString filterText() const { return m_filterText; }

    int sourceRow(int proxyRow) const { return m_proxyToSource.value(proxyRow, -1); }

private:
    bool matches(int sourceRow) const;
    int compareKeys(int left, int right) const; // by the sort column only: <0, 0, >0
    bool ordered(int left, int right) const; // the proxy's full order: direction and tie break
    void ensureOrder();
    QList<int> filteredRows(bool onlyVisible);
    void rebuildSourceToProxy();
    void resetAll();
    void removeProxyRows(const QList<int> &proxyRows);
    void insertSourceRow(int sourceRow);
    void forwardDataChanged(const QList<int> &proxyRows, int firstColumn, int lastColumn,
                            const QList<int> &roles);

    void onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void resortChangedRows();
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);

    QPointer<SubscriptionTableModel> m_subscriptions; // set when the source is one: the fast sort
    // The source's precomputed search strings (SubscriptionTableModel, ActivitySubscriptionTableModel):
    // the fast filter. Cleared when the source is destroyed.
    const SearchTextSource *m_searchable = nullptr;
    QList<QMetaObject::Connection> m_connections;
    QList<int> m_proxyToSource;
    QList<int> m_sourceToProxy; // -1: filtered out
    QList<int> m_order; // every source row in sort order; empty while unsorted
    bool m_orderDirty = false;
    bool m_resetPending = false;
    QList<int> m_unsortedRows; // visible source rows whose sort key changed; re-sorted soon
    bool m_resortQueued = false;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    QString m_filterText;
    QString m_needle; // case-folded filter text
};

} // namespace activity
