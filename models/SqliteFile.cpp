#include "SqliteFile.h"

#include <QObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

namespace activity::sqlitefile {

QString connectionName(const QString &prefix)
{
    return QStringLiteral("%1-%2").arg(prefix, QUuid::createUuid().toString(QUuid::WithoutBraces));
}

bool openWal(QSqlDatabase &db, const QString &name, const QString &path, Sync sync, int busyTimeoutMs,
             QString &failure)
{
    if (QSqlDatabase::contains(name))
        QSqlDatabase::removeDatabase(name);
    db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    if (!db.isValid()) {
        failure = QStringLiteral("Qt's SQLite driver is not installed");
        return false;
    }
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs));
    if (!db.open()) {
        failure = db.lastError().text();
        return false;
    }
    QSqlQuery pragma(db);
    // WAL: readers never block the writer. The busy timeout makes writers queue instead of
    // failing with "locked".
    if (!pragma.exec(QStringLiteral("PRAGMA busy_timeout = %1").arg(busyTimeoutMs)) ||
        !pragma.exec(QStringLiteral("PRAGMA journal_mode = WAL")) ||
        !pragma.exec(sync == Sync::Full ? QStringLiteral("PRAGMA synchronous = FULL")
                                        : QStringLiteral("PRAGMA synchronous = NORMAL"))) {
        failure = pragma.lastError().text();
        return false;
    }
    return true;
}

void close(const QString &name)
{
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

bool transaction(QSqlDatabase &db, const std::function<bool()> &statements, QString &failure)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        failure = q.lastError().text();
        return false;
    }
    if (!statements()) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return false;
    }
    if (!q.exec(QStringLiteral("COMMIT"))) {
        failure = q.lastError().text();
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return false;
    }
    return true;
}

bool upgradeSchema(QSqlDatabase &db, const QList<QStringList> &steps, QString &failure)
{
    return transaction(
        db,
        [&] {
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
                failure = q.lastError().text();
                return false;
            }
            const int version = q.value(0).toInt();
            q.finish();
            const int target = int(steps.size());
            if (version > target) {
                failure = QStringLiteral("written by a newer version (schema %1, this one knows %2)")
                              .arg(version)
                              .arg(target);
                return false;
            }
            for (int step = version; step < target; ++step) {
                for (const QString &statement : steps.at(step)) {
                    if (!q.exec(statement)) {
                        failure = q.lastError().text();
                        return false;
                    }
                }
            }
            if (version < target && !q.exec(QStringLiteral("PRAGMA user_version = %1").arg(target))) {
                failure = q.lastError().text();
                return false;
            }
            return true;
        },
        failure);
}

BackgroundPass::~BackgroundPass()
{
    if (m_thread) {
        // Stops after the batch in hand; what is left goes in the next pass.
        m_cancelled->store(true);
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
}

bool BackgroundPass::start(QObject *context, std::function<void(const std::atomic_bool &)> work,
                           std::function<void()> finished)
{
    if (m_thread)
        return false;
    m_cancelled = std::make_shared<std::atomic_bool>(false);
    m_thread = QThread::create([work = std::move(work), cancelled = m_cancelled] { work(*cancelled); });
    // finished() comes from the pass's thread; the answer is handled on the context's thread.
    QObject::connect(m_thread, &QThread::finished, context, [this, finished = std::move(finished)] {
        if (!m_thread)
            return;
        m_thread->deleteLater();
        m_thread = nullptr;
        finished();
    });
    m_thread->start(QThread::LowPriority);
    return true;
}

} // namespace activity::sqlitefile
