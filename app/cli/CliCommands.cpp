#include "CliCommands.h"

#include "CliArguments.h"
#include "CliRunner.h"
#include "EndpointCatalogue.h"
#include "HistoryCommand.h"
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

std::optional<QString> readHistoryOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    return applyHistoryOptions(parser, invocation.history);
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
             "Sign a user in to the profile's app with X's PIN flow and keep the account's tokens in "
             "the keychain (needs --profile)."),
         {},
         Effect::Reads,
         false,
         &Runner::login},
        {QStringLiteral("history"),
         {},
         QStringLiteral("Show the local history of write actions (console and CLI), newest first."),
         historyCommandOptions(),
         Effect::Reads,
         false,
         &Runner::showHistory,
         readHistoryOptions},
        // Before "crc": the first command whose words match wins.
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
