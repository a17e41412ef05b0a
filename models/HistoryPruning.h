#pragma once

#include "HistoryStore.h"

#include <QDateTime>
#include <QString>

#include <atomic>

// The history's retention: what the settings ask for, and the pruning HistoryStore runs on a
// thread of its own (HistoryStore::pruneInBackground).
namespace activity {

// How long a writer waits for another process's write lock before it gives up.
inline constexpr int historyBusyTimeoutMs = 5000;

// Timestamps as stored: UTC, ISO 8601 with milliseconds (sorts as text).
QString historyTimestamp(const QDateTime &time);

struct HistoryPruneOutcome
{
    qint64 removed = 0;
    QString failure; // empty when it worked
};

// With a connection of its own (call it on the pruning thread): settled entries past the age
// limit, then the oldest settled ones beyond the count limit, in batches of a few hundred, each in
// its own short transaction. Stops after the batch in hand once `cancelled` is set.
HistoryPruneOutcome pruneHistoryDatabase(const QString &path, const HistoryRetention &retention,
                                         const QDateTime &now, const std::atomic_bool &cancelled);

} // namespace activity
