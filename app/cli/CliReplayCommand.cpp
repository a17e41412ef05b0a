// activity-cli replay WEBHOOK_ID --from WHEN --to WHEN.
#include "CliFormat.h"
#include "CliRunner.h"
#include "EndpointCatalogue.h"
#include "Validation.h"

namespace activity::cli {

void Runner::replay()
{
    const Result<QDateTime> from = validate::parseReplayTime(m_inv.from);
    if (!from)
        return fail(from.error());
    const Result<QDateTime> to = validate::parseReplayTime(m_inv.to);
    if (!to)
        return fail(to.error());
    const Operation operation = endpoints::replayOperation(m_inv.generation);
    if (!prepareClient({operation}))
        return;
    const QString id = m_inv.arguments.value(0);
    recordWrite<ReplayJob>(
        operation,
        {{QStringLiteral("webhook_id"), id},
         {QStringLiteral("from"), validate::formatReplayTime(from.value())},
         {QStringLiteral("to"), validate::formatReplayTime(to.value())}},
        [this, id, from = from.value(), to = to.value()](QObject *context,
                                                         ApiClient::Callback<ReplayJob> done) {
            return m_client->replay(id, from, to, context, std::move(done));
        },
        [](const ReplayJob &job) { return QStringLiteral("job %1").arg(job.jobId); },
        [this, id, from = from.value(), to = to.value()](const ReplayJob &job) {
            format::replayStarted(m_output, id, job, from, to);
        });
}

} // namespace activity::cli
