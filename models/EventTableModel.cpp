#include "EventTableModel.h"

#include "UserCache.h"

#include <QDateTime>

#include <algorithm>
#include <limits>

namespace activity {

namespace {
QString localTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
        .toLocalTime()
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString utcTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}
} // namespace

EventTableModel::EventTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    resetTables();
}

void EventTableModel::resetTables()
{
    m_types.clear();
    m_typeIndex.clear();
    // Index 0 of the accounts, tags and errors is "none", so a row without one needs no flag.
    m_accounts = {AccountEntry {}};
    m_accountIndex.clear();
    m_tags = {TagEntry {}};
    m_tagIndex.clear();
    m_errors = {QString()};
    m_errorIndex.clear();
}

int EventTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QString EventTableModel::sourceText(EventSource source)
{
    switch (source) {
    case EventSource::Stream:
        return tr("Stream");
    case EventSource::Receiver:
        return tr("Receiver");
    case EventSource::Sandbox:
        return tr("Sandbox");
    }
    return {};
}

QString EventTableModel::sourceSearchText(int source)
{
    return sourceText(EventSource(source)).toCaseFolded();
}

QString EventTableModel::signatureText(SignatureVerdict verdict)
{
    switch (verdict) {
    case SignatureVerdict::NotApplicable:
        return tr("n/a");
    case SignatureVerdict::Valid:
        return tr("Valid");
    case SignatureVerdict::Invalid:
        return tr("Invalid");
    case SignatureVerdict::Missing:
        return tr("Missing");
    }
    return {};
}

QString EventTableModel::forwardText(const std::optional<ForwardOutcome> &outcome)
{
    if (!outcome)
        return {};
    if (!outcome->error.isEmpty())
        return tr("Error: %1").arg(outcome->error);
    if (outcome->httpStatus <= 0)
        return tr("No answer · %1 ms").arg(outcome->durationMs);
    return tr("%1 · %2 ms").arg(outcome->httpStatus).arg(outcome->durationMs);
}

QString EventTableModel::accountLabel(quint32 account) const
{
    const AccountEntry &entry = m_accounts.at(account);
    return entry.username.isEmpty() ? entry.id : QStringLiteral("@") + entry.username;
}

std::optional<ForwardOutcome> EventTableModel::forward(int row) const
{
    const Row &r = m_rows.at(row);
    if (r.forwardMs < 0)
        return std::nullopt;
    ForwardOutcome outcome;
    outcome.httpStatus = r.forwardStatus;
    outcome.durationMs = r.forwardMs;
    outcome.error = m_errors.at(r.forwardError);
    return outcome;
}

QVariant EventTableModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Row &row = m_rows.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::Time:
            return localTime(row.receivedAtMs);
        case Column::Source:
            return sourceText(EventSource(row.source));
        case Column::Account:
            return accountLabel(row.account);
        case Column::Type:
            return m_types.at(row.type).name;
        case Column::Tag:
            return m_tags.at(row.tag).text;
        case Column::Signature:
            return signatureText(SignatureVerdict(row.signature));
        case Column::Duplicates:
            return row.duplicates > 0 ? QString::number(row.duplicates) : QString();
        case Column::Forward:
            return forwardText(forward(index.row()));
        case Column::Count:
            break;
        }
        break;
    case SortRole:
        switch (column) {
        case Column::Time:
            return row.receivedAtMs;
        case Column::Duplicates:
            return row.duplicates;
        case Column::Forward:
            return row.forwardMs < 0 ? -1 : int(row.forwardStatus);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        switch (column) {
        case Column::Time:
            return tr("Received %1 (UTC)\nEvent id %2").arg(utcTime(row.receivedAtMs), row.eventId);
        case Column::Account:
            return m_accounts.at(row.account).username.isEmpty()
                ? QVariant()
                : QVariant(tr("User id %1").arg(m_accounts.at(row.account).id));
        case Column::Signature:
            if (SignatureVerdict(row.signature) == SignatureVerdict::NotApplicable)
                return tr("Stream events carry no signature to check.");
            break;
        case Column::Duplicates:
            if (row.duplicates > 0)
                return tr("Delivered %n more time(s); stored once.", nullptr, row.duplicates);
            break;
        default:
            break;
        }
        break;
    case RowIdRole:
        return row.rowId;
    case EventIdRole:
        return row.eventId;
    case EventTypeRole:
        return m_types.at(row.type).name;
    case AccountIdRole:
        return m_accounts.at(row.account).id;
    default:
        break;
    }
    return {};
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::Time:
        return tr("Time");
    case Column::Source:
        return tr("Source");
    case Column::Account:
        return tr("Account");
    case Column::Type:
        return tr("Event type");
    case Column::Tag:
        return tr("Tag");
    case Column::Signature:
        return tr("Signature");
    case Column::Duplicates:
        return tr("Duplicates");
    case Column::Forward:
        return tr("Forward");
    case Column::Count:
        break;
    }
    return {};
}

