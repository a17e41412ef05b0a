#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QSet>
#include <QString>

#include <chrono>
#include <deque>

// The pure pieces of the X Activity stream client (x-api-2026.md §4.5, §4.6), kept apart from the
// connection so that they are tested without a network: one line of the stream into an event or
// an in-stream error, the window of recent event_uuids that catches duplicates, and the reconnect
// backoff.
namespace activity {

// One X Activity event as it came off the stream (§4.6 envelope {"data":{...}}).
struct StreamEvent
{
    QByteArray raw; // the line exactly as received, without its line end
    QString eventUuid; // whatever form X used: digits, a negative number, a UUID (a JSON number as its text)
    QString eventType;
    QString tag; // empty when the subscription has none
    QByteArray filter; // the filter that matched, as compact JSON ("{}" when absent)
    QString forUserId; // filter.user_id; empty for keyword filters and oauth.revoke
    qint64 receivedAtMs = 0; // UTC ms since the epoch, when the client read the line
};

// What one complete line of the stream is.
struct StreamLine
{
    enum class Kind {
        KeepAlive, // an empty line (after stripping \r)
        Event,
        ServerError, // {"errors":[...]} or a bare problem: X ends the connection (operational-disconnect)
        Malformed, // not JSON, or JSON without the envelope's required fields
    };
    Kind kind = Kind::Malformed;
    StreamEvent event; // Event
    QString problem; // ServerError: title/type and detail; Malformed: why, for a person
};

namespace streamline {

// `line` without its \n; a trailing \r is stripped here. Never fails hard: anything it cannot read
// is Malformed with the reason.
StreamLine parse(QByteArray line, qint64 receivedAtMs);
// A one-line summary of an error answer's problem(s) (§6.1: a top-level problem, or "errors"),
// e.g. "ConnectionException (TooManyConnections): This stream is ..."; empty when the body is
// not a JSON object.
QString problemSummary(const QByteArray &body);

// §4.5: backfill_minutes is 0 to 5.
inline constexpr int maxBackfillMinutes = 5;
// backfill_minutes for a reconnect after `gap` without a byte: the whole minutes that cover the
// gap, at least 1, at most maxBackfillMinutes. `beyondReach` (when given) tells whether the gap was
// longer than that, so that events before the backfill's reach may be missing.
int backfillMinutes(std::chrono::milliseconds gap, bool *beyondReach = nullptr);

} // namespace streamline

// The last `capacity` event_uuids seen, so a duplicate (X may send one, §4.5; a backfill after a
// reconnect re-sends what came before the gap) is dropped. The oldest id leaves first: memory stays
// bounded however long the stream runs.
class RecentEventIds
{
public:
    explicit RecentEventIds(qsizetype capacity = 100000);
    // True the first time `id` is seen (it is remembered); false for a duplicate.
    bool remember(const QString &id);
    bool contains(const QString &id) const { return m_ids.contains(id); }
    qsizetype size() const { return m_ids.size(); }
    qsizetype capacity() const { return m_capacity; }

private:
    qsizetype m_capacity;
    QSet<QString> m_ids;
    std::deque<QString> m_order; // oldest first
};

// Which of the reference's reconnect rules (§4.5) applies to a failed connection.
enum class BackoffKind {
    Network, // TCP/TLS errors, a dropped or stalled connection, a stream that ended: linear
    Http, // an HTTP error status: exponential
    RateLimited, // 429 (rate limit or connection limit): exponential from a minute
};

// Reconnect delays of x-api-2026.md §4.5. The bases and caps are fields so that tests can make
// every wait a few milliseconds; the defaults are the documented values.
struct StreamBackoff
{
    std::chrono::milliseconds networkStep {250}; // attempt n waits n * step ...
    std::chrono::milliseconds networkCap {16000}; // ... up to 16 s
    std::chrono::milliseconds httpBase {5000}; // attempt n waits base * 2^(n-1) ...
    std::chrono::milliseconds httpCap {320000}; // ... up to 320 s
    std::chrono::milliseconds rateLimitedBase {60000}; // from 1 minute, doubling ...
    // ... up to 16 minutes. X documents no cap; the stream's rate limit counts connection attempts
    // in 15-minute windows (450 per window), so a wait a little longer than one window always
    // reaches a fresh window, and a person whose other programs hold both connections sees the
    // console try again within a quarter of an hour rather than hours later.
    std::chrono::milliseconds rateLimitedCap {16 * 60 * 1000};

    // The wait before reconnect attempt `attempt` (1 = the first after a failure) of `kind`.
    std::chrono::milliseconds delay(BackoffKind kind, int attempt) const;
};

// "network", "http", "429": for messages and logs.
QString backoffKindName(BackoffKind kind);

} // namespace activity

Q_DECLARE_METATYPE(activity::StreamEvent)
Q_DECLARE_METATYPE(activity::BackoffKind)
