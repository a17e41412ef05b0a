#include "CrcDoctor.h"

#include "ApiClient.h"
#include "Crc.h"
#include "EndpointCatalogue.h"
#include "NetworkLogging.h"
#include "Validation.h"

#include <QFile>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>

namespace activity {

namespace {

using Check = CrcDoctorItem::Check;
using Verdict = CrcDoctorItem::Verdict;
using Failure = CrcSelfTestResult::Failure;

constexpr Check kSteps[] = {Check::Url, Check::Dns,         Check::Tcp,         Check::Tls,
                            Check::Crc, Check::Compression, Check::Revalidation};

int severity(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Failed:
        return 4;
    case Verdict::Warned:
        return 3;
    case Verdict::Skipped:
        return 2;
    case Verdict::Pending:
    case Verdict::Running:
        return 1;
    case Verdict::Passed:
        return 0;
    }
    return 0;
}

QString milliseconds(qint64 ms)
{
    return QStringLiteral("%1 ms").arg(QLocale::c().toString(ms));
}

bool isPublicAddress(const QHostAddress &address)
{
    if (address.isLoopback() || address.isLinkLocal() || address.isSiteLocal() ||
        address.isUniqueLocalUnicast() || address.isMulticast() || address.isNull())
        return false;
    // RFC 1918 and the shared (CGNAT) range: private to a network, unreachable for X.
    for (const auto &[net, bits] :
         {std::pair {QStringLiteral("10.0.0.0"), 8}, std::pair {QStringLiteral("172.16.0.0"), 12},
          std::pair {QStringLiteral("192.168.0.0"), 16}, std::pair {QStringLiteral("100.64.0.0"), 10}}) {
        if (address.isInSubnet(QHostAddress(net), bits))
            return false;
    }
    return true;
}

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

QString CrcDoctorItem::title() const
{
    switch (check) {
    case Check::Url:
        return QStringLiteral("Webhook URL");
    case Check::Dns:
        return QStringLiteral("DNS");
    case Check::Tcp:
        return QStringLiteral("TCP connection");
    case Check::Tls:
        return QStringLiteral("TLS certificate");
    case Check::Crc:
        return QStringLiteral("CRC answer");
    case Check::Token:
        return QStringLiteral("response_token");
    case Check::Latency:
        return QStringLiteral("Latency");
    case Check::Compression:
        return QStringLiteral("Compression");
    case Check::Revalidation:
        return QStringLiteral("Re-validation by X");
    }
    return {};
}

QString CrcDoctorItem::checkName(Check check)
{
    switch (check) {
    case Check::Url:
        return QStringLiteral("url");
    case Check::Dns:
        return QStringLiteral("dns");
    case Check::Tcp:
        return QStringLiteral("tcp");
    case Check::Tls:
        return QStringLiteral("tls");
    case Check::Crc:
        return QStringLiteral("crc");
    case Check::Token:
        return QStringLiteral("token");
    case Check::Latency:
        return QStringLiteral("latency");
    case Check::Compression:
        return QStringLiteral("compression");
    case Check::Revalidation:
        return QStringLiteral("revalidation");
    }
    return {};
}

QString CrcDoctorItem::verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Pending:
        return QStringLiteral("pending");
    case Verdict::Running:
        return QStringLiteral("running");
    case Verdict::Passed:
        return QStringLiteral("passed");
    case Verdict::Warned:
        return QStringLiteral("warned");
    case Verdict::Failed:
        return QStringLiteral("failed");
    case Verdict::Skipped:
        return QStringLiteral("skipped");
    }
    return {};
}

QString CrcDoctorOptions::addCaFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("The CA file %1 cannot be read: %2.").arg(path, file.errorString());
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty())
        return QStringLiteral("The CA file %1 holds no PEM certificate.").arg(path);
    extraCaCertificates += certificates;
    return {};
}

QString CrcDoctorOptions::applyEnvironment(const QProcessEnvironment &environment)
{
    const QString table = environment.value(QStringLiteral("ACTIVITY_CRC_DOCTOR_HOSTS")).trimmed();
    std::shared_ptr<StandInHostResolver> standIn;
    if (!table.isEmpty()) {
        standIn = std::make_shared<StandInHostResolver>();
        QString error;
        if (!standIn->parse(table, &error))
            return QStringLiteral(
                       "ACTIVITY_CRC_DOCTOR_HOSTS: %1 (write name=address:port, separated by commas).")
                .arg(error);
    }
    const QString caFile = environment.value(QStringLiteral("ACTIVITY_CRC_DOCTOR_CA")).trimmed();
    if (!caFile.isEmpty()) {
        if (const QString error = addCaFile(caFile); !error.isEmpty())
            return QStringLiteral("ACTIVITY_CRC_DOCTOR_CA: %1").arg(error);
    }
    if (standIn)
        resolver = standIn;
    return {};
}

