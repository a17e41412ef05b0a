#include "CrcDoctor.h"

#include "ApiClient.h"
#include "EndpointCatalogue.h"
#include "NetworkLogging.h"
#include "Validation.h"

#include <QFile>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>

namespace activity {

namespace {

using Check = CrcDoctorItem::Check;
using Verdict = CrcDoctorItem::Verdict;

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

} // namespace

QString CrcDoctor::milliseconds(qint64 ms)
{
    return QStringLiteral("%1 ms").arg(QLocale::c().toString(ms));
}

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
    auto done = [this, id, client = QPointer<ApiClient>(client)](const Result<bool> &validated) {
        if (!validated) {
            const ApiError &error = validated.error();
            set(Check::Revalidation, Verdict::Failed,
                QStringLiteral("X's re-validation (PUT) of webhook %1 failed: %2").arg(id, error.cause),
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
    };
    if (m_options.revalidate) {
        // The hook may answer after this run ended: only the current run's context may go on.
        QPointer<QObject> context(m_callContext);
        m_options.revalidate(id, m_callContext, [context, done](const Result<bool> &validated) {
            if (context)
                done(validated);
        });
    } else {
        client->validateWebhook(id, m_callContext, done);
    }
}

} // namespace activity
