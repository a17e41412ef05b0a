#pragma once

#include "ApiTypes.h"
#include "CliProfileCommands.h"
#include "EventsCommand.h"
#include "HistoryCommand.h"

#include <QString>
#include <QStringList>

#include <optional>

// Command-line parsing of activity-cli: global options, then COMMAND [SUBCOMMAND] with its own
// options and --help. Pure: no output, no exit; the caller prints what it returns.
namespace activity::cli {

// Exit codes, as documented in --help.
enum ExitCode {
    ExitOk = 0,
    ExitApiRefused = 1, // the API (or the person at the confirmation prompt) said no
    ExitUsage = 2,
    ExitNetwork = 3, // network, TLS, timeout
    ExitCredentials = 4, // missing or unreadable credentials
    ExitWebhookInvalid = 5, // webhooks watch --exit-on-invalid: a watched webhook is invalid
};

struct Command;

// activity add|update|list: what the options say (the event type and ids are positional).
struct ActivityOptions
{
    QString keyword;
    QString direction;
    std::optional<QString> tag; // set: --tag given
    std::optional<QString> webhookId; // set: --webhook given
    std::optional<int> tier; // list: --tier, an activity::xaa::Tier
};

struct Invocation
{
    // Global options (accepted before the command and after it).
    QString profile;
    QString baseUrl; // empty: ACTIVITY_BASE_URL or https://api.x.com
    // --allow-insecure-loopback (or a sandbox profile): plain http to 127.0.0.1 or ::1 is meant.
    bool allowInsecureLoopback = false;
    ApiGeneration generation = ApiGeneration::V2;
    bool generationSet = false; // --api given: it wins over the profile's generation
    QString user; // --user: which signed-in account of the profile subscribes/checks
    bool json = false;
    bool verbose = false;
    int timeoutSeconds = 15;

    // "webhooks list", "subscriptions remove", "replay", "crc", ...
    QString command;
    const Command *spec = nullptr; // its row in commandTable()
    QStringList arguments; // the command's positional arguments
    bool yes = false; // webhooks delete, subscriptions remove
    bool resolve = false; // subscriptions list
    QString from; // replay
    QString to;
    HistoryOptions history; // history: --limit, --state
    bool oauth2 = false; // login --oauth2
    QStringList scopes; // login --scopes / --preset; empty: the profile's
    ProfileOptions profileOptions; // profiles add
    QString listen = QStringLiteral("127.0.0.1:8080"); // listen --listen ADDR:PORT
    QString listenPath = QStringLiteral("/webhook"); // listen --path
    bool receive = false; // listen, events tail --listen
    bool stream = false; // events tail --stream
    int tailCount = 0; // events tail --count; 0: until stopped
    int watchIntervalSeconds = 300; // webhooks watch --interval
    bool exitOnInvalid = false; // webhooks watch --exit-on-invalid
    bool revalidate = false; // webhooks watch --revalidate
    bool allProfiles = false; // subscriptions find --all-profiles
    int doctorTries = 3; // crc doctor --tries
    QString doctorCaFile; // crc doctor --ca-file
    QString doctorWebhookId; // crc doctor --webhook; empty: found by URL among the registered ones
    bool doctorRevalidate = true; // crc doctor --no-revalidate
    ActivityOptions activity; // activity add, update, list; events trigger
    EventsOptions events; // events ...
};

// Either an invocation to run, or text to print and an exit code (help, usage errors).
struct ParseResult
{
    std::optional<Invocation> invocation;
    int exitCode = ExitOk;
    QString out; // for stdout (help)
    QString err; // for stderr (usage errors)
};

ParseResult parseArguments(const QStringList &arguments);

} // namespace activity::cli
