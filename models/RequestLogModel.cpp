#include "RequestLogModel.h"

#include "RequestLog.h"

#include <QUrl>

namespace activity {

RequestLogModel::RequestLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

RequestLogModel::RequestLogModel(RequestLog *log, QObject *parent)
    : RequestLogModel(parent)
{
    if (!log)
        return;
    for (const RequestLogEntry &entry : log->entries())
        append(entry);
    connect(log, &RequestLog::entryAdded, this, [this, log](quint64 id) {
        if (const auto entry = log->entry(id))
            append(*entry);
    });
    connect(log, &RequestLog::entryUpdated, this, [this, log](quint64 id) {
        if (const auto entry = log->entry(id))
            update(*entry);
    });
    connect(log, &RequestLog::cleared, this, &RequestLogModel::clear);
}

int RequestLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RequestLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QString RequestLogModel::credentialText(CredentialKind kind)
{
    switch (kind) {
    case CredentialKind::None:
        return tr("None");
    case CredentialKind::AppOwner:
        return tr("App owner (OAuth 1.0a)");
    case CredentialKind::SubscribingUser:
        return tr("Subscribing user (OAuth 1.0a)");
    case CredentialKind::AppOnly:
        return tr("App-only (Bearer)");
    case CredentialKind::ConsumerBasic:
        return tr("App key and secret (Basic)");
    case CredentialKind::ConsumerOnly:
        return tr("App key only (OAuth 1.0a, no token)");
    case CredentialKind::RequestToken:
        return tr("Temporary request token (OAuth 1.0a)");
    case CredentialKind::OAuth2User:
        return tr("OAuth 2.0 user");
    case CredentialKind::OAuth2Client:
        return tr("OAuth 2.0 client (client id)");
    }
    return {};
}

QVariant RequestLogModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const RequestLogEntry &entry = m_rows.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::Time:
            return entry.startedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case Column::Method:
            return QString::fromLatin1(entry.method);
        case Column::Path:
            return QUrl(entry.url).path();
        case Column::Credential:
            return credentialText(entry.credential);
        case Column::Status:
            if (!entry.finished())
                return tr("running…");
            if (entry.httpStatus == 0)
                return tr("no answer");
            return entry.httpStatus;
        case Column::Duration:
            return entry.finished() ? tr("%1 ms").arg(entry.durationMs) : QString();
        case Column::RateLimitRemaining:
            if (entry.rateLimitRemaining < 0)
                return QString();
            if (entry.rateLimitLimit < 0)
                return QString::number(entry.rateLimitRemaining);
            return QStringLiteral("%1/%2").arg(entry.rateLimitRemaining).arg(entry.rateLimitLimit);
        case Column::Count:
            break;
        }
        break;
    case SortRole:
        switch (column) {
        case Column::Time:
            return entry.id; // ids grow with time and never tie
        case Column::Method:
            return QString::fromLatin1(entry.method);
        case Column::Path:
            return QUrl(entry.url).path();
        case Column::Credential:
            return credentialText(entry.credential);
        case Column::Status:
            return entry.httpStatus;
        case Column::Duration:
            return entry.durationMs;
        case Column::RateLimitRemaining:
            return entry.rateLimitRemaining;
        case Column::Count:
            break;
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case Column::Time:
            return entry.startedAt.toUTC().toString(Qt::ISODateWithMs);
        case Column::Path:
            return entry.url; // redacted already
        case Column::Status:
            return entry.error.isEmpty() ? QVariant() : QVariant(entry.error);
        case Column::RateLimitRemaining:
            if (!entry.rateLimitReset.isValid())
                return {};
            return tr("The window resets at %1.")
                .arg(entry.rateLimitReset.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
        case Column::Duration:
            return entry.attempt > 1 ? QVariant(tr("Attempt %1").arg(entry.attempt)) : QVariant();
        case Column::Method:
        case Column::Credential:
            return entry.operation;
        case Column::Count:
            break;
        }
        break;
    case EntryRole:
        return QVariant::fromValue(entry);
    case EntryIdRole:
        return entry.id;
    default:
        break;
    }
    return {};
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::Time:
        return tr("Time");
    case Column::Method:
        return tr("Method");
    case Column::Path:
        return tr("Path");
    case Column::Credential:
        return tr("Signed as");
    case Column::Status:
        return tr("Status");
    case Column::Duration:
        return tr("Duration");
    case Column::RateLimitRemaining:
        return tr("Rate limit left");
    case Column::Count:
        break;
    }
    return {};
}

int RequestLogModel::rowOf(quint64 id) const
{
    const auto it = m_positionOf.constFind(id);
    return it == m_positionOf.constEnd() ? -1 : int(*it - m_dropped);
}

void RequestLogModel::append(const RequestLogEntry &entry)
{
    if (update(entry))
        return;
    if (m_maxEntries <= 0)
        return;
    if (m_rows.size() >= m_maxEntries)
        dropOldest(int(m_rows.size()) - m_maxEntries + 1);
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_positionOf.insert(entry.id, m_dropped + row);
    m_rows.append(entry);
    endInsertRows();
}

bool RequestLogModel::update(const RequestLogEntry &entry)
{
    const int row = rowOf(entry.id);
    if (row < 0)
        return false;
    m_rows[row] = entry;
    Q_EMIT dataChanged(index(row, 0), index(row, int(Column::Count) - 1));
    return true;
}

void RequestLogModel::dropOldest(int count)
{
    count = qMin(count, int(m_rows.size()));
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, count - 1);
    for (int i = 0; i < count; ++i)
        m_positionOf.remove(m_rows.at(i).id);
    m_rows.remove(0, count);
    m_dropped += count;
    endRemoveRows();
}

void RequestLogModel::setMaxEntries(int maxEntries)
{
    m_maxEntries = qMax(0, maxEntries);
    if (m_rows.size() > m_maxEntries)
        dropOldest(int(m_rows.size()) - m_maxEntries);
}

void RequestLogModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    m_positionOf.clear();
    m_dropped = 0;
    endResetModel();
}

} // namespace activity
