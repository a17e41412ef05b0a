#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <chrono>

namespace QKeychain {
class Job;
}

namespace activity {

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
    explicit SecretJob(QString key, QObject *parent);
    void start(QKeychain::Job *job, std::chrono::milliseconds timeout);
    void complete(Status status, const QString &message, const QByteArray &data = {});

    QString m_key;
    QByteArray m_data;
    Status m_status = Status::Running;
    QString m_message;
    QPointer<QKeychain::Job> m_job;
    QTimer m_timeout;
};

class SecretStore : public QObject
{
    Q_OBJECT
public:
    explicit SecretStore(QString service = QStringLiteral(ACTIVITY_APP_ID), QObject *parent = nullptr);

    QString service() const { return m_service; }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    // Each returns a job that emits finished() exactly once and deletes itself afterwards.
    SecretJob *read(const QString &key);
    SecretJob *write(const QString &key, const QByteArray &secret);
    SecretJob *remove(const QString &key);

private:
    QString m_service;
    std::chrono::milliseconds m_timeout {std::chrono::seconds(5)};
};

} // namespace activity
