#pragma once

#include "ApiClient.h"
#include "ApiTypes.h"

#include <QList>
#include <QString>
#include <QUrl>

namespace activity {

// Everything the window needs to work with one X app: the non-secret settings, the secrets (held in
// memory only while the profile is active; they come from the keychain, or from the composition
// root for the built-in sandbox) and the signed-in users that can be subscribed.
struct ConsoleProfile
{
    QString id; // stable key; "sandbox" for the built-in demo profile
    QString name;
    ApiGeneration generation = ApiGeneration::V2;
    QUrl baseUrl;
    QString callbackUrl;
    AppCredentials credentials;
    QList<UserCredentials> accounts;
    bool builtInSandbox = false; // the embedded demo: banner on, lenient loopback URL rules
    // Plain http to a loopback base URL: the built-in sandbox, a stored sandbox profile, or a local
    // test server the person confirmed in the profile dialog.
    bool allowInsecureLoopback = false;
    QString demoReceiverUrl; // pre-filled in the register dialog (sandbox only)
};

inline const QString builtInSandboxProfileId = QStringLiteral("sandbox");

} // namespace activity
