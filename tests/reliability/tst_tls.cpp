// TLS is never bypassed: the sandbox served over https with a self-signed certificate made at test
// time (openssl) is refused with ApiError::Kind::Tls, by the client and by activity-cli, unless the
// test explicitly trusts that certificate (ClientConfig::extraCaCertificates); a trusted certificate
// for another host name is still refused. And no product source turns certificate checks off.
#include "ApiClient.h"
#include "CliProcess.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "TestEnvironment.h"

#include <QDirIterator>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSslKey>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace activity;
using namespace std::chrono_literals;
namespace demo = activity::sandbox::demo;

namespace {

struct Outcome
{
    int callbacks = 0;
    Result<QList<Webhook>> result {ApiError {}};
};

// Advice that would weaken security must never be given, whatever went wrong.
bool suggestsBypass(const QString &text)
{
    const QString lower = text.toLower();
    for (const char *word : {"ignore", "disable", "insecure", "--insecure", "verifynone", "skip"}) {
        if (lower.contains(QLatin1String(word)))
            return true;
    }
    return false;
}

} // namespace

class TestTls : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QSslCertificate m_certificate; // CN=127.0.0.1, subjectAltName IP:127.0.0.1
    QSslKey m_key;
    QSslCertificate m_otherHostCertificate; // CN=example.invalid
    QSslKey m_otherHostKey;

    // Makes a self-signed certificate and key with openssl; false (and a message) when it cannot.
    bool makeCertificate(const QString &name, const QString &subject, const QString &altName,
                         QSslCertificate &certificate, QSslKey &key)
    {
        const QString keyPath = m_dir.filePath(name + QStringLiteral(".key"));
        const QString certPath = m_dir.filePath(name + QStringLiteral(".pem"));
        QProcess openssl;
        openssl.setProgram(QStringLiteral("openssl"));
        openssl.setArguments({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                              QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                              QStringLiteral("2"), QStringLiteral("-subj"), subject,
                              QStringLiteral("-addext"), QStringLiteral("subjectAltName=") + altName,
                              QStringLiteral("-keyout"), keyPath, QStringLiteral("-out"), certPath});
        QSignalSpy finished(&openssl, &QProcess::finished);
        openssl.start();
        if (!finished.wait(60000) || openssl.exitCode() != 0) {
            qWarning().noquote() << "openssl failed:" << openssl.readAllStandardError();
            return false;
        }
        QFile certFile(certPath);
        QFile keyFile(keyPath);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
            return false;
        certificate = QSslCertificate(certFile.readAll(), QSsl::Pem);
        key = QSslKey(keyFile.readAll(), QSsl::Rsa, QSsl::Pem);
        return !certificate.isNull() && !key.isNull();
    }

    std::unique_ptr<sandbox::SandboxServer> httpsSandbox(const QSslCertificate &certificate,
                                                         const QSslKey &key)
    {
        auto server = std::make_unique<sandbox::SandboxServer>();
        server->seedDemo();
        server->useTls(certificate, key);
        if (!server->listen())
            return {};
        return server;
    }

    static Outcome listWebhooks(const QUrl &baseUrl, const QList<QSslCertificate> &trusted, QObject *context)
    {
        QNetworkAccessManager network;
        ClientConfig config;
        config.baseUrl = baseUrl;
        config.transferTimeout = 10s;
        config.extraCaCertificates = trusted;
        ApiClient api(&network, config,
                      AppCredentials {demo::consumerKey, demo::consumerSecret, demo::ownerToken,
                                      demo::ownerTokenSecret, demo::bearerToken});
        Outcome outcome;
        api.listWebhooks(context, [&outcome](const Result<QList<Webhook>> &result) {
            ++outcome.callbacks;
            outcome.result = result;
        });
        if (!QTest::qWaitFor([&] { return outcome.callbacks > 0; }, 20000)) {
            outcome.result =
                ApiError::make(ApiError::Kind::Cancelled, QStringLiteral("The test gave up waiting."));
        }
        return outcome;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QSslSocket::supportsSsl())
            ACTIVITY_SKIP_UNLESS_PROVIDED(QStringLiteral("This Qt has no TLS backend."));
        QVERIFY(m_dir.isValid());
        QVERIFY2(makeCertificate(QStringLiteral("loopback"), QStringLiteral("/CN=127.0.0.1"),
                                 QStringLiteral("IP:127.0.0.1"), m_certificate, m_key),
                 "openssl (tools/common.sh installs it) could not make the test certificate");
        QVERIFY(makeCertificate(QStringLiteral("other"), QStringLiteral("/CN=example.invalid"),
                                QStringLiteral("DNS:example.invalid"), m_otherHostCertificate,
                                m_otherHostKey));
    }

    void shouldRefuseASelfSignedServer()
    {
        auto server = httpsSandbox(m_certificate, m_key);
        QVERIFY(server);
        QCOMPARE(server->baseUrl().scheme(), QStringLiteral("https"));
        const Outcome outcome = listWebhooks(server->baseUrl(), {}, this);
        QCOMPARE(outcome.callbacks, 1);
        QVERIFY(!outcome.result.ok());
        const ApiError &error = outcome.result.error();
        QVERIFY2(error.kind == ApiError::Kind::Tls, qPrintable(error.text()));
        QVERIFY(!error.cause.isEmpty());
        QVERIFY(!error.remedy.isEmpty());
        QVERIFY2(!suggestsBypass(error.cause) && !suggestsBypass(error.remedy), qPrintable(error.text()));
        // Nothing reached the API: the handshake failed before any request.
        QVERIFY(server->journal().isEmpty());
    }

    void shouldSucceedWhenTheCertificateIsExplicitlyTrusted()
    {
        auto server = httpsSandbox(m_certificate, m_key);
        QVERIFY(server);
        const Outcome outcome = listWebhooks(server->baseUrl(), {m_certificate}, this);
        QCOMPARE(outcome.callbacks, 1);
        QVERIFY2(outcome.result.ok(), outcome.result.ok() ? "" : qPrintable(outcome.result.error().text()));
        QCOMPARE(outcome.result.value().size(), 2);
        QCOMPARE(server->journal().size(), 1);
    }

    void shouldStillCheckTheHostNameOfATrustedCertificate()
    {
        // Trusted as a CA, but issued to example.invalid, not to 127.0.0.1.
        auto server = httpsSandbox(m_otherHostCertificate, m_otherHostKey);
        QVERIFY(server);
        const Outcome outcome = listWebhooks(server->baseUrl(), {m_otherHostCertificate}, this);
        QVERIFY(!outcome.result.ok());
        QVERIFY2(outcome.result.error().kind == ApiError::Kind::Tls,
                 qPrintable(outcome.result.error().text()));
        QVERIFY(server->journal().isEmpty());
    }

    void shouldExitWithTheNetworkCodeFromTheCliOnAnUntrustedCertificate()
    {
        auto server = httpsSandbox(m_certificate, m_key);
        QVERIFY(server);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &key : env.keys()) {
            if (key.startsWith(QLatin1String("ACTIVITY_")))
                env.remove(key);
        }
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.path());
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_KEY"), QString::fromLatin1(demo::consumerKey));
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QString::fromLatin1(demo::consumerSecret));
        const clitest::Run run =
            clitest::runCliProcess({QStringLiteral("--base-url=") + server->baseUrl().toString(),
                                    QStringLiteral("webhooks"), QStringLiteral("list")},
                                   env, 30000);
        QVERIFY2(run.exitCode != -1, "activity-cli did not finish");
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(run.exitCode == 3, qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("TLS")), qPrintable(err));
        QVERIFY2(!suggestsBypass(err), qPrintable(err));
    }

    // The product never turns certificate verification off (tests may, but do not either).
    void shouldFindNoCertificateBypassInTheSources()
    {
        const QDir root(QStringLiteral(ACTIVITY_SOURCE_DIR));
        int scanned = 0;
        QStringList offenders;
        for (const char *folder : {"network", "models", "ui", "app", "sandbox"}) {
            QDirIterator it(root.filePath(QString::fromLatin1(folder)),
                            {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile file(it.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                const QByteArray text = file.readAll();
                ++scanned;
                for (const char *bypass : {"ignoreSslErrors", "VerifyNone", "QueryPeer"}) {
                    if (text.contains(bypass))
                        offenders.append(root.relativeFilePath(file.fileName()) + QLatin1String(": ") +
                                         QLatin1String(bypass));
                }
            }
        }
        QVERIFY2(scanned > 20, "the source tree was not found");
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
