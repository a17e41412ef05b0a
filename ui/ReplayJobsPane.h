#pragma once

#include <QPointer>
#include <QWidget>

class QAction;

namespace activity {

class ConsoleTableView;
class PaneContext;
class ReplayDialog;
class ReplayJobTableModel;
class TableFilterProxy;

// The replay jobs submitted in this session, and the replay action for the selected webhook: the
// dialog checks the window against the profile's API generation, the job goes through the
// recorder, and each accepted job becomes a row.
class ReplayJobsPane : public QWidget
{
    Q_OBJECT
public:
    explicit ReplayJobsPane(PaneContext *context, QWidget *parent = nullptr);

    ReplayJobTableModel *model() const { return m_model; }
    ConsoleTableView *view() const { return m_view; }
    QAction *replayAction() const { return m_replayAction; }

    // The webhook a replay would be for (empty: none selected), and how to name it.
    void setWebhook(const QString &webhookId, const QString &label);
    ReplayDialog *openReplayDialog();

Q_SIGNALS:
    void jobSubmitted(const QString &jobId);

private:
    void submit(ReplayDialog *dialog, const QString &webhookId, const QString &label, const QDateTime &from,
                const QDateTime &to);
    void updateActions();

    PaneContext *m_context;
    ReplayJobTableModel *m_model;
    TableFilterProxy *m_proxy;
    ConsoleTableView *m_view = nullptr;
    QAction *m_replayAction = nullptr;
    QPointer<ReplayDialog> m_dialog;
    QString m_webhookId;
    QString m_webhookLabel;
};

} // namespace activity
