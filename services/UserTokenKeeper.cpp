#include "UserTokenKeeper.h"

#include <QTimer>

namespace activity {

UserTokenKeeper::UserTokenKeeper(ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

UserCredentials UserTokenKeeper::latest(const UserCredentials &user) const
{
    const auto found = m_latest.constFind(user.userId);
    if (found == m_latest.constEnd())
        return user;
    // Callers may hold a copy from before a refresh (X may rotate the refresh token): the OAuth 2.0
    // part kept here is the newest; the rest is the caller's.
    UserCredentials newest = user;
    newest.oauth2 = found->oauth2;
    return newest;
}

void UserTokenKeeper::remember(const UserCredentials &user)
{
    if (user.hasOAuth2())
        m_latest.insert(user.userId, user);
    else
        m_latest.remove(user.userId);
}

void UserTokenKeeper::forget(const QString &userId)
{
    m_latest.remove(userId);
}

bool UserTokenKeeper::usesOAuth2(Operation operation, const UserCredentials &user) const
{
    if (!m_client || !user.hasOAuth2())
        return false;
    const Endpoint *endpoint = m_client->endpoint(operation);
    if (!endpoint)
        return false;
    const Result<CredentialKind> kind = ApiClient::userCredentialFor(*endpoint, user);
    return kind && kind.value() == CredentialKind::OAuth2User;
}

void UserTokenKeeper::fresh(const UserCredentials &user, QObject *context, Callback<UserCredentials> done)
{
    const UserCredentials now = latest(user);
    const QDateTime clock =
        m_client && m_client->config().clock ? m_client->config().clock() : QDateTime::currentDateTimeUtc();
    if (m_refreshing.contains(now.userId) ||
        (now.hasOAuth2() && now.oauth2.expiresWithin(clock, oauth2::refreshMarginSeconds))) {
        refresh(now, context, std::move(done));
        return;
    }
    // On the event loop, like every other answer.
    QPointer<QObject> guard(context);
    QTimer::singleShot(0, this, [guard, hasContext = context != nullptr, now, done = std::move(done)] {
        if (!hasContext || guard)
            done(now);
    });
}

void UserTokenKeeper::refresh(const UserCredentials &user, QObject *context, Callback<UserCredentials> done)
{
    const QString userId = user.userId;
    const bool running = m_refreshing.contains(userId);
    m_refreshing[userId].append(Waiter {context, context != nullptr, std::move(done)});
    if (running)
        return;
    const UserCredentials now = latest(user);
    if (!m_client) {
        finishRefresh(userId, ApiError::make(ApiError::Kind::Cancelled, tr("The connection closed."), {}));
        return;
    }
    m_client->refreshOAuth2Token(now.oauth2.refreshToken, this,
                                 [this, now](const Result<oauth2::Token> &token) {
                                     if (!token) {
                                         const ApiError error = token.error();
                                         // Only X's word that the grant is over means "sign in again"; a
                                         // network problem or a rate limit is reported as itself, and the
                                         // next call tries again.
                                         const bool over = error.name == QLatin1String("invalid_grant") ||
                                             error.name == QLatin1String("invalid_request");
                                         if (!over) {
                                             finishRefresh(now.userId, error);
                                             return;
                                         }
                                         const ApiError again = signInAgain(now, error);
                                         Q_EMIT signInNeeded(now, again);
                                         finishRefresh(now.userId, again);
                                         return;
                                     }
                                     UserCredentials renewed = now;
                                     renewed.oauth2 = oauth2::mergeRefreshed(now.oauth2, token.value());
                                     m_latest.insert(renewed.userId, renewed);
                                     if (!m_save) {
                                         Q_EMIT refreshed(renewed);
                                         finishRefresh(renewed.userId, renewed);
                                         return;
                                     }
                                     QPointer<UserTokenKeeper> self(this);
                                     m_save(renewed, [self, renewed](const Result<Done> &saved) {
                                         if (!self)
                                             return;
                                         // The call goes on with the new token either way; a keychain that
                                         // refused it only means the next start needs a new sign-in, which
                                         // the owner hears about through its own save.
                                         Q_UNUSED(saved);
                                         Q_EMIT self->refreshed(renewed);
                                         self->finishRefresh(renewed.userId, renewed);
                                     });
                                 });
}

void UserTokenKeeper::finishRefresh(const QString &userId, const Result<UserCredentials> &result)
{
    const QList<Waiter> waiters = m_refreshing.take(userId);
    for (const Waiter &waiter : waiters) {
        if ((!waiter.hasContext || waiter.context) && waiter.done)
            waiter.done(result);
    }
}

ApiError UserTokenKeeper::signInAgain(const UserCredentials &user, const ApiError &cause)
{
    const QString who = user.username.isEmpty() ? tr("This account") : QStringLiteral("@") + user.username;
    ApiError error = cause;
    error.kind = ApiError::Kind::Authentication;
    error.name = QStringLiteral("sign_in_again");
    error.cause = tr("%1's OAuth 2.0 sign-in has ended and could not be renewed (%2).")
                      .arg(who, cause.serverMessage.isEmpty() ? cause.cause : cause.serverMessage);
    error.remedy =
        tr("Sign %1 in again with OAuth 2.0; the account and its subscriptions stay as they are.").arg(who);
    return error;
}

} // namespace activity
