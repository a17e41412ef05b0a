#pragma once

#include "ApiClient.h"
#include "OAuth2.h"
#include "Result.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QUrl>

namespace activity {

// OAuth 2.0 Authorization Code with PKCE without widgets (the sign-in window, activity-signin, and
// the CLI's loopback listener or pasted URL sit on top): a fresh verifier, challenge and state,
// the authorize URL; then the redirect is checked (state, error), the code exchanged at once
// (X's codes live 30 seconds) and GET /2/users/me tells whose token it is. Exactly one finished()
// per start(). The result is the user's credentials with only the OAuth 2.0 part set.
class OAuth2SignInFlow : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, WaitingForUser, Exchanging, Identifying, Succeeded, Failed };
    Q_ENUM(State)

    OAuth2SignInFlow(ApiClient *client, QUrl redirectUri, QStringList scopes, QObject *parent = nullptr);

    State state() const { return m_state; }
    QUrl redirectUri() const { return m_redirectUri; }
    QStringList scopes() const { return m_scopes; }
    QUrl authorizeUrl() const { return m_authorizeUrl; }
    // Valid once finished() was emitted.
    const Result<UserCredentials> &result() const { return m_result; }

    // authorizeUrlReady() follows on the event loop, or finished() with what is missing.
    void start();
    // The URL the browser was sent to (or the person pasted): must be the redirect URI.
    void handleRedirect(const QUrl &url);
    // The person closed the sign-in window or gave up.
    void cancel();

Q_SIGNALS:
    void authorizeUrlReady(const QUrl &url);
    void finished();

private:
    void exchange(const QByteArray &code);
    void identify(UserCredentials user);
    void finish(Result<UserCredentials> result);

    QPointer<ApiClient> m_client;
    QUrl m_redirectUri;
    QStringList m_scopes;
    State m_state = State::Idle;
    bool m_finished = false;
    oauth2::Pkce m_pkce;
    QUrl m_authorizeUrl;
    Result<UserCredentials> m_result {ApiError {}};
};

} // namespace activity
