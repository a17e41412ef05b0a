#include "WalCheckpointer.h"

#include <QThread>

#include <sqlite3.h>

namespace activity {

WalCheckpointer::WalCheckpointer(QString path, int pages, int restartPages)
    : m_path(std::move(path))
    , m_pages(pages)
    , m_restartPages(restartPages)
{
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("wal-checkpoint"));
    m_thread->start();
}

WalCheckpointer::~WalCheckpointer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread->wait();
}

void WalCheckpointer::watch(sqlite3 *writer)
{
    // Replaces the automatic checkpoint (itself a WAL hook) on this connection.
    sqlite3_wal_hook(writer, &WalCheckpointer::onCommit, this);
}

void WalCheckpointer::unwatch(sqlite3 *writer)
{
    sqlite3_wal_autocheckpoint(writer, 1000); // SQLite's default
}

int WalCheckpointer::onCommit(void *self, sqlite3 *db, const char *schema, int frames)
{
    // On the writer's thread, after each commit.
    auto *checkpointer = static_cast<WalCheckpointer *>(self);
    if (frames >= checkpointer->m_restartPages) {
        // SQLite starts the WAL over only when a write begins with every frame copied, which the
        // thread's copies, always a little behind a busy writer, never achieve. So the writer copies
        // the few frames left itself, as the automatic checkpoint would, but with the bulk already
        // done; its next transaction then starts the WAL over. Busy (the thread is copying): the
        // next commit tries again.
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        return SQLITE_OK;
    }
    // Every `pages` new frames, not after every commit past the first threshold: each copy ends
    // with two fsyncs.
    if (frames < checkpointer->m_requestedAt)
        checkpointer->m_requestedAt = 0; // the WAL started over
    if (frames < checkpointer->m_requestedAt + checkpointer->m_pages)
        return SQLITE_OK;
    checkpointer->m_requestedAt = frames;
    {
        std::lock_guard lock(checkpointer->m_mutex);
        if (checkpointer->m_requested)
            return SQLITE_OK;
        checkpointer->m_requested = true;
    }
    checkpointer->m_wake.notify_one();
    return SQLITE_OK;
}

void WalCheckpointer::run()
{
    sqlite3 *db = nullptr;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_requested || m_stopping; });
            if (m_stopping)
                break;
            m_requested = false;
        }
        if (!db) {
            // The writer created the file; a connection of our own for the copies.
            const QByteArray path = m_path.toUtf8();
            if (sqlite3_open_v2(path.constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                                nullptr) != SQLITE_OK) {
                sqlite3_close(db);
                db = nullptr;
                continue; // the next commit over the threshold tries again
            }
            sqlite3_busy_timeout(db, 1000);
            // A fresh connection does not know the file is in WAL mode until it has read it: without
            // this the checkpoint call returns at once, having done nothing.
            sqlite3_exec(db, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
        }
        // PASSIVE: copies what no reader still needs, never waits for the writer or a reader. Failing
        // (busy) is harmless: the WAL only grows until the next try.
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
    sqlite3_close(db);
}

} // namespace activity
