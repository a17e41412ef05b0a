#pragma once

#include "ApiError.h"

#include <QObject>
#include <QTcpServer>
#include <QUrl>

#include <optional>

namespace activity {

// Where activity-cli catches an OAuth 2.0 redirect without a sign-in window: a minimal HTTP
// listener on the profile's loopback redirect URI (http://127.0.0.1:PORT/path, as X documents for
// local use). It answers the one GET to that path with a short page ("you can close this tab"),
// anything else with 404, reads at most 8 KiB per request and drops a connection that stays
// silent. The first matching request is reported once; QtNetworkAuth's QOAuthHttpServerReplyHandler
// would do the listening too, but it answers every path and cannot say which address it bound.
class LoopbackRedirectReceiver : public QObject
{
    Q_OBJECT
public:
    explicit LoopbackRedirectReceiver(QObject *parent = nullptr);

    // Listens on the redirect URI's address and port; the error says why not (not a loopback http
    // URI, port in use).
    std::optional<ApiError> listen(const QUrl &redirectUri);
    bool isListening() const { return m_server.isListening(); }
    quint16 port() const { return m_server.serverPort(); }
    void close() { m_server.close(); }

Q_SIGNALS:
    // The whole URL the browser asked for, as the redirect URI plus its query.
    void redirectReceived(const QUrl &url);

private:
    void onConnection();

    QTcpServer m_server;
    QUrl m_redirectUri;
    bool m_received = false;
};

} // namespace activity
