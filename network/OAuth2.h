#pragma once

#include "Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// OAuth 2.0 Authorization Code with PKCE (RFC 6749, RFC 7636) as X implements it (reference
// x-api-2026.md §5): the pure parts, testable without a network. QtNetworkAuth 6.4's
// QOAuth2AuthorizationCodeFlow has no PKCE (added in Qt 6.8), cannot send client_id in the body for
// public clients the way X requires, and runs its own QNetworkAccessManager requests outside the
// endpoint catalogue, the request log and the redaction; so the protocol is written here and sent
// through ApiClient like every other call.
namespace activity::oauth2 {

// A fresh PKCE pair and state, from the system's random generator.
struct Pkce
{
    QByteArray verifier; // base64url without padding of 32 random bytes: 43 characters
    QByteArray challenge; // S256 of the verifier
    QByteArray state; // base64url of 32 random bytes, checked on the redirect
};
Pkce newPkce();
// base64url_nopad(SHA-256(verifier)) (RFC 7636 §4.2).
QByteArray s256Challenge(QByteArrayView verifier);
// 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1).
bool isValidVerifier(QByteArrayView verifier);

// Where the person approves the app. X's API hosts (api.x.com, api.twitter.com) authorize on
// https://x.com/i/oauth2/authorize; any other base URL (the sandbox, a test server) serves the page
// itself under /i/oauth2/authorize.
QUrl authorizeEndpoint(const QUrl &apiBaseUrl);

struct AuthorizeRequest
{
    QUrl endpoint; // authorizeEndpoint()
    QString clientId;
    QUrl redirectUri;
    QStringList scopes;
    QByteArray state;
    QByteArray challenge;
};
// response_type=code, client_id, redirect_uri, scope (space-separated, sent as %20), state,
// code_challenge, code_challenge_method=S256.
QUrl authorizeUrl(const AuthorizeRequest &request);

// X requires the redirect URI to match a registered one exactly; this is the same comparison for
// the URL the browser was sent to: scheme, host (any case), port and path equal, query ignored.
bool matchesRedirectUri(const QUrl &candidate, const QUrl &redirectUri);
// What a redirect URI must be: http(s) with a host, no fragment; http only to a loopback address
// (X: "http://127.0.0.1 for local development"). nullopt when fine, else a sentence for a person.
std::optional<QString> redirectUriProblem(const QUrl &redirectUri);

// What the authorization server put on the redirect URI (pure, so it can be fuzzed). Query and
// fragment are both read, the query winning.
struct Redirect
{
    QByteArray state;
    QByteArray code;
    QString error; // "access_denied", ...; empty on success
    QString errorDescription;
};
Redirect parseRedirect(const QUrl &url);
// The code of a redirect whose state matches, or the error that says what went wrong (denied,
// state mismatch, no code). Constant-time state comparison.
Result<QByteArray> codeFromRedirect(const Redirect &redirect, QByteArrayView expectedState);

// A user access token as the token endpoint returns it, plus when it expires.
struct Token
{
    QByteArray accessToken;
    QByteArray refreshToken; // only with offline.access
    QDateTime expiresAt; // UTC; invalid when the server gave no expires_in
    QStringList scopes; // granted, sorted; may differ from what was asked

    bool isEmpty() const { return accessToken.isEmpty(); }
    // Expired, or expires within `margin` of `now` (tokens are refreshed a little early).
    bool expiresWithin(const QDateTime &now, int marginSeconds) const
    {
        return expiresAt.isValid() && now.secsTo(expiresAt) <= marginSeconds;
    }
    friend bool operator==(const Token &, const Token &) = default;
};
// {"token_type":"bearer","expires_in":7200,"access_token":"…","scope":"a b","refresh_token":"…"}.
// token_type compared in any case; scope may be missing (then `requestedScopes`); `now` is when
// the answer arrived.
Result<Token> parseTokenResponse(const QByteArray &body, const QDateTime &now,
                                 const QStringList &requestedScopes = {});
// After a refresh: X may or may not rotate the refresh token, so a missing one keeps the old.
Token mergeRefreshed(const Token &previous, const Token &refreshed);

// Refresh this long before expiry (xurl uses 30 s; a minute also covers a slow clock).
inline constexpr int refreshMarginSeconds = 60;
// X's authorization codes live 30 seconds.
inline constexpr int codeLifetimeSeconds = 30;

// The scopes in `needed` that `granted` lacks, in `needed`'s order.
QStringList missingScopes(const QStringList &needed, const QStringList &granted);
// Splits a space-separated scope string, drops empties and duplicates, sorts.
QStringList parseScopes(QStringView text);
QString joinScopes(const QStringList &scopes);

// Every scope of spec 2.167 plus users.email (docs): what the scope editor offers.
const QStringList &knownScopes();
// Why the console asks for a scope, one short sentence.
QString scopeReason(const QString &scope);

// Ready-made scope sets: Account Activity, and the X Activity API's event families (§4.3).
struct ScopePreset
{
    QString id; // "account-activity"
    QString title; // "Account Activity (v2 subscribe and check)"
    QStringList scopes;
};
const QList<ScopePreset> &scopePresets();
const ScopePreset *findPreset(QStringView id);
// The Account Activity preset: dm.read dm.write tweet.read users.read offline.access.
QStringList accountActivityScopes();

} // namespace activity::oauth2
