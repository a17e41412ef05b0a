// An ActivityStreamClient on a worker thread (see ActivityStreamThread.h).

#include "ActivityStreamThread.h"

namespace activity {

ActivityStreamThread::ActivityStreamThread(ActivityStreamConfig config, QObject *parent)
    : QObject(parent)
    , m_client(new ActivityStreamClient(std::move(config)))
{
    m_worker.setObjectName(QStringLiteral("X Activity stream"));
    m_client->moveToThread(&m_worker);
    // finished() is emitted on the worker thread before its event loop is gone: the client (its
    // network manager and timers) is deleted there.
    connect(&m_worker, &QThread::finished, m_client, &QObject::deleteLater);
    m_worker.start();
}

ActivityStreamThread::~ActivityStreamThread()
{
    QMetaObject::invokeMethod(m_client, &ActivityStreamClient::stop, Qt::QueuedConnection);
    m_worker.quit();
    m_worker.wait();
}

void ActivityStreamThread::start()
{
    QMetaObject::invokeMethod(m_client, &ActivityStreamClient::start, Qt::QueuedConnection);
}

void ActivityStreamThread::stop()
{
    QMetaObject::invokeMethod(m_client, &ActivityStreamClient::stop, Qt::QueuedConnection);
}

} // namespace activity
