#include "CrcSelfTest.h"

#include "Crc.h"
#include "NetworkLogging.h"
#include "OAuth1.h"
#include "RequestBuilder.h"
#include "Validation.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>

namespace activity {

namespace {

using Failure = CrcSelfTestResult::Failure;

const char *failureName(Failure failure)
{
    switch (failure) {
    case Failure::None:
        return "passed";
    case Failure::InvalidUrl:
        return "invalid-url";
    case Failure::Non200:
        return "non-200";
    case Failure::Redirect:
        return "redirect";
    case Failure::InvalidJson:
        return "invalid-json";
    case Failure::WrongToken:
        return "wrong-token";
    case Failure::TooSlow:
        return "too-slow";
    case Failure::Tls:
        return "tls";
    case Failure::HostNotFound:
        return "host-not-found";
    case Failure::Connection:
        return "connection";
    }
    return "unknown";
}

QString fastAnswerRemedy()
{
    return QStringLiteral("Make the CRC GET answer at once (no database or outgoing calls before answering), "
                          "and check the server's load and the network path to it.");
}

QString getOn200Remedy()
{
    return QStringLiteral(
        "Make the endpoint answer GET (not only POST) on exactly this path with status 200, and "
        "check that nothing in front of it (a proxy, a login page, a firewall) answers "
        "instead.");
}

QString jsonRemedy()
{
    return QStringLiteral(
        "Answer 200 with the JSON body {\"response_token\":\"sha256=...\"} and Content-Type "
        "application/json, nothing else.");
}

QString tokenRemedy()
{
    return QStringLiteral(
        "The token is \"sha256=\" + base64(HMAC-SHA256(key = the consumer secret, message = the crc_token)). "
        "Check that the endpoint uses the consumer secret (API Key Secret) of the same app as this profile, "
        "not an access token secret or the bearer token, and that it hashes the crc_token exactly as "
        "received.");
}

CrcSelfTestResult failed(Failure failure, QString problem, QString remedy)
{
    CrcSelfTestResult result;
    result.failure = failure;
    result.problem = std::move(problem);
    result.remedy = std::move(remedy);
    return result;
}

// A transport failure before any HTTP answer, in the words of X's rules.
CrcSelfTestResult transportFailure(QNetworkReply::NetworkError error, const QString &detail,
                                   std::chrono::milliseconds limit)
{
    switch (error) {
    case QNetworkReply::OperationCanceledError: // the transfer timeout, in Qt 6
    case QNetworkReply::TimeoutError:
        return failed(
            Failure::TooSlow,
            QStringLiteral("No answer within %1 ms: slower than X's 3 second limit for the CRC GET.")
                .arg(limit.count()),
            fastAnswerRemedy());
    case QNetworkReply::SslHandshakeFailedError:
        return failed(Failure::Tls,
                      QStringLiteral("TLS/certificate error: the secure connection failed (%1). X marks a "
                                     "webhook invalid when its TLS handshake fails.")
                          .arg(detail),
                      QStringLiteral("Serve a certificate a public CA issued for this host name, with its "
                                     "intermediate certificates, over TLS 1.2 or later. Never turn off "
                                     "certificate checks."));
    case QNetworkReply::HostNotFoundError:
        return failed(Failure::HostNotFound,
                      QStringLiteral("DNS error: the host name could not be resolved (%1).").arg(detail),
                      QStringLiteral("Check the host name for typos and that its DNS record is published; "
                                     "X must resolve it from the internet."));
    default:
        return failed(Failure::Connection,
                      QStringLiteral("Connection error: no HTTP answer (%1).").arg(detail),
                      QStringLiteral("Check that the server runs and listens on this host and port, and that "
                                     "no firewall blocks it; X must reach it from the internet."));
    }
}

} // namespace

QString CrcSelfTestResult::failureName() const
{
    return QString::fromLatin1(activity::failureName(failure));
}

QString CrcSelfTestResult::summary() const
{
    if (passed)
        return QStringLiteral("Passed in %1 ms").arg(latencyMs);
    return QStringLiteral("Failed: %1").arg(problem);
}

CrcSelfTest::CrcSelfTest(QNetworkAccessManager *network, QByteArray consumerSecret, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_consumerSecret(std::move(consumerSecret))
{
    m_deadline.setSingleShot(true);
    m_deadline.setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5 % early
    connect(&m_deadline, &QTimer::timeout, this, &CrcSelfTest::onDeadline);
}

CrcSelfTest::~CrcSelfTest()
{
    dropReply();
}

QString CrcSelfTest::urlProblem(const QUrl &url)
{
    if (!url.isValid() || url.isRelative())
        return QStringLiteral("Enter an absolute URL such as https://example.com/webhooks/x.");
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http"))
        return QStringLiteral("Only http and https URLs can be tested (X calls https only).");
    if (url.host().isEmpty())
        return QStringLiteral("The URL has no host name.");
    if (scheme == QLatin1String("http") && !validate::isLoopbackAddress(url.host()))
        return QStringLiteral("X calls https only; a plain http URL can be tested only on this computer by "
                              "its address (127.0.0.1 or ::1).");
    return {};
}

void CrcSelfTest::run(const QUrl &webhookUrl)
{
    dropReply();
    const quint64 run = ++m_run;
    m_result = {};
    m_body.clear();
    m_expected.clear();
    m_token.clear();
    m_host = webhookUrl.host();

    // Failures before sending still arrive through finished(), after run() has returned.
    const auto failLater = [this, run](CrcSelfTestResult result) {
        QTimer::singleShot(0, this, [this, run, result] {
            if (run == m_run && !m_reply)
                conclude(result);
        });
    };
    if (const QString problem = urlProblem(webhookUrl); !problem.isEmpty()) {
        failLater(failed(Failure::InvalidUrl, problem,
                         QStringLiteral("Enter the public https URL of your webhook endpoint.")));
        return;
    }
    if (!m_network) {
        failLater(failed(Failure::Connection,
                         QStringLiteral("The network connection is no longer available."),
                         QStringLiteral("Restart the console and try again.")));
        return;
    }

    // A fresh, single-use token per run, as X sends; the nonce as in X's CRC GETs.
    const QByteArray token = oauth1::generateNonce();
    const QByteArray nonce = oauth1::generateNonce();
    m_expected = crc::responseToken(m_consumerSecret, token);
    m_token = token;
    const QByteArray crcQuery = "crc_token=" + token + "&nonce=" + nonce;

    // Appended to the URL's own query byte for byte (both tokens are alphanumeric).
    QUrl target = webhookUrl;
    target.setFragment(QString());
    const QString ownQuery = webhookUrl.query(QUrl::FullyEncoded);
    target.setQuery(ownQuery.isEmpty() ? QString::fromLatin1(crcQuery)
                                       : ownQuery + QLatin1Char('&') + QString::fromLatin1(crcQuery),
                    QUrl::StrictMode);

    if (!m_routeAddress.isNull()) {
        const QString authority = webhookUrl.port() == -1
            ? webhookUrl.host(QUrl::FullyEncoded)
            : webhookUrl.host(QUrl::FullyEncoded) + QLatin1Char(':') + QString::number(webhookUrl.port());
        target.setHost(m_routeAddress.toString());
        target.setPort(m_routePort != 0 ? m_routePort : -1);
        m_routedAuthority = authority.toUtf8();
    } else {
        m_routedAuthority.clear();
    }

    QNetworkRequest request(target);
    if (!m_routedAuthority.isEmpty()) {
        request.setRawHeader(QByteArrayLiteral("Host"), m_routedAuthority);
        request.setPeerVerifyName(webhookUrl.host());
    }
    if (!m_acceptEncoding.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Accept-Encoding"), m_acceptEncoding);
    request.setRawHeader(QByteArrayLiteral("User-Agent"), requests::userAgent());
    request.setRawHeader(QByteArrayLiteral("x-twitter-webhooks-signature"),
                         crc::signature(m_consumerSecret, crcQuery));
    // A backstop only: the precise deadline below decides. (The transfer timeout is a coarse timer
    // that may fire up to 5 % early, and it only counts silence, not the whole answer.)
    request.setTransferTimeout(int(m_timeLimit.count() + 500));
    // X never follows a redirect; a 3xx fails the check.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    if (!m_extraCa.isEmpty()) {
        // Added to the system's CAs; the peer is still verified as always.
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(m_extraCa);
        request.setSslConfiguration(ssl);
    }

    m_elapsed.start();
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::readyRead, this, &CrcSelfTest::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &CrcSelfTest::onFinished);
    // X's limit is for the whole answer.
    m_deadline.start(m_timeLimit);
}

bool CrcSelfTest::isRunning() const
{
    return !m_reply.isNull();
}

void CrcSelfTest::abort()
{
    ++m_run;
    dropReply();
}

void CrcSelfTest::dropReply()
{
    m_deadline.stop();
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void CrcSelfTest::onReadyRead()
{
    if (!m_reply)
        return;
    m_body += m_reply->read(maxAnswerBytes + 1 - m_body.size());
    if (m_body.size() <= maxAnswerBytes)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const qint64 latency = m_elapsed.elapsed();
    dropReply();
    CrcSelfTestResult result =
        failed(Failure::InvalidJson,
               QStringLiteral(
                   "Invalid JSON: the answer was larger than %1 KiB; a CRC answer is one short JSON object.")
                   .arg(maxAnswerBytes / 1024),
               jsonRemedy());
    result.httpStatus = status;
    result.latencyMs = latency;
    conclude(result);
}

void CrcSelfTest::onDeadline()
{
    if (!m_reply)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const qint64 latency = m_elapsed.elapsed();
    dropReply();
    CrcSelfTestResult result = failed(
        Failure::TooSlow,
        QStringLiteral("No complete answer within %1 ms: slower than X's 3 second limit for the CRC GET.")
            .arg(m_timeLimit.count()),
        fastAnswerRemedy());
    result.httpStatus = status;
    result.latencyMs = latency;
    conclude(result);
}

void CrcSelfTest::onFinished()
{
    if (!m_reply)
        return;
    onReadyRead(); // whatever is still buffered
    QNetworkReply *reply = m_reply;
    if (!reply)
        return; // concluded as too large
    const qint64 latency = m_elapsed.elapsed();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply->error();
    const QString errorText = reply->errorString();
    const QByteArray location = reply->rawHeader("Location");
    const QByteArray contentType = reply->rawHeader("Content-Type");
    const QByteArray contentEncoding = reply->rawHeader("Content-Encoding");
    dropReply();

    CrcSelfTestResult result;
    if (status == 0) {
        result = transportFailure(error, errorText, m_timeLimit);
    } else if (latency > m_timeLimit.count()) {
        result =
            failed(Failure::TooSlow,
                   QStringLiteral("The answer took %1 ms: slower than X's 3 second limit for the CRC GET.")
                       .arg(latency),
                   fastAnswerRemedy());
    } else if (status >= 300 && status < 400) {
        result = failed(
            Failure::Redirect,
            QStringLiteral("Non-200 answer: a redirect (HTTP %1%2). X does not follow redirects; a 3xx marks "
                           "the webhook invalid at once.")
                .arg(status)
                .arg(location.isEmpty()
                         ? QString()
                         : QStringLiteral(" to %1").arg(QString::fromLatin1(location.left(512)))),
            QStringLiteral("Register the URL the endpoint really answers on (often https instead of http, or "
                           "with or without a trailing slash), or make it answer without redirecting."));
    } else if (status != 200) {
        result = failed(Failure::Non200,
                        QStringLiteral("Non-200 answer: the endpoint answered the CRC GET with HTTP %1; X "
                                       "requires 200.")
                            .arg(status),
                        getOn200Remedy());
    } else {
        judgeAnswer(result, m_body);
    }
    result.httpStatus = status;
    result.latencyMs = latency;
    result.contentType = contentType;
    result.contentEncoding = contentEncoding;
    result.gzipBody = m_body.startsWith("\x1f\x8b");
    conclude(result);
}

void CrcSelfTest::judgeAnswer(CrcSelfTestResult &result, const QByteArray &body) const
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        result = failed(Failure::InvalidJson,
                        body.trimmed().isEmpty()
                            ? QStringLiteral("Invalid JSON: the 200 answer had an empty body.")
                            : QStringLiteral("Invalid JSON: the 200 answer's body is not a JSON object."),
                        jsonRemedy());
        return;
    }
    const QJsonValue token = document.object().value(QStringLiteral("response_token"));
    if (!token.isString()) {
        result = failed(
            Failure::InvalidJson,
            QStringLiteral("Missing response_token: the JSON answer has no \"response_token\" string."),
            jsonRemedy());
        return;
    }
    result.receivedToken = token.toString().toUtf8();
    if (crc::constantTimeEquals(result.receivedToken, m_expected)) {
        result.passed = true;
        result.failure = Failure::None;
        return;
    }
    const QByteArray received = result.receivedToken;
    result =
        failed(Failure::WrongToken,
               QStringLiteral("Wrong response_token: it does not match the expected token (most likely the "
                              "endpoint uses another consumer secret)."),
               tokenRemedy());
    // A common slip: the right HMAC without the "sha256=" prefix.
    if (QByteArray("sha256=" + received) == m_expected) {
        result.problem =
            QStringLiteral("Wrong response_token: the HMAC is right, but the \"sha256=\" prefix is "
                           "missing.");
        result.remedy = QStringLiteral("Answer \"sha256=\" followed by the base64 HMAC in response_token.");
    }
    result.receivedToken = received;
}

void CrcSelfTest::conclude(CrcSelfTestResult result)
{
    result.expectedToken = m_expected;
    result.crcToken = m_token;
    if (result.passed && result.latencyMs * 2 > m_timeLimit.count()) {
        result.remedy = QStringLiteral("Passed, but it took %1 of X's %2 ms; X calls from farther away and a "
                                       "busier moment could exceed the limit. ")
                            .arg(result.latencyMs)
                            .arg(xTimeLimit.count()) +
            fastAnswerRemedy();
    }
    m_result = std::move(result);
    // Only the verdict: the URL's query and the tokens stay out of the log.
    qCInfo(lcNet).nospace().noquote()
        << "CRC self-test of " << m_host << ": " << failureName(m_result.failure) << ", HTTP "
        << m_result.httpStatus << ", " << m_result.latencyMs << " ms";
    Q_EMIT finished();
}

} // namespace activity
