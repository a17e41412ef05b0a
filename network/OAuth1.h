#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QUrl>

#include <functional>
#include <optional>
#include <utility>

// OAuth 1.0a HMAC-SHA1 (RFC 5849 and X's "creating a signature"). Pure functions so that the
// client, the sandbox's verifier and the tests share one implementation.
namespace activity::oauth1 {

// Decoded (plain UTF-8) key and value; order is kept, duplicates are allowed.
using ParamList = QList<std::pair<QByteArray, QByteArray>>;

struct Credentials
{
    QByteArray consumerKey;
    QByteArray consumerSecret;
    QByteArray token; // empty for the request_token step
    QByteArray tokenSecret;
};

// RFC 3986 unreserved characters stay, every other byte becomes %XX (upper-case hex).
QByteArray percentEncode(QByteArrayView utf8);
// Reverses percentEncode; when plusIsSpace, '+' decodes to a space (form encoding).
QByteArray percentDecode(QByteArrayView encoded, bool plusIsSpace);

// application/x-www-form-urlencoded, as RFC 5849 §3.4.1.3.1 reads it ('+' is a space).
ParamList parseFormEncoded(QByteArrayView body);
QByteArray formEncode(const ParamList &params);
ParamList queryParameters(const QUrl &url);

// Scheme and host lower-case, default port left out, no query or fragment (§3.4.1.2).
QByteArray baseStringUri(const QUrl &url);
// Encoded pairs sorted by key then value, joined with '&' (§3.4.1.3.2).
QByteArray normalizedParameters(const ParamList &params);
// params: every query, form-body and oauth_* parameter except oauth_signature and realm.
QByteArray signatureBaseString(QByteArrayView method, const QUrl &url, const ParamList &params);
QByteArray signingKey(QByteArrayView consumerSecret, QByteArrayView tokenSecret);
// base64(HMAC-SHA1(key, base string)).
QByteArray hmacSha1(QByteArrayView key, QByteArrayView baseString);

// Alphanumeric, 32 bytes of system randomness.
QByteArray generateNonce();

// The Authorization header value: `OAuth k="v", ...`.
QByteArray buildAuthorizationHeader(const ParamList &oauthParams);
// Parses `OAuth k="v", ...`; nullopt when the header is not an OAuth header or is malformed.
std::optional<ParamList> parseAuthorizationHeader(QByteArrayView header);

class Signer
{
public:
    using Clock = std::function<qint64()>; // Unix seconds
    using NonceSource = std::function<QByteArray()>;

    explicit Signer(Credentials credentials, Clock clock = {}, NonceSource nonce = {});

    // Signs a request to `url` (query included) with an optional form body. `extraOAuth` carries
    // oauth_callback or oauth_verifier for the three-legged flow.
    QByteArray authorizationHeader(QByteArrayView method, const QUrl &url, const ParamList &formBody = {},
                                   const ParamList &extraOAuth = {}) const;

    const Credentials &credentials() const { return m_credentials; }

private:
    Credentials m_credentials;
    Clock m_clock;
    NonceSource m_nonce;
};

} // namespace activity::oauth1
