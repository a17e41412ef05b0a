// The CRC doctor's checks of what the endpoint answers: TLS (chain, expiry, host name, version),
// the CRC GETs (answer, token, latency) and the compression probes. The checklist's order, the
// URL, DNS, TCP and X's re-validation are in CrcDoctor.cpp.
#include "CrcDoctor.h"

#include "Crc.h"
#include "Validation.h"

#include <QNetworkAccessManager>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>

#include <algorithm>

namespace activity {

namespace {

using Failure = CrcSelfTestResult::Failure;

QString namesOf(const QSslCertificate &certificate)
{
    QStringList names = certificate.subjectAlternativeNames().values(QSsl::DnsEntry);
    names += certificate.subjectAlternativeNames().values(QSsl::IpAddressEntry);
    if (names.isEmpty())
        names = certificate.subjectInfo(QSslCertificate::CommonName);
    return names.join(QStringLiteral(", "));
}

QString protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_3:
        return QStringLiteral("TLS 1.3");
    case QSsl::TlsV1_2:
        return QStringLiteral("TLS 1.2");
    default:
        return QStringLiteral("a TLS version older than 1.2");
    }
}

} // namespace

// --- TLS -----------------------------------------------------------------------------------------

void CrcDoctor::checkTls()
{
    if (m_url.scheme().toLower() != QLatin1String("https")) {
        set(Check::Tls, validate::isLoopbackAddress(m_url.host()) ? Verdict::Skipped : Verdict::Failed,
            QStringLiteral("Plain http: no TLS to check. X calls https URLs only."),
            QStringLiteral("Serve the endpoint over https with a certificate from a public CA."));
        return next();
    }
    if (!QSslSocket::supportsSsl()) {
        set(Check::Tls, Verdict::Skipped, QStringLiteral("This computer has no TLS library."));
        return next();
    }
    set(Check::Tls, Verdict::Running, {});
    auto *socket = new QSslSocket(this);
    m_socket = socket;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!m_options.extraCaCertificates.isEmpty())
        tls.addCaCertificates(m_options.extraCaCertificates); // added to the system's; still verified
    socket->setSslConfiguration(tls);
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    const auto done = [this, socket](const QString &socketError) {
        if (m_socket != socket)
            return;
        m_socket = nullptr;
        socket->disconnect(this);
        const QList<QSslCertificate> chain =
            socket->peerCertificateChain().isEmpty() ? m_chain : socket->peerCertificateChain();
        const int protocol = int(socket->sessionProtocol());
        socket->abort();
        socket->deleteLater();
        judgeTls(m_sslErrors, chain, protocol, socketError);
    };
    connect(socket, &QSslSocket::sslErrors, this, [this, socket](const QList<QSslError> &errors) {
        // Recorded, never ignored: the handshake then fails, as X's would.
        m_sslErrors = errors;
        m_chain = socket->peerCertificateChain();
    });
    connect(socket, &QSslSocket::encrypted, this, [done] { done({}); });
    connect(socket, &QSslSocket::errorOccurred, this, [done, socket] { done(socket->errorString()); });
    connect(deadline, &QTimer::timeout, this, [this, done] {
        done(
            QStringLiteral("no TLS handshake within %1").arg(milliseconds(m_options.connectTimeout.count())));
    });
    deadline->start(m_options.connectTimeout);
    // The address found above, with the URL's host name as server name (SNI) and for the check.
    socket->connectToHostEncrypted(m_address.toString(), m_port, m_url.host());
}

