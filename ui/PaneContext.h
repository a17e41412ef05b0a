#pragma once

#include "ApiClient.h"
#include "ResolvedProfile.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QWidget;

namespace activity {

class ConfirmationPrompter;
class ConsoleProfiles;
class MessageBar;
class UserCache;
class UserTokenKeeper;
class WriteRecorder;

// What every pane of the main window works with: the active profile and its ApiClient, the
// keeper of its accounts' OAuth 2.0 tokens (every call as a user goes through it), the recorder
// every write action goes through, the user cache, the prompter for destructive actions, and one
// place for status, busy state and errors. The window sets the profile; each pane reacts to
// profileChanged() by dropping what it showed.
class PaneContext : public QObject
{
    Q_OBJECT
public:
    // `profiles`: where refreshed OAuth 2.0 tokens are kept (memory, and the keychain for a stored
    // profile); may be null (then they live in the keeper only).
    PaneContext(QNetworkAccessManager *network, ConfirmationPrompter *prompter, MessageBar *messageBar,
                WriteRecorder *recorder, ConsoleProfiles *profiles, std::function<QDateTime()> clock,
                QObject *parent = nullptr);
    ~PaneContext() override;

    // The active profile and its client (null: the profile's secrets are missing, nothing is sent).
    // A new token keeper comes with the client.
    void setProfile(const ResolvedProfile &profile, ApiClient *client);
    // The active profile's signed-in accounts changed (sign-in, removal).
    void setAccounts(const QList<UserCredentials> &accounts);

    bool hasProfile() const { return m_profile.has_value(); }
    const ResolvedProfile &profile() const { return *m_profile; }
    ApiClient *client() const { return m_client; }
    // Calls as a signed-in user go through it (fresh OAuth 2.0 token, one retry after a 401); null
    // without a client.
    UserTokenKeeper *tokenKeeper() const { return m_tokenKeeper; }
    WriteRecorder *recorder() const { return m_recorder; }
    UserCache *userCache() const { return m_userCache.get(); }
    ConfirmationPrompter *prompter() const { return m_prompter; }
    MessageBar *messageBar() const { return m_messageBar; }
    QNetworkAccessManager *network() const { return m_network; }
    std::function<QDateTime()> clock() const { return m_clock; }
    QDateTime now() const;

    void setStatus(const QString &text) { Q_EMIT statusChanged(text); }
    void callStarted();
    void callEnded();
    bool isBusy() const { return m_runningCalls > 0; }
    // An error named "sign_in_again" only counts as a failed call here: the warning with its
    // "Sign in again" button is already on show.
    void showError(const ApiError &error);
    // A warning for the "errors" X sent next to a successful answer.
    void showPartialErrors(const QList<ApiError> &problems);

Q_SIGNALS:
    void profileChanged();
    void accountsChanged();
    void statusChanged(const QString &text);
    void busyChanged(bool busy);
    void callFailed(const activity::ApiError &error);
    // An account's OAuth 2.0 sign-in could not be renewed; the message bar says so.
    void signInNeeded(const QString &userId);
    // The person chose "Sign in again" (OAuth 2.0) in the message bar.
    void oauth2SignInRequested();

private:
    void makeTokenKeeper(const ResolvedProfile &profile, ApiClient *client);

    QNetworkAccessManager *m_network;
    ConfirmationPrompter *m_prompter;
    MessageBar *m_messageBar;
    WriteRecorder *m_recorder;
    QPointer<ConsoleProfiles> m_profiles;
    std::function<QDateTime()> m_clock;
    std::optional<ResolvedProfile> m_profile;
    QPointer<ApiClient> m_client;
    UserTokenKeeper *m_tokenKeeper = nullptr;
    std::unique_ptr<UserCache> m_userCache;
    int m_runningCalls = 0;
};

} // namespace activity
