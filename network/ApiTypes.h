#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

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

} // namespace activity

Q_DECLARE_METATYPE(activity::Webhook)
