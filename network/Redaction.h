#pragma once

#include "ApiTypes.h"
#include "RequestBuilder.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringView>
#include <QUrl>

// Everything the request log, the UI and the CLI show about a request passes through here first.
// Two layers: structural redaction by parameter name (Authorization values, oauth_token,
// oauth_signature, access_token, ... in URLs, form and JSON bodies), then SecretScrubber, which
// removes every secret value the client knows of wherever it appears.
//
// The lists below are the console's and the CLI's only lists of secret names: the request log,
// "copy as curl", the CLI's --verbose output (which prints the request log) and the history use
// them, and so does the sandbox's journal, so a new secret parameter or header is added here once.
namespace activity::redact {

inline constexpr QLatin1String marker {"[redacted]"};

// Parameter and JSON key names whose values are secrets, compared whole and in any case.
inline constexpr const char *sensitiveKeys[] = {
    "oauth_token",  "oauth_token_secret", "oauth_verifier",        "oauth_signature",
    "oauth_nonce",  "access_token",       "access_token_secret",   "password",
    "crc_token",    "bearer_token",       "refresh_token",         "token",
    "token_secret", "consumer_secret",    "oauth_consumer_secret", "client_secret",
};
// Header names whose values are secrets, in any case. The first two keep their scheme
// (authorization()); the others are replaced whole.
inline constexpr const char *sensitiveHeaders[] = {"Authorization", "Proxy-Authorization", "Cookie",
                                                   "Set-Cookie"};
// Parts of a name that make it look secret, for what is kept long term (the history's parameters):
// stricter than sensitiveKeys, which lets the request log show oauth_consumer_key and token_type.
inline constexpr const char *sensitiveFragments[] = {
    "secret", "token", "password", "signature", "authoriz", "bearer", "verifier", "oauth", "credential"};

// One of sensitiveKeys.
bool isSensitiveKey(QByteArrayView key);
// One of sensitiveHeaders.
bool isSensitiveHeader(QByteArrayView name);
// Authorization or Proxy-Authorization.
bool isAuthorizationHeader(QByteArrayView name);
// One of sensitiveKeys, or contains one of sensitiveFragments (any case).
bool looksSensitive(QStringView name);
// The same for a Latin-1 name (a header's), without converting it.
bool looksSensitive(QByteArrayView name);

// OAuth: every value but oauth_consumer_key's and oauth_signature_method's becomes [redacted];
// Bearer/Basic keep only the scheme; anything else is fully replaced.
QByteArray authorization(QByteArrayView value);
// scheme://host[:port]/path?query with sensitive query values replaced.
QString url(const QUrl &url);
// application/x-www-form-urlencoded text with sensitive values replaced; format otherwise kept.
QByteArray formEncoded(QByteArrayView body);
// "key": "value" pairs with a sensitive key get "[redacted]"; works on truncated JSON too.
QByteArray json(QByteArrayView body);
enum class BodyShape {
    Detect, // from the content type (any case) and the body's shape, white space around it ignored
    Form, // always form data: the OAuth token answers, whatever content type they come with
};
// Picks form and/or JSON redaction from the content type and the body's shape.
QByteArray body(QByteArrayView body, QByteArrayView contentType = {}, BodyShape shape = BodyShape::Detect);
// Authorization replaced as above; other headers kept.
HeaderList headers(const HeaderList &headers);

// POSIX shell single-quoting: 'it'\''s'.
QString shellQuote(const QString &text);
// "Copy as curl": method, redacted URL, headers (Authorization as a placeholder that says what
// goes there), redacted body. Nothing secret; ready to edit.
QString curl(const HttpRequest &request, CredentialKind credential);

} // namespace activity::redact

namespace activity {

// The second layer: knows the actual secret values (consumer secret, tokens, bearer) and replaces
// them, and their percent-encoded and base64 forms, wherever they occur.
class SecretScrubber
{
public:
    // Values shorter than 6 bytes are ignored: they would mangle ordinary text.
    void add(const QByteArray &secret);
    QByteArray scrub(QByteArray text) const;
    QString scrub(const QString &text) const;
    bool isEmpty() const { return m_needles.isEmpty(); }

private:
    QList<QByteArray> m_needles;
};

} // namespace activity
