#include "OAuth1.h"

#include <QDateTime>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <algorithm>

namespace activity::oauth1 {

namespace {

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

} // namespace

QByteArray percentEncode(QByteArrayView utf8)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(utf8.size() * 3);
    for (const char c : utf8) {
        if (isUnreserved(c)) {
            out.append(c);
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out.append('%');
            out.append(hex[byte >> 4]);
            out.append(hex[byte & 0x0F]);
        }
    }
    return out;
}

QByteArray percentDecode(QByteArrayView encoded, bool plusIsSpace)
{
    QByteArray out;
    out.reserve(encoded.size());
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        const char c = encoded[i];
        if (c == '%' && i + 2 < encoded.size()) {
            const int hi = hexValue(encoded[i + 1]);
            const int lo = hexValue(encoded[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.append(static_cast<char>((hi << 4) | lo));
                i += 2;
                continue;
            }
        }
        out.append(plusIsSpace && c == '+' ? ' ' : c);
    }
    return out;
}

ParamList parseFormEncoded(QByteArrayView body)
{
    ParamList params;
    if (body.isEmpty())
        return params;
    qsizetype start = 0;
    while (start <= body.size()) {
        qsizetype end = body.indexOf('&', start);
        if (end < 0)
            end = body.size();
        const QByteArrayView pair = body.sliced(start, end - start);
        if (!pair.isEmpty()) {
            const qsizetype eq = pair.indexOf('=');
            if (eq < 0)
                params.append({percentDecode(pair, true), QByteArray()});
            else
                params.append(
                    {percentDecode(pair.first(eq), true), percentDecode(pair.sliced(eq + 1), true)});
        }
        start = end + 1;
    }
    return params;
}

QByteArray formEncode(const ParamList &params)
{
    QByteArray out;
    for (const auto &[key, value] : params) {
        if (!out.isEmpty())
            out.append('&');
        out.append(percentEncode(key)).append('=').append(percentEncode(value));
    }
    return out;
}

ParamList queryParameters(const QUrl &url)
{
    return parseFormEncoded(url.query(QUrl::FullyEncoded).toUtf8());
}

QByteArray baseStringUri(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    QByteArray host = url.host(QUrl::FullyEncoded).toLower().toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']'; // an IPv6 literal keeps its brackets, as in the request line (RFC 3986)
    QByteArray out = scheme.toUtf8() + "://" + host;
    const int port = url.port();
    if (port != -1 && !(scheme == QLatin1String("http") && port == 80) &&
        !(scheme == QLatin1String("https") && port == 443)) {
        out += ':' + QByteArray::number(port);
    }
    QByteArray path = url.path(QUrl::FullyEncoded).toUtf8();
    if (path.isEmpty())
        path = "/";
    return out + path;
}

QByteArray normalizedParameters(const ParamList &params)
{
    QList<std::pair<QByteArray, QByteArray>> encoded;
    encoded.reserve(params.size());
    for (const auto &[key, value] : params)
        encoded.append({percentEncode(key), percentEncode(value)});
    std::sort(encoded.begin(), encoded.end());
    QByteArray out;
    for (const auto &[key, value] : std::as_const(encoded)) {
        if (!out.isEmpty())
            out.append('&');
        out.append(key).append('=').append(value);
    }
    return out;
}

QByteArray signatureBaseString(QByteArrayView method, const QUrl &url, const ParamList &params)
{
    ParamList signedParams;
    signedParams.reserve(params.size());
    for (const auto &param : params) {
        if (param.first != "oauth_signature" && param.first != "realm")
            signedParams.append(param);
    }
    return method.toByteArray().toUpper() + '&' + percentEncode(baseStringUri(url)) + '&' +
        percentEncode(normalizedParameters(signedParams));
}

QByteArray signingKey(QByteArrayView consumerSecret, QByteArrayView tokenSecret)
{
    return percentEncode(consumerSecret) + '&' + percentEncode(tokenSecret);
}

