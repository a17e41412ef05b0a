#pragma once

#include <QByteArray>
#include <QString>

// The fixed credentials of the sandbox's demo world (`--seed demo`). They are not secrets: they
// only open the emulated server on 127.0.0.1, and the console and tests use them to talk to it.
namespace activity::sandbox::demo {

inline const QByteArray consumerKey = QByteArrayLiteral("sandbox-consumer-key");
inline const QByteArray consumerSecret = QByteArrayLiteral("sandbox-consumer-secret");
inline const QString appId = QStringLiteral("30000001");
inline const QString accountName = QStringLiteral("sandbox-account");

// The app owner (developer portal "Keys and tokens"): signs register, validate and delete.
inline const QString ownerUserId = QStringLiteral("1000000000000000001");
inline const QString ownerUsername = QStringLiteral("sandbox_owner");
inline const QByteArray ownerToken = QByteArrayLiteral("1000000000000000001-sandboxownertoken");
inline const QByteArray ownerTokenSecret = QByteArrayLiteral("sandbox-owner-token-secret");

// What oauth2/token returns for the demo app (one bearer token per app, as on X).
inline const QByteArray bearerToken = QByteArrayLiteral("AAAAAAAAAAAAAAAAAAAAASandboxBearer%2Fdemo%3Dtoken");

// Callback URLs registered for the demo app; anything else gets 415 at oauth/request_token.
inline const QString callbackUrl = QStringLiteral("http://127.0.0.1/activity-console/callback");
inline const QString appSchemeCallbackUrl = QStringLiteral("activity-console://oauth-callback");

// OAuth 2.0 (x-api-2026.md §5): the demo app's confidential client (Basic client id:secret) and a
// public one (client id in the body, no secret), and the redirect URI registered for both. The
// console's sign-in window catches the redirect before anything is sent, so nothing listens there.
inline const QByteArray oauth2ClientId = QByteArrayLiteral("sandbox-oauth2-client-id");
inline const QByteArray oauth2ClientSecret = QByteArrayLiteral("sandbox-oauth2-client-secret");
inline const QByteArray oauth2PublicClientId = QByteArrayLiteral("sandbox-oauth2-public-client-id");
inline const QString oauth2RedirectUri = QStringLiteral("http://127.0.0.1/activity-console/oauth2-callback");

// Users who can sign in on the authorize page. Each also has a pre-issued access token, as if it
// had signed in once already, so tests of subscribe/check do not need the browser.
struct User
{
    QString id;
    QString username;
    QString name;
    QString password;
    QByteArray token;
    QByteArray tokenSecret;
};

inline const User alice {QStringLiteral("2000000000000000001"),
                         QStringLiteral("alice"),
                         QStringLiteral("Alice Example"),
                         QStringLiteral("alice-password"),
                         QByteArrayLiteral("2000000000000000001-alicetoken"),
                         QByteArrayLiteral("alice-token-secret")};
inline const User bob {QStringLiteral("2000000000000000002"),
                       QStringLiteral("bob"),
                       QStringLiteral("Bob Example"),
                       QStringLiteral("bob-password"),
                       QByteArrayLiteral("2000000000000000002-bobtoken"),
                       QByteArrayLiteral("bob-token-secret")};
inline const User carol {QStringLiteral("2000000000000000003"),
                         QStringLiteral("carol"),
                         QStringLiteral("Carol Example"),
                         QStringLiteral("carol-password"),
                         QByteArrayLiteral("2000000000000000003-caroltoken"),
                         QByteArrayLiteral("carol-token-secret")};

// Can sign in on the authorize page but has no pre-issued token: signing in mints a new one.
inline const User dave {
    QStringLiteral("2000000000000000004"), QStringLiteral("dave"), QStringLiteral("Dave Example"),
    QStringLiteral("dave-password"),       QByteArray(),           QByteArray()};
// Her token was issued before the app gained the Direct Message permission, so it authenticates but
// X refuses to subscribe her (403/348), as the reference describes for stale-permission tokens.
inline const User eve {QStringLiteral("2000000000000000005"),
                       QStringLiteral("eve"),
                       QStringLiteral("Eve Example"),
                       QStringLiteral("eve-password"),
                       QByteArrayLiteral("2000000000000000005-evetoken"),
                       QByteArrayLiteral("eve-token-secret")};

inline const QString ownerName = QStringLiteral("Sandbox Owner");
inline const QString ownerPassword = QStringLiteral("owner-password");
inline const QString appName = QStringLiteral("Activity Console Sandbox");

// The two seeded webhooks: one valid (pointing at the sandbox's own demo receiver, answering CRC
// with the demo consumer secret), one invalid (a URL the sandbox never calls at seed time).
inline const QString validWebhookId = QStringLiteral("1500000000000000001");
inline const QString receiverName = QStringLiteral("demo"); // <baseUrl>/sandbox/receiver/demo
inline const QString invalidWebhookId = QStringLiteral("1500000000000000002");
inline const QString invalidWebhookUrl = QStringLiteral("https://hooks.example.com/activity");

// Seeded subscribers of the valid webhook: alice plus this many generated users with names.
inline constexpr int seededSubscriberCount = 300;
inline constexpr int provisionedSubscriptions = 500;

// The demo app's X Activity API subscriptions, in creation order: alice's bio updates to the valid
// webhook (tag activityBioTag), bob's posts for the stream only, and the likes alice's posts
// receive (direction inbound) to the valid webhook.
inline const QString activityBioSubscriptionId = QStringLiteral("1900000000000000001");
inline const QString activityBioTag = QStringLiteral("alice bio");
inline const QString activityPostSubscriptionId = QStringLiteral("1900000000000000002");
inline const QString activityLikeSubscriptionId = QStringLiteral("1900000000000000003");
inline constexpr int activitySubscriptionCount = 3;

} // namespace activity::sandbox::demo
