#include "ActivitySubscriptionTableModel.h"

#include "ActivityEventTypes.h"
#include "ActivitySubscriptions.h"
#include "Csv.h"
#include "RowRanges.h"
#include "SubscriptionTableModel.h"
#include "UserCache.h"

#include <QSet>

#include <algorithm>

namespace activity {

// One role contract for both subscription tables, so one filter proxy serves them.
static_assert(int(ActivitySubscriptionTableModel::SearchTextRole) ==
              int(SubscriptionTableModel::SearchTextRole));
static_assert(int(ActivitySubscriptionTableModel::SortRole) == int(SubscriptionTableModel::SortRole));

namespace {
QString timeText(const QDateTime &utc)
{
    return utc.isValid() ? utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
}

} // namespace

using rowranges::forEachRange;

ActivitySubscriptionTableModel::ActivitySubscriptionTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int ActivitySubscriptionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ActivitySubscriptionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QString ActivitySubscriptionTableModel::webhookText(const QString &webhookId)
{
    return webhookId.isEmpty() ? tr("Stream only") : webhookId;
}

void ActivitySubscriptionTableModel::describe(Row &row)
{
    const ActivitySubscription &s = row.subscription;
    row.filterText = xaa::filterText(s.filter, row.username);
    // The id too, so that a pasted subscription id finds its row.
    QString search = s.id + QLatin1Char(' ') + s.eventType + QLatin1Char(' ') + row.filterText;
    if (!row.username.isEmpty())
        search += QLatin1Char(' ') + s.filter.userId; // the id still matches once the name shows
    search += QLatin1Char(' ') + s.tag + QLatin1Char(' ') + webhookText(s.webhookId);
    row.searchText = search.toCaseFolded();
}

ActivitySubscriptionTableModel::Row
ActivitySubscriptionTableModel::makeRow(const ActivitySubscription &subscription, const UserCache *cache)
{
    Row row;
    row.subscription = subscription;
    // Each parsed row has its own copies of strings most rows repeat; share one instead (about
    // 100 bytes a row): the event type table's name, and the first copy of each webhook id.
    if (const xaa::EventType *type = xaa::findEventType(subscription.eventType);
        type && type->name == subscription.eventType)
        row.subscription.eventType = type->name;
    if (!subscription.webhookId.isEmpty()) {
        const auto known = m_webhookIds.constFind(subscription.webhookId);
        if (known != m_webhookIds.cend())
            row.subscription.webhookId = *known;
        else
            m_webhookIds.insert(subscription.webhookId, subscription.webhookId);
    }
    if (cache && !subscription.filter.userId.isEmpty()) {
        if (const auto user = cache->value(subscription.filter.userId))
            row.username = user->username;
    }
    describe(row);
    return row;
}

QVariant ActivitySubscriptionTableModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Row &row = m_rows.at(index.row());
    const ActivitySubscription &s = row.subscription;
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::EventType:
            return s.eventType;
        case Column::Filter:
            return row.filterText;
        case Column::Tag:
            return s.tag;
        case Column::Webhook:
            return webhookText(s.webhookId);
        case Column::Created:
            return timeText(s.createdAt);
        case Column::Updated:
            return timeText(s.updatedAt);
        case Column::Count:
            break;
        }
        break;
    case SortRole:
        switch (column) {
        case Column::EventType:
            return s.eventType;
        case Column::Filter:
            return row.filterText;
        case Column::Tag:
            return s.tag;
        case Column::Webhook:
            return s.webhookId;
        case Column::Created:
            return s.createdAt;
        case Column::Updated:
            return s.updatedAt;
        case Column::Count:
            break;
        }
        break;
    case Qt::ToolTipRole:
        if (column == Column::Filter && !row.username.isEmpty())
            return tr("User id %1").arg(s.filter.userId);
        if (column == Column::Webhook && s.webhookId.isEmpty())
            return tr("Events are delivered on the activity stream only, not to a webhook.");
        if (column == Column::EventType)
            return tr("Subscription %1").arg(s.id);
        break;
    case SubscriptionIdRole:
        return s.id;
    case SearchTextRole:
        return row.searchText;
    default:
        break;
    }
    return {};
}

QVariant ActivitySubscriptionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::EventType:
        return tr("Event type");
    case Column::Filter:
        return tr("Filter");
    case Column::Tag:
        return tr("Tag");
    case Column::Webhook:
        return tr("Webhook");
    case Column::Created:
        return tr("Created");
    case Column::Updated:
        return tr("Updated");
    case Column::Count:
        break;
    }
    return {};
}