quint32 EventTableModel::internType(const QString &name)
{
    const auto known = m_typeIndex.constFind(name);
    if (known != m_typeIndex.cend())
        return *known;
    const auto index = quint32(m_types.size());
    m_types.append({name, name.toCaseFolded(), 0});
    m_typeIndex.insert(name, index);
    return index;
}

quint32 EventTableModel::internAccount(const QString &id)
{
    if (id.isEmpty())
        return 0;
    const auto known = m_accountIndex.constFind(id);
    if (known != m_accountIndex.cend())
        return *known;
    AccountEntry entry {id, {}, id.toCaseFolded()};
    if (m_cache) {
        if (const auto user = m_cache->value(id); user && !user->username.isEmpty()) {
            entry.username = user->username;
            entry.key = QString(id + QStringLiteral(" @") + user->username).toCaseFolded();
        }
    }
    const auto index = quint32(m_accounts.size());
    m_accounts.append(entry);
    m_accountIndex.insert(id, index);
    return index;
}

quint32 EventTableModel::internTag(const QString &tag)
{
    if (tag.isEmpty())
        return 0;
    const auto known = m_tagIndex.constFind(tag);
    if (known != m_tagIndex.cend())
        return *known;
    const auto index = quint32(m_tags.size());
    m_tags.append({tag, tag.toCaseFolded()});
    m_tagIndex.insert(tag, index);
    return index;
}

quint16 EventTableModel::internError(const QString &error)
{
    if (error.isEmpty())
        return 0;
    const auto known = m_errorIndex.constFind(error);
    if (known != m_errorIndex.cend())
        return *known;
    // Errors are a handful of sentences ("Connection refused"); should a forward target invent
    // 65,535 of them, the last one stands for the rest.
    if (m_errors.size() > std::numeric_limits<quint16>::max() - 1)
        return quint16(m_errors.size() - 1);
    const auto index = quint16(m_errors.size());
    m_errors.append(error);
    m_errorIndex.insert(error, index);
    return index;
}

EventTableModel::Row EventTableModel::makeRow(const StoredEvent &event)
{
    Row row;
    row.rowId = event.rowId;
    row.receivedAtMs = event.receivedAtMs;
    row.eventId = event.eventId;
    row.idKey = event.eventId.toCaseFolded();
    if (row.idKey == row.eventId)
        row.idKey = row.eventId; // one shared string instead of two (event_uuid is digits)
    row.duplicates = event.duplicates;
    row.type = internType(event.eventType);
    row.account = internAccount(event.forUserId);
    row.tag = internTag(event.tag);
    row.source = quint8(event.source);
    row.signature = quint8(event.signature);
    if (event.forward) {
        row.forwardMs =
            qint32(qBound<qint64>(0, event.forward->durationMs, qint64(std::numeric_limits<qint32>::max())));
        row.forwardStatus = qint16(qBound(0, event.forward->httpStatus, 999));
        row.forwardError = internError(event.forward->error);
    }
    return row;
}

int EventTableModel::appendEvents(const QList<StoredEvent> &events)
{
    const qint64 last = lastRowId();
    QList<const StoredEvent *> fresh;
    fresh.reserve(events.size());
    for (const StoredEvent &event : events) {
        if (event.rowId > last)
            fresh.append(&event);
    }
    if (fresh.isEmpty())
        return 0;
    // Store queries answer newest first; the log lists oldest first.
    auto byRowId = [](const StoredEvent *a, const StoredEvent *b) { return a->rowId < b->rowId; };
    if (!std::is_sorted(fresh.cbegin(), fresh.cend(), byRowId))
        std::sort(fresh.begin(), fresh.end(), byRowId);
    fresh.erase(std::unique(fresh.begin(), fresh.end(),
                            [](const StoredEvent *a, const StoredEvent *b) { return a->rowId == b->rowId; }),
                fresh.end());
    if (fresh.size() > m_maxRows)
        fresh.remove(0, fresh.size() - m_maxRows);
    if (const qsizetype overflow = m_rows.size() + fresh.size() - m_maxRows; overflow > 0)
        dropOldest(int(overflow));

    const qsizetype accountsBefore = m_accounts.size();
    QList<Row> added;
    added.reserve(fresh.size());
    for (const StoredEvent *event : std::as_const(fresh))
        added.append(makeRow(*event));
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    // No reserve(): an exact reserve per batch would copy every row on each batch; append grows
    // the list geometrically.
    for (Row &row : added) {
        ++m_types[row.type].count;
        m_rows.append(std::move(row));
    }
    endInsertRows();
    Q_EMIT countsChanged();
    if (m_accounts.size() != accountsBefore)
        Q_EMIT accountsChanged();
    return int(added.size());
}

