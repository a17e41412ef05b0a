// The listening socket (with the body limit applied before QHttpServer reads a body) and the
// QAbstractHttpServer that turns each parsed request into an Exchange for the router.

#include "FrontDoor.h"

#include "Router.h"
#include "World.h"

#include <QHttpServerRequest>
#include <QMetaEnum>
#include <QSslSocket>

namespace activity::sandbox {

namespace {

// Request line and headers longer than this are QHttpServer's to refuse; the door stops copying.
constexpr qsizetype maxWatchedHeadBytes = 64 * 1024;

} // namespace

FrontDoor::FrontDoor(const QSslConfiguration &tls, const World &world, Router &router, QObject *parent)
    : QTcpServer(parent)
    , m_tls(tls)
    , m_world(world)
    , m_router(router)
{
}

FrontDoor::~FrontDoor()
{
    // QTcpServer's destructor deletes connections still pending; their destroyed() must not reach
    // this half-destroyed door.
    for (auto it = m_watches.keyBegin(); it != m_watches.keyEnd(); ++it)
        disconnect(*it, nullptr, this, nullptr);
}

void FrontDoor::incomingConnection(qintptr descriptor)
{
    const QSslConfiguration &tls = m_tls;
    if (tls.isNull()) {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        watch(socket);
        addPendingConnection(socket);
        return;
    }
    auto *socket = new QSslSocket(this);
    socket->setSslConfiguration(tls);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // Handed on once encrypted; newConnection() too, for a QHttpServer that listens to that.
    // Until then the socket is the door's to delete; from then on QHttpServer's, which keeps it
    // while an answer is being written.
    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QSslSocket::encrypted, this, [this, socket] {
        disconnect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        watch(socket);
        addPendingConnection(socket);
        Q_EMIT newConnection();
    });
    socket->startServerEncryption();
}

void FrontDoor::watch(QTcpSocket *socket)
{
    m_watches.insert(socket, Watch {});
    // Connected before QHttpServer's own handler (it connects once the socket is pending), so
    // this sees each piece of data before QHttpServer reads it.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] { m_watches.remove(socket); });
}

void FrontDoor::requestCompleted(QTcpSocket *socket)
{
    const auto it = m_watches.find(socket);
    if (it != m_watches.end())
        *it = Watch {};
}

void FrontDoor::onReadyRead(QTcpSocket *socket)
{
    const auto it = m_watches.find(socket);
    if (it == m_watches.end())
        return;
    Watch &w = *it;
    const qint64 limit = m_world.limits().requestBodyBytes;
    const QByteArray piece = socket->peek(socket->bytesAvailable());
    w.received += piece.size();
    if (w.headerBytes < 0) {
        if (w.head.size() < maxWatchedHeadBytes)
            w.head += piece.left(maxWatchedHeadBytes - w.head.size());
        const qsizetype end = w.head.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        w.headerBytes = end + 4;
        const QList<QByteArray> lines = w.head.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        w.method = requestLine.value(0);
        const QByteArray target = requestLine.value(1);
        w.path =
            QString::fromLatin1(target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?')));
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray &line = lines.at(i);
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0)
                w.announced = line.mid(colon + 1).trimmed().toLongLong();
        }
        w.head.clear();
    }
    const qint64 bodyBytes = w.received - w.headerBytes;
    if (w.announced > limit || bodyBytes > limit) {
        const Watch refused = w;
        m_watches.erase(it);
        // What the client has still to send after this piece, as far as it said.
        m_router.refuseOversizedBody(socket, refused.method, refused.path,
                                     qMax<qint64>(0, refused.announced - bodyBytes));
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP front end

bool HttpFrontEnd::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (auto *door = dynamic_cast<FrontDoor *>(socket->parent()))
        door->requestCompleted(socket);
    auto ex = std::make_shared<Exchange>();
    const QMetaEnum methods = QMetaEnum::fromType<QHttpServerRequest::Method>();
    ex->method = QByteArray(methods.valueToKey(int(request.method()))).toUpper();
    ex->url = request.url();
    ex->path = ex->url.path();
    const auto headers = request.headers();
    for (const auto &header : headers)
        ex->headers.insert(header.first.toLower(), header.second);
    ex->body = request.body();
    ex->socket = socket;
    ex->responder.emplace(makeResponder(request, socket));
    m_router.dispatch(ex);
    return true;
}

void HttpFrontEnd::missingHandler(const QHttpServerRequest &, QTcpSocket *)
{
    // handleRequest() takes every request.
}

} // namespace activity::sandbox
