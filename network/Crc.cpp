#include "Crc.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace activity::crc {

QByteArray signature(QByteArrayView consumerSecret, QByteArrayView payload)
{
    return "sha256=" + HmacSha256(consumerSecret).macBytes(payload).toBase64();
}

QByteArray responseToken(QByteArrayView consumerSecret, QByteArrayView crcToken)
{
    return signature(consumerSecret, crcToken);
}

QByteArray responseBody(QByteArrayView consumerSecret, QByteArrayView crcToken)
{
    const QJsonObject body {
        {QStringLiteral("response_token"), QString::fromLatin1(responseToken(consumerSecret, crcToken))}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    // Length is not secret (it is fixed for a SHA-256 signature); the contents are.
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
    return diff == 0;
}

bool verifySignature(QByteArrayView consumerSecret, QByteArrayView payload, QByteArrayView header)
{
    return SignatureVerifier(consumerSecret).verify(payload, header);
}

SignatureVerifier::SignatureVerifier(QByteArrayView consumerSecret)
    : m_mac(consumerSecret)
{
}

bool SignatureVerifier::verify(QByteArrayView payload, QByteArrayView header) const
{
    const QByteArray digest = m_mac.macBytes(payload).toBase64();
    const QByteArrayView given = header.trimmed();
    constexpr QByteArrayView prefix("sha256=");
    if (given.size() != prefix.size() + digest.size())
        return false;
    // The whole text "sha256=" + base64 digest, the prefix too, in constant time.
    const bool prefixEquals = constantTimeEquals(given.first(prefix.size()), prefix);
    const bool digestEquals = constantTimeEquals(given.sliced(prefix.size()), digest);
    return prefixEquals & digestEquals;
}

} // namespace activity::crc
