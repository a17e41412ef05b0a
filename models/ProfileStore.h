#pragma once

#include "ActivityEventTypes.h"
#include "ApiTypes.h"
#include "OAuth2.h"
#include "Result.h"

#include <QDateTime>
#include <QObject>
#include <QSettings>
#include <QStringList>

#include <functional>
#include <optional>

namespace activity {

class SecretStore;
class SecretJob;

// One X app the console works with.
struct Profile
{
    QString id; // stable uuid; empty on a new profile: saveProfile() assigns one
    QString name;
    ApiGeneration generation = ApiGeneration::V2;
    QString baseUrl;
    QString consumerKey; // not secret: it is sent in clear in every OAuth header
    QString callbackUrl; // empty = PIN (out-of-band) sign-in
    bool isSandbox = false; // a sandbox's demo app: plain http to a loopback address is fine
    // The person confirmed plain http to a loopback base URL (a local test server).
    bool allowInsecureLoopback = false;
    // OAuth 2.0 user sign-in: the client id (not secret, like the consumer key), the redirect URI
    // registered for it in the developer portal, and the scopes to ask for (empty: the Account
    // Activity preset).
    QString oauth2ClientId = {};
    QString oauth2RedirectUri = {};
    QStringList oauth2Scopes = {};
    // The app's X Activity API access tier: its subscription limit (the quota bar).
    xaa::Tier activityTier = xaa::Tier::Enterprise;

    friend bool operator==(const Profile &, const Profile &) = default;
};

// What must never reach a settings file. Values are text (X issues ASCII keys and tokens).
struct ProfileSecrets
{
    QByteArray consumerSecret;
    QByteArray ownerToken;
    QByteArray ownerTokenSecret;
    QByteArray bearerToken;
    QByteArray oauth2ClientSecret = {}; // empty for a public OAuth 2.0 client

    friend bool operator==(const ProfileSecrets &, const ProfileSecrets &) = default;
};

// A user who signed in to a profile's app, so that their account can be subscribed.
struct Account
{
    QString userId;
    QString username; // without the @
    QDateTime signedInAt; // UTC
    // How the account signed in; both when it did both ways. Which one a call uses is decided per
    // call (ApiClient::userCredentialFor).
    bool hasOAuth1 = true;
    bool hasOAuth2 = false;

    friend bool operator==(const Account &, const Account &) = default;
};

// An account's tokens: only ever in the keychain. Either part may be empty.
struct AccountTokens
{
    QByteArray token; // OAuth 1.0a
    QByteArray tokenSecret;
    oauth2::Token oauth2 = {}; // access token, refresh token, expiry and granted scopes

    friend bool operator==(const AccountTokens &, const AccountTokens &) = default;
};

// Profiles and their signed-in accounts. The non-secret part lives in the injected QSettings; the
// secrets live in the keychain, only through SecretStore: one JSON value per profile
// ("profile/<id>/app") and one per account ("profile/<id>/user/<userId>"), so that loading a
// profile is one keychain round trip. There is no plaintext fallback: without a keychain the
// async calls answer with an ApiError of kind MissingCredentials that says what to do.
//
// Keychain entries that still have to be deleted (a removed profile or account) are listed in the
// settings until the keychain confirms, so that nothing is orphaned when the keychain is away;
// retryPendingRemovals() tries again.
//
// Callbacks run on the event loop, never inside the call, and not at all once `context` is gone.
class ProfileStore : public QObject
{
    Q_OBJECT
public:
    using DoneCallback = std::function<void(const Result<Done> &)>;

    ProfileStore(QSettings *settings, SecretStore *secrets, QObject *parent = nullptr);

    // Sorted by name, ignoring case.
    QList<Profile> profiles() const;
    std::optional<Profile> profile(const QString &id) const;
    // Creates or updates; returns the id (a new uuid when profile.id is empty or unusable).
    QString saveProfile(const Profile &profile);
    // Removes the profile at once and then its keychain entries (its app secrets and every
    // account's tokens). `done` reports whether the keychain confirmed.
    void removeProfile(const QString &id, QObject *context = nullptr, DoneCallback done = {});

    void saveSecrets(const QString &id, const ProfileSecrets &secrets, QObject *context, DoneCallback done);
    void loadSecrets(const QString &id, QObject *context,
                     std::function<void(const Result<ProfileSecrets> &)> done);

    QString currentProfileId() const;
    void setCurrentProfileId(const QString &id);

    // Sorted by username, ignoring case.
    QList<Account> accounts(const QString &profileId) const;
    // Writes the tokens first and lists the account only once the keychain has them; the account's
    // sign-in kinds follow the tokens. Also how refreshed OAuth 2.0 tokens are kept.
    void saveAccount(const QString &profileId, const Account &account, const AccountTokens &tokens,
                     QObject *context, DoneCallback done);
    // Unlists the account at once, then deletes its tokens from the keychain.
    void removeAccount(const QString &profileId, const QString &userId, QObject *context, DoneCallback done);
    void loadAccountTokens(const QString &profileId, const QString &userId, QObject *context,
                           std::function<void(const Result<AccountTokens> &)> done);

    QStringList pendingSecretRemovals() const;
    void retryPendingRemovals(QObject *context = nullptr, DoneCallback done = {});

    static QString appSecretKey(const QString &profileId);
    static QString accountTokenKey(const QString &profileId, const QString &userId);

Q_SIGNALS:
    void profilesChanged();
    void accountsChanged(const QString &profileId);
    void currentProfileChanged(const QString &profileId);

private:
    bool hasProfile(const QString &id) const;
    void addPendingRemovals(const QStringList &keys);
    void dropPendingRemoval(const QString &key);
    void removeSecretKeys(const QStringList &keys, QObject *context, DoneCallback done);
    template<typename T>
    void answerLater(QObject *context, std::function<void(const Result<T> &)> done, Result<T> result);

    QSettings *m_settings;
    SecretStore *m_secrets;
};

} // namespace activity
