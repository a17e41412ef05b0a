#include "ReplayJobTableModel.h"

namespace activity {

namespace {
QString localMinute(const QDateTime &utc)
{
    return utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString windowText(const QDateTime &from, const QDateTime &to, bool local)
{
    if (!from.isValid() || !to.isValid())
        return {};
    const QDateTime a = local ? from.toLocalTime() : from.toUTC();
    const QDateTime b = local ? to.toLocalTime() : to.toUTC();
    const QString start = a.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    const QString end = b.date() == a.date() ? b.toString(QStringLiteral("HH:mm"))
                                             : b.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    return start + QStringLiteral(" – ") + end;
}
} // namespace

ReplayJobTableModel::ReplayJobTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int ReplayJobTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ReplayJobTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QString ReplayJobTableModel::stateText(ReplayJobRow::State state)
{
    switch (state) {
    case ReplayJobRow::State::Submitted:
        return tr("Submitted — waiting for X");
    case ReplayJobRow::State::Complete:
        return tr("Complete");
    case ReplayJobRow::State::Incomplete:
        return tr("Incomplete — replay the window again");
    case ReplayJobRow::State::Failed:
        return tr("Failed");
    }
    return {};
}

ReplayJobRow::State ReplayJobTableModel::stateFromApi(const QString &jobState)
{
    if (jobState.compare(QLatin1String("Complete"), Qt::CaseInsensitive) == 0)
        return ReplayJobRow::State::Complete;
    if (jobState.compare(QLatin1String("Incomplete"), Qt::CaseInsensitive) == 0)
        return ReplayJobRow::State::Incomplete;
    return ReplayJobRow::State::Failed;
}

QVariant ReplayJobTableModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const ReplayJobRow &row = m_rows.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::Webhook:
            return row.webhookUrl.isEmpty() ? row.webhookId : row.webhookUrl;
        case Column::Window:
            return windowText(row.from, row.to, true);
        case Column::JobId:
            return row.jobId;
        case Column::Created:
            return row.createdAt.isValid() ? localMinute(row.createdAt) : QString();
        case Column::State:
            return stateText(row.state);
        case Column::Count:
            break;
        }
        break;
    case SortRole:
        switch (column) {
        case Column::Webhook:
            return row.webhookUrl.isEmpty() ? row.webhookId : row.webhookUrl;
        case Column::Window:
            return row.from;
        case Column::JobId:
            return row.jobId;
        case Column::Created:
            return row.createdAt;
        case Column::State:
            return int(row.state);
        case Column::Count:
            break;
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case Column::Webhook:
            return tr("Webhook %1").arg(row.webhookId);
        case Column::Window:
            if (!row.from.isValid())
                return tr("The window is not known: this job was reported by X, not submitted here.");
            return tr("%1 UTC").arg(windowText(row.from, row.to, false));
        case Column::Created:
            return row.createdAt.isValid() ? row.createdAt.toUTC().toString(Qt::ISODate) : QVariant();
        case Column::State:
            return row.detail.isEmpty() ? QVariant() : QVariant(row.detail);
        case Column::JobId:
        case Column::Count:
            break;
        }
        break;
    case JobIdRole:
        return row.jobId;
    case WebhookIdRole:
        return row.webhookId;
    case StateRole:
        return int(row.state);
    default:
        break;
    }
    return {};
}

QVariant ReplayJobTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::Webhook:
        return tr("Webhook");
    case Column::Window:
        return tr("Window (local time)");
    case Column::JobId:
        return tr("Job id");
    case Column::Created:
        return tr("Created");
    case Column::State:
        return tr("State");
    case Column::Count:
        break;
    }
    return {};
}

int ReplayJobTableModel::rowOf(const QString &jobId) const
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (m_rows.at(i).jobId == jobId)
            return i;
    }
    return -1;
}

bool ReplayJobTableModel::hasRunningJob(const QString &webhookId) const
{
    for (const ReplayJobRow &row : m_rows) {
        if (row.webhookId == webhookId && row.state == ReplayJobRow::State::Submitted)
            return true;
    }
    return false;
}

void ReplayJobTableModel::addJob(const ReplayJobRow &job)
{
    const int existing = job.jobId.isEmpty() ? -1 : rowOf(job.jobId);
    if (existing >= 0) {
        if (m_rows.at(existing) == job)
            return;
        m_rows[existing] = job;
        Q_EMIT dataChanged(index(existing, 0), index(existing, int(Column::Count) - 1));
        return;
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(job);
    endInsertRows();
}

bool ReplayJobTableModel::applyStatus(const QString &webhookId, const QString &jobId,
                                      ReplayJobRow::State state, const QString &detail)
{
    const int existing = rowOf(jobId);
    if (existing < 0) {
        ReplayJobRow row;
        row.webhookId = webhookId;
        row.jobId = jobId;
        row.state = state;
        row.detail = detail;
        addJob(row);
        return true;
    }
    ReplayJobRow &row = m_rows[existing];
    if (row.state == state && row.detail == detail)
        return false;
    row.state = state;
    row.detail = detail;
    Q_EMIT dataChanged(index(existing, int(Column::State)), index(existing, int(Column::State)));
    return true;
}

void ReplayJobTableModel::removeJob(const QString &jobId)
{
    const int row = rowOf(jobId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

void ReplayJobTableModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

} // namespace activity
