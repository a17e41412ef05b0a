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

// The environment variables still needed to sign a call with `kind`; empty when complete.
QStringList missingFor(CredentialKind kind, const Credentials &credentials);

} // namespace activity::cli
