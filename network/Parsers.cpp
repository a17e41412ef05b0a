#include "Parsers.h"

// Minimal placeholder so that dependants compile; the real parsers follow.
namespace activity::parse {

namespace {
ApiError notYet()
{
    ApiError e;
    e.kind = ApiError::Kind::MalformedResponse;
    e.cause = QStringLiteral("The server's answer could not be read: parser not implemented yet.");
    return e;
}
} // namespace

Result<QList<Webhook>> webhookList(const QByteArray &)
{
    return notYet();
}
Result<Webhook> webhook(const QByteArray &)
{
    return notYet();
}
Result<bool> validateResult(const QByteArray &)
{
    return notYet();
}
Result<bool> deleteResult(const QByteArray &)
{
    return notYet();
}
Result<bool> subscribedFlag(const QByteArray &)
{
    return notYet();
}
Result<SubscriptionCount> subscriptionCount(const QByteArray &)
{
    return notYet();
}
Result<SubscriptionList> subscriptionList(const QByteArray &)
{
    return notYet();
}
Result<ReplayJob> replayJob(const QByteArray &)
{
    return notYet();
}
Result<QList<UserInfo>> users(const QByteArray &)
{
    return notYet();
}
Result<QByteArray> bearerToken(const QByteArray &)
{
    return notYet();
}
Result<OAuthTokens> requestToken(const QByteArray &)
{
    return notYet();
}
Result<OAuthTokens> accessToken(const QByteArray &)
{
    return notYet();
}

} // namespace activity::parse
