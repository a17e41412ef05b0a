#include "ProfileResolver.h"

namespace activity {

ProfileResolver::ProfileResolver(ProfileStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
}

Result<Profile> ProfileResolver::find(const QString &idOrName) const
{
    QStringList known;
    for (const Profile &profile : m_store->profiles()) {
        known.append(profile.name);
        if (profile.id == idOrName || profile.name.compare(idOrName, Qt::CaseInsensitive) == 0)
            return profile;
    }
    return ApiError::make(ApiError::Kind::MissingCredentials,
                          tr("There is no stored profile named '%1'.").arg(idOrName),
                          known.isEmpty() ? tr("Create one in the console first, or use the ACTIVITY_* "
                                               "environment variables.")
                                          : tr("Stored profiles: %1.").arg(known.join(QStringLiteral(", "))));
}

ResolvedProfile ProfileResolver::fromStored(const Profile &stored)
{
    ResolvedProfile profile;
    profile.id = stored.id;
    profile.name = stored.name;
    profile.generation = stored.generation;
    profile.baseUrl = QUrl(stored.baseUrl);
    profile.callbackUrl = stored.callbackUrl;
    profile.credentials.consumerKey = stored.consumerKey.toUtf8();
    profile.credentials.oauth2ClientId = stored.oauth2ClientId.toUtf8();
    profile.oauth2RedirectUri = QUrl(stored.oauth2RedirectUri);
    profile.oauth2Scopes = stored.oauth2Scopes;
    profile.activityTier = stored.activityTier;
    // The profile's own word for plain http to a loopback address (the person confirmed it, or it
    // is a sandbox profile).
    profile.allowInsecureLoopback = stored.allowInsecureLoopback || stored.isSandbox;
    return profile;
}

Profile ProfileResolver::toStored(const ResolvedProfile &profile)
{
    Profile stored;
    stored.id = profile.id;
    stored.name = profile.name;
    stored.generation = profile.generation;
    stored.baseUrl = profile.baseUrl.toString();
    stored.consumerKey = QString::fromUtf8(profile.credentials.consumerKey);
    stored.callbackUrl = profile.callbackUrl;
    stored.allowInsecureLoopback = profile.allowInsecureLoopback;
    stored.oauth2ClientId = QString::fromUtf8(profile.credentials.oauth2ClientId);
    stored.oauth2RedirectUri = profile.oauth2RedirectUri.toString();
    stored.oauth2Scopes = profile.oauth2Scopes;
    stored.activityTier = profile.activityTier;
    return stored;
}

ProfileSecrets ProfileResolver::secretsOf(const AppCredentials &credentials)
{
    return ProfileSecrets {credentials.consumerSecret, credentials.ownerToken, credentials.ownerTokenSecret,
                           credentials.bearerToken, credentials.oauth2ClientSecret};
}

void ProfileResolver::applySecrets(AppCredentials &credentials, const ProfileSecrets &secrets)
{
    credentials.consumerSecret = secrets.consumerSecret;
    credentials.ownerToken = secrets.ownerToken;
    credentials.ownerTokenSecret = secrets.ownerTokenSecret;
    credentials.bearerToken = secrets.bearerToken;
    credentials.oauth2ClientSecret = secrets.oauth2ClientSecret;
}

void ProfileResolver::resolve(const Profile &stored, QObject *context,
                              std::function<void(const Result<ResolvedProfile> &)> done)
{
    m_store->loadSecrets(stored.id, context,
                         [stored, done = std::move(done)](const Result<ProfileSecrets> &secrets) {
                             if (!secrets) {
                                 ApiError error = secrets.error();
                                 if (error.kind != ApiError::Kind::Validation)
                                     error.kind = ApiError::Kind::MissingCredentials;
                                 done(error);
                                 return;
                             }
                             ResolvedProfile profile = fromStored(stored);
                             applySecrets(profile.credentials, secrets.value());
                             done(profile);
                         });
}

Result<Account> ProfileResolver::chooseAccount(const QList<Account> &accounts, const QString &hint,
                                               const QString &profileName, const QString &purpose)
{
    const QString wanted = QString(hint).remove(QLatin1Char('@'));
    QStringList names;
    for (const Account &account : accounts) {
        names.append(QLatin1Char('@') + account.username);
        if (!hint.isEmpty() &&
            (account.userId == hint || account.username.compare(wanted, Qt::CaseInsensitive) == 0))
            return account;
    }
    if (hint.isEmpty() && accounts.size() == 1)
        return accounts.constFirst();
    if (accounts.isEmpty())
        return ApiError::make(ApiError::Kind::MissingCredentials,
                              tr("No account has signed in to profile '%1'.").arg(profileName),
                              tr("Sign a user in from the console, or set ACTIVITY_USER_TOKEN and "
                                 "ACTIVITY_USER_TOKEN_SECRET."));
    return ApiError::make(ApiError::Kind::MissingCredentials,
                          tr("Which signed-in account should '%1' use?").arg(purpose),
                          tr("Pass --user with one of: %1.").arg(names.join(QStringLiteral(", "))));
}

UserCredentials ProfileResolver::credentialsOf(const Account &account, const AccountTokens &tokens)
{
    UserCredentials user;
    user.token = tokens.token;
    user.tokenSecret = tokens.tokenSecret;
    user.userId = account.userId;
    user.username = account.username;
    user.oauth2 = tokens.oauth2;
    return user;
}

AccountTokens ProfileResolver::tokensOf(const UserCredentials &user)
{
    AccountTokens tokens;
    tokens.token = user.token;
    tokens.tokenSecret = user.tokenSecret;
    tokens.oauth2 = user.oauth2;
    return tokens;
}

void ProfileResolver::loadAccount(const QString &profileId, const Account &account, QObject *context,
                                  std::function<void(const Result<UserCredentials> &)> done)
{
    m_store->loadAccountTokens(profileId, account.userId, context,
                               [account, done = std::move(done)](const Result<AccountTokens> &tokens) {
                                   if (!tokens) {
                                       ApiError error = tokens.error();
                                       error.kind = ApiError::Kind::MissingCredentials;
                                       done(error);
                                       return;
                                   }
                                   done(credentialsOf(account, tokens.value()));
                               });
}

void ProfileResolver::loadAccounts(const QString &profileId, QObject *context,
                                   std::function<void(const Account &, const Result<UserCredentials> &)> each)
{
    for (const Account &account : m_store->accounts(profileId))
        loadAccount(profileId, account, context,
                    [account, each](const Result<UserCredentials> &user) { each(account, user); });
}

} // namespace activity
