// The X Activity stream client (x-api-2026.md §4.5, §4.6): one long-lived GET read line by line,
// duplicates dropped, stalls noticed, reconnects with the reference's backoff and backfill.

#include "ActivityStreamClient.h"

#include "EndpointCatalogue.h"
#include "NetworkLogging.h"
#include "Redaction.h"
#include "RequestBuilder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>

namespace activity {

namespace {

// Longer than any event X documents by far; a line beyond it is dropped as malformed rather than
// buffered without end.
constexpr qsizetype maxLineBytes = 8 * 1024 * 1024;
constexpr qsizetype maxErrorBodyBytes = 64 * 1024;
constexpr qsizetype excerptBytes = 200;

QString seconds(std::chrono::milliseconds wait)
{
    if (wait < std::chrono::seconds(1))
        return QStringLiteral("%1 ms").arg(wait.count());
    if (wait < std::chrono::seconds(10))
        return QStringLiteral("%1 s").arg(double(wait.count()) / 1000.0, 0, 'f', 1);
    return QStringLiteral("%1 s").arg((wait.count() + 500) / 1000);
}

QString utcText(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

} // namespace

ActivityStreamClient::ActivityStreamClient(ActivityStreamConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_stallTimer(this)
    , m_retryTimer(this)
    , m_batchTimer(this)
    , m_seen(m_config.rememberedEventIds)
{
    m_clock.start();
    qRegisterMetaType<activity::StreamEvent>();
    qRegisterMetaType<QList<activity::StreamEvent>>();
    qRegisterMetaType<activity::StreamCounters>();
    qRegisterMetaType<activity::StreamReconnect>();
    qRegisterMetaType<activity::ActivityStreamClient::State>();
    m_config.maxBatchSize = std::max(1, m_config.maxBatchSize);
    m_stallTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    m_batchTimer.setSingleShot(true);
    connect(&m_stallTimer, &QTimer::timeout, this, [this] {
        scheduleReconnect(BackoffKind::Network, QStringLiteral("stall"),
                          QStringLiteral("The stream stalled: nothing, not even a keep-alive, came for %1.")
                              .arg(seconds(m_config.stallTimeout)));
    });
    connect(&m_retryTimer, &QTimer::timeout, this, &ActivityStreamClient::connectNow);
    connect(&m_batchTimer, &QTimer::timeout, this, &ActivityStreamClient::flushEvents);
}

ActivityStreamClient::~ActivityStreamClient()
{
    // No signals from a half-destroyed object: the reply is simply let go.
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
    }
}

QString ActivityStreamClient::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Connected:
        return QStringLiteral("connected");
    case State::Waiting:
        return QStringLiteral("waiting");
    case State::Ended:
        return QStringLiteral("ended");
    case State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

void ActivityStreamClient::start()
{
    if (m_state == State::Connecting || m_state == State::Connected || m_state == State::Waiting)
        return;
    if (!m_network) {
        // Made here, not in the constructor: it must live on the thread the client runs on.
        m_network = new QNetworkAccessManager(this);
        m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    }
    m_attempts.fill(0);
    m_reconnecting = false;
    // A reconnect before any byte came backfills from here: the person asked for events from now.
    markCovered();
    connectNow();
}

void ActivityStreamClient::stop()
{
    flushEvents();
    dropReply();
    m_retryTimer.stop();
    m_stallTimer.stop();
    if (m_state != State::Idle)
        setState(State::Idle, QStringLiteral("Stopped."));
}

int ActivityStreamClient::backfillMinutesForReconnect()
{
    if (!m_reconnecting || !m_config.backfillOnReconnect || m_config.isBounded() || m_coveredAtMs < 0)
        return -1;
    const std::chrono::milliseconds gap(monotonicMs() - m_coveredAtMs);
    bool beyondReach = false;
    const int minutes = streamline::backfillMinutes(gap, &beyondReach);
    if (beyondReach) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QDateTime lastData = now.addMSecs(-gap.count());
        const QDateTime reachedFrom = now.addSecs(-60LL * streamline::maxBackfillMinutes);
        emit eventsMayBeMissing(
            lastData, reachedFrom,
            QStringLiteral("The stream was away for %1 minutes; backfill reaches back only "
                           "%2 minutes, so events from %3 to %4 may be missing. Fetch "
                           "that window (start_time/end_time) or replay it to get them.")
                .arg(gap.count() / 60000)
                .arg(streamline::maxBackfillMinutes)
                .arg(utcText(lastData), utcText(reachedFrom)));
    }
    return minutes;
}

qint64 ActivityStreamClient::monotonicMs() const
{
    return m_config.monotonicClockMs ? m_config.monotonicClockMs() : m_clock.elapsed();
}

void ActivityStreamClient::markCovered()
{
    m_coveredAtMs = monotonicMs();
}

void ActivityStreamClient::connectNow()
{
    dropReply();
    const Endpoint *endpoint = endpoints::find(Operation::ActivityStream, ApiGeneration::V2);
    if (!endpoint)
        return fail(QStringLiteral("The endpoint catalogue has no X Activity stream."));
    const RequestParams params =
        requests::activityStream(backfillMinutesForReconnect(), m_config.startTime, m_config.endTime);
    RequestCredentials credentials;
    credentials.kind = CredentialKind::AppOnly;
    credentials.bearerToken = m_config.bearerToken;
    const Result<HttpRequest> built = requests::build(*endpoint, m_config.baseUrl, params, credentials);
    if (!built)
        return fail(built.error().text());
    const HttpRequest &request = built.value();

    QNetworkRequest networkRequest(request.url);
    for (const auto &[name, value] : request.headers)
        networkRequest.setRawHeader(name, value);
    // The API never redirects; following one could carry the Authorization header elsewhere.
    networkRequest.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                                QNetworkRequest::ManualRedirectPolicy);
    networkRequest.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    if (!m_config.extraCaCertificates.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(m_config.extraCaCertificates); // verification stays on
        networkRequest.setSslConfiguration(ssl);
    }

