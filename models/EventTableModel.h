#pragma once

#include "ApiTypes.h"
#include "EventStore.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace activity {

class UserCache;

// The live events of the console's Events pane (#16): one compact row per stored event, in the
// order the store committed them (ascending row id, the newest at the bottom, as a log reads).
//
// Built for a stream of thousands of events a second and 200,000 rows in view:
// - No bodies or headers: the detail view reads them from the EventStore by row id. A row is a
//   few numbers, the event id, and indexes into small tables of the values rows repeat (types,
//   accounts, tags, forward errors), about 160 bytes per event with the id's string
//   (bench_events_view prints the figure).
// - appendEvents() takes a batch as one beginInsertRows; past maxRows() the oldest rows go first,
//   as one beginRemoveRows.
// - Row ids only grow, so a row is found by binary search (no id hash to keep).
// - Counts per event type are kept as rows come and go.
// - Searching is done on precomputed case-folded text: each row's event id, and one string per
//   distinct type, account (id and @name), tag and source, so that EventFilterProxy matches a
//   keystroke over 100,000 rows without building any display text.
class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Column { Time, Source, Account, Type, Tag, Signature, Duplicates, Forward, Count };
    enum Role {
        RowIdRole = Qt::UserRole, // the store's row id (qint64)
        SortRole = Qt::UserRole + 1, // the same value as in every model here
        EventIdRole = Qt::UserRole + 2,
        EventTypeRole = Qt::UserRole + 4,
        AccountIdRole = Qt::UserRole + 5, // for_user_id
    };
    static constexpr int defaultMaxRows = 200000;

    explicit EventTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The most rows kept in view; appending beyond it drops the oldest. A smaller limit drops the
    // oldest rows at once.
    void setMaxRows(int maxRows);
    int maxRows() const { return m_maxRows; }
    // Accounts show as @username when this cache knows them as their first row arrives (and after
    // applyUsers()); null: ids only.
    void setUserCache(const UserCache *cache) { m_cache = cache; }

    // Appends the events not listed yet (row id above lastRowId()), oldest first whatever order
    // they come in, with one beginInsertRows. Bodies and headers are not kept. Returns how many
    // rows were added.
    int appendEvents(const QList<StoredEvent> &events);
    // The row's duplicate count / forward outcome changed in the store. False: not in view.
    bool updateDuplicate(qint64 rowId, int duplicates);
    bool updateForward(qint64 rowId, const std::optional<ForwardOutcome> &outcome);
    // Shows these users' accounts as @username.
    void applyUsers(const QList<UserInfo> &users);
    // The account ids shown without a name yet.
    QStringList accountIdsWithoutNames() const;
    void clear();

    // -1: not in view.
    int rowOf(qint64 rowId) const;
    qint64 rowId(int row) const { return m_rows.at(row).rowId; }
    qint64 lastRowId() const { return m_rows.isEmpty() ? 0 : m_rows.constLast().rowId; }
    qint64 receivedAtMs(int row) const { return m_rows.at(row).receivedAtMs; }
    const QString &eventId(int row) const { return m_rows.at(row).eventId; }
    const QString &eventType(int row) const { return m_types.at(m_rows.at(row).type).name; }
    const QString &accountId(int row) const { return m_accounts.at(m_rows.at(row).account).id; }
    QString accountText(int row) const { return accountLabel(m_rows.at(row).account); }
    const QString &tag(int row) const { return m_tags.at(m_rows.at(row).tag).text; }
    EventSource source(int row) const { return EventSource(m_rows.at(row).source); }
    SignatureVerdict signature(int row) const { return SignatureVerdict(m_rows.at(row).signature); }
    int duplicates(int row) const { return m_rows.at(row).duplicates; }
    std::optional<ForwardOutcome> forward(int row) const;

    // Rows in view per event type, most first (ties by name); types no longer in view are left out.
    QList<std::pair<QString, qint64>> countPerType() const;
    qint64 countOfType(const QString &type) const;
    // The accounts seen, as (id, label) in order of first appearance.
    QList<std::pair<QString, QString>> accounts() const;

    // What EventFilterProxy matches on. Each row refers to an entry of four small tables (type,
    // account, tag, source) by index; each entry has a case-folded search string.
    int typeOf(int row) const { return m_rows.at(row).type; }
    int accountOf(int row) const { return m_rows.at(row).account; }
    int tagOf(int row) const { return m_rows.at(row).tag; }
    int sourceOf(int row) const { return m_rows.at(row).source; }
    const QString &idSearchText(int row) const { return m_rows.at(row).idKey; }
    int typeCount() const { return int(m_types.size()); }
    const QString &typeName(int type) const { return m_types.at(type).name; }
    const QString &typeSearchText(int type) const { return m_types.at(type).key; }
    int accountCount() const { return int(m_accounts.size()); }
    const QString &accountIdAt(int account) const { return m_accounts.at(account).id; }
    int accountIndexOf(const QString &id) const { return int(m_accountIndex.value(id, quint32(-1))); }
    const QString &accountSearchText(int account) const { return m_accounts.at(account).key; }
    int tagCount() const { return int(m_tags.size()); }
    const QString &tagSearchText(int tag) const { return m_tags.at(tag).key; }
    static constexpr int sourceCount = 3;
    static QString sourceSearchText(int source);

    static QString sourceText(EventSource source);
    static QString signatureText(SignatureVerdict verdict);
    static QString forwardText(const std::optional<ForwardOutcome> &outcome);

Q_SIGNALS:
    // The counts per type changed (rows added, dropped, cleared).
    void countsChanged();
    // An account was seen for the first time, or got its name.
    void accountsChanged();

private:
    // One event in view. Strings rows repeat are indexes into the tables below.
    struct Row
    {
        qint64 rowId = 0;
        qint64 receivedAtMs = 0;
        QString eventId;
        QString idKey; // case-folded event id; shares eventId's characters when they are the same
        qint32 duplicates = 0;
        qint32 forwardMs = -1; // -1: not forwarded
        quint32 type = 0;
        quint32 account = 0; // 0: none
        quint32 tag = 0; // 0: none
        qint16 forwardStatus = 0; // 0: no HTTP answer
        quint16 forwardError = 0; // into m_errors; 0: none
        quint8 source = 0;
        quint8 signature = 0;
    };
    struct TypeEntry
    {
        QString name;
        QString key;
        qint64 count = 0; // rows in view
    };
    struct AccountEntry
    {
        QString id;
        QString username; // without @; empty until known
        QString key; // case-folded "id @username"
    };
    struct TagEntry
    {
        QString text;
        QString key;
    };

    Row makeRow(const StoredEvent &event);
    quint32 internType(const QString &name);
    quint32 internAccount(const QString &id);
    quint32 internTag(const QString &tag);
    quint16 internError(const QString &error);
    QString accountLabel(quint32 account) const;
    void dropOldest(int count);
    void resetTables();

    QList<Row> m_rows;
    QList<TypeEntry> m_types;
    QHash<QString, quint32> m_typeIndex;
    QList<AccountEntry> m_accounts;
    QHash<QString, quint32> m_accountIndex;
    QList<TagEntry> m_tags;
    QHash<QString, quint32> m_tagIndex;
    QStringList m_errors;
    QHash<QString, quint16> m_errorIndex;
    int m_maxRows = defaultMaxRows;
    const UserCache *m_cache = nullptr;
};

} // namespace activity
