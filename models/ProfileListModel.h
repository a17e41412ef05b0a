#pragma once

#include "ProfileStore.h"

#include <QAbstractListModel>

namespace activity {

// The profiles of a ProfileStore, or (store null) the profiles it is given: the console's profile
// selector. Follows the store: rows of profiles that stay keep their place, so a selection survives an edit.
class ProfileListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { SortRole = Qt::UserRole + 1, ProfileIdRole, IsSandboxRole, IsCurrentRole };

    explicit ProfileListModel(ProfileStore *store = nullptr, QObject *parent = nullptr);
    // Without a store: shows exactly these profiles, in this order for new rows' neighbours; rows
    // that stay keep their place.
    void setProfiles(const QList<Profile> &profiles);
    void setCurrentProfileId(const QString &profileId);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    int rowOf(const QString &profileId) const;
    const Profile &profile(int row) const { return m_rows.at(row); }

private:
    void reload();

    ProfileStore *m_store;
    QList<Profile> m_rows;
    QString m_currentId;
};

} // namespace activity