void CrcDoctor::judgeTls(const QList<QSslError> &errors, const QList<QSslCertificate> &chain, int protocol,
                         const QString &socketError)
{
    const QString host = m_url.host();
    const QSslCertificate leaf = chain.isEmpty() ? QSslCertificate() : chain.first();
    QStringList problems;
    QString remedy;
    bool expired = false;
    bool mismatch = false;
    bool untrusted = false;
    for (const QSslError &error : errors) {
        switch (error.error()) {
        case QSslError::CertificateExpired:
            expired = true;
            break;
        case QSslError::CertificateNotYetValid:
            problems.append(QStringLiteral("the certificate is not valid before %1")
                                .arg(leaf.effectiveDate().toUTC().toString(Qt::ISODate)));
            break;
        case QSslError::HostNameMismatch:
            mismatch = true;
            break;
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::CertificateUntrusted:
        case QSslError::InvalidCaCertificate:
        case QSslError::CertificateSignatureFailed:
        case QSslError::CertificateRejected:
            untrusted = true;
            break;
        default:
            problems.append(error.errorString());
            break;
        }
    }
    if (expired) {
        problems.prepend(QStringLiteral("the certificate expired on %1")
                             .arg(leaf.expiryDate().toUTC().toString(Qt::ISODate)));
        remedy =
            QStringLiteral("Renew the certificate (automate it, e.g. with an ACME client) and reload the "
                           "server.");
    }
    if (mismatch) {
        problems.append(QStringLiteral("the certificate is for %1, not %2").arg(namesOf(leaf), host));
        remedy = QStringLiteral("Serve a certificate whose names include %1 (check the server's name-based "
                                "virtual host and the proxy in front of it).")
                     .arg(host);
    }
    if (untrusted) {
        problems.append(
            chain.size() <= 1 && !leaf.isNull() && leaf.issuerDisplayName() != leaf.subjectDisplayName()
                ? QStringLiteral("the chain does not verify: the server sends no intermediate certificate "
                                 "for %1")
                      .arg(leaf.issuerDisplayName())
                : QStringLiteral("the chain does not verify against the system's trusted CAs (issuer: %1)")
                      .arg(leaf.isNull() ? QStringLiteral("unknown") : leaf.issuerDisplayName()));
        remedy =
            QStringLiteral("Use a certificate from a public CA and configure the server to send the full "
                           "chain (leaf and intermediates). Never turn off certificate checks.");
    }
    if (!problems.isEmpty() || (!socketError.isEmpty() && errors.isEmpty())) {
        if (problems.isEmpty())
            problems.append(QStringLiteral("the TLS handshake failed (%1)").arg(socketError));
        QString finding = problems.join(QStringLiteral("; "));
        finding[0] = finding[0].toUpper();
        set(Check::Tls, Verdict::Failed,
            finding + QStringLiteral(". X marks a webhook invalid at once when TLS fails."),
            remedy.isEmpty() ? QStringLiteral("Serve TLS 1.2 or later with a certificate from a public CA "
                                              "for this host name.")
                             : remedy);
        return skipRest(QStringLiteral("Not run: TLS failed."));
    }
    const qint64 daysLeft = now().daysTo(leaf.expiryDate().toUTC());
    const QString summary =
        QStringLiteral("Verified for %1 by %2 over %3; valid until %4 (%5 days left).")
            .arg(host, leaf.issuerDisplayName(), protocolName(QSsl::SslProtocol(protocol)),
                 leaf.expiryDate().toUTC().toString(Qt::ISODate))
            .arg(daysLeft);
    if (daysLeft < m_options.certificateWarningDays) {
        set(Check::Tls, Verdict::Warned, summary + QStringLiteral(" It expires soon."),
            QStringLiteral(
                "Renew the certificate now; X marks the webhook invalid as soon as it has expired."));
    } else if (protocol != int(QSsl::TlsV1_3) && protocol != int(QSsl::TlsV1_2)) {
        set(Check::Tls, Verdict::Warned, summary,
            QStringLiteral("Allow TLS 1.2 or later only, as X recommends."));
    } else {
        set(Check::Tls, Verdict::Passed, summary);
    }
    next();
}

// --- CRC, token, latency -------------------------------------------------------------------------

CrcSelfTest *CrcDoctor::makeSelfTest()
{
    auto *test = new CrcSelfTest(m_network, m_options.consumerSecret, this);
    test->setExtraCaCertificates(m_options.extraCaCertificates);
    test->setTimeLimit(m_options.generation == ApiGeneration::V2 ? m_options.deliveryLimit
                                                                 : m_options.crcLimit);
    if (m_routed)
        test->setRoute(m_address, m_port);
    return test;
}

void CrcDoctor::runCrcTry()
{
    CrcSelfTest *test = makeSelfTest();
    m_selfTest = test;
    connect(test, &CrcSelfTest::finished, this, [this, test] {
        if (m_selfTest != test)
            return;
        m_selfTest = nullptr;
        test->deleteLater();
        m_tries.append(test->result());
        if (m_tries.size() < m_options.tries && !m_tries.last().isNetworkFailure())
            return runCrcTry();
        judgeCrc();
    });
    test->run(m_url);
}

