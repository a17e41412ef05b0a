#pragma once

#include "ApiClient.h"
#include "UserCache.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace activity {

// Looks users up by id for a whole list, the way the console and `activity-cli subscriptions list
// --resolve` both do it: batches of endpoints::maxUsersPerLookup ids (never one call per user),
// every answer kept in a UserCache (with the ids X left out, so they are not asked for again), and
// paced by the lookup rate limit: with the window used up it waits for the reset instead of
// running into 429s, and after a 429 it waits until the time X named.
class UserLookupPager : public QObject
{
    Q_OBJECT
public:
    UserLookupPager(UserCache *cache, QObject *parent = nullptr);

    // The client to look up with; a lookup running on the previous one is cancelled.
    void setClient(ApiClient *client);
    // "UTC now" for the pacing; empty: the system clock.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    // Looks up the ids the cache does not know yet, replacing any lookup still running (whose
    // answers are then dropped). finished() follows, at once when there is nothing to look up.
    void lookup(const QStringList &userIds);
    void cancel();
    bool isRunning() const { return m_running; }
    int remaining() const { return int(m_queue.size()); }

Q_SIGNALS:
    // One batch answered: these users were found, and these ids were not (suspended, deleted).
    void batchAnswered(const QList<UserInfo> &found, const QStringList &missing);
    // A batch goes out now (`count` ids, `left` still queued after it).
    void batchStarted(int count, int left);
    // Paced: the next batch waits for the rate-limit window to reset at `untilUtc`.
    void waiting(const QDateTime &untilUtc);
    // Every id is known or known to be missing.
    void finished();
    // The lookup stopped on an error other than a rate limit it could wait out.
    void failed(const activity::ApiError &error);

private:
    void next();
    void waitUntil(const QDateTime &untilUtc);
    QDateTime now() const;

    UserCache *m_cache;
    QPointer<ApiClient> m_client;
    std::function<QDateTime()> m_clock;
    QStringList m_queue;
    QTimer m_pause;
    quint64 m_generation = 0; // bumps on every lookup()/cancel(); stale answers are dropped
    bool m_running = false;
    bool m_inFlight = false;
};

} // namespace activity
