#include "EventFilterProxy.h"

#include "EventTableModel.h"

#include <algorithm>
#include <numeric>

namespace activity {

EventFilterProxy::EventFilterProxy(QObject *parent)
    : QAbstractProxyModel(parent)
{
}

void EventFilterProxy::setSourceModel(QAbstractItemModel *source)
{
    beginResetModel();
    for (const auto &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    QAbstractProxyModel::setSourceModel(source);
    m_events = qobject_cast<EventTableModel *>(source);
    if (m_events) {
        using Source = QAbstractItemModel;
        auto beginReset = [this] { beginResetModel(); };
        auto endReset = [this] {
            refreshTables(true);
            m_rows = filteredRows(false);
            endResetModel();
        };
        // Whatever this proxy does not map row by row becomes a reset.
        m_connections << connect(source, &Source::modelAboutToBeReset, this, beginReset)
                      << connect(source, &Source::modelReset, this, endReset)
                      << connect(source, &Source::layoutAboutToBeChanged, this, beginReset)
                      << connect(source, &Source::layoutChanged, this, endReset)
                      << connect(source, &Source::rowsAboutToBeMoved, this, beginReset)
                      << connect(source, &Source::rowsMoved, this, endReset)
                      << connect(source, &Source::rowsAboutToBeRemoved, this,
                                 &EventFilterProxy::onRowsAboutToBeRemoved)
                      << connect(source, &Source::rowsRemoved, this, &EventFilterProxy::onRowsRemoved)
                      << connect(source, &Source::rowsInserted, this, &EventFilterProxy::onRowsInserted)
                      << connect(source, &Source::dataChanged, this, &EventFilterProxy::onDataChanged)
                      << connect(source, &Source::headerDataChanged, this,
                                 [this](Qt::Orientation orientation, int first, int last) {
                                     if (orientation == Qt::Horizontal)
                                         Q_EMIT headerDataChanged(orientation, first, last);
                                 })
                      << connect(source, &QObject::destroyed, this, [this] {
                             beginResetModel();
                             m_rows.clear();
                             endResetModel();
                         });
    }
    refreshTables(true);
    m_rows = filteredRows(false);
    endResetModel();
}

QModelIndex EventFilterProxy::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || !m_events || proxyIndex.row() >= m_rows.size())
        return {};
    return m_events->index(m_rows.at(proxyIndex.row()), proxyIndex.column());
}

int EventFilterProxy::proxyLowerBound(int sourceRow) const
{
    return int(std::lower_bound(m_rows.cbegin(), m_rows.cend(), sourceRow) - m_rows.cbegin());
}

QModelIndex EventFilterProxy::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || !m_events || sourceIndex.model() != m_events ||
        sourceIndex.parent().isValid())
        return {};
    // Both lists are in source order: a binary search, no reverse map to keep up to date.
    const int row = proxyLowerBound(sourceIndex.row());
    if (row >= m_rows.size() || m_rows.at(row) != sourceIndex.row())
        return {};
    return createIndex(row, sourceIndex.column());
}

QModelIndex EventFilterProxy::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex EventFilterProxy::parent(const QModelIndex &) const
{
    return {};
}

QModelIndex EventFilterProxy::sibling(int row, int column, const QModelIndex &) const
{
    return index(row, column);
}

int EventFilterProxy::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventFilterProxy::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_events ? 0 : m_events->columnCount();
}

bool EventFilterProxy::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && rowCount() > 0;
}

void EventFilterProxy::refreshTables(bool all)
{
    if (!m_events)
        return;
    auto fill = [all](std::vector<char> &table, int size, auto pass) {
        const int from = all ? 0 : qMin(int(table.size()), size);
        table.resize(size_t(size));
        for (int i = from; i < size; ++i)
            table[size_t(i)] = pass(i) ? 1 : 0;
    };
    const bool text = !m_needle.isEmpty();
    fill(m_typeAllowed, m_events->typeCount(),
         [this](int i) { return m_typeSet.isEmpty() || m_typeSet.contains(m_events->typeName(i)); });
    fill(m_typeText, m_events->typeCount(),
         [&](int i) { return text && m_events->typeSearchText(i).contains(m_needle); });
    fill(m_accountText, m_events->accountCount(),
         [&](int i) { return text && i > 0 && m_events->accountSearchText(i).contains(m_needle); });
    fill(m_tagText, m_events->tagCount(),
         [&](int i) { return text && i > 0 && m_events->tagSearchText(i).contains(m_needle); });
    fill(m_sourceText, EventTableModel::sourceCount,
         [&](int i) { return text && EventTableModel::sourceSearchText(i).contains(m_needle); });
    if (all || m_accountEntry < 0)
        m_accountEntry = m_account.isEmpty() ? -1 : m_events->accountIndexOf(m_account);
}

