#pragma once

#include "ApiClient.h"
#include "ApiTypes.h"
#include "Result.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

namespace activity {

// The person who signed in and the access token X issued for them (subscribing-user context).
struct SignedInUser
{
    QString userId;
    QString username;
    QByteArray token;
    QByteArray tokenSecret;

    UserCredentials credentials() const
    {
        UserCredentials user;
        user.token = token;
        user.tokenSecret = tokenSecret;
        user.userId = userId;
        user.username = username;
        return user;
    }
};

// What X put on the callback URL after the person decided (pure, so it can be fuzzed).
struct SignInCallback
{
    bool denied = false; // "denied=<token>": the person chose not to authorise the app
    QByteArray token; // oauth_token, fully decoded
    QByteArray verifier; // oauth_verifier, fully decoded
};
SignInCallback parseSignInCallback(const QUrl &url);

// Three-legged OAuth 1.0a without widgets (the browser dialog and the CLI's PIN prompt sit on
// top): request_token with the callback (or "oob" for the PIN flow), the authorize URL with
// force_login so the previous person's session is never reused, then access_token with the
// verifier. The token coming back through the callback must be the one requested. Exactly one
// finished() per start().
class SignInFlow : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, RequestingToken, WaitingForUser, ExchangingVerifier, Succeeded, Failed };
    Q_ENUM(State)

    // `callbackUrl` empty or "oob": PIN flow.
    SignInFlow(ApiClient *client, QString callbackUrl, QObject *parent = nullptr);

    bool isPinFlow() const { return m_callbackUrl.isEmpty() || m_callbackUrl == QLatin1String("oob"); }
    QString callbackUrl() const { return isPinFlow() ? QStringLiteral("oob") : m_callbackUrl; }
    State state() const { return m_state; }
    QUrl authorizeUrl() const { return m_authorizeUrl; }
    // Valid once finished() was emitted.
    const Result<SignedInUser> &result() const { return m_result; }

    void start();
    // The URL the browser was sent to after the person approved or denied.
    void handleCallback(const QUrl &url);
    // The PIN X showed (PIN flow); may be retried after a wrong PIN.
    void submitPin(const QString &pin);
    // The person closed the sign-in window.
    void cancel();

Q_SIGNALS:
    void authorizeUrlReady(const QUrl &url);
    // A wrong PIN: the flow stays open for another try.
    void pinRejected(const activity::ApiError &error);
    void finished();

private:
    void exchange(const QByteArray &verifier);
    void finish(Result<SignedInUser> result);
    static ApiError signInError(ApiError::Kind kind, const QString &cause, const QString &remedy);

    QPointer<ApiClient> m_client;
    QString m_callbackUrl;
    State m_state = State::Idle;
    QByteArray m_requestToken;
    QByteArray m_requestTokenSecret;
    QUrl m_authorizeUrl;
    Result<SignedInUser> m_result {ApiError {}};
};

} // namespace activity