void CrcDoctor::judgeCrc()
{
    const qint64 limit = m_options.crcLimit.count();
    const bool v2 = m_options.generation == ApiGeneration::V2;
    const qint64 tryLimit = v2 ? m_options.deliveryLimit.count() : limit;
    // The first try that failed by X's rules decides the answer's verdict; slowness is latency's.
    const CrcSelfTestResult *decisive = &m_tries.first();
    int failures = 0;
    for (const CrcSelfTestResult &result : std::as_const(m_tries)) {
        if (!result.passed && result.failure != Failure::TooSlow) {
            if (failures++ == 0)
                decisive = &result;
        }
    }
    const QString tally = m_tries.size() > 1 && failures > 0 && failures < m_tries.size()
        ? QStringLiteral(" (%1 of %2 tries)").arg(failures).arg(m_tries.size())
        : QString();
    const CrcSelfTestResult &r = *decisive;
    bool answered = false; // an HTTP answer whose body could be judged
    if (r.isNetworkFailure()) {
        set(Check::Crc, Verdict::Failed, r.problem, r.remedy);
        set(Check::Token, Verdict::Skipped, QStringLiteral("Not run: no answer."));
    } else if (r.failure == Failure::TooSlow) {
        set(Check::Crc, Verdict::Skipped,
            QStringLiteral("No complete answer within %1; see Latency.").arg(milliseconds(tryLimit)));
        set(Check::Token, Verdict::Skipped, QStringLiteral("Not run: no complete answer."));
    } else if (r.failure == Failure::Redirect || r.failure == Failure::Non200 ||
               r.failure == Failure::InvalidJson) {
        QString problem = r.problem + tally;
        if (r.failure == Failure::InvalidJson && r.gzipBody && !r.contentEncoding.contains("gzip"))
            problem += QStringLiteral(" The body is gzip-compressed without a Content-Encoding header.");
        set(Check::Crc, Verdict::Failed, problem, r.remedy);
        set(Check::Token, Verdict::Skipped, QStringLiteral("Not run: no JSON answer to read."));
        answered = true;
    } else {
        answered = true;
        const QByteArray type = r.contentType.toLower();
        const QString status =
            QStringLiteral("HTTP 200, Content-Type %1, a JSON object with response_token.")
                .arg(r.contentType.isEmpty() ? QStringLiteral("(none)") : QString::fromLatin1(r.contentType));
        if (!type.startsWith("application/json")) {
            set(Check::Crc, Verdict::Warned, status,
                QStringLiteral("Send Content-Type: application/json, as X's documentation and tools do; "
                               "some of X's checks may not read another type as JSON."));
        } else {
            set(Check::Crc, Verdict::Passed, status);
        }
        if (r.passed) {
            set(Check::Token, Verdict::Passed,
                QStringLiteral("It matches HMAC-SHA256 of the crc_token with the consumer secret%1.")
                    .arg(m_tries.size() > 1 ? QStringLiteral(", on every try") : QString()));
        } else if (!m_options.clientSecret.isEmpty() &&
                   crc::constantTimeEquals(r.receivedToken,
                                           crc::responseToken(m_options.clientSecret, r.crcToken))) {
            set(Check::Token, Verdict::Failed,
                QStringLiteral(
                    "The token is made with the profile's OAuth 2.0 client secret, not the consumer "
                    "secret; X signs CRC with the consumer secret (API Key Secret)."),
                QStringLiteral("Configure the endpoint with the consumer secret (API Key Secret) of this app "
                               "instead of the OAuth 2.0 client secret."));
        } else {
            QString finding = r.problem + tally;
            if (!m_options.clientSecret.isEmpty() && !r.problem.contains(QLatin1String("prefix")))
                finding += QStringLiteral(" It matches neither the consumer secret nor the OAuth 2.0 client "
                                          "secret of this profile.");
            set(Check::Token, Verdict::Failed, finding, r.remedy);
        }
    }

    // Latency over every try that got an answer, a too-slow one counted at the limit it exceeded.
    for (const CrcSelfTestResult &result : std::as_const(m_tries)) {
        if (!result.isNetworkFailure())
            m_latencies.append(result.latencyMs);
    }
    if (m_latencies.isEmpty()) {
        set(Check::Latency, Verdict::Skipped, QStringLiteral("Not run: no answer."));
        if (!answered)
            return skipRest(QStringLiteral("Not run: no answer."));
        return next();
    }
    QList<qint64> sorted = m_latencies;
    std::sort(sorted.begin(), sorted.end());
    const qint64 median = sorted.size() % 2 ? sorted[sorted.size() / 2]
                                            : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
    const qint64 worst = sorted.last();
    const bool timedOut = std::any_of(m_tries.cbegin(), m_tries.cend(), [](const CrcSelfTestResult &r) {
        return r.failure == Failure::TooSlow;
    });
    const QString figures = sorted.size() == 1
        ? QStringLiteral("%1%2 in the one try")
              .arg(timedOut ? QStringLiteral("Over ") : QString(), milliseconds(worst))
        : QStringLiteral("Median %1, worst %2%3 over %4 tries")
              .arg(milliseconds(median), timedOut ? QStringLiteral("over ") : QString(), milliseconds(worst))
              .arg(sorted.size());
    const QString fastRemedy =
        QStringLiteral("Answer the CRC GET at once: no database, outgoing call or cold start before "
                       "answering; keep the server warm (free hosts that sleep answer the first call late).");
    if (timedOut || worst > tryLimit) {
        set(Check::Latency, Verdict::Failed,
            v2 ? figures + QStringLiteral(": over X's %1 limit for v2 answers.").arg(milliseconds(tryLimit))
               : figures +
                    QStringLiteral(": over X's %1 limit for the CRC answer (\"High latency on CRC GET "
                                   "request\").")
                        .arg(milliseconds(limit)),
            fastRemedy);
    } else if (worst > limit) {
        set(Check::Latency, Verdict::Warned,
            figures +
                QStringLiteral(": within v2's %1, but over the %2 X's CRC rule has long set.")
                    .arg(milliseconds(tryLimit), milliseconds(limit)),
            fastRemedy);
    } else if (worst * 2 > limit) {
        set(Check::Latency, Verdict::Warned,
            figures +
                QStringLiteral(": more than half of X's %1; X calls from farther away.")
                    .arg(milliseconds(limit)),
            fastRemedy);
    } else {
        set(Check::Latency, Verdict::Passed,
            figures +
                QStringLiteral(" (X's limit: %1%2).")
                    .arg(milliseconds(limit),
                         v2 ? QStringLiteral("; %1 for v2 answers").arg(milliseconds(tryLimit)) : QString()));
    }
    if (!answered)
        return skipRest(QStringLiteral("Not run: no complete answer."));
    next();
}

