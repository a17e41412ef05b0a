// CRC response tokens and delivery signatures against the published vectors (reference §4), and the
// constant-time comparison that checks them.
#include "Crc.h"

#include <QJsonDocument>
#include <QJsonObject>
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

QTEST_GUILESS_MAIN(TestCrc)
#include "tst_crc.moc"
