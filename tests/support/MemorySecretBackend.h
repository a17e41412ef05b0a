#pragma once

// An in-memory SecretBackend for tests whose subject is not the keychain: answers on the next event
// loop pass, like the real one, and can be told to fail the way a missing or locked keychain does.

#include "SecretStore.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>

namespace activity::testing {

class MemorySecretBackend : public SecretBackend
{
public:
    struct Shared
    {
        QHash<QString, QByteArray> entries; // "service/key" -> value
        std::optional<SecretJob::Status> failWith; // every action ends with this status
        QString failureDetail = QStringLiteral("no Secret Service on the bus (test)");
        bool silent = false; // never answers: the job's timeout has to end it
        int actions = 0;
    };

    explicit MemorySecretBackend(std::shared_ptr<Shared> shared = std::make_shared<Shared>())
        : m_shared(std::move(shared))
    {
    }

    // A store over a fresh or given shared state, for the code under test.
    static std::unique_ptr<SecretStore> store(std::shared_ptr<Shared> shared = std::make_shared<Shared>(),
                                              const QString &service = QStringLiteral("activity-test"))
    {
        return std::make_unique<SecretStore>(std::make_unique<MemorySecretBackend>(std::move(shared)),
                                             service);
    }

    void start(SecretJob *job, Action action, const QString &service, const QByteArray &value) override
    {
        ++m_shared->actions;
        if (m_shared->silent)
            return;
        const QString entry = service + QLatin1Char('/') + job->key();
        QPointer<SecretJob> guard(job);
        std::shared_ptr<Shared> shared = m_shared;
        QTimer::singleShot(0, job, [guard, shared, entry, action, value] {
            if (!guard)
                return;
            if (shared->failWith) {
                finish(guard, *shared->failWith, shared->failureDetail);
                return;
            }
            switch (action) {
            case Action::Read:
                if (shared->entries.contains(entry))
                    finish(guard, SecretJob::Status::Ok, {}, shared->entries.value(entry));
                else
                    finish(guard, SecretJob::Status::NotFound, QStringLiteral("Entry not found"));
                return;
            case Action::Write:
                shared->entries.insert(entry, value);
                finish(guard, SecretJob::Status::Ok, {});
                return;
            case Action::Remove:
                if (shared->entries.remove(entry) > 0)
                    finish(guard, SecretJob::Status::Ok, {});
                else
                    finish(guard, SecretJob::Status::NotFound, QStringLiteral("Entry not found"));
                return;
            }
        });
    }

private:
    std::shared_ptr<Shared> m_shared;
};

} // namespace activity::testing
