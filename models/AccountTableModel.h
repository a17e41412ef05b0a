#pragma once

#include "ApiClient.h"
#include "ProfileStore.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QStringList>

#include <functional>

namespace activity {

// One signed-in account as the account table shows it: who, how they signed in, and for an
// OAuth 2.0 sign-in the scopes granted and when the access token expires. Never a token: only
// whether a refresh token is held.
struct AccountRow
{
    Account account;
    QStringList scopes; // granted to the OAuth 2.0 sign-in, sorted; empty without one
    QDateTime expiresAt; // of the OAuth 2.0 access token (UTC); invalid: none, or X gave no expiry
    bool canRenew = false; // a refresh token is held: an expired access token renews on the next call

    // What an account's credentials say about it, without keeping any of their tokens.
    static AccountRow fromCredentials(const UserCredentials &user, const QDateTime &signedInAt = {});

    friend bool operator==(const AccountRow &, const AccountRow &) = default;
};

// The signed-in users of one profile (the accounts that can be subscribed), following the store,
// or (store null) the accounts it is given: the console's account selector. The store only knows
// how each account signed in; the granted scopes and the token expiry come with setRows() from the
// accounts in memory (their OAuth 2.0 part read from the keychain).
class AccountTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Column { UserId, Username, SignInKind, Scopes, Expires, SignedInAt, Count };
    enum Role { SortRole = Qt::UserRole + 1, UserIdRole };

    explicit AccountTableModel(ProfileStore *store = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // UTC now, for "in 1 h 52 min"; empty: the system clock.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }
    // The expiry column says how long from now: call now and then (the pane does every minute).
    void refreshExpiry();

    void setProfileId(const QString &profileId);
    // Without a store: shows exactly these accounts. Rows that stay keep their place.
    void setAccounts(const QList<Account> &accounts);
    void setRows(const QList<AccountRow> &rows);
    QString profileId() const { return m_profileId; }
    const Account &account(int row) const { return m_rows.at(row).account; }
    const AccountRow &row(int row) const { return m_rows.at(row); }
    int rowOf(const QString &userId) const;

    // "OAuth 1.0a", "OAuth 2.0" or "OAuth 1.0a + 2.0".
    static QString signInKindText(const Account &account);
    // "in 1 h 52 min", "expired — renews on next use", "expired — sign in again"; empty without
    // an OAuth 2.0 sign-in.
    static QString expiryText(const AccountRow &row, const QDateTime &now);

private:
    void reload();
    QDateTime now() const;

    ProfileStore *m_store;
    QString m_profileId;
    QList<AccountRow> m_rows;
    std::function<QDateTime()> m_clock;
};

} // namespace activity
