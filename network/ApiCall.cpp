#include "ApiCall.h"

#include "ErrorCatalogue.h"
#include "NetworkLogging.h"
#include "RateLimits.h"
#include "Redaction.h"
#include "RequestLog.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSslConfiguration>

#include <cstring>

namespace activity {

namespace {

constexpr qsizetype maxLoggedResponseBytes = 4096;

// oauth/request_token and oauth/access_token answer with tokens as form data, whatever content
// type the server gives them (X says text/html).
bool answersWithTokens(Operation op)
{
    return op == Operation::RequestToken || op == Operation::AccessToken;
}

// The body of a write, which Qt must not send twice. Qt 6.4 re-sends a request by itself when the
// connection closes after it went out (QHttpNetworkConnectionChannel::_q_error → resendCurrentRequest,
// also on a fresh connection), as long as resetUploadData() can rewind the body; a device that
// refuses reset() makes it report ContentReSendError instead. Sequential, so that QNAM does not copy
// it into a buffer of its own (with DoNotBufferUploadDataAttribute and a Content-Length).
class OneShotBody : public QIODevice
{
public:
    explicit OneShotBody(QByteArray data)
        : m_data(std::move(data))
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    bool reset() override { return false; }
    qint64 bytesAvailable() const override { return m_data.size() - m_read + QIODevice::bytesAvailable(); }
    qint64 size() const override { return m_data.size(); }

protected:
    qint64 readData(char *out, qint64 max) override
    {
        const qint64 n = qMin(max, qint64(m_data.size()) - m_read);
        if (n <= 0)
            return m_read >= m_data.size() ? -1 : 0;
        std::memcpy(out, m_data.constData() + m_read, size_t(n));
        m_read += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_read = 0;
};

// The error catalogue decides the wording; this only makes sure a failure is never mistaken
// for success when the catalogue has nothing to say about it.
ApiError ensureError(ApiError error, ApiError::Kind fallback, const QString &cause)
{
    if (error.kind == ApiError::Kind::None)
        error.kind = fallback;
    if (error.cause.isEmpty())
        error.cause = cause;
    return error;
}

} // namespace

ApiCall::ApiCall(const Endpoint &endpoint, CallEnvironment environment, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
    , m_env(std::move(environment))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ApiCall::sendAttempt);
}

ApiCall::~ApiCall()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

QDateTime ApiCall::now() const
{
    return m_env.clock ? m_env.clock().toUTC() : QDateTime::currentDateTimeUtc();
}

void ApiCall::start(RequestFactory factory)
{
    if (m_finished || m_started)
        return;
    m_started = true;
    m_factory = std::move(factory);
    m_elapsed.start();
    sendAttempt();
}

void ApiCall::fail(const ApiError &error)
{
    QTimer::singleShot(0, this, [this, error] {
        ApiReply reply;
        reply.error = error;
        finish(reply);
    });
}

void ApiCall::abort()
{
    if (m_finished)
        return;
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_retryTimer.stop();
    ApiReply reply;
    reply.error = ApiError::make(ApiError::Kind::Cancelled,
                                 QStringLiteral("The call %1 was cancelled.").arg(m_endpoint.name));
    finish(reply);
}

void ApiCall::sendAttempt()
{
    if (m_finished)
        return;
    ++m_attempt;
    const Result<HttpRequest> built = m_factory();
    if (!built) {
        ApiReply reply;
        reply.error = built.error();
        finish(reply);
        return;
    }
    const HttpRequest &request = built.value();
    if (!m_env.network) {
        ApiReply reply;
        reply.error = ApiError::make(ApiError::Kind::Network,
                                     QStringLiteral("The network connection is no longer available."));
        finish(reply);
        return;
    }
    logSent(request);

    QNetworkRequest networkRequest(request.url);
    for (const auto &[name, value] : request.headers)
        networkRequest.setRawHeader(name, value);
    networkRequest.setTransferTimeout(int(m_env.transferTimeout.count()));
    // The API never redirects; following one could carry the Authorization header elsewhere.
    networkRequest.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                                QNetworkRequest::ManualRedirectPolicy);
    networkRequest.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    if (!m_env.extraCaCertificates.isEmpty()) {
        // Added to the system's CAs; the peer is still verified as always.
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(m_env.extraCaCertificates);
        networkRequest.setSslConfiguration(ssl);
    }

