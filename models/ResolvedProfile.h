#pragma once

#include "ActivityEventTypes.h"
#include "ApiClient.h"
#include "ApiTypes.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>

namespace activity {

// One X app resolved into what its calls need: the non-secret settings, the secrets (held in
// memory only while in use; they come from the keychain, from the environment for the CLI, or from
// the composition root for the built-in sandbox) and the signed-in users that can be subscribed.
// The console and activity-cli both work from this one struct.
struct ResolvedProfile
{
    QString id; // stable key; "sandbox" for the built-in demo profile; empty: not a stored profile
    QString name;
    ApiGeneration generation = ApiGeneration::V2;
    QUrl baseUrl;
    QString callbackUrl;
    // OAuth 2.0 user sign-in; the client id and secret are in `credentials`.
    QUrl oauth2RedirectUri;
    QStringList oauth2Scopes; // empty: the Account Activity preset
    // The X Activity API access tier, whose subscription limit the quota bar shows.
    xaa::Tier activityTier = xaa::Tier::Enterprise;

    AppCredentials credentials;
    QList<UserCredentials> accounts;
    bool builtInSandbox = false; // the embedded demo: banner on, lenient loopback URL rules
    // Plain http to a loopback base URL: the built-in sandbox, a stored sandbox profile, or a local
    // test server the person confirmed in the profile dialog.
    bool allowInsecureLoopback = false;
    QString demoReceiverUrl; // pre-filled in the register dialog (sandbox only)

    // What an OAuth 2.0 sign-in asks for.
    QStringList oauth2ScopesToRequest() const
    {
        return oauth2Scopes.isEmpty() ? oauth2::accountActivityScopes() : oauth2Scopes;
    }

    // The client configuration for this profile; `clock` and `timeout` stay default when empty/zero.
    ClientConfig clientConfig(std::function<QDateTime()> clock = {},
                              std::chrono::seconds timeout = std::chrono::seconds(0)) const
    {
        ClientConfig config;
        config.baseUrl = baseUrl;
        config.generation = generation;
        config.allowInsecureLoopback = builtInSandbox || allowInsecureLoopback;
        if (clock)
            config.clock = std::move(clock);
        if (timeout.count() > 0)
            config.transferTimeout = timeout;
        return config;
    }
};

inline const QString builtInSandboxProfileId = QStringLiteral("sandbox");

} // namespace activity
