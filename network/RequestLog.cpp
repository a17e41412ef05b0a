#include "RequestLog.h"

namespace activity {

RequestLog::RequestLog(QObject *parent)
    : QObject(parent)
{
}

void RequestLog::setCapacity(int capacity)
{
    m_capacity = qMax(1, capacity);
    const int excess = int(m_entries.size()) - m_capacity;
    if (excess > 0) {
        Q_EMIT aboutToDropOldest(excess);
        m_entries.remove(0, excess);
        Q_EMIT oldestDropped(excess);
    }
}

quint64 RequestLog::add(RequestLogEntry entry)
{
    if (m_entries.size() >= m_capacity) {
        const int excess = int(m_entries.size()) - m_capacity + 1;
        Q_EMIT aboutToDropOldest(excess);
        m_entries.remove(0, excess);
        Q_EMIT oldestDropped(excess);
    }
    entry.id = m_nextId++;
    m_entries.append(std::move(entry));
    Q_EMIT entryAdded(m_entries.constLast().id);
    return m_entries.constLast().id;
}

void RequestLog::update(const RequestLogEntry &entry)
{
    const int index = indexOf(entry.id);
    if (index < 0)
        return;
    m_entries[index] = entry;
    Q_EMIT entryUpdated(entry.id);
}

void RequestLog::clear()
{
    m_entries.clear();
    Q_EMIT cleared();
}

std::optional<RequestLogEntry> RequestLog::entry(quint64 id) const
{
    const int index = indexOf(id);
    if (index < 0)
        return std::nullopt;
    return m_entries.at(index);
}

int RequestLog::indexOf(quint64 id) const
{
    // Ids increase along the list: binary search.
    const auto it = std::lower_bound(m_entries.cbegin(), m_entries.cend(), id,
                                     [](const RequestLogEntry &e, quint64 value) { return e.id < value; });
    if (it == m_entries.cend() || it->id != id)
        return -1;
    return int(it - m_entries.cbegin());
}

} // namespace activity
