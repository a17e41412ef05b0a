#pragma once

// Used by the composition root and by the console's tests, so both show the same demo profile.

#include "ResolvedProfile.h"
#include "SandboxDemo.h"

#include <QApplication>

namespace activity {

// The embedded sandbox's entry in the profile list before its server runs (the console starts it
// only when this profile is chosen): no address yet.
inline ResolvedProfile sandboxPlaceholderProfile()
{
    ResolvedProfile profile;
    profile.id = builtInSandboxProfileId;
    profile.name = QApplication::translate("main", "Sandbox (demo)");
    profile.generation = ApiGeneration::V2;
    profile.builtInSandbox = true;
    profile.allowInsecureLoopback = true;
    return profile;
}

// The embedded sandbox as a ready profile: its base URL, the demo app's credentials (not secrets:
// they only open the emulated server on 127.0.0.1) and the demo users with pre-issued tokens.
inline ResolvedProfile sandboxConsoleProfile(const QUrl &baseUrl)
{
    namespace demo = sandbox::demo;
    ResolvedProfile profile = sandboxPlaceholderProfile();
    profile.baseUrl = baseUrl; // plain http to its own 127.0.0.1
    profile.callbackUrl = demo::callbackUrl;
    profile.demoReceiverUrl = baseUrl.toString() + QStringLiteral("/sandbox/receiver/") + demo::receiverName;
    profile.credentials = {
        demo::consumerKey, demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, {}};
    // The demo app's confidential OAuth 2.0 client, with the redirect URI registered for it.
    profile.credentials.oauth2ClientId = demo::oauth2ClientId;
    profile.credentials.oauth2ClientSecret = demo::oauth2ClientSecret;
    profile.oauth2RedirectUri = QUrl(demo::oauth2RedirectUri);
    for (const demo::User &user : {demo::alice, demo::bob, demo::carol})
        profile.accounts.append({user.token, user.tokenSecret, user.id, user.username});
    return profile;
}

// The same for a sandbox in this process (the tests').
template<typename Server> ResolvedProfile sandboxConsoleProfile(const Server &server)
{
    return sandboxConsoleProfile(server.baseUrl());
}

} // namespace activity
