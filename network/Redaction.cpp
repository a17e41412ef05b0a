#include "Redaction.h"

#include "OAuth1.h"

#include <QRegularExpression>

#include <algorithm>
#include <iterator>

namespace activity::redact {

namespace {

const QByteArray markerBytes = QByteArrayLiteral("[redacted]");

bool looksFormEncoded(QByteArrayView body)
{
    if (body.isEmpty() || !body.contains('='))
        return false;
    for (const char c : body) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '{' || c == '}' || c == '"' || c == '[')
            return false;
    }
    return true;
}

QString authorizationPlaceholder(CredentialKind credential)
{
    switch (credential) {
    case CredentialKind::AppOwner:
        return QStringLiteral("OAuth <redacted: signed per request with the app owner's token>");
    case CredentialKind::SubscribingUser:
        return QStringLiteral("OAuth <redacted: signed per request with the subscribing user's token>");
    case CredentialKind::ConsumerOnly:
        return QStringLiteral("OAuth <redacted: signed per request with the consumer key>");
    case CredentialKind::RequestToken:
        return QStringLiteral("OAuth <redacted: signed per request with the request token>");
    case CredentialKind::AppOnly:
        return QStringLiteral("Bearer <redacted: app-only bearer token>");
    case CredentialKind::ConsumerBasic:
        return QStringLiteral("Basic <redacted: base64 of consumer key:secret>");
    case CredentialKind::OAuth2User:
        return QStringLiteral("Bearer <redacted: the user's OAuth 2.0 access token>");
    case CredentialKind::OAuth2Client:
        return QStringLiteral(
            "Basic <redacted: base64 of OAuth 2.0 client id:secret; none for a public client>");
    case CredentialKind::None:
        break;
    }
    return QStringLiteral("<redacted>");
}

} // namespace

bool isSensitiveKey(QByteArrayView key)
{
    return std::any_of(std::begin(sensitiveKeys), std::end(sensitiveKeys), [key](const char *name) {
        return key.compare(QByteArrayView(name), Qt::CaseInsensitive) == 0;
    });
}

bool isSensitiveHeader(QByteArrayView name)
{
    return std::any_of(std::begin(sensitiveHeaders), std::end(sensitiveHeaders), [name](const char *header) {
        return name.compare(QByteArrayView(header), Qt::CaseInsensitive) == 0;
    });
}

bool isAuthorizationHeader(QByteArrayView name)
{
    return name.compare("Authorization", Qt::CaseInsensitive) == 0 ||
        name.compare("Proxy-Authorization", Qt::CaseInsensitive) == 0;
}

namespace {

constexpr char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

// Whether `fragment` (lower case) starts at `at` in `name`, in any case.
bool fragmentAt(QByteArrayView name, qsizetype at, const char *fragment)
{
    for (qsizetype i = 0; fragment[i] != '\0'; ++i) {
        if (at + i >= name.size() || asciiLower(name[at + i]) != fragment[i])
            return false;
    }
    return true;
}

constexpr bool containsText(const char *text, const char *fragment)
{
    for (; *text != '\0'; ++text) {
        qsizetype i = 0;
        while (fragment[i] != '\0' && text[i] == fragment[i])
            ++i;
        if (fragment[i] == '\0')
            return true;
    }
    return false;
}

constexpr bool everyKeyHasAFragment()
{
    for (const char *key : sensitiveKeys) {
        bool found = false;
        for (const char *fragment : sensitiveFragments)
            found = found || containsText(key, fragment);
        if (!found)
            return false;
    }
    return true;
}

// So a name with none of the fragments is not one of the keys either, and looksSensitive need not
// compare it with each (it runs for every header of every delivery the receiver stores).
static_assert(everyKeyHasAFragment(), "each of sensitiveKeys contains one of sensitiveFragments");

} // namespace

bool looksSensitive(QByteArrayView name)
{
    // One pass over the name, in any case, without a copy: at each byte only the fragments that
    // start with it are compared.
    for (qsizetype at = 0; at < name.size(); ++at) {
        const char first = asciiLower(name[at]);
        for (const char *fragment : sensitiveFragments) {
            if (fragment[0] == first && fragmentAt(name, at, fragment))
                return true;
        }
    }
    return false;
}

bool looksSensitive(QStringView name)
{
    const bool hasFragment = std::any_of(
        std::begin(sensitiveFragments), std::end(sensitiveFragments),
        [name](const char *fragment) { return name.contains(QLatin1String(fragment), Qt::CaseInsensitive); });
    return hasFragment; // every key has a fragment (the static_assert above)
}

QByteArray authorization(QByteArrayView value)
{
    const QByteArray trimmed = value.trimmed().toByteArray();
    const qsizetype space = trimmed.indexOf(' ');
    const QByteArray scheme = space < 0 ? trimmed : trimmed.left(space);
    if (scheme.compare("OAuth", Qt::CaseInsensitive) == 0) {
        const std::optional<oauth1::ParamList> params = oauth1::parseAuthorizationHeader(trimmed);
        if (!params)
            return "OAuth " + markerBytes;
        QByteArray out = "OAuth ";
        bool first = true;
        for (const auto &[key, paramValue] : *params) {
            if (!first)
                out += ", ";
            first = false;
            const bool keep = key == "oauth_consumer_key" || key == "oauth_signature_method";
            out += oauth1::percentEncode(key) + "=\"" +
                (keep ? oauth1::percentEncode(paramValue) : markerBytes) + '"';
        }
        return out;
    }
    if (scheme.compare("Bearer", Qt::CaseInsensitive) == 0)
        return "Bearer " + markerBytes;
    if (scheme.compare("Basic", Qt::CaseInsensitive) == 0)
        return "Basic " + markerBytes;
    return markerBytes;
}

