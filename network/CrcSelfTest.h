#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;
class QNetworkReply;

namespace activity {

// What one CRC self-test found. `problem` names the rule of X that failed, in X's terms;
// `remedy` says what to change. The expected token is an HMAC of a random, single-use crc_token:
// it may be shown to the person, but it is never logged. The consumer secret never appears here.
struct CrcSelfTestResult
{
    enum class Failure {
        None, // passed
        InvalidUrl, // not an absolute http(s) URL with a host: nothing was sent
        Non200, // an HTTP answer other than 200 (X: "Non-200 response code during CRC GET")
        Redirect, // a 3xx: X never follows it, and v2 marks the webhook invalid at once
        InvalidJson, // 200, but not JSON with a "response_token" string (or larger than 64 KiB)
        WrongToken, // 200 and JSON, but the response_token differs (most likely the wrong secret)
        TooSlow, // no complete answer within X's 3 s
        Tls, // the TLS handshake failed or the certificate was not trusted
        HostNotFound, // DNS
        Connection, // refused, reset, closed without an answer, no network
    };

    bool passed = false;
    Failure failure = Failure::None;
    int httpStatus = 0; // 0 when no HTTP answer arrived
    qint64 latencyMs = 0; // from sending the GET to the end of the answer (or to giving up)
    QByteArray expectedToken; // "sha256=..." for this run's crc_token
    QByteArray receivedToken; // what the endpoint answered in response_token (may be empty)
    QByteArray crcToken; // this run's random crc_token (single-use, not a secret)
    QByteArray contentType; // of the answer, as sent
    QByteArray contentEncoding; // of the answer, as sent (empty when none was declared)
    bool gzipBody = false; // the body as received starts with gzip's magic bytes
    QString problem; // empty when passed
    QString remedy; // what to do; when passed but slow, a note about the margin

    // The endpoint could not be reached at all (TLS, DNS, connection): not a verdict on its answer.
    bool isNetworkFailure() const
    {
        return failure == Failure::Tls || failure == Failure::HostNotFound || failure == Failure::Connection;
    }
    // One line for a status bar or a terminal: "Passed in 123 ms" or "Failed: <problem>".
    QString summary() const;
    // A stable name for scripts and logs: "passed", "non-200", "redirect", "invalid-json",
    // "wrong-token", "too-slow", "tls", "host-not-found", "connection", "invalid-url".
    QString failureName() const;
};

// Calls a webhook URL the way X's CRC check does, before it is registered: GET
// <url>?crc_token=<random>&nonce=<random> (appended to any query the URL has) with an
// x-twitter-webhooks-signature over "crc_token=..&nonce=..", no redirects followed, stopped after
// X's 3 seconds, at most 64 KiB of answer read, certificates always verified. The answer is judged
// by X's rules: status 200, JSON {"response_token": "sha256=" + base64(HMAC-SHA256(consumer
// secret, crc_token))}.
//
// run() may be called again at any time; it drops the running test (which then emits nothing).
// finished() is emitted exactly once per run() that is not superseded or aborted, always after
// run() has returned.
class CrcSelfTest : public QObject
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds xTimeLimit {3000};
    static constexpr qint64 maxAnswerBytes = 64 * 1024;

    CrcSelfTest(QNetworkAccessManager *network, QByteArray consumerSecret, QObject *parent = nullptr);
    ~CrcSelfTest() override;

    // X's limit is 3 s; tests use a shorter one.
    void setTimeLimit(std::chrono::milliseconds limit) { m_timeLimit = limit; }
    std::chrono::milliseconds timeLimit() const { return m_timeLimit; }
    // Trusted in addition to the system's CAs (as ClientConfig::extraCaCertificates). Certificate
    // verification itself is never turned off.
    void setExtraCaCertificates(const QList<QSslCertificate> &certificates) { m_extraCa = certificates; }
    // Connect to `address`:`port` instead of what the URL's host resolves to, still asking for the
    // URL's host (Host header, TLS server name and certificate check) — as curl's --connect-to.
    // The CRC doctor uses it with a stand-in host table.
    void setRoute(const QHostAddress &address, quint16 port)
    {
        m_routeAddress = address;
        m_routePort = port;
    }
    // Sent as Accept-Encoding as is; the answer is then judged as received, undecoded (the CRC
    // doctor's compression probe). Empty (default): Qt asks for and decodes gzip/deflate itself.
    void setAcceptEncoding(const QByteArray &value) { m_acceptEncoding = value; }

    // Empty when `url` can be tested (absolute https with a host, or http to a loopback address),
    // otherwise why not; the register dialog enables its button with it.
    static QString urlProblem(const QUrl &url);

    void run(const QUrl &webhookUrl);
    void abort();
    bool isRunning() const;
    const CrcSelfTestResult &result() const { return m_result; }

Q_SIGNALS:
    void finished();

private:
    void onReadyRead();
    void onFinished();
    void onDeadline();
    void conclude(CrcSelfTestResult result);
    void judgeAnswer(CrcSelfTestResult &result, const QByteArray &body) const;
    void dropReply();

    QPointer<QNetworkAccessManager> m_network;
    QByteArray m_consumerSecret;
    std::chrono::milliseconds m_timeLimit = xTimeLimit;
    QList<QSslCertificate> m_extraCa;
    QHostAddress m_routeAddress;
    quint16 m_routePort = 0;
    QByteArray m_acceptEncoding;

    QPointer<QNetworkReply> m_reply;
    QTimer m_deadline;
    QElapsedTimer m_elapsed;
    QByteArray m_body;
    QByteArray m_expected;
    QByteArray m_token;
    QByteArray m_routedAuthority; // Host when routed, empty otherwise
    QString m_host; // for the log line; the query (tokens) is never logged
    quint64 m_run = 0; // guards against a superseded run's queued failure
    CrcSelfTestResult m_result;
};

} // namespace activity
