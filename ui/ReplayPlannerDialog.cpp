#include "ReplayPlannerDialog.h"

#include "EndpointCatalogue.h"
#include "EventStore.h"
#include "LiveEvents.h"
#include "PaneContext.h"
#include "RecordedWrite.h"
#include "ResolvedProfile.h"
#include "Validation.h"
#include "WebhookTimeline.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace activity {

namespace {

enum Column { From, To, Reason, State, Job, Detail, ColumnCount };

// Silences longer than this among the events received count as gaps.
constexpr qint64 gapMs = 30LL * 60 * 1000;

QString stateText(PlannedReplay::State state)
{
    switch (state) {
    case PlannedReplay::State::Planned:
        return QObject::tr("planned");
    case PlannedReplay::State::Submitted:
        return QObject::tr("submitted");
    case PlannedReplay::State::Complete:
        return QObject::tr("complete");
    case PlannedReplay::State::Incomplete:
        return QObject::tr("incomplete");
    case PlannedReplay::State::Failed:
        return QObject::tr("failed");
    }
    return {};
}

QString timeText(const QDateTime &utc)
{
    return utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

ReplayPlannerDialog::ReplayPlannerDialog(PaneContext *context, const QString &webhookId,
                                         WebhookTimeline *timeline, EventStore *events, LiveEvents *live,
                                         QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_webhookId(webhookId)
    , m_timeline(timeline)
    , m_events(events)
    , m_planner(nullptr)
    , m_includeGaps(
          new QCheckBox(tr("Also the gaps of more than 30 minutes in the events received here"), this))
    , m_summary(new QLabel(this))
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_run(new QPushButton(tr("&Run"), this))
    , m_confirm(new QPushButton(tr("&Confirm Complete"), this))
    , m_incomplete(new QPushButton(tr("Mark &Incomplete"), this))
    , m_retry(new QPushButton(tr("R&etry"), this))
{
    const QPointer<ApiClient> client = context->client();
    const ApiGeneration generation = context->profile().generation;
    // Every request goes through the history, like the replay dialog's.
    m_planner = new ReplayPlanner(
        generation,
        [context, client, generation](const PlannedReplay &job, QObject *callContext,
                                      std::function<void(const Result<ReplayJob> &)> done) {
            if (!client || client != context->client())
                return done(ApiError::make(ApiError::Kind::Cancelled, tr("The profile changed.")));
            context->recorder()->run<ReplayJob>(
                *client, endpoints::replayOperation(generation),
                {{QStringLiteral("webhook_id"), job.webhookId},
                 {QStringLiteral("from"), job.from.toString(Qt::ISODate)},
                 {QStringLiteral("to"), job.to.toString(Qt::ISODate)},
                 {QStringLiteral("planned"), true}},
                nullptr, callContext,
                [client = client.data(), job](QObject *c, ApiClient::Callback<ReplayJob> callback) {
                    return client->replay(job.webhookId, job.from, job.to, c, std::move(callback));
                },
                [](const ReplayJob &replay) { return QStringLiteral("job %1").arg(replay.jobId); },
                std::move(done));
        },
        this);
    setWindowTitle(tr("Plan Replays — webhook %1").arg(webhookId));
    m_summary->setWordWrap(true);
    m_table->setHorizontalHeaderLabels(
        {tr("From"), tr("To"), tr("Why"), tr("State"), tr("Job"), tr("Detail")});
    m_table->horizontalHeader()->setSectionResizeMode(Detail, QHeaderView::Stretch);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_includeGaps->setEnabled(events != nullptr);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_confirm);
    buttons->addWidget(m_incomplete);
    buttons->addWidget(m_retry);
    buttons->addStretch();
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(validate::ReplayRules::forGeneration(generation).description(), this));
    layout->addWidget(m_includeGaps);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addWidget(close);
    resize(760, 420);

    connect(m_includeGaps, &QCheckBox::toggled, this, &ReplayPlannerDialog::replan);
    connect(m_run, &QPushButton::clicked, m_planner, &ReplayPlanner::run);
    connect(m_confirm, &QPushButton::clicked, this, [this] { m_planner->confirm(selectedJob(), true); });
    connect(m_incomplete, &QPushButton::clicked, this, [this] { m_planner->confirm(selectedJob(), false); });
    connect(m_retry, &QPushButton::clicked, this, [this] { m_planner->retry(selectedJob()); });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ReplayPlannerDialog::updateButtons);
    connect(m_planner, &ReplayPlanner::jobChanged, this, &ReplayPlannerDialog::showJob);
    connect(m_planner, &ReplayPlanner::finished, this, &ReplayPlannerDialog::updateButtons);
    // Each event received (receiver or stream) may be a job's replay_job_status.
    if (live && events) {
        connect(live, &LiveEvents::eventStored, this, [this](qint64 rowId) {
            if (!m_events)
                return;
            if (const std::optional<StoredEvent> event = m_events->event(rowId))
                m_planner->acceptStatus(event->body);
        });
    }
    replan();
}

