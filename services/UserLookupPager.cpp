#include "UserLookupPager.h"

#include "EndpointCatalogue.h"

#include <QSet>

#include <algorithm>

namespace activity {

UserLookupPager::UserLookupPager(UserCache *cache, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
{
    m_pause.setSingleShot(true);
    connect(&m_pause, &QTimer::timeout, this, &UserLookupPager::next);
}

void UserLookupPager::setClient(ApiClient *client)
{
    if (client == m_client)
        return;
    cancel();
    m_client = client;
}

void UserLookupPager::lookup(const QStringList &userIds)
{
    cancel();
    m_queue = m_cache->missing(userIds);
    m_running = true;
    next();
}

void UserLookupPager::cancel()
{
    ++m_generation;
    m_pause.stop();
    m_queue.clear();
    m_running = false;
    m_inFlight = false;
}

QDateTime UserLookupPager::now() const
{
    return m_clock ? m_clock().toUTC() : QDateTime::currentDateTimeUtc();
}

void UserLookupPager::waitUntil(const QDateTime &untilUtc)
{
    // At least a second: a reset time in the past (clock skew) must not make a busy loop.
    m_pause.start(int(std::clamp<qint64>(now().msecsTo(untilUtc), 1000, 15 * 60 * 1000)));
    Q_EMIT waiting(untilUtc);
}

void UserLookupPager::next()
{
    if (!m_running || m_inFlight)
        return;
    if (m_queue.isEmpty() || !m_client) {
        m_running = false;
        Q_EMIT finished();
        return;
    }
    const RateLimitState window = m_client->rateLimit(Operation::UsersLookup);
    if (window.exhausted(now())) {
        // X gives the reset in whole seconds: one more, so the window has surely turned.
        waitUntil(window.resetUtc.addSecs(1));
        return;
    }
    const QStringList batch = m_queue.mid(0, endpoints::maxUsersPerLookup);
    m_inFlight = true;
    Q_EMIT batchStarted(int(batch.size()), int(m_queue.size() - batch.size()));
    const quint64 generation = m_generation;
    m_client->lookupUsers(batch, this, [this, batch, generation](const Result<QList<UserInfo>> &result) {
        if (generation != m_generation)
            return;
        m_inFlight = false;
        if (!result) {
            if (result.error().kind == ApiError::Kind::RateLimited && result.error().retryAt.isValid()) {
                waitUntil(result.error().retryAt); // the batch stays queued
                return;
            }
            m_running = false;
            m_queue.clear();
            Q_EMIT failed(result.error());
            return;
        }
        m_queue.remove(0, batch.size());
        m_cache->insert(result.value());
        QSet<QString> found;
        for (const UserInfo &user : result.value())
            found.insert(user.id);
        QStringList missing;
        for (const QString &id : batch) {
            if (!found.contains(id))
                missing.append(id);
        }
        if (!missing.isEmpty())
            m_cache->markNotFound(missing);
        Q_EMIT batchAnswered(result.value(), missing);
        next();
    });
}

} // namespace activity
