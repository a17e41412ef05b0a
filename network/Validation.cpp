#include "Validation.h"

// Minimal placeholder so that dependants compile; the real checks follow.
namespace activity::validate {

std::optional<ApiError> webhookUrl(const QString &, UrlPolicy)
{
    return std::nullopt;
}
Result<QUrl> baseUrl(const QString &text)
{
    return QUrl(text);
}
std::optional<ApiError> numericId(const QString &, const QString &)
{
    return std::nullopt;
}
std::optional<ApiError> replayWindow(ReplayEndpoint, const QDateTime &, const QDateTime &, const QDateTime &)
{
    return std::nullopt;
}
Result<QDateTime> parseReplayTime(const QString &text)
{
    return QDateTime::fromString(text, QStringLiteral("yyyyMMddhhmm"));
}
QString formatReplayTime(const QDateTime &utc)
{
    return utc.toUTC().toString(QStringLiteral("yyyyMMddhhmm"));
}

} // namespace activity::validate
