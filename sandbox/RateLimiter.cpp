// Rate-limit windows per key and credential, with X's x-rate-limit-* headers.

#include "RateLimiter.h"

#include "EndpointCatalogue.h"
#include "World.h"

namespace activity::sandbox {

using namespace std::chrono_literals;

RateLimiter::RateLimiter(const World &world)
    : m_world(world)
{
    for (const Endpoint &endpoint : endpoints::all()) {
        if (endpoint.documentedLimitPer15Min > 0)
            m_rules.insert(endpoint.rateLimitKey, Rule {endpoint.documentedLimitPer15Min, 15min});
    }
}

void RateLimiter::setRule(const QString &key, int limit, std::chrono::seconds window)
{
    m_rules.insert(key, Rule {limit, window});
    for (auto it = m_pools.begin(); it != m_pools.end();) {
        if (it.key().startsWith(key + QLatin1Char('|')))
            it = m_pools.erase(it);
        else
            ++it;
    }
}

std::optional<Reply> RateLimiter::admit(Exchange &ex, const QString &key)
{
    // Without a rule the route is unrated (an endpoint without a documented limit, until a test
    // sets one with setRule).
    const auto found = m_rules.constFind(key);
    if (key.isEmpty() || found == m_rules.cend())
        return std::nullopt;
    const Rule rule = *found;
    // User-context and app-only calls draw on separate pools (reference §3.3).
    const QString identity = ex.credential == CredentialKind::AppOnly
        ? QString(QStringLiteral("app:") + ex.appId)
        : QString(QStringLiteral("user:") + ex.userId + QLatin1Char('@') + ex.appId);
    Pool &pool = m_pools[key + QLatin1Char('|') + identity];
    const QDateTime current = m_world.now();
    const qint64 windowSeconds = rule.window.count();
    if (!pool.windowStart.isValid() || current >= pool.windowStart.addSecs(windowSeconds)) {
        pool.windowStart = current;
        pool.used = 0;
    }
    const QByteArray reset = QByteArray::number(pool.windowStart.addSecs(windowSeconds).toSecsSinceEpoch());
    const bool exhausted = pool.used >= rule.limit;
    if (!exhausted)
        ++pool.used;
    ex.rateHeaders = {
        {QByteArrayLiteral("x-rate-limit-limit"), QByteArray::number(rule.limit)},
        {QByteArrayLiteral("x-rate-limit-remaining"), QByteArray::number(qMax(0, rule.limit - pool.used))},
        {QByteArrayLiteral("x-rate-limit-reset"), reset}};
    if (exhausted)
        return rateLimited();
    return std::nullopt;
}

} // namespace activity::sandbox