    m_tooLarge = false;
    if (m_endpoint.idempotent) {
        m_reply = m_env.network->sendCustomRequest(networkRequest, request.method, request.body);
    } else {
        // A write reaches X at most once (see OneShotBody); over HTTP/1.1, whose resend path that is.
        networkRequest.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        networkRequest.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        networkRequest.setHeader(QNetworkRequest::ContentLengthHeader, qint64(request.body.size()));
        auto *body = new OneShotBody(request.body);
        m_reply = m_env.network->sendCustomRequest(networkRequest, request.method, body);
        body->setParent(m_reply); // read until the reply has finished
    }
    connect(m_reply, &QNetworkReply::finished, this, &ApiCall::onReplyFinished);
    connect(m_reply, &QNetworkReply::downloadProgress, this, &ApiCall::onDownloadProgress);
}

void ApiCall::onDownloadProgress(qint64 received, qint64 total)
{
    if (m_tooLarge || !m_reply || (received <= m_env.maxResponseBytes && total <= m_env.maxResponseBytes))
        return;
    // Stop reading now rather than buffer an unbounded answer; onReplyFinished reports it.
    m_tooLarge = true;
    m_reply->abort();
}

void ApiCall::onReplyFinished()
{
    QNetworkReply *networkReply = m_reply;
    m_reply = nullptr;
    if (!networkReply)
        return;
    networkReply->deleteLater();

    ApiReply reply;
    reply.httpStatus = networkReply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (networkReply->isOpen())
        reply.body = networkReply->readAll();
    reply.contentType = networkReply->rawHeader("Content-Type");

    const std::optional<RateLimitState> limits = RateLimitState::fromHeaders(
        networkReply->rawHeader("x-rate-limit-limit"), networkReply->rawHeader("x-rate-limit-remaining"),
        networkReply->rawHeader("x-rate-limit-reset"));
    if (limits) {
        m_entry.rateLimitLimit = limits->limit;
        m_entry.rateLimitRemaining = limits->remaining;
        m_entry.rateLimitReset = limits->resetUtc;
        if (m_env.rateLimits)
            m_env.rateLimits->record(m_endpoint, *limits);
    }

    if (m_tooLarge) {
        reply.body.clear();
        reply.error = ApiError::make(
            ApiError::Kind::MalformedResponse,
            QStringLiteral("The answer was larger than %1 MiB and was not read.")
                .arg(double(m_env.maxResponseBytes) / (1024 * 1024), 0, 'f', 1),
            QStringLiteral("Check the profile's base URL: no Account Activity API answer is that large. If "
                           "it points at the API, try again later."),
            reply.httpStatus);
    } else if (reply.httpStatus == 0) {
        QNetworkReply::NetworkError code = networkReply->error();
        // Only the transfer timeout cancels a reply we still listen to (abort() disconnects first).
        if (code == QNetworkReply::OperationCanceledError)
            code = QNetworkReply::TimeoutError;
        // What Qt says when it was not allowed to send a write again: the connection closed first.
        const bool resendRefused = code == QNetworkReply::ContentReSendError;
        if (resendRefused)
            code = QNetworkReply::RemoteHostClosedError;
        const ApiError::Kind fallback =
            code == QNetworkReply::TimeoutError ? ApiError::Kind::Timeout : ApiError::Kind::Network;
        const QString detail = resendRefused ? QString() : networkReply->errorString();
        reply.error = ensureError(errors::fromNetworkError(code, detail), fallback, detail);
        // A write that went out and got no answer: only X knows whether it was carried out.
        const bool maybeSent = code == QNetworkReply::RemoteHostClosedError ||
            code == QNetworkReply::TimeoutError || code == QNetworkReply::UnknownNetworkError ||
            code == QNetworkReply::ProtocolFailure;
        if (!m_endpoint.idempotent && maybeSent) {
            reply.error.remedy =
                QStringLiteral("The request may or may not have reached X before the connection ended, "
                               "so the change may or may not have been made: refresh to see the current "
                               "state before trying again.");
        }
    } else if (reply.httpStatus >= 200 && reply.httpStatus < 300) {
        // Success; the client parses the body.
    } else if (reply.httpStatus == 429) {
        // X also answers 429 when the plan's usage cap is reached (usage-capped): that is no
        // 15-minute window, and saying so sends the person to the right remedy.
        const ApiError fromBody = errors::fromResponse(429, reply.body, reply.contentType);
        if (fromBody.kind == ApiError::Kind::QuotaExceeded) {
            reply.error = fromBody;
            reply.error.retryAt = limits ? limits->resetUtc : QDateTime();
        } else {
            reply.error = ensureError(errors::rateLimited(limits ? limits->resetUtc : QDateTime()),
                                      ApiError::Kind::RateLimited, QStringLiteral("Rate limit exceeded."));
        }
        reply.error.httpStatus = 429;
    } else {
        reply.error = ensureError(errors::fromResponse(reply.httpStatus, reply.body, reply.contentType),
                                  ApiError::Kind::Server,
                                  QStringLiteral("The server answered HTTP %1.").arg(reply.httpStatus));
        const QString path = networkReply->url().path();
        if (reply.httpStatus == 404 || reply.httpStatus == 410) {
            if (const auto retired = endpoints::retiredEndpoint(m_endpoint.method, path)) {
                const QString serverMessage = reply.error.serverMessage;
                reply.error = errors::fromRetiredEndpoint(*retired, path, reply.httpStatus);
                reply.error.serverMessage = serverMessage;
            }
        }
        reply.error.httpStatus = reply.httpStatus;
    }

    if (mayRetry(reply)) {
        scheduleRetry(reply.error);
        return;
    }
    finish(reply);
}