    if (m_reconnecting)
        ++m_counters.reconnects;
    m_countersDirty = true;
    m_dataThisConnection = false;
    m_reply = m_network->get(networkRequest);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &ActivityStreamClient::onHeaders);
    connect(m_reply, &QNetworkReply::readyRead, this, &ActivityStreamClient::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &ActivityStreamClient::onFinished);
    // A server that takes the connection and never answers is a stall too.
    m_stallTimer.start(m_config.stallTimeout);
    qCInfo(lcNet).noquote() << "X Activity stream: connecting to" << redact::url(request.url);
    emit requestStarted(request.url);
    setState(State::Connecting, QStringLiteral("Connecting to the X Activity stream."));
    scheduleFlush(); // the reconnect count
}

void ActivityStreamClient::onHeaders()
{
    if (!m_reply || m_status != 0)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    m_status = status.toInt();
    if (m_status != 200)
        return; // the body is the error; read when the answer finishes
    m_stallTimer.start(m_config.stallTimeout);
    markCovered();
    setState(State::Connected,
             m_config.isBounded() ? QStringLiteral("Connected: fetching the events of the window.")
                                  : QStringLiteral("Connected: events arrive as they happen."));
}

void ActivityStreamClient::onReadyRead()
{
    if (!m_reply)
        return;
    onHeaders();
    const QByteArray bytes = m_reply->readAll();
    if (bytes.isEmpty())
        return;
    if (m_status != 200) {
        if (m_errorBody.size() < maxErrorBodyBytes)
            m_errorBody += bytes.left(maxErrorBodyBytes - m_errorBody.size());
        return;
    }
    // Any byte, a keep-alive included, shows the connection is alive.
    m_stallTimer.start(m_config.stallTimeout);
    markCovered();
    if (!m_dataThisConnection) {
        m_dataThisConnection = true;
        m_attempts.fill(0); // §4.5's backoff starts over once a connection works
    }
    m_buffer += bytes;
    if (consumeLines(false))
        scheduleFlush();
}

