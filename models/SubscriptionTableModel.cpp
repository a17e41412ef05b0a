#include "SubscriptionTableModel.h"

#include "Csv.h"
#include "RowRanges.h"
#include "UserCache.h"

#include <QSet>

#include <algorithm>

namespace activity {

using rowranges::forEachRange;

SubscriptionTableModel::SubscriptionTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int SubscriptionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SubscriptionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant SubscriptionTableModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Row &row = m_rows.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::UserId:
            return row.fields.userId;
        case Column::Username:
            return row.fields.username.isEmpty() ? QString() : QLatin1Char('@') + row.fields.username;
        case Column::Name:
            if (row.state == NameState::NotFound)
                return tr("(not found)");
            return row.fields.name;
        case Column::Count:
            break;
        }
        break;
    case SortRole:
        switch (column) {
        case Column::UserId: {
            bool ok = false;
            const qulonglong number = row.fields.userId.toULongLong(&ok);
            return ok ? QVariant(number) : QVariant(row.fields.userId);
        }
        case Column::Username:
            return row.fields.username;
        case Column::Name:
            return row.fields.name;
        case Column::Count:
            break;
        }
        break;
    case Qt::ToolTipRole:
        if (row.state == NameState::NotFound)
            return tr("X returned no user for this id: the account is probably suspended or deleted.");
        if (row.state == NameState::Unresolved && column != Column::UserId)
            return tr("Not looked up yet.");
        break;
    case UserIdRole:
        return row.fields.userId;
    case SearchTextRole:
        return row.searchText;
    case NameStateRole:
        return int(row.state);
    default:
        break;
    }
    return {};
}

QVariant SubscriptionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::UserId:
        return tr("User id");
    case Column::Username:
        return tr("Username");
    case Column::Name:
        return tr("Name");
    case Column::Count:
        break;
    }
    return {};
}

void SubscriptionTableModel::fill(Row &row, const UserInfo &user)
{
    row.fields.username = user.username;
    row.fields.name = user.name;
    row.state = NameState::Resolved;
    // Folded part by part, so that the sort keys can be cut out of the search string again.
    const QString username = user.username.toCaseFolded();
    row.searchText =
        row.fields.userId + QLatin1String(" @") + username + QLatin1Char(' ') + user.name.toCaseFolded();
    row.usernameKeyLength = int(username.size());
}

QStringView SubscriptionTableModel::usernameKey(int row) const
{
    const Row &r = m_rows.at(row);
    if (r.state != NameState::Resolved)
        return {};
    return QStringView(r.searchText).mid(r.fields.userId.size() + 2, r.usernameKeyLength);
}

QStringView SubscriptionTableModel::nameKey(int row) const
{
    const Row &r = m_rows.at(row);
    if (r.state != NameState::Resolved)
        return {};
    return QStringView(r.searchText).mid(r.fields.userId.size() + 2 + r.usernameKeyLength + 1);
}

void SubscriptionTableModel::setUserIds(const QStringList &userIds, const UserCache *cache)
{
    beginResetModel();
    m_rows.clear();
    m_rowOfId.clear();
    m_rows.reserve(userIds.size());
    m_rowOfId.reserve(userIds.size());
    m_firstUnresolved = 0;
    for (const QString &id : userIds) {
        if (id.isEmpty())
            continue;
        // One hash probe both checks for a repeat and records the row.
        const qsizetype known = m_rowOfId.size();
        int &slot = m_rowOfId[id];
        if (m_rowOfId.size() == known)
            continue;
        slot = int(m_rows.size());
        Row row;
        row.fields.userId = id;
        row.searchText = id;
        if (cache) {
            if (const auto user = cache->value(id))
                fill(row, *user);
            else if (cache->isNotFound(id))
                row.state = NameState::NotFound;
        }
        m_rows.append(std::move(row));
    }
    endResetModel();
}

