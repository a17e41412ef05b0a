#pragma once

#include "ApiClient.h"
#include "Result.h"

#include <QByteArray>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

// activity-cli's side of the console's stored profiles: `profiles list|add|remove` and `accounts`.
// The handlers are Runner members (CliProfileCommands.cpp); what parsing needs is here.
namespace activity::cli {

struct Invocation;

// `profiles add`: what the command line says about the profile. The base URL, the generation and
// --allow-insecure-loopback are the global options. Secrets never come from here.
struct ProfileOptions
{
    bool update = false; // change the profile of that name instead of refusing a duplicate
    std::optional<QString> consumerKey;
    std::optional<QString> callbackUrl;
    std::optional<QString> oauth2ClientId;
    std::optional<QString> oauth2RedirectUri;
    std::optional<QStringList> oauth2Scopes; // --oauth2-scopes or --oauth2-preset
    bool secretsFromStdin = false;
};

// The options of `profiles add`, among them the secret-looking ones it refuses (hidden from --help).
QList<QCommandLineOption> profileAddOptions();
// Reads them from a parser that knows profileAddOptions(); a usage problem as a sentence. A secret
// given as an option is refused without repeating its value.
std::optional<QString> applyProfileAddOptions(const QCommandLineParser &parser, Invocation &invocation);
// `profiles list` and `profiles remove` name no profile with --profile.
std::optional<QString> refuseProfileOption(const QCommandLineParser &parser, Invocation &invocation);

// A profile's secrets by the name of the environment variable that carries them; the same names
// are read from stdin with --secrets-from-stdin. A name that is present was given; an empty value
// (only possible on stdin) clears the stored secret.
using SecretValues = QMap<QString, QByteArray>;

// ACTIVITY_CONSUMER_SECRET, ACTIVITY_ACCESS_TOKEN, ACTIVITY_ACCESS_TOKEN_SECRET,
// ACTIVITY_BEARER_TOKEN, ACTIVITY_OAUTH2_CLIENT_SECRET.
const QStringList &profileSecretNames();
// The secret variables the environment sets to something (trimmed; an empty one is not given).
SecretValues secretsFromEnvironment(const QProcessEnvironment &environment);
// NAME=value lines (blank lines and lines starting with # skipped, values trimmed). An unknown name
// or a line without '=' is refused with its line number and name only, never its value.
Result<SecretValues> secretsFromLines(const QByteArray &text);
// Writes the given values into `credentials`, leaving the others as they are.
void applySecrets(AppCredentials &credentials, const SecretValues &values);

} // namespace activity::cli
