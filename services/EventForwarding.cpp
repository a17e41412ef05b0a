#include "EventForwarding.h"

#include <QDateTime>
#include <QJsonObject>

namespace activity {

EventForwarding::EventForwarding(EventStore *store, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_forwarder(network)
{
    qRegisterMetaType<ForwardResult>();
}

QString EventForwarding::setTarget(const QUrl &target)
{
    if (const QString problem = EventForwarder::checkTarget(target); !problem.isEmpty())
        return problem;
    m_target = target;
    return {};
}

QList<std::pair<QByteArray, QByteArray>> EventForwarding::headersOf(const StoredEvent &event)
{
    QList<std::pair<QByteArray, QByteArray>> headers;
    for (auto it = event.headers.constBegin(); it != event.headers.constEnd(); ++it)
        headers.append({it.key().toUtf8(), it.value().toString().toUtf8()});
    return headers;
}

void EventForwarding::resend(const QList<qint64> &rowIds)
{
    for (const qint64 rowId : rowIds)
        m_queue.enqueue(rowId);
    pump();
}

void EventForwarding::pump()
{
    while (m_inFlight < maxInFlight && !m_queue.isEmpty()) {
        const qint64 rowId = m_queue.dequeue();
        const std::optional<StoredEvent> stored = m_store ? m_store->event(rowId) : std::nullopt;
        if (!stored) {
            Q_EMIT forwarded(rowId, {},
                             ForwardResult {0, 0, tr("Event %1 is not in the store (any more).").arg(rowId)});
            continue;
        }
        send(*stored);
    }
    if (m_inFlight == 0 && m_queue.isEmpty())
        Q_EMIT idle();
}

void EventForwarding::send(const StoredEvent &event)
{
    ++m_inFlight;
    const ForwardRequest request {m_target, event.body, headersOf(event), m_secret, event.eventId};
    m_forwarder.forward(request,
                        [this, rowId = event.rowId, eventId = event.eventId](const ForwardResult &result) {
                            --m_inFlight;
                            if (m_store && rowId > 0) {
                                ForwardOutcome outcome;
                                outcome.httpStatus = result.httpStatus;
                                outcome.durationMs = result.durationMs;
                                outcome.atMs = QDateTime::currentMSecsSinceEpoch();
                                outcome.error = result.error;
                                m_store->setForwardOutcome(rowId, outcome);
                            }
                            Q_EMIT forwarded(rowId, eventId, result);
                            pump();
                        });
}

} // namespace activity
