// activity-cli accounts remove: the OAuth 2.0 sign-in revoked at X first, then the account leaves
// the keychain and the profile.
#include "AccountSignIns.h"
#include "CliFormat.h"
#include "CliRunner.h"
#include "ProfileResolver.h"
#include "ProfileStore.h"

namespace activity::cli {

void Runner::removeAccount()
{
    if (m_profileId.isEmpty())
        return fail(
            ApiError::make(ApiError::Kind::MissingCredentials,
                           QStringLiteral("'accounts remove' works on a stored profile's accounts, and no "
                                          "profile was given."),
                           QStringLiteral("Pass --profile NAME.")));
    const QString hint = m_inv.arguments.value(0);
    const Result<Account> chosen =
        ProfileResolver::chooseAccount(m_profiles->accounts(m_profileId), hint, m_inv.profile, m_inv.command);
    if (!chosen)
        return fail(chosen.error());
    const Account account = chosen.value();
    confirmThen(
        QStringLiteral("Remove @%1 from profile '%2'? %3Its tokens leave the keychain; signing in again "
                       "brings it back.")
            .arg(account.username, m_profileName,
                 account.hasOAuth2 ? QStringLiteral("Its OAuth 2.0 sign-in is revoked at X first. ")
                                   : QString()),
        account.username, [this, account] {
            m_resolver->loadAccount(
                m_profileId, account, this, [this, account](const Result<UserCredentials> &user) {
                    // Unreadable tokens cannot be revoked, but the account still goes.
                    const UserCredentials credentials = user ? user.value() : UserCredentials {};
                    auto remove = [this, account](const std::optional<ApiError> &revokeProblem) {
                        m_profiles->removeAccount(
                            m_profileId, account.userId, this,
                            [this, account, revokeProblem](const Result<Done> &removed) {
                                if (!removed)
                                    return fail(removed.error());
                                format::accountRemoved(m_output, account, revokeProblem);
                                finish(revokeProblem ? exitCodeFor(*revokeProblem) : ExitOk);
                            });
                    };
                    if (!credentials.hasOAuth2())
                        return remove(std::nullopt);
                    if (!prepareClient({Operation::OAuth2Revoke}))
                        return;
                    accounts::revokeOAuth2(m_client.get(), credentials, this, remove);
                });
        });
}

} // namespace activity::cli
