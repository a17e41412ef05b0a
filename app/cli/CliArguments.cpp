#include "CliArguments.h"

#include "ActivityConfig.h"
#include "EndpointCatalogue.h"
#include "HistoryCommand.h"
#include "Validation.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace activity::cli {

namespace {

struct CommandSpec
{
    QString name; // "webhooks list"
    QStringList positional; // names as shown in the usage line
    QString description;
    QList<QCommandLineOption> options;
    QString details = {}; // shown after the options in the command's own --help
};

// The replay rules of both generations, as the console's replay dialog shows them.
QString replayDetails()
{
    return QStringLiteral("\nRules (%1):\n  v2:   %2\n  v1.1: %3\n")
        .arg(endpoints::followedApiVersion,
             validate::ReplayRules::forGeneration(ApiGeneration::V2).description(),
             validate::ReplayRules::forGeneration(ApiGeneration::V1_1).description());
}

QCommandLineOption yesOption()
{
    return QCommandLineOption(
        QStringList {QStringLiteral("y"), QStringLiteral("yes")},
        QStringLiteral("Do not ask for confirmation (required when stdin is not a terminal)."));
}

QList<CommandSpec> commands()
{
    const QCommandLineOption resolve(QStringLiteral("resolve"),
                                     QStringLiteral("Look up usernames and names (batches of 100 ids)."));
    const QCommandLineOption from(QStringLiteral("from"),
                                  QStringLiteral("Start of the window: yyyymmddhhmm (UTC) or ISO 8601."),
                                  QStringLiteral("WHEN"));
    const QCommandLineOption to(QStringLiteral("to"),
                                QStringLiteral("End of the window: yyyymmddhhmm (UTC) or ISO 8601."),
                                QStringLiteral("WHEN"));
    return {
        {QStringLiteral("webhooks list"), {}, QStringLiteral("List the app's webhooks."), {}},
        {QStringLiteral("webhooks register"),
         {QStringLiteral("URL")},
         QStringLiteral("Register a webhook URL; X runs a CRC check against it first."),
         {}},
        {QStringLiteral("webhooks validate"),
         {QStringLiteral("ID")},
         QStringLiteral("Trigger a CRC check; a passing check re-enables an invalid webhook."),
         {}},
        {QStringLiteral("webhooks delete"),
         {QStringLiteral("ID")},
         QStringLiteral("Delete a webhook and with it every subscription to it."),
         {yesOption()}},
        {QStringLiteral("subscriptions count"),
         {},
         QStringLiteral("Show subscriptions used and provisioned."),
         {}},
        {QStringLiteral("subscriptions list"),
         {QStringLiteral("WEBHOOK_ID")},
         QStringLiteral("List the users subscribed to a webhook."),
         {resolve}},
        {QStringLiteral("subscriptions add"),
         {QStringLiteral("WEBHOOK_ID")},
         QStringLiteral("Subscribe the user of ACTIVITY_USER_TOKEN to a webhook."),
         {}},
        {QStringLiteral("subscriptions check"),
         {QStringLiteral("WEBHOOK_ID")},
         QStringLiteral("Check whether the user of ACTIVITY_USER_TOKEN is subscribed."),
         {}},
        {QStringLiteral("subscriptions remove"),
         {QStringLiteral("WEBHOOK_ID"), QStringLiteral("USER_ID")},
         QStringLiteral("Unsubscribe a user from a webhook."),
         {yesOption()}},
        {QStringLiteral("replay"),
         {QStringLiteral("WEBHOOK_ID")},
         QStringLiteral("Ask X to re-deliver the events of a time window (v2: POST /2/webhooks/replay, the "
                        "last 24 hours; v1.1: the last 5 days; one job per webhook at a time)."),
         {from, to},
         replayDetails()},
        {QStringLiteral("login"),
         {},
         QStringLiteral(
             "Sign a user in to the profile's app with X's PIN flow and keep the account's tokens in "
             "the keychain (needs --profile)."),
         {}},
        {QStringLiteral("history"),
         {},
         QStringLiteral("Show the local history of write actions (console and CLI), newest first."),
         historyCommandOptions()},
        // Before "crc": the first command whose words match wins.
        {QStringLiteral("crc test"),
         {QStringLiteral("URL")},
         QStringLiteral("Call a webhook URL the way X's CRC check does (GET ?crc_token=..., 3 s limit, no "
                        "redirects) and compare its answer with the expected token; nothing is registered "
                        "(needs ACTIVITY_CONSUMER_SECRET or --profile). Exit 0 passed, 1 failed, 3 "
                        "unreachable."),
         {}},
        {QStringLiteral("crc"),
         {QStringLiteral("TOKEN")},
         QStringLiteral("Print the response token a webhook must answer for a crc_token (needs "
                        "ACTIVITY_CONSUMER_SECRET)."),
         {}},
    };
}

struct GlobalOptionSet
{
    QCommandLineOption profile {QStringLiteral("profile"),
                                QStringLiteral("Use the stored profile NAME instead of the environment."),
                                QStringLiteral("NAME")};
    QCommandLineOption baseUrl {
        QStringLiteral("base-url"),
        QStringLiteral("API base URL (default: ACTIVITY_BASE_URL or https://api.x.com; plain http only to "
                       "127.0.0.1 or ::1, with --allow-insecure-loopback)."),
        QStringLiteral("URL")};
    QCommandLineOption allowInsecureLoopback {
        QStringLiteral("allow-insecure-loopback"),
        QStringLiteral("Accept a plain http base URL on this computer (127.0.0.1 or ::1: the sandbox, a "
                       "local test server); credentials and signatures then travel unencrypted.")};
    QCommandLineOption api {QStringLiteral("api"), QStringLiteral("API generation: v2 (default) or v1.1."),
                            QStringLiteral("VERSION")};
    QCommandLineOption json {QStringLiteral("json"), QStringLiteral("Print one JSON document on stdout.")};
    QCommandLineOption verbose {QStringLiteral("verbose"),
                                QStringLiteral("Print the (redacted) request log to stderr.")};
    QCommandLineOption user {
        QStringLiteral("user"),
        QStringLiteral("With --profile: the signed-in account (username or id) for subscriptions "
                       "add/check."),
        QStringLiteral("USERNAME")};
    QCommandLineOption timeout {QStringLiteral("timeout"),
                                QStringLiteral("Transfer timeout per request in seconds (default 15)."),
                                QStringLiteral("SECONDS")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({profile, baseUrl, allowInsecureLoopback, api, user, json, verbose, timeout});
    }
};

QString commandList()
{
    QString text = QStringLiteral("\nCommands:\n");
    for (const CommandSpec &spec : commands()) {
        QString usage = spec.name;
        if (spec.name == QLatin1String("replay"))
            usage += QStringLiteral(" WEBHOOK_ID --from WHEN --to WHEN");
        else if (!spec.positional.isEmpty())
            usage += QLatin1Char(' ') + spec.positional.join(QLatin1Char(' '));
        text += QStringLiteral("  %1\n      %2\n").arg(usage, spec.description);
    }
    text += QStringLiteral(
        "\nCredentials come from the environment: ACTIVITY_CONSUMER_KEY, ACTIVITY_CONSUMER_SECRET,\n"
        "ACTIVITY_ACCESS_TOKEN, ACTIVITY_ACCESS_TOKEN_SECRET (app owner), ACTIVITY_BEARER_TOKEN (optional),\n"
        "ACTIVITY_USER_TOKEN, ACTIVITY_USER_TOKEN_SECRET (subscribing user, for add/check); or from a "
        "profile\n"
        "stored by the console (--profile NAME: settings plus the system keychain).\n"
        "\nExit codes: 0 success, 1 the API refused, 2 usage error, 3 network/TLS/timeout,\n"
        "4 missing or unreadable credentials.\n"
        "\nRun 'activity-cli COMMAND --help' for a command's options.\n");
    return text;
}

ParseResult usageError(const QString &message, const QString &hint = QStringLiteral("activity-cli --help"))
{
    ParseResult result;
    result.exitCode = ExitUsage;
    result.err = QStringLiteral("activity-cli: %1\nTry '%2'.\n").arg(message, hint);
    return result;
}

ParseResult help(const QString &text)
{
    ParseResult result;
    result.exitCode = ExitOk;
    result.out = text;
    return result;
}

// Applies the global options found by `parser` (they may appear before or after the command).
std::optional<QString> applyGlobals(const QCommandLineParser &parser, const GlobalOptionSet &g,
                                    Invocation &inv)
{
    if (parser.isSet(g.profile))
        inv.profile = parser.value(g.profile);
    if (parser.isSet(g.baseUrl))
        inv.baseUrl = parser.value(g.baseUrl);
    if (parser.isSet(g.user))
        inv.user = parser.value(g.user);
    if (parser.isSet(g.api)) {
        inv.generationSet = true;
        const QString api = parser.value(g.api);
        // "2" and "1.1" are accepted as short for "v2" and "v1.1".
        const auto generation =
            endpoints::generationFromName(api.startsWith(QLatin1Char('v')) ? api : QLatin1Char('v') + api);
        if (!generation)
            return QStringLiteral("--api takes v2 or v1.1, not '%1'.").arg(api);
        inv.generation = *generation;
    }
    if (parser.isSet(g.timeout)) {
        bool ok = false;
        const int seconds = parser.value(g.timeout).toInt(&ok);
        if (!ok || seconds < 1 || seconds > 600)
            return QStringLiteral("--timeout takes a number of seconds from 1 to 600.");
        inv.timeoutSeconds = seconds;
    }
    inv.allowInsecureLoopback = inv.allowInsecureLoopback || parser.isSet(g.allowInsecureLoopback);
    inv.json = inv.json || parser.isSet(g.json);
    inv.verbose = inv.verbose || parser.isSet(g.verbose);
    return std::nullopt;
}

} // namespace

