// OAuth 2.0 clients, authorization codes and grants: issuing, rotating, revoking and forgetting.

#include "OAuth2Store.h"

#include "RandomToken.h"

#include <QSet>

namespace activity::sandbox {

const OAuth2Client *OAuth2Store::client(const QByteArray &id) const
{
    const auto it = clients.constFind(id);
    return it == clients.cend() ? nullptr : &it.value();
}

bool OAuth2Store::addRedirectUri(const QByteArray &clientId, const QString &redirectUri)
{
    const auto it = clients.find(clientId);
    if (it == clients.end())
        return false;
    if (!it->redirectUris.contains(redirectUri))
        it->redirectUris.append(redirectUri);
    return true;
}

QByteArray OAuth2Store::addCode(OAuth2Code code, const QDateTime &now)
{
    forgetStale(now);
    code.code = randomToken(30);
    code.createdAt = now;
    code.grantId.clear();
    const QByteArray value = code.code;
    codes.insert(value, std::move(code));
    return value;
}

QByteArray OAuth2Store::issueAccessToken(const QString &grantId, const QDateTime &now)
{
    OAuth2AccessToken token;
    token.token = randomToken(48);
    token.grantId = grantId;
    token.expiresAt = now.addSecs(OAuth2AccessToken::lifetimeSeconds);
    accessTokens.insert(token.token, token);
    return token.token;
}

OAuth2Issued OAuth2Store::newGrant(const QByteArray &clientId, const QString &appId, const QString &userId,
                                   const QStringList &scopes, const QDateTime &now, QString *grantId)
{
    forgetStale(now);
    OAuth2Grant grant;
    grant.id = QString::number(m_nextGrant++);
    grant.clientId = clientId;
    grant.appId = appId;
    grant.userId = userId;
    grant.scopes = scopes;
    grant.scopes.sort();
    // X issues a refresh token only when offline.access was granted (x-api-2026.md §5.2).
    if (grant.scopes.contains(QLatin1String("offline.access"))) {
        grant.refreshToken = randomToken(48);
        refreshTokens.insert(grant.refreshToken, grant.id);
    }
    grants.insert(grant.id, grant);
    if (grantId)
        *grantId = grant.id;
    return OAuth2Issued {issueAccessToken(grant.id, now), grant.refreshToken, grant.scopes};
}

OAuth2Issued OAuth2Store::renew(const QString &grantId, const QDateTime &now)
{
    forgetStale(now);
    const auto it = grants.find(grantId);
    if (it == grants.end())
        return {};
    if (!it->refreshToken.isEmpty()) {
        refreshTokens.remove(it->refreshToken);
        it->refreshToken = randomToken(48);
        refreshTokens.insert(it->refreshToken, grantId);
    }
    return OAuth2Issued {issueAccessToken(grantId, now), it->refreshToken, it->scopes};
}

const OAuth2Grant *OAuth2Store::grantOfAccessToken(const QByteArray &token, const QDateTime &now) const
{
    const auto it = accessTokens.constFind(token);
    if (it == accessTokens.cend() || it->expiresAt <= now)
        return nullptr;
    const auto grant = grants.constFind(it->grantId);
    return grant == grants.cend() ? nullptr : &grant.value();
}

QString OAuth2Store::grantIdOf(const QByteArray &token) const
{
    if (const auto it = accessTokens.constFind(token); it != accessTokens.cend())
        return it->grantId;
    return refreshTokens.value(token);
}

bool OAuth2Store::revoke(const QString &grantId)
{
    const auto it = grants.find(grantId);
    if (it == grants.end())
        return false;
    refreshTokens.remove(it->refreshToken);
    grants.erase(it);
    for (auto token = accessTokens.begin(); token != accessTokens.end();) {
        if (token->grantId == grantId)
            token = accessTokens.erase(token);
        else
            ++token;
    }
    return true;
}

int OAuth2Store::revokeUser(const QString &userId)
{
    QStringList ids;
    for (const OAuth2Grant &grant : std::as_const(grants)) {
        if (grant.userId == userId)
            ids.append(grant.id);
    }
    for (const QString &id : std::as_const(ids))
        revoke(id);
    return int(ids.size());
}

void OAuth2Store::forgetStale(const QDateTime &now)
{
    for (auto it = codes.begin(); it != codes.end();) {
        if (it->createdAt.secsTo(now) > keepCodesSeconds)
            it = codes.erase(it);
        else
            ++it;
    }
    for (auto it = accessTokens.begin(); it != accessTokens.end();) {
        if (it->expiresAt.secsTo(now) > keepExpiredTokensSeconds)
            it = accessTokens.erase(it);
        else
            ++it;
    }
    // A grant whose access tokens are all gone and that cannot be refreshed is over.
    QSet<QString> live;
    for (const OAuth2AccessToken &token : std::as_const(accessTokens))
        live.insert(token.grantId);
    for (auto it = grants.begin(); it != grants.end();) {
        if (it->refreshToken.isEmpty() && !live.contains(it->id))
            it = grants.erase(it);
        else
            ++it;
    }
}

} // namespace activity::sandbox
