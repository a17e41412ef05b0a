// libFuzzer target: a CRC request as the sandbox's demo receiver reads it (crc_token from the query,
// fully decoded), the answer it builds, and the delivery signature check: the answer is JSON whose
// response_token equals crc::responseToken, and a signature made for a body verifies for it.
#include "Crc.h"
#include "FuzzSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QUrlQuery>

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QByteArray secret = QByteArrayLiteral("sandbox-consumer-secret");
    const QByteArray input = bytes(data, size);

    QUrl url(QStringLiteral("http://127.0.0.1:8080/sandbox/receiver/demo"));
    url.setQuery(QString::fromUtf8(input));
    const QByteArray token =
        QUrlQuery(url).queryItemValue(QStringLiteral("crc_token"), QUrl::FullyDecoded).toUtf8();
    if (!token.isEmpty()) {
        const QByteArray expected = crc::responseToken(secret, token);
        FUZZ_CHECK(expected.startsWith("sha256="));
        QJsonParseError error;
        const QJsonDocument answer = QJsonDocument::fromJson(crc::responseBody(secret, token), &error);
        FUZZ_CHECK(error.error == QJsonParseError::NoError);
        FUZZ_CHECK(answer.object().value(QStringLiteral("response_token")).toString().toUtf8() == expected);
    }

    // The raw input as a delivered body, and as a received signature header.
    const QByteArray signature = crc::signature(secret, input);
    FUZZ_CHECK(crc::verifySignature(secret, input, signature));
    FUZZ_CHECK(crc::constantTimeEquals(input, input));
    (void)crc::verifySignature(secret, QByteArrayLiteral("{}"), input);
    return 0;
}
