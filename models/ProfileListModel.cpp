#include "ProfileListModel.h"

#include <QSet>

namespace activity {

ProfileListModel::ProfileListModel(ProfileStore *store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
    if (!m_store)
        return;
    m_rows = m_store->profiles();
    m_currentId = m_store->currentProfileId();
    connect(m_store, &ProfileStore::profilesChanged, this, &ProfileListModel::reload);
    connect(m_store, &ProfileStore::currentProfileChanged, this, &ProfileListModel::setCurrentProfileId);
}

int ProfileListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ProfileListModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Profile &profile = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        if (profile.isSandbox)
            return tr("%1 (sandbox)").arg(profile.name);
        return profile.name;
    case SortRole:
        return profile.name;
    case Qt::ToolTipRole:
        return tr("%1 · %2").arg(profile.generation == ApiGeneration::V1_1 ? tr("v1.1 Enterprise")
                                                                           : tr("X API v2"),
                                 profile.baseUrl);
    case ProfileIdRole:
    case Qt::UserRole: // what QComboBox::currentData() and findData() read
        return profile.id;
    case IsSandboxRole:
        return profile.isSandbox;
    case IsCurrentRole:
        return profile.id == m_currentId;
    default:
        break;
    }
    return {};
}

int ProfileListModel::rowOf(const QString &profileId) const
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (m_rows.at(i).id == profileId)
            return i;
    }
    return -1;
}

void ProfileListModel::reload()
{
    if (m_store)
        setProfiles(m_store->profiles());
}

void ProfileListModel::setCurrentProfileId(const QString &profileId)
{
    const int before = rowOf(m_currentId);
    m_currentId = profileId;
    for (const int row : {before, rowOf(profileId)}) {
        if (row >= 0)
            Q_EMIT dataChanged(index(row), index(row), {IsCurrentRole});
    }
}

void ProfileListModel::setProfiles(const QList<Profile> &incoming)
{
    QSet<QString> ids;
    for (const Profile &profile : incoming)
        ids.insert(profile.id);
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (!ids.contains(m_rows.at(i).id)) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    // New profiles go after the one that precedes them in `incoming` (the store's name order, or the
    // console's built-in first); rows that stay keep their place.
    int previousRow = -1;
    for (const Profile &profile : incoming) {
        const int existing = rowOf(profile.id);
        if (existing >= 0) {
            if (!(m_rows.at(existing) == profile)) {
                m_rows[existing] = profile;
                Q_EMIT dataChanged(index(existing), index(existing));
            }
            previousRow = existing;
            continue;
        }
        const int row = previousRow + 1;
        beginInsertRows({}, row, row);
        m_rows.insert(row, profile);
        endInsertRows();
        previousRow = row;
    }
}

} // namespace activity
