#pragma once

// The CRC doctor's test world: a TLS sandbox playing https://hooks.sandbox.test/ with the fixed test
// certificates (support/certs), reached through a stand-in host table, so no name is looked up in
// DNS and nothing leaves 127.0.0.1.

#include "HostResolver.h"
#include "SandboxServer.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>

#include <memory>

namespace doctortest {

inline QByteArray certificateFile(const char *name)
{
    QFile file(QStringLiteral(ACTIVITY_TEST_CERTS_DIR "/") + QLatin1String(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
inline QSslCertificate testCa()
{
    return QSslCertificate(certificateFile("ca.pem"), QSsl::Pem);
}
inline QSslCertificate hooksCertificate()
{
    return QSslCertificate(certificateFile("hooks.pem"), QSsl::Pem);
}
inline QSslCertificate expiredCertificate()
{
    return QSslCertificate(certificateFile("expired.pem"), QSsl::Pem);
}
inline QSslKey hooksKey()
{
    return QSslKey(certificateFile("hooks.key"), QSsl::Rsa, QSsl::Pem);
}

// The public names the stand-in table knows.
inline const QString hooksHost = QStringLiteral("hooks.sandbox.test"); // the certificate's name
inline const QString otherHost = QStringLiteral("other.sandbox.test"); // same server, not in the certificate
inline const QString closedHost = QStringLiteral("closed.sandbox.test"); // a port nothing listens on
inline const QString missingHost = QStringLiteral("missing.sandbox.test"); // not in the table

struct HttpsEndpoint
{
    std::unique_ptr<activity::sandbox::SandboxServer> server;
    QString hostTable; // ACTIVITY_CRC_DOCTOR_HOSTS

    // Serves `certificate` (the valid one by default). Returns false when it could not listen.
    bool start(const QSslCertificate &certificate = hooksCertificate())
    {
        server = std::make_unique<activity::sandbox::SandboxServer>();
        server->useTls(certificate, hooksKey());
        if (!server->listen())
            return false;
        QTcpServer closed; // a port that was free a moment ago: nothing listens there afterwards
        if (!closed.listen(QHostAddress::LocalHost))
            return false;
        const quint16 closedPort = closed.serverPort();
        closed.close();
        hostTable = QStringList {server->addPublicName(hooksHost), server->addPublicName(otherHost),
                                 QStringLiteral("%1=127.0.0.1:%2").arg(closedHost).arg(closedPort),
                                 missingHost + QLatin1Char('=')}
                        .join(QLatin1Char(','));
        return true;
    }
    std::shared_ptr<activity::StandInHostResolver> resolver() const
    {
        auto table = std::make_shared<activity::StandInHostResolver>();
        table->parse(hostTable);
        return table;
    }
    QUrl url(const QString &host = hooksHost) const
    {
        return QUrl(QStringLiteral("https://%1/sandbox/receiver/demo").arg(host));
    }
};

} // namespace doctortest
