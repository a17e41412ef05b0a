#include "ActivityBulkDelete.h"

#include "EndpointCatalogue.h"
#include "RecordedWrite.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace activity {

ActivityBulkDelete::ActivityBulkDelete(QObject *parent)
    : QObject(parent)
{
    m_pause.setSingleShot(true);
    connect(&m_pause, &QTimer::timeout, this, &ActivityBulkDelete::sendNext);
}

void ActivityBulkDelete::start(ApiClient *client, WriteRecorder *recorder, const QStringList &ids)
{
    cancel();
    m_client = client;
    m_recorder = recorder;
    m_queue.clear();
    QSet<QString> seen;
    for (const QString &id : ids) {
        if (!seen.contains(id)) {
            seen.insert(id);
            m_queue.append(id);
        }
    }
    m_batch.clear();
    m_deleted.clear();
    m_failed.clear();
    m_total = int(m_queue.size());
    m_running = true;
    sendNext();
}

void ActivityBulkDelete::cancel()
{
    m_pause.stop();
    delete m_call.data();
    m_call = nullptr;
    m_running = false;
}

QDateTime ActivityBulkDelete::now() const
{
    return m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
}

void ActivityBulkDelete::sendNext()
{
    if (m_batch.isEmpty()) {
        m_batch = m_queue.mid(0, endpoints::maxActivityIdsPerDelete);
        m_queue.remove(0, m_batch.size());
    }
    if (m_batch.isEmpty()) {
        m_running = false;
        Q_EMIT finished(m_deleted, m_failed);
        return;
    }
    if (!m_client) {
        failRemaining(ApiError::make(ApiError::Kind::MissingCredentials,
                                     tr("The profile's credentials are missing."),
                                     tr("Open the profile and enter its keys.")));
        return;
    }
    auto *context = new QObject(this);
    m_call = context;
    const QStringList batch = m_batch;
    auto answered = [this, context](const Result<ActivityBulkDeleteResult> &result) {
        context->deleteLater();
        if (m_call != context)
            return; // cancelled meanwhile
        m_call = nullptr;
        batchAnswered(result);
    };
    QPointer<ApiClient> client = m_client;
    auto send = [client, batch](QObject *ctx,
                                ApiClient::Callback<ActivityBulkDeleteResult> done) -> ApiCall * {
        return client ? client->deleteActivitySubscriptions(batch, ctx, std::move(done)) : nullptr;
    };
    if (m_recorder) {
        m_recorder->run<ActivityBulkDeleteResult>(
            *m_client, Operation::DeleteActivitySubscriptions,
            {{QStringLiteral("ids"), QJsonArray::fromStringList(batch)}}, nullptr, context, send,
            [](const ActivityBulkDeleteResult &r) -> QString {
                return tr("%n deleted", nullptr, int(r.deleted.size())) +
                    (r.errors.isEmpty()
                         ? QString()
                         : QStringLiteral(", ") + tr("%n refused", nullptr, int(r.errors.size())));
            },
            answered);
    } else {
        send(context, answered);
    }
}

void ActivityBulkDelete::batchAnswered(const Result<ActivityBulkDeleteResult> &result)
{
    if (!result) {
        const ApiError &error = result.error();
        if (error.kind == ApiError::Kind::RateLimited && error.retryAt.isValid()) {
            // The same batch again once the window resets: a second after X's reset time, which has
            // a resolution of seconds, and never less than a second (no busy loop on clock skew).
            const QDateTime until = error.retryAt.addSecs(1);
            Q_EMIT waiting(until);
            m_pause.start(int(std::clamp<qint64>(now().msecsTo(until), 1000, 15 * 60 * 1000)));
            return;
        }
        failRemaining(error);
        return;
    }
    const ActivityBulkDeleteResult &answer = result.value();
    QSet<QString> refused;
    for (const ActivityBulkDeleteError &error : answer.errors) {
        m_failed.append(error);
        refused.insert(error.subscriptionId);
    }
    // An id X neither confirmed nor refused is not counted as deleted: it is reported.
    const QSet<QString> confirmed(answer.deleted.cbegin(), answer.deleted.cend());
    for (const QString &id : std::as_const(m_batch)) {
        if (confirmed.contains(id))
            m_deleted.append(id);
        else if (!refused.contains(id))
            m_failed.append(
                {id, QStringLiteral("not_confirmed"), tr("X did not say whether it was deleted.")});
    }
    m_batch.clear();
    Q_EMIT progress(int(m_deleted.size() + m_failed.size()), m_total);
    sendNext();
}

void ActivityBulkDelete::failRemaining(const ApiError &error)
{
    for (const QString &id : std::as_const(m_batch))
        m_failed.append(
            {id, error.name.isEmpty() ? ApiError::kindName(error.kind) : error.name, error.text()});
    for (const QString &id : std::as_const(m_queue))
        m_failed.append(
            {id, notSentReason(), tr("Not sent: an earlier batch failed (%1).").arg(error.text())});
    m_batch.clear();
    m_queue.clear();
    m_running = false;
    Q_EMIT progress(m_total, m_total);
    Q_EMIT stopped(error);
    Q_EMIT finished(m_deleted, m_failed);
}

} // namespace activity
