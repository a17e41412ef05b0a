#include "AccountTableModel.h"

#include "OAuth2.h"

#include <QSet>

namespace activity {

AccountRow AccountRow::fromCredentials(const UserCredentials &user, const QDateTime &signedInAt)
{
    AccountRow row;
    row.account.userId = user.userId;
    row.account.username = user.username;
    row.account.signedInAt = signedInAt;
    row.account.hasOAuth1 = user.hasOAuth1();
    row.account.hasOAuth2 = user.hasOAuth2();
    if (user.hasOAuth2()) {
        row.scopes = user.oauth2.scopes;
        row.expiresAt = user.oauth2.expiresAt;
        row.canRenew = !user.oauth2.refreshToken.isEmpty();
    }
    return row;
}

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
    const AccountRow &row = m_rows.at(index.row());
    const Account &account = row.account;
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::UserId:
            return account.userId;
        case Column::Username:
            // An account without a known username is named by its id (the combo box shows this).
            return account.username.isEmpty() ? account.userId : QLatin1Char('@') + account.username;
        case Column::SignInKind:
            return signInKindText(account);
        case Column::Scopes:
            return oauth2::joinScopes(row.scopes);
        case Column::Expires:
            return expiryText(row, now());
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
        case Column::SignInKind:
            return signInKindText(account);
        case Column::Scopes:
            return oauth2::joinScopes(row.scopes);
        case Column::Expires:
            return row.expiresAt;
        case Column::SignedInAt:
            return account.signedInAt;
        case Column::Count:
            break;
        }
        break;
    case Qt::ToolTipRole:
        if (column == Column::SignedInAt && account.signedInAt.isValid())
            return account.signedInAt.toUTC().toString(Qt::ISODate);
        if (column == Column::Expires && row.expiresAt.isValid())
            return tr("The OAuth 2.0 access token expires at %1 UTC.")
                .arg(row.expiresAt.toUTC().toString(Qt::ISODate));
        if (column == Column::Scopes && !row.scopes.isEmpty()) {
            QStringList lines;
            for (const QString &scope : row.scopes)
                lines.append(scope + QStringLiteral(": ") + oauth2::scopeReason(scope));
            return lines.join(QLatin1Char('\n'));
        }
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
    case Column::SignInKind:
        return tr("Sign-in");
    case Column::Scopes:
        return tr("Scopes granted");
    case Column::Expires:
        return tr("Token expires");
    case Column::SignedInAt:
        return tr("Signed in");
    case Column::Count:
        break;
    }
    return {};
}

QString AccountTableModel::signInKindText(const Account &account)
{
    if (account.hasOAuth1 && account.hasOAuth2)
        return tr("OAuth 1.0a + 2.0");
    if (account.hasOAuth2)
        return tr("OAuth 2.0");
    return tr("OAuth 1.0a");
}

QString AccountTableModel::expiryText(const AccountRow &row, const QDateTime &now)
{
    if (!row.account.hasOAuth2)
        return {};
    if (!row.expiresAt.isValid())
        return tr("no expiry given");
    const qint64 seconds = now.secsTo(row.expiresAt);
    if (seconds <= 0)
        return row.canRenew ? tr("expired — renews on next use") : tr("expired — sign in again");
    const qint64 minutes = seconds / 60;
    if (minutes < 1)
        return tr("in less than a minute");
    if (minutes < 60)
        return tr("in %1 min").arg(minutes);
    return tr("in %1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

QDateTime AccountTableModel::now() const
{
    return m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
}

void AccountTableModel::refreshExpiry()
{
    if (m_rows.isEmpty())
        return;
    const int column = int(Column::Expires);
    Q_EMIT dataChanged(index(0, column), index(int(m_rows.size()) - 1, column),
                       {Qt::DisplayRole, Qt::ToolTipRole});
}

int AccountTableModel::rowOf(const QString &userId) const
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (m_rows.at(i).account.userId == userId)
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
    m_rows.clear();
    if (m_store) {
        for (const Account &account : m_store->accounts(profileId))
            m_rows.append(AccountRow {account, {}, {}, false});
    }
    endResetModel();
}

void AccountTableModel::reload()
{
    if (m_store)
        setAccounts(m_store->accounts(m_profileId));
}

void AccountTableModel::setAccounts(const QList<Account> &accounts)
{
    QList<AccountRow> rows;
    for (const Account &account : accounts)
        rows.append(AccountRow {account, {}, {}, false});
    setRows(rows);
}

void AccountTableModel::setRows(const QList<AccountRow> &incoming)
{
    QSet<QString> ids;
    for (const AccountRow &row : incoming)
        ids.insert(row.account.userId);
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (!ids.contains(m_rows.at(i).account.userId)) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    for (const AccountRow &row : incoming) {
        const int existing = rowOf(row.account.userId);
        if (existing >= 0) {
            if (!(m_rows.at(existing) == row)) {
                m_rows[existing] = row;
                Q_EMIT dataChanged(index(existing, 0), index(existing, int(Column::Count) - 1));
            }
            continue;
        }
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at);
        m_rows.append(row);
        endInsertRows();
    }
}

} // namespace activity
