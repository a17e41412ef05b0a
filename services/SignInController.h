#pragma once

#include "ApiClient.h"
#include "ApiError.h"
#include "ProfileStore.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

namespace activity {

class ApiClient;
class OAuth2SignInFlow;
class SignInBrowser;
class SignInFlow;

// Signs one user in to a profile's app: runs the three-legged flow (SignInFlow, in this process) or
// OAuth 2.0 with PKCE (OAuth2SignInFlow, useOAuth2()),
// shows X's page in the sign-in window (the activity-signin helper, started only now, through
// SignInBrowser), and keeps the account's tokens in the keychain through ProfileStore (none for the
// built-in sandbox, whose demo tokens are not secrets). The window only ever sees the authorize
// URL; the verifier or PIN it hands back is exchanged here. Emits exactly one of succeeded() or
// failed(); deleting the controller closes the window.
class SignInController : public QObject
{
    Q_OBJECT
public:
    SignInController(ApiClient *client, ProfileStore *profiles, QString profileId, QString callbackUrl,
                     QObject *parent = nullptr);
    ~SignInController() override;

    // OAuth 2.0 Authorization Code with PKCE instead of OAuth 1.0a: the window is sent to X's
    // authorize page and hands back the redirect to `redirectUri`, caught before anything is sent
    // there; the code is exchanged here. Call before start().
    void useOAuth2(const QUrl &redirectUri, const QStringList &scopes);
    // The sign-in window's title (the helper shows it; it has no translations of its own).
    void setWindowTitle(const QString &title) { m_windowTitle = title; }
    void start();
    // The client of the window while it is open (null before and after).
    SignInBrowser *browser() const;

Q_SIGNALS:
    void browserOpened();
    // `credentials` are the new account's tokens, for use in memory; they are already in the
    // keychain unless the controller was given no ProfileStore (the built-in sandbox profile).
    void succeeded(const activity::Account &account, const activity::UserCredentials &credentials);
    void failed(const activity::ApiError &error);

private:
    void openBrowser(const QUrl &authorizeUrl);
    void flowFinished();
    void oauth2FlowFinished();
    void keep(const UserCredentials &signedIn);
    void fail(const ApiError &error);
    void closeBrowser();

    QPointer<ApiClient> m_client;
    QPointer<ProfileStore> m_profiles;
    QString m_profileId;
    QString m_callbackUrl;
    QString m_windowTitle;
    SignInFlow *m_flow = nullptr;
    OAuth2SignInFlow *m_oauth2Flow = nullptr;
    QUrl m_redirectUri;
    QStringList m_scopes;
    bool m_oauth2 = false;
    QPointer<SignInBrowser> m_browser;
    bool m_done = false;
};

} // namespace activity
