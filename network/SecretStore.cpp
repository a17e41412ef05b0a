#include "SecretStore.h"

#include "NetworkLogging.h"

#include <qt6keychain/keychain.h>

namespace activity {

namespace {

SecretJob::Status statusFor(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError:
        return SecretJob::Status::Ok;
    case QKeychain::EntryNotFound:
        return SecretJob::Status::NotFound;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return SecretJob::Status::Unavailable;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return SecretJob::Status::Denied;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        return SecretJob::Status::Failed;
    }
    return SecretJob::Status::Failed;
}

} // namespace

QString SecretStore::explain(SecretJob::Status status, const QString &detail)
{
    switch (status) {
    case SecretJob::Status::Ok:
    case SecretJob::Status::Running:
        return {};
    case SecretJob::Status::NotFound:
        // A locked Secret Service answers reads with "not found" too, so say both.
        return SecretStore::tr("No secret is stored for this entry, or the keyring is locked. Unlock your "
                               "login keyring, or enter the secret again in the profile dialog.");
    case SecretJob::Status::Unavailable:
        return SecretStore::tr("No keychain is available (%1). Start your desktop's keyring "
                               "(for example gnome-keyring or KWallet) and try again; secrets are "
                               "never stored in plain files.")
            .arg(detail);
    case SecretJob::Status::Denied:
        return SecretStore::tr("The keychain refused access (%1). Unlock your login keyring (a locked "
                               "keyring refuses writes) or allow Activity Console in it, then try again.")
            .arg(detail);
    case SecretJob::Status::TimedOut:
        return SecretStore::tr("The keychain did not answer in time. It is probably locked: unlock your "
                               "login keyring and try again.");
    case SecretJob::Status::Failed:
        // Qt Keychain reports "no Secret Service on the bus" as OtherError; say what to do.
        if (detail.contains(QLatin1String("org.freedesktop.secrets")) ||
            detail.contains(QLatin1String("D-Bus"), Qt::CaseInsensitive) ||
            detail.contains(QLatin1String("Could not connect"), Qt::CaseInsensitive)) {
            return SecretStore::tr("No keychain service is running (%1). Start gnome-keyring or KWallet "
                                   "in your session and try again.")
                .arg(detail);
        }
        if (detail.contains(QLatin1String("collection"), Qt::CaseInsensitive)) {
            return SecretStore::tr("The keyring has no login collection yet (%1). Open your desktop's "
                                   "keyring manager (e.g. Seahorse), create or unlock the login keyring, "
                                   "and try again.")
                .arg(detail);
        }
        return SecretStore::tr("The keychain reported an error: %1").arg(detail);
    }
    return detail;
}

namespace {

// QtKeychain: the freedesktop Secret Service, KWallet, or the platform's own keychain.
class KeychainBackend : public SecretBackend
{
public:
    void start(SecretJob *job, Action action, const QString &service, const QByteArray &value) override
    {
        QKeychain::Job *keychainJob = nullptr;
        switch (action) {
        case Action::Read:
            keychainJob = new QKeychain::ReadPasswordJob(service, job);
            break;
        case Action::Write: {
            auto *writer = new QKeychain::WritePasswordJob(service, job);
            writer->setBinaryData(value);
            keychainJob = writer;
            break;
        }
        case Action::Remove:
            keychainJob = new QKeychain::DeletePasswordJob(service, job);
            break;
        }
        keychainJob->setKey(job->key());
        keychainJob->setAutoDelete(true);
        QPointer<QKeychain::Job> guard(keychainJob);
        QObject::connect(keychainJob, &QKeychain::Job::finished, job, [job](QKeychain::Job *done) {
            const SecretJob::Status status = statusFor(done->error());
            QByteArray data;
            if (auto *reader = qobject_cast<QKeychain::ReadPasswordJob *>(done))
                data = reader->binaryData();
            finish(job, status, done->errorString(), data);
        });
        // When the job times out first, the keychain job may still wait on a prompt: let it finish
        // (and delete itself) on its own, since deleting a running job is not safe.
        QObject::connect(job, &QObject::destroyed, keychainJob, [guard] {
            if (guard)
                guard->setParent(nullptr);
        });
        keychainJob->start();
    }
};

} // namespace

void SecretBackend::finish(SecretJob *job, SecretJob::Status status, const QString &detail,
                           const QByteArray &data)
{
    job->complete(status, SecretStore::explain(status, detail), data);
}

SecretJob::SecretJob(QString key, QObject *parent)
    : QObject(parent)
    , m_key(std::move(key))
{
    m_timeout.setSingleShot(true);
}

void SecretJob::complete(Status status, const QString &message, const QByteArray &data)
{
    if (m_status != Status::Running)
        return;
    m_timeout.stop();
    m_status = status;
    m_message = message;
    m_data = data;
    if (status != Status::Ok)
        qCInfo(lcSecrets) << "keychain" << m_key << status; // never the value
    Q_EMIT finished(this);
    deleteLater();
}

SecretStore::SecretStore(QString service, QObject *parent)
    : SecretStore(std::make_unique<KeychainBackend>(), std::move(service), parent)
{
}

SecretStore::SecretStore(std::unique_ptr<SecretBackend> backend, QString service, QObject *parent)
    : QObject(parent)
    , m_backend(std::move(backend))
    , m_service(std::move(service))
{
}

SecretStore::~SecretStore() = default;

SecretJob *SecretStore::startJob(const QString &key, SecretBackend::Action action, const QByteArray &value)
{
    auto *job = new SecretJob(key, this);
    // Start on the next loop pass so callers can connect to finished() first.
    QMetaObject::invokeMethod(
        job,
        [this, job, action, value] {
            connect(&job->m_timeout, &QTimer::timeout, job, [job] {
                job->complete(SecretJob::Status::TimedOut, explain(SecretJob::Status::TimedOut, {}));
            });
            job->m_timeout.start(m_timeout);
            m_backend->start(job, action, m_service, value);
        },
        Qt::QueuedConnection);
    return job;
}

SecretJob *SecretStore::read(const QString &key)
{
    return startJob(key, SecretBackend::Action::Read, {});
}

SecretJob *SecretStore::write(const QString &key, const QByteArray &secret)
{
    return startJob(key, SecretBackend::Action::Write, secret);
}

SecretJob *SecretStore::remove(const QString &key)
{
    return startJob(key, SecretBackend::Action::Remove, {});
}

} // namespace activity
