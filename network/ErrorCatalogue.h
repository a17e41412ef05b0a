#pragma once

#include "ApiError.h"
#include "EndpointCatalogue.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QNetworkReply>
#include <QString>

// Maps whatever went wrong (an HTTP error body, a v1.1 code, a v2 problem, a transport error) to an
// ApiError whose cause and remedy a person on call can act on.
namespace activity::errors {

// Reads the v1.1 envelope {"errors":[{"code","message"}]}, v2 problems inside errors[] or at the
// top level, a bare {"code","message"} and non-JSON bodies, then maps them to Kind/cause/remedy.
ApiError fromResponse(int httpStatus, const QByteArray &body, const QByteArray &contentType = {});
// The v2 "errors" that a 2xx answer carries next to "data" (partial success), each mapped as above;
// empty when there are none or the body has no "data".
QList<ApiError> partialErrors(int httpStatus, const QByteArray &body);
// A 404 (or other refusal) from an endpoint X has retired: says so, and names the replacement.
ApiError fromRetiredEndpoint(const endpoints::RetiredEndpoint &retired, const QString &path, int httpStatus);
// A v1.1 error code with its server message (several codes mean different things by message).
ApiError fromCode(int code, const QString &message, int httpStatus);
// A v2 problem name ("CrcValidationFailed") or problem-type suffix ("usage-capped"); the suffix is
// what follows /2/problems/, so https://api.x.com/... and https://api.twitter.com/... both match.
ApiError fromProblemName(const QString &name, const QString &detail, int httpStatus);
// An OAuth 2.0 token-endpoint error (RFC 6749 §5.2: "invalid_grant", "invalid_client", ...).
ApiError fromOAuth2Error(const QString &error, const QString &description, int httpStatus);
// A transport failure before any HTTP answer arrived.
ApiError fromNetworkError(QNetworkReply::NetworkError error, const QString &detail);
// HTTP 429 / code 88: says when the window resets; the caller must not retry before retryAt.
ApiError rateLimited(const QDateTime &resetUtc, int code = 88);

} // namespace activity::errors
