// The sandbox as a local server that other programs on the machine can reach: what it refuses
// (foreign Host and Origin, control calls without the run's token, oversized bodies, JSON calls
// without application/json), what it keeps bounded, and the randomness of its tokens.

#include "RandomToken.h"
#include "SandboxTestSupport.h"

#include <QtTest>

using namespace sandboxtest;
using namespace std::chrono_literals;

class TestSandboxHardening : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Every byte of a token comes from the generator, whatever the length: a tail that is not a
    // whole 32-bit word once held left-over heap memory.
    void shouldFillEveryByteOfARandomToken()
    {
        static const QRegularExpression alphabet(QStringLiteral("\\A[A-Za-z0-9_-]+\\z"));
        constexpr int samples = 32;
        for (int length = 1; length <= 64; ++length) {
            QList<QByteArray> decoded;
            for (int i = 0; i < samples; ++i) {
                const QByteArray token = randomToken(length);
                QVERIFY2(alphabet.match(QString::fromLatin1(token)).hasMatch(), token.constData());
                const QByteArray raw = QByteArray::fromBase64(token, QByteArray::Base64UrlEncoding);
                QCOMPARE(raw.size(), length);
                decoded.append(raw);
            }
            // Each byte position varies across the samples (32 equal random bytes: p = 2^-248).
            for (int position = 0; position < length; ++position) {
                bool varies = false;
                for (int i = 1; i < samples && !varies; ++i)
                    varies = decoded.at(i).at(position) != decoded.at(0).at(position);
                QVERIFY2(varies,
                         qPrintable(QStringLiteral("byte %1 of %2 is the same in every token")
                                        .arg(position)
                                        .arg(length)));
            }
            if (length >= 8)
                QCOMPARE(QSet<QByteArray>(decoded.cbegin(), decoded.cend()).size(), samples);
        }
    }
};

QTEST_GUILESS_MAIN(TestSandboxHardening)
#include "tst_sandbox_hardening.moc"
