#pragma once

#include "ApiClient.h"
#include "Result.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>

namespace activity {

// Keeps signed-in users' OAuth 2.0 access tokens fresh for one client (one profile), the way the
// console and activity-cli both call as a user:
// - before a call that will be signed with the OAuth 2.0 token, a token that expires within
//   oauth2::refreshMarginSeconds is refreshed first;
// - a call answered 401 while signed with it is retried once after a forced refresh;
// - refreshes are serialised per account: calls arriving while one runs wait for it, so two calls
//   never refresh the same token (which X may rotate) at once;
// - refreshed tokens go to `save` (the keychain, for a stored profile) before the waiting calls go
//   on, and refreshed() tells the owner to update what it shows;
// - a refresh X refuses (revoked, expired refresh token, none held) fails the call with an error
//   named "sign_in_again" that says so, emits signInNeeded(), and leaves the account as it was.
class UserTokenKeeper : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Callback = ApiClient::Callback<T>;
    // Sends one call as `user` (with the credentials to use now) and reports through `done`.
    template<typename T>
    using Send = std::function<void(const UserCredentials &user, QObject *context, Callback<T> done)>;
    using Save =
        std::function<void(const UserCredentials &user, std::function<void(const Result<Done> &)> saved)>;

    explicit UserTokenKeeper(ApiClient *client, QObject *parent = nullptr);

    ApiClient *client() const { return m_client; }
    // Where refreshed tokens are kept; none: memory only (the built-in sandbox, the environment).
    void setSave(Save save) { m_save = std::move(save); }

    // The newest credentials known for `user` (after refreshes in this run), else `user` itself.
    UserCredentials latest(const UserCredentials &user) const;
    // A new sign-in replaces what was kept for the account; a removed account is forgotten.
    void remember(const UserCredentials &user);
    void forget(const QString &userId);

    // `user`'s credentials, refreshed first when the OAuth 2.0 token is (nearly) expired.
    void fresh(const UserCredentials &user, QObject *context, Callback<UserCredentials> done);
    // Refreshes now (after a 401), joining a refresh already under way.
    void refresh(const UserCredentials &user, QObject *context, Callback<UserCredentials> done);

    // A call of `operation` as `user`: fresh first, once more after a 401 when it was signed with
    // the OAuth 2.0 token.
    template<typename T>
    void call(Operation operation, const UserCredentials &user, QObject *context, Send<T> send,
              Callback<T> done)
    {
        const UserCredentials now = latest(user);
        if (!usesOAuth2(operation, now)) {
            attempt<T>(operation, now, false, context, std::move(send), std::move(done));
            return;
        }
        fresh(
            now, context,
            [this, operation, context, send = std::move(send), done](const Result<UserCredentials> &renewed) {
                if (!renewed)
                    return done(renewed.error());
                attempt<T>(operation, renewed.value(), false, context, send, done);
            });
    }

    // Whether a call of `operation` as `user` is signed with the OAuth 2.0 token.
    bool usesOAuth2(Operation operation, const UserCredentials &user) const;

Q_SIGNALS:
    void refreshed(const activity::UserCredentials &user);
    // The account's OAuth 2.0 sign-in is over: it must sign in again. Nothing was removed.
    void signInNeeded(const activity::UserCredentials &user, const activity::ApiError &error);

private:
    // Sends once; a 401 to a call signed with the OAuth 2.0 token refreshes and sends once more.
    template<typename T>
    void attempt(Operation operation, const UserCredentials &user, bool retried, QObject *context,
                 Send<T> send, Callback<T> done)
    {
        const bool signedWithOAuth2 = usesOAuth2(operation, user);
        QPointer<UserTokenKeeper> self(this);
        send(
            user, context,
            [self, operation, user, retried, signedWithOAuth2, context, send, done](const Result<T> &result) {
                if (result || result.error().httpStatus != 401 || !signedWithOAuth2 || retried || !self) {
                    done(result);
                    return;
                }
                self->refresh(user, context,
                              [self, operation, context, send, done](const Result<UserCredentials> &renewed) {
                                  if (!renewed)
                                      return done(renewed.error());
                                  if (self)
                                      self->attempt<T>(operation, renewed.value(), true, context, send, done);
                              });
            });
    }

    struct Waiter
    {
        QPointer<QObject> context;
        bool hasContext = false;
        Callback<UserCredentials> done;
    };
    void finishRefresh(const QString &userId, const Result<UserCredentials> &result);
    static ApiError signInAgain(const UserCredentials &user, const ApiError &cause);

    QPointer<ApiClient> m_client;
    Save m_save;
    QHash<QString, UserCredentials> m_latest; // by user id
    QHash<QString, QList<Waiter>> m_refreshing; // by user id: who waits for the refresh under way
};

} // namespace activity
