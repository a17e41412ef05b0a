#include "HistoryWriter.h"

#include <QPointer>
#include <QThread>

namespace activity {

// Lives on the writer's thread: owns the thread's own connection (QtSql connections belong to the
// thread that opened them) and maps tickets to the ids SQLite assigned.
class HistoryWriterWorker : public QObject
{
public:
    HistoryWriterWorker(QString path, QString runId)
        : m_path(std::move(path))
        , m_runId(std::move(runId))
    {
    }

    HistoryStore &store()
    {
        if (!m_store) {
            m_store = std::make_unique<HistoryStore>(m_path, m_runId);
            if (m_clock)
                m_store->setClock(m_clock);
        }
        return *m_store;
    }

    std::function<QDateTime()> m_clock;
    QHash<qint64, qint64> m_ids; // ticket -> database id
    std::unique_ptr<HistoryStore> m_store;

private:
    QString m_path;
    QString m_runId;
};

HistoryWriter::HistoryWriter(const HistoryStore &reader, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new HistoryWriterWorker(reader.databasePath(), reader.runId()))
{
    m_thread->setObjectName(QStringLiteral("history-writer"));
    m_worker->moveToThread(m_thread);
    m_thread->start();
}

HistoryWriter::~HistoryWriter()
{
    // Queued after every write asked for: the worker's store closes on its own thread, then the
    // thread ends.
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, thread = m_thread] {
        delete worker;
        thread->quit();
    });
    m_thread->wait();
    delete m_thread;
}

void HistoryWriter::setClock(std::function<QDateTime()> clock)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, clock = std::move(clock)] {
        worker->m_clock = clock;
        if (worker->m_store)
            worker->m_store->setClock(clock);
    });
}

qint64 HistoryWriter::begin(const HistoryAction &action)
{
    const qint64 ticket = m_nextTicket++;
    ++m_pending;
    // The writer outlives its worker's lambdas (its destructor waits for the thread), and an answer
    // posted to it while it is being destroyed is dropped with it.
    HistoryWriter *self = this;
    QMetaObject::invokeMethod(m_worker, [self, worker = m_worker, action, ticket] {
        HistoryStore &store = worker->store();
        const qint64 id = store.begin(action);
        const QString problem = id > 0 ? QString() : store.lastError();
        worker->m_ids.insert(ticket, id);
        QMetaObject::invokeMethod(self, [self, ticket, id, problem] {
            --self->m_pending;
            if (id > 0)
                Q_EMIT self->entryAdded(ticket, id);
            else
                Q_EMIT self->errorOccurred(problem);
        });
    });
    return ticket;
}

void HistoryWriter::complete(qint64 ticket, const HistoryOutcome &outcome)
{
    if (ticket <= 0)
        return;
    ++m_pending;
    HistoryWriter *self = this;
    QMetaObject::invokeMethod(m_worker, [self, worker = m_worker, ticket, outcome] {
        const qint64 id = worker->m_ids.take(ticket);
        // An entry that could not be begun has nothing to settle: its failure was reported then.
        const bool written = id > 0 && worker->store().complete(id, outcome);
        const QString problem = id > 0 && !written ? worker->store().lastError() : QString();
        QMetaObject::invokeMethod(self, [self, ticket, id, written, problem] {
            --self->m_pending;
            if (written)
                Q_EMIT self->entryCompleted(ticket, id);
            else if (!problem.isEmpty())
                Q_EMIT self->errorOccurred(problem);
        });
    });
}

void HistoryWriter::whenIdle(QObject *context, std::function<void()> done)
{
    QPointer<QObject> target(context);
    HistoryWriter *self = this;
    // Through the worker and back: behind every queued write and behind the signals they send.
    QMetaObject::invokeMethod(m_worker, [self, target, done = std::move(done)] {
        QMetaObject::invokeMethod(self, [target, done] {
            if (target)
                done();
        });
    });
}

} // namespace activity
