#pragma once

#include "ApiClient.h"

#include <QProcessEnvironment>
#include <QStringList>

// Where activity-cli's credentials come from: the ACTIVITY_* environment variables.
namespace activity::cli {

struct Credentials
{
    AppCredentials app;
    UserCredentials user;
};

Credentials fromEnvironment(const QProcessEnvironment &environment);
// A file or folder the environment may name instead of the console's (ACTIVITY_EVENTS_FILE...).
QString environmentPath(const QProcessEnvironment &environment, const QString &variable,
                        const QString &fallback);

// The environment variables still needed to sign a call with `kind`; empty when complete.
QStringList missingFor(CredentialKind kind, const Credentials &credentials);

} // namespace activity::cli
