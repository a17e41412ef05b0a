#include "ReplayJobsPane.h"

#include "ApiClient.h"
#include "ConsoleTableView.h"
#include "PaneContext.h"
#include "RecordedWrite.h"
#include "ReplayDialog.h"
#include "ReplayJobTableModel.h"
#include "TableFilterProxy.h"

#include <QAction>
#include <QStyle>
#include <QVBoxLayout>

namespace activity {

ReplayJobsPane::ReplayJobsPane(PaneContext *context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new ReplayJobTableModel(this))
    , m_proxy(new TableFilterProxy(this))
{
    setObjectName(QStringLiteral("replayPane"));
    m_proxy->setSourceModel(m_model);
    m_replayAction =
        new QAction(style()->standardIcon(QStyle::SP_MediaSeekBackward), tr("Re&play events…"), this);
    m_replayAction->setObjectName(QStringLiteral("replayAction"));
    connect(m_replayAction, &QAction::triggered, this, [this] { openReplayDialog(); });

    auto *layout = new QVBoxLayout(this);
    m_view = new ConsoleTableView(this);
    m_view->setObjectName(QStringLiteral("replayJobView"));
    m_view->setAccessibleName(tr("Replay jobs"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->addAction(m_replayAction);
    layout->addWidget(m_view);
    setFocusProxy(m_view);

    connect(m_context, &PaneContext::profileChanged, this, &ReplayJobsPane::updateActions);
    updateActions();
}

void ReplayJobsPane::setWebhook(const QString &webhookId, const QString &label)
{
    m_webhookId = webhookId;
    m_webhookLabel = label;
    updateActions();
}

void ReplayJobsPane::updateActions()
{
    m_replayAction->setEnabled(m_context->client() && !m_webhookId.isEmpty());
}

ReplayDialog *ReplayJobsPane::openReplayDialog()
{
    if (m_webhookId.isEmpty() || !m_context->hasProfile() || !m_context->client())
        return nullptr;
    if (m_dialog)
        m_dialog->close();
    auto *dialog =
        new ReplayDialog(m_context->profile().generation, m_webhookLabel, m_context->clock(), window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ReplayDialog::replayRequested, this,
            [this, dialog, id = m_webhookId, label = m_webhookLabel](
                const QDateTime &from, const QDateTime &to) { submit(dialog, id, label, from, to); });
    m_dialog = dialog;
    dialog->open();
    return dialog;
}

void ReplayJobsPane::submit(ReplayDialog *dialog, const QString &webhookId, const QString &label,
                            const QDateTime &from, const QDateTime &to)
{
    ApiClient *client = m_context->client();
    if (!client)
        return;
    QPointer<ReplayDialog> guard(dialog);
    m_context->callStarted();
    m_context->recorder()->run<ReplayJob>(
        *client, endpoints::replayOperation(client->generation()),
        {{QStringLiteral("webhook_id"), webhookId},
         {QStringLiteral("from"), from.toUTC().toString(Qt::ISODate)},
         {QStringLiteral("to"), to.toUTC().toString(Qt::ISODate)}},
        nullptr, this,
        [client, webhookId, from, to](QObject *context, ApiClient::Callback<ReplayJob> done) {
            return client->replay(webhookId, from, to, context, std::move(done));
        },
        [](const ReplayJob &job) { return QStringLiteral("job %1").arg(job.jobId); },
        [this, guard, webhookId, label, from, to](const Result<ReplayJob> &result) {
            m_context->callEnded();
            if (!result) {
                if (guard)
                    guard->showServerProblem(result.error());
                else
                    m_context->showError(result.error());
                return;
            }
            m_context->showPartialErrors(result.partialErrors());
            ReplayJobRow row;
            row.webhookId = webhookId;
            row.webhookUrl = label;
            row.from = from;
            row.to = to;
            row.jobId = result.value().jobId;
            row.createdAt = result.value().createdAt;
            m_model->addJob(row);
            m_context->setStatus(tr("Replay job %1 submitted.").arg(result.value().jobId));
            Q_EMIT jobSubmitted(result.value().jobId);
            if (guard)
                guard->accept();
        });
}

} // namespace activity
