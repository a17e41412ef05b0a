#pragma once

#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QWidget;

namespace activity {

class ApiClient;
class ConfirmationPrompter;
class ConsoleProfiles;
class MessageBar;
class ProfileDialog;
class ProfileStore;
class UserTokenKeeper;

// What the window does with profiles and accounts that involves the person: the profile dialog
// (save, remove, show secrets), signing a user in through the sign-in window (the activity-signin
// helper) with OAuth 1.0a or OAuth 2.0, and removing a signed-in account after a confirmation
// (revoking its OAuth 2.0 sign-in at X first). The profiles themselves are ConsoleProfiles'.
class ProfileActions : public QObject
{
    Q_OBJECT
public:
    ProfileActions(ConsoleProfiles *profiles, QNetworkAccessManager *network, ConfirmationPrompter *prompter,
                   MessageBar *messageBar, QWidget *window);

    // The profile the window works with, its client (null: nothing can be sent) and the keeper of
    // its accounts' OAuth 2.0 tokens.
    void setCurrent(const QString &profileId, ApiClient *client, UserTokenKeeper *tokenKeeper);

    ProfileDialog *openDialog();
    ProfileDialog *dialog() const { return m_dialog; }
    void signInWithBrowser();
    // OAuth 2.0 with PKCE, with the profile's redirect URI and scopes; when the profile lacks the
    // client id or redirect URI, the message bar says what to fill in and offers the profile dialog.
    void signInWithOAuth2();
    void removeAccount(const QString &userId, const QString &label);

Q_SIGNALS:
    // The current profile was saved with new values: it should be used again.
    void currentProfileSaved(const QString &profileId);
    // The current profile was removed: another one should be chosen.
    void currentProfileRemoved();
    void accountSignedIn(const QString &userId);

private:
    void signIn(bool oauth2);

    ConsoleProfiles *m_profiles;
    QNetworkAccessManager *m_network;
    ConfirmationPrompter *m_prompter;
    MessageBar *m_messageBar;
    QWidget *m_window;
    QString m_currentProfileId;
    QPointer<ApiClient> m_client;
    QPointer<UserTokenKeeper> m_tokenKeeper;
    QPointer<ProfileDialog> m_dialog;
};

} // namespace activity
