#pragma once

#include <QList>

class QIODevice;

namespace activity {

class EventStore;

// Many stored events as JSON Lines, in the one line format the console and `activity-cli events
// export` share (eventexport::jsonLine, models/EventExport.h): per event an object with its
// metadata (row, event_id, received_at, source, event_type, for_user_id, filter, tag, signature,
// duplicates, headers, forward) and "body", the body's own bytes as received when it is one line
// of JSON (else the parsed body, or "body_text").
namespace eventjsonlines {

// Writes these rows (ascending row ids) in that order, reading them from the store a block of rows
// at a time so the whole export is never in memory at once. Rows no longer in the store (pruned)
// are skipped. `written`: the lines written. False when a write failed.
bool write(const EventStore &store, const QList<qint64> &rowIds, QIODevice *device, int *written = nullptr);

} // namespace eventjsonlines
} // namespace activity
