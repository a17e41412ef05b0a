#pragma once

#include "HistoryStore.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QProcessEnvironment>

#include <optional>

// activity-cli's part of the local history: `activity-cli history`, and where the CLI finds the
// database the console uses (its write actions are recorded through the services' WriteRecorder).
namespace activity::cli {

class Output;

struct HistoryOptions
{
    int limit = 50;
    std::optional<HistoryState> state;
};

// --limit N and --state pending|succeeded|failed, for the `history` command's spec.
QList<QCommandLineOption> historyCommandOptions();
// Reads them from a parser that knows historyCommandOptions(); a usage problem as a sentence.
std::optional<QString> applyHistoryOptions(const QCommandLineParser &parser, HistoryOptions &options);

// ACTIVITY_HISTORY_FILE when set, else the console's file (HistoryStore::defaultPath()).
QString historyPath(const QProcessEnvironment &environment);
// ACTIVITY_HISTORY_MAX_AGE_DAYS and ACTIVITY_HISTORY_MAX_ENTRIES (0 turns a limit off); unset or
// invalid: the console's defaults.
HistoryRetention historyRetention(const QProcessEnvironment &environment);

// Prints the history as a table (newest first) or, with --json, one document
// {"database": ..., "entries": [...]}. Returns the exit code: 0, or 1 when the database cannot be read.
int printHistory(HistoryStore &store, const HistoryOptions &options, Output &output);

} // namespace activity::cli
