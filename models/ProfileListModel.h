#pragma once

#include "ProfileStore.h"

#include <QAbstractListModel>

namespace activity {

// The profiles of a ProfileStore, for the profile combo box and the profile dialog's list. Follows
// the store: rows of profiles that stay keep their place, so a selection survives an edit.
class ProfileListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { SortRole = Qt::UserRole + 1, ProfileIdRole, IsSandboxRole, IsCurrentRole };

    explicit ProfileListModel(ProfileStore *store, QObject *parent = nullptr);

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
