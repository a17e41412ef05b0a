#include "CliArguments.h"

#include "ActivityConfig.h"
#include "CliCommands.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace activity::cli {

namespace {

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
    for (const Command &command : commandTable()) {
        QString usage = command.usage;
        if (usage.isEmpty()) {
            usage = command.words;
            if (!command.positional.isEmpty())
                usage += QLatin1Char(' ') + command.positional.join(QLatin1Char(' '));
        }
        text += QStringLiteral("  %1\n      %2\n").arg(usage, command.summary);
    }
    text += QStringLiteral(
        "\nCredentials come from the environment: ACTIVITY_CONSUMER_KEY, ACTIVITY_CONSUMER_SECRET,\n"
        "ACTIVITY_ACCESS_TOKEN, ACTIVITY_ACCESS_TOKEN_SECRET (app owner), ACTIVITY_BEARER_TOKEN (optional),\n"
        "ACTIVITY_USER_TOKEN, ACTIVITY_USER_TOKEN_SECRET (subscribing user, for add/check); or from a "
        "profile\n"
        "stored by the console (--profile NAME: settings plus the system keychain).\n"
        "\nExit codes: 0 success, 1 the API refused, 2 usage error, 3 network/TLS/timeout,\n"
        "4 missing or unreadable credentials, 5 a watched webhook is invalid (webhooks watch "
        "--exit-on-invalid).\n"
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
    const QList<Command> &specs = commandTable();
    const Command *spec = nullptr;
    int words = 0;
    for (const Command &candidate : specs) {
        const QStringList name = candidate.words.split(QLatin1Char(' '));
        if (rest.size() >= name.size() && rest.mid(0, name.size()) == name) {
            spec = &candidate;
            words = int(name.size());
            break;
        }
    }
    if (!spec) {
        const QString group = rest.first();
        QStringList sub;
        for (const Command &candidate : specs) {
            if (candidate.words.startsWith(group + QLatin1Char(' ')))
                sub.append(candidate.words);
        }
        if (sub.isEmpty())
            return usageError(QStringLiteral("unknown command '%1'.").arg(group));
        const QString second = rest.value(1);
        if (second == QLatin1String("--help") || second == QLatin1String("-h") || global.isSet(helpOption)) {
            QString text =
                QStringLiteral("Usage: %1 [options] %2 SUBCOMMAND\n\nSubcommands:\n").arg(program, group);
            for (const Command &candidate : specs) {
                if (candidate.words.startsWith(group + QLatin1Char(' ')))
                    text +=
                        QStringLiteral("  %1\n      %2\n")
                            .arg(
                                (QStringList {candidate.words} + candidate.positional).join(QLatin1Char(' ')),
                                candidate.summary);
            }
            return help(text);
        }
        return usageError(
            second.isEmpty()
                ? QStringLiteral("'%1' needs a subcommand: %2.").arg(group, sub.join(QStringLiteral(", ")))
                : QStringLiteral("unknown command '%1 %2'.").arg(group, second),
            QStringLiteral("activity-cli %1 --help").arg(group));
    }

    inv.command = spec->words;
    inv.spec = spec;
    QCommandLineParser local;
    local.setApplicationDescription(spec->summary);
    g.addTo(local);
    const QCommandLineOption localHelp = local.addHelpOption();
    local.addOptions(spec->options);
    if (spec->confirms())
        local.addOption(yesOption());
    // The usage line names the whole command and its arguments.
    QString syntax = spec->words;
    if (!spec->positional.isEmpty())
        syntax += QLatin1Char(' ') + spec->positional.join(QLatin1Char(' '));
    local.addPositionalArgument(spec->words, spec->summary, syntax);

    const QString hint = QStringLiteral("activity-cli %1 --help").arg(spec->words);
    if (!local.parse(QStringList {program} + rest.mid(words)))
        return usageError(local.errorText(), hint);
    if (local.isSet(localHelp) || global.isSet(helpOption))
        return help(local.helpText() + spec->details);
    if (const auto problem = applyGlobals(local, g, inv))
        return usageError(*problem, hint);

    inv.arguments = local.positionalArguments();
    // "ID..." as the last argument: one or more.
    const bool repeats =
        !spec->positional.isEmpty() && spec->positional.constLast().endsWith(QStringLiteral("..."));
    if (repeats && inv.arguments.size() < spec->positional.size()) {
        return usageError(QStringLiteral("'%1' takes at least %2 argument(s): %3.")
                              .arg(spec->words)
                              .arg(spec->positional.size())
                              .arg(spec->positional.join(QLatin1Char(' '))),
                          hint);
    }
    if (!repeats && inv.arguments.size() != spec->positional.size()) {
        return usageError(QStringLiteral("'%1' takes %2 argument(s): %3.")
                              .arg(spec->words)
                              .arg(spec->positional.size())
                              .arg(spec->positional.isEmpty() ? QStringLiteral("none")
                                                              : spec->positional.join(QLatin1Char(' '))),
                          hint);
    }
    if (spec->confirms())
        inv.yes = local.isSet(QStringLiteral("yes"));
    if (spec->readOptions) {
        if (const auto problem = spec->readOptions(local, inv))
            return usageError(*problem, hint);
    }
    return ParseResult {inv, ExitOk, {}, {}};
}

} // namespace activity::cli
