#pragma once

#include "RequestLogEntry.h"

#include <QList>
#include <QObject>

#include <optional>

namespace activity {

// The calls a client made, oldest first, already redacted. The UI's log view and the CLI's
// --verbose output read it. Bounded: the oldest entries go once `capacity` is reached.
class RequestLog : public QObject
{
    Q_OBJECT
public:
    explicit RequestLog(QObject *parent = nullptr);

    void setCapacity(int capacity);
    int capacity() const { return m_capacity; }

    // Assigns the next id, appends, emits entryAdded. Returns the id.
    quint64 add(RequestLogEntry entry);
    // Replaces the entry with the same id (if still kept) and emits entryUpdated.
    void update(const RequestLogEntry &entry);
    void clear();

    const QList<RequestLogEntry> &entries() const { return m_entries; }
    std::optional<RequestLogEntry> entry(quint64 id) const;
    // Position of an entry in entries(); -1 when not kept.
    int indexOf(quint64 id) const;

Q_SIGNALS:
    void entryAdded(quint64 id);
    void entryUpdated(quint64 id);
    // The `count` oldest entries are about to go / have gone (capacity reached).
    void aboutToDropOldest(int count);
    void oldestDropped(int count);
    void cleared();

private:
    QList<RequestLogEntry> m_entries;
    quint64 m_nextId = 1;
    int m_capacity = 1000;
};

} // namespace activity
