#include "EndpointCatalogue.h"

#include <QRegularExpression>

namespace activity::endpoints {

namespace {

using enum Operation;
using C = CredentialKind;
using P = ParamPlacement;

constexpr auto V1 = ApiGeneration::V1_1;
constexpr auto V2 = ApiGeneration::V2;

Endpoint make(Operation op, ApiGeneration generation, const char *method, const char *path, C credential,
              P params, int successStatus, const char *rateLimitKey, int limit, const char *name)
{
    const QByteArray verb(method);
    return Endpoint {op,
                     generation,
                     verb,
                     QString::fromLatin1(path),
                     credential,
                     params,
                     successStatus,
                     verb == "GET",
                     QString::fromLatin1(rateLimitKey),
                     limit,
                     QString::fromLatin1(name)};
}

Endpoint withOAuth2(Endpoint endpoint, QStringList scopes)
{
    endpoint.oauth2Scopes = std::move(scopes);
    return endpoint;
}

// What X requires of an OAuth 2.0 user token on v2 subscribe and check (spec 2.167 security).
QStringList accountActivityScopes()
{
    return {QStringLiteral("dm.read"), QStringLiteral("dm.write"), QStringLiteral("tweet.read"),
            QStringLiteral("users.read")};
}

// Takes an OAuth 2.0 user token whose scopes the call names (XAA create: the event type's scope).
Endpoint withOAuth2PerCall(Endpoint endpoint)
{
    endpoint.oauth2ScopesPerCall = true;
    return endpoint;
}

Endpoint independent(Endpoint endpoint)
{
    endpoint.generationIndependent = true;
    return endpoint;
}

// Sources: account-activity-api.md §1.1/§1.2 (v1.1 auth and limits), §6 (OAuth), §7 (users);
// x-api-2026.md §1 and §2 (v2 webhooks, replay and subscriptions as of spec 2.167). v2's
// /2/account_activity/replay/... was retired on 2026-03-25 and is deliberately absent.
QList<Endpoint> buildCatalogue()
{
    return {
        // v1.1 Enterprise
        make(ListWebhooks, V1, "GET", "/1.1/account_activity/webhooks.json", C::AppOnly, P::None, 200,
             "v1.1/webhooks.list", 15, "webhooks.list"),
        make(RegisterWebhook, V1, "POST", "/1.1/account_activity/webhooks.json", C::AppOwner, P::Query, 200,
             "v1.1/webhooks.register", 15, "webhooks.register"),
        make(ValidateWebhook, V1, "PUT", "/1.1/account_activity/webhooks/{webhook_id}.json", C::AppOwner,
             P::None, 204, "v1.1/webhooks.validate", 15, "webhooks.validate"),
        make(DeleteWebhook, V1, "DELETE", "/1.1/account_activity/webhooks/{webhook_id}.json", C::AppOwner,
             P::None, 204, "v1.1/webhooks.delete", 15, "webhooks.delete"),
        make(Subscribe, V1, "POST", "/1.1/account_activity/webhooks/{webhook_id}/subscriptions/all.json",
             C::SubscribingUser, P::None, 204, "v1.1/subscriptions.add", 500, "subscriptions.add"),
        make(CheckSubscription, V1, "GET",
             "/1.1/account_activity/webhooks/{webhook_id}/subscriptions/all.json", C::SubscribingUser,
             P::None, 204, "v1.1/subscriptions.check", 500, "subscriptions.check"),
        make(SubscriptionCount, V1, "GET", "/1.1/account_activity/subscriptions/count.json", C::AppOnly,
             P::None, 200, "v1.1/subscriptions.count", 15, "subscriptions.count"),
        make(ListSubscriptions, V1, "GET",
             "/1.1/account_activity/webhooks/{webhook_id}/subscriptions/all/list.json", C::AppOnly, P::None,
             200, "v1.1/subscriptions.list", 50, "subscriptions.list"),
        make(UnsubscribeUser, V1, "DELETE",
             "/1.1/account_activity/webhooks/{webhook_id}/subscriptions/{user_id}/all.json", C::AppOnly,
             P::None, 204, "v1.1/subscriptions.remove", 500, "subscriptions.remove"),
        make(UnsubscribeSelf, V1, "DELETE",
             "/1.1/account_activity/webhooks/{webhook_id}/subscriptions/all.json", C::SubscribingUser,
             P::None, 204, "v1.1/subscriptions.remove_self", 500, "subscriptions.remove_self"),
        make(ReplayAccountActivity, V1, "POST",
             "/1.1/account_activity/replay/webhooks/{webhook_id}/subscriptions/all.json", C::AppOnly,
             P::Query, 202, "v1.1/replay", 5, "replay.account_activity"),
        make(UsersLookup, V1, "GET", "/1.1/users/lookup.json", C::AppOnly, P::Query, 200, "v1.1/users.lookup",
             300, "users.lookup"),

        // X API v2
        make(ListWebhooks, V2, "GET", "/2/webhooks", C::AppOnly, P::None, 200, "v2/webhooks.list", 450,
             "webhooks.list"),
        make(RegisterWebhook, V2, "POST", "/2/webhooks", C::AppOnly, P::JsonBody, 200, "v2/webhooks.register",
             450, "webhooks.register"),
        make(ValidateWebhook, V2, "PUT", "/2/webhooks/{webhook_id}", C::AppOnly, P::None, 200,
             "v2/webhooks.validate", 450, "webhooks.validate"),
        make(DeleteWebhook, V2, "DELETE", "/2/webhooks/{webhook_id}", C::AppOnly, P::None, 200,
             "v2/webhooks.delete", 450, "webhooks.delete"),
        withOAuth2(make(Subscribe, V2, "POST", "/2/account_activity/webhooks/{webhook_id}/subscriptions/all",
                        C::SubscribingUser, P::JsonBody, 200, "v2/subscriptions.add", 250,
                        "subscriptions.add"),
                   accountActivityScopes()),
        withOAuth2(make(CheckSubscription, V2, "GET",
                        "/2/account_activity/webhooks/{webhook_id}/subscriptions/all", C::SubscribingUser,
                        P::None, 200, "v2/subscriptions.check", 450, "subscriptions.check"),
                   accountActivityScopes()),
        make(SubscriptionCount, V2, "GET", "/2/account_activity/subscriptions/count", C::AppOnly, P::None,
             200, "v2/subscriptions.count", 450, "subscriptions.count"),
        make(ListSubscriptions, V2, "GET", "/2/account_activity/webhooks/{webhook_id}/subscriptions/all/list",
             C::AppOnly, P::None, 200, "v2/subscriptions.list", 450, "subscriptions.list"),
        make(UnsubscribeUser, V2, "DELETE",
             "/2/account_activity/webhooks/{webhook_id}/subscriptions/{user_id}/all", C::AppOnly, P::None,
             200, "v2/subscriptions.remove", 450, "subscriptions.remove"),
        make(ReplayWebhooks, V2, "POST", "/2/webhooks/replay", C::AppOnly, P::JsonBody, 200,
             "v2/replay.webhooks", 100, "replay.webhooks"),
        make(UsersLookup, V2, "GET", "/2/users", C::AppOnly, P::Query, 200, "v2/users.lookup", 300,
             "users.lookup"),

        // OAuth: the same endpoints whichever generation the rest of the API uses.
        independent(make(BearerToken, V2, "POST", "/oauth2/token", C::ConsumerBasic, P::FormBody, 200,
                         "oauth2.token", 0, "oauth2.token")),
        independent(make(RequestToken, V2, "POST", "/oauth/request_token", C::ConsumerOnly, P::None, 200,
                         "oauth.request_token", 0, "oauth.request_token")),
        independent(make(AccessToken, V2, "POST", "/oauth/access_token", C::RequestToken, P::None, 200,
                         "oauth.access_token", 0, "oauth.access_token")),
        // OAuth 2.0 user sign-in (x-api-2026.md §5.2): the v2 host, whichever generation the profile
        // calls; users/me tells whose token it is (75 per 15 minutes per user).
        independent(make(OAuth2Token, V2, "POST", "/2/oauth2/token", C::OAuth2Client, P::FormBody, 200,
                         "oauth2.user_token", 0, "oauth2.user_token")),
        independent(make(OAuth2Revoke, V2, "POST", "/2/oauth2/revoke", C::OAuth2Client, P::FormBody, 200,
                         "oauth2.revoke", 0, "oauth2.revoke")),
        independent(withOAuth2(make(CurrentUser, V2, "GET", "/2/users/me", C::OAuth2User, P::Query, 200,
                                    "v2/users.me", 75, "users.me"),
                               {QStringLiteral("tweet.read"), QStringLiteral("users.read")})),

        // X Activity API (x-api-2026.md §4.1): api.x.com whichever Account Activity generation the
        // profile uses. Create and list also take an OAuth 1.0a user token in the spec (the docs
        // mention only OAuth 2.0); the console signs with the Bearer token, or with a user's OAuth
        // 2.0 token for the private event types. Bulk delete has no documented rate limit.
        independent(withOAuth2PerCall(
            make(CreateActivitySubscription, V2, "POST", "/2/activity/subscriptions", C::AppOnly, P::JsonBody,
                 200, "v2/activity.subscriptions.create", 500, "activity.subscriptions.create"))),
        independent(withOAuth2(make(ListActivitySubscriptions, V2, "GET", "/2/activity/subscriptions",
                                    C::AppOnly, P::Query, 200, "v2/activity.subscriptions.list", 500,
                                    "activity.subscriptions.list"),
                               {QStringLiteral("like.read"), QStringLiteral("tweet.read")})),
        independent(make(UpdateActivitySubscription, V2, "PUT", "/2/activity/subscriptions/{subscription_id}",
                         C::AppOnly, P::JsonBody, 200, "v2/activity.subscriptions.update", 500,
                         "activity.subscriptions.update")),
        independent(make(DeleteActivitySubscription, V2, "DELETE",
                         "/2/activity/subscriptions/{subscription_id}", C::AppOnly, P::None, 200,
                         "v2/activity.subscriptions.delete", 500, "activity.subscriptions.delete")),
        independent(make(DeleteActivitySubscriptions, V2, "DELETE", "/2/activity/subscriptions", C::AppOnly,
                         P::Query, 200, "v2/activity.subscriptions.delete_many", 0,
                         "activity.subscriptions.delete_many")),
        // @names to ids for an X Activity filter, which takes only ids; v2 whichever generation
        // the profile uses, like the rest of the X Activity API.
        independent(make(UsersByUsername, V2, "GET", "/2/users/by", C::AppOnly, P::Query, 200,
                         "v2/users.by_username", 300, "users.by_username")),
        // The X Activity stream (x-api-2026.md §4.5): the app's Bearer token, a long-lived answer;
        // at most 2 connections at once (the sandbox's 429 TooManyConnections).
        independent(make(ActivityStream, V2, "GET", "/2/activity/stream", C::AppOnly, P::Query, 200,
                         "v2/activity.stream", 450, "activity.stream")),
    };
}

} // namespace

const QList<Endpoint> &all()
{
    static const QList<Endpoint> catalogue = buildCatalogue();
    return catalogue;
}

const Endpoint *find(Operation op, ApiGeneration generation)
{
    for (const Endpoint &endpoint : all()) {
        if (endpoint.op == op && (endpoint.generationIndependent || endpoint.generation == generation))
            return &endpoint;
    }
    return nullptr;
}

Operation replayOperation(ApiGeneration generation)
{
    return generation == ApiGeneration::V1_1 ? ReplayAccountActivity : ReplayWebhooks;
}

std::optional<Deprecation> deprecation(ApiGeneration generation)
{
    // x-api-2026.md §7: every Account Activity page was tagged DEPRECATED on 2026-07-21; no sunset
    // date is documented, so nothing is blocked.
    const QDate marked(2026, 7, 21);
    switch (generation) {
    case ApiGeneration::V1_1:
        return Deprecation {marked,
                            QStringLiteral("X API v2 (/2/webhooks, /2/account_activity) and the X Activity "
                                           "API"),
                            QStringLiteral("X marked the Account Activity API v1.1 Enterprise deprecated on "
                                           "2026-07-21 (no retirement date announced). Its successor is X "
                                           "API v2 (/2/webhooks, /2/account_activity), itself being replaced "
                                           "by the X Activity API.")};
    case ApiGeneration::V2:
        return Deprecation {marked, QStringLiteral("the X Activity API"),
                            QStringLiteral("X marked the Account Activity API (v2 included) deprecated on "
                                           "2026-07-21 in favour of the X Activity API; no retirement date "
                                           "is announced, and everything keeps working.")};
    }
    return std::nullopt;
}

std::optional<RetiredEndpoint> retiredEndpoint(const QByteArray &method, const QString &path)
{
    static const QRegularExpression v2AccountActivityReplay(
        QStringLiteral(R"(\A/2/account_activity/replay/webhooks/[^/]+/subscriptions/all/?\z)"));
    if (method == "POST" && v2AccountActivityReplay.match(path).hasMatch())
        return RetiredEndpoint {QDate(2026, 3, 25), QStringLiteral("POST /2/webhooks/replay")};
    return std::nullopt;
}

QString generationName(ApiGeneration generation)
{
    switch (generation) {
    case ApiGeneration::V1_1:
        return QStringLiteral("v1.1");
    case ApiGeneration::V2:
        return QStringLiteral("v2");
    }
    return {};
}

std::optional<ApiGeneration> generationFromName(QStringView name)
{
    for (const ApiGeneration generation : {ApiGeneration::V1_1, ApiGeneration::V2}) {
        if (name == generationName(generation))
            return generation;
    }
    return std::nullopt;
}

} // namespace activity::endpoints
