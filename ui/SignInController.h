#pragma once

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
// in the keychain through ProfileStore. Emits exactly one of succeeded() or failed().
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
    LoginDialog *dialog() const { return m_dialog; }

Q_SIGNALS:
    void dialogOpened(activity::LoginDialog *dialog);
    void succeeded(const activity::Account &account);
    void failed(const activity::ApiError &error);

private:
    void openDialog(const QUrl &authorizeUrl);
    void flowFinished();
    void fail(const ApiError &error);

    QPointer<ApiClient> m_client;
    ProfileStore *m_profiles;
    QString m_profileId;
    QString m_callbackUrl;
    QPointer<QWidget> m_dialogParent;
    std::function<void(const QUrl &)> m_openExternally;
    SignInFlow *m_flow = nullptr;
    QPointer<LoginDialog> m_dialog;
    bool m_done = false;
};

} // namespace activity