void ReplayPlannerDialog::replan()
{
    const QDateTime now = m_context->now();
    const ApiGeneration generation = m_context->profile().generation;
    const validate::ReplayRules rules = validate::ReplayRules::forGeneration(generation);
    const qint64 since = now.addSecs(-rules.lookbackSecs).toMSecsSinceEpoch();
    QList<MissedWindow> windows = ReplayPlanner::invalidPeriods(
        m_timeline ? m_timeline->changes(m_context->profile().name, m_webhookId) : QList<WebhookValidity>(),
        now);
    if (m_includeGaps->isChecked() && m_events) {
        EventQuery query;
        query.sinceMs = since;
        query.limit = 0;
        query.withBodies = false;
        QList<qint64> times;
        for (const StoredEvent &event : m_events->events(query))
            times.append(event.receivedAtMs);
        windows += ReplayPlanner::eventGaps(times, since, now.toMSecsSinceEpoch(), gapMs);
    }
    m_planner->setJobs(ReplayPlanner::plan(m_webhookId, windows, generation, now));
    m_table->setRowCount(int(m_planner->jobs().size()));
    for (int i = 0; i < m_planner->jobs().size(); ++i)
        showJob(i);
    m_summary->setText(
        m_planner->jobs().isEmpty()
            ? tr("Nothing to replay: the watch saw no invalid period within the last %1%2.")
                  .arg(rules.lookbackText,
                       m_includeGaps->isChecked() ? tr(", and no gap in the events") : QString())
            : tr("%n replay job(s), run one at a time.", nullptr, int(m_planner->jobs().size())));
    updateButtons();
}

void ReplayPlannerDialog::showJob(int index)
{
    const PlannedReplay &job = m_planner->jobs().at(index);
    const QStringList cells {timeText(job.from),   timeText(job.to), job.reason,
                             stateText(job.state), job.jobId,        job.detail};
    for (int column = 0; column < ColumnCount; ++column) {
        auto *item = m_table->item(index, column);
        if (!item) {
            item = new QTableWidgetItem;
            m_table->setItem(index, column, item);
        }
        item->setText(cells.at(column));
    }
    updateButtons();
}

int ReplayPlannerDialog::selectedJob() const
{
    const QList<QTableWidgetSelectionRange> ranges = m_table->selectedRanges();
    return ranges.isEmpty() ? -1 : ranges.first().topRow();
}

void ReplayPlannerDialog::updateButtons()
{
    const int index = selectedJob();
    const auto state = index >= 0 ? std::optional(m_planner->jobs().at(index).state) : std::nullopt;
    const bool anyPlanned =
        std::any_of(m_planner->jobs().cbegin(), m_planner->jobs().cend(),
                    [](const PlannedReplay &job) { return job.state == PlannedReplay::State::Planned; });
    m_run->setEnabled(anyPlanned && m_context->client());
    m_confirm->setEnabled(state == PlannedReplay::State::Submitted);
    m_incomplete->setEnabled(state == PlannedReplay::State::Submitted);
    m_retry->setEnabled(state == PlannedReplay::State::Incomplete || state == PlannedReplay::State::Failed);
}

} // namespace activity
