#pragma once

#include "ApiError.h"
#include "ApiTypes.h"
#include "EndpointCatalogue.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QLockFile;
class QSettings;

namespace activity {

namespace sqlitefile {
class BackgroundPass;
}

// One write action as it is about to be sent. `parameters` names what was acted on (webhook_id,
// url, user_id, from, to): the store drops any key that looks like a credential before writing.
struct HistoryAction
{
    Operation operation = Operation::RegisterWebhook;
    QString source; // "console" or "cli"
    QString profileId; // empty when the credentials came from the environment
    QString profileName;
    ApiGeneration generation = ApiGeneration::V2;
    QString host; // of the base URL, e.g. "api.x.com" or "127.0.0.1:8080"
    QString accountUserId; // user-context calls only
    QString accountUsername; // without the @
    QJsonObject parameters;
};

enum class HistoryState { Pending, Succeeded, Failed };

// What became of an action once the answer arrived (or its absence was certain).
struct HistoryOutcome
{
    bool succeeded = false;
    int httpStatus = 0; // 0 when unknown or no HTTP answer
    QString errorKind; // ApiError::kindName, e.g. "authentication"; empty on success
    QString errorCause;
    QString errorRemedy;
    QString summary; // e.g. "job 123", "webhook 456 registered"
    qint64 durationMs = -1; // -1: measured by the store from begin()

    static HistoryOutcome success(const QString &summary, int httpStatus = 0);
    static HistoryOutcome failure(const ApiError &error);
    // A success whose answer also carried v2 "errors" (partial success): succeeded, with the
    // problems in errorKind/errorCause and "partly" in the summary.
    static HistoryOutcome partial(const QString &summary, const QList<ApiError> &problems);
};

struct HistoryEntry
{
    // Where a Pending entry stands. Settled entries are always Finished.
    enum class Progress {
        Finished,
        Running, // begun in this run, the answer is still awaited
        RunningElsewhere, // begun by another process that is still alive (the CLI, a second console)
        Interrupted, // begun by an earlier run that ended before the answer arrived
    };

    qint64 id = 0;
    QString runId;
    QDateTime startedAt; // UTC
    QDateTime finishedAt; // UTC; invalid while pending
    HistoryAction action;
    QString operationKey; // as stored, e.g. "webhooks.register"; kept when a newer version wrote it
    HistoryState state = HistoryState::Pending;
    Progress progress = Progress::Finished;
    int httpStatus = 0;
    QString errorKind;
    QString errorCause;
    QString errorRemedy;
    QString summary;
    qint64 durationMs = -1;
};

// What the history keeps. Settled entries older than maxAgeDays go, and beyond maxEntries the
// oldest settled ones; a pending entry is kept whatever its age: whether its change happened on X
// is still unknown. 0 turns a limit off.
struct HistoryRetention
{
    int maxAgeDays = 90;
    int maxEntries = 50000;

    // The console's settings "history/maxAgeDays" and "history/maxEntries"; a missing or invalid
    // value keeps the default.
    static HistoryRetention fromSettings(const QSettings &settings);
};

struct HistoryQuery
{
    int limit = 1000; // newest first; <= 0: no limit
    std::optional<HistoryState> state;
};

// The local history of every write action (register, validate, delete, subscribe, unsubscribe,
// replay), in a SQLite database that the console and activity-cli share. Each action is written
// before it is sent (Pending) and completed when the answer arrives, so a run that dies in between
// leaves a Pending entry that a later run reports as interrupted.
//
// Safe for several processes at once: WAL journal, a busy timeout, and every write is one short
// BEGIN IMMEDIATE transaction. Each instance has its own connection name and a run id; a lock file
// per run (next to the database) tells a live run from one that died.
//
// The history never gets in the way of the action: when the database cannot be opened or written,
// begin() returns 0, lastError() says why in a sentence, errorOccurred() is emitted, and the
// caller goes on. complete(0, ...) does nothing.
class HistoryStore : public QObject
{
    Q_OBJECT
public:
    static constexpr int schemaVersion = 1;

    // `databasePath` empty: defaultPath(). `runId` empty: a fresh uuid for this instance.
    explicit HistoryStore(const QString &databasePath = {}, const QString &runId = {},
                          QObject *parent = nullptr);
    ~HistoryStore() override;

    // The console's AppDataLocation (…/ActivityConsole/Activity Console/history.sqlite), also when
    // called from activity-cli, so both use the same file.
    static QString defaultPath();

    QString databasePath() const { return m_path; }
    QString runId() const { return m_runId; }
    bool isOpen() const { return m_open; }
    // The last failure in a sentence for a person; empty when the last operation worked.
    QString lastError() const { return m_lastError; }
    // "UTC now" for the timestamps; empty: the system clock. Tests inject a fixed one.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    HistoryRetention retention() const { return m_retention; }
    void setRetention(const HistoryRetention &retention) { m_retention = retention; }
    // Removes what the retention no longer keeps and returns at once: the work runs on a thread of
    // its own with its own connection, a few hundred rows per short transaction, so neither the
    // window nor another process writing the history waits for it. pruned() follows (also when
    // nothing was removed) unless the history cannot be opened; a prune already running is not
    // started again.
    void pruneInBackground();
    bool isPruning() const;

    // Records the action as Pending; returns its id, or 0 when it could not be recorded.
    qint64 begin(const HistoryAction &action);
    // Settles a Pending entry. False when it could not be written (see lastError()) or when `id`
    // is 0 or not pending.
    bool complete(qint64 id, const HistoryOutcome &outcome);

    QList<HistoryEntry> entries(const HistoryQuery &query = {}) const;
    std::optional<HistoryEntry> entry(qint64 id) const;
    // Pending entries whose run has ended: the answer never arrived, so whether the change
    // happened on X is unknown until someone looks.
    QList<HistoryEntry> pendingFromEarlierRuns() const;

    static QString operationKey(Operation operation);
    static std::optional<Operation> operationFromKey(const QString &key);
    static QString stateKey(HistoryState state);
    static std::optional<HistoryState> stateFromKey(const QString &key);
    // The parameters without anything that looks like a credential.
    static QJsonObject withoutSecrets(const QJsonObject &parameters);

Q_SIGNALS:
    void entryAdded(qint64 id);
    void entryCompleted(qint64 id);
    void errorOccurred(const QString &message);
    // A pruneInBackground() has ended; `removed` entries are gone.
    void pruned(qint64 removed);

private:
    bool open();
    bool migrate();
    bool execWrite(const std::function<bool()> &statements, QString &failure);
    void setError(const QString &what, const QString &detail) const;
    QDateTime now() const;
    QString runLockPath(const QString &runId) const;
    HistoryEntry::Progress progressOf(const QString &runId, HistoryState state) const;
    QList<HistoryEntry> select(const QString &where, const QVariantList &bindings, int limit) const;

    QString m_path;
    QString m_runId;
    QString m_connectionName;
    bool m_open = false;
    mutable QString m_lastError;
    std::function<QDateTime()> m_clock;
    std::unique_ptr<QLockFile> m_runLock;
    QHash<qint64, QElapsedTimer> m_timers; // durations of this run's pending entries
    HistoryRetention m_retention;
    std::unique_ptr<sqlitefile::BackgroundPass> m_prune;
};

} // namespace activity
