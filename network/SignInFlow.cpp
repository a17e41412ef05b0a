#include "SignInFlow.h"

#include "NetworkLogging.h"

#include <QRegularExpression>
#include <QUrlQuery>

namespace activity {

SignInFlow::SignInFlow(ApiClient *client, QString callbackUrl, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_callbackUrl(std::move(callbackUrl))
{
}

ApiError SignInFlow::signInError(ApiError::Kind kind, const QString &cause, const QString &remedy)
{
    return ApiError::make(kind, cause, remedy);
}

void SignInFlow::start()
{
    if (m_state == State::RequestingToken || m_state == State::WaitingForUser ||
        m_state == State::ExchangingVerifier)
        return;
    if (!m_client) {
        finish(signInError(ApiError::Kind::MissingCredentials, tr("There is no connection to sign in with."),
                           tr("Choose a profile first.")));
        return;
    }
    m_state = State::RequestingToken;
    m_client->requestToken(callbackUrl(), this, [this](const Result<OAuthTokens> &tokens) {
        if (!tokens) {
            finish(tokens.error());
            return;
        }
        m_requestToken = tokens.value().token;
        m_requestTokenSecret = tokens.value().tokenSecret;
        QUrl url = m_client->config().baseUrl;
        url.setPath(QStringLiteral("/oauth/authorize"));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("oauth_token"), QString::fromLatin1(m_requestToken));
        query.addQueryItem(QStringLiteral("force_login"), QStringLiteral("true"));
        url.setQuery(query);
        m_authorizeUrl = url;
        m_state = State::WaitingForUser;
        Q_EMIT authorizeUrlReady(m_authorizeUrl);
    });
}

SignInCallback parseSignInCallback(const QUrl &url)
{
    const QUrlQuery query(url);
    SignInCallback callback;
    callback.denied = query.hasQueryItem(QStringLiteral("denied"));
    callback.token = query.queryItemValue(QStringLiteral("oauth_token"), QUrl::FullyDecoded).toUtf8();
    callback.verifier = query.queryItemValue(QStringLiteral("oauth_verifier"), QUrl::FullyDecoded).toUtf8();
    return callback;
}

void SignInFlow::handleCallback(const QUrl &url)
{
    if (m_state != State::WaitingForUser)
        return;
    const SignInCallback callback = parseSignInCallback(url);
    if (callback.denied) {
        finish(signInError(ApiError::Kind::Permission,
                           tr("The sign-in was declined: the app was not authorised for this account."),
                           tr("Sign in again and choose \"Authorize app\" to subscribe this account.")));
        return;
    }
    const QByteArray &token = callback.token;
    const QByteArray &verifier = callback.verifier;
    if (token.isEmpty() || verifier.isEmpty()) {
        finish(signInError(ApiError::Kind::MalformedResponse,
                           tr("X came back to the callback without a token and verifier."),
                           tr("Start the sign-in again. If it keeps happening, check the callback URL "
                              "registered for the app in the developer portal.")));
        return;
    }
    if (token != m_requestToken) {
        // A callback for another sign-in (or a forged one) must never complete this one.
        finish(signInError(ApiError::Kind::Authentication,
                           tr("The sign-in came back with a different request token than the one it started "
                              "with, so it was not accepted."),
                           tr("Close other sign-in windows and start the sign-in again.")));
        return;
    }
    exchange(verifier);
}

void SignInFlow::submitPin(const QString &pin)
{
    if (m_state != State::WaitingForUser || !isPinFlow())
        return;
    const QString digits = pin.trimmed();
    static const QRegularExpression onlyDigits(QStringLiteral("^[0-9]{4,16}$"));
    if (!onlyDigits.match(digits).hasMatch()) {
        Q_EMIT pinRejected(signInError(ApiError::Kind::Validation,
                                       tr("The PIN is the number X shows after you "
                                          "authorise the app (usually 7 digits)."),
                                       tr("Type the digits exactly as shown.")));
        return;
    }
    exchange(digits.toLatin1());
}

void SignInFlow::exchange(const QByteArray &verifier)
{
    if (!m_client) {
        cancel();
        return;
    }
    m_state = State::ExchangingVerifier;
    m_client->accessToken(
        m_requestToken, m_requestTokenSecret, verifier, this, [this](const Result<OAuthTokens> &tokens) {
            if (!tokens) {
                ApiError error = tokens.error();
                if (isPinFlow() && (error.kind == ApiError::Kind::Authentication)) {
                    // X answers a wrong PIN with 401; let the person try again.
                    m_state = State::WaitingForUser;
                    error.cause = tr("X did not accept the PIN (%1).").arg(error.cause);
                    error.remedy = tr("Check the digits and try again; a PIN works once. If "
                                      "it keeps failing, start the sign-in again.");
                    Q_EMIT pinRejected(error);
                    return;
                }
                if (error.kind == ApiError::Kind::Authentication) {
                    error.cause = tr("X did not accept the sign-in's verifier: the sign-in took too long, "
                                     "was already used, or belongs to another sign-in.");
                    error.remedy = tr("Start the sign-in again.");
                }
                finish(error);
                return;
            }
            const OAuthTokens &t = tokens.value();
            finish(SignedInUser {t.userId, t.screenName, t.token, t.tokenSecret});
        });
}

void SignInFlow::cancel()
{
    if (m_state == State::Succeeded || m_state == State::Failed || m_state == State::Idle)
        return;
    finish(signInError(ApiError::Kind::Cancelled,
                       tr("The sign-in window was closed before the sign-in finished."),
                       tr("Nothing was saved. Start the sign-in again when you are ready.")));
}

void SignInFlow::finish(Result<SignedInUser> result)
{
    m_state = result ? State::Succeeded : State::Failed;
    m_requestTokenSecret.clear();
    if (!result)
        qCInfo(lcOAuth) << "sign-in ended:" << result.error().cause;
    m_result = std::move(result);
    Q_EMIT finished();
}

} // namespace activity
