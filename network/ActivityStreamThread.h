#pragma once

#include "ActivityStreamClient.h"

#include <QObject>
#include <QThread>

namespace activity {

// Runs an ActivityStreamClient on a thread of its own, so that reading and parsing the stream never
// blocks the GUI thread. Made and used on the owner's thread (services/): start() and stop() are
// queued to the worker; connect to client()'s signals (they arrive queued, a batch of events per
// signal). The destructor stops the client, ends the thread and waits for it, and the client is
// deleted on its own thread.
class ActivityStreamThread : public QObject
{
    Q_OBJECT
public:
    explicit ActivityStreamThread(ActivityStreamConfig config, QObject *parent = nullptr);
    ~ActivityStreamThread() override;

    // Lives on the worker thread: connect to its signals, call nothing on it directly.
    ActivityStreamClient *client() const { return m_client; }
    const QThread *workerThread() const { return &m_worker; }

    void start();
    void stop();

private:
    QThread m_worker;
    ActivityStreamClient *m_client; // deleted on the worker thread when it finishes
};

} // namespace activity
