#pragma once

#include "ActivityStreamProtocol.h"

#include <QByteArray>
#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <array>
#include <chrono>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace activity {

struct ActivityStreamConfig
{
    QUrl baseUrl; // https://api.x.com, or the sandbox's
    QByteArray bearerToken; // the app's; only ever in the Authorization header, never logged
    // Either valid: a bounded fetch (§4.5 start_time/end_time) that ends with state Ended when X
    // ends the answer. Both invalid: the live stream, reconnected until stop().
    QDateTime startTime;
    QDateTime endTime;
    // After a reconnect of the live stream, ask for the minutes missed (backfill_minutes, 1 to 5).
    bool backfillOnReconnect = true;
    // X sends a keep-alive at least every 20 s (§4.5): this long without a byte is a dead connection.
    std::chrono::milliseconds stallTimeout {20000};
    StreamBackoff backoff;
    // Events go out in batches: after batchInterval, or at once when maxBatchSize are waiting, so
    // a receiver on another thread gets a few queued signals per second however fast X sends.
    std::chrono::milliseconds batchInterval {50};
    int maxBatchSize = 1000;
    qsizetype rememberedEventIds = 100000; // the duplicate window (RecentEventIds)
    // The monotonic clock (ms) that measures the gap a reconnect backfills; empty: the system's
    // steady clock. Tests move it to make a gap of minutes without waiting.
    std::function<qint64()> monotonicClockMs;
    // Added to the system's CAs (a sandbox with its own certificate); peers are always verified.
    QList<QSslCertificate> extraCaCertificates;

    bool isBounded() const { return startTime.isValid() || endTime.isValid(); }
};

struct StreamCounters
{
    qint64 events = 0; // delivered, duplicates not included
    qint64 duplicatesDropped = 0;
    qint64 malformedLines = 0;
    qint64 reconnects = 0; // connections made after the first one
    QDateTime lastEventAt; // UTC; invalid until the first event
};

// Why the client disconnected and when it tries again.
struct StreamReconnect
{
    BackoffKind kind = BackoffKind::Network;
    int attempt = 0; // of this kind since data last arrived, 1 = first
    std::chrono::milliseconds delay {0};
    QDateTime nextAttemptAt; // UTC
    // "stall", "network", "server-ended", "server-error", "http", "rate-limited",
    // "too-many-connections"
    QString reason;
    int httpStatus = 0; // 0: no HTTP answer (or the 200 of a stream that was cut)
    QString message; // for a person
};

// The X Activity stream, GET /2/activity/stream (x-api-2026.md §4.5, §4.6), as a QObject that
// keeps one connection open: it reads the answer line by line as it arrives, turns each line into
// a StreamEvent, drops duplicates (by event_uuid, RecentEventIds), reports malformed lines and
// in-stream errors without ever stopping for them, notices a stalled connection, and reconnects
// with the reference's backoff, asking for the missed minutes (backfill_minutes).
//
// Threads: parsing never blocks the GUI thread, because the owner runs the client on a worker
// thread. The client makes its QNetworkAccessManager in start(), on the thread it lives on then, so
// the owner may construct it anywhere, moveToThread() it, and call start()/stop() through queued
// invocations (QMetaObject::invokeMethod). ActivityStreamThread (ActivityStreamThread.h) does
// exactly that; a stream service in services/ is meant to own one. Signals then reach GUI-thread
// receivers queued, a batch of events per signal.
//
// Every method but the constructor is called on the client's thread.
class ActivityStreamClient : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Idle, // not started, or stopped
        Connecting, // the request is out, no 200 yet
        Connected, // the 200 came: events and keep-alives flow
        Waiting, // disconnected; the next attempt is at nextAttemptAt() (backoff)
        Ended, // a bounded fetch (start_time/end_time) was answered completely
        Failed, // X refused the request in a way retrying cannot fix (401, 403, 400)
    };
    Q_ENUM(State)

    explicit ActivityStreamClient(ActivityStreamConfig config, QObject *parent = nullptr);
    ~ActivityStreamClient() override;

    const ActivityStreamConfig &config() const { return m_config; }
    State state() const { return m_state; }
    QString stateMessage() const { return m_stateMessage; }
    StreamCounters counters() const { return m_counters; }
    QDateTime nextAttemptAt() const { return m_nextAttemptAt; } // Waiting only
    static QString stateName(State state);

public Q_SLOTS:
    // Connects (from Idle, Ended or Failed); ignored while connecting, connected or waiting.
    void start();
    // Closes the connection, delivers what is pending, state Idle. The duplicate window is kept,
    // so a later start() does not deliver an event twice.
    void stop();

Q_SIGNALS:
    void eventsReceived(const QList<activity::StreamEvent> &events);
    void stateChanged(activity::ActivityStreamClient::State state, const QString &message);
    // Every request, with its query (backfill_minutes, start_time, end_time); no secret in it.
    void requestStarted(const QUrl &url);
    void reconnectScheduled(const activity::StreamReconnect &reconnect);
    // A line that is not an event; counted, and the stream goes on. `excerpt`: its first 200 bytes.
    void malformedLine(const QString &why, const QByteArray &excerpt);
    // An {"errors":[...]} line (operational-disconnect): the client reconnects.
    void serverError(const QString &problem);
    // The connection was away longer than backfill reaches (5 minutes): events between `from`
    // and `to` may be missing; a bounded fetch or replay of that window brings them back.
    void eventsMayBeMissing(const QDateTime &from, const QDateTime &to, const QString &message);
    void countersChanged(const activity::StreamCounters &counters);

private:
    void connectNow();
    int backfillMinutesForReconnect();
    qint64 monotonicMs() const;
    void markCovered();
    void onHeaders();
    void onReadyRead();
    void onFinished();
    // Splits the buffer into lines; false when a line ended the connection.
    bool consumeLines(bool atEnd);
    // False when the line ended the connection (an in-stream error).
    bool handleLine(const QByteArray &line);
    void scheduleReconnect(BackoffKind kind, const QString &reason, const QString &message,
                           int httpStatus = 0);
    void handleErrorAnswer(int status, const QString &networkError);
    void fail(const QString &message);
    void setState(State state, const QString &message);
    void dropReply();
    void flushEvents();
    void scheduleFlush();

    ActivityStreamConfig m_config;
    QNetworkAccessManager *m_network = nullptr; // made in start(), on the client's thread
    QPointer<QNetworkReply> m_reply;
    int m_status = 0; // of m_reply, once its headers came
    QByteArray m_buffer; // bytes after the last complete line
    bool m_skippingLongLine = false; // dropping the rest of an over-long line up to its \n
    QByteArray m_errorBody; // a non-200 answer's body (capped)
    bool m_dataThisConnection = false;
    bool m_reconnecting = false; // the next request follows a disconnect: backfill applies

    QTimer m_stallTimer;
    QTimer m_retryTimer;
    QTimer m_batchTimer;
    QList<StreamEvent> m_pending;
    bool m_countersDirty = false;
    RecentEventIds m_seen;
    StreamCounters m_counters;
    std::array<int, 3> m_attempts {}; // per BackoffKind, since data last arrived

    // Where the stream is known complete: the last byte received (or the 200, or start()), on
    // the monotonic clock (ms); -1 before start().
    QElapsedTimer m_clock;
    qint64 m_coveredAtMs = -1;

    State m_state = State::Idle;
    QString m_stateMessage;
    QDateTime m_nextAttemptAt;
};

} // namespace activity

Q_DECLARE_METATYPE(activity::StreamCounters)
Q_DECLARE_METATYPE(activity::StreamReconnect)
