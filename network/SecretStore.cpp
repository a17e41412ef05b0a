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

QString explain(SecretJob::Status status, const QString &detail)
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

} // namespace

SecretJob::SecretJob(QString key, QObject *parent)
    : QObject(parent)
    , m_key(std::move(key))
{
    m_timeout.setSingleShot(true);
}

void SecretJob::start(QKeychain::Job *job, std::chrono::milliseconds timeout)
{
    m_job = job;
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *done) {
        const Status status = statusFor(done->error());
        QByteArray data;
        if (auto *reader = qobject_cast<QKeychain::ReadPasswordJob *>(done))
            data = reader->binaryData();
        complete(status, explain(status, done->errorString()), data);
    });
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        // The keychain job may still be waiting on a prompt; forget about it rather than block.
        if (m_job) {
            // Let it finish (and delete itself) on its own: deleting a running job is not safe.
            m_job->disconnect(this);
            m_job->setParent(nullptr);
        }
        complete(Status::TimedOut, explain(Status::TimedOut, {}));
    });
    m_timeout.start(timeout);
    job->start();
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
    : QObject(parent)
    , m_service(std::move(service))
{
}

SecretJob *SecretStore::read(const QString &key)
{
    auto *result = new SecretJob(key, this);
    auto *job = new QKeychain::ReadPasswordJob(m_service, result);
    job->setKey(key);
    // Start on the next loop pass so callers can connect to finished() first.
    QMetaObject::invokeMethod(
        result, [result, job, t = m_timeout] { result->start(job, t); }, Qt::QueuedConnection);
    return result;
}

SecretJob *SecretStore::write(const QString &key, const QByteArray &secret)
{
    auto *result = new SecretJob(key, this);
    auto *job = new QKeychain::WritePasswordJob(m_service, result);
    job->setKey(key);
    job->setBinaryData(secret);
    QMetaObject::invokeMethod(
        result, [result, job, t = m_timeout] { result->start(job, t); }, Qt::QueuedConnection);
    return result;
}

SecretJob *SecretStore::remove(const QString &key)
{
    auto *result = new SecretJob(key, this);
    auto *job = new QKeychain::DeletePasswordJob(m_service, result);
    job->setKey(key);
    QMetaObject::invokeMethod(
        result, [result, job, t = m_timeout] { result->start(job, t); }, Qt::QueuedConnection);
    return result;
}

} // namespace activity
