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
class MessageBar;
class UserCache;
class WriteRecorder;

// What every pane of the main window works with: the active profile and its ApiClient, the
// recorder every write action goes through, the user cache, the prompter for destructive actions,
// and one place for status, busy state and errors. The window sets the profile; each pane reacts
// to profileChanged() by dropping what it showed.
class PaneContext : public QObject
{
    Q_OBJECT
public:
    PaneContext(QNetworkAccessManager *network, ConfirmationPrompter *prompter, MessageBar *messageBar,
                WriteRecorder *recorder, std::function<QDateTime()> clock, QObject *parent = nullptr);
    ~PaneContext() override;

    // The active profile and its client (null: the profile's secrets are missing, nothing is sent).
    void setProfile(const ResolvedProfile &profile, ApiClient *client);
    // The active profile's signed-in accounts changed (sign-in, removal).
    void setAccounts(const QList<UserCredentials> &accounts);

    bool hasProfile() const { return m_profile.has_value(); }
    const ResolvedProfile &profile() const { return *m_profile; }
    ApiClient *client() const { return m_client; }
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
    void showError(const ApiError &error);
    // A warning for the "errors" X sent next to a successful answer.
    void showPartialErrors(const QList<ApiError> &problems);

Q_SIGNALS:
    void profileChanged();
    void accountsChanged();
    void statusChanged(const QString &text);
    void busyChanged(bool busy);
    void callFailed(const activity::ApiError &error);

private:
    QNetworkAccessManager *m_network;
    ConfirmationPrompter *m_prompter;
    MessageBar *m_messageBar;
    WriteRecorder *m_recorder;
    std::function<QDateTime()> m_clock;
    std::optional<ResolvedProfile> m_profile;
    QPointer<ApiClient> m_client;
    std::unique_ptr<UserCache> m_userCache;
    int m_runningCalls = 0;
};

} // namespace activity
