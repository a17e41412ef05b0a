#include "SignInController.h"

#include "ApiClient.h"
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

void SignInController::start()
{
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
    if (!m_flow->isPinFlow())
        request.callbackUrl = QUrl(m_callbackUrl);
    // The authorize page's own origin is always allowed; X's pages may move between its hosts.
    request.allowedHosts = SignInBrowser::xHosts();
    request.title = m_windowTitle;
    m_browser = new SignInBrowser(this);
    connect(m_browser, &SignInBrowser::callbackReached, m_flow, &SignInFlow::handleCallback);
    connect(m_browser, &SignInBrowser::pinEntered, m_flow, &SignInFlow::submitPin);
    connect(m_browser, &SignInBrowser::closedByUser, m_flow, &SignInFlow::cancel);
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
    const SignedInUser user = result.value();
    const Account account {user.userId, user.username, QDateTime::currentDateTimeUtc()};
    auto done = [this, account, credentials = user.credentials()] {
        closeBrowser();
        if (!m_done) {
            m_done = true;
            Q_EMIT succeeded(account, credentials);
        }
    };
    if (!m_profiles) {
        done();
        return;
    }
    m_profiles->saveAccount(m_profileId, account, AccountTokens {user.token, user.tokenSecret}, this,
                            [this, done](const Result<Done> &saved) {
                                if (!saved) {
                                    fail(saved.error());
                                    return;
                                }
                                done();
                            });
}

void SignInController::closeBrowser()
{
    if (!m_browser)
        return;
    // The window has done its part; a closed window must not report a second outcome.
    m_browser->disconnect(this);
    m_browser->disconnect(m_flow);
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
