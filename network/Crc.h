#pragma once

#include "HmacSha256.h"

#include <QByteArray>
#include <QByteArrayView>

// The challenge-response check and the delivery signature share one formula:
// "sha256=" + base64(HMAC-SHA256(key = consumer secret, message)).
namespace activity::crc {

// The value a webhook must answer in {"response_token": ...} for `crcToken`.
QByteArray responseToken(QByteArrayView consumerSecret, QByteArrayView crcToken);
// The JSON body a correct receiver answers with.
QByteArray responseBody(QByteArrayView consumerSecret, QByteArrayView crcToken);
// The x-twitter-webhooks-signature value for a delivered body (or CRC query string).
QByteArray signature(QByteArrayView consumerSecret, QByteArrayView payload);
// Constant-time check of a received x-twitter-webhooks-signature header.
bool verifySignature(QByteArrayView consumerSecret, QByteArrayView payload, QByteArrayView header);
// Compares without leaking, through timing, where the first difference is.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// verifySignature() for one consumer secret and many deliveries (the webhook receiver): the HMAC
// keeps its hashed key, the body is hashed where it lies, and no "sha256=" text is built per delivery.
// verifySignature() is one of these for one call; verify() changes nothing, any thread may call it.
class SignatureVerifier
{
public:
    explicit SignatureVerifier(QByteArrayView consumerSecret);
    bool verify(QByteArrayView payload, QByteArrayView header) const;

private:
    HmacSha256 m_mac;
};

} // namespace activity::crc
