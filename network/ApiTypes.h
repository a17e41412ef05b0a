#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

// Value types for what the Account Activity API returns. Ids are always strings.
namespace activity {

enum class ApiGeneration {
    V1_1, // v1.1 Enterprise: /1.1/account_activity/...json
    V2, // X API v2: /2/webhooks, /2/account_activity/...
};

// Which credential a call is signed with.
enum class CredentialKind {
    None,
    AppOwner, // OAuth 1.0a, consumer key + the app owner's access token
    SubscribingUser, // OAuth 1.0a, consumer key + the subscribing user's access token
    AppOnly, // OAuth 2.0 Bearer token
    ConsumerBasic, // HTTP Basic with consumer key:secret (oauth2/token)
    ConsumerOnly, // OAuth 1.0a without a token (oauth/request_token)
    RequestToken, // OAuth 1.0a with the temporary request token (oauth/access_token)
    OAuth2User, // OAuth 2.0 user access token (Authorization Code with PKCE), sent as Bearer
    OAuth2Client, // the OAuth 2.0 client on /2/oauth2/token and revoke: Basic client_id:secret
                  // (confidential client) or client_id in the body (public client)
};

struct Webhook
{
    QString id;
    QString url;
    bool valid = false;
    QDateTime createdAt; // UTC; invalid when the server did not say
};

struct SubscriptionCount
{
    QString accountName;
    qint64 subscriptionsAll = 0;
    qint64 subscriptionsDirectMessages = 0;
    qint64 provisioned = 0;
};

struct SubscriptionList
{
    QString webhookId;
    QString webhookUrl;
    QString applicationId;
    QStringList userIds;
};

struct ReplayJob
{
    QString jobId;
    QDateTime createdAt;
};

struct UserInfo
{
    QString id;
    QString username; // without the @
    QString name;
};

// What a successful oauth/request_token or oauth/access_token step returns.
struct OAuthTokens
{
    QByteArray token;
    QByteArray tokenSecret;
    bool callbackConfirmed = false; // request_token only
    QString userId; // access_token only
    QString screenName; // access_token only
};

// ---- X Activity API (x-api-2026.md §4) ----------------------------------------------------------

// What a subscription watches: a user, a keyword (news.new) and for some types a direction.
struct ActivityFilter
{
    QString userId;
    QString keyword;
    QString direction; // "inbound", "outbound" or empty (both)

    bool isEmpty() const { return userId.isEmpty() && keyword.isEmpty() && direction.isEmpty(); }
    friend bool operator==(const ActivityFilter &, const ActivityFilter &) = default;
};

struct ActivitySubscription
{
    QString id; // subscription_id
    QString eventType; // the current name, whatever spelling the answer used
    ActivityFilter filter;
    QString tag;
    QString webhookId; // empty: stream only
    QDateTime createdAt; // UTC; invalid when not given
    QDateTime updatedAt;
};

// What POST /2/activity/subscriptions sends (§4.2).
struct ActivitySubscriptionRequest
{
    QString eventType; // any accepted spelling; sent as the current name
    ActivityFilter filter;
    QString tag; // empty: none
    QString webhookId; // empty: stream only
};

// What PUT /2/activity/subscriptions/{id} changes (§4.4): only what is set is sent.
struct ActivitySubscriptionUpdate
{
    std::optional<QString> tag;
    std::optional<QString> webhookId;
};

// The answer to create and update: the subscription and, where X says it, the app's total.
struct ActivitySubscriptionChange
{
    ActivitySubscription subscription;
    std::optional<qint64> totalSubscriptions;
};

// One page of GET /2/activity/subscriptions.
struct ActivitySubscriptionPage
{
    QList<ActivitySubscription> subscriptions;
    QString nextToken; // empty: the last page (2.167 never sends one)
    std::optional<qint64> resultCount;
    std::optional<qint64> totalSubscriptions;
};

// The answer to DELETE /2/activity/subscriptions/{id}.
struct ActivityDeleteResult
{
    bool deleted = false;
    std::optional<qint64> remaining; // meta.total_subscriptions (2.166, quickstart)
};

// One id a bulk delete did not remove.
struct ActivityBulkDeleteError
{
    QString subscriptionId; // empty when X did not say which
    QString reason; // "reason" (2.167) or the Problem's type or title (2.166)
    QString message; // "message" (2.167) or the Problem's detail (2.166)
};

// The answer to DELETE /2/activity/subscriptions?ids=...: failed ids do not stop the others.
struct ActivityBulkDeleteResult
{
    QStringList deleted;
    QList<ActivityBulkDeleteError> errors;
    std::optional<qint64> remaining;
};

} // namespace activity

Q_DECLARE_METATYPE(activity::Webhook)