bool ActivityStreamClient::consumeLines(bool atEnd)
{
    const QNetworkReply *reply = m_reply;
    qsizetype from = 0;
    bool alive = true;
    while (alive) {
        const qsizetype newline = m_buffer.indexOf('\n', from);
        if (newline < 0)
            break;
        const bool skipped = std::exchange(m_skippingLongLine, false);
        if (!skipped)
            alive = handleLine(m_buffer.mid(from, newline - from));
        from = newline + 1;
    }
    if (!alive || m_reply != reply)
        return false; // the buffer belonged to a connection that is gone
    m_buffer.remove(0, from);
    if (atEnd && !m_buffer.isEmpty() && !m_skippingLongLine) {
        // The last line of an answer that ended without a line end.
        alive = handleLine(std::exchange(m_buffer, {}));
    } else if (m_buffer.size() > maxLineBytes) {
        ++m_counters.malformedLines;
        m_countersDirty = true;
        emit malformedLine(
            QStringLiteral("A line longer than %1 MiB was dropped.").arg(maxLineBytes / (1024 * 1024)),
            m_buffer.left(excerptBytes));
        m_buffer.clear();
        m_skippingLongLine = true;
    }
    return alive;
}

bool ActivityStreamClient::handleLine(const QByteArray &line)
{
    const StreamLine parsed = streamline::parse(line, QDateTime::currentMSecsSinceEpoch());
    switch (parsed.kind) {
    case StreamLine::Kind::KeepAlive:
        return true;
    case StreamLine::Kind::Event:
        m_countersDirty = true;
        if (!m_seen.remember(parsed.event.eventUuid)) {
            ++m_counters.duplicatesDropped;
            return true;
        }
        ++m_counters.events;
        m_counters.lastEventAt = QDateTime::fromMSecsSinceEpoch(parsed.event.receivedAtMs, Qt::UTC);
        m_pending.append(parsed.event);
        if (m_pending.size() >= m_config.maxBatchSize)
            flushEvents();
        return true;
    case StreamLine::Kind::ServerError:
        emit serverError(parsed.problem);
        scheduleReconnect(BackoffKind::Network, QStringLiteral("server-error"),
                          QStringLiteral("X ended the stream: %1").arg(parsed.problem));
        return false;
    case StreamLine::Kind::Malformed:
        ++m_counters.malformedLines;
        m_countersDirty = true;
        qCDebug(lcNet).noquote() << "X Activity stream: malformed line:" << parsed.problem;
        emit malformedLine(parsed.problem, line.left(excerptBytes));
        return true;
    }
    return true;
}

void ActivityStreamClient::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    onHeaders();
    const QNetworkReply::NetworkError error = reply->error();
    const QString errorText = reply->errorString();
    if (m_status == 200) {
        m_buffer += reply->readAll();
        // Only a clean end makes the bytes after the last \n a line; a cut one leaves half a line.
        if (!consumeLines(error == QNetworkReply::NoError))
            return;
    } else if (m_errorBody.size() < maxErrorBodyBytes) {
        m_errorBody += reply->readAll().left(maxErrorBodyBytes - m_errorBody.size());
    }

    if (m_status == 200 && error == QNetworkReply::NoError) {
        if (m_config.isBounded()) {
            flushEvents();
            dropReply();
            m_stallTimer.stop();
            return setState(
                State::Ended,
                QStringLiteral("The window's events have all arrived (%1 in all).").arg(m_counters.events));
        }
        return scheduleReconnect(BackoffKind::Network, QStringLiteral("server-ended"),
                                 QStringLiteral("X ended the stream."));
    }
    if (m_status == 200 || m_status == 0) {
        return scheduleReconnect(BackoffKind::Network, QStringLiteral("network"),
                                 QStringLiteral("The connection was lost (%1).").arg(errorText));
    }
    handleErrorAnswer(m_status, errorText);
}

