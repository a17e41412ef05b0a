#pragma once

#include "ProfileStore.h"
#include "ResolvedProfile.h"
#include "Result.h"

#include <QObject>

#include <functional>

namespace activity {

// Turns the stored profiles and their signed-in accounts into the credentials a call needs: the
// one place where a Profile plus its keychain secrets becomes a ResolvedProfile, and an Account
// plus its tokens a UserCredentials. The console and activity-cli both resolve through it.
//
// Keychain problems arrive as ApiError kind MissingCredentials (a usage problem stays Validation).
// Callbacks run on the event loop, not at all once `context` is gone.
class ProfileResolver : public QObject
{
    Q_OBJECT
public:
    explicit ProfileResolver(ProfileStore *store, QObject *parent = nullptr);

    ProfileStore *store() const { return m_store; }

    // The stored profile named by `idOrName` (its id, or its name ignoring case); the error lists the
    // stored profiles.
    Result<Profile> find(const QString &idOrName) const;

    // The non-secret part only: no secrets, no accounts.
    static ResolvedProfile fromStored(const Profile &stored);
    static Profile toStored(const ResolvedProfile &profile);
    static ProfileSecrets secretsOf(const AppCredentials &credentials);
    static void applySecrets(AppCredentials &credentials, const ProfileSecrets &secrets);

    // Reads the profile's app secrets from the keychain (one round trip) into a ResolvedProfile.
    void resolve(const Profile &stored, QObject *context,
                 std::function<void(const Result<ResolvedProfile> &)> done);

    // The account `hint` names (user id, username or @username); without a hint the only one.
    // `purpose` names what needs it in the error ("subscriptions add").
    static Result<Account> chooseAccount(const QList<Account> &accounts, const QString &hint,
                                         const QString &profileName, const QString &purpose);
    // An account and its tokens as one call's user credentials, and back.
    static UserCredentials credentialsOf(const Account &account, const AccountTokens &tokens);
    static AccountTokens tokensOf(const UserCredentials &user);
    // Reads one signed-in account's tokens from the keychain.
    void loadAccount(const QString &profileId, const Account &account, QObject *context,
                     std::function<void(const Result<UserCredentials> &)> done);
    // Reads every signed-in account of the profile; `each` is called once per account.
    void loadAccounts(const QString &profileId, QObject *context,
                      std::function<void(const Account &, const Result<UserCredentials> &)> each);

private:
    ProfileStore *m_store;
};

} // namespace activity
