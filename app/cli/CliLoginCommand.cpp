// activity-cli login: X's PIN flow, the account's tokens kept under the profile.
#include "CliFormat.h"
#include "CliRunner.h"
#include "ProfileStore.h"
#include "SignInFlow.h"

namespace activity::cli {

void Runner::login()
{
    if (m_profileId.isEmpty())
        return fail(ApiError::make(
            ApiError::Kind::MissingCredentials,
            QStringLiteral("'login' keeps the signed-in account under a stored profile, and none was given."),
            QStringLiteral("Pass --profile NAME (profiles are created in the console).")));
    if (!prepareClient({Operation::RequestToken, Operation::AccessToken}))
        return;
    // The terminal has no browser to catch a callback: always the PIN (out-of-band) flow.
    m_signIn = new SignInFlow(m_client.get(), QStringLiteral("oob"), this);
    connect(m_signIn, &SignInFlow::authorizeUrlReady, this, [this](const QUrl &url) {
        m_output.note(QStringLiteral("Open this address in a browser, sign in as the user to subscribe, and "
                                     "authorise the app:\n\n  ") +
                      url.toString(QUrl::FullyEncoded) + QLatin1Char('\n'));
        promptPin();
    });
    connect(m_signIn, &SignInFlow::pinRejected, this, [this](const ApiError &error) {
        m_output.error(error.text());
        promptPin();
    });
    connect(m_signIn, &SignInFlow::finished, this, [this] {
        stopReadingInput();
        if (!m_signIn->result())
            return fail(m_signIn->result().error());
        const SignedInUser user = m_signIn->result().value();
        const Account account {user.userId, user.username, QDateTime::currentDateTimeUtc()};
        m_profiles->saveAccount(m_profileId, account, AccountTokens {user.token, user.tokenSecret}, this,
                                [this, account](const Result<Done> &saved) {
                                    if (!saved)
                                        return fail(saved.error());
                                    format::signedIn(m_output, account, m_inv.profile);
                                    finish(ExitOk);
                                });
    });
    m_signIn->start();
}

void Runner::promptPin()
{
    m_output.prompt(QStringLiteral("PIN shown by X: "));
    readInput(128, [this](const QByteArray &typed) {
        if (typed.isEmpty()) {
            // The input closed before a PIN came: the person gave up.
            m_signIn->cancel();
            return;
        }
        m_signIn->submitPin(QString::fromLocal8Bit(typed).trimmed());
    });
}

} // namespace activity::cli
