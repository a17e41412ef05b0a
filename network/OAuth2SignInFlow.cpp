#include "OAuth2SignInFlow.h"

#include <QTimer>

namespace activity {

namespace {

ApiError signInError(ApiError::Kind kind, const QString &cause, const QString &remedy)
{
    return ApiError::make(kind, cause, remedy);
}

} // namespace

OAuth2SignInFlow::OAuth2SignInFlow(ApiClient *client, QUrl redirectUri, QStringList scopes, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_redirectUri(std::move(redirectUri))
    , m_scopes(oauth2::parseScopes(oauth2::joinScopes(scopes)))
{
}

void OAuth2SignInFlow::start()
{
    if (m_state == State::WaitingForUser || m_state == State::Exchanging || m_state == State::Identifying)
        return;
    m_finished = false;
    const auto failLater = [this](ApiError error) {
        m_state = State::Failed;
        QTimer::singleShot(0, this, [this, error] { finish(error); });
    };
    if (!m_client)
        return failLater(signInError(ApiError::Kind::MissingCredentials,
                                     tr("There is no connection to sign in with."),
                                     tr("Choose a profile first.")));
    if (m_client->configurationError())
        return failLater(*m_client->configurationError());
    // What a profile most often lacks is said before any browser opens.
    if (m_client->oauth2ClientId().isEmpty())
        return failLater(
            requests::missingCredentials(CredentialKind::OAuth2Client, QStringLiteral("OAuth 2.0 sign-in")));
    if (const auto problem = oauth2::redirectUriProblem(m_redirectUri))
        return failLater(
            signInError(ApiError::Kind::Validation, *problem,
                        tr("Set the profile's redirect URI to the callback URL registered in the "
                           "app's OAuth 2.0 settings in X's developer portal.")));
    if (m_scopes.isEmpty())
        return failLater(signInError(ApiError::Kind::Validation, tr("No OAuth 2.0 scopes are chosen."),
                                     tr("Choose the scopes in the profile (the Account Activity preset is a "
                                        "good start).")));
    m_pkce = oauth2::newPkce();
    m_authorizeUrl = oauth2::authorizeUrl({oauth2::authorizeEndpoint(m_client->config().baseUrl),
                                           QString::fromUtf8(m_client->oauth2ClientId()), m_redirectUri,
                                           m_scopes, m_pkce.state, m_pkce.challenge});
    m_state = State::WaitingForUser;
    QTimer::singleShot(0, this, [this] {
        if (m_state == State::WaitingForUser)
            Q_EMIT authorizeUrlReady(m_authorizeUrl);
    });
}

void OAuth2SignInFlow::handleRedirect(const QUrl &url)
{
    if (m_state != State::WaitingForUser)
        return;
    if (!oauth2::matchesRedirectUri(url, m_redirectUri)) {
        finish(signInError(
            ApiError::Kind::Validation,
            tr("The address given is not the profile's redirect URI (%1).").arg(m_redirectUri.toString()),
            tr("Paste the whole address the browser was sent to after approving the app.")));
        return;
    }
    const Result<QByteArray> code = oauth2::codeFromRedirect(oauth2::parseRedirect(url), m_pkce.state);
    if (!code) {
        finish(code.error());
        return;
    }
    exchange(code.value());
}

void OAuth2SignInFlow::cancel()
{
    if (m_state == State::Succeeded || m_state == State::Failed || m_state == State::Idle)
        return;
    finish(signInError(ApiError::Kind::Cancelled, tr("The sign-in was cancelled."),
                       tr("Sign in again when you are ready; nothing was changed.")));
}

void OAuth2SignInFlow::exchange(const QByteArray &code)
{
    if (!m_client) {
        finish(signInError(ApiError::Kind::Cancelled, tr("The connection closed during the sign-in."), {}));
        return;
    }
    m_state = State::Exchanging;
    m_client->exchangeOAuth2Code(code, m_redirectUri, m_pkce.verifier, m_scopes, this,
                                 [this](const Result<oauth2::Token> &token) {
                                     if (m_state != State::Exchanging)
                                         return;
                                     if (!token) {
                                         finish(token.error());
                                         return;
                                     }
                                     UserCredentials user;
                                     user.oauth2 = token.value();
                                     identify(user);
                                 });
}

void OAuth2SignInFlow::identify(UserCredentials user)
{
    if (!m_client) {
        finish(signInError(ApiError::Kind::Cancelled, tr("The connection closed during the sign-in."), {}));
        return;
    }
    m_state = State::Identifying;
    m_client->currentUser(user, this, [this, user](const Result<UserInfo> &me) {
        if (m_state != State::Identifying)
            return;
        if (!me) {
            ApiError error = me.error();
            error.cause = tr("X issued the token but did not say whose it is: %1").arg(error.cause);
            finish(error);
            return;
        }
        UserCredentials signedIn = user;
        signedIn.userId = me.value().id;
        signedIn.username = me.value().username;
        finish(signedIn);
    });
}

void OAuth2SignInFlow::finish(Result<UserCredentials> result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_state = result ? State::Succeeded : State::Failed;
    m_result = std::move(result);
    // The verifier has done its work; do not keep it.
    m_pkce = {};
    Q_EMIT finished();
}

} // namespace activity