QString url(const QUrl &url)
{
    const QString base =
        url.toString(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo | QUrl::FullyEncoded);
    if (!url.hasQuery())
        return base;
    return base + QLatin1Char('?') + QString::fromUtf8(formEncoded(url.query(QUrl::FullyEncoded).toUtf8()));
}

QByteArray formEncoded(QByteArrayView body)
{
    const QList<QByteArray> pairs = body.toByteArray().split('&');
    QByteArray out;
    bool first = true;
    for (const QByteArray &pair : pairs) {
        if (!first)
            out += '&';
        first = false;
        const qsizetype eq = pair.indexOf('=');
        const QByteArray key = eq < 0 ? pair : pair.left(eq);
        // White space around a key (a body's leading or trailing newline) does not hide it.
        if (eq >= 0 && isSensitiveKey(oauth1::percentDecode(key.trimmed(), true)))
            out += key + '=' + markerBytes;
        else
            out += pair;
    }
    return out;
}

QByteArray json(QByteArrayView body)
{
    // A pattern rather than a parser, so that truncated bodies and odd formatting survive.
    static const QRegularExpression pair(
        QStringLiteral(R"re(("([A-Za-z_]+)"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\]\s]+))re"));
    const QString text = QString::fromUtf8(body);
    QString out;
    out.reserve(text.size());
    qsizetype last = 0;
    QRegularExpressionMatchIterator it = pair.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        if (!isSensitiveKey(match.captured(2).toUtf8()))
            continue;
        out += QStringView(text).mid(last, match.capturedStart(3) - last);
        out += QLatin1Char('"') + marker + QLatin1Char('"');
        last = match.capturedEnd(3);
    }
    out += QStringView(text).mid(last);
    return out.toUtf8();
}

QByteArray body(QByteArrayView body, QByteArrayView contentType, BodyShape shape)
{
    if (body.isEmpty())
        return {};
    QByteArray out = json(body);
    // X answers form data as text/html, with a trailing newline that parsers trim away: the
    // shape is judged on the trimmed text, so that both agree on what the body is.
    const bool form = shape == BodyShape::Form ||
        contentType.toByteArray().toLower().contains("x-www-form-urlencoded") ||
        looksFormEncoded(out.trimmed());
    if (form)
        out = formEncoded(out);
    return out;
}

HeaderList headers(const HeaderList &headers)
{
    HeaderList out;
    out.reserve(headers.size());
    for (const auto &[name, value] : headers) {
        if (isAuthorizationHeader(name))
            out.append({name, authorization(value)});
        else if (isSensitiveHeader(name))
            out.append({name, markerBytes});
        else
            out.append({name, value});
    }
    return out;
}

QString shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString curl(const HttpRequest &request, CredentialKind credential)
{
    // --globoff: the [redacted] markers would otherwise be read as curl URL globs.
    QString command = QStringLiteral("curl --globoff -X ") + QString::fromLatin1(request.method) +
        QLatin1Char(' ') + shellQuote(url(request.url));
    for (const auto &[name, value] : request.headers) {
        QString shown;
        if (name.compare("Authorization", Qt::CaseInsensitive) == 0)
            shown = authorizationPlaceholder(credential);
        else if (isSensitiveHeader(name)) // the same list as the request log's
            shown = QStringLiteral("<redacted>");
        else
            shown = QString::fromUtf8(value);
        command += QStringLiteral(" \\\n  -H ") +
            shellQuote(QString::fromLatin1(name) + QStringLiteral(": ") + shown);
    }
    if (!request.body.isEmpty()) {
        command += QStringLiteral(" \\\n  --data-raw ") +
            shellQuote(QString::fromUtf8(body(request.body, request.header("Content-Type"))));
    }
    return command;
}

} // namespace activity::redact

namespace activity {

void SecretScrubber::add(const QByteArray &secret)
{
    if (secret.size() < 6)
        return;
    const QList<QByteArray> forms {secret, oauth1::percentEncode(secret),
                                   oauth1::percentEncode(oauth1::percentEncode(secret)), secret.toBase64(),
                                   oauth1::percentDecode(secret, false)};
    for (const QByteArray &form : forms) {
        if (form.size() >= 6 && !m_needles.contains(form))
            m_needles.append(form);
    }
    // Longest first, so that an encoded form is replaced before the plain text inside it.
    std::sort(m_needles.begin(), m_needles.end(),
              [](const QByteArray &a, const QByteArray &b) { return a.size() > b.size(); });
}

QByteArray SecretScrubber::scrub(QByteArray text) const
{
    for (const QByteArray &needle : m_needles)
        text.replace(needle, "[redacted]");
    return text;
}

QString SecretScrubber::scrub(const QString &text) const
{
    if (m_needles.isEmpty())
        return text;
    return QString::fromUtf8(scrub(text.toUtf8()));
}

} // namespace activity
