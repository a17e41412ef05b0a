#pragma once

#include "HandlerGroup.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <memory>
#include <vector>

namespace activity::sandbox {

// GET /2/activity/stream (x-api-2026.md §4.5): one long-lived 200 per connection, written with
// Transfer-Encoding: chunked through the request's QHttpServerResponder (writeBody() piece by
// piece). Each X Activity event made for the app (World::activityEventEmitted) goes to every open
// stream of the app as one line ending in \r\n; a bare \r\n is the heartbeat after
// heartbeatInterval without a write. At most maxConnectionsPerApp streams per app.
// The faults for client tests (drop, stall, duplicates, an in-stream error) are SandboxServer's
// test API, passed on to this group.
class ActivityStreamHandlers : public HandlerGroup
{
public:
    static constexpr int maxConnectionsPerApp = 2;

    explicit ActivityStreamHandlers(const SandboxParts &parts);
    ~ActivityStreamHandlers() override;
    void registerRoutes() override;

    void setHeartbeatInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds heartbeatInterval() const { return m_heartbeat; }
    int openStreams() const { return int(m_streams.size()); }
    int dropAll(); // aborts every connection; how many
    void setStalled(bool stalled);
    bool stalled() const { return m_stalled; }
    void duplicateNext(int events) { m_duplicates = qMax(0, events); }
    int sendErrorAndClose(const QString &detail); // how many streams got it

private:
    void control(const ExchangePtr &ex); // POST /sandbox/activity/stream
    struct Stream
    {
        ExchangePtr ex;
        QString appId;
        QDateTime from; // live events before it are not sent (start_time)
        QDateTime until; // invalid: no end_time
        QList<QByteArray> held; // lines kept back while stalled, sent on resume
        QTimer *heartbeat = nullptr; // owned by m_context; restarted after every write
        QTimer *ending = nullptr; // fires at end_time (by the sandbox clock when it started)
        bool endHeld = false; // the end came while stalled: sent after the held lines on resume
        // To the socket's disconnected() and destroyed(): dropped by handle, since the socket may
        // be in its destructor, where no QTcpSocket pointer to it may be formed.
        QList<QMetaObject::Connection> socketConnections;
    };

    void open(const ExchangePtr &ex);
    void onEvent(const ActivityEventRecord &record);
    // Writes one chunk (held back while stalled unless `force`); false when the socket is gone.
    bool write(Stream &stream, const QByteArray &bytes);
    void heartbeat(Stream *stream);
    void endCleanly(Stream *stream); // the last chunk, then close (held like a line while stalled)
    void remove(Stream *stream); // forgets it; the caller closed or aborted the socket
    Stream *find(const Stream *stream) const;

    QObject m_context; // receiver of the world's signal and parent of the timers
    std::vector<std::unique_ptr<Stream>> m_streams; // opening order
    std::chrono::milliseconds m_heartbeat {20000};
    bool m_stalled = false;
    int m_duplicates = 0;
};

} // namespace activity::sandbox
