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

inline const User alice {QStringLiteral("2000000000000000001"), QStringLiteral("alice"), QStringLiteral("Alice Example"),
                         QStringLiteral("alice-password"), QByteArrayLiteral("2000000000000000001-alicetoken"),
                         QByteArrayLiteral("alice-token-secret")};
inline const User bob {QStringLiteral("2000000000000000002"), QStringLiteral("bob"), QStringLiteral("Bob Example"),
                       QStringLiteral("bob-password"), QByteArrayLiteral("2000000000000000002-bobtoken"),
                       QByteArrayLiteral("bob-token-secret")};
inline const User carol {QStringLiteral("2000000000000000003"), QStringLiteral("carol"),
                         QStringLiteral("Carol Example"), QStringLiteral("carol-password"),
                         QByteArrayLiteral("2000000000000000003-caroltoken"), QByteArrayLiteral("carol-token-secret")};

} // namespace activity::sandbox::demo