ParseResult parseArguments(const QStringList &arguments)
{
    const QString program = arguments.value(0, QStringLiteral("activity-cli"));
    const GlobalOptionSet g;

    QCommandLineParser global;
    global.setApplicationDescription(
        QStringLiteral("Manage X Account Activity API webhooks and subscriptions from the command line."));
    g.addTo(global);
    const QCommandLineOption helpOption = global.addHelpOption();
    const QCommandLineOption versionOption = global.addVersionOption();
    global.addPositionalArgument(QStringLiteral("command"), QStringLiteral("See the list below."),
                                 QStringLiteral("COMMAND [ARGS...]"));
    global.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    if (!global.parse(arguments))
        return usageError(global.errorText());

    Invocation inv;
    if (const auto problem = applyGlobals(global, g, inv))
        return usageError(*problem);

    QStringList rest = global.positionalArguments();
    if (global.isSet(versionOption))
        return help(QStringLiteral("activity-cli " ACTIVITY_VERSION "\n"));
    if (rest.isEmpty()) {
        if (global.isSet(helpOption))
            return help(global.helpText() + commandList());
        return usageError(QStringLiteral("no command given."));
    }

    // Find the command: one word (replay, crc) or two (webhooks list).
    const QList<CommandSpec> specs = commands();
    const CommandSpec *spec = nullptr;
    int words = 0;
    for (const CommandSpec &candidate : specs) {
        const QStringList name = candidate.name.split(QLatin1Char(' '));
        if (rest.size() >= name.size() && rest.mid(0, name.size()) == name) {
            spec = &candidate;
            words = int(name.size());
            break;
        }
    }
    if (!spec) {
        const QString group = rest.first();
        QStringList sub;
        for (const CommandSpec &candidate : specs) {
            if (candidate.name.startsWith(group + QLatin1Char(' ')))
                sub.append(candidate.name);
        }
        if (sub.isEmpty())
            return usageError(QStringLiteral("unknown command '%1'.").arg(group));
        const QString second = rest.value(1);
        if (second == QLatin1String("--help") || second == QLatin1String("-h") || global.isSet(helpOption)) {
            QString text =
                QStringLiteral("Usage: %1 [options] %2 SUBCOMMAND\n\nSubcommands:\n").arg(program, group);
            for (const CommandSpec &candidate : specs) {
                if (candidate.name.startsWith(group + QLatin1Char(' ')))
                    text +=
                        QStringLiteral("  %1\n      %2\n")
                            .arg((QStringList {candidate.name} + candidate.positional).join(QLatin1Char(' ')),
                                 candidate.description);
            }
            return help(text);
        }
        return usageError(
            second.isEmpty()
                ? QStringLiteral("'%1' needs a subcommand: %2.").arg(group, sub.join(QStringLiteral(", ")))
                : QStringLiteral("unknown command '%1 %2'.").arg(group, second),
            QStringLiteral("activity-cli %1 --help").arg(group));
    }

    inv.command = spec->name;
    QCommandLineParser local;
    local.setApplicationDescription(spec->description);
    g.addTo(local);
    const QCommandLineOption localHelp = local.addHelpOption();
    local.addOptions(spec->options);
    // The usage line names the whole command and its arguments.
    QString syntax = spec->name;
    if (!spec->positional.isEmpty())
        syntax += QLatin1Char(' ') + spec->positional.join(QLatin1Char(' '));
    local.addPositionalArgument(spec->name, spec->description, syntax);

    const QString hint = QStringLiteral("activity-cli %1 --help").arg(spec->name);
    if (!local.parse(QStringList {program} + rest.mid(words)))
        return usageError(local.errorText(), hint);
    if (local.isSet(localHelp) || global.isSet(helpOption))
        return help(local.helpText() + spec->details);
    if (const auto problem = applyGlobals(local, g, inv))
        return usageError(*problem, hint);

    inv.arguments = local.positionalArguments();
    if (inv.arguments.size() != spec->positional.size()) {
        return usageError(QStringLiteral("'%1' takes %2 argument(s): %3.")
                              .arg(spec->name)
                              .arg(spec->positional.size())
                              .arg(spec->positional.isEmpty() ? QStringLiteral("none")
                                                              : spec->positional.join(QLatin1Char(' '))),
                          hint);
    }
    if (spec->name == QLatin1String("webhooks delete") || spec->name == QLatin1String("subscriptions remove"))
        inv.yes = local.isSet(QStringLiteral("yes"));
    if (spec->name == QLatin1String("subscriptions list"))
        inv.resolve = local.isSet(QStringLiteral("resolve"));
    if (spec->name == QLatin1String("history")) {
        if (const auto problem = applyHistoryOptions(local, inv.history))
            return usageError(*problem, hint);
    }
    if (spec->name == QLatin1String("replay")) {
        inv.from = local.value(QStringLiteral("from"));
        inv.to = local.value(QStringLiteral("to"));
        if (inv.from.isEmpty() || inv.to.isEmpty())
            return usageError(QStringLiteral("replay needs --from WHEN and --to WHEN."), hint);
    }
    return ParseResult {inv, ExitOk, {}, {}};
}

} // namespace activity::cli
