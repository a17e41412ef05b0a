#include "SignInController.h"

#include "AccountSignIns.h"
#include "ApiClient.h"
#include "OAuth2SignInFlow.h"
#include "SignInBrowser.h"
#include "SignInFlow.h"

namespace activity {

SignInController::SignInController(ApiClient *client, ProfileStore *profiles, QString profileId,
                                   QString callbackUrl, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_profiles(profiles)
    , m_profileId(std::move(profileId))
    , m_callbackUrl(std::move(callbackUrl))
    , m_windowTitle(tr("Sign in to X"))
{
}

SignInController::~SignInController()
{
    delete m_browser; // ends the helper
}

SignInBrowser *SignInController::browser() const
{
    return m_browser;
}

void SignInController::useOAuth2(const QUrl &redirectUri, const QStringList &scopes)
{
    m_oauth2 = true;
    m_redirectUri = redirectUri;
    m_scopes = scopes;
}

void SignInController::start()
{
    if (m_oauth2) {
        m_oauth2Flow = new OAuth2SignInFlow(m_client, m_redirectUri, m_scopes, this);
        connect(m_oauth2Flow, &OAuth2SignInFlow::authorizeUrlReady, this, &SignInController::openBrowser);
        connect(m_oauth2Flow, &OAuth2SignInFlow::finished, this, &SignInController::oauth2FlowFinished);
        m_oauth2Flow->start();
        return;
    }
    m_flow = new SignInFlow(m_client, m_callbackUrl, this);
    connect(m_flow, &SignInFlow::authorizeUrlReady, this, &SignInController::openBrowser);
    connect(m_flow, &SignInFlow::finished, this, &SignInController::flowFinished);
    connect(m_flow, &SignInFlow::pinRejected, this, [this](ApiError error) {
        // The window answered once and is gone, so another try means a new sign-in.
        error.remedy = tr("Start the sign-in again and type the PIN X shows then; a PIN works once.");
        fail(error);
    });
    m_flow->start();
}

void SignInController::openBrowser(const QUrl &authorizeUrl)
{
    SignInBrowser::Request request;
    request.authorizeUrl = authorizeUrl;
    if (m_oauth2)
        request.callbackUrl = m_redirectUri;
    else if (!m_flow->isPinFlow())
        request.callbackUrl = QUrl(m_callbackUrl);
    // The authorize page's own origin is always allowed; X's pages may move between its hosts.
    request.allowedHosts = SignInBrowser::xHosts();
    request.title = m_windowTitle;
    m_browser = new SignInBrowser(this);
    if (m_oauth2) {
        connect(m_browser, &SignInBrowser::callbackReached, m_oauth2Flow, &OAuth2SignInFlow::handleRedirect);
        connect(m_browser, &SignInBrowser::closedByUser, m_oauth2Flow, &OAuth2SignInFlow::cancel);
    } else {
        connect(m_browser, &SignInBrowser::callbackReached, m_flow, &SignInFlow::handleCallback);
        connect(m_browser, &SignInBrowser::pinEntered, m_flow, &SignInFlow::submitPin);
        connect(m_browser, &SignInBrowser::closedByUser, m_flow, &SignInFlow::cancel);
    }
    connect(m_browser, &SignInBrowser::failed, this, [this](const ApiError &error) {
        // The window is gone: whatever the flow was waiting for will not come.
        fail(error);
    });
    m_browser->start(request);
    Q_EMIT browserOpened();
}

void SignInController::flowFinished()
{
    const Result<SignedInUser> &result = m_flow->result();
    if (!result) {
        fail(result.error());
        return;
    }
    keep(result.value().credentials());
}

void SignInController::oauth2FlowFinished()
{
    const Result<UserCredentials> &result = m_oauth2Flow->result();
    if (!result) {
        fail(result.error());
        return;
    }
    keep(result.value());
}

void SignInController::keep(const UserCredentials &signedIn)
{
    const Account account {signedIn.userId, signedIn.username, QDateTime::currentDateTimeUtc(),
                           signedIn.hasOAuth1(), signedIn.hasOAuth2()};
    auto done = [this](Account account, const UserCredentials &credentials) {
        closeBrowser();
        if (!m_done) {
            m_done = true;
            account.hasOAuth1 = credentials.hasOAuth1();
            account.hasOAuth2 = credentials.hasOAuth2();
            Q_EMIT succeeded(account, credentials);
        }
    };
    if (!m_profiles) {
        done(account, signedIn);
        return;
    }
    // An account that signed in the other way before keeps that sign-in too.
    accounts::keep(m_profiles, m_profileId, signedIn, this,
                   [this, account, done](const Result<UserCredentials> &kept) {
                       if (!kept) {
                           fail(kept.error());
                           return;
                       }
                       done(account, kept.value());
                   });
}

void SignInController::closeBrowser()
{
    if (!m_browser)
        return;
    // The window has done its part; a closed window must not report a second outcome.
    m_browser->disconnect(this);
    if (m_flow)
        m_browser->disconnect(m_flow);
    if (m_oauth2Flow)
        m_browser->disconnect(m_oauth2Flow);
    m_browser->cancel();
}

void SignInController::fail(const ApiError &error)
{
    closeBrowser();
    if (!m_done) {
        m_done = true;
        Q_EMIT failed(error);
    }
}

} // namespace activity
