#include "ErrorCatalogue.h"

// Minimal placeholder so that dependants compile; the real catalogue follows.
namespace activity::errors {

ApiError fromResponse(int httpStatus, const QByteArray &, const QByteArray &)
{
    ApiError e;
    e.kind = ApiError::Kind::Server;
    e.httpStatus = httpStatus;
    return e;
}
ApiError fromCode(int code, const QString &message, int httpStatus)
{
    ApiError e;
    e.kind = ApiError::Kind::Server;
    e.code = code;
    e.serverMessage = message;
    e.httpStatus = httpStatus;
    return e;
}
ApiError fromProblemName(const QString &name, const QString &detail, int httpStatus)
{
    ApiError e;
    e.kind = ApiError::Kind::Server;
    e.name = name;
    e.serverMessage = detail;
    e.httpStatus = httpStatus;
    return e;
}
ApiError fromNetworkError(QNetworkReply::NetworkError, const QString &detail)
{
    ApiError e;
    e.kind = ApiError::Kind::Network;
    e.serverMessage = detail;
    return e;
}
ApiError rateLimited(const QDateTime &resetUtc, int code)
{
    ApiError e;
    e.kind = ApiError::Kind::RateLimited;
    e.code = code;
    e.retryAt = resetUtc;
    return e;
}

} // namespace activity::errors
