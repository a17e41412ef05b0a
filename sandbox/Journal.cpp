#include "Journal.h"

namespace activity::sandbox {

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
