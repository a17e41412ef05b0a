#include "RateLimits.h"

namespace activity {

namespace {

int toCount(const QByteArray &value)
{
    bool ok = false;
    const int number = value.trimmed().toInt(&ok);
    return ok && number >= 0 ? number : -1;
}

} // namespace

std::optional<RateLimitState>
RateLimitState::fromHeaders(const QByteArray &limit, const QByteArray &remaining, const QByteArray &reset)
{
    if (limit.isEmpty() && remaining.isEmpty() && reset.isEmpty())
        return std::nullopt;
    RateLimitState state;
    state.limit = toCount(limit);
    state.remaining = toCount(remaining);
    bool ok = false;
    const qint64 epoch = reset.trimmed().toLongLong(&ok);
    if (ok && epoch > 0)
        state.resetUtc = QDateTime::fromSecsSinceEpoch(epoch, Qt::UTC);
    return state;
}

RateLimits::RateLimits(ApiGeneration generation, QObject *parent)
    : QObject(parent)
    , m_generation(generation)
{
}

RateLimitState RateLimits::state(Operation op) const
{
    const Endpoint *endpoint = endpoints::find(op, m_generation);
    return endpoint ? stateForKey(endpoint->rateLimitKey) : RateLimitState();
}

RateLimitState RateLimits::stateForKey(const QString &rateLimitKey) const
{
    return m_states.value(rateLimitKey);
}

void RateLimits::record(const Endpoint &endpoint, const RateLimitState &state)
{
    RateLimitState &stored = m_states[endpoint.rateLimitKey];
    if (stored.limit == state.limit && stored.remaining == state.remaining &&
        stored.resetUtc == state.resetUtc)
        return;
    stored = state;
    Q_EMIT changed(endpoint.op);
}

} // namespace activity
