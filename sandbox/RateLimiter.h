#pragma once

// Internal to the sandbox library: the rate limiter. One rule per rate-limit key (the endpoint
// catalogue's keys, so the client, the sandbox and the tests name a pool the same way), and one
// pool per key and credential.

#include "Exchange.h"

#include <QDateTime>
#include <QHash>

#include <chrono>
#include <optional>

namespace activity::sandbox {

class World;

class RateLimiter
{
public:
    // Starts with the catalogue's documented limits: endpoints::all()'s documentedLimitPer15Min per
    // 15 minutes for every rateLimitKey that has one.
    explicit RateLimiter(const World &world);

    // Replaces the rule of `key`; its pools start a fresh window.
    void setRule(const QString &key, int limit, std::chrono::seconds window);

    // Draws one request of ex's credential from the pool of `key` and sets ex's x-rate-limit-*
    // headers; the 429 to send when the pool is exhausted. An empty key, or one without a rule, is
    // unrated.
    std::optional<Reply> admit(Exchange &ex, const QString &key);

private:
    struct Rule
    {
        int limit = 15;
        std::chrono::seconds window {15 * 60};
    };
    struct Pool
    {
        QDateTime windowStart;
        int used = 0;
    };

    const World &m_world;
    QHash<QString, Rule> m_rules; // by rate-limit key
    QHash<QString, Pool> m_pools; // by key + '|' + credential identity
};

} // namespace activity::sandbox
