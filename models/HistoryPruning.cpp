#include "HistoryPruning.h"

#include "SqliteFile.h"

#include <QSettings>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace activity {

namespace {

// Rows per pruning transaction: short enough that a writer waiting behind it hardly notices.
constexpr int pruneBatchRows = 500;

} // namespace

QString historyTimestamp(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

HistoryRetention HistoryRetention::fromSettings(const QSettings &settings)
{
    HistoryRetention retention;
    bool ok = false;
    const int days = settings.value(QStringLiteral("history/maxAgeDays")).toInt(&ok);
    if (ok && days >= 0)
        retention.maxAgeDays = days;
    const int entries = settings.value(QStringLiteral("history/maxEntries")).toInt(&ok);
    if (ok && entries >= 0)
        retention.maxEntries = entries;
    return retention;
}

// On the pruning thread, with a connection of its own: settled entries past the age limit, then
// the oldest settled ones beyond the count limit, in batches, each in its own transaction.
HistoryPruneOutcome pruneHistoryDatabase(const QString &path, const HistoryRetention &retention,
                                         const QDateTime &now, const std::atomic_bool &cancelled)
{
    HistoryPruneOutcome outcome;
    const QString name = sqlitefile::connectionName(QStringLiteral("activity-history-prune"));
    {
        QSqlDatabase db;
        // One batch: `select` picks the ids (never a pending entry), deleted in one transaction.
        const auto deleteBatch = [&](const QString &select, const QVariantList &bindings) -> qint64 {
            qint64 removed = -1;
            const bool ok = sqlitefile::transaction(
                db,
                [&] {
                    QSqlQuery q(db);
                    q.prepare(QStringLiteral("DELETE FROM history WHERE id IN (%1)").arg(select));
                    for (const QVariant &binding : bindings)
                        q.addBindValue(binding);
                    if (!q.exec()) {
                        outcome.failure = q.lastError().text();
                        return false;
                    }
                    removed = q.numRowsAffected();
                    return true;
                },
                outcome.failure);
            if (!ok)
                return -1;
            outcome.removed += removed;
            return removed;
        };
        if (!sqlitefile::openWal(db, name, path, sqlitefile::Sync::Normal, historyBusyTimeoutMs,
                                 outcome.failure)) {
            if (outcome.failure.isEmpty())
                outcome.failure = db.lastError().text();
        } else {
            if (retention.maxAgeDays > 0) {
                const QString cutoff = historyTimestamp(now.addDays(-retention.maxAgeDays));
                qint64 removed = pruneBatchRows;
                while (removed == pruneBatchRows && !cancelled)
                    removed =
                        deleteBatch(QStringLiteral("SELECT id FROM history WHERE state <> 'pending' AND "
                                                   "started_at < ? ORDER BY id LIMIT %1")
                                        .arg(pruneBatchRows),
                                    {cutoff});
            }
            while (retention.maxEntries > 0 && outcome.failure.isEmpty() && !cancelled) {
                QSqlQuery count(db);
                if (!count.exec(QStringLiteral("SELECT COUNT(*) FROM history")) || !count.next()) {
                    outcome.failure = count.lastError().text();
                    break;
                }
                const qint64 excess = count.value(0).toLongLong() - retention.maxEntries;
                count.finish();
                if (excess <= 0)
                    break;
                const qint64 removed = deleteBatch(
                    QStringLiteral("SELECT id FROM history WHERE state <> 'pending' ORDER BY id LIMIT %1")
                        .arg(qMin<qint64>(excess, pruneBatchRows)),
                    {});
                if (removed <= 0)
                    break; // only pending entries are left over the limit, or it failed
            }
            db.close();
        }
    }
    sqlitefile::close(name);
    return outcome;
}

} // namespace activity
