#pragma once

#include "ApiClient.h"
#include "ApiError.h"
#include "ProfileStore.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class QWidget;

namespace activity {

class ApiClient;
class LoginDialog;
class SignInFlow;

// Signs one user in to a profile's app: runs the three-legged flow, shows X's page in the
// embedded browser (created only now, never at console start), and keeps the account's tokens
// in the keychain through ProfileStore (none for the built-in sandbox, whose demo tokens are not
// secrets). Emits exactly one of succeeded() or failed().
class SignInController : public QObject
{
    Q_OBJECT
public:
    SignInController(ApiClient *client, ProfileStore *profiles, QString profileId, QString callbackUrl,
                     QWidget *dialogParent, QObject *parent = nullptr);
    ~SignInController() override;

    // Where off-site links and pop-ups go (the system browser unless a test injects its own).
    void setExternalOpener(std::function<void(const QUrl &)> opener) { m_openExternally = std::move(opener); }
    void start();
    LoginDialog *dialog() const;

Q_SIGNALS:
    void dialogOpened(activity::LoginDialog *dialog);
    // `credentials` are the new account's tokens, for use in memory; they are already in the
    // keychain unless the controller was given no ProfileStore (the built-in sandbox profile).
    void succeeded(const activity::Account &account, const activity::UserCredentials &credentials);
    void failed(const activity::ApiError &error);

private:
    void openDialog(const QUrl &authorizeUrl);
    void flowFinished();
    void fail(const ApiError &error);

    QPointer<ApiClient> m_client;
    QPointer<ProfileStore> m_profiles;
    QString m_profileId;
    QString m_callbackUrl;
    QPointer<QWidget> m_dialogParent;
    std::function<void(const QUrl &)> m_openExternally;
    SignInFlow *m_flow = nullptr;
    QPointer<LoginDialog> m_dialog;
    bool m_done = false;
};

} // namespace activity
