#pragma once

#include "ReplayPlanner.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace activity {

class EventStore;
class LiveEvents;
class PaneContext;
class WebhookTimeline;

// Webhooks > Plan Replays… (#17) for the selected webhook: the replay windows the planner proposes
// from the periods the watch saw it invalid and (optionally) the gaps in the events this computer
// received, within the API generation's rules; Run submits them one at a time through the history,
// each completed by the replay_job_status the receiver or the stream brings (or confirmed by hand);
// an incomplete or failed job can be retried. Nothing is owned but the widgets and the planner.
class ReplayPlannerDialog : public QDialog
{
    Q_OBJECT
public:
    ReplayPlannerDialog(PaneContext *context, const QString &webhookId, WebhookTimeline *timeline,
                        EventStore *events, LiveEvents *live, QWidget *parent = nullptr);

    ReplayPlanner *planner() const { return m_planner; }
    QTableWidget *table() const { return m_table; }
    QCheckBox *includeGaps() const { return m_includeGaps; }
    QPushButton *runButton() const { return m_run; }
    QLabel *summary() const { return m_summary; }

    // Plans again from what is recorded now (the jobs shown are replaced).
    void replan();

private:
    void showJob(int index);
    int selectedJob() const;
    void updateButtons();

    PaneContext *m_context;
    QString m_webhookId;
    WebhookTimeline *m_timeline;
    QPointer<EventStore> m_events;
    ReplayPlanner *m_planner;
    QCheckBox *m_includeGaps;
    QLabel *m_summary;
    QTableWidget *m_table;
    QPushButton *m_run;
    QPushButton *m_confirm;
    QPushButton *m_incomplete;
    QPushButton *m_retry;
};

} // namespace activity
