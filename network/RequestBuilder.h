#pragma once

#include "ApiTypes.h"
#include "EndpointCatalogue.h"
#include "OAuth1.h"
#include "Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <utility>

// Building a request is a pure function of the endpoint, the parameters and the credentials, so
// that a test can check URL, method, headers and body of every call without any network.
namespace activity {

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

struct HttpRequest
{
    QByteArray method;
    QUrl url;
    HeaderList headers; // in sending order; Authorization included
    QByteArray body;

    // Case-insensitive lookup; empty when absent.
    QByteArray header(QByteArrayView name) const;
};

// What one call sends besides the endpoint itself. Values are plain (decoded) text.
struct RequestParams
{
    QList<std::pair<QString, QString>> path; // placeholder name -> value
    oauth1::ParamList query;
    oauth1::ParamList form; // FormBody endpoints
    QByteArray json; // JsonBody endpoints
    oauth1::ParamList oauthExtra; // oauth_callback / oauth_verifier, signed into the header
};

// The secret material for one request; which fields are used depends on `kind`.
struct RequestCredentials
{
    CredentialKind kind = CredentialKind::None;
    QByteArray consumerKey;
    QByteArray consumerSecret;
    QByteArray token; // owner, subscribing-user or request token
    QByteArray tokenSecret;
    QByteArray bearerToken;
    QByteArray oauth2AccessToken; // OAuth2User
    QByteArray clientId; // OAuth2Client: always sent in the body
    QByteArray clientSecret; // OAuth2Client: empty for a public client, else HTTP Basic
    oauth1::Signer::Clock clock; // empty: the system clock
    oauth1::Signer::NonceSource nonce; // empty: random nonces
};

namespace requests {

// Per-operation parameters. Where the generations differ, the generation decides.
RequestParams none();
RequestParams webhook(const QString &webhookId);
RequestParams registerWebhook(ApiGeneration generation, const QString &url);
RequestParams subscribe(ApiGeneration generation, const QString &webhookId);
RequestParams unsubscribeUser(const QString &webhookId, const QString &userId);
RequestParams replayAccountActivity(const QString &webhookId, const QDateTime &from, const QDateTime &to);
RequestParams replayWebhooks(const QString &webhookId, const QDateTime &from, const QDateTime &to);
RequestParams usersLookup(ApiGeneration generation, const QStringList &userIds);
RequestParams bearerToken();
RequestParams requestToken(const QString &callback);
RequestParams accessToken(const QByteArray &verifier);
// OAuth 2.0 (x-api-2026.md §5.2); the client id is added by build() from the credentials.
RequestParams oauth2CodeExchange(const QByteArray &code, const QUrl &redirectUri, const QByteArray &verifier);
RequestParams oauth2Refresh(const QByteArray &refreshToken);
RequestParams oauth2Revoke(const QByteArray &token);
RequestParams currentUser();
// GET /2/users/by: usernames without the @, comma-separated.
RequestParams usersByUsername(const QStringList &usernames);
// X Activity API (x-api-2026.md §4.2, §4.4). Create: exactly event_type (the current name), filter
// (only the fields given), and tag and webhook_id when not empty; no other keys.
RequestParams createActivitySubscription(const ActivitySubscriptionRequest &request);
// An empty token asks for the first page; maxResults 0 leaves X's default (1000).
RequestParams listActivitySubscriptions(const QString &paginationToken = {}, int maxResults = 0);
// {"tag"?, "webhook_id"?}: only what the update sets.
RequestParams updateActivitySubscription(const QString &subscriptionId,
                                         const ActivitySubscriptionUpdate &update);
RequestParams activitySubscription(const QString &subscriptionId);
// ids=a,b,c
RequestParams deleteActivitySubscriptions(const QStringList &subscriptionIds);
// GET /2/activity/stream (§4.5): backfill_minutes when not negative, start_time/end_time
// (YYYY-MM-DDTHH:mm:ssZ) when valid.
RequestParams activityStream(int backfillMinutes = -1, const QDateTime &startTime = {},
                             const QDateTime &endTime = {});

// The full URL: base URL (its path kept as a prefix) + filled template + encoded query.
Result<QUrl> url(const Endpoint &endpoint, const QUrl &baseUrl, const RequestParams &params);

// The complete request, signed. Fails with MissingCredentials when the endpoint's credential is
// not (fully) present, and with Validation when a path placeholder has no value.
Result<HttpRequest> build(const Endpoint &endpoint, const QUrl &baseUrl, const RequestParams &params,
                          const RequestCredentials &credentials);

// "ActivityConsole/<version>".
QByteArray userAgent();
// yyyyMMddHHmm in UTC, the replay date format of both generations.
QString replayDate(const QDateTime &time);
// What a person reads when a credential is missing.
ApiError missingCredentials(CredentialKind kind, const QString &operationName);

} // namespace requests
} // namespace activity