// --- Compression ---------------------------------------------------------------------------------

void CrcDoctor::runCompressionProbe()
{
    set(Check::Compression, Verdict::Running, {});
    CrcSelfTest *test = makeSelfTest();
    m_selfTest = test;
    // First as a client that accepts gzip, then as one that asks for none.
    test->setAcceptEncoding(m_probes.isEmpty() ? QByteArrayLiteral("gzip") : QByteArrayLiteral("identity"));
    connect(test, &CrcSelfTest::finished, this, [this, test] {
        if (m_selfTest != test)
            return;
        m_selfTest = nullptr;
        test->deleteLater();
        m_probes.append(test->result());
        if (m_probes.size() < 2)
            return runCompressionProbe();
        judgeCompression();
    });
    test->run(m_url);
}

void CrcDoctor::judgeCompression()
{
    QStringList failures;
    QStringList notes;
    for (int i = 0; i < m_probes.size(); ++i) {
        const CrcSelfTestResult &probe = m_probes[i];
        const QString asked =
            i == 0 ? QStringLiteral("asked for gzip") : QStringLiteral("asked for no compression");
        if (probe.httpStatus == 0) {
            notes.append(QStringLiteral("no answer when %1").arg(asked));
            continue;
        }
        const QByteArray declared = probe.contentEncoding.trimmed().toLower();
        const bool declaresGzip = declared.contains("gzip");
        if (declaresGzip && !probe.gzipBody) {
            failures.append(QStringLiteral("when %1, the answer declares Content-Encoding: gzip but is not "
                                           "compressed")
                                .arg(asked));
        } else if (!declaresGzip && probe.gzipBody) {
            failures.append(QStringLiteral("when %1, the answer is gzip-compressed without declaring it "
                                           "(no Content-Encoding: gzip)")
                                .arg(asked));
        } else if (i == 1 && declaresGzip) {
            failures.append(QStringLiteral("the answer is compressed although the request asked for none"));
        } else if (!declared.isEmpty() && declared != "identity" && !declaresGzip) {
            notes.append(
                QStringLiteral("when %1, Content-Encoding is %2").arg(asked, QString::fromLatin1(declared)));
        } else if (i == 0) {
            notes.append(declaresGzip ? QStringLiteral("gzip when asked, declared correctly")
                                      : QStringLiteral("uncompressed when gzip is allowed"));
        }
    }
    if (!failures.isEmpty()) {
        QString finding = failures.join(QStringLiteral("; "));
        finding[0] = finding[0].toUpper();
        set(Check::Compression, Verdict::Failed,
            finding + QStringLiteral(". X marks a webhook invalid at once for a gzip mismatch either way."),
            QStringLiteral(
                "Let one layer compress (the server or the proxy, not both), only when the request "
                "accepts it, and always with the matching Content-Encoding header; or turn "
                "compression off for this path."));
    } else {
        QString finding = notes.join(QStringLiteral("; "));
        if (!finding.isEmpty())
            finding[0] = finding[0].toUpper();
        set(Check::Compression, Verdict::Passed, finding + QLatin1Char('.'));
    }
    next();
}

} // namespace activity
