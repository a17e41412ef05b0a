#include "WebhookReceiverThread.h"

namespace activity {

WebhookReceiverThread::WebhookReceiverThread(QByteArray consumerSecret, WebhookReceiverOptions options)
    : m_receiver(new WebhookReceiver(std::move(consumerSecret), std::move(options)))
{
    m_thread.setObjectName(QStringLiteral("webhook-receiver"));
    m_receiver->moveToThread(&m_thread);
    m_thread.start();
}

WebhookReceiverThread::~WebhookReceiverThread()
{
    WebhookReceiver *receiver = m_receiver;
    QMetaObject::invokeMethod(
        receiver, [receiver] { delete receiver; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

std::optional<QString> WebhookReceiverThread::listen(const QHostAddress &address, quint16 port)
{
    std::optional<QString> problem;
    WebhookReceiver *receiver = m_receiver;
    QMetaObject::invokeMethod(
        receiver,
        [&] {
            problem = receiver->listen(address, port);
            m_url = receiver->url();
            m_address = receiver->address();
            m_port = receiver->port();
        },
        Qt::BlockingQueuedConnection);
    return problem;
}

void WebhookReceiverThread::close()
{
    WebhookReceiver *receiver = m_receiver;
    QMetaObject::invokeMethod(
        receiver, [receiver] { receiver->close(); }, Qt::BlockingQueuedConnection);
}

} // namespace activity