void ActivitySubscriptionTableModel::appendPage(const QList<ActivitySubscription> &page,
                                                const UserCache *cache)
{
    QList<Row> added;
    added.reserve(page.size());
    QSet<QString> seen;
    for (const ActivitySubscription &subscription : page) {
        if (subscription.id.isEmpty())
            continue;
        if (rowOf(subscription.id) >= 0) {
            upsert(subscription, cache); // rare: created while the list was loading
            continue;
        }
        if (seen.contains(subscription.id))
            continue;
        seen.insert(subscription.id);
        added.append(makeRow(subscription, cache));
    }
    if (added.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    m_rows.reserve(m_rows.size() + added.size());
    m_rowOfId.reserve(m_rows.size() + added.size());
    for (Row &row : added) {
        const int at = int(m_rows.size());
        m_rowOfId.insert(row.subscription.id, at);
        if (!row.subscription.filter.userId.isEmpty())
            m_rowsOfUser.insert(row.subscription.filter.userId, at);
        m_rows.append(std::move(row));
    }
    endInsertRows();
}

void ActivitySubscriptionTableModel::upsert(const ActivitySubscription &subscription, const UserCache *cache)
{
    if (subscription.id.isEmpty())
        return;
    Row row = makeRow(subscription, cache);
    const int existing = rowOf(subscription.id);
    if (existing >= 0) {
        if (row.username.isEmpty() &&
            m_rows.at(existing).subscription.filter.userId == subscription.filter.userId) {
            row.username = m_rows.at(existing).username; // a name found earlier stays
            describe(row);
        }
        const QString oldUser = m_rows.at(existing).subscription.filter.userId;
        if (oldUser != subscription.filter.userId) {
            // X does not change a filter, but a page may carry what this console never saw.
            if (!oldUser.isEmpty())
                m_rowsOfUser.remove(oldUser, existing);
            if (!subscription.filter.userId.isEmpty())
                m_rowsOfUser.insert(subscription.filter.userId, existing);
        }
        m_rows[existing] = std::move(row);
        Q_EMIT dataChanged(index(existing, 0), index(existing, int(Column::Count) - 1));
        return;
    }
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rowOfId.insert(subscription.id, at);
    if (!subscription.filter.userId.isEmpty())
        m_rowsOfUser.insert(subscription.filter.userId, at);
    m_rows.append(std::move(row));
    endInsertRows();
}

void ActivitySubscriptionTableModel::remove(const QStringList &subscriptionIds)
{
    const QList<int> rows =
        rowranges::rowsOf(subscriptionIds, [this](const QString &id) { return rowOf(id); });
    if (rows.isEmpty())
        return;
    rowranges::removeRows(
        m_rows, rows, [this](int first, int last) { beginRemoveRows({}, first, last); },
        [this] { endRemoveRows(); }, [this] { beginResetModel(); }, [this] { endResetModel(); });
    rebuildIndex();
}

void ActivitySubscriptionTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowOfId.clear();
    m_rowsOfUser.clear();
    m_webhookIds.clear();
    endResetModel();
}

void ActivitySubscriptionTableModel::applyUsers(const QList<UserInfo> &users)
{
    // Through the user index: a batch of 100 names touches its rows only, not all 75,000.
    QList<int> changed;
    for (const UserInfo &user : users) {
        if (user.username.isEmpty())
            continue;
        for (auto it = m_rowsOfUser.constFind(user.id); it != m_rowsOfUser.cend() && it.key() == user.id;
             ++it) {
            const int i = it.value();
            Row &row = m_rows[i];
            if (row.username == user.username)
                continue;
            row.username = user.username;
            describe(row);
            changed.append(i);
        }
    }
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    forEachRange(changed, [this](int first, int last) {
        Q_EMIT dataChanged(index(first, int(Column::Filter)), index(last, int(Column::Filter)));
    });
}

QStringList ActivitySubscriptionTableModel::userIdsWithoutNames() const
{
    QStringList ids;
    QSet<QString> seen;
    for (const Row &row : m_rows) {
        const QString &id = row.subscription.filter.userId;
        if (id.isEmpty() || !row.username.isEmpty() || seen.contains(id))
            continue;
        seen.insert(id);
        ids.append(id);
    }
    return ids;
}

QStringList ActivitySubscriptionTableModel::subscriptionIds() const
{
    QStringList ids;
    ids.reserve(m_rows.size());
    for (const Row &row : m_rows)
        ids.append(row.subscription.id);
    return ids;
}

void ActivitySubscriptionTableModel::rebuildIndex()
{
    m_rowOfId.clear();
    m_rowsOfUser.clear();
    m_rowOfId.reserve(m_rows.size());
    for (int i = 0; i < int(m_rows.size()); ++i) {
        const ActivitySubscription &s = m_rows.at(i).subscription;
        m_rowOfId.insert(s.id, i);
        if (!s.filter.userId.isEmpty())
            m_rowsOfUser.insert(s.filter.userId, i);
    }
}

bool ActivitySubscriptionTableModel::exportCsv(QIODevice *device) const
{
    if (!device || !device->isWritable())
        return false;
    constexpr qsizetype kChunk = 64 * 1024;
    auto iso = [](const QDateTime &utc) -> QString {
        return utc.isValid() ? utc.toUTC().toString(Qt::ISODate) : QString();
    };
    QByteArray buffer =
        csv::row({QStringLiteral("subscription_id"), QStringLiteral("event_type"), QStringLiteral("user_id"),
                  QStringLiteral("username"), QStringLiteral("keyword"), QStringLiteral("direction"),
                  QStringLiteral("tag"), QStringLiteral("webhook_id"), QStringLiteral("created_at"),
                  QStringLiteral("updated_at")});
    for (const Row &row : m_rows) {
        const ActivitySubscription &s = row.subscription;
        buffer += csv::row({s.id, s.eventType, s.filter.userId, row.username, s.filter.keyword,
                            s.filter.direction, s.tag, s.webhookId, iso(s.createdAt), iso(s.updatedAt)});
        if (buffer.size() >= kChunk) {
            if (device->write(buffer) != buffer.size())
                return false;
            buffer.clear();
        }
    }
    return buffer.isEmpty() || device->write(buffer) == buffer.size();
}

} // namespace activity
