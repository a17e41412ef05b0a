#include "AccountTableModel.h"

#include <QSet>

namespace activity {

AccountTableModel::AccountTableModel(ProfileStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    if (!m_store)
        return;
    connect(m_store, &ProfileStore::accountsChanged, this, [this](const QString &profileId) {
        if (profileId == m_profileId)
            reload();
    });
    // A removed profile takes its accounts with it.
    connect(m_store, &ProfileStore::profilesChanged, this, &AccountTableModel::reload);
}

int AccountTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AccountTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant AccountTableModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Account &account = m_rows.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::UserId:
            return account.userId;
        case Column::Username:
            // An account without a known username is named by its id (the combo box shows this).
            return account.username.isEmpty() ? account.userId : QLatin1Char('@') + account.username;
        case Column::SignedInAt:
            return account.signedInAt.isValid()
                ? account.signedInAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                : QString();
        case Column::Count:
            break;
        }
        break;
    case SortRole:
        switch (column) {
        case Column::UserId: {
            bool ok = false;
            const qulonglong number = account.userId.toULongLong(&ok);
            return ok ? QVariant(number) : QVariant(account.userId);
        }
        case Column::Username:
            return account.username;
        case Column::SignedInAt:
            return account.signedInAt;
        case Column::Count:
            break;
        }
        break;
    case Qt::ToolTipRole:
        if (column == Column::SignedInAt && account.signedInAt.isValid())
            return account.signedInAt.toUTC().toString(Qt::ISODate);
        break;
    case UserIdRole:
    case Qt::UserRole: // what QComboBox::currentData() and findData() read
        return account.userId;
    default:
        break;
    }
    return {};
}

QVariant AccountTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::UserId:
        return tr("User id");
    case Column::Username:
        return tr("Username");
    case Column::SignedInAt:
        return tr("Signed in");
    case Column::Count:
        break;
    }
    return {};
}

int AccountTableModel::rowOf(const QString &userId) const
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (m_rows.at(i).userId == userId)
            return i;
    }
    return -1;
}

void AccountTableModel::setProfileId(const QString &profileId)
{
    if (profileId == m_profileId)
        return;
    beginResetModel();
    m_profileId = profileId;
    m_rows = m_store ? m_store->accounts(profileId) : QList<Account>();
    endResetModel();
}

void AccountTableModel::reload()
{
    if (m_store)
        setAccounts(m_store->accounts(m_profileId));
}

void AccountTableModel::setAccounts(const QList<Account> &incoming)
{
    QSet<QString> ids;
    for (const Account &account : incoming)
        ids.insert(account.userId);
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (!ids.contains(m_rows.at(i).userId)) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    for (const Account &account : incoming) {
        const int existing = rowOf(account.userId);
        if (existing >= 0) {
            if (!(m_rows.at(existing) == account)) {
                m_rows[existing] = account;
                Q_EMIT dataChanged(index(existing, 0), index(existing, int(Column::Count) - 1));
            }
            continue;
        }
        const int row = int(m_rows.size());
        beginInsertRows({}, row, row);
        m_rows.append(account);
        endInsertRows();
    }
}

} // namespace activity
