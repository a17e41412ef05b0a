#pragma once

#include "ProfileStore.h"

#include <QAbstractTableModel>

namespace activity {

// The signed-in users of one profile (the accounts that can be subscribed), following the store,
// or (store null) the accounts it is given: the console's account selector.
class AccountTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Column { UserId, Username, SignedInAt, Count };
    enum Role { SortRole = Qt::UserRole + 1, UserIdRole };

    explicit AccountTableModel(ProfileStore *store = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setProfileId(const QString &profileId);
    // Without a store: shows exactly these accounts. Rows that stay keep their place.
    void setAccounts(const QList<Account> &accounts);
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
