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

// What the window does with profiles and accounts that involves the person: the profile dialog
// (save, remove, show secrets), signing a user in through the sign-in window (the activity-signin helper),
// and removing a signed-in account after a confirmation. The profiles themselves are ConsoleProfiles'.
class ProfileActions : public QObject
{
    Q_OBJECT
public:
    ProfileActions(ConsoleProfiles *profiles, QNetworkAccessManager *network, ConfirmationPrompter *prompter,
                   MessageBar *messageBar, QWidget *window);

    // The profile the window works with, and its client (null: nothing can be sent).
    void setCurrent(const QString &profileId, ApiClient *client);

    ProfileDialog *openDialog();
    ProfileDialog *dialog() const { return m_dialog; }
    void signInWithBrowser();
    void removeAccount(const QString &userId, const QString &label);

Q_SIGNALS:
    // The current profile was saved with new values: it should be used again.
    void currentProfileSaved(const QString &profileId);
    // The current profile was removed: another one should be chosen.
    void currentProfileRemoved();
    void accountSignedIn(const QString &userId);

private:
    ConsoleProfiles *m_profiles;
    QNetworkAccessManager *m_network;
    ConfirmationPrompter *m_prompter;
    MessageBar *m_messageBar;
    QWidget *m_window;
    QString m_currentProfileId;
    QPointer<ApiClient> m_client;
    QPointer<ProfileDialog> m_dialog;
};

} // namespace activity