CrcDoctor::CrcDoctor(QNetworkAccessManager *network, CrcDoctorOptions options, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_options(std::move(options))
{
    m_options.tries = std::clamp(m_options.tries, 1, 20);
    if (!m_options.resolver)
        m_options.resolver = std::make_shared<SystemHostResolver>();
}

CrcDoctor::~CrcDoctor()
{
    abort();
}

const CrcDoctorItem *CrcDoctor::item(Check check) const
{
    for (const CrcDoctorItem &item : m_items) {
        if (item.check == check)
            return &item;
    }
    return nullptr;
}

CrcDoctor::Verdict CrcDoctor::overall() const
{
    Verdict worst = Verdict::Passed;
    for (const CrcDoctorItem &item : m_items) {
        if (severity(item.verdict) > severity(worst))
            worst = item.verdict;
    }
    return worst;
}

QDateTime CrcDoctor::now() const
{
    return m_options.clock ? m_options.clock() : QDateTime::currentDateTimeUtc();
}

void CrcDoctor::run(const QUrl &url)
{
    abort();
    ++m_run;
    m_running = true;
    m_url = url;
    m_items.clear();
    for (Check check : {Check::Url, Check::Dns, Check::Tcp, Check::Tls, Check::Crc, Check::Token,
                        Check::Latency, Check::Compression}) {
        CrcDoctorItem item;
        item.check = check;
        m_items.append(item);
    }
    if (!m_options.webhookId.isEmpty()) {
        CrcDoctorItem item;
        item.check = Check::Revalidation;
        m_items.append(item);
    }
    m_step = 0;
    m_lookup = {};
    m_address.clear();
    m_port = 0;
    m_routed = false;
    m_tries.clear();
    m_latencies.clear();
    m_probes.clear();
    m_sslErrors.clear();
    m_chain.clear();
    // Always after run() returns, as every later step.
    QTimer::singleShot(0, this, [this, run = m_run] {
        if (run == m_run && m_running)
            next();
    });
}

void CrcDoctor::abort()
{
    ++m_run;
    m_running = false;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    if (m_selfTest) {
        m_selfTest->abort();
        m_selfTest->deleteLater();
        m_selfTest = nullptr;
    }
    delete m_callContext;
    m_callContext = nullptr;
}

void CrcDoctor::set(Check check, Verdict verdict, QString finding, QString remedy)
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items[i].check != check)
            continue;
        m_items[i].verdict = verdict;
        m_items[i].finding = std::move(finding);
        m_items[i].remedy = std::move(remedy);
        Q_EMIT itemChanged(i);
        return;
    }
}

void CrcDoctor::skipRest(const QString &why)
{
    for (CrcDoctorItem &item : m_items) {
        if (!item.isDone() && item.check != Check::Revalidation)
            set(item.check, Verdict::Skipped, why);
    }
    // X's own re-validation does not depend on what this computer can reach.
    m_step = int(std::find(std::begin(kSteps), std::end(kSteps), Check::Revalidation) - std::begin(kSteps));
    QTimer::singleShot(0, this, [this, run = m_run] {
        if (run == m_run && m_running)
            next();
    });
}

void CrcDoctor::next()
{
    if (m_step >= int(std::size(kSteps)))
        return finish();
    const Check step = kSteps[m_step++];
    switch (step) {
    case Check::Url:
        return checkUrl();
    case Check::Dns:
        return checkDns();
    case Check::Tcp:
        return checkTcp();
    case Check::Tls:
        return checkTls();
    case Check::Crc:
        set(Check::Crc, Verdict::Running, {});
        return runCrcTry();
    case Check::Compression:
        return runCompressionProbe();
    case Check::Revalidation:
        return checkRevalidation();
    case Check::Token:
    case Check::Latency:
        break;
    }
    next();
}

void CrcDoctor::finish()
{
    m_running = false;
    qCInfo(lcNet).nospace().noquote()
        << "CRC doctor for " << m_url.host() << ": " << CrcDoctorItem::verdictName(overall());
    Q_EMIT finished();
}

// --- URL -----------------------------------------------------------------------------------------

