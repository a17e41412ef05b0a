#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

// activity-cli's command table: one row per command. Argument parsing, --help and the runner's
// dispatch all read it, so a new command is one row plus its handler.
namespace activity::cli {

class Runner;
struct Invocation;

// What a command does to the API's data: a write is recorded in the history; a destructive write
// also asks for confirmation (or --yes, which the parser adds to its options).
enum class Effect {
    Reads,
    Writes,
    Destroys,
};

struct Command
{
    QString words; // "subscriptions add"
    QStringList positional; // argument names as shown in the usage line
    QString summary; // the command list and its own --help
    QList<QCommandLineOption> options;
    Effect effect = Effect::Reads;
    // It acts as a signed-in user: with --profile, an account of the profile is resolved first.
    bool needsUser = false;
    void (Runner::*handler)() = nullptr;
    // Copies the command's own options into the invocation; a usage problem as a sentence.
    std::function<std::optional<QString>(const QCommandLineParser &, Invocation &)> readOptions = {};
    QString usage = {}; // the command list's usage line, when more than words and positional
    QString details = {}; // shown after the options in the command's own --help
    // With --profile, the runner reads the profile's app secrets from the keychain before the
    // handler runs. The profile and account commands read the store themselves (false).
    bool resolvesProfile = true;
    // Decides needsUser from the invocation where it depends on it (activity add: only the event
    // types X delivers to a user's sign-in).
    std::function<bool(const Invocation &)> userNeeded = {};

    bool needsUserFor(const Invocation &invocation) const
    {
        return userNeeded ? userNeeded(invocation) : needsUser;
    }
    bool writes() const { return effect != Effect::Reads; }
    bool confirms() const { return effect == Effect::Destroys; }
};

// Every command, in the order --help lists them. The first row whose words match wins, so a longer
// command comes before its prefix ("crc test" before "crc").
const QList<Command> &commandTable();
const Command *findCommand(const QString &words);

// listen: its options, their check (a usage problem as a sentence) and its help text
// (CliListenCommand.cpp).
QList<QCommandLineOption> listenOptions();
std::optional<QString> readListenOptions(const QCommandLineParser &parser, Invocation &invocation);
QString listenDetails();
// events tail: listen's options and --stream, --type, --count.
QList<QCommandLineOption> tailOptions();
std::optional<QString> readTailOptions(const QCommandLineParser &parser, Invocation &invocation);
QString tailDetails();
// login (CliLoginCommand.cpp): --oauth2, --scopes, --preset.
QList<QCommandLineOption> loginOptions();
std::optional<QString> readLoginOptions(const QCommandLineParser &parser, Invocation &invocation);
QString loginDetails();
// subscriptions find (CliSubscriberSearch.cpp): --all-profiles.
QList<QCommandLineOption> findSubscriberOptions();
std::optional<QString> readFindSubscriberOptions(const QCommandLineParser &parser, Invocation &invocation);
// webhooks watch (CliWatchCommand.cpp): --interval, --exit-on-invalid, --revalidate.
QList<QCommandLineOption> watchOptions();
std::optional<QString> readWatchOptions(const QCommandLineParser &parser, Invocation &invocation);
QString watchDetails();
QList<QCommandLineOption> crcDoctorOptions(); // CliCrcCommands.cpp
std::optional<QString> readCrcDoctorOptions(const QCommandLineParser &parser, Invocation &invocation);
QString crcDoctorDetails();

// -y/--yes, added to the options of every Destroys command.
QCommandLineOption yesOption();

} // namespace activity::cli
