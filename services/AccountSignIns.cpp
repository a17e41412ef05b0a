#include "AccountSignIns.h"

#include "ProfileResolver.h"

#include <QCoreApplication>
#include <QPointer>

namespace activity::accounts {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("activity::accounts", text);
}

// One token after the other; the first refusal ends it.
void revokeEach(QPointer<ApiClient> client, QList<QByteArray> tokens, QObject *context,
                std::function<void(const std::optional<ApiError> &)> done)
{
    if (tokens.isEmpty()) {
        done(std::nullopt);
        return;
    }
    if (!client) {
        done(ApiError::make(ApiError::Kind::Cancelled, tr("The connection closed.")));
        return;
    }
    const QByteArray token = tokens.takeFirst();
    client->revokeOAuth2Token(token, context, [client, tokens, context, done](const Result<Done> &revoked) {
        if (!revoked)
            return done(revoked.error());
        revokeEach(client, tokens, context, done);
    });
}

} // namespace

UserCredentials merged(const UserCredentials &previous, const UserCredentials &signedIn)
{
    UserCredentials result = previous;
    result.userId = signedIn.userId;
    if (!signedIn.username.isEmpty())
        result.username = signedIn.username;
    if (signedIn.hasOAuth1()) {
        result.token = signedIn.token;
        result.tokenSecret = signedIn.tokenSecret;
    }
    if (signedIn.hasOAuth2())
        result.oauth2 = signedIn.oauth2;
    return result;
}

void keep(ProfileStore *store, const QString &profileId, const UserCredentials &signedIn, QObject *context,
          std::function<void(const Result<UserCredentials> &)> done)
{
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    auto save = [store, profileId, guard, hasContext, done](const UserCredentials &user) {
        if (hasContext && !guard)
            return;
        Account account;
        account.userId = user.userId;
        account.username = user.username;
        account.signedInAt = QDateTime::currentDateTimeUtc();
        store->saveAccount(profileId, account, ProfileResolver::tokensOf(user), guard,
                           [user, done](const Result<Done> &saved) {
                               if (!saved)
                                   return done(saved.error());
                               done(user);
                           });
    };
    bool listed = false;
    for (const Account &account : store->accounts(profileId))
        listed = listed || account.userId == signedIn.userId;
    if (!listed) {
        save(signedIn);
        return;
    }
    store->loadAccountTokens(profileId, signedIn.userId, context,
                             [signedIn, save](const Result<AccountTokens> &tokens) {
                                 // An unreadable old entry is replaced by the new sign-in.
                                 UserCredentials previous;
                                 if (tokens)
                                     previous = ProfileResolver::credentialsOf({}, tokens.value());
                                 save(merged(previous, signedIn));
                             });
}

void saveRefreshed(ProfileStore *store, const QString &profileId, const UserCredentials &user,
                   QObject *context, std::function<void(const Result<Done> &)> done)
{
    Account account;
    for (const Account &listed : store->accounts(profileId)) {
        if (listed.userId == user.userId)
            account = listed;
    }
    if (account.userId.isEmpty()) {
        done(Done {});
        return;
    }
    store->saveAccount(profileId, account, ProfileResolver::tokensOf(user), context, std::move(done));
}

void revokeOAuth2(ApiClient *client, const UserCredentials &user, QObject *context,
                  std::function<void(const std::optional<ApiError> &problem)> done)
{
    QList<QByteArray> tokens;
    if (!user.oauth2.refreshToken.isEmpty())
        tokens.append(user.oauth2.refreshToken);
    if (!user.oauth2.accessToken.isEmpty())
        tokens.append(user.oauth2.accessToken);
    if (tokens.isEmpty() || !client) {
        done(tokens.isEmpty() ? std::nullopt
                              : std::optional<ApiError>(ApiError::make(ApiError::Kind::Cancelled,
                                                                       tr("There is no connection to X."))));
        return;
    }
    revokeEach(client, tokens, context, std::move(done));
}

QString revokeFailedText(const UserCredentials &user, const ApiError &problem)
{
    return tr("@%1 was removed here, but X could not be told to revoke the sign-in: %2 Revoke the app at "
              "https://x.com/settings/connected_apps to end it now; otherwise its access token expires "
              "within "
              "2 hours.")
        .arg(user.username, problem.text());
}

} // namespace activity::accounts
