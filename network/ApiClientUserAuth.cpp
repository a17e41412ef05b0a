// ApiClient's sign-in calls: which credential a user's call is signed with, and OAuth 2.0's
// token, refresh, revoke and users/me (OAuth 1.0a's request and access token are in ApiClient.cpp).
#include "ApiClientCall.h"
#include "Parsers.h"
#include "RequestBuilder.h"

namespace activity {

using clientdetail::doneUnlessError;
using clientdetail::parsedWith;
using clientdetail::validationError;

Result<CredentialKind> ApiClient::userCredentialFor(const Endpoint &endpoint, const UserCredentials &user,
                                                    const QStringList &callScopes)
{
    const bool takesOAuth2 = endpoint.credential == CredentialKind::OAuth2User ||
        !endpoint.oauth2Scopes.isEmpty() || endpoint.oauth2ScopesPerCall;
    if (!takesOAuth2 && endpoint.credential != CredentialKind::SubscribingUser)
        return endpoint.credential;
    const QString who =
        user.username.isEmpty() ? QStringLiteral("this account") : QStringLiteral("@%1").arg(user.username);
    if (!takesOAuth2) {
        if (!user.hasOAuth1() && user.hasOAuth2()) {
            ApiError error = ApiError::make(
                ApiError::Kind::MissingCredentials,
                QStringLiteral(
                    "%1 takes only an OAuth 1.0a user token, and %2 signed in with OAuth 2.0 only.")
                    .arg(endpoint.name, who),
                QStringLiteral(
                    "Sign %1 in with OAuth 1.0a (the PIN or callback sign-in), or use a v2 profile, "
                    "whose subscriptions take OAuth 2.0.")
                    .arg(who));
            error.name = QStringLiteral("oauth1_required");
            return error;
        }
        return endpoint.credential;
    }
    QStringList needed = endpoint.oauth2Scopes;
    if (endpoint.oauth2ScopesPerCall) {
        for (const QString &scope : callScopes) {
            if (!needed.contains(scope))
                needed.append(scope);
        }
    }
    const QStringList missing = oauth2::missingScopes(needed, user.oauth2.scopes);
    if (user.hasOAuth2() && missing.isEmpty())
        return CredentialKind::OAuth2User;
    if (endpoint.credential == CredentialKind::SubscribingUser && (user.hasOAuth1() || !user.hasOAuth2()))
        return CredentialKind::SubscribingUser;
    if (!user.hasOAuth2())
        return requests::missingCredentials(CredentialKind::OAuth2User, endpoint.name);
    // The ready-made scope set that has them all, for the remedy.
    QString preset = QStringLiteral("Everything the console uses");
    for (const oauth2::ScopePreset &candidate : oauth2::scopePresets()) {
        if (oauth2::missingScopes(needed, candidate.scopes).isEmpty()) {
            preset = candidate.title.section(QStringLiteral(" ("), 0, 0);
            break;
        }
    }
    ApiError error = ApiError::make(
        ApiError::Kind::MissingCredentials,
        QStringLiteral("%1 needs the OAuth 2.0 scope%2 %3, which %4's sign-in was not granted.")
            .arg(endpoint.name, missing.size() == 1 ? QString() : QStringLiteral("s"),
                 missing.join(QStringLiteral(", ")), who),
        QStringLiteral("Sign %1 in again with OAuth 2.0 and the scopes %2 (the “%3” preset "
                       "has them), and approve all of them on X's page.")
            .arg(who, needed.join(QLatin1Char(' ')), preset));
    error.name = QStringLiteral("missing_scope");
    return error;
}

namespace {

// The tokens of an OAuth 2.0 token answer, for the scrubber.
ApiCall::SecretExtractor oauth2TokensIn()
{
    return [](const ApiReply &reply) {
        QList<QByteArray> secrets;
        if (const Result<oauth2::Token> token =
                oauth2::parseTokenResponse(reply.body, QDateTime::currentDateTimeUtc()))
            secrets << token.value().accessToken << token.value().refreshToken;
        return secrets;
    };
}

} // namespace

ApiCall *ApiClient::exchangeOAuth2Code(const QByteArray &code, const QUrl &redirectUri,
                                       const QByteArray &verifier, const QStringList &requestedScopes,
                                       QObject *context, Callback<oauth2::Token> done)
{
    std::optional<ApiError> precheck;
    if (code.isEmpty())
        precheck = validationError(QStringLiteral("The sign-in returned no authorization code."),
                                   QStringLiteral("Sign in again and approve the app."));
    else if (!oauth2::isValidVerifier(verifier))
        precheck = validationError(QStringLiteral("The PKCE code verifier is not valid (RFC 7636)."),
                                   QStringLiteral("Sign in again."));
    m_scrubber.add(code);
    m_scrubber.add(verifier);
    return call<oauth2::Token>(
        Operation::OAuth2Token, requests::oauth2CodeExchange(code, redirectUri, verifier), std::nullopt,
        precheck, context, std::move(done),
        [this, requestedScopes](const ApiReply &reply) -> Result<oauth2::Token> {
            if (!reply.ok())
                return reply.error;
            return oauth2::parseTokenResponse(reply.body, now(), requestedScopes);
        },
        oauth2TokensIn());
}

ApiCall *ApiClient::refreshOAuth2Token(const QByteArray &refreshToken, QObject *context,
                                       Callback<oauth2::Token> done)
{
    std::optional<ApiError> precheck;
    if (refreshToken.isEmpty()) {
        precheck =
            ApiError::make(ApiError::Kind::Authentication,
                           QStringLiteral("The OAuth 2.0 access token expired, and there is no refresh "
                                          "token to renew it (the sign-in did not ask for offline.access)."),
                           QStringLiteral("Sign the account in again; add offline.access to the profile's "
                                          "scopes so that the console can renew the token by itself."));
        precheck->name = QStringLiteral("invalid_grant");
    }
    m_scrubber.add(refreshToken);
    return call<oauth2::Token>(
        Operation::OAuth2Token, requests::oauth2Refresh(refreshToken), std::nullopt, precheck, context,
        std::move(done),
        [this](const ApiReply &reply) -> Result<oauth2::Token> {
            if (!reply.ok())
                return reply.error;
            return oauth2::parseTokenResponse(reply.body, now());
        },
        oauth2TokensIn());
}

ApiCall *ApiClient::revokeOAuth2Token(const QByteArray &token, QObject *context, Callback<Done> done)
{
    std::optional<ApiError> precheck;
    if (token.isEmpty())
        precheck = validationError(QStringLiteral("There is no OAuth 2.0 token to revoke."), {});
    m_scrubber.add(token);
    return call<Done>(Operation::OAuth2Revoke, requests::oauth2Revoke(token), std::nullopt, precheck, context,
                      std::move(done), &doneUnlessError);
}

ApiCall *ApiClient::currentUser(const UserCredentials &user, QObject *context, Callback<UserInfo> done)
{
    return call<UserInfo>(
        Operation::CurrentUser, requests::currentUser(), user, std::nullopt, context, std::move(done),
        [](const ApiReply &reply) -> Result<UserInfo> {
            if (!reply.ok())
                return reply.error;
            const Result<QList<UserInfo>> users = parse::users(reply.body);
            if (!users)
                return users.error();
            if (users.value().size() != 1 || users.value().first().username.isEmpty())
                return ApiError::make(
                    ApiError::Kind::MalformedResponse,
                    QStringLiteral("X's answer to users/me does not name exactly one user "
                                   "with a username."),
                    QStringLiteral("Sign in again; if it keeps happening, look at the answer "
                                   "in the request log."),
                    reply.httpStatus);
            return users.value().first();
        });
}

} // namespace activity