void CrcDoctor::checkUrl()
{
    const QString scheme = m_url.scheme().toLower();
    if (!m_url.isValid() || m_url.isRelative() || m_url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http"))) {
        set(Check::Url, Verdict::Failed,
            QStringLiteral("%1 is not an absolute http(s) URL with a host name.")
                .arg(m_url.toString(QUrl::RemoveUserInfo)),
            QStringLiteral("Enter the webhook's full URL, e.g. https://example.com/webhooks/x."));
        return skipRest(QStringLiteral("Not run: the URL cannot be called."));
    }
    const bool local = validate::isLoopbackAddress(m_url.host());
    const QString generation = endpoints::generationName(m_options.generation);
    if (const auto problem = validate::webhookUrl(m_url.toString(QUrl::FullyEncoded),
                                                  validate::UrlPolicy::XRules, m_options.generation)) {
        if (local) {
            // A developer's endpoint on this computer: worth testing, but X would refuse the URL.
            set(Check::Url, Verdict::Warned,
                QStringLiteral(
                    "A local endpoint (the sandbox accepts it). X API %1 would refuse this URL: %2")
                    .arg(generation, problem->cause),
                QStringLiteral("Before registering with X: %1").arg(problem->remedy));
        } else {
            set(Check::Url, Verdict::Failed, problem->cause, problem->remedy);
        }
    } else {
        const QStringList names = {QStringLiteral("crc_token"), QStringLiteral("nonce")};
        const QUrlQuery query(m_url);
        QString clash;
        for (const QString &name : names) {
            if (query.hasQueryItem(name))
                clash = name;
        }
        if (!clash.isEmpty()) {
            set(Check::Url, Verdict::Failed,
                QStringLiteral("The URL's query already has a %1 parameter; X adds its own %1 to every CRC "
                               "GET, so the endpoint would see two.")
                    .arg(clash),
                QStringLiteral("Remove %1 from the registered URL.").arg(clash));
        } else if (m_url.hasQuery()) {
            set(Check::Url, Verdict::Warned,
                QStringLiteral("The URL has a query (?%1); X appends &crc_token=… to it, and the endpoint "
                               "must read crc_token from the combined query.")
                    .arg(m_url.query()),
                QStringLiteral("Prefer a URL without a query, e.g. a path of its own for X's webhook."));
        } else {
            set(Check::Url, Verdict::Passed,
                QStringLiteral("https, no port, no query, %1 of %2 characters allowed by X API %3.")
                    .arg(m_url.toString(QUrl::FullyEncoded).size())
                    .arg(validate::maxWebhookUrlLength(m_options.generation))
                    .arg(generation));
        }
    }
    next();
}

// --- DNS -----------------------------------------------------------------------------------------

void CrcDoctor::checkDns()
{
    const QString host = m_url.host();
    const quint16 defaultPort = m_url.scheme().toLower() == QLatin1String("https") ? 443 : 80;
    QHostAddress literal;
    if (literal.setAddress(host)) {
        m_address = literal;
        m_port = quint16(m_url.port(defaultPort));
        set(Check::Dns, literal.isLoopback() ? Verdict::Passed : Verdict::Warned,
            QStringLiteral("%1 is an address: nothing to resolve.").arg(host),
            literal.isLoopback()
                ? QString()
                : QStringLiteral("X requires a host name; use a DNS name for this address."));
        return next();
    }
    set(Check::Dns, Verdict::Running, {});
    m_options.resolver->lookup(host, this, [this, run = m_run, host, defaultPort](HostLookup lookup) {
        if (run != m_run || !m_running)
            return;
        m_lookup = lookup;
        if (lookup.addresses.isEmpty()) {
            set(Check::Dns, Verdict::Failed,
                QStringLiteral("%1 does not resolve: %2.").arg(host, lookup.error),
                QStringLiteral("Check the host name for typos and that its DNS records (A or AAAA) are "
                               "published; X resolves it from the internet."));
            return skipRest(QStringLiteral("Not run: the host name does not resolve."));
        }
        // Prefer IPv4 (X's documented ranges are IPv4), else the first.
        m_address = lookup.addresses.first();
        for (const QHostAddress &address : std::as_const(lookup.addresses)) {
            if (address.protocol() == QAbstractSocket::IPv4Protocol) {
                m_address = address;
                break;
            }
        }
        m_routed = lookup.standIn;
        m_port = lookup.port != 0 ? lookup.port : quint16(m_url.port(defaultPort));
        QStringList shown;
        int publicCount = 0;
        for (const QHostAddress &address : std::as_const(lookup.addresses)) {
            shown.append(address.toString());
            publicCount += isPublicAddress(address) ? 1 : 0;
        }
        const QString found = QStringLiteral("%1 resolves to %2").arg(host, shown.join(QStringLiteral(", ")));
        if (lookup.standIn) {
            set(Check::Dns, Verdict::Passed,
                found +
                    QStringLiteral(" (from the stand-in host table, port %1; DNS was not asked).")
                        .arg(m_port));
        } else if (publicCount == 0) {
            set(Check::Dns, Verdict::Failed,
                found + QStringLiteral(": only private or local addresses, which X cannot reach."),
                QStringLiteral("Publish the server's public address in DNS (a tunnel's or proxy's public "
                               "name works only while it runs)."));
        } else if (publicCount < lookup.addresses.size()) {
            set(Check::Dns, Verdict::Warned,
                found + QStringLiteral(": some of them are private, and X may pick one it cannot reach."),
                QStringLiteral("Publish only public addresses for this name."));
        } else {
            set(Check::Dns, Verdict::Passed, found + QLatin1Char('.'));
        }
        next();
    });
}

