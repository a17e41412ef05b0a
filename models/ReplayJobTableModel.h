#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>

namespace activity {

// One replay request and what became of it. X reports the end of a job only as a
// replay_job_status event delivered to the webhook, so a row stays Submitted until that arrives.
struct ReplayJobRow
{
    enum class State { Submitted, Complete, Incomplete, Failed };

    QString webhookId;
    QString webhookUrl; // optional: shown instead of the id when known
    QDateTime from; // UTC, inclusive
    QDateTime to; // UTC
    QString jobId;
    QDateTime createdAt; // UTC
    State state = State::Submitted;
    QString detail; // job_state_description, or the error

    friend bool operator==(const ReplayJobRow &, const ReplayJobRow &) = default;
};

class ReplayJobTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Column { Webhook, Window, JobId, Created, State, Count };
    enum Role { SortRole = Qt::UserRole + 1, JobIdRole, WebhookIdRole, StateRole };

    explicit ReplayJobTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A submitted job; a row with the same job id is replaced.
    void addJob(const ReplayJobRow &job);
    // A replay_job_status event. Unknown job ids (submitted elsewhere) get a row of their own;
    // a repeated event changes nothing. Returns false when nothing changed.
    bool applyStatus(const QString &webhookId, const QString &jobId, ReplayJobRow::State state,
                     const QString &detail);
    void removeJob(const QString &jobId);
    void clear();

    // "Complete" and "Incomplete" as X spells them; anything else is Failed.
    static ReplayJobRow::State stateFromApi(const QString &jobState);
    static QString stateText(ReplayJobRow::State state);

    const QList<ReplayJobRow> &jobs() const { return m_rows; }
    int rowOf(const QString &jobId) const;
    // X runs one replay job per webhook at a time.
    bool hasRunningJob(const QString &webhookId) const;

private:
    QList<ReplayJobRow> m_rows;
};

} // namespace activity