void ActivityStreamClient::handleErrorAnswer(int status, const QString &networkError)
{
    const QString problem = streamline::problemSummary(m_errorBody);
    const QString said = problem.isEmpty() ? networkError : problem;
    switch (status) {
    case 401:
    case 403:
        // Retrying with the same token cannot help; the person has to change it.
        return fail(
            QStringLiteral("X refused the app's Bearer token for the X Activity stream (HTTP %1: %2). "
                           "Check the app's Bearer token in the profile, and that the app has "
                           "access to the X Activity API, then start the stream again.")
                .arg(status)
                .arg(said));
    case 400:
        return fail(QStringLiteral("X refused the stream request as invalid (HTTP 400: %1). Check the "
                                   "start and end times.")
                        .arg(said));
    case 429:
        if (QJsonDocument::fromJson(m_errorBody)
                .object()
                .value(QStringLiteral("connection_issue"))
                .toString() == QStringLiteral("TooManyConnections")) {
            return scheduleReconnect(
                BackoffKind::RateLimited, QStringLiteral("too-many-connections"),
                QStringLiteral("X allows the app 2 stream connections at once, and both are in use by "
                               "other programs (another console or a script with the same app). Close "
                               "one of them; until then the console keeps trying."),
                status);
        }
        return scheduleReconnect(BackoffKind::RateLimited, QStringLiteral("rate-limited"),
                                 QStringLiteral("X's rate limit for stream connections is reached (HTTP "
                                                "429: %1).")
                                     .arg(said),
                                 status);
    default:
        return scheduleReconnect(BackoffKind::Http, QStringLiteral("http"),
                                 QStringLiteral("X answered HTTP %1 (%2).").arg(status).arg(said), status);
    }
}

void ActivityStreamClient::scheduleReconnect(BackoffKind kind, const QString &reason, const QString &message,
                                             int httpStatus)
{
    flushEvents();
    dropReply();
    m_stallTimer.stop();
    StreamReconnect reconnect;
    reconnect.kind = kind;
    reconnect.attempt = ++m_attempts[std::size_t(kind)];
    reconnect.delay = m_config.backoff.delay(kind, reconnect.attempt);
    reconnect.nextAttemptAt = QDateTime::currentDateTimeUtc().addMSecs(reconnect.delay.count());
    reconnect.reason = reason;
    reconnect.httpStatus = httpStatus;
    reconnect.message = QStringLiteral("%1 Reconnecting in %2 (attempt %3, %4 backoff).")
                            .arg(message, seconds(reconnect.delay))
                            .arg(reconnect.attempt)
                            .arg(backoffKindName(kind));
    m_reconnecting = true;
    m_nextAttemptAt = reconnect.nextAttemptAt;
    m_retryTimer.start(reconnect.delay);
    qCInfo(lcNet).noquote() << "X Activity stream:" << reason << "-" << reconnect.message;
    emit reconnectScheduled(reconnect);
    setState(State::Waiting, reconnect.message);
}

void ActivityStreamClient::fail(const QString &message)
{
    flushEvents();
    dropReply();
    m_stallTimer.stop();
    m_retryTimer.stop();
    qCWarning(lcNet).noquote() << "X Activity stream:" << message;
    setState(State::Failed, message);
}

void ActivityStreamClient::setState(State state, const QString &message)
{
    if (state != State::Waiting)
        m_nextAttemptAt = {};
    if (state == m_state && message == m_stateMessage)
        return;
    m_state = state;
    m_stateMessage = message;
    emit stateChanged(state, message);
}

void ActivityStreamClient::dropReply()
{
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        disconnect(reply, nullptr, this, nullptr);
        reply->abort(); // emits finished(), no longer connected
        reply->deleteLater();
    }
    m_status = 0;
    m_buffer.clear();
    m_skippingLongLine = false;
    m_errorBody.clear();
}

void ActivityStreamClient::scheduleFlush()
{
    if ((!m_pending.isEmpty() || m_countersDirty) && !m_batchTimer.isActive())
        m_batchTimer.start(m_config.batchInterval);
}

void ActivityStreamClient::flushEvents()
{
    m_batchTimer.stop();
    if (!m_pending.isEmpty())
        emit eventsReceived(std::exchange(m_pending, {}));
    if (m_countersDirty) {
        m_countersDirty = false;
        emit countersChanged(m_counters);
    }
}

} // namespace activity
