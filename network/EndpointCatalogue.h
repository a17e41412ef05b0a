#pragma once

#include "ApiTypes.h"

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

// Every endpoint the console calls, as data: path, method, credential, where the parameters go,
// the documented success status and rate limit. The client, the request log and the tests all
// read the same table, so "which credential for which call" is answered in exactly one place.
namespace activity {

enum class Operation {
    ListWebhooks,
    RegisterWebhook,
    ValidateWebhook, // PUT: triggers a CRC, re-enables an invalid webhook
    DeleteWebhook,
    Subscribe,
    CheckSubscription,
    SubscriptionCount,
    ListSubscriptions,
    UnsubscribeUser, // app-only, by user id
    UnsubscribeSelf, // v1.1 only, deprecated: the subscribed user's own context
    ReplayAccountActivity, // v1.1 POST /1.1/account_activity/replay/...
    ReplayWebhooks, // v2 POST /2/webhooks/replay, JSON body (v2's only replay since 2026-03-25)
    BearerToken, // oauth2/token
    RequestToken, // oauth/request_token
    AccessToken, // oauth/access_token
    UsersLookup,
    OAuth2Token, // POST /2/oauth2/token: authorization_code and refresh_token grants
    OAuth2Revoke, // POST /2/oauth2/revoke
    CurrentUser, // GET /2/users/me: who an OAuth 2.0 sign-in belongs to
    // X Activity API (x-api-2026.md §4.1): the same for both Account Activity generations.
    CreateActivitySubscription, // POST /2/activity/subscriptions, JSON body
    ListActivitySubscriptions, // GET /2/activity/subscriptions, paginated
    UpdateActivitySubscription, // PUT /2/activity/subscriptions/{subscription_id}: tag, webhook
    DeleteActivitySubscription, // DELETE /2/activity/subscriptions/{subscription_id}
    DeleteActivitySubscriptions, // DELETE /2/activity/subscriptions?ids=... (1 to 100)
    UsersByUsername, // GET /2/users/by?usernames=...: @names to ids (X Activity filters)
    ActivityStream, // GET /2/activity/stream: a long-lived answer, one event per line (§4.5)
};

enum class ParamPlacement {
    None,
    Query,
    JsonBody,
    FormBody,
};

struct Endpoint
{
    Operation op;
    ApiGeneration generation;
    QByteArray method;
    QString pathTemplate; // "{name}" placeholders are filled with percent-encoded values
    CredentialKind credential;
    ParamPlacement params;
    int successStatus; // as documented; the client accepts any 2xx
    bool idempotent; // safe to retry automatically (GET only)
    QString rateLimitKey; // endpoints sharing a key share a rate-limit window
    int documentedLimitPer15Min; // 0 when X documents none
    QString name; // "webhooks.list": what the request log and the CLI show
    bool generationIndependent = false; // OAuth endpoints: the same for v1.1 and v2
    // Not empty: the endpoint also takes an OAuth 2.0 user token (CredentialKind::OAuth2User) that
    // was granted all of these scopes, instead of `credential` (v2 subscribe and check since
    // 2026-01-15, x-api-2026.md §2).
    QStringList oauth2Scopes = {};
    // The endpoint also takes an OAuth 2.0 user token, whose scopes depend on the call (X Activity
    // API create: the event type's scope, ActivityEventTypes.h); the call names them.
    bool oauth2ScopesPerCall = false;
};

namespace endpoints {

// nullptr when the generation has no such endpoint (UnsubscribeSelf and ReplayAccountActivity on v2,
// ReplayWebhooks on v1.1).
const Endpoint *find(Operation op, ApiGeneration generation);
const QList<Endpoint> &all();

// Placeholder names used in path templates.
inline constexpr QLatin1String webhookIdParam {"webhook_id"};
inline constexpr QLatin1String userIdParam {"user_id"};
inline constexpr QLatin1String subscriptionIdParam {"subscription_id"};

// "v1.1" or "v2": the one spelling of a generation in settings, the history, the CLI and messages.
QString generationName(ApiGeneration generation);
// The inverse of generationName(), exact and case-sensitive; nullopt for anything else (each caller
// decides what an unknown name means).
std::optional<ApiGeneration> generationFromName(QStringView name);

// Which version of X's API this catalogue follows (shown in the about box, the README and --help).
inline constexpr QLatin1String followedApiVersion {"X API spec 2.167 (docs of 2026-08)"};

// The replay of a generation: v1.1 account-activity replay, or v2's POST /2/webhooks/replay.
Operation replayOperation(ApiGeneration generation);

// X's deprecation notice for a generation, shown where a person picks one; nothing is blocked.
struct Deprecation
{
    QDate markedOn;
    QString successor;
    QString text; // one or two sentences for a person
};
std::optional<Deprecation> deprecation(ApiGeneration generation);

// An endpoint X has removed, recognised so that a 404 from it (an old script, a proxy rewriting
// paths) is explained instead of reported as "not found".
struct RetiredEndpoint
{
    QDate retiredOn;
    QString replacement; // "POST /2/webhooks/replay"
};
std::optional<RetiredEndpoint> retiredEndpoint(const QByteArray &method, const QString &path);
// The largest number of ids one users-lookup request takes.
inline constexpr int maxUsersPerLookup = 100;
// The largest number of ids one X Activity API bulk delete takes (§4.4).
inline constexpr int maxActivityIdsPerDelete = 100;

} // namespace endpoints
} // namespace activity

Q_DECLARE_METATYPE(activity::Operation)
