#pragma once

#include "ApiTypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <utility>

namespace activity {

// One call as the request log shows it. Everything in here is already redacted: no
// Authorization value, oauth_signature, token, secret or bearer value may reach this struct.
struct RequestLogEntry
{
    quint64 id = 0; // increasing per client
    QDateTime startedAt; // UTC
    QString operation; // e.g. "webhooks.list"
    QByteArray method;
    QString url; // redacted, full (scheme, host, path, query)
    CredentialKind credential = CredentialKind::None;
    int httpStatus = 0; // 0 while running or when no HTTP answer came
    qint64 durationMs = -1; // -1 while running
    int rateLimitLimit = -1; // -1 when the server sent no x-rate-limit-* headers
    int rateLimitRemaining = -1;
    QDateTime rateLimitReset; // UTC
    int attempt = 1; // >1 for retries of idempotent calls
    QString error; // ApiError::text(), empty on success
    QList<std::pair<QByteArray, QByteArray>> requestHeaders; // redacted
    QByteArray requestBody; // redacted
    QByteArray responseBody; // first few KiB, redacted
    QString curl; // "copy as curl", redacted

    bool finished() const { return durationMs >= 0; }
};

} // namespace activity
