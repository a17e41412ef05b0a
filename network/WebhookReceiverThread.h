#pragma once

#include "WebhookReceiver.h"

#include <QThread>

// A WebhookReceiver on a thread of its own: its sockets, parsing and signature checks stay off the
// caller's thread (the console's GUI thread, activity-cli's printing), which only gets the signals.
// bench_receiver measures both placements.
namespace activity {

class WebhookReceiverThread
{
public:
    explicit WebhookReceiverThread(QByteArray consumerSecret, WebhookReceiverOptions options = {});
    // Closes the receiver and deletes it on its thread, then ends the thread. Whatever uses it as a
    // receiver (an EventIntake) goes first.
    ~WebhookReceiverThread();
    WebhookReceiverThread(const WebhookReceiverThread &) = delete;
    WebhookReceiverThread &operator=(const WebhookReceiverThread &) = delete;

    // Lives on the thread: connect to its signals (queued to the receiving object's thread); give
    // it its sink before listen(), while no request can arrive.
    WebhookReceiver *receiver() const { return m_receiver; }

    // Binds on the receiver's thread and waits for the answer (see WebhookReceiver::listen).
    std::optional<QString> listen(const QHostAddress &address, quint16 port);
    void close();
    // As bound by listen().
    QString url() const { return m_url; }
    QHostAddress address() const { return m_address; }
    quint16 port() const { return m_port; }

private:
    QThread m_thread;
    WebhookReceiver *m_receiver;
    QString m_url;
    QHostAddress m_address;
    quint16 m_port = 0;
};

} // namespace activity
