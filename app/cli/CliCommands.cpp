#include "CliCommands.h"

#include "ActivityEventTypes.h"
#include "CliArguments.h"
#include "CliProfileCommands.h"
#include "CliRunner.h"
#include "EndpointCatalogue.h"
#include "HistoryCommand.h"
#include "OAuth2.h"
#include "Validation.h"

namespace activity::cli {

namespace {

// The replay rules of both generations, as the console's replay dialog shows them.
QString replayDetails()
{
    return QStringLiteral("\nRules (%1):\n  v2:   %2\n  v1.1: %3\n")
        .arg(endpoints::followedApiVersion,
             validate::ReplayRules::forGeneration(ApiGeneration::V2).description(),
             validate::ReplayRules::forGeneration(ApiGeneration::V1_1).description());
}

QString profileAddDetails()
{
    QString presets;
    for (const oauth2::ScopePreset &preset : oauth2::scopePresets())
        presets += QStringLiteral("  %1 %2:\n      %3\n")
                       .arg(preset.id, -22)
                       .arg(preset.title, oauth2::joinScopes(preset.scopes));
    return QStringLiteral(
               "\nSecrets are never taken from arguments (the process list and the shell history show "
               "those);\nthey come from the environment:\n"
               "  ACTIVITY_CONSUMER_SECRET       the app's API key secret (consumer secret)\n"
               "  ACTIVITY_ACCESS_TOKEN          the app owner's access token\n"
               "  ACTIVITY_ACCESS_TOKEN_SECRET   and its secret\n"
               "  ACTIVITY_BEARER_TOKEN          the app's bearer token (optional)\n"
               "  ACTIVITY_OAUTH2_CLIENT_SECRET  a confidential OAuth 2.0 client's secret (none for a public "
               "client)\n"
               "or, with --secrets-from-stdin, from stdin as NAME=value lines with the same names (stdin "
               "wins; "
               "an\nempty value clears a stored secret with --update). They go to the system keychain, the "
               "rest to\nthe console's settings file, exactly as the console stores a profile.\n"
               "\nA new profile: --api v2 and --base-url https://api.x.com unless given; plain http only to "
               "127.0.0.1\nor ::1, with --allow-insecure-loopback.\n"
               "\nScope presets (--oauth2-preset):\n") +
        presets;
}

std::optional<QString> readResolve(const QCommandLineParser &parser, Invocation &invocation)
{
    invocation.resolve = parser.isSet(QStringLiteral("resolve"));
    return std::nullopt;
}

std::optional<QString> readReplayWindow(const QCommandLineParser &parser, Invocation &invocation)
{
    invocation.from = parser.value(QStringLiteral("from"));
    invocation.to = parser.value(QStringLiteral("to"));
    if (invocation.from.isEmpty() || invocation.to.isEmpty())
        return QStringLiteral("replay needs --from WHEN and --to WHEN.");
    return std::nullopt;
}

std::optional<QString> readEventsOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    return applyEventsOptions(parser, invocation.events);
}

QString eventsTriggerDetails()
{
    return QStringLiteral(
        "\nOnly the sandbox makes events on request: the command uses the profile's base URL (or "
        "--base-url,\n"
        "ACTIVITY_BASE_URL, ACTIVITY_SANDBOX_URL) and ACTIVITY_SANDBOX_TOKEN, the token activity-sandbox\n"
        "printed. An X Activity event goes to every matching subscription's webhook and to the stream;\n"
        "an Account Activity event to every webhook the user is subscribed to. Exit code 1: nothing "
        "matched.\n");
}

std::optional<QString> readHistoryOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    return applyHistoryOptions(parser, invocation.history);
}

// activity add|update: --keyword, --direction, --tag, --webhook as given (checked with the X
// Activity API's own rules by the client before anything is sent).
std::optional<QString> readActivityOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    ActivityOptions &options = invocation.activity;
    const auto optional = [&parser](const QString &name) -> std::optional<QString> {
        if (!parser.optionNames().contains(name) || !parser.isSet(name))
            return std::nullopt;
        return parser.value(name);
    };
    options.keyword = optional(QStringLiteral("keyword")).value_or(QString());
    options.direction = optional(QStringLiteral("direction")).value_or(QString()).toLower();
    if (!options.direction.isEmpty() && options.direction != QLatin1String("inbound") &&
        options.direction != QLatin1String("outbound"))
        return QStringLiteral("--direction is inbound or outbound.");
    options.tag = optional(QStringLiteral("tag"));
    options.webhookId = optional(QStringLiteral("webhook"));
    if (const std::optional<QString> tier = optional(QStringLiteral("tier"))) {
        const std::optional<xaa::Tier> found = xaa::tierFromName(*tier);
        if (!found)
            return QStringLiteral("--tier is self-serve, enterprise or partner.");
        options.tier = int(*found);
    }
    if (parser.optionNames().contains(QStringLiteral("resolve")))
        invocation.resolve = parser.isSet(QStringLiteral("resolve"));
    return std::nullopt;
}

