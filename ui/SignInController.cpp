#include "SignInController.h"

#include "ApiClient.h"
#include "LoginDialog.h"
#include "SignInFlow.h"

namespace activity {

SignInController::SignInController(ApiClient *client, ProfileStore *profiles, QString profileId,
                                   QString callbackUrl, QWidget *dialogParent, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_profiles(profiles)
    , m_profileId(std::move(profileId))
    , m_callbackUrl(std::move(callbackUrl))
    , m_dialogParent(dialogParent)
{
}

SignInController::~SignInController()
{
    delete m_dialog;
}

LoginDialog *SignInController::dialog() const
{
    return m_dialog;
}

void SignInController::start()
{
    m_flow = new SignInFlow(m_client, m_callbackUrl, this);
    connect(m_flow, &SignInFlow::authorizeUrlReady, this, &SignInController::openDialog);
    connect(m_flow, &SignInFlow::finished, this, &SignInController::flowFinished);
    connect(m_flow, &SignInFlow::pinRejected, this, [this](const ApiError &error) {
        if (m_dialog)
            m_dialog->showProblem(error.text());
    });
    m_flow->start();
}

void SignInController::openDialog(const QUrl &authorizeUrl)
{
    LoginDialog::Options options;
    options.authorizeUrl = authorizeUrl;
    if (!m_flow->isPinFlow())
        options.callbackUrl = QUrl(m_callbackUrl);
    options.openExternally = m_openExternally;
    m_dialog = new LoginDialog(options, m_dialogParent);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &LoginDialog::callbackReached, m_flow, &SignInFlow::handleCallback);
    connect(m_dialog, &LoginDialog::pinSubmitted, m_flow, &SignInFlow::submitPin);
    connect(m_dialog, &LoginDialog::closedByUser, m_flow, &SignInFlow::cancel);
    m_dialog->open();
    Q_EMIT dialogOpened(m_dialog);
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
        if (m_dialog)
            m_dialog->accept();
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

void SignInController::fail(const ApiError &error)
{
    if (m_dialog) {
        // The dialog has done its part; a closed window must not report a second outcome.
        m_dialog->disconnect(m_flow);
        m_dialog->close();
    }
    if (!m_done) {
        m_done = true;
        Q_EMIT failed(error);
    }
}

} // namespace activity
