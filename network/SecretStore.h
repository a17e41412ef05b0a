#pragma once

#include "ActivityConfig.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <chrono>
#include <memory>

namespace activity {

class SecretBackend;

// The single place that talks to QtKeychain. Everything secret (consumer secret, bearer token,
// access tokens) goes through here; callers serialise structured values themselves so that one
// profile needs one keychain round trip. There is deliberately no plaintext fallback.
class SecretJob : public QObject
{
    Q_OBJECT
public:
    enum class Status {
        Running,
        Ok,
        NotFound,
        Unavailable, // no Secret Service, no D-Bus session, nothing to store into
        Denied, // the user or the system refused access
        TimedOut, // the keychain did not answer: usually locked and waiting for a prompt
        Failed,
    };
    Q_ENUM(Status)

    Status status() const { return m_status; }
    bool ok() const { return m_status == Status::Ok; }
    QByteArray data() const { return m_data; }
    QString key() const { return m_key; }
    // A sentence for a person: what happened and what to do about it.
    QString message() const { return m_message; }

Q_SIGNALS:
    void finished(activity::SecretJob *job);

private:
    friend class SecretStore;
    friend class SecretBackend;
    explicit SecretJob(QString key, QObject *parent);
    void complete(Status status, const QString &message, const QByteArray &data = {});

    QString m_key;
    QByteArray m_data;
    Status m_status = Status::Running;
    QString m_message;
    QTimer m_timeout;
};

// Where the secrets are kept. The programs use the keychain (QtKeychain) and nothing else; tests
// whose subject is not the keychain plug in an in-memory backend (tests/support).
class SecretBackend
{
public:
    enum class Action { Read, Write, Remove };
    virtual ~SecretBackend() = default;
    // Runs `action` for `job` and ends it with finish(), once, at any later time; the job's own
    // timeout ends it first when the backend does not answer.
    virtual void start(SecretJob *job, Action action, const QString &service, const QByteArray &value) = 0;

protected:
    static void finish(SecretJob *job, SecretJob::Status status, const QString &detail,
                       const QByteArray &data = {});
};

class SecretStore : public QObject
{
    Q_OBJECT
public:
    // The system keychain.
    explicit SecretStore(QString service = QStringLiteral(ACTIVITY_APP_ID), QObject *parent = nullptr);
    // Another backend (tests); the store owns it.
    SecretStore(std::unique_ptr<SecretBackend> backend, QString service, QObject *parent = nullptr);
    ~SecretStore() override;

    QString service() const { return m_service; }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    // Each returns a job that emits finished() exactly once and deletes itself afterwards.
    SecretJob *read(const QString &key);
    SecretJob *write(const QString &key, const QByteArray &secret);
    SecretJob *remove(const QString &key);

    // A person's sentence for a status ("unlock your keyring ..."), whichever backend reported it.
    static QString explain(SecretJob::Status status, const QString &detail);

private:
    SecretJob *startJob(const QString &key, SecretBackend::Action action, const QByteArray &value);

    std::unique_ptr<SecretBackend> m_backend;
    QString m_service;
    std::chrono::milliseconds m_timeout {std::chrono::seconds(5)};
};

} // namespace activity
