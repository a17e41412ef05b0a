#include "SubscriptionFilterProxy.h"

#include "RowRanges.h"
#include "SearchTextSource.h"
#include "SubscriptionTableModel.h"

#include <algorithm>
#include <numeric>
#include <utility>
#include <vector>

namespace activity {

namespace {
// Above this many row signals for one source change, a reset is cheaper for the views.
constexpr qsizetype kMaxRowSignals = 64;

// Numeric ids as strings: shorter is smaller, equal lengths compare digit by digit.
// Two SortRole values: text without regard to case, anything else (times, numbers) by value.
int compareValues(const QVariant &a, const QVariant &b)
{
    if (a.userType() == QMetaType::QString && b.userType() == QMetaType::QString)
        return a.toString().compare(b.toString(), Qt::CaseInsensitive);
    const QPartialOrdering order = QVariant::compare(a, b);
    return order == QPartialOrdering::Less ? -1 : order == QPartialOrdering::Greater ? 1 : 0;
}

int compareIds(const QString &left, const QString &right)
{
    if (left.size() != right.size())
        return left.size() < right.size() ? -1 : 1;
    return left.compare(right);
}

} // namespace

using rowranges::forEachRange;

SubscriptionFilterProxy::SubscriptionFilterProxy(QObject *parent)
    : QAbstractProxyModel(parent)
{
}

void SubscriptionFilterProxy::setSourceModel(QAbstractItemModel *source)
{
    beginResetModel();
    for (const auto &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    QAbstractProxyModel::setSourceModel(source);
    m_subscriptions = qobject_cast<SubscriptionTableModel *>(source);
    m_searchable = dynamic_cast<const SearchTextSource *>(source);
    if (source) {
        using Source = QAbstractItemModel;
        auto beginReset = [this] {
            beginResetModel();
            m_unsortedRows.clear();
        };
        auto endReset = [this] {
            m_orderDirty = true;
            ensureOrder();
            m_proxyToSource = filteredRows(false);
            rebuildSourceToProxy();
            endResetModel();
        };
        // Whatever this proxy does not map row by row becomes a reset.
        m_connections << connect(source, &Source::modelAboutToBeReset, this, beginReset)
                      << connect(source, &Source::modelReset, this, endReset)
                      << connect(source, &Source::layoutAboutToBeChanged, this, beginReset)
                      << connect(source, &Source::layoutChanged, this, endReset)
                      << connect(source, &Source::rowsAboutToBeMoved, this, beginReset)
                      << connect(source, &Source::rowsMoved, this, endReset)
                      << connect(source, &Source::columnsAboutToBeInserted, this, beginReset)
                      << connect(source, &Source::columnsInserted, this, endReset)
                      << connect(source, &Source::columnsAboutToBeRemoved, this, beginReset)
                      << connect(source, &Source::columnsRemoved, this, endReset)
                      << connect(source, &Source::rowsAboutToBeRemoved, this,
                                 &SubscriptionFilterProxy::onRowsAboutToBeRemoved)
                      << connect(source, &Source::rowsRemoved, this, &SubscriptionFilterProxy::onRowsRemoved)
                      << connect(source, &Source::rowsInserted, this,
                                 &SubscriptionFilterProxy::onRowsInserted)
                      << connect(source, &Source::dataChanged, this, &SubscriptionFilterProxy::onDataChanged)
                      << connect(source, &Source::headerDataChanged, this,
                                 [this](Qt::Orientation orientation, int first, int last) {
                                     if (orientation == Qt::Horizontal)
                                         Q_EMIT headerDataChanged(orientation, first, last);
                                 })
                      << connect(source, &QObject::destroyed, this, [this] {
                             m_searchable = nullptr;
                             beginResetModel();
                             m_proxyToSource.clear();
                             m_sourceToProxy.clear();
                             m_order.clear();
                             endResetModel();
                         });
    }
    m_order.clear();
    m_unsortedRows.clear();
    m_orderDirty = true;
    ensureOrder();
    m_proxyToSource = filteredRows(false);
    rebuildSourceToProxy();
    endResetModel();
}

QModelIndex SubscriptionFilterProxy::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || !sourceModel() || proxyIndex.row() >= m_proxyToSource.size())
        return {};
    return sourceModel()->index(m_proxyToSource.at(proxyIndex.row()), proxyIndex.column());
}

