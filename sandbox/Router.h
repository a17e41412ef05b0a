#pragma once

// Internal to the sandbox library: the router. Holds the route table the handler groups fill and
// takes every request through the same pipeline: journal entry → admission (Host, Origin, body
// size) → fault injection → route match → control token and content type → authenticator → rate
// limiter → handler. finish() writes the answer and journals it.

#include "Authenticator.h"
#include "EndpointCatalogue.h"
#include "Exchange.h"

#include <QObject>
#include <QStringList>

#include <deque>
#include <functional>

namespace activity::sandbox {

class RateLimiter;
class World;
struct Fault;

enum RouteFlag : unsigned {
    JsonBody = 1, // the body is read as JSON: application/json required (415)
    ControlToken = 2, // a sandbox control endpoint: X-Sandbox-Token required (403)
};

struct Route
{
    using Handler = std::function<void(const ExchangePtr &)>;

    QByteArray method;
    QRegularExpression path;
    RouteFamily family = RouteFamily::V1;
    AuthNeed auth = AuthNeed::None;
    const Endpoint *endpoint = nullptr; // the catalogue's entry, for a catalogued API call
    QString rateLimitKey; // the catalogue's for catalogued calls; empty = unrated
    Handler handler;
    bool bearerIs261 = false; // v1.1 register refuses a bearer with 403/261 rather than 403/220
    unsigned flags = 0; // RouteFlag
};

class Router : public QObject
{
public:
    Router(World &world, Authenticator &authenticator, RateLimiter &rateLimiter, QObject *parent);

    // A call of the endpoint catalogue, endpoints::find(op, generation): its method, its path (the
    // template's {placeholders} become captures, in order) and its rate-limit key when X documents a
    // limit. The returned route may be adjusted (flags) right away.
    Route &addApi(Operation op, ApiGeneration generation, AuthNeed auth, Route::Handler handler);
    // A route the catalogue does not have; `pattern` is a regular expression over the whole path.
    Route &addLocal(const QByteArray &method, const QString &pattern, RouteFamily family, AuthNeed auth,
                    Route::Handler handler, const QString &rateLimitKey = {});

    // The catalogue's "/2/webhooks/{webhook_id}" as a path expression: "/2/webhooks/([^/]+)".
    static QString patternOf(const QString &pathTemplate);

    // The Host values requests may carry ("127.0.0.1:PORT", ...), and whether Origin is https.
    void setOwnAuthorities(const QStringList &authorities, bool tls);
    QStringList ownAuthorities() const { return m_ownAuthorities; }

    void dispatch(const ExchangePtr &ex);
    // Writes the answer (with the rate-limit headers) and journals the request; once per exchange.
    void finish(const ExchangePtr &ex, Reply reply);
    // Starts a long-lived 200 answer instead (the activity stream): the status line, the rate-limit
    // headers, `headers` and the blank line; journals the request as answered with 200 and keeps
    // ex->responder for the body, which the caller writes with writeBody() piece by piece. false
    // when the client is gone.
    bool beginStream(const ExchangePtr &ex, const QList<std::pair<QByteArray, QByteArray>> &headers);
    // A body that passed the limit before it was read in: journals and answers 413 on the socket.
    void refuseOversizedBody(QTcpSocket *socket, const QByteArray &method, const QString &path,
                             qint64 unsentBytes);

private:
    Route &add(Route route);
    // Host, Origin and body size: false when the request was refused (and answered).
    bool admit(const ExchangePtr &ex);
    void route(const ExchangePtr &ex);
    // The fault injection hook: answers (or drops) the request as `fault` says.
    void applyFault(const ExchangePtr &ex, const Fault &fault);

    World &m_world;
    Authenticator &m_authenticator;
    RateLimiter &m_rateLimiter;
    std::deque<Route> m_routes; // a deque: exchanges in flight point at their route
    QStringList m_ownAuthorities;
    bool m_tls = false;
};

} // namespace activity::sandbox
