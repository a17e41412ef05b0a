#include "OAuth2.h"

#include "ParseSupport.h"
#include "Validation.h"

#include <QCryptographicHash>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUrlQuery>

#include <algorithm>

namespace activity::oauth2 {

namespace {

constexpr auto base64url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray randomBase64Url(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(raw.begin(), raw.end());
    return raw.toBase64(base64url);
}

bool constantTimeEqual(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

ApiError signInError(const QString &cause, const QString &remedy, const QString &name = {})
{
    ApiError error = ApiError::make(ApiError::Kind::Authentication, cause, remedy);
    error.name = name;
    return error;
}

QString pathOf(const QUrl &url)
{
    const QString path = url.path(QUrl::FullyDecoded);
    return path.isEmpty() ? QStringLiteral("/") : path;
}

} // namespace

QByteArray s256Challenge(QByteArrayView verifier)
{
    return QCryptographicHash::hash(verifier, QCryptographicHash::Sha256).toBase64(base64url);
}

bool isValidVerifier(QByteArrayView verifier)
{
    if (verifier.size() < 43 || verifier.size() > 128)
        return false;
    return std::all_of(verifier.begin(), verifier.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '.' || c == '_' || c == '~';
    });
}

Pkce newPkce()
{
    Pkce pkce;
    pkce.verifier = randomBase64Url(32);
    pkce.challenge = s256Challenge(pkce.verifier);
    pkce.state = randomBase64Url(32);
    return pkce;
}

QUrl authorizeEndpoint(const QUrl &apiBaseUrl)
{
    const QString host = apiBaseUrl.host().toLower();
    if (host == QLatin1String("api.x.com") || host == QLatin1String("api.twitter.com"))
        return QUrl(QStringLiteral("https://x.com/i/oauth2/authorize"));
    QUrl url = apiBaseUrl;
    QString prefix = url.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + QStringLiteral("/i/oauth2/authorize"));
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

QUrl authorizeUrl(const AuthorizeRequest &request)
{
    // Built by hand so that every value is percent-encoded the same way (QUrlQuery would leave
    // ':' and '/' of the redirect URI and encode the scope's spaces inconsistently).
    const auto pair = [](const char *key, const QByteArray &value) -> QByteArray {
        return QByteArray(key) + '=' + QUrl::toPercentEncoding(QString::fromUtf8(value));
    };
    const QList<QByteArray> parts {
        pair("response_type", "code"),
        pair("client_id", request.clientId.toUtf8()),
        pair("redirect_uri", request.redirectUri.toString(QUrl::FullyEncoded).toUtf8()),
        pair("scope", joinScopes(request.scopes).toUtf8()),
        pair("state", request.state),
        pair("code_challenge", request.challenge),
        pair("code_challenge_method", "S256"),
    };
    QUrl url = request.endpoint;
    url.setQuery(QString::fromLatin1(parts.join('&')), QUrl::StrictMode);
    return url;
}

bool matchesRedirectUri(const QUrl &candidate, const QUrl &redirectUri)
{
    if (!candidate.isValid() || !redirectUri.isValid())
        return false;
    return candidate.scheme().compare(redirectUri.scheme(), Qt::CaseInsensitive) == 0 &&
        candidate.host().compare(redirectUri.host(), Qt::CaseInsensitive) == 0 &&
        candidate.port(candidate.scheme() == QLatin1String("https") ? 443 : 80) ==
        redirectUri.port(redirectUri.scheme() == QLatin1String("https") ? 443 : 80) &&
        pathOf(candidate) == pathOf(redirectUri);
}

std::optional<QString> redirectUriProblem(const QUrl &redirectUri)
{
    if (redirectUri.isEmpty())
        return QStringLiteral(
            "The redirect URI is empty. Enter the callback URL registered for the app's "
            "OAuth 2.0 settings in X's developer portal, e.g. http://127.0.0.1:8976/callback.");
    if (!redirectUri.isValid() || redirectUri.host().isEmpty())
        return QStringLiteral("“%1” is not a complete URL. Enter it as registered in the developer portal, "
                              "e.g. http://127.0.0.1:8976/callback.")
            .arg(redirectUri.toString());
    const QString scheme = redirectUri.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return QStringLiteral("The redirect URI must start with https:// (or http:// to 127.0.0.1 for a "
                              "local callback); “%1” does not.")
            .arg(redirectUri.toString());
    if (scheme == QLatin1String("http") && !validate::isLoopbackAddress(redirectUri.host()))
        return QStringLiteral(
            "A plain http redirect URI must point at this computer (http://127.0.0.1:PORT/...); "
            "use https:// for any other host.");
    if (redirectUri.hasFragment())
        return QStringLiteral(
            "A redirect URI cannot have a #fragment; remove it here and in the developer portal.");
    return std::nullopt;
}

Redirect parseRedirect(const QUrl &url)
{
    Redirect redirect;
    const auto read = [&redirect](const QUrlQuery &query) {
        const auto take = [&query](const char *key) {
            return query.queryItemValue(QString::fromLatin1(key), QUrl::FullyDecoded);
        };
        if (redirect.state.isEmpty())
            redirect.state = take("state").toUtf8();
        if (redirect.code.isEmpty())
            redirect.code = take("code").toUtf8();
        if (redirect.error.isEmpty())
            redirect.error = take("error");
        if (redirect.errorDescription.isEmpty())
            redirect.errorDescription = take("error_description");
    };
    // '+' means a space in form encoding; QUrlQuery leaves it alone.
    const auto query = [](QString text) {
        return QUrlQuery(text.replace(QLatin1Char('+'), QLatin1String("%20")));
    };
    read(query(url.query(QUrl::FullyEncoded)));
    read(query(url.fragment(QUrl::FullyEncoded)));
    return redirect;
}

Result<QByteArray> codeFromRedirect(const Redirect &redirect, QByteArrayView expectedState)
{
    if (!redirect.error.isEmpty()) {
        if (redirect.error == QLatin1String("access_denied"))
            return signInError(
                QStringLiteral("The sign-in was cancelled on X's page: the app was not authorised."),
                QStringLiteral("Sign in again and choose “Authorize app” if you want this "
                               "account to be used."),
                redirect.error);
        return signInError(QStringLiteral("X ended the sign-in with “%1”%2.")
                               .arg(redirect.error,
                                    redirect.errorDescription.isEmpty()
                                        ? QString()
                                        : QStringLiteral(": %1").arg(redirect.errorDescription.left(200))),
                           QStringLiteral("Check the profile's OAuth 2.0 client id, redirect URI and scopes "
                                          "against the developer portal, then sign in again."),
                           redirect.error);
    }
    if (redirect.state.isEmpty() || !constantTimeEqual(redirect.state, expectedState))
        return signInError(
            QStringLiteral("The sign-in answer does not belong to this sign-in (its state does "
                           "not match), so it was ignored."),
            QStringLiteral("Sign in again from the console; do not reuse an older sign-in page."),
            QStringLiteral("state_mismatch"));
    if (redirect.code.isEmpty())
        return signInError(QStringLiteral("X's answer on the redirect URI has no authorization code."),
                           QStringLiteral("Sign in again; if it happens again, check the redirect URI."),
                           QStringLiteral("missing_code"));
    return redirect.code;
}

QStringList parseScopes(QStringView text)
{
    QStringList scopes;
    for (const QStringView part : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString scope = part.trimmed().toString();
        if (!scope.isEmpty() && !scopes.contains(scope))
            scopes.append(scope);
    }
    std::sort(scopes.begin(), scopes.end());
    return scopes;
}

QString joinScopes(const QStringList &scopes)
{
    return scopes.join(QLatin1Char(' '));
}

Result<Token> parseTokenResponse(const QByteArray &body, const QDateTime &now,
                                 const QStringList &requestedScopes)
{
    using namespace parse::detail;
    const QString expected = QStringLiteral(
        "{\"token_type\":\"bearer\",\"expires_in\":7200,\"access_token\":\"...\",\"scope\":\"...\"}");
    const Result<QJsonObject> read = topObject(body, expected);
    if (!read)
        return read.error();
    const QJsonObject top = read.value();
    if (auto error = errorsOnly(top, body))
        return *error;
    const QJsonValue type = top.value(QLatin1String("token_type"));
    if (!type.isString() || type.toString().compare(QLatin1String("bearer"), Qt::CaseInsensitive) != 0)
        return malformed(expected,
                         QStringLiteral("the token type is ") +
                             (type.isString() ? quoted(type.toString()) : typeName(type)));
    const QJsonValue access = top.value(QLatin1String("access_token"));
    if (!access.isString() || access.toString().isEmpty())
        return malformed(expected,
                         QStringLiteral("\"access_token\" is ") +
                             (access.isString() ? QStringLiteral("empty") : typeName(access)));
    Token token;
    token.accessToken = access.toString().toUtf8();
    const QJsonValue refresh = top.value(QLatin1String("refresh_token"));
    if (refresh.isString())
        token.refreshToken = refresh.toString().toUtf8();
    const QJsonValue expiresIn = top.value(QLatin1String("expires_in"));
    // A number, or a number in a string (some gateways); nonsense is ignored rather than trusted.
    const double seconds = expiresIn.isString() ? expiresIn.toString().toDouble() : expiresIn.toDouble(-1);
    if (seconds > 0 && seconds < 10.0 * 365 * 24 * 3600)
        token.expiresAt = now.toUTC().addSecs(qint64(seconds));
    // A missing or empty "scope" (RFC 6749 §5.1: the same as asked for) means the scopes asked for.
    const QJsonValue scope = top.value(QLatin1String("scope"));
    token.scopes = scope.isString() ? parseScopes(scope.toString()) : QStringList();
    if (token.scopes.isEmpty())
        token.scopes = parseScopes(joinScopes(requestedScopes));
    return token;
}

Token mergeRefreshed(const Token &previous, const Token &refreshed)
{
    Token merged = refreshed;
    if (merged.refreshToken.isEmpty())
        merged.refreshToken = previous.refreshToken;
    if (merged.scopes.isEmpty())
        merged.scopes = previous.scopes;
    return merged;
}

QStringList missingScopes(const QStringList &needed, const QStringList &granted)
{
    QStringList missing;
    for (const QString &scope : needed) {
        if (!granted.contains(scope))
            missing.append(scope);
    }
    return missing;
}

const QStringList &knownScopes()
{
    static const QStringList scopes {
        QStringLiteral("block.read"),
        QStringLiteral("block.write"),
        QStringLiteral("bookmark.read"),
        QStringLiteral("bookmark.write"),
        QStringLiteral("broadcast.read"),
        QStringLiteral("broadcast.write"),
        QStringLiteral("dm.read"),
        QStringLiteral("dm.write"),
        QStringLiteral("follows.read"),
        QStringLiteral("follows.write"),
        QStringLiteral("like.read"),
        QStringLiteral("like.write"),
        QStringLiteral("list.read"),
        QStringLiteral("list.write"),
        QStringLiteral("media.write"),
        QStringLiteral("mute.read"),
        QStringLiteral("mute.write"),
        QStringLiteral("offline.access"),
        QStringLiteral("space.read"),
        QStringLiteral("timeline.read"),
        QStringLiteral("tweet.moderate.write"),
        QStringLiteral("tweet.read"),
        QStringLiteral("tweet.write"),
        QStringLiteral("users.email"),
        QStringLiteral("users.read"),
    };
    return scopes;
}

QString scopeReason(const QString &scope)
{
    if (scope == QLatin1String("dm.read"))
        return QStringLiteral("Account Activity subscriptions and the X Activity API's DM and chat events.");
    if (scope == QLatin1String("dm.write"))
        return QStringLiteral("Required by X for Account Activity subscribe and check (v2).");
    if (scope == QLatin1String("tweet.read"))
        return QStringLiteral("Reading posts; required for subscriptions and for looking up who signed in.");
    if (scope == QLatin1String("users.read"))
        return QStringLiteral("Looking up who signed in (GET /2/users/me); required for subscriptions.");
    if (scope == QLatin1String("offline.access"))
        return QStringLiteral("A refresh token, so the console renews the 2-hour access token without "
                              "asking you to sign in again.");
    if (scope == QLatin1String("like.read"))
        return QStringLiteral("X Activity API like events.");
    if (scope == QLatin1String("mute.read"))
        return QStringLiteral("X Activity API mute and unmute events.");
    if (scope == QLatin1String("block.read"))
        return QStringLiteral("X Activity API block and unblock events.");
    if (scope == QLatin1String("broadcast.read"))
        return QStringLiteral("X Activity API broadcast chat events (the docs ask for it).");
    return QStringLiteral("Not needed by the console; requested because the profile lists it.");
}

const QList<ScopePreset> &scopePresets()
{
    const auto with = [](QStringList extra) {
        extra << QStringLiteral("tweet.read") << QStringLiteral("users.read")
              << QStringLiteral("offline.access");
        return parseScopes(joinScopes(extra));
    };
    static const QList<ScopePreset> presets {
        {QStringLiteral("account-activity"), QStringLiteral("Account Activity (v2 subscribe and check)"),
         with({QStringLiteral("dm.read"), QStringLiteral("dm.write")})},
        {QStringLiteral("activity-public"), QStringLiteral("X Activity API: posts, profile, follows, spaces"),
         with({})},
        {QStringLiteral("activity-likes"), QStringLiteral("X Activity API: likes"),
         with({QStringLiteral("like.read")})},
        {QStringLiteral("activity-dm"), QStringLiteral("X Activity API: DMs and chat"),
         with({QStringLiteral("dm.read")})},
        {QStringLiteral("activity-mutes-blocks"), QStringLiteral("X Activity API: mutes and blocks"),
         with({QStringLiteral("mute.read"), QStringLiteral("block.read")})},
        {QStringLiteral("activity-all"), QStringLiteral("Everything the console uses"),
         with({QStringLiteral("dm.read"), QStringLiteral("dm.write"), QStringLiteral("like.read"),
               QStringLiteral("mute.read"), QStringLiteral("block.read"), QStringLiteral("broadcast.read")})},
    };
    return presets;
}

const ScopePreset *findPreset(QStringView id)
{
    for (const ScopePreset &preset : scopePresets()) {
        if (preset.id == id)
            return &preset;
    }
    return nullptr;
}

QStringList accountActivityScopes()
{
    return scopePresets().constFirst().scopes;
}

} // namespace activity::oauth2
