#pragma once

#include "ApiTypes.h"
#include "SearchTextSource.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QIODevice>
#include <QStringList>

namespace activity {

class UserCache;

// The app's X Activity API subscriptions (x-api-2026.md §4): up to the tier's limit (Partner:
// 100,000s), loaded a page of 1,000 at a time. Built for that size: a page is one
// beginInsertRows, an id→row hash for updates and removals, and a precomputed case-folded search
// string per row, so that the filter proxy (SubscriptionFilterProxy, which reads SearchTextRole)
// never builds display text while a person types. A filter's user id is shown as @username once
// the UserCache knows it (applyUsers() after a lookup), the id until then.
class ActivitySubscriptionTableModel : public QAbstractTableModel, public SearchTextSource
{
    Q_OBJECT
public:
    enum class Column { EventType, Filter, Tag, Webhook, Created, Updated, Count };
    enum Role {
        SubscriptionIdRole = Qt::UserRole,
        SortRole = Qt::UserRole + 1, // the same value as in every model here
        // Case-folded "id event filter tag webhook"; the same value as
        // SubscriptionTableModel::SearchTextRole, which SubscriptionFilterProxy matches on.
        SearchTextRole = Qt::UserRole + 3,
    };

    explicit ActivitySubscriptionTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Appends a page (one beginInsertRows). Subscriptions already listed are updated in place
    // instead, so a page that overlaps a create made meanwhile does not list it twice.
    void appendPage(const QList<ActivitySubscription> &page, const UserCache *cache = nullptr);
    // Adds a new subscription at the end, or replaces the row with its id (after create, update).
    void upsert(const ActivitySubscription &subscription, const UserCache *cache = nullptr);
    // Removes the rows of these ids; unknown ids are ignored.
    void remove(const QStringList &subscriptionIds);
    void clear();
    // Shows @username for filters on these users.
    void applyUsers(const QList<UserInfo> &users);
    // The user ids in filters that are not shown by name yet, each once, in row order.
    QStringList userIdsWithoutNames() const;

    int rowOf(const QString &subscriptionId) const { return m_rowOfId.value(subscriptionId, -1); }
    const ActivitySubscription &subscription(int row) const { return m_rows.at(row).subscription; }
    // "@alice", "keyword \"launch\"", "inbound", joined by ", "; empty for filter:{}.
    const QString &filterText(int row) const { return m_rows.at(row).filterText; }
    const QString &searchText(int row) const override { return m_rows.at(row).searchText; }
    QStringList subscriptionIds() const;

    static QString webhookText(const QString &webhookId);

    // Writes all rows as CSV (RFC 4180, UTF-8, CRLF; header
    // "subscription_id,event_type,user_id,username,keyword,direction,tag,webhook_id,created_at,updated_at")
    // with the formula guard of csv::field(). False when the device is not writable or a write failed.
    bool exportCsv(QIODevice *device) const;

private:
    struct Row
    {
        ActivitySubscription subscription;
        QString username; // the filter's user, without @, once known
        QString filterText;
        QString searchText;
    };

    Row makeRow(const ActivitySubscription &subscription, const UserCache *cache);
    static void describe(Row &row);
    void rebuildIndex();

    QList<Row> m_rows;
    QHash<QString, int> m_rowOfId;
    QMultiHash<QString, int> m_rowsOfUser; // filter user id → rows, for names as they arrive
    // One shared copy of each webhook id: 75,000 rows name a handful of webhooks.
    QHash<QString, QString> m_webhookIds;
};

} // namespace activity
