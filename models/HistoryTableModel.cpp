#include "HistoryTableModel.h"

namespace activity {

namespace {
QString param(const HistoryEntry &entry, const char *key)
{
    return entry.action.parameters.value(QLatin1String(key)).toVariant().toString();
}
} // namespace

HistoryTableModel::HistoryTableModel(HistoryStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    if (store) {
        connect(store, &HistoryStore::entryAdded, this, &HistoryTableModel::reload);
        connect(store, &HistoryStore::entryCompleted, this, &HistoryTableModel::reload);
    }
    reload();
}

int HistoryTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HistoryTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

void HistoryTableModel::setQuery(const HistoryQuery &query)
{
    m_query = query;
    reload();
}

void HistoryTableModel::reload()
{
    beginResetModel();
    m_rows = m_store ? m_store->entries(m_query) : QList<HistoryEntry> {};
    endResetModel();
}

int HistoryTableModel::interruptedCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const HistoryEntry &e) {
        return e.progress == HistoryEntry::Progress::Interrupted;
    }));
}

QString HistoryTableModel::actionText(const HistoryEntry &entry)
{
    if (!HistoryStore::operationFromKey(entry.operationKey))
        return entry.operationKey;
    switch (entry.action.operation) {
    case Operation::RegisterWebhook:
        return tr("Register webhook");
    case Operation::ValidateWebhook:
        return tr("Validate webhook");
    case Operation::DeleteWebhook:
        return tr("Delete webhook");
    case Operation::Subscribe:
        return tr("Subscribe");
    case Operation::UnsubscribeUser:
        return tr("Unsubscribe");
    case Operation::UnsubscribeSelf:
        return tr("Unsubscribe (own account)");
    case Operation::ReplayAccountActivity:
        return tr("Replay");
    case Operation::ReplayWebhooks:
        return tr("Replay (webhooks endpoint)");
    case Operation::ListWebhooks:
    case Operation::CheckSubscription:
    case Operation::SubscriptionCount:
    case Operation::ListSubscriptions:
    case Operation::BearerToken:
    case Operation::RequestToken:
    case Operation::AccessToken:
    case Operation::OAuth2Revoke:
        return tr("Revoke sign-in");
    case Operation::CreateActivitySubscription:
        return tr("Create activity subscription");
    case Operation::UpdateActivitySubscription:
        return tr("Update activity subscription");
    case Operation::DeleteActivitySubscription:
        return tr("Delete activity subscription");
    case Operation::DeleteActivitySubscriptions:
        return tr("Delete activity subscriptions");
    case Operation::UsersLookup:
    case Operation::OAuth2Token:
    case Operation::CurrentUser:
    case Operation::ListActivitySubscriptions:
    case Operation::UsersByUsername:
    case Operation::ActivityStream:
        break;
    }
    return entry.operationKey;
}

QString HistoryTableModel::targetText(const HistoryEntry &entry)
{
    const QString webhook = param(entry, "webhook_id");
    const QString url = param(entry, "url");
    const QString user = param(entry, "user_id");
    const QString from = param(entry, "from");
    const QString to = param(entry, "to");
    QStringList parts;
    if (!webhook.isEmpty())
        parts.append(tr("webhook %1").arg(webhook));
    if (!url.isEmpty())
        parts.append(url);
    if (!user.isEmpty())
        parts.append(tr("user %1").arg(user));
    if (!from.isEmpty() || !to.isEmpty())
        parts.append(tr("%1 – %2 UTC").arg(from, to));
    return parts.join(QStringLiteral(", "));
}

QString HistoryTableModel::interruptedExplanation()
{
    return tr("Interrupted: from an earlier run that ended before the answer arrived. Whether X made "
              "the change is unknown — check the webhook/subscription state.");
}

QString HistoryTableModel::stateText(const HistoryEntry &entry)
{
    switch (entry.state) {
    case HistoryState::Succeeded:
        return tr("Succeeded");
    case HistoryState::Failed:
        return tr("Failed");
    case HistoryState::Pending:
        break;
    }
    switch (entry.progress) {
    case HistoryEntry::Progress::Running:
        return tr("Pending — waiting for the answer");
    case HistoryEntry::Progress::RunningElsewhere:
        return tr("Pending — running in another window or activity-cli");
    case HistoryEntry::Progress::Interrupted:
        return tr("Interrupted — the answer never arrived");
    case HistoryEntry::Progress::Finished:
        break;
    }
    return tr("Pending");
}

QString HistoryTableModel::resultText(const HistoryEntry &entry)
{
    QString text;
    if (entry.state == HistoryState::Failed)
        text = entry.errorCause.isEmpty() ? entry.errorKind : entry.errorCause;
    else
        text = entry.summary;
    if (entry.httpStatus > 0)
        text = text.isEmpty() ? QStringLiteral("HTTP %1").arg(entry.httpStatus)
                              : QStringLiteral("HTTP %1: %2").arg(QString::number(entry.httpStatus), text);
    return text;
}

QVariant HistoryTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryEntry &e = m_rows.at(index.row());
    const auto column = Column(index.column());
    const bool interrupted = e.progress == HistoryEntry::Progress::Interrupted;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::Time:
            return e.startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case Column::Action:
            return actionText(e);
        case Column::Target:
            return targetText(e);
        case Column::Account:
            return e.action.accountUsername.isEmpty() ? e.action.accountUserId
                                                      : QLatin1Char('@') + e.action.accountUsername;
        case Column::Profile:
            return e.action.profileName.isEmpty() ? e.action.host : e.action.profileName;
        case Column::State:
            return stateText(e);
        case Column::Result:
            return resultText(e);
        case Column::Count:
            break;
        }
        break;
    case SortRole:
        switch (column) {
        case Column::Time:
            return e.id; // ids grow with time, also across processes
        case Column::State:
            return int(e.state) * 10 + int(e.progress);
        case Column::Action:
        case Column::Target:
        case Column::Account:
        case Column::Profile:
        case Column::Result:
            return data(index, Qt::DisplayRole);
        case Column::Count:
            break;
        }
        break;
    case Qt::ToolTipRole:
        if (interrupted)
            return interruptedExplanation();
        switch (column) {
        case Column::Time:
            return tr("%1 UTC, by %2")
                .arg(e.startedAt.toString(Qt::ISODateWithMs),
                     e.action.source.isEmpty() ? tr("unknown") : e.action.source);
        case Column::Profile:
            return tr("%1, API %2").arg(e.action.host, endpoints::generationName(e.action.generation));
        case Column::Result:
            if (!e.errorRemedy.isEmpty())
                return e.errorRemedy;
            return e.durationMs >= 0 ? QVariant(tr("%1 ms").arg(e.durationMs)) : QVariant();
        case Column::Action:
        case Column::Target:
        case Column::Account:
        case Column::State:
        case Column::Count:
            break;
        }
        break;
    case EntryIdRole:
        return e.id;
    case StateRole:
        return int(e.state);
    case ProgressRole:
        return int(e.progress);
    case NeedsAttentionRole:
        return interrupted;
    default:
        break;
    }
    return {};
}

QVariant HistoryTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::Time:
        return tr("Time");
    case Column::Action:
        return tr("Action");
    case Column::Target:
        return tr("Target");
    case Column::Account:
        return tr("Account");
    case Column::Profile:
        return tr("Profile");
    case Column::State:
        return tr("State");
    case Column::Result:
        return tr("Result");
    case Column::Count:
        break;
    }
    return {};
}

} // namespace activity
