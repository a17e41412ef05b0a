#pragma once

#include "ApiError.h"
#include "ApiTypes.h"
#include "Result.h"

#include <QDateTime>
#include <QString>
#include <QUrl>

#include <optional>

// Checks made before a request is sent, so that the person gets a precise reason instead of a
// server error code. Every failure is ApiError::Kind::Validation with a cause and a remedy.
namespace activity::validate {

// True only for an address literal of this computer: 127.0.0.0/8 or ::1 (also IPv4-mapped). A name,
// "localhost" included, is not: a hosts file or a DNS answer decides where it points. The one check
// for "plain http is acceptable here", used by the client, the sandbox, the CRC self-test and the UI.
bool isLoopbackAddress(const QString &host);

enum class UrlPolicy {
    XRules, // what X accepts: https, a host name, no port, no fragment, no user info
    AllowLoopbackHttp, // additionally http(s)://127.0.0.1:PORT/... and http(s)://[::1]:PORT/...
};

// The longest webhook URL a generation accepts: v2's spec caps "url" at 200 characters; v1.1
// documents no limit, so a generous sanity cap applies.
qsizetype maxWebhookUrlLength(ApiGeneration generation);

// nullopt when the webhook URL is acceptable to `generation`.
std::optional<ApiError> webhookUrl(const QString &url, UrlPolicy policy, ApiGeneration generation);

// An API base URL: absolute http(s), no path beyond "/" (stripped), no query or fragment. Plain http
// sends every credential and signature in the clear, so it is accepted only to a loopback address
// (isLoopbackAddress) and only with `allowPlainLoopback`: a sandbox profile, or a local test server
// the person confirmed (the profile dialog, activity-cli --allow-insecure-loopback).
Result<QUrl> baseUrl(const QString &text, bool allowPlainLoopback = false);

// `^[0-9]{1,19}$`; `what` names the id in the message ("webhook id", "user id").
std::optional<ApiError> numericId(const QString &id, const QString &what);

// The window rules of a generation's replay (x-api-2026.md §1, account-activity-api.md §5). Both
// count the start minute in and the end minute out ([from, to)): the legacy replay documents it so,
// and spec 2.167's "both inclusive" for /2/webhooks/replay contradicts its own predecessor, so the
// console asks for the stricter reading and says which minute is replayed.
struct ReplayRules
{
    qint64 lookbackSecs; // the oldest start: now - lookback
    qint64 fromMinAgeSecs; // the start must be at least this far in the past (31 minutes)
    qint64 toMinAgeSecs; // the end must be at least this far in the past (10 minutes)
    qint64 recommendedSpanSecs; // X recommends windows of about this length or less (0: none)
    QString lookbackText; // "5 days", "24 hours"
    QString endpointText; // what is called: "POST /2/webhooks/replay"

    static ReplayRules forGeneration(ApiGeneration generation);
    // The rules in two or three sentences, for the replay dialog and `activity-cli replay --help`.
    QString description() const;
};

// All times UTC at minute granularity; `now` is injected so the rules are testable.
std::optional<ApiError> replayWindow(ApiGeneration generation, const QDateTime &from, const QDateTime &to,
                                     const QDateTime &now);
// Advice that does not block (a window longer than X recommends); empty when there is none.
QString replayWindowAdvice(ApiGeneration generation, const QDateTime &from, const QDateTime &to);

// `yyyyMMddhhmm` (UTC) or ISO 8601 with an offset or Z (converted to UTC).
Result<QDateTime> parseReplayTime(const QString &text);
// `yyyyMMddhhmm` in UTC.
QString formatReplayTime(const QDateTime &utc);

} // namespace activity::validate