void EventTableModel::dropOldest(int count)
{
    count = qMin(count, int(m_rows.size()));
    if (count <= 0)
        return;
    // One signal for the whole block; QList drops a block at its front without moving the rest.
    beginRemoveRows({}, 0, count - 1);
    for (int i = 0; i < count; ++i)
        --m_types[m_rows.at(i).type].count;
    m_rows.remove(0, count);
    endRemoveRows();
}

void EventTableModel::setMaxRows(int maxRows)
{
    m_maxRows = qMax(1, maxRows);
    if (m_rows.size() > m_maxRows) {
        dropOldest(int(m_rows.size()) - m_maxRows);
        Q_EMIT countsChanged();
    }
}

int EventTableModel::rowOf(qint64 rowId) const
{
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), rowId,
                                     [](const Row &row, qint64 id) { return row.rowId < id; });
    return it != m_rows.cend() && it->rowId == rowId ? int(it - m_rows.cbegin()) : -1;
}

bool EventTableModel::updateDuplicate(qint64 rowId, int duplicates)
{
    const int row = rowOf(rowId);
    if (row < 0)
        return false;
    if (m_rows.at(row).duplicates != duplicates) {
        m_rows[row].duplicates = duplicates;
        const QModelIndex cell = index(row, int(Column::Duplicates));
        Q_EMIT dataChanged(cell, cell);
    }
    return true;
}

bool EventTableModel::updateForward(qint64 rowId, const std::optional<ForwardOutcome> &outcome)
{
    const int row = rowOf(rowId);
    if (row < 0)
        return false;
    Row &r = m_rows[row];
    if (outcome) {
        r.forwardMs =
            qint32(qBound<qint64>(0, outcome->durationMs, qint64(std::numeric_limits<qint32>::max())));
        r.forwardStatus = qint16(qBound(0, outcome->httpStatus, 999));
        r.forwardError = internError(outcome->error);
    } else {
        r.forwardMs = -1;
        r.forwardStatus = 0;
        r.forwardError = 0;
    }
    const QModelIndex cell = index(row, int(Column::Forward));
    Q_EMIT dataChanged(cell, cell);
    return true;
}

void EventTableModel::applyUsers(const QList<UserInfo> &users)
{
    bool changed = false;
    for (const UserInfo &user : users) {
        const auto known = m_accountIndex.constFind(user.id);
        if (known == m_accountIndex.cend() || user.username.isEmpty())
            continue;
        AccountEntry &entry = m_accounts[*known];
        if (entry.username == user.username)
            continue;
        entry.username = user.username;
        entry.key = QString(entry.id + QStringLiteral(" @") + user.username).toCaseFolded();
        changed = true;
    }
    if (!changed)
        return;
    // Accounts are shared by many rows: one signal for the column, not a search for the rows.
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, int(Column::Account)),
                           index(int(m_rows.size()) - 1, int(Column::Account)));
    Q_EMIT accountsChanged();
}

QStringList EventTableModel::accountIdsWithoutNames() const
{
    QStringList ids;
    for (qsizetype i = 1; i < m_accounts.size(); ++i) {
        if (m_accounts.at(i).username.isEmpty())
            ids.append(m_accounts.at(i).id);
    }
    return ids;
}

void EventTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    resetTables();
    endResetModel();
    Q_EMIT countsChanged();
    Q_EMIT accountsChanged();
}

QList<std::pair<QString, qint64>> EventTableModel::countPerType() const
{
    QList<std::pair<QString, qint64>> counts;
    for (const TypeEntry &type : m_types) {
        if (type.count > 0)
            counts.append({type.name, type.count});
    }
    std::sort(counts.begin(), counts.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    return counts;
}

qint64 EventTableModel::countOfType(const QString &type) const
{
    const auto known = m_typeIndex.constFind(type);
    return known == m_typeIndex.cend() ? 0 : m_types.at(*known).count;
}

QList<std::pair<QString, QString>> EventTableModel::accounts() const
{
    QList<std::pair<QString, QString>> list;
    for (qsizetype i = 1; i < m_accounts.size(); ++i)
        list.append({m_accounts.at(i).id, accountLabel(quint32(i))});
    return list;
}

} // namespace activity
