#pragma once

#include "RequestLogEntry.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>

namespace activity {

class RequestLog;

// The calls of the session, oldest first, for the request-log dock. Entries arrive already
// redacted (RequestLogEntry's contract); this model shows them and keeps at most maxEntries(),
// dropping the oldest with one small removal.
class RequestLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Column { Time, Method, Path, Credential, Status, Duration, RateLimitRemaining, Count };
    enum Role {
        SortRole = Qt::UserRole + 1,
        EntryRole, // the whole RequestLogEntry, for the detail view
        EntryIdRole,
    };

    explicit RequestLogModel(QObject *parent = nullptr);
    // Mirrors a client's RequestLog: takes its entries now and follows its additions and updates.
    explicit RequestLogModel(RequestLog *log, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // An entry whose id is already shown is treated as an update.
    void append(const RequestLogEntry &entry);
    // Replaces the entry with the same id; false when it is not (or no longer) kept.
    bool update(const RequestLogEntry &entry);
    void clear();

    void setMaxEntries(int maxEntries);
    int maxEntries() const { return m_maxEntries; }
    const RequestLogEntry &entry(int row) const { return m_rows.at(row); }
    int rowOf(quint64 id) const;

    static QString credentialText(CredentialKind kind);

private:
    void dropOldest(int count);

    QList<RequestLogEntry> m_rows;
    // id → position counted from the first entry ever appended; row = position - m_dropped.
    QHash<quint64, qint64> m_positionOf;
    qint64 m_dropped = 0;
    int m_maxEntries = 5000;
};

} // namespace activity
