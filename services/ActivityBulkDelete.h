#pragma once

#include "ApiClient.h"
#include "ApiTypes.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <optional>

namespace activity {

class WriteRecorder;

// Deletes X Activity API subscriptions in batches of endpoints::maxActivityIdsPerDelete, one batch
// at a time, the way the console's bulk delete and `activity-cli activity remove` both do it. Each
// batch is one history entry when a recorder is given. Ids X refuses are reported one by one and do
// not stop the others. A batch refused as a whole stops the run: a rate limit is waited out (until
// the time X names) and the batch sent again; any other error marks the batch's ids and every id
// not yet sent as failed with that error, so nothing is silently dropped.
class ActivityBulkDelete : public QObject
{
    Q_OBJECT
public:
    explicit ActivityBulkDelete(QObject *parent = nullptr);

    // Ids are deduplicated, order kept. finished() follows, at once for an empty list.
    void start(ApiClient *client, WriteRecorder *recorder, const QStringList &ids);
    // Stops after the batch in flight is dropped; finished() is not emitted.
    void cancel();
    bool isRunning() const { return m_running; }
    // "UTC now" for waiting out a rate limit; empty: the system clock.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    // The reason given to ids that were never sent because an earlier batch failed as a whole.
    static QString notSentReason() { return QStringLiteral("not_sent"); }

Q_SIGNALS:
    void progress(int done, int total);
    // A batch waits for the rate-limit window to reset.
    void waiting(const QDateTime &untilUtc);
    // The error that stopped the run (before finished()).
    void stopped(const activity::ApiError &error);
    void finished(const QStringList &deleted, const QList<activity::ActivityBulkDeleteError> &failed);

private:
    void sendNext();
    void batchAnswered(const Result<ActivityBulkDeleteResult> &result);
    void failRemaining(const ApiError &error);
    QDateTime now() const;

    QPointer<ApiClient> m_client;
    QPointer<WriteRecorder> m_recorder;
    QPointer<QObject> m_call; // context of the batch in flight
    std::function<QDateTime()> m_clock;
    QTimer m_pause;
    QStringList m_queue;
    QStringList m_batch;
    QStringList m_deleted;
    QList<ActivityBulkDeleteError> m_failed;
    int m_total = 0;
    bool m_running = false;
};

} // namespace activity
