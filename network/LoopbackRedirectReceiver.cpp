#include "LoopbackRedirectReceiver.h"

#include "Validation.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

namespace activity {

namespace {

constexpr qint64 maxRequestBytes = 8 * 1024;
constexpr int silentConnectionMs = 10000;

QByteArray response(int status, const QByteArray &reason, const QByteArray &html)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
        "\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n"
        "Content-Length: " +
        QByteArray::number(html.size()) + "\r\n\r\n" + html;
}

QByteArray page(const QByteArray &title, const QByteArray &text)
{
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title +
        "</title></head><body style=\"font-family:sans-serif;margin:3em\"><h1>" + title + "</h1><p>" + text +
        "</p></body></html>";
}

} // namespace

LoopbackRedirectReceiver::LoopbackRedirectReceiver(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &LoopbackRedirectReceiver::onConnection);
}

std::optional<ApiError> LoopbackRedirectReceiver::listen(const QUrl &redirectUri)
{
    const auto refuse = [](const QString &cause, const QString &remedy) {
        return ApiError::make(ApiError::Kind::Validation, cause, remedy);
    };
    if (redirectUri.scheme() != QLatin1String("http") || !validate::isLoopbackAddress(redirectUri.host()))
        return refuse(
            tr("The redirect URI %1 is not on this computer, so the CLI cannot receive the sign-in.")
                .arg(redirectUri.toString()),
            tr("Paste the address the browser ends on instead, or register an "
               "http://127.0.0.1:PORT/callback redirect URI for the app and the profile."));
    const QString host = redirectUri.host();
    const QHostAddress address = host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0
        ? QHostAddress(QHostAddress::LocalHost)
        : QHostAddress(host);
    const int port = redirectUri.port(80);
    if (!m_server.listen(address, quint16(port)))
        return refuse(
            tr("Cannot listen on %1 for the sign-in: %2.")
                .arg(redirectUri.toString(), m_server.errorString()),
            tr("Close what uses port %1, or paste the address the browser ends on instead.").arg(port));
    m_redirectUri = redirectUri;
    return std::nullopt;
}

void LoopbackRedirectReceiver::onConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(silentConnectionMs, socket, [socket] { socket->abort(); });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            if (socket->property("answered").toBool())
                return;
            if (socket->bytesAvailable() > maxRequestBytes) {
                socket->abort();
                return;
            }
            // Only the request line matters; the rest of the headers are ignored once complete.
            const QByteArray head = socket->peek(maxRequestBytes);
            if (!head.contains("\r\n\r\n") && !head.contains("\n\n"))
                return;
            socket->setProperty("answered", true);
            const QList<QByteArray> parts = head.left(head.indexOf('\n')).trimmed().split(' ');
            QUrl asked = m_redirectUri;
            bool matches = false;
            if (parts.size() == 3 && parts.at(0) == "GET") {
                const QUrl target = QUrl::fromEncoded(parts.at(1));
                asked.setPath(target.path(QUrl::FullyEncoded), QUrl::StrictMode);
                asked.setQuery(target.query(QUrl::FullyEncoded), QUrl::StrictMode);
                const QString expectedPath =
                    m_redirectUri.path().isEmpty() ? QStringLiteral("/") : m_redirectUri.path();
                matches = target.path() == expectedPath;
            }
            if (!matches || m_received) {
                socket->write(
                    response(404, "Not Found",
                             page("Not found", "This address only receives the sign-in of activity-cli.")));
                socket->disconnectFromHost();
                return;
            }
            m_received = true;
            socket->write(response(200, "OK",
                                   page("Activity Console",
                                        "The sign-in went back to activity-cli. You can close this "
                                        "tab and return to the terminal.")));
            socket->disconnectFromHost();
            Q_EMIT redirectReceived(asked);
        });
    }
}

} // namespace activity
