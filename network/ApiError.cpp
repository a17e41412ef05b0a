#include "ApiError.h"

namespace activity {

QString ApiError::text() const
{
    if (remedy.isEmpty())
        return cause;
    if (cause.isEmpty())
        return remedy;
    return cause + QLatin1Char(' ') + remedy;
}

QString ApiError::kindName(Kind kind)
{
    using K = Kind;
    switch (kind) {
    case K::None:
        return QStringLiteral("none");
    case K::Validation:
        return QStringLiteral("validation");
    case K::MissingCredentials:
        return QStringLiteral("missing_credentials");
    case K::Network:
        return QStringLiteral("network");
    case K::HostNotFound:
        return QStringLiteral("host_not_found");
    case K::Tls:
        return QStringLiteral("tls");
    case K::Timeout:
        return QStringLiteral("timeout");
    case K::RateLimited:
        return QStringLiteral("rate_limited");
    case K::Authentication:
        return QStringLiteral("authentication");
    case K::Permission:
        return QStringLiteral("permission");
    case K::NotFound:
        return QStringLiteral("not_found");
    case K::Conflict:
        return QStringLiteral("conflict");
    case K::QuotaExceeded:
        return QStringLiteral("quota_exceeded");
    case K::CrcFailed:
        return QStringLiteral("crc_failed");
    case K::InvalidRequest:
        return QStringLiteral("invalid_request");
    case K::Server:
        return QStringLiteral("server");
    case K::MalformedResponse:
        return QStringLiteral("malformed_response");
    case K::NotConfirmed:
        return QStringLiteral("not_confirmed");
    case K::Cancelled:
        return QStringLiteral("cancelled");
    case K::LocalProgram:
        return QStringLiteral("local_program");
    }
    return QStringLiteral("unknown");
}

} // namespace activity
