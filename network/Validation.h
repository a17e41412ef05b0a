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

// True only for an address literal of this computer: 127.0.0.0/8 or ::1 (also IPv4-mapped). A name,
// "localhost" included, is not: a hosts file or a DNS answer decides where it points. The one check
// for "plain http is acceptable here", used by the client, the sandbox, the CRC self-test and the UI.
bool isLoopbackAddress(const QString &host);

enum class UrlPolicy {
    XRules, // what X accepts: https, a host name, no port, no fragment, no user info, <= 2048 chars
    AllowLoopbackHttp, // additionally http(s)://127.0.0.1:PORT/... and http(s)://[::1]:PORT/...
};

// nullopt when the webhook URL is acceptable.
std::optional<ApiError> webhookUrl(const QString &url, UrlPolicy policy);

// An API base URL: absolute http(s), no path beyond "/" (stripped), no query or fragment. Plain http
// sends every credential and signature in the clear, so it is accepted only to a loopback address
// (isLoopbackAddress) and only with `allowPlainLoopback`: a sandbox profile, or a local test server
// the person confirmed (the profile dialog, activity-cli --allow-insecure-loopback).
Result<QUrl> baseUrl(const QString &text, bool allowPlainLoopback = false);

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
