#pragma once

#include "ApiClient.h"
#include "HistoryStore.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QJsonObject>
#include <QProcessEnvironment>

#include <memory>
#include <optional>

// activity-cli's part of the local history: `activity-cli history`, and the recording of the CLI's
// own write actions in the database the console uses.
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
QJsonObject historyEntryObject(const HistoryEntry &entry);

// Records one CLI invocation's write action: begin() before the call is sent, succeeded()/failed()
// when the answer is there. A history that cannot be written costs one warning on stderr, never
// the command.
class HistoryRecorder
{
public:
    HistoryRecorder(std::unique_ptr<HistoryStore> store, Output *output);
    ~HistoryRecorder();

    // Which profile the command runs with (empty for environment credentials).
    void setProfile(const QString &id, const QString &name);

    qint64 begin(Operation operation, const ApiClient &client, const QJsonObject &parameters,
                 const UserCredentials *user = nullptr);
    // `log` gives the HTTP status of the call's last finished request log entry.
    // `partialErrors`: what X reported next to a successful answer; the entry is then "partly".
    void succeeded(qint64 id, const QString &summary, const ApiClient &client,
                   const QList<ApiError> &partialErrors = {});
    void failed(qint64 id, const ApiError &error);

    HistoryStore *store() const { return m_store.get(); }

private:
    void warnOnce();

    std::unique_ptr<HistoryStore> m_store;
    Output *m_output;
    QString m_profileId;
    QString m_profileName;
    Operation m_operation = Operation::RegisterWebhook;
    bool m_warned = false;
};

} // namespace activity::cli
