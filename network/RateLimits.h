#pragma once

#include "ApiTypes.h"
#include "EndpointCatalogue.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

#include <optional>

namespace activity {

// What the server said about one rate-limit window (x-rate-limit-* headers).
struct RateLimitState
{
    int limit = -1; // -1: unknown
    int remaining = -1;
    QDateTime resetUtc; // invalid: unknown

    bool known() const { return limit >= 0 || remaining >= 0 || resetUtc.isValid(); }
    bool exhausted(const QDateTime &nowUtc) const
    {
        return remaining == 0 && resetUtc.isValid() && nowUtc < resetUtc;
    }

    // nullopt when the answer carried none of the three headers. Bad values count as unknown.
    static std::optional<RateLimitState> fromHeaders(const QByteArray &limit, const QByteArray &remaining,
                                                     const QByteArray &reset);
};

// The last known window per endpoint, readable by Operation for the client's generation.
class RateLimits : public QObject
{
    Q_OBJECT
public:
    explicit RateLimits(ApiGeneration generation, QObject *parent = nullptr);

    RateLimitState state(Operation op) const;
    RateLimitState stateForKey(const QString &rateLimitKey) const;
    void record(const Endpoint &endpoint, const RateLimitState &state);

Q_SIGNALS:
    void changed(activity::Operation op);

private:
    ApiGeneration m_generation;
    QHash<QString, RateLimitState> m_states;
};

} // namespace activity