bool ApiCall::mayRetry(const ApiReply &reply) const
{
    if (!m_endpoint.idempotent || m_attempt >= m_env.maxAttempts || reply.ok())
        return false;
    if (reply.httpStatus >= 500)
        return true;
    return reply.httpStatus == 0 &&
        (reply.error.kind == ApiError::Kind::Network || reply.error.kind == ApiError::Kind::Timeout);
}

void ApiCall::scheduleRetry(const ApiError &why)
{
    const qint64 base = qMax<qint64>(1, m_env.backoffBase.count());
    const qint64 delay = (base << qMin(m_attempt - 1, 10)) + QRandomGenerator::global()->bounded(base + 1);
    m_entry.error = QStringLiteral("Attempt %1 failed (%2); retrying in %3 ms.")
                        .arg(m_attempt)
                        .arg(m_env.scrubber ? m_env.scrubber->scrub(why.text()) : why.text())
                        .arg(delay);
    if (m_env.log && m_entry.id != 0)
        m_env.log->update(m_entry);
    qCDebug(lcNet) << m_endpoint.name << "retrying after attempt" << m_attempt;
    m_retryTimer.start(std::chrono::milliseconds(delay));
}

void ApiCall::logSent(const HttpRequest &request)
{
    if (!m_env.log)
        return;
    if (m_entry.id != 0) {
        m_entry.attempt = m_attempt;
        m_env.log->update(m_entry);
        return;
    }
    const auto scrub = [this](const QByteArray &text) {
        return m_env.scrubber ? m_env.scrubber->scrub(text) : text;
    };
    RequestLogEntry entry;
    entry.startedAt = now();
    entry.operation = m_endpoint.name;
    entry.method = request.method;
    entry.url = QString::fromUtf8(scrub(redact::url(request.url).toUtf8()));
    entry.credential = m_endpoint.credential;
    entry.attempt = m_attempt;
    for (const auto &[name, value] : redact::headers(request.headers))
        entry.requestHeaders.append({name, scrub(value)});
    entry.requestBody = scrub(redact::body(request.body, request.header("Content-Type")));
    entry.curl = QString::fromUtf8(scrub(redact::curl(request, m_endpoint.credential).toUtf8()));
    m_entry = entry;
    m_entry.id = m_env.log->add(entry);
}

void ApiCall::finish(ApiReply reply)
{
    if (m_finished)
        return;
    m_finished = true;
    m_retryTimer.stop();

    // Before anything about the answer is logged: the scrubber must know the tokens it carries.
    if (m_answerSecrets && m_env.scrubber && reply.ok()) {
        for (const QByteArray &secret : m_answerSecrets(reply))
            m_env.scrubber->add(secret);
    }
    if (m_env.log && m_entry.id != 0) {
        const auto scrub = [this](const QByteArray &text) {
            return m_env.scrubber ? m_env.scrubber->scrub(text) : text;
        };
        m_entry.durationMs = m_elapsed.isValid() ? m_elapsed.elapsed() : 0;
        m_entry.httpStatus = reply.httpStatus;
        m_entry.attempt = m_attempt;
        m_entry.error = reply.ok() ? QString() : QString::fromUtf8(scrub(reply.error.text().toUtf8()));
        m_entry.responseBody = scrub(redact::body(
            reply.body.left(maxLoggedResponseBytes), reply.contentType,
            answersWithTokens(m_endpoint.op) ? redact::BodyShape::Form : redact::BodyShape::Detect));
        m_env.log->update(m_entry);
    }
    Q_EMIT replied(reply);
    Q_EMIT finished();
    deleteLater();
}

} // namespace activity
