// CRC response tokens and delivery signatures against the published vectors (reference §4), the
// constant-time comparison that checks them, and the HMAC-SHA256 under both against RFC 4231 and Qt.
#include "Crc.h"
#include "HmacSha256.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QTest>

using namespace activity;

class TestCrc : public QObject
{
    Q_OBJECT

private slots:
    void shouldComputeResponseTokenVectors_data();
    void shouldComputeResponseTokenVectors();
    void shouldAnswerWithResponseTokenJson();
    void shouldSignDeliveredBodies_data();
    void shouldSignDeliveredBodies();
    void shouldVerifyOnlyTheExactSignature();
    void shouldCompareEqualValuesInConstantTime();
    void shouldRejectAnyOneByteChange();
    void shouldRejectDifferentLengths();
    void shouldMatchRfc4231Vectors_data();
    void shouldMatchRfc4231Vectors();
    void shouldMatchQtForEveryLength();
    void shouldHashWithBothCompressionsAlike();
};

void TestCrc::shouldComputeResponseTokenVectors_data()
{
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("test/foo") << QByteArray("test") << QByteArray("foo")
                              << QByteArray("sha256=HlU5y5rWhNi1SHftUCyOxuT6JRuDqeVBKWp1yvldR04=");
    QTest::newRow("test/token") << QByteArray("test") << QByteArray("token")
                                << QByteArray("sha256=Zm6VCU3ZF/DZQRCKeAxOeXQid1tkpMlNx8vt/Cy5dR8=");
    QTest::newRow("DevRel gist") << QByteArray("z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu")
                                 << QByteArray("9b4507b3-9040-4669-9ca3-6b94edb50553")
                                 << QByteArray("sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=");
}

void TestCrc::shouldComputeResponseTokenVectors()
{
    QFETCH(QByteArray, secret);
    QFETCH(QByteArray, token);
    QFETCH(QByteArray, expected);
    QCOMPARE(crc::responseToken(secret, token), expected);
}

void TestCrc::shouldAnswerWithResponseTokenJson()
{
    const QJsonDocument doc = QJsonDocument::fromJson(crc::responseBody("test", "foo"));
    QVERIFY(doc.isObject());
    QCOMPARE(doc.object().size(), 1);
    QCOMPARE(doc.object().value(QLatin1String("response_token")).toString(),
             QStringLiteral("sha256=HlU5y5rWhNi1SHftUCyOxuT6JRuDqeVBKWp1yvldR04="));
}

void TestCrc::shouldSignDeliveredBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("form body") << QByteArray("test=1&other_test=2")
                               << QByteArray("sha256=25Cu3iwbbiqBTwQRzcKJZwisjf736V2Q8UaTlkfLSoc=");
    QTest::newRow("json body") << QByteArray(R"({"test_number":1,"test_string":"two"})")
                               << QByteArray("sha256=YWHphPn/JFq43jkF0y4/w8R/SelmLjvpunhVFY8JhlI=");
}

void TestCrc::shouldSignDeliveredBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    QCOMPARE(crc::signature("test", body), expected);
    QVERIFY(crc::verifySignature("test", body, expected));
    // Surrounding whitespace in the header value is tolerated (some proxies add it).
    QVERIFY(crc::verifySignature("test", body, QByteArray(" " + expected + "\r\n")));
    // The receiver's verifier gives the same answers, again and again with one HMAC.
    crc::SignatureVerifier verifier("test");
    for (int round = 0; round < 2; ++round) {
        QVERIFY(verifier.verify(body, expected));
        QVERIFY(verifier.verify(body, QByteArray(" " + expected + "\r\n")));
        QVERIFY(!verifier.verify(QByteArray(body + ' '), expected));
    }
}

void TestCrc::shouldVerifyOnlyTheExactSignature()
{
    const QByteArray body = "test=1&other_test=2";
    const QByteArray good = crc::signature("test", body);
    QVERIFY(!crc::verifySignature("other secret", body, good));
    QVERIFY(!crc::verifySignature("test", QByteArray(body + ' '), good));
    QVERIFY(!crc::verifySignature("test", body, good.mid(7))); // without "sha256="
    QVERIFY(!crc::verifySignature("test", body, {}));
    QVERIFY(!crc::verifySignature("test", body, QByteArray("sha1=" + good.mid(7))));

    crc::SignatureVerifier verifier("test");
    QVERIFY(!crc::SignatureVerifier("other secret").verify(body, good));
    QVERIFY(!verifier.verify(QByteArray(body + ' '), good));
    QVERIFY(!verifier.verify(body, good.mid(7)));
    QVERIFY(!verifier.verify(body, {}));
    QVERIFY(!verifier.verify(body, QByteArray("sha1=" + good.mid(7))));
    QVERIFY(!verifier.verify(body, QByteArray("SHA256=" + good.mid(7)))); // the prefix counts too
    for (qsizetype i = 0; i < good.size(); ++i) {
        QByteArray changed = good;
        changed[i] = static_cast<char>(changed[i] ^ 0x01);
        QVERIFY2(!verifier.verify(body, changed), qPrintable(QStringLiteral("byte %1").arg(i)));
    }
    QVERIFY(verifier.verify(body, good)); // a refusal leaves nothing behind
}

