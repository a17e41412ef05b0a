#pragma once

#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>

class QThread;
struct sqlite3;

// Internal to models/ (the event store's writer uses it).
namespace activity {

// Copies a WAL file's pages into its database on a thread of its own, so the writer's commits never
// wait for it. SQLite's automatic checkpoint runs inside the commit that crosses its threshold and
// ends with an fsync of the database file (with synchronous NORMAL as well as FULL): under the
// receiver's load that stalled every sender for milliseconds each time, and on a real disk the
// stored rate fell to two thirds of the same run on tmpfs (#16).
//
// watch() replaces the connection's automatic checkpoint with a hook that wakes this thread when
// the WAL holds `pages` frames or more; the thread then runs a PASSIVE checkpoint on a connection
// of its own (readers and the writer go on meanwhile). From `restartPages` frames on, the writer
// copies what is left itself after a commit (little: the thread did the rest), so that its next
// transaction starts the WAL over: the file stays near that size. Durability is unchanged: a
// commit is in the WAL before it is answered, whoever copies it on later, and every copy is synced
// as SQLite's own checkpoint syncs it.
class WalCheckpointer
{
public:
    explicit WalCheckpointer(QString path, int pages = 1000, int restartPages = 16000);
    // Finishes a checkpoint in progress; what is still in the WAL is checkpointed when the last
    // connection closes (SQLite's own rule).
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // From now on `writer` (a connection in WAL mode to the same file) leaves its checkpoints to
    // this object. Call on the writer's thread; unwatch() it before this object goes.
    void watch(sqlite3 *writer);
    // Gives `writer` its automatic checkpoint back.
    static void unwatch(sqlite3 *writer);

private:
    static int onCommit(void *self, sqlite3 *db, const char *schema, int frames);
    void run();

    QString m_path;
    int m_pages;
    int m_restartPages;
    int m_requestedAt = 0; // the WAL's frames at the last request (the writer's thread only)
    std::unique_ptr<QThread> m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_requested = false;
    bool m_stopping = false;
};

} // namespace activity
