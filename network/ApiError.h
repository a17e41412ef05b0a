#pragma once

#include <QDateTime>
#include <QString>

#include <utility>

namespace activity {

// Every failure of a call, whatever its origin, ends up as one of these. `cause` and `remedy` are
// sentences for a person; the raw server text stays in `serverMessage` for the request log.
struct ApiError
{
    enum class Kind {
        None,
        Validation, // refused before sending (bad URL, replay window, id)
        MissingCredentials, // a secret or token the endpoint needs is not configured
        Network, // connection refused/reset, host unreachable
        HostNotFound, // DNS
        Tls, // certificate or handshake problem; TLS is never bypassed
        Timeout,
        RateLimited, // HTTP 429 / code 88; see retryAt
        Authentication, // 32, 89, 135, 215, 401
        Permission, // 61, 99, 200, 220, 261, 326, 348, 403
        NotFound, // 34, 404, SubscriptionNotFound, WebhookIdInvalid
        Conflict, // 355, DuplicateSubscriptionFailed, ReplayConflictError, DuplicateUrlFailed
        QuotaExceeded, // 214 "Too many resources", WebhookLimitExceeded, SubscriptionLimitExceeded,
                       // usage-capped
        CrcFailed, // 214 CRC family, CrcValidationFailed
        InvalidRequest, // 214 URL requirements, 356-368, QueryParamInvalid, UrlValidationFailed, 415, 417
        Server, // 5xx, 0, 67
        MalformedResponse, // unparsable or unexpected body
        NotConfirmed, // a 2xx whose body says the change did not happen ("subscribed": false after subscribe)
        Cancelled,
        LocalProgram, // a program of this installation (the sign-in window, activity-signin) is
                      // missing, could not start, crashed or answered nonsense
    };

    Kind kind = Kind::None;
    int httpStatus = 0; // 0 when no HTTP answer arrived
    int code = 0; // v1.1 error code, 0 if none
    QString name; // v2 problem name or type suffix (e.g. "CrcValidationFailed", "usage-capped")
    QString serverMessage; // what the server said, verbatim (never contains secrets)
    QString cause; // what went wrong, in plain words
    QString remedy; // what the person can do about it
    QDateTime retryAt; // RateLimited: when the window resets (UTC); otherwise invalid

    // The usual hand-made error: a kind, the two sentences and, when an answer arrived, its status.
    // Everything else (code, name, serverMessage, retryAt) is set by the few callers that know it.
    static ApiError make(Kind kind, QString cause, QString remedy = {}, int httpStatus = 0)
    {
        ApiError error;
        error.kind = kind;
        error.httpStatus = httpStatus;
        error.cause = std::move(cause);
        error.remedy = std::move(remedy);
        return error;
    }

    bool isError() const { return kind != Kind::None; }
    // "cause remedy" in one line, for status bars and stderr.
    QString text() const;
    // A stable machine name ("rate_limited", "not_found", ...) for JSON output and the history.
    static QString kindName(Kind kind);
};

} // namespace activity
