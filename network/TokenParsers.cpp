#include "Parsers.h"

#include "ParseSupport.h"

// The answers of the OAuth endpoints: oauth2/token's bearer token (JSON) and the request and
// access tokens of 3-legged OAuth 1.0a (form-encoded).
namespace activity::parse {

using namespace detail;

Result<QByteArray> bearerToken(const QByteArray &body)
{
    const QString expected = QStringLiteral("{\"token_type\":\"bearer\",\"access_token\":\"...\"}");
    const Result<QJsonObject> read = topObject(body, expected);
    if (!read)
        return read.error();
    const QJsonObject top = read.value();
    if (auto error = errorsOnly(top, body))
        return *error;
    const QJsonValue type = top.value(QLatin1String("token_type"));
    if (!type.isString())
        return malformed(expected, QStringLiteral("\"token_type\" is ") + typeName(type));
    if (type.toString().compare(QLatin1String("bearer"), Qt::CaseInsensitive) != 0)
        return malformed(expected, QStringLiteral("the token type is ") + quoted(type.toString()));
    const QJsonValue token = top.value(QLatin1String("access_token"));
    if (!token.isString() || token.toString().isEmpty())
        return malformed(expected,
                         QStringLiteral("\"access_token\" is ") +
                             (token.isString() ? QStringLiteral("empty") : typeName(token)));
    return token.toString().toUtf8();
}

namespace {

std::optional<ApiError> readForm(const QByteArray &body, const QString &expected, oauth1::ParamList &out)
{
    if (isBlank(body))
        return malformed(expected, QStringLiteral("the body was empty"));
    const QByteArray start = body.trimmed().left(64).toLower();
    if (start.startsWith('<'))
        return malformed(expected, QStringLiteral("it was an HTML page"));
    if (start.startsWith('{') || start.startsWith('['))
        return malformed(expected,
                         QStringLiteral("it was JSON (X answers token requests form-encoded; a JSON "
                                        "answer is usually an error that arrived with status 200)"));
    out = oauth1::parseFormEncoded(body.trimmed());
    return std::nullopt;
}

QByteArray formValue(const oauth1::ParamList &params, QByteArrayView key, bool *present = nullptr)
{
    for (const auto &[k, v] : params) {
        if (k == key) {
            if (present)
                *present = true;
            return v;
        }
    }
    if (present)
        *present = false;
    return {};
}

std::optional<ApiError> readTokenPair(const oauth1::ParamList &params, const QString &expected,
                                      OAuthTokens &tokens)
{
    tokens.token = formValue(params, "oauth_token");
    tokens.tokenSecret = formValue(params, "oauth_token_secret");
    if (tokens.token.isEmpty())
        return malformed(expected, QStringLiteral("\"oauth_token\" is missing or empty"));
    if (tokens.tokenSecret.isEmpty())
        return malformed(expected, QStringLiteral("\"oauth_token_secret\" is missing or empty"));
    return std::nullopt;
}

} // namespace

Result<OAuthTokens> requestToken(const QByteArray &body)
{
    const QString expected =
        QStringLiteral("a form-encoded request token "
                       "(oauth_token=...&oauth_token_secret=...&oauth_callback_confirmed=true)");
    oauth1::ParamList params;
    if (auto error = readForm(body, expected, params))
        return *error;
    OAuthTokens tokens;
    if (auto error = readTokenPair(params, expected, tokens))
        return *error;
    bool present = false;
    const QByteArray confirmed = formValue(params, "oauth_callback_confirmed", &present);
    if (confirmed.toLower() != "true") {
        ApiError error = malformed(expected,
                                   present ? QStringLiteral("oauth_callback_confirmed is not true")
                                           : QStringLiteral("oauth_callback_confirmed is missing"));
        error.remedy =
            QStringLiteral("X did not confirm the callback, so the sign-in cannot continue safely. Check "
                           "that the console sends oauth_callback (a registered callback URL or \"oob\") "
                           "and that the base URL points at X's OAuth server.");
        return error;
    }
    tokens.callbackConfirmed = true;
    return tokens;
}

Result<OAuthTokens> accessToken(const QByteArray &body)
{
    const QString expected =
        QStringLiteral("a form-encoded access token "
                       "(oauth_token=...&oauth_token_secret=...&user_id=...&screen_name=...)");
    oauth1::ParamList params;
    if (auto error = readForm(body, expected, params))
        return *error;
    OAuthTokens tokens;
    if (auto error = readTokenPair(params, expected, tokens))
        return *error;
    tokens.userId = QString::fromUtf8(formValue(params, "user_id"));
    tokens.screenName = QString::fromUtf8(formValue(params, "screen_name"));
    return tokens;
}

} // namespace activity::parse
