#pragma once

#include "ProfileStore.h"

#include <QAbstractTableModel>

namespace activity {

// The signed-in users of one profile (the accounts that can be subscribed), following the store.
class AccountTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Column { UserId, Username, SignedInAt, Count };
    enum Role { SortRole = Qt::UserRole + 1, UserIdRole };

    explicit AccountTableModel(ProfileStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setProfileId(const QString &profileId);
    QString profileId() const { return m_profileId; }
    const Account &account(int row) const { return m_rows.at(row); }
    int rowOf(const QString &userId) const;

private:
    void reload();

    ProfileStore *m_store;
    QString m_profileId;
    QList<Account> m_rows;
};

} // namespace activity