// --- TCP -----------------------------------------------------------------------------------------

void CrcDoctor::checkTcp()
{
    set(Check::Tcp, Verdict::Running, {});
    auto *socket = new QTcpSocket(this);
    m_socket = socket;
    const QString where = QStringLiteral("%1:%2").arg(m_address.toString()).arg(m_port);
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    const auto done = [this, socket, where](bool connected, const QString &why) {
        if (m_socket != socket)
            return;
        m_socket = nullptr;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
        if (connected) {
            set(Check::Tcp, Verdict::Passed,
                QStringLiteral("Connected to %1 in %2.").arg(where, milliseconds(m_elapsed.elapsed())));
            return next();
        }
        set(Check::Tcp, Verdict::Failed, QStringLiteral("No connection to %1: %2.").arg(where, why),
            QStringLiteral("Check that the server runs and listens on port %1 of this address, and that no "
                           "firewall or security group blocks it; X connects from the internet.")
                .arg(m_port));
        skipRest(QStringLiteral("Not run: no connection."));
    };
    connect(socket, &QTcpSocket::connected, this, [done] { done(true, {}); });
    connect(socket, &QTcpSocket::errorOccurred, this, [done, socket] { done(false, socket->errorString()); });
    connect(deadline, &QTimer::timeout, this, [this, done] {
        done(false,
             QStringLiteral("no answer within %1").arg(milliseconds(m_options.connectTimeout.count())));
    });
    m_elapsed.start();
    deadline->start(m_options.connectTimeout);
    socket->connectToHost(m_address, m_port);
}

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
    const QString figures =
        QStringLiteral("Median %1, worst %2%3 over %4 tries")
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

// --- X's own re-validation -----------------------------------------------------------------------

void CrcDoctor::checkRevalidation()
{
    if (m_options.webhookId.isEmpty())
        return next();
    ApiClient *client = m_options.client;
    if (!client) {
        set(Check::Revalidation, Verdict::Skipped, QStringLiteral("Not run: no API client."));
        return next();
    }
    set(Check::Revalidation, Verdict::Running, {});
    delete m_callContext;
    m_callContext = new QObject(this);
    const QString id = m_options.webhookId;
    client->validateWebhook(
        id, m_callContext, [this, id, client = QPointer<ApiClient>(client)](const Result<bool> &validated) {
            if (!validated) {
                const ApiError &error = validated.error();
                set(Check::Revalidation, Verdict::Failed,
                    QStringLiteral("X's re-validation (PUT) of webhook %1 failed: %2").arg(id, error.text()),
                    error.remedy.isEmpty()
                        ? QStringLiteral("Fix the failed items above and run the doctor again.")
                        : error.remedy);
                return next();
            }
            if (!client)
                return next();
            client->listWebhooks(m_callContext, [this, id](const Result<QList<Webhook>> &listed) {
                if (!listed) {
                    set(Check::Revalidation, Verdict::Warned,
                        QStringLiteral(
                            "X accepted the re-validation, but the list to read `valid` back failed: %1")
                            .arg(listed.error().text()),
                        QStringLiteral("Refresh the webhooks list later to see its state."));
                    return next();
                }
                for (const Webhook &webhook : listed.value()) {
                    if (webhook.id != id)
                        continue;
                    if (webhook.valid) {
                        set(Check::Revalidation, Verdict::Passed,
                            QStringLiteral("X re-checked webhook %1 (PUT) and lists it as valid.").arg(id));
                    } else {
                        set(Check::Revalidation, Verdict::Failed,
                            QStringLiteral("X re-checked webhook %1 (PUT) and still lists it as invalid.")
                                .arg(id),
                            QStringLiteral("Fix the failed items above and run the doctor again."));
                    }
                    return next();
                }
                set(Check::Revalidation, Verdict::Failed,
                    QStringLiteral("Webhook %1 is no longer in X's list.").arg(id),
                    QStringLiteral("Register the URL again."));
                next();
            });
        });
}

} // namespace activity