QModelIndex SubscriptionFilterProxy::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.model() != sourceModel() || sourceIndex.parent().isValid() ||
        sourceIndex.row() >= m_sourceToProxy.size())
        return {};
    const int row = m_sourceToProxy.at(sourceIndex.row());
    return row < 0 ? QModelIndex() : createIndex(row, sourceIndex.column());
}

QModelIndex SubscriptionFilterProxy::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex SubscriptionFilterProxy::parent(const QModelIndex &) const
{
    return {};
}

QModelIndex SubscriptionFilterProxy::sibling(int row, int column, const QModelIndex &) const
{
    return index(row, column);
}

int SubscriptionFilterProxy::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_proxyToSource.size());
}

int SubscriptionFilterProxy::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !sourceModel() ? 0 : sourceModel()->columnCount();
}

bool SubscriptionFilterProxy::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && rowCount() > 0;
}

bool SubscriptionFilterProxy::matches(int sourceRow) const
{
    if (m_needle.isEmpty())
        return true;
    if (m_searchable)
        return m_searchable->searchText(sourceRow).contains(m_needle);
    const QAbstractItemModel *source = sourceModel();
    const QVariant text = source->index(sourceRow, 0).data(SubscriptionTableModel::SearchTextRole);
    if (text.isValid())
        return text.toString().contains(m_needle, Qt::CaseInsensitive);
    for (int column = 0; column < source->columnCount(); ++column) {
        if (source->index(sourceRow, column).data().toString().contains(m_needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

int SubscriptionFilterProxy::compareKeys(int left, int right) const
{
    if (m_subscriptions) {
        switch (SubscriptionTableModel::Column(m_sortColumn)) {
        case SubscriptionTableModel::Column::UserId:
            return compareIds(m_subscriptions->row(left).userId, m_subscriptions->row(right).userId);
        case SubscriptionTableModel::Column::Username:
            return m_subscriptions->usernameKey(left).compare(m_subscriptions->usernameKey(right));
        case SubscriptionTableModel::Column::Name:
            return m_subscriptions->nameKey(left).compare(m_subscriptions->nameKey(right));
        case SubscriptionTableModel::Column::Count:
            break;
        }
        return 0;
    }
    const QAbstractItemModel *source = sourceModel();
    return compareValues(source->index(left, m_sortColumn).data(SubscriptionTableModel::SortRole),
                         source->index(right, m_sortColumn).data(SubscriptionTableModel::SortRole));
}

bool SubscriptionFilterProxy::ordered(int left, int right) const
{
    if (m_sortColumn >= 0) {
        const int order = compareKeys(left, right);
        if (order != 0)
            return m_sortOrder == Qt::AscendingOrder ? order < 0 : order > 0;
    }
    return left < right; // equal keys keep the source order, so the result is stable
}

void SubscriptionFilterProxy::ensureOrder()
{
    if (m_sortColumn < 0 || !sourceModel()) {
        m_order.clear();
        m_orderDirty = false;
        return;
    }
    const int count = sourceModel()->rowCount();
    if (!m_orderDirty && m_order.size() == count)
        return;
    m_order.resize(count);
    std::iota(m_order.begin(), m_order.end(), 0);
    const auto column = SubscriptionTableModel::Column(m_sortColumn);
    if (m_subscriptions && column != SubscriptionTableModel::Column::UserId) {
        // Cut the keys out once instead of twice per comparison.
        std::vector<QStringView> keys;
        keys.resize(size_t(count));
        for (int row = 0; row < count; ++row) {
            keys[size_t(row)] = column == SubscriptionTableModel::Column::Name
                ? m_subscriptions->nameKey(row)
                : m_subscriptions->usernameKey(row);
        }
        const bool ascending = m_sortOrder == Qt::AscendingOrder;
        std::sort(m_order.begin(), m_order.end(), [&keys, ascending](int a, int b) {
            const int order = keys[size_t(a)].compare(keys[size_t(b)]);
            if (order != 0)
                return ascending ? order < 0 : order > 0;
            return a < b;
        });
    } else if (!m_subscriptions) {
        // Any other source (the X Activity subscriptions): each row's SortRole value read once,
        // not twice per comparison (75,000 rows: about 2.5 million data() calls saved).
        const QAbstractItemModel *source = sourceModel();
        std::vector<QVariant> keys(static_cast<size_t>(count));
        for (int row = 0; row < count; ++row)
            keys[size_t(row)] = source->index(row, m_sortColumn).data(SubscriptionTableModel::SortRole);
        const bool ascending = m_sortOrder == Qt::AscendingOrder;
        std::sort(m_order.begin(), m_order.end(), [&keys, ascending](int a, int b) {
            const int order = compareValues(keys[size_t(a)], keys[size_t(b)]);
            if (order != 0)
                return ascending ? order < 0 : order > 0;
            return a < b;
        });
    } else {
        std::sort(m_order.begin(), m_order.end(), [this](int a, int b) { return ordered(a, b); });
    }
    m_orderDirty = false;
}

QList<int> SubscriptionFilterProxy::filteredRows(bool onlyVisible)
{
    QList<int> rows;
    if (!sourceModel())
        return rows;
    const int count = sourceModel()->rowCount();
    // Match in source order, which reads the rows front to back (a sorted walk would jump around
    // the heap and miss the cache on every row), then pick the matches in display order.
    // When the new text extends the old one, only rows that pass now can pass then.
    std::vector<bool> keep(size_t(count), false);
    int kept = 0;
    for (int row = 0; row < count; ++row) {
        if (onlyVisible && m_sourceToProxy.value(row, -1) < 0)
            continue;
        if (matches(row)) {
            keep[size_t(row)] = true;
            ++kept;
        }
    }
    rows.reserve(kept);
    if (onlyVisible) {
        for (int row : std::as_const(m_proxyToSource)) {
            if (keep[size_t(row)])
                rows.append(row);
        }
    } else if (m_sortColumn >= 0) {
        ensureOrder();
        for (int row : std::as_const(m_order)) {
            if (keep[size_t(row)])
                rows.append(row);
        }
    } else {
        for (int row = 0; row < count; ++row) {
            if (keep[size_t(row)])
                rows.append(row);
        }
    }
    return rows;
}

void SubscriptionFilterProxy::rebuildSourceToProxy()
{
    const int count = sourceModel() ? sourceModel()->rowCount() : 0;
    m_sourceToProxy.fill(-1, count);
    for (int i = 0; i < int(m_proxyToSource.size()); ++i)
        m_sourceToProxy[m_proxyToSource.at(i)] = i;
}

void SubscriptionFilterProxy::resetAll()
{
    beginResetModel();
    m_unsortedRows.clear();
    m_orderDirty = true;
    m_proxyToSource = filteredRows(false);
    rebuildSourceToProxy();
    endResetModel();
}

void SubscriptionFilterProxy::setFilterText(const QString &text)
{
    if (text == m_filterText)
        return;
    const QString needle = text.trimmed().toCaseFolded();
    const bool narrowing = needle.contains(m_needle);
    m_filterText = text;
    if (needle == m_needle)
        return;
    m_needle = needle;
    if (narrowing)
        resortChangedRows(); // narrowing keeps the current order, so it must be right
    // Compute first, then announce: the reset is what costs the views, so it happens once.
    QList<int> rows = filteredRows(narrowing);
    beginResetModel();
    m_proxyToSource = std::move(rows);
    rebuildSourceToProxy();
    endResetModel();
}

void SubscriptionFilterProxy::sort(int column, Qt::SortOrder order)
{
    if (column >= columnCount())
        column = -1;
    if (column == m_sortColumn && (column < 0 || order == m_sortOrder))
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList persistent = persistentIndexList();
    QList<int> persistentSource;
    persistentSource.reserve(persistent.size());
    for (const QModelIndex &index : persistent)
        persistentSource.append(m_proxyToSource.value(index.row(), -1));

    m_sortColumn = column;
    m_sortOrder = order;
    m_orderDirty = true;
    m_unsortedRows.clear(); // a full sort covers them
    ensureOrder();
    // Same rows, new order: walk the full order and keep the visible ones.
    QList<int> rows;
    rows.reserve(m_proxyToSource.size());
    if (m_sortColumn >= 0) {
        for (int row : std::as_const(m_order)) {
            if (m_sourceToProxy.at(row) >= 0)
                rows.append(row);
        }
    } else {
        rows = m_proxyToSource;
        std::sort(rows.begin(), rows.end());
    }
    m_proxyToSource = std::move(rows);
    rebuildSourceToProxy();

    QModelIndexList moved;
    moved.reserve(persistent.size());
    for (qsizetype i = 0; i < persistent.size(); ++i) {
        const int source = persistentSource.at(i);
        const int row = source < 0 ? -1 : m_sourceToProxy.at(source);
        moved.append(row < 0 ? QModelIndex() : index(row, persistent.at(i).column()));
    }
    changePersistentIndexList(persistent, moved);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void SubscriptionFilterProxy::removeProxyRows(const QList<int> &proxyRows)
{
    QList<std::pair<int, int>> ranges;
    forEachRange(proxyRows, [&ranges](int first, int last) { ranges.append({first, last}); });
    for (auto it = ranges.crbegin(); it != ranges.crend(); ++it) {
        beginRemoveRows({}, it->first, it->second);
        for (int row = it->first; row <= it->second; ++row)
            m_sourceToProxy[m_proxyToSource.at(row)] = -1;
        m_proxyToSource.remove(it->first, it->second - it->first + 1);
        for (int row = it->first; row < int(m_proxyToSource.size()); ++row)
            m_sourceToProxy[m_proxyToSource.at(row)] = row;
        endRemoveRows();
    }
}

void SubscriptionFilterProxy::insertSourceRow(int sourceRow)
{
    const auto position = std::lower_bound(m_proxyToSource.cbegin(), m_proxyToSource.cend(), sourceRow,
                                           [this](int a, int b) { return ordered(a, b); });
    const int row = int(position - m_proxyToSource.cbegin());
    beginInsertRows({}, row, row);
    m_proxyToSource.insert(row, sourceRow);
    for (int i = row; i < int(m_proxyToSource.size()); ++i)
        m_sourceToProxy[m_proxyToSource.at(i)] = i;
    endInsertRows();
}

void SubscriptionFilterProxy::forwardDataChanged(const QList<int> &proxyRows, int firstColumn, int lastColumn,
                                                 const QList<int> &roles)
{
    forEachRange(proxyRows, [&](int first, int last) {
        Q_EMIT dataChanged(index(first, firstColumn), index(last, lastColumn), roles);
    });
}

void SubscriptionFilterProxy::onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    resortChangedRows(); // while the row numbers still mean what they meant
    QList<int> proxyRows;
    for (int row = first; row <= last; ++row) {
        if (const int proxyRow = m_sourceToProxy.value(row, -1); proxyRow >= 0)
            proxyRows.append(proxyRow);
    }
    std::sort(proxyRows.begin(), proxyRows.end());
    qsizetype ranges = 0;
    forEachRange(proxyRows, [&ranges](int, int) { ++ranges; });
    if (ranges > kMaxRowSignals) {
        m_resetPending = true;
        beginResetModel();
        return;
    }
    // Hide the rows now, while the source still has them; renumbering waits for rowsRemoved.
    removeProxyRows(proxyRows);
}

void SubscriptionFilterProxy::onRowsRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    if (m_resetPending) {
        m_resetPending = false;
        m_unsortedRows.clear();
        m_orderDirty = true;
        m_proxyToSource = filteredRows(false);
        rebuildSourceToProxy();
        endResetModel();
        return;
    }
    const int count = last - first + 1;
    for (int &row : m_proxyToSource) {
        if (row > last)
            row -= count;
    }
    if (!m_order.isEmpty() && !m_orderDirty) {
        m_order.removeIf([first, last](int row) { return row >= first && row <= last; });
        for (int &row : m_order) {
            if (row > last)
                row -= count;
        }
    }
    rebuildSourceToProxy();
}

void SubscriptionFilterProxy::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    const int count = last - first + 1;
    for (int &row : m_proxyToSource) {
        if (row >= first)
            row += count;
    }
    for (int &row : m_unsortedRows) {
        if (row >= first)
            row += count;
    }
    m_orderDirty = true; // recomputed when a full pass needs it
    rebuildSourceToProxy();
    resortChangedRows(); // insertion below needs the visible rows in order

    QList<int> accepted;
    for (int row = first; row <= last; ++row) {
        if (matches(row))
            accepted.append(row);
    }
    if (accepted.isEmpty())
        return;
    if (m_sortColumn < 0) {
        // Source order: the new rows are one block at the position of the first of them.
        const auto position = std::lower_bound(m_proxyToSource.cbegin(), m_proxyToSource.cend(), first);
        const int at = int(position - m_proxyToSource.cbegin());
        beginInsertRows({}, at, at + int(accepted.size()) - 1);
        m_proxyToSource.insert(at, accepted.size(), 0);
        std::copy(accepted.cbegin(), accepted.cend(), m_proxyToSource.begin() + at);
        for (int i = at; i < int(m_proxyToSource.size()); ++i)
            m_sourceToProxy[m_proxyToSource.at(i)] = i;
        endInsertRows();
        return;
    }
    if (accepted.size() > kMaxRowSignals) {
        resetAll();
        return;
    }
    for (int row : std::as_const(accepted))
        insertSourceRow(row);
}

void SubscriptionFilterProxy::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                            const QList<int> &roles)
{
    if (!topLeft.isValid() || topLeft.parent().isValid())
        return;
    const int first = topLeft.row();
    const int last = bottomRight.row();
    const bool sortAffected = m_sortColumn >= topLeft.column() && m_sortColumn <= bottomRight.column();
    const bool filterAffected = !m_needle.isEmpty();

    QList<int> leaving; // proxy rows
    QList<int> entering; // source rows
    QList<int> staying; // source rows
    for (int row = first; row <= last; ++row) {
        const bool wasIn = m_sourceToProxy.value(row, -1) >= 0;
        const bool nowIn = filterAffected ? matches(row) : wasIn;
        if (wasIn && !nowIn)
            leaving.append(m_sourceToProxy.at(row));
        else if (!wasIn && nowIn)
            entering.append(row);
        else if (wasIn)
            staying.append(row);
    }
    if (leaving.size() + entering.size() > kMaxRowSignals) {
        resetAll();
        return;
    }
    std::sort(leaving.begin(), leaving.end());
    removeProxyRows(leaving);
    // While a re-sort is pending these land near, not exactly at, their place; the re-sort fixes that.
    for (int row : std::as_const(entering))
        insertSourceRow(row);

    QList<int> changed;
    changed.reserve(staying.size());
    for (int row : std::as_const(staying))
        changed.append(m_sourceToProxy.at(row));
    std::sort(changed.begin(), changed.end());
    forwardDataChanged(changed, topLeft.column(), bottomRight.column(), roles);

    if (sortAffected) {
        // A source often changes many rows and then reports them range by range, so the keys of
        // rows not reported yet are already new: moving rows now would merge into a list that is
        // not sorted. Collect them and re-sort once, on the next pass of the event loop.
        m_orderDirty = true;
        m_unsortedRows.append(staying);
        m_unsortedRows.append(entering);
        if (!m_resortQueued) {
            m_resortQueued = true;
            QMetaObject::invokeMethod(this, &SubscriptionFilterProxy::resortChangedRows,
                                      Qt::QueuedConnection);
        }
    }
}

void SubscriptionFilterProxy::resortChangedRows()
{
    m_resortQueued = false;
    if (m_unsortedRows.isEmpty())
        return;
    QList<int> moving = std::exchange(m_unsortedRows, {});
    if (m_sortColumn < 0)
        return;
    std::sort(moving.begin(), moving.end());
    moving.erase(std::unique(moving.begin(), moving.end()), moving.end());
    moving.removeIf([this](int row) { return m_sourceToProxy.value(row, -1) < 0; });
    if (moving.isEmpty())
        return;

    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList persistent = persistentIndexList();
    QList<int> persistentSource;
    persistentSource.reserve(persistent.size());
    for (const QModelIndex &index : persistent)
        persistentSource.append(m_proxyToSource.value(index.row(), -1));

    // Rows whose keys did not change are still in order among themselves: merge the others in.
    QList<int> rest;
    rest.reserve(m_proxyToSource.size());
    for (int row : std::as_const(m_proxyToSource)) {
        if (!std::binary_search(moving.cbegin(), moving.cend(), row))
            rest.append(row);
    }
    auto byOrder = [this](int a, int b) { return ordered(a, b); };
    std::sort(moving.begin(), moving.end(), byOrder);
    QList<int> merged(rest.size() + moving.size());
    std::merge(rest.cbegin(), rest.cend(), moving.cbegin(), moving.cend(), merged.begin(), byOrder);
    m_proxyToSource = std::move(merged);
    rebuildSourceToProxy();

    QModelIndexList moved;
    moved.reserve(persistent.size());
    for (qsizetype i = 0; i < persistent.size(); ++i) {
        const int source = persistentSource.at(i);
        const int row = source < 0 ? -1 : m_sourceToProxy.at(source);
        moved.append(row < 0 ? QModelIndex() : index(row, persistent.at(i).column()));
    }
    changePersistentIndexList(persistent, moved);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

} // namespace activity
