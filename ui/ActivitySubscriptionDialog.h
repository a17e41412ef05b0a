#pragma once

#include "ApiClient.h"
#include "ApiTypes.h"

#include <QDialog>
#include <QHash>

#include <functional>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QStandardItemModel;
class QTimer;

namespace activity {

class AccountTableModel;

namespace xaa {
struct EventType;
}

// Creates an X Activity API subscription, or (edit mode) changes its tag and webhook. The event
// types come from the one table (ActivityEventTypes.h), grouped by family, with each type's
// description, visibility and scope; only the filter fields the chosen type takes are enabled. A
// type that needs a user's OAuth 2.0 token enables the account picker (the profile's accounts
// signed in with OAuth 2.0); for mute and block (actor-only) the filter's user is that account
// and locked. OK stays disabled, with the check's message and remedy beside it, until
// xaa::checkCreate (or checkUpdate) accepts the input. The dialog sends nothing: the pane reads
// request(), account() or update() after accept().
class ActivitySubscriptionDialog : public QDialog
{
    Q_OBJECT
public:
    // @name → user id for names the console already knows (signed-in accounts, looked-up users);
    // nullopt when unknown.
    using UsernameResolver = std::function<std::optional<QString>(const QString &username)>;
    // Asks X for a name the resolver does not know (GET /2/users/by); `done` gets the id, or
    // nullopt when X knows no such user or the lookup failed.
    using UsernameLookup = std::function<void(const QString &username, QObject *context,
                                              std::function<void(std::optional<QString> userId)> done)>;

    explicit ActivitySubscriptionDialog(QWidget *parent = nullptr);
    ~ActivitySubscriptionDialog() override;

    // The profile's signed-in accounts; only those with an OAuth 2.0 sign-in are offered.
    void setAccounts(const QList<UserCredentials> &accounts);
    // The profile's webhooks, offered after "Stream only (no webhook)".
    void setWebhooks(const QList<Webhook> &webhooks);
    void setUsernameResolver(UsernameResolver resolver);
    void setUsernameLookup(UsernameLookup lookup);
    // A lookup of a typed @name is under way.
    bool isLookingUp() const { return !m_lookingUp.isEmpty(); }
    // Edit mode: only the tag and the webhook can change.
    void setSubscription(const ActivitySubscription &subscription, const QString &filterText);

    bool isEditing() const { return m_editing.has_value(); }
    // Selects an event type by any accepted name; false when unknown.
    bool selectEventType(const QString &name);
    QString eventType() const;
    // What a create sends, and the account it is signed as (only for a type that needs a user token).
    ActivitySubscriptionRequest request() const;
    std::optional<UserCredentials> account() const;
    // What an edit sends: only what changed.
    ActivitySubscriptionUpdate update() const;
    // The reason OK is disabled ("cause remedy"); empty when it is enabled.
    QString problem() const;
    bool canSubmit() const;

private:
    void rebuildEventTypes();
    void eventTypeChanged();
    void revalidate();
    const xaa::EventType *currentType() const;
    // The filter's user id from the field or the locked account; error text when it cannot be resolved.
    QString userIdFromField(QString *problem) const;
    const UserCredentials *currentAccount() const;

    QList<UserCredentials> m_accounts; // OAuth 2.0 sign-ins only
    UsernameResolver m_resolver;
    UsernameLookup m_lookup;
    QHash<QString, std::optional<QString>> m_lookedUp; // case-folded name → id (nullopt: none)
    QString m_lookingUp; // the name asked for now
    QString m_lookupWanted; // the name to ask for when the typing pauses
    QTimer *m_lookupTimer = nullptr;
    std::optional<ActivitySubscription> m_editing;
    QString m_problem;

    QStandardItemModel *m_typeModel = nullptr;
    QComboBox *m_eventType = nullptr;
    QLabel *m_typeDetails = nullptr;
    QLineEdit *m_userId = nullptr;
    QLineEdit *m_keyword = nullptr;
    QComboBox *m_direction = nullptr;
    AccountTableModel *m_accountModel = nullptr;
    QComboBox *m_account = nullptr;
    QLabel *m_accountHint = nullptr;
    QComboBox *m_webhook = nullptr;
    QLineEdit *m_tag = nullptr;
    QLabel *m_readOnlyNote = nullptr;
    QLabel *m_problemLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace activity
