#pragma once

#include "ApiTypes.h"
#include "SearchTextSource.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QIODevice>
#include <QStringList>

namespace activity {

class UserCache;

// One subscribed user of the selected webhook. Names are empty until a user lookup resolves them.
struct SubscriptionRow
{
    QString userId;
    QString username; // without the @
    QString name;
};

// The subscriptions of one webhook: up to 100,000s of rows, loaded as a list of ids and filled in
// with names as lookups of 100 ids come back. Built for that size: one reset to load, an id→row
// hash for updates, dataChanged per contiguous range, and a precomputed search string per row so
// that filtering never allocates.
class SubscriptionTableModel : public QAbstractTableModel, public SearchTextSource
{
    Q_OBJECT
public:
    enum class Column { UserId, Username, Name, Count };
    enum Role {
        SortRole = Qt::UserRole + 1, // UserId: the id as a number; Username, Name: the plain text
        UserIdRole,
        SearchTextRole, // case-folded "id @username name"; compare with a case-folded needle
        NameStateRole, // NameState as int
    };
    enum class NameState : quint8 {
        Unresolved, // not looked up yet
        Resolved,
        NotFound, // the lookup did not return this id: suspended or deleted
    };
    Q_ENUM(NameState)

    explicit SubscriptionTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Loads a webhook's list (one reset). Empty and repeated ids are skipped. With a cache, names
    // already known are filled in straight away, so switching webhooks shows names at once.
    void setUserIds(const QStringList &userIds, const UserCache *cache = nullptr);
    // Appends ids that are not in the list yet (after subscribing users).
    void addUserIds(const QStringList &userIds, const UserCache *cache = nullptr);
    // Fills in names of rows whose id is in `users`; ids that are not listed are ignored.
    void applyUsers(const QList<UserInfo> &users);
    // The lookup answered without these ids.
    void markNotFound(const QStringList &userIds);
    // Removes the rows of these ids (after unsubscribes). Unknown ids are ignored.
    void removeUserIds(const QStringList &userIds);
    void clear();

    // The next ids to look up, in row order, at most `max` (a lookup takes 100).
    QStringList userIdsWithoutNames(int max = 100) const;

    int rowOf(const QString &userId) const { return m_rowOfId.value(userId, -1); }
    const SubscriptionRow &row(int row) const { return m_rows.at(row).fields; }
    NameState nameState(int row) const { return m_rows.at(row).state; }
    // The search string of a row without a QVariant round trip; the filter proxy reads this.
    const QString &searchText(int row) const override { return m_rows.at(row).searchText; }
    // Case-folded username and name, cut out of the search string: sort keys that cost no memory
    // and compare as plain UTF-16.
    QStringView usernameKey(int row) const;
    QStringView nameKey(int row) const;
    QStringList userIds() const;

    // Writes all rows as CSV (RFC 4180, UTF-8, CRLF; header "user_id,username,name"), with the
    // spreadsheet formula guard of csv::field(). False when the device is not writable or a write
    // failed; device->errorString() says why.
    bool exportCsv(QIODevice *device) const;

private:
    struct Row
    {
        SubscriptionRow fields;
        QString searchText; // the id alone until the name is known: shared, so free
        NameState state = NameState::Unresolved;
        int usernameKeyLength = 0; // fits in the padding after `state`
    };

    static void fill(Row &row, const UserInfo &user);
    void rebuildIndex();

    QList<Row> m_rows;
    QHash<QString, int> m_rowOfId;
    // Every row above this one has been looked up; saves rescanning 100,000 rows per batch.
    mutable int m_firstUnresolved = 0;
};

} // namespace activity