std::optional<QString> readActivityUpdate(const QCommandLineParser &parser, Invocation &invocation)
{
    if (auto problem = readActivityOptions(parser, invocation))
        return problem;
    if (!invocation.activity.tag && !invocation.activity.webhookId)
        return QStringLiteral(
            "Give --tag, --webhook or both: only those can change (the event type and filter "
            "need a new subscription).");
    return std::nullopt;
}

// Only the event types X delivers to a user's sign-in need an account of the profile.
bool activityAddNeedsUser(const Invocation &invocation)
{
    const xaa::EventType *type = xaa::findEventType(invocation.arguments.value(0));
    return type && xaa::needsUserToken(*type);
}

QString activityAddDetails()
{
    return QStringLiteral(
        "\nEVENT_TYPE is a current name (see 'activity types'); the old PascalCase names and "
        "chat.conversation_join are accepted and sent as the current name.\n"
        "--user names the user whose activity is watched (filter.user_id): a numeric id, a signed-in account "
        "of the profile, or any @name (looked up with GET /2/users/by).\n"
        "Public event types are created with the app's Bearer token. The others (private, DM, chat, like, "
        "mute, block) need that user's OAuth 2.0 sign-in with the type's scope: with --profile the account "
        "--user names, else ACTIVITY_OAUTH2_USER_TOKEN (and ACTIVITY_OAUTH2_SCOPES). Mute and block watch "
        "only "
        "the signed-in user.\n"
        "Without --webhook the events go only to the activity stream.\n");
}

} // namespace

