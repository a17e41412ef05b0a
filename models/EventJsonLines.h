#pragma once

#include <QByteArray>
#include <QList>

class QIODevice;

namespace activity {

class EventStore;

// Events as JSON Lines (the Events pane's export; activity-cli may share it): one event per line,
// the line being the body exactly as received, with no wrapper, so the file feeds jq or a replay
// as it is. A body that spans lines (pretty-printed JSON) is written compacted; an empty one, or
// one that spans lines and is not JSON, is left out.
namespace eventjsonlines {

// The line for this body, without its '\n'; empty: left out.
QByteArray line(const QByteArray &body);

// Writes the bodies of these rows (ascending row ids), in that order, reading them from the store
// a block of rows at a time so the whole export is never in memory. Rows no longer in the store
// (pruned) are skipped. `written`: the lines written. False when a write failed.
bool write(const EventStore &store, const QList<qint64> &rowIds, QIODevice *device, int *written = nullptr);

} // namespace eventjsonlines
} // namespace activity