void TestCrc::shouldCompareEqualValuesInConstantTime()
{
    QVERIFY(crc::constantTimeEquals("", ""));
    QVERIFY(crc::constantTimeEquals("sha256=abc", "sha256=abc"));
    QByteArray binary(64, '\0');
    binary[10] = '\xFF';
    QVERIFY(crc::constantTimeEquals(binary, QByteArray(binary)));
}

void TestCrc::shouldRejectAnyOneByteChange()
{
    const QByteArray good = crc::signature("test", "payload");
    for (qsizetype i = 0; i < good.size(); ++i) {
        for (const int flip : {0x01, 0x80, 0xFF}) {
            QByteArray changed = good;
            changed[i] = static_cast<char>(changed[i] ^ flip);
            QVERIFY2(!crc::constantTimeEquals(good, changed), qPrintable(QStringLiteral("byte %1").arg(i)));
        }
    }
}

void TestCrc::shouldRejectDifferentLengths()
{
    const QByteArray good = crc::signature("test", "payload");
    QVERIFY(!crc::constantTimeEquals(good, good.chopped(1)));
    QVERIFY(!crc::constantTimeEquals(good, QByteArray(good + '=')));
    QVERIFY(!crc::constantTimeEquals(good, {}));
    QVERIFY(!crc::constantTimeEquals({}, good));
}

void TestCrc::shouldMatchRfc4231Vectors_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("mac");
    QTest::newRow("1") << QByteArray(20, '\x0b') << QByteArray("Hi There")
                       << QByteArray("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    QTest::newRow("2") << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
                       << QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    QTest::newRow("3") << QByteArray(20, '\xaa') << QByteArray(50, '\xdd')
                       << QByteArray("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    // A key longer than a block is hashed first.
    QTest::newRow("6") << QByteArray(131, '\xaa')
                       << QByteArray("Test Using Larger Than Block-Size Key - Hash Key First")
                       << QByteArray("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

void TestCrc::shouldMatchRfc4231Vectors()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, mac);
    QCOMPARE(crc::HmacSha256(key).macBytes(data).toHex(), mac);
}

void TestCrc::shouldMatchQtForEveryLength()
{
    // Every message length across several blocks (each padding case), keys of every length up to
    // past a block, random bytes; each verified as a delivery too.
    QRandomGenerator random(4231);
    for (int length = 0; length < 700; ++length) {
        QByteArray message(length, Qt::Uninitialized);
        for (char &c : message)
            c = char(random.generate());
        QByteArray key(length % 150, Qt::Uninitialized);
        for (char &c : key)
            c = char(random.generate());
        const QByteArray expected =
            QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
        QCOMPARE(crc::HmacSha256(key).macBytes(message), expected);
        QVERIFY(crc::SignatureVerifier(key).verify(message, QByteArray("sha256=" + expected.toBase64())));
    }
}

void TestCrc::shouldHashWithBothCompressionsAlike()
{
    // The portable compression and the one compress() picks (the SHA extensions where the CPU has
    // them) give Qt's SHA-256 for the same blocks.
    qInfo("SHA extensions: %s", crc::sha256::usesShaExtensions() ? "used" : "not on this CPU");
    QRandomGenerator random(180);
    QByteArray blocks(64 * 9, Qt::Uninitialized);
    for (char &c : blocks)
        c = char(random.generate());
    // Nine whole blocks, the last one the padding of 8 * 64 - 1 message bytes.
    const QByteArray message = blocks.first(8 * 64 - 1);
    QByteArray padded = message + '\x80' + QByteArray(64 - 8, '\0');
    const quint64 bits = quint64(message.size()) * 8;
    for (int i = 7; i >= 0; --i)
        padded += char(bits >> (8 * i));
    QCOMPARE(padded.size(), 9 * 64);
    const auto hex = [](const crc::sha256::State &state) {
        QByteArray bytes;
        for (std::uint32_t word : state.words) {
            for (int shift = 24; shift >= 0; shift -= 8)
                bytes += char(word >> shift);
        }
        return bytes.toHex();
    };
    crc::sha256::State portable = crc::sha256::initialState();
    crc::sha256::compressPortable(portable, reinterpret_cast<const unsigned char *>(padded.constData()), 9);
    crc::sha256::State picked = crc::sha256::initialState();
    crc::sha256::compress(picked, reinterpret_cast<const unsigned char *>(padded.constData()), 9);
    const QByteArray expected = QCryptographicHash::hash(message, QCryptographicHash::Sha256).toHex();
    QCOMPARE(hex(portable), expected);
    QCOMPARE(hex(picked), expected);
}

QTEST_GUILESS_MAIN(TestCrc)
#include "tst_crc.moc"
