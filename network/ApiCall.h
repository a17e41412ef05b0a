#pragma once

#include "ApiError.h"
#include "EndpointCatalogue.h"
#include "RequestBuilder.h"
#include "RequestLogEntry.h"

#include <QByteArray>
#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QTimer>

#include <chrono>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace activity {

class RateLimits;
class RequestLog;
class SecretScrubber;

// The raw outcome of one call: what the server answered, and the error when it was not a 2xx
// (or no answer came). The client turns it into a typed Result.
struct ApiReply
{
    int httpStatus = 0; // 0 when no HTTP answer arrived
    QByteArray body;
    QByteArray contentType;
    ApiError error; // Kind::None for a 2xx answer

    bool ok() const { return !error.isError(); }
};

// What a call borrows from its client. Every pointer outlives the call (calls are the client's
// children); the network manager may go first, which the call survives.
struct CallEnvironment
{
    QPointer<QNetworkAccessManager> network;
    RequestLog *log = nullptr;
    RateLimits *rateLimits = nullptr;
    SecretScrubber *scrubber = nullptr; // learns the secrets an answer carries (setAnswerSecrets)
    std::chrono::milliseconds transferTimeout {15000};
    int maxAttempts = 3;
    std::chrono::milliseconds backoffBase {500};
    std::function<QDateTime()> clock; // UTC
    qint64 maxResponseBytes = 16 * 1024 * 1024;
    QList<QSslCertificate> extraCaCertificates;
};

// One request to one endpoint, with exactly one result path: replied() is emitted exactly once
// (success, API error, network error, timeout, or Cancelled after abort()), then finished(), and
// the call deletes itself. Idempotent GETs are retried on 5xx and network errors with exponential
// backoff and jitter; POST/PUT/DELETE never are, and a 429 never is.
class ApiCall : public QObject
{
    Q_OBJECT
public:
    // Builds the request afresh for every attempt (a new nonce and timestamp each time).
    using RequestFactory = std::function<Result<HttpRequest>()>;
    // The secrets a successful answer carries (the tokens of an OAuth token answer).
    using SecretExtractor = std::function<QList<QByteArray>(const ApiReply &)>;

    ApiCall(const Endpoint &endpoint, CallEnvironment environment, QObject *parent = nullptr);
    ~ApiCall() override;

    const Endpoint &endpoint() const { return m_endpoint; }
    Operation operation() const { return m_endpoint.op; }
    bool isFinished() const { return m_finished; }
    bool isStarted() const { return m_started; }
    int attempts() const { return m_attempt; }
    quint64 logId() const { return m_entry.id; }

    // Sends the request now. Ignored when the call has finished already (aborted while waiting).
    void start(RequestFactory factory);
    // Registers what `extract` finds in a successful answer with the scrubber before the answer
    // is logged, so that the log entry never shows a token it brought. Set before start().
    void setAnswerSecrets(SecretExtractor extract) { m_answerSecrets = std::move(extract); }
    // Finishes without sending anything (a check before sending failed). Delivered on the next
    // event-loop pass, so the caller holds the call object before its callback runs.
    void fail(const ApiError &error);
    // Finishes at once with a Cancelled error unless finished already.
    void abort();

Q_SIGNALS:
    void replied(const activity::ApiReply &reply);
    void finished();

private:
    void sendAttempt();
    void onReplyFinished();
    void onDownloadProgress(qint64 received, qint64 total);
    void scheduleRetry(const ApiError &why);
    void finish(ApiReply reply);
    bool mayRetry(const ApiReply &reply) const;
    void logSent(const HttpRequest &request);
    QDateTime now() const;

    Endpoint m_endpoint;
    CallEnvironment m_env;
    RequestFactory m_factory;
    SecretExtractor m_answerSecrets;
    QPointer<QNetworkReply> m_reply;
    QTimer m_retryTimer;
    QElapsedTimer m_elapsed;
    RequestLogEntry m_entry;
    int m_attempt = 0;
    bool m_tooLarge = false; // this attempt's answer passed maxResponseBytes and was cut off
    bool m_started = false;
    bool m_finished = false;
};

} // namespace activity

Q_DECLARE_METATYPE(activity::ApiReply)
