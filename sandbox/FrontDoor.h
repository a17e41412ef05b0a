#pragma once

// Internal to the sandbox library: the transport underneath the router.

#include <QAbstractHttpServer>
#include <QHash>
#include <QHttpServerResponder>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTcpSocket>

namespace activity::sandbox {

class Router;
class World;

// The listening socket. Qt 6.4's QHttpServer reads a whole request body into memory before it
// hands the request on; the front door watches each connection first (its readyRead handler is
// connected before QHttpServer's) and refuses a body over the limit as soon as the headers
// announce it, or once that many bytes arrived, without reading it in.
class FrontDoor : public QTcpServer
{
public:
    // `tls` null: plain http.
    FrontDoor(const QSslConfiguration &tls, const World &world, Router &router, QObject *parent);
    ~FrontDoor() override;
    // The request on `socket` is complete: the next one starts counting from zero.
    void requestCompleted(QTcpSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Watch
    {
        QByteArray head; // the request line and headers, until the blank line
        qsizetype headerBytes = -1; // -1 until the blank line was seen
        qint64 received = 0; // bytes of this request so far
        qint64 announced = -1; // Content-Length, -1 when none was given
        QByteArray method;
        QString path;
    };
    void watch(QTcpSocket *socket);
    void onReadyRead(QTcpSocket *socket);

    QSslConfiguration m_tls;
    const World &m_world;
    Router &m_router;
    QHash<QTcpSocket *, Watch> m_watches;
};

// The QAbstractHttpServer underneath: hands each parsed request to the router with its socket.
class HttpFrontEnd : public QAbstractHttpServer
{
public:
    explicit HttpFrontEnd(Router &router)
        : m_router(router)
    {
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Router &m_router;
};

} // namespace activity::sandbox
