#pragma once

#include <QSqlDatabase>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

class QObject;
class QThread;

// What the SQLite databases in models/ (the history, the event store) share: how a connection is
// named and opened, and how pruning runs on a thread of its own. Internal to models/: it names
// QSql types, which only models/ links.
namespace activity::sqlitefile {

// How SQLite syncs a commit. WAL + Normal survives a crash of the program (the history's choice);
// WAL + Full also survives a power cut, at the price of an fsync per commit.
enum class Sync { Normal, Full };

// A connection name unique in the process: QSqlDatabase connections are process-global by name
// and belong to the thread that opened them, so every instance and every thread takes its own.
QString connectionName(const QString &prefix);

// Adds the connection `name` for `path` (removing an old one of that name first) and opens it with
// the busy timeout, WAL and `sync`. On failure returns false and says why in `failure`; `db` is
// then the connection, possibly closed, for the caller to remove.
bool openWal(QSqlDatabase &db, const QString &name, const QString &path, Sync sync, int busyTimeoutMs,
             QString &failure);

// Closes and removes the connection `name` (call it on the thread that opened it).
void close(const QString &name);

// One short write transaction: BEGIN IMMEDIATE, `statements`, COMMIT (ROLLBACK when either fails).
// IMMEDIATE takes the write lock up front (waiting up to the busy timeout) instead of failing later
// when a read lock cannot be upgraded. `statements` sets `failure` when it returns false.
bool transaction(QSqlDatabase &db, const std::function<bool()> &statements, QString &failure);

// Brings the file's schema (PRAGMA user_version) up to steps.size() in one transaction: step i
// holds the statements that take version i to i + 1, and only the steps past the file's version
// run, so a crash leaves the old schema or the new one. A file written by a newer version is
// refused. `failure` says why when it returns false.
bool upgradeSchema(QSqlDatabase &db, const QList<QStringList> &steps, QString &failure);

// A pruning pass on a thread of its own, with a flag that tells it to stop after the batch in
// hand. start() runs `work` there and then `finished` on `context`'s thread; a pass already running
// is not started again. Destroying it cancels and waits.
class BackgroundPass
{
public:
    BackgroundPass() = default;
    BackgroundPass(const BackgroundPass &) = delete;
    BackgroundPass &operator=(const BackgroundPass &) = delete;
    ~BackgroundPass();

    bool isRunning() const { return m_thread != nullptr; }
    // False when a pass is already running.
    bool start(QObject *context, std::function<void(const std::atomic_bool &cancelled)> work,
               std::function<void()> finished);

private:
    QThread *m_thread = nullptr;
    std::shared_ptr<std::atomic_bool> m_cancelled;
};

} // namespace activity::sqlitefile
