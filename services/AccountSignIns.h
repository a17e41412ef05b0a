#pragma once

#include "ApiClient.h"
#include "ProfileStore.h"
#include "Result.h"

#include <QObject>

#include <functional>
#include <optional>

// What happens to an account when it signs in and when it is removed, the same in the console and
// activity-cli.
namespace activity::accounts {

// The account after a sign-in: the part just signed in (OAuth 1.0a or OAuth 2.0, whichever
// `signedIn` carries) replaces the old one; the other part of `previous` stays.
UserCredentials merged(const UserCredentials &previous, const UserCredentials &signedIn);

// Keeps a sign-in under a stored profile: merges it with what the keychain holds for that account
// (when it is listed), then saves account and tokens. `done` gets the merged credentials.
void keep(ProfileStore *store, const QString &profileId, const UserCredentials &signedIn, QObject *context,
          std::function<void(const Result<UserCredentials> &)> done);

// Keeps refreshed tokens (UserTokenKeeper's save) in the keychain entry of the account as listed
// under the stored profile; an account removed meanwhile is not brought back (`done` gets Done).
void saveRefreshed(ProfileStore *store, const QString &profileId, const UserCredentials &user,
                   QObject *context, std::function<void(const Result<Done> &)> done);

// Revokes the account's OAuth 2.0 grant at X (the refresh token, then the access token; X ends the
// whole grant, and an unknown token is fine by RFC 7009). `done` gets nullopt when X confirmed or
// there was nothing to revoke, else what went wrong. The caller removes the account either way.
void revokeOAuth2(ApiClient *client, const UserCredentials &user, QObject *context,
                  std::function<void(const std::optional<ApiError> &problem)> done);
// A sentence for the person when the revocation failed: the account is gone here, but X may still
// honour its tokens until they expire or the person revokes the app.
QString revokeFailedText(const UserCredentials &user, const ApiError &problem);

} // namespace activity::accounts