// A friend of Runner: the rows name its private handlers.
QList<Command> buildCommandTable()
{
    const QCommandLineOption resolve(QStringLiteral("resolve"),
                                     QStringLiteral("Look up usernames and names (batches of 100 ids)."));
    const QCommandLineOption from(QStringLiteral("from"),
                                  QStringLiteral("Start of the window: yyyymmddhhmm (UTC) or ISO 8601."),
                                  QStringLiteral("WHEN"));
    const QCommandLineOption to(QStringLiteral("to"),
                                QStringLiteral("End of the window: yyyymmddhhmm (UTC) or ISO 8601."),
                                QStringLiteral("WHEN"));
    const QString webhookId = QStringLiteral("WEBHOOK_ID");
    const QCommandLineOption keyword(QStringLiteral("keyword"),
                                     QStringLiteral("Filter: a keyword of 1 to 150 characters (news.new)."),
                                     QStringLiteral("K"));
    const QCommandLineOption direction(
        QStringLiteral("direction"),
        QStringLiteral("Filter: inbound or outbound (like.create; absent: both)."), QStringLiteral("D"));
    const QCommandLineOption tag(QStringLiteral("tag"),
                                 QStringLiteral("A label of 1 to 200 characters X echoes on every event."),
                                 QStringLiteral("T"));
    const QCommandLineOption webhook(QStringLiteral("webhook"),
                                     QStringLiteral("The webhook the events go to (besides the stream)."),
                                     QStringLiteral("ID"));
    const QCommandLineOption tier(QStringLiteral("tier"),
                                  QStringLiteral("The app's access tier for the quota: self-serve (1,500), "
                                                 "enterprise (75,000) or partner (150,000); default: the "
                                                 "profile's, else enterprise."),
                                  QStringLiteral("NAME"));
    return {
        {QStringLiteral("webhooks list"),
         {},
         QStringLiteral("List the app's webhooks."),
         {},
         Effect::Reads,
         false,
         &Runner::listWebhooks},
        {QStringLiteral("webhooks register"),
         {QStringLiteral("URL")},
         QStringLiteral("Register a webhook URL; X runs a CRC check against it first."),
         {},
         Effect::Writes,
         false,
         &Runner::registerWebhook},
        {QStringLiteral("webhooks validate"),
         {QStringLiteral("ID")},
         QStringLiteral("Trigger a CRC check; a passing check re-enables an invalid webhook."),
         {},
         Effect::Writes,
         false,
         &Runner::validateWebhook},
        {QStringLiteral("webhooks delete"),
         {QStringLiteral("ID")},
         QStringLiteral("Delete a webhook and with it every subscription to it."),
         {},
         Effect::Destroys,
         false,
         &Runner::deleteWebhook},
        {QStringLiteral("webhooks watch"),
         {},
         QStringLiteral(
             "Watch the webhooks: one line (or JSON object) per change of 'valid', until stopped."),
         watchOptions(),
         Effect::Reads,
         false,
         &Runner::watchWebhooks,
         readWatchOptions,
         QStringLiteral("webhooks watch [--interval S] [--exit-on-invalid] [--revalidate] [--json]"),
         watchDetails()},
        {QStringLiteral("subscriptions count"),
         {},
         QStringLiteral("Show subscriptions used and provisioned."),
         {},
         Effect::Reads,
         false,
         &Runner::subscriptionCount},
        {QStringLiteral("subscriptions list"),
         {webhookId},
         QStringLiteral("List the users subscribed to a webhook."),
         {resolve},
         Effect::Reads,
         false,
         &Runner::listSubscriptions,
         readResolve},
        {QStringLiteral("subscriptions add"),
         {webhookId},
         QStringLiteral("Subscribe the user of ACTIVITY_USER_TOKEN to a webhook."),
         {},
         Effect::Writes,
         true,
         &Runner::addSubscription},
        {QStringLiteral("subscriptions check"),
         {webhookId},
         QStringLiteral("Check whether the user of ACTIVITY_USER_TOKEN is subscribed."),
         {},
         Effect::Reads,
         true,
         &Runner::checkSubscription},
        {QStringLiteral("subscriptions remove"),
         {webhookId, QStringLiteral("USER_ID")},
         QStringLiteral("Unsubscribe a user from a webhook."),
         {},
         Effect::Destroys,
         false,
         &Runner::removeSubscription},
        {QStringLiteral("subscriptions find"),
         {QStringLiteral("@NAME|ID")},
         QStringLiteral(
             "Find which webhooks a user is subscribed to, and what changed on each since the last "
             "list."),
         findSubscriberOptions(),
         Effect::Reads,
         false,
         &Runner::findSubscriber,
         readFindSubscriberOptions,
         QStringLiteral("subscriptions find @NAME|ID [--all-profiles] [--json]"),
         QStringLiteral(
             "\nLists every webhook and each webhook's subscribers, then answers from those lists (a "
             "@username is\n"
             "looked up first); with --all-profiles, those of every profile the console stores. Each "
             "webhook's\n"
             "list is kept as a snapshot (ACTIVITY_SUBSCRIBERS_DIR, else the console's folder), so the "
             "answer\n"
             "also says who appeared and who disappeared since the previous list. With --json: user_id,\n"
             "username, subscribed, profiles_searched, webhooks_searched, found [{profile, webhook_id, url}] "
             "and\n"
             "webhooks [{profile, webhook_id, url, subscribers, first_list, since, appeared, "
             "disappeared}].\n")},
        {QStringLiteral("activity types"),
         {},
         QStringLiteral("List the X Activity API's event types: family, filters, scope, public or private."),
         {},
         Effect::Reads,
         false,
         &Runner::listActivityTypes,
         {},
         {},
         {},
         false},
        {QStringLiteral("activity list"),
         {},
         QStringLiteral("List the app's X Activity API subscriptions (every page) and the tier's quota."),
         {resolve, tier},
         Effect::Reads,
         false,
         &Runner::listActivity,
         readActivityOptions},
        {QStringLiteral("activity add"),
         {QStringLiteral("EVENT_TYPE")},
         QStringLiteral("Subscribe the app to an event type of a user or keyword (X Activity API)."),
         {keyword, direction, tag, webhook},
         Effect::Writes,
         false,
         &Runner::addActivity,
         readActivityOptions,
         QStringLiteral(
             "activity add EVENT_TYPE [--user @NAME|ID] [--keyword K] [--direction inbound|outbound] "
             "[--tag T] [--webhook ID]"),
         activityAddDetails(),
         true,
         activityAddNeedsUser},
        {QStringLiteral("activity update"),
         {QStringLiteral("ID")},
         QStringLiteral("Change an X Activity subscription's tag or webhook."),
         {tag, webhook},
         Effect::Writes,
         false,
         &Runner::updateActivity,
         readActivityUpdate},
        {QStringLiteral("activity remove"),
         {QStringLiteral("ID...")},
         QStringLiteral("Delete X Activity subscriptions (up to 100 per request, more in batches)."),
         {},
         Effect::Destroys,
         false,
         &Runner::removeActivity},
        {QStringLiteral("replay"),
         {webhookId},
         QStringLiteral("Ask X to re-deliver the events of a time window (v2: POST /2/webhooks/replay, the "
                        "last 24 hours; v1.1: the last 5 days; one job per webhook at a time)."),
         {from, to},
         Effect::Writes,
         false,
         &Runner::replay,
         readReplayWindow,
         QStringLiteral("replay WEBHOOK_ID --from WHEN --to WHEN"),
         replayDetails()},
        {QStringLiteral("login"),
         {},
         QStringLiteral(
             "Sign a user in to the profile's app and keep the account's tokens in the keychain (needs "
             "--profile): X's PIN flow, or with --oauth2 OAuth 2.0 with PKCE."),
         loginOptions(),
         Effect::Reads,
         false,
         &Runner::login,
         readLoginOptions,
         QStringLiteral("login [--oauth2 [--scopes \"A B ...\" | --preset NAME]]"),
         loginDetails()},
        {QStringLiteral("accounts remove"),
         {QStringLiteral("ACCOUNT")},
         QStringLiteral(
             "Remove a signed-in account of the profile (needs --profile): its OAuth 2.0 sign-in is "
             "revoked at X first, then its tokens leave the keychain."),
         {},
         Effect::Destroys,
         false,
         &Runner::removeAccount},
        {QStringLiteral("history"),
         {},
         QStringLiteral("Show the local history of write actions (console and CLI), newest first."),
         historyCommandOptions(),
         Effect::Reads,
         false,
         &Runner::showHistory,
         readHistoryOptions},
        // The live events (#16) kept on this computer: reading them changes nothing at X.
        {QStringLiteral("events list"),
         {},
         QStringLiteral("List the events received (stream, receiver, sandbox), newest first."),
         eventsQueryOptions(),
         Effect::Reads,
         false,
         &Runner::listEvents,
         readEventsOptions,
         QStringLiteral("events list [--limit N] [--type TYPE]... [--text TEXT]"),
         {},
         false},
        {QStringLiteral("events tail"),
         {},
         QStringLiteral("Show live events as they arrive: the X Activity stream, a webhook receiver, or what "
                        "the console and others store; each stored first, optionally forwarded."),
         tailOptions(),
         Effect::Reads,
         false,
         &Runner::tailEvents,
         readTailOptions,
         QStringLiteral("events tail [--stream [--from WHEN --to WHEN]] [--listen ADDR:PORT] [--forward-to "
                        "URL] [--type T]... "
                        "[--count N]"),
         tailDetails()},
        {QStringLiteral("events show"),
         {QStringLiteral("ROW|EVENT_ID")},
         QStringLiteral("Show one received event: its headers and its body, pretty-printed."),
         {},
         Effect::Reads,
         false,
         &Runner::showEvent,
         {},
         {},
         {},
         false},
        {QStringLiteral("events export"),
         {},
         QStringLiteral("Write the received events as JSON Lines (one object per event, oldest first)."),
         eventsQueryOptions() << outputOption(),
         Effect::Reads,
         false,
         &Runner::exportEvents,
         readEventsOptions,
         QStringLiteral("events export [--output FILE] [--limit N] [--type TYPE]... [--text TEXT]"),
         {},
         false},
        {QStringLiteral("events resend"),
         {QStringLiteral("ROW|EVENT_ID...")},
         QStringLiteral("Send received events again to a program, with their original body and headers, "
                        "re-signed with the app's consumer secret."),
         {forwardToOption()},
         Effect::Reads,
         false,
         &Runner::resendEvents,
         readEventsOptions,
         QStringLiteral("events resend ROW|EVENT_ID... --forward-to URL")},
        {QStringLiteral("events trigger"),
         {QStringLiteral("TYPE")},
         QStringLiteral(
             "Ask the sandbox for a synthetic event (an X Activity type such as post.create, or an "
             "Account Activity key such as favorite_events), delivered as X would."),
         {keyword, direction},
         Effect::Reads,
         false,
         &Runner::triggerEvent,
         readActivityOptions,
         QStringLiteral("events trigger TYPE [--user @NAME|ID] [--keyword K] [--direction inbound|outbound]"),
         eventsTriggerDetails(),
         false},
        // Profiles and accounts are the console's own (settings plus keychain): they change nothing at
        // X, so nothing is recorded in the history.
        {QStringLiteral("profiles list"),
         {},
         QStringLiteral("List the stored profiles (the console's X apps) with their settings, number of "
                        "signed-in accounts and which secrets the keychain holds (never the secrets)."),
         {},
         Effect::Reads,
         false,
         &Runner::listProfiles,
         refuseProfileOption,
         {},
         {},
         false},
        {QStringLiteral("profiles add"),
         {QStringLiteral("NAME")},
         QStringLiteral("Store a profile as the console does (or change it, with --update); its secrets come "
                        "from the environment or stdin, never from arguments."),
         profileAddOptions(),
         Effect::Reads,
         false,
         &Runner::addProfile,
         applyProfileAddOptions,
         QStringLiteral("profiles add NAME [--update] [--api v1.1|v2] [--base-url URL] [--consumer-key KEY]\n"
                        "      [--callback-url URL] [--oauth2-client-id ID] [--oauth2-redirect-uri URI]\n"
                        "      [--oauth2-scopes \"SCOPE ...\" | --oauth2-preset PRESET] "
                        "[--allow-insecure-loopback]\n      [--secrets-from-stdin]"),
         profileAddDetails(),
         false},
        {QStringLiteral("profiles remove"),
         {QStringLiteral("NAME|ID")},
         QStringLiteral(
             "Remove a stored profile with its secrets and its accounts' tokens from this computer."),
         {},
         Effect::Destroys,
         false,
         &Runner::removeProfile,
         refuseProfileOption,
         {},
         QStringLiteral(
             "\nNothing changes at X: webhooks and subscriptions stay, and the OAuth 2.0 tokens of "
             "the profile's\naccounts are deleted here but not revoked. 'activity-cli --profile NAME "
             "accounts remove ACCOUNT'\nrevokes an account's tokens at X first; run it before removing "
             "the profile.\n"),
         false},
        // After every longer "accounts ..." row: the first command whose words match wins.
        {QStringLiteral("accounts"),
         {},
         QStringLiteral("List the profile's signed-in accounts: how each signed in, and for OAuth 2.0 the "
                        "granted scopes, when the access token expires and whether a refresh token is held "
                        "(never a token; needs --profile)."),
         {},
         Effect::Reads,
         false,
         &Runner::listAccounts,
         {},
         {},
         {},
         false},
        {QStringLiteral("listen"),
         {},
         QStringLiteral("Receive X's webhook deliveries here: answer CRC checks, verify each delivery's "
                        "signature and store it in the event store before answering 200 (needs the app's "
                        "consumer secret: ACTIVITY_CONSUMER_SECRET or --profile). Runs until Ctrl+C."),
         listenOptions(),
         Effect::Reads,
         false,
         &Runner::listen,
         readListenOptions,
         QStringLiteral("listen [--listen ADDR:PORT] [--path /PATH] [--forward-to URL]"),
         listenDetails()},
        // Before "crc": the first command whose words match wins.
        {QStringLiteral("crc doctor"),
         {QStringLiteral("URL")},
         QStringLiteral("Diagnose a webhook URL the way X will use it: the URL's form, DNS, TCP, TLS, the "
                        "CRC answer and its token, latency over several tries, compression, and for a "
                        "registered webhook X's own re-validation; each item passed, warned or failed with "
                        "cause and remedy (needs ACTIVITY_CONSUMER_SECRET or --profile). Exit 0 nothing "
                        "failed, 1 an item failed, 3 unreachable (DNS or TCP)."),
         crcDoctorOptions(),
         Effect::Writes, // X's re-validation of a registered webhook (a PUT, in the history)
         false,
         &Runner::doctorCrc,
         readCrcDoctorOptions,
         QStringLiteral("crc doctor URL [--tries N] [--webhook ID] [--no-revalidate] [--ca-file PEM]"),
         crcDoctorDetails()},
        {QStringLiteral("crc test"),
         {QStringLiteral("URL")},
         QStringLiteral("Call a webhook URL the way X's CRC check does (GET ?crc_token=..., 3 s limit, no "
                        "redirects) and compare its answer with the expected token; nothing is registered "
                        "(needs ACTIVITY_CONSUMER_SECRET or --profile). Exit 0 passed, 1 failed, 3 "
                        "unreachable."),
         {},
         Effect::Reads,
         false,
         &Runner::testCrc},
        {QStringLiteral("crc"),
         {QStringLiteral("TOKEN")},
         QStringLiteral("Print the response token a webhook must answer for a crc_token (needs "
                        "ACTIVITY_CONSUMER_SECRET)."),
         {},
         Effect::Reads,
         false,
         &Runner::runCrc},
    };
}

QCommandLineOption yesOption()
{
    return QCommandLineOption(
        QStringList {QStringLiteral("y"), QStringLiteral("yes")},
        QStringLiteral("Do not ask for confirmation (required when stdin is not a terminal)."));
}

const QList<Command> &commandTable()
{
    static const QList<Command> table = buildCommandTable();
    return table;
}

const Command *findCommand(const QString &words)
{
    for (const Command &command : commandTable()) {
        if (command.words == words)
            return &command;
    }
    return nullptr;
}

} // namespace activity::cli