void SubscriptionTableModel::addUserIds(const QStringList &userIds, const UserCache *cache)
{
    QList<Row> added;
    QSet<QString> seen;
    for (const QString &id : userIds) {
        if (id.isEmpty() || m_rowOfId.contains(id) || seen.contains(id))
            continue;
        seen.insert(id);
        Row row;
        row.fields.userId = id;
        row.searchText = id;
        if (cache) {
            if (const auto user = cache->value(id))
                fill(row, *user);
            else if (cache->isNotFound(id))
                row.state = NameState::NotFound;
        }
        added.append(std::move(row));
    }
    if (added.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (Row &row : added) {
        m_rowOfId.insert(row.fields.userId, int(m_rows.size()));
        m_rows.append(std::move(row));
    }
    endInsertRows();
}

void SubscriptionTableModel::applyUsers(const QList<UserInfo> &users)
{
    QList<int> changed;
    changed.reserve(users.size());
    for (const UserInfo &user : users) {
        const int row = rowOf(user.id);
        if (row < 0)
            continue;
        Row &target = m_rows[row];
        if (target.state == NameState::Resolved && target.fields.username == user.username &&
            target.fields.name == user.name)
            continue;
        fill(target, user);
        changed.append(row);
    }
    if (changed.isEmpty())
        return;
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    forEachRange(changed, [this](int first, int last) {
        Q_EMIT dataChanged(index(first, int(Column::Username)), index(last, int(Column::Name)));
    });
}

void SubscriptionTableModel::markNotFound(const QStringList &userIds)
{
    QList<int> changed;
    for (const QString &id : userIds) {
        const int row = rowOf(id);
        if (row < 0 || m_rows.at(row).state != NameState::Unresolved)
            continue;
        m_rows[row].state = NameState::NotFound;
        changed.append(row);
    }
    if (changed.isEmpty())
        return;
    std::sort(changed.begin(), changed.end());
    forEachRange(changed, [this](int first, int last) {
        Q_EMIT dataChanged(index(first, int(Column::Username)), index(last, int(Column::Name)));
    });
}

void SubscriptionTableModel::removeUserIds(const QStringList &userIds)
{
    const QList<int> rows = rowranges::rowsOf(userIds, [this](const QString &id) { return rowOf(id); });
    if (rows.isEmpty())
        return;
    rowranges::removeRows(
        m_rows, rows, [this](int first, int last) { beginRemoveRows({}, first, last); },
        [this] { endRemoveRows(); }, [this] { beginResetModel(); }, [this] { endResetModel(); });
    rebuildIndex();
}

void SubscriptionTableModel::clear()
{
    setUserIds({});
}

void SubscriptionTableModel::rebuildIndex()
{
    m_rowOfId.clear();
    m_rowOfId.reserve(m_rows.size());
    for (int i = 0; i < int(m_rows.size()); ++i)
        m_rowOfId.insert(m_rows.at(i).fields.userId, i);
    m_firstUnresolved = 0;
}

QStringList SubscriptionTableModel::userIdsWithoutNames(int max) const
{
    QStringList ids;
    bool allBeforeResolved = true;
    for (int i = m_firstUnresolved; i < int(m_rows.size()) && ids.size() < max; ++i) {
        if (m_rows.at(i).state != NameState::Unresolved) {
            if (allBeforeResolved)
                m_firstUnresolved = i + 1;
            continue;
        }
        allBeforeResolved = false;
        ids.append(m_rows.at(i).fields.userId);
    }
    return ids;
}

QStringList SubscriptionTableModel::userIds() const
{
    QStringList ids;
    ids.reserve(m_rows.size());
    for (const Row &row : m_rows)
        ids.append(row.fields.userId);
    return ids;
}

bool SubscriptionTableModel::exportCsv(QIODevice *device) const
{
    if (!device || !device->isWritable())
        return false;
    constexpr qsizetype kChunk = 64 * 1024;
    QByteArray buffer =
        csv::row({QStringLiteral("user_id"), QStringLiteral("username"), QStringLiteral("name")});
    for (const Row &row : m_rows) {
        buffer += csv::row({row.fields.userId, row.fields.username, row.fields.name});
        if (buffer.size() >= kChunk) {
            if (device->write(buffer) != buffer.size())
                return false;
            buffer.clear();
        }
    }
    return buffer.isEmpty() || device->write(buffer) == buffer.size();
}

} // namespace activity