QByteArray hmacSha1(QByteArrayView key, QByteArrayView baseString)
{
    return QMessageAuthenticationCode::hash(baseString.toByteArray(), key.toByteArray(),
                                            QCryptographicHash::Sha1)
        .toBase64();
}

QByteArray generateNonce()
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QByteArray nonce(32, Qt::Uninitialized);
    auto *random = QRandomGenerator::system();
    for (char &c : nonce)
        c = alphabet[random->bounded(int(sizeof(alphabet) - 1))];
    return nonce;
}

QByteArray buildAuthorizationHeader(const ParamList &oauthParams)
{
    ParamList sorted = oauthParams;
    std::sort(sorted.begin(), sorted.end());
    QByteArray out = "OAuth ";
    bool first = true;
    for (const auto &[key, value] : std::as_const(sorted)) {
        if (!first)
            out.append(", ");
        first = false;
        out.append(percentEncode(key)).append("=\"").append(percentEncode(value)).append('"');
    }
    return out;
}

std::optional<ParamList> parseAuthorizationHeader(QByteArrayView header)
{
    header = header.trimmed();
    if (header.size() < 6 || QByteArrayView(header.first(6)).toByteArray().toLower() != "oauth ")
        return std::nullopt;
    ParamList params;
    const QByteArray rest = header.sliced(6).toByteArray();
    qsizetype pos = 0;
    while (pos < rest.size()) {
        while (pos < rest.size() && (rest[pos] == ' ' || rest[pos] == ','))
            ++pos;
        if (pos >= rest.size())
            break;
        const qsizetype eq = rest.indexOf('=', pos);
        if (eq < 0)
            return std::nullopt;
        const QByteArray key = rest.mid(pos, eq - pos).trimmed();
        qsizetype valueStart = eq + 1;
        QByteArray value;
        if (valueStart < rest.size() && rest[valueStart] == '"') {
            const qsizetype close = rest.indexOf('"', valueStart + 1);
            if (close < 0)
                return std::nullopt;
            value = rest.mid(valueStart + 1, close - valueStart - 1);
            pos = close + 1;
        } else {
            qsizetype end = rest.indexOf(',', valueStart);
            if (end < 0)
                end = rest.size();
            value = rest.mid(valueStart, end - valueStart).trimmed();
            pos = end;
        }
        if (key.isEmpty())
            return std::nullopt;
        params.append({percentDecode(key, false), percentDecode(value, false)});
    }
    // "OAuth ," carries nothing, like "OAuth" alone (found by fuzz_oauth_header).
    if (params.isEmpty())
        return std::nullopt;
    return params;
}

Signer::Signer(Credentials credentials, Clock clock, NonceSource nonce)
    : m_credentials(std::move(credentials))
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentSecsSinceEpoch(); }))
    , m_nonce(nonce ? std::move(nonce) : NonceSource(&generateNonce))
{
}

QByteArray Signer::authorizationHeader(QByteArrayView method, const QUrl &url, const ParamList &formBody,
                                       const ParamList &extraOAuth) const
{
    ParamList oauth {
        {"oauth_consumer_key", m_credentials.consumerKey},
        {"oauth_nonce", m_nonce()},
        {"oauth_signature_method", "HMAC-SHA1"},
        {"oauth_timestamp", QByteArray::number(m_clock())},
        {"oauth_version", "1.0"},
    };
    if (!m_credentials.token.isEmpty())
        oauth.append({"oauth_token", m_credentials.token});
    oauth.append(extraOAuth);

    ParamList all = oauth;
    all.append(queryParameters(url));
    all.append(formBody);
    const QByteArray base = signatureBaseString(method, url, all);
    oauth.append({"oauth_signature",
                  hmacSha1(signingKey(m_credentials.consumerSecret, m_credentials.tokenSecret), base)});
    return buildAuthorizationHeader(oauth);
}

} // namespace activity::oauth1
