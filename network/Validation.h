#pragma once

#include "ApiError.h"
#include "Result.h"

#include <QDateTime>
#include <QString>
#include <QUrl>

#include <optional>

// Checks made before a request is sent, so that the person gets a precise reason instead of a
// server error code. Every failure is ApiError::Kind::Validation with a cause and a remedy.
namespace activity::validate {

enum class UrlPolicy {
    XRules, // what X accepts: https, a host name, no port, no fragment, no user info, <= 2048 chars
    AllowLoopbackHttp, // additionally http://127.0.0.1:PORT, http://localhost:PORT, http://[::1]:PORT
};

// nullopt when the webhook URL is acceptable.
std::optional<ApiError> webhookUrl(const QString &url, UrlPolicy policy);

// An API base URL: absolute http(s), no path beyond "/" (stripped), no query or fragment; plain
// http only for loopback hosts.
Result<QUrl> baseUrl(const QString &text);

// `^[0-9]{1,19}$`; `what` names the id in the message ("webhook id", "user id").
std::optional<ApiError> numericId(const QString &id, const QString &what);

enum class ReplayEndpoint {
    V1_1, // /1.1/account_activity/replay/...: 5 days, from >= 31 min ago, to >= 10 min ago
    V2AccountActivity, // /2/account_activity/replay/...: 5 days, not in the future
    V2Webhooks, // /2/webhooks/replay: 24 hours, both dates inclusive
};

// All times UTC at minute granularity; `now` is injected so the rules are testable.
std::optional<ApiError> replayWindow(ReplayEndpoint endpoint, const QDateTime &from, const QDateTime &to,
                                     const QDateTime &now);

// `yyyyMMddhhmm` (UTC) or ISO 8601 with an offset or Z (converted to UTC).
Result<QDateTime> parseReplayTime(const QString &text);
// `yyyyMMddhhmm` in UTC.
QString formatReplayTime(const QDateTime &utc);

} // namespace activity::validate
