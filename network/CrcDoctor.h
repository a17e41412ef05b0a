#pragma once

#include "ApiTypes.h"
#include "CrcSelfTest.h"
#include "HostResolver.h"
#include "Result.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QSslCertificate>
#include <QSslError>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QSslSocket;
class QTcpSocket;

namespace activity {

class ApiClient;

// One line of the CRC doctor's checklist: what was checked, the verdict, what was found and what
// to do. Never holds a secret or a token.
struct CrcDoctorItem
{
    enum class Check { Url, Dns, Tcp, Tls, Crc, Token, Latency, Compression, Revalidation };
    enum class Verdict { Pending, Running, Passed, Warned, Failed, Skipped };

    Check check = Check::Url;
    Verdict verdict = Verdict::Pending;
    QString finding; // what was found: the cause when it failed
    QString remedy; // what to do; empty when nothing needs doing

    QString title() const; // "TLS certificate"
    static QString checkName(Check check); // stable, for scripts: "url", "dns", "tcp", "tls", ...
    static QString verdictName(Verdict verdict); // "passed", "warned", "failed", "skipped", ...
    bool isDone() const { return verdict != Verdict::Pending && verdict != Verdict::Running; }
};

struct CrcDoctorOptions
{
    ApiGeneration generation = ApiGeneration::V2; // the URL rules and time limits of this generation
    int tries = 3; // CRC GETs for the latency figures (1..20)
    QByteArray consumerSecret; // what X signs CRC with
    QByteArray clientSecret; // the profile's OAuth 2.0 client secret, if any: told apart in the token check
    std::chrono::milliseconds crcLimit {3000}; // X's CRC answer limit (v1.1; the older v2 rule)
    std::chrono::milliseconds deliveryLimit {10000}; // X's v2 answer limit
    std::chrono::milliseconds connectTimeout {5000};
    int certificateWarningDays = 14; // a certificate expiring sooner is a warning
    QList<QSslCertificate> extraCaCertificates; // trusted besides the system's; never fewer checks
    std::function<QDateTime()> clock; // UTC; the system clock when empty (certificate days left)
    std::shared_ptr<HostResolver> resolver; // DNS when empty
    // A registered webhook: the doctor ends with X's own re-validation (PUT) and reads `valid` back.
    QPointer<ApiClient> client;
    QString webhookId;
    // How the re-validation is sent; by default straight through `client`. The console and the CLI
    // send it through their history (services: recordedRevalidation), as every write.
    using Revalidate = std::function<void(const QString &webhookId, QObject *context,
                                          std::function<void(const Result<bool> &)> done)>;
    Revalidate revalidate;

    // What the environment adds, for the console and the CLI alike: ACTIVITY_CRC_DOCTOR_HOSTS, a
    // stand-in host table replacing DNS ("name=address:port,..."; for a server not yet in DNS, and
    // for tests), and ACTIVITY_CRC_DOCTOR_CA, a PEM file of CA certificates trusted besides the
    // system's. Returns why not when a value is unusable (nothing is changed then).
    QString applyEnvironment(const QProcessEnvironment &environment);
    // Adds the CA certificates of a PEM file; returns why not.
    QString addCaFile(const QString &path);
};

// The CRC doctor of #17: runs a checklist against a webhook URL and explains each item: the URL's
// form by X's rules, DNS, TCP connect, TLS (chain, expiry, host name), the CRC GET with a fresh
// crc_token (status, redirects, content type, JSON, the token and which secret made it), latency
// over several tries against X's limits, compressed answers, and for a registered webhook X's own
// re-validation. Items run one after the other; one that cannot run because an earlier one failed
// is Skipped with the reason. itemChanged() reports each step, finished() the end (once per run,
// always after run() returned). Every HTTP request goes through the given network manager.
class CrcDoctor : public QObject
{
    Q_OBJECT
public:
    using Check = CrcDoctorItem::Check;
    using Verdict = CrcDoctorItem::Verdict;

    CrcDoctor(QNetworkAccessManager *network, CrcDoctorOptions options, QObject *parent = nullptr);
    ~CrcDoctor() override;

    void run(const QUrl &url);
    void abort();
    bool isRunning() const { return m_running; }

    QUrl url() const { return m_url; }
    const CrcDoctorOptions &options() const { return m_options; }
    const QList<CrcDoctorItem> &items() const { return m_items; }
    const CrcDoctorItem *item(Check check) const;
    Verdict overall() const; // the worst verdict of the items (Passed when all passed)
    QList<qint64> latenciesMs() const { return m_latencies; }

Q_SIGNALS:
    void itemChanged(int index);
    void finished();

private:
    void next();
    void set(Check check, Verdict verdict, QString finding, QString remedy = {});
    void skipRest(const QString &why);
    void checkUrl();
    void checkDns();
    void checkTcp();
    void checkTls();
    void judgeTls(const QList<QSslError> &errors, const QList<QSslCertificate> &chain, int protocol,
                  const QString &socketError);
    void runCrcTry();
    void judgeCrc();
    void runCompressionProbe();
    void judgeCompression();
    void checkRevalidation();
    void finish();
    CrcSelfTest *makeSelfTest();
    QDateTime now() const;
    static QString milliseconds(qint64 ms); // "1234 ms"

    QPointer<QNetworkAccessManager> m_network;
    CrcDoctorOptions m_options;
    QUrl m_url;
    bool m_running = false;
    quint64 m_run = 0;
    QList<CrcDoctorItem> m_items;
    int m_step = 0;

    QHostAddress m_address;
    quint16 m_port = 0;
    bool m_routed = false; // the stand-in table chose the address: requests are routed there
    QTcpSocket *m_socket = nullptr;
    QElapsedTimer m_elapsed;
    QList<QSslError> m_sslErrors;
    QList<QSslCertificate> m_chain;

    CrcSelfTest *m_selfTest = nullptr;
    QList<CrcSelfTestResult> m_tries;
    QList<qint64> m_latencies;
    QList<CrcSelfTestResult> m_probes; // compression: asking for gzip, then for identity
    QObject *m_callContext = nullptr; // revalidation calls; deleting it drops their answers
};

} // namespace activity
