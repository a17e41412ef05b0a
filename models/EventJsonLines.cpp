#include "EventJsonLines.h"

#include "EventExport.h"
#include "EventStore.h"

#include <QHash>
#include <QIODevice>

namespace activity::eventjsonlines {

namespace {
// One read per block: at most this many rows, spanning at most this many row ids (a sparse filter
// must not read every body between two of its rows).
constexpr qsizetype kBlockRows = 500;
constexpr qint64 kBlockSpan = 5000;
} // namespace

bool write(const EventStore &store, const QList<qint64> &rowIds, QIODevice *device, int *written)
{
    int lines = 0;
    for (qsizetype first = 0; first < rowIds.size();) {
        qsizetype end = first + 1;
        while (end < rowIds.size() && end - first < kBlockRows &&
               rowIds.at(end) - rowIds.at(first) < kBlockSpan)
            ++end;
        EventQuery query;
        query.limit = 0;
        query.minRowId = rowIds.at(first);
        query.maxRowId = rowIds.at(end - 1);
        const QList<StoredEvent> found = store.events(query);
        QHash<qint64, qsizetype> byRowId;
        for (qsizetype i = 0; i < found.size(); ++i)
            byRowId.insert(found.at(i).rowId, i);
        QByteArray block;
        for (qsizetype i = first; i < end; ++i) {
            const auto at = byRowId.constFind(rowIds.at(i));
            if (at == byRowId.cend())
                continue; // pruned since it was listed
            block += eventexport::jsonLine(found.at(*at));
            ++lines;
        }
        if (device->write(block) != block.size()) {
            if (written)
                *written = lines;
            return false;
        }
        first = end;
    }
    if (written)
        *written = lines;
    return true;
}

} // namespace activity::eventjsonlines
