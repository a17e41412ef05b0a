#pragma once

#include <QList>
#include <QStringList>

#include <algorithm>

// Removing many rows from a table model that holds a list of typed rows, shared by the
// subscription models and their proxy: consecutive rows go as one range, and a scattered
// selection (a bulk delete of a filtered view) as one compacting pass under a model reset.
namespace activity::rowranges {

// Above this many separate ranges, one reset is cheaper for the views than a signal per range.
inline constexpr qsizetype maxRemoveSignals = 32;

// Calls handle(first, last) for each run of consecutive numbers in sorted `rows`.
template<typename F> void forEachRange(const QList<int> &sortedRows, F handle)
{
    qsizetype start = 0;
    for (qsizetype i = 1; i <= sortedRows.size(); ++i) {
        if (i == sortedRows.size() || sortedRows.at(i) != sortedRows.at(i - 1) + 1) {
            handle(sortedRows.at(start), sortedRows.at(i - 1));
            start = i;
        }
    }
}

// The rows `rowOf` finds for `ids` (negative: not there), sorted and each once.
template<typename RowOf> QList<int> rowsOf(const QStringList &ids, RowOf rowOf)
{
    QList<int> rows;
    rows.reserve(ids.size());
    for (const QString &id : ids) {
        if (const int row = rowOf(id); row >= 0)
            rows.append(row);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

// Removes sorted, unique `rows` from `list`. A model passes its notifications: removing(first,
// last) and removed() around each range (bottom first, so the ranges still to go keep their
// numbers), or resetting() and reset() around one pass when there are more than maxRemoveSignals
// ranges.
template<typename Row, typename Removing, typename Removed, typename Resetting, typename Reset>
void removeRows(QList<Row> &list, const QList<int> &rows, Removing removing, Removed removed,
                Resetting resetting, Reset reset)
{
    QList<std::pair<int, int>> ranges;
    forEachRange(rows, [&ranges](int first, int last) { ranges.append({first, last}); });
    if (ranges.size() <= maxRemoveSignals) {
        for (auto it = ranges.crbegin(); it != ranges.crend(); ++it) {
            removing(it->first, it->second);
            list.remove(it->first, it->second - it->first + 1);
            removed();
        }
        return;
    }
    resetting();
    qsizetype next = 0;
    qsizetype write = 0;
    for (qsizetype read = 0; read < list.size(); ++read) {
        if (next < rows.size() && rows.at(next) == read) {
            ++next;
            continue;
        }
        if (write != read)
            list[write] = std::move(list[read]);
        ++write;
    }
    list.resize(write);
    reset();
}

} // namespace activity::rowranges