bool EventFilterProxy::matches(int row) const
{
    const int type = m_events->typeOf(row);
    if (!m_typeAllowed[size_t(type)])
        return false;
    const int account = m_events->accountOf(row);
    if (!m_account.isEmpty() && account != m_accountEntry)
        return false;
    if (m_needle.isEmpty())
        return true;
    return m_typeText[size_t(type)] || m_accountText[size_t(account)] ||
        m_tagText[size_t(m_events->tagOf(row))] || m_sourceText[size_t(m_events->sourceOf(row))] ||
        m_matcher.indexIn(m_events->idSearchText(row)) >= 0;
}

QList<int> EventFilterProxy::filteredRows(bool onlyVisible) const
{
    QList<int> rows;
    if (!m_events)
        return rows;
    if (onlyVisible) {
        rows.reserve(m_rows.size());
        for (int row : m_rows) {
            if (matches(row))
                rows.append(row);
        }
        return rows;
    }
    const int count = m_events->rowCount();
    if (!isFiltering()) {
        rows.resize(count);
        std::iota(rows.begin(), rows.end(), 0);
        return rows;
    }
    for (int row = 0; row < count; ++row) {
        if (matches(row))
            rows.append(row);
    }
    return rows;
}

void EventFilterProxy::applyFilter(bool onlyVisible)
{
    refreshTables(true);
    // Compute first, then announce: the reset is what costs the views, so it happens once.
    QList<int> rows = filteredRows(onlyVisible);
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void EventFilterProxy::resetAll()
{
    applyFilter(false);
}

void EventFilterProxy::setTypes(const QStringList &types)
{
    const QSet<QString> set(types.cbegin(), types.cend());
    if (set == m_typeSet)
        return;
    // Fewer types than before: only the visible rows can pass.
    const bool narrowing = !set.isEmpty() && (m_typeSet.isEmpty() || m_typeSet.contains(set));
    m_types = types;
    m_typeSet = set;
    applyFilter(narrowing);
}

void EventFilterProxy::setAccount(const QString &accountId)
{
    if (accountId == m_account)
        return;
    const bool narrowing = m_account.isEmpty();
    m_account = accountId;
    applyFilter(narrowing);
}

void EventFilterProxy::setFilterText(const QString &text)
{
    if (text == m_filterText)
        return;
    m_filterText = text;
    const QString needle = text.trimmed().toCaseFolded();
    if (needle == m_needle)
        return;
    // A longer text only passes rows the shorter one did.
    const bool narrowing = needle.contains(m_needle);
    m_needle = needle;
    m_matcher.setPattern(m_needle);
    applyFilter(narrowing);
}

void EventFilterProxy::onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    // Visible rows are in source order, so the rows going are one block here too. They leave now,
    // while the source still has them; the renumbering waits for rowsRemoved.
    const int from = proxyLowerBound(first);
    const int to = proxyLowerBound(last + 1);
    if (from >= to)
        return;
    beginRemoveRows({}, from, to - 1);
    m_rows.remove(from, to - from);
    endRemoveRows();
}

void EventFilterProxy::onRowsRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    const int count = last - first + 1;
    for (qsizetype i = proxyLowerBound(first); i < m_rows.size(); ++i)
        m_rows[i] -= count;
}

void EventFilterProxy::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || !m_events)
        return;
    const int count = last - first + 1;
    const int at = proxyLowerBound(first);
    for (qsizetype i = at; i < m_rows.size(); ++i)
        m_rows[i] += count;
    refreshTables(false); // the new rows may bring new types, accounts, tags
    QList<int> accepted;
    for (int row = first; row <= last; ++row) {
        if (matches(row))
            accepted.append(row);
    }
    if (accepted.isEmpty())
        return;
    beginInsertRows({}, at, at + int(accepted.size()) - 1);
    m_rows.insert(at, accepted.size(), 0);
    std::copy(accepted.cbegin(), accepted.cend(), m_rows.begin() + at);
    endInsertRows();
}

void EventFilterProxy::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                     const QList<int> &roles)
{
    if (!topLeft.isValid() || topLeft.parent().isValid() || !m_events)
        return;
    const int first = topLeft.row();
    const int last = bottomRight.row();
    const int accountColumn = int(EventTableModel::Column::Account);
    if (topLeft.column() <= accountColumn && bottomRight.column() >= accountColumn) {
        // Names arrived: an account's search text changed, and with it what the text matches.
        refreshTables(true);
        if (!m_needle.isEmpty()) {
            for (int row = first; row <= last; ++row) {
                const int at = proxyLowerBound(row);
                const bool shown = at < m_rows.size() && m_rows.at(at) == row;
                if (shown != matches(row)) {
                    resetAll();
                    return;
                }
            }
        }
    }
    const int from = proxyLowerBound(first);
    const int to = proxyLowerBound(last + 1);
    if (from < to)
        Q_EMIT dataChanged(index(from, topLeft.column()), index(to - 1, bottomRight.column()), roles);
}

} // namespace activity
