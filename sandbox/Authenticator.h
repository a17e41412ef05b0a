#pragma once

// Internal to the sandbox library: the authenticator. Recomputes OAuth 1.0a signatures over what
// actually arrived, checks bearer tokens (the app's, or users' OAuth 2.0 access tokens with their
// scopes), remembers nonces, and decides whether the credential presented is the kind a route takes.

#include "Exchange.h"

#include <QDateTime>
#include <QHash>

#include <deque>
#include <optional>

namespace activity::sandbox {

class World;

// Which credential a route demands.
enum class AuthNeed {
    None,
    AppOnly, // bearer
    OwnerOnly, // OAuth1 with the app owner's token
    AppOrOwner, // bearer or OAuth1 with the owner's token (v2 webhook writes, per the OpenAPI)
    UserOnly, // OAuth1 with any user's access token (the owner included)
    AppOrUser, // bearer or OAuth1 user token
    ConsumerOnly, // OAuth1 without a token (request_token)
    RequestToken, // OAuth1 with a request token (access_token)
};

class Authenticator
{
public:
    explicit Authenticator(World &world);

    // Fills ex's credential fields (what was presented, whether it holds, app, user, token) and
    // answers nothing when the route may go on; otherwise the refusal to send, in the route's
    // family's envelope.
    std::optional<Reply> authenticate(Exchange &ex, const Route &route);

    // Drops the oldest remembered nonces beyond the world's limits.nonces.
    void forgetOldNonces();

private:
    std::optional<Reply> authenticateBearer(Exchange &ex, const Route &route);
    std::optional<Reply> authenticateOAuth1(Exchange &ex, const Route &route);
    // A bearer that is a user's OAuth 2.0 access token: live, and the route takes it with the
    // scopes its grant has (v2 routes whose catalogue entry lists oauth2Scopes; never v1.1).
    std::optional<Reply> authenticateOAuth2User(Exchange &ex, const Route &route, const QByteArray &token);

    World &m_world;
    QHash<QByteArray, QDateTime> m_seenNonces; // consumer key + token + nonce → when
    // m_seenNonces' keys with the time they were stored, oldest first: a ring of limits.nonces.
    std::deque<std::pair<QByteArray, QDateTime>> m_nonceOrder;
};

} // namespace activity::sandbox
