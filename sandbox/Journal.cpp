#include "Journal.h"

namespace activity::sandbox {

void Journal::append(const JournalEntry &entry)
{
    if (m_entries.size() >= m_capacity)
        m_entries.remove(0, m_entries.size() - m_capacity + 1);
    m_entries.append(entry);
}

void Journal::setCapacity(qsizetype capacity)
{
    m_capacity = qMax<qsizetype>(1, capacity);
    if (m_entries.size() > m_capacity)
        m_entries.remove(0, m_entries.size() - m_capacity);
}

QList<JournalEntry> Journal::forPath(const QString &path, const QByteArray &method) const
{
    QList<JournalEntry> out;
    for (const JournalEntry &entry : m_entries) {
        if (entry.path == path && (method.isEmpty() || entry.method == method))
            out.append(entry);
    }
    return out;
}

} // namespace activity::sandbox
