#pragma once

// Internal to the sandbox library: what the emulated X holds for OAuth 2.0 Authorization Code with
// PKCE (x-api-2026.md §5): the apps' OAuth 2.0 clients, the authorization codes the authorize page
// hands out, and the grants (one per code exchange) with their access and refresh tokens. The
// World owns one; the authorize page, the token and revoke endpoints and the authenticator use it.
//
// Emulator choices where X documents nothing: a refresh rotates the refresh token (the old one stops
// working at once), while access tokens issued earlier keep working until they expire; revoking any
// token of a grant ends the whole grant.

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace activity::sandbox {

struct OAuth2Client
{
    QByteArray id;
    QByteArray secret; // empty: a public client (client_id in the body, no secret)
    QString appId;
    QStringList redirectUris; // compared exactly, as X does

    bool isPublic() const { return secret.isEmpty(); }
};

// What the person approved on the authorize page, waiting to be exchanged.
struct OAuth2Code
{
    static constexpr qint64 lifetimeSeconds = 30; // X: 30 seconds

    QByteArray code;
    QByteArray clientId;
    QString redirectUri;
    QByteArray challenge;
    QByteArray challengeMethod; // "S256" or "plain"
    QString userId;
    QStringList scopes; // granted (what the person left checked), sorted
    QDateTime createdAt;
    QString grantId; // set by the exchange: the code is used

    bool used() const { return !grantId.isEmpty(); }
    bool expiredAt(const QDateTime &now) const { return createdAt.secsTo(now) > lifetimeSeconds; }
};

// One authorization of a client by a user: the tokens issued for one code, and their refreshes.
struct OAuth2Grant
{
    QString id;
    QByteArray clientId;
    QString appId;
    QString userId;
    QStringList scopes; // sorted
    QByteArray refreshToken; // the current one; empty without offline.access
};

struct OAuth2AccessToken
{
    static constexpr qint64 lifetimeSeconds = 2 * 60 * 60; // X: 2 hours

    QByteArray token;
    QString grantId;
    QDateTime expiresAt;
};

// What the token endpoint answers on success.
struct OAuth2Issued
{
    QByteArray accessToken;
    QByteArray refreshToken; // empty without offline.access
    QStringList scopes;
    qint64 expiresIn = OAuth2AccessToken::lifetimeSeconds;
};

class OAuth2Store
{
public:
    // Used codes are remembered this long (reuse is answered, and revokes the grant); expired
    // access tokens this long after they expired (they answer 401 either way).
    static constexpr qint64 keepCodesSeconds = 10 * 60;
    static constexpr qint64 keepExpiredTokensSeconds = 24 * 60 * 60;

    QHash<QByteArray, OAuth2Client> clients; // by client id
    QHash<QByteArray, OAuth2Code> codes; // by code
    QHash<QString, OAuth2Grant> grants; // by id
    QHash<QByteArray, OAuth2AccessToken> accessTokens; // by token
    QHash<QByteArray, QString> refreshTokens; // current refresh token → grant id
    QHash<QString, int> tokenRequests; // token endpoint requests by grant_type, as sent

    const OAuth2Client *client(const QByteArray &id) const;
    // Registers one more redirect URI for a client (kept once); false for an unknown client.
    bool addRedirectUri(const QByteArray &clientId, const QString &redirectUri);
    // Stores an approved authorization; returns its new random code.
    QByteArray addCode(OAuth2Code code, const QDateTime &now);
    // A new grant with a fresh access token (and a refresh token when offline.access is granted).
    OAuth2Issued newGrant(const QByteArray &clientId, const QString &appId, const QString &userId,
                          const QStringList &scopes, const QDateTime &now, QString *grantId = nullptr);
    // A fresh access token and (when the grant has one) a fresh refresh token, which replaces the
    // old one.
    OAuth2Issued renew(const QString &grantId, const QDateTime &now);
    // The grant a live access token belongs to: nullptr when unknown, expired or revoked.
    const OAuth2Grant *grantOfAccessToken(const QByteArray &token, const QDateTime &now) const;
    // The grant an access or refresh token belongs to (expired access tokens too), or empty.
    QString grantIdOf(const QByteArray &token) const;
    // Ends a grant: every access token issued in it and its refresh token stop working.
    bool revoke(const QString &grantId);
    // Ends every grant of a user (as if they removed the app at x.com/settings/connected_apps).
    int revokeUser(const QString &userId);

private:
    void forgetStale(const QDateTime &now);
    QByteArray issueAccessToken(const QString &grantId, const QDateTime &now);

    qint64 m_nextGrant = 1;
};

} // namespace activity::sandbox
