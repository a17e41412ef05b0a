// GET /2/activity/stream (x-api-2026.md §4.5): the X Activity events of the app as a long-lived,
// chunked answer, one event per line, with heartbeats, the connection limit, backfill and
// start_time/end_time, and the faults client tests need (drop, stall, duplicates, in-stream error).

#include "ActivityStream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrlQuery>

namespace activity::sandbox {

namespace {

constexpr char lineEnd[] = "\r\n";

// x-api-2026.md §4.5: the answer to a connection beyond the limit, byte for byte.
const QByteArray tooManyConnectionsBody = QByteArrayLiteral(
    "{\"title\":\"ConnectionException\",\"detail\":\"This stream is currently at the maximum allowed "
    "connection limit.\",\"connection_issue\":\"TooManyConnections\",\"type\":\"https://api.x.com/2/"
    "problems/streaming-connection\"}");

Reply invalidParameter(const QString &parameter, const QString &value, const QString &detail)
{
    return v2Error(400, QStringLiteral("QueryParamInvalid"), detail, QStringLiteral("invalid-request"),
                   QJsonObject {{QStringLiteral("parameter"), parameter}, {QStringLiteral("value"), value}});
}

// YYYY-MM-DDTHH:mm:ssZ exactly; invalid otherwise.
QDateTime parseTime(const QString &text)
{
    static const QRegularExpression shape(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$"));
    if (!shape.match(text).hasMatch())
        return {};
    QDateTime time = QDateTime::fromString(text, Qt::ISODate);
    if (time.isValid())
        time = time.toUTC();
    return time;
}

QByteArray chunk(const QByteArray &bytes)
{
    return QByteArray::number(bytes.size(), 16) + lineEnd + bytes + lineEnd;
}

} // namespace

ActivityStreamHandlers::ActivityStreamHandlers(const SandboxParts &parts)
    : HandlerGroup(parts)
{
    QObject::connect(&m_world, &World::activityEventEmitted, &m_context,
                     [this](const ActivityEventRecord &record) { onEvent(record); });
}

ActivityStreamHandlers::~ActivityStreamHandlers()
{
    // The front end (and with it every socket) may already be gone: nothing is written.
    QObject::disconnect(&m_world, nullptr, &m_context, nullptr);
    for (const auto &stream : m_streams) {
        for (const QMetaObject::Connection &connection : std::as_const(stream->socketConnections))
            QObject::disconnect(connection);
        stream->ex->responder.reset();
    }
}

void ActivityStreamHandlers::registerRoutes()
{
    Route &route = m_router.addApi(Operation::ActivityStream, ApiGeneration::V2, AuthNeed::AppOnly,
                                   handler(&ActivityStreamHandlers::open));
    route.family = RouteFamily::V2; // catalogued as generation-independent; a v2 endpoint
    // The faults of the test API for a standalone sandbox (the run's X-Sandbox-Token), so a person
    // can watch the console or activity-cli recover: {"action":"drop"|"stall"|"resume"|
    // "duplicate"|"error", "count"?: N (duplicate), "detail"?: text (error)}.
    m_router
        .addLocal("POST", QStringLiteral("/sandbox/activity/stream"), RouteFamily::Sandbox, AuthNeed::None,
                  handler(&ActivityStreamHandlers::control))
        .flags = ControlToken | JsonBody;
}

void ActivityStreamHandlers::control(const ExchangePtr &ex)
{
    const QJsonObject request = QJsonDocument::fromJson(ex->body).object();
    const QString action = request.value(QStringLiteral("action")).toString();
    int affected = 0;
    if (action == QLatin1String("drop")) {
        affected = dropAll();
    } else if (action == QLatin1String("stall") || action == QLatin1String("resume")) {
        setStalled(action == QLatin1String("stall"));
        affected = openStreams();
    } else if (action == QLatin1String("duplicate")) {
        affected = qMax(1, request.value(QStringLiteral("count")).toInt(1));
        duplicateNext(affected);
    } else if (action == QLatin1String("error")) {
        affected = sendErrorAndClose(request.value(QStringLiteral("detail"))
                                         .toString(QStringLiteral("The sandbox ended the stream.")));
    } else {
        answer(ex,
               jsonReply(400,
                         QJsonObject {{QStringLiteral("error"),
                                       QStringLiteral("Send {\"action\":\"drop\"|\"stall\"|\"resume\"|"
                                                      "\"duplicate\"|\"error\"}.")}}));
        return;
    }
    answer(
        ex,
        jsonReply(200,
                  QJsonObject {{QStringLiteral("action"), action}, {QStringLiteral("affected"), affected}}));
}

void ActivityStreamHandlers::setHeartbeatInterval(std::chrono::milliseconds interval)
{
    m_heartbeat = std::max(interval, std::chrono::milliseconds(1));
    for (const auto &stream : m_streams)
        stream->heartbeat->start(m_heartbeat);
}

ActivityStreamHandlers::Stream *ActivityStreamHandlers::find(const Stream *stream) const
{
    for (const auto &s : m_streams) {
        if (s.get() == stream)
            return s.get();
    }
    return nullptr;
}

void ActivityStreamHandlers::open(const ExchangePtr &ex)
{
    const QUrlQuery query(ex->url);
    const QDateTime now = m_world.now();
    int backfill = -1;
    if (query.hasQueryItem(QStringLiteral("backfill_minutes"))) {
        const QString text = query.queryItemValue(QStringLiteral("backfill_minutes"), QUrl::FullyDecoded);
        static const QRegularExpression digits(QStringLiteral("^[0-9]{1,2}$"));
        backfill = digits.match(text).hasMatch() ? text.toInt() : -1;
        if (backfill < 0 || backfill > 5) {
            return answer(ex,
                          invalidParameter(QStringLiteral("backfill_minutes"), text,
                                           QStringLiteral("backfill_minutes must be a whole number "
                                                          "from 0 to 5.")));
        }
    }
    QDateTime times[2];
    const QString names[2] = {QStringLiteral("start_time"), QStringLiteral("end_time")};
    for (int i = 0; i < 2; ++i) {
        if (!query.hasQueryItem(names[i]))
            continue;
        const QString text = query.queryItemValue(names[i], QUrl::FullyDecoded);
        times[i] = parseTime(text);
        if (!times[i].isValid()) {
            return answer(ex,
                          invalidParameter(names[i], text,
                                           names[i] +
                                               QStringLiteral(" must be a UTC time written "
                                                              "YYYY-MM-DDTHH:mm:ssZ.")));
        }
    }
    const QDateTime &start = times[0];
    const QDateTime &end = times[1];
    if (start.isValid() && end.isValid() && end < start) {
        return answer(ex,
                      invalidParameter(names[1], end.toString(Qt::ISODate),
                                       QStringLiteral("end_time must not be before start_time.")));
    }

    int ofApp = 0;
    for (const auto &s : m_streams)
        ofApp += s->appId == ex->appId ? 1 : 0;
    if (ofApp >= maxConnectionsPerApp) {
        Reply reply;
        reply.status = 429;
        reply.contentType = QByteArrayLiteral("application/json");
        reply.body = tooManyConnectionsBody;
        reply.errorName = QStringLiteral("TooManyConnections");
        return answer(ex, std::move(reply));
    }

    // The backlog: from start_time, else backfill_minutes before now; none without either.
    QDateTime from = now;
    if (start.isValid())
        from = start;
    else if (backfill > 0)
        from = now.addSecs(-60LL * backfill);
    const bool backlog = start.isValid() || backfill > 0;

    if (!m_router.beginStream(ex,
                              {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")},
                               {QByteArrayLiteral("Transfer-Encoding"), QByteArrayLiteral("chunked")},
                               {QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache")},
                               {QByteArrayLiteral("Connection"), QByteArrayLiteral("close")}}))
        return;

    auto owned = std::make_unique<Stream>();
    Stream *stream = owned.get();
    stream->ex = ex;
    stream->appId = ex->appId;
    stream->from = start.isValid() ? start : QDateTime();
    stream->until = end;
    stream->heartbeat = new QTimer(&m_context);
    stream->heartbeat->setSingleShot(true);
    QObject::connect(stream->heartbeat, &QTimer::timeout, &m_context, [this, stream] { heartbeat(stream); });
    m_streams.push_back(std::move(owned));
    QTcpSocket *socket = ex->socket;
    const auto gone = [this, stream] {
        if (Stream *s = find(stream))
            remove(s);
    };
    stream->socketConnections = {QObject::connect(socket, &QAbstractSocket::disconnected, &m_context, gone),
                                 QObject::connect(socket, &QObject::destroyed, &m_context, gone)};
    stream->heartbeat->start(m_heartbeat);

    if (backlog) {
        const QList<ActivityEventRecord> &kept = m_world.activityEvents();
        for (const ActivityEventRecord &record : kept) {
            if (record.appId != stream->appId || record.at < from || (end.isValid() && record.at > end))
                continue;
            if (!write(*stream, record.body + lineEnd))
                return;
        }
    }
    if (end.isValid()) {
        if (end <= now)
            return endCleanly(stream);
        stream->ending = new QTimer(&m_context);
        stream->ending->setSingleShot(true);
        QObject::connect(stream->ending, &QTimer::timeout, &m_context, [this, stream] {
            if (Stream *s = find(stream))
                endCleanly(s);
        });
        stream->ending->start(std::chrono::milliseconds(now.msecsTo(end)));
    }
}

void ActivityStreamHandlers::onEvent(const ActivityEventRecord &record)
{
    std::vector<Stream *> receivers;
    for (const auto &s : m_streams) {
        if (s->appId != record.appId)
            continue;
        if (s->from.isValid() && record.at < s->from)
            continue;
        receivers.push_back(s.get());
    }
    if (receivers.empty())
        return;
    const bool twice = m_duplicates > 0;
    if (twice)
        --m_duplicates;
    const QByteArray line = record.body + lineEnd;
    for (Stream *stream : receivers) {
        if (!find(stream))
            continue;
        if (stream->until.isValid() && record.at > stream->until) {
            endCleanly(stream);
            continue;
        }
        if (write(*stream, line) && twice)
            write(*stream, line);
    }
}

bool ActivityStreamHandlers::write(Stream &stream, const QByteArray &bytes)
{
    if (m_stalled) {
        stream.held.append(bytes);
        return true;
    }
    QTcpSocket *socket = stream.ex->socket;
    if (!socket || socket->state() != QAbstractSocket::ConnectedState || !stream.ex->responder) {
        remove(&stream);
        return false;
    }
    stream.ex->responder->writeBody(chunk(bytes));
    stream.heartbeat->start(m_heartbeat);
    return true;
}

void ActivityStreamHandlers::heartbeat(Stream *stream)
{
    if (!find(stream))
        return;
    if (m_stalled) {
        stream->heartbeat->start(m_heartbeat); // silent until resumed
        return;
    }
    if (stream->until.isValid() && m_world.now() >= stream->until)
        return endCleanly(stream);
    write(*stream, QByteArray(lineEnd));
}

void ActivityStreamHandlers::endCleanly(Stream *stream)
{
    if (m_stalled) {
        // A stall is a silent network: the end follows the lines held before it, on resume.
        stream->endHeld = true;
        return;
    }
    QPointer<QTcpSocket> socket = stream->ex->socket;
    if (socket && socket->state() == QAbstractSocket::ConnectedState && stream->ex->responder)
        stream->ex->responder->writeBody(QByteArrayLiteral("0\r\n\r\n"));
    remove(stream);
    if (socket)
        socket->disconnectFromHost();
}

void ActivityStreamHandlers::remove(Stream *stream)
{
    const auto it = std::find_if(m_streams.begin(), m_streams.end(),
                                 [stream](const auto &s) { return s.get() == stream; });
    if (it == m_streams.end())
        return;
    std::unique_ptr<Stream> owned = std::move(*it);
    m_streams.erase(it);
    for (const QMetaObject::Connection &connection : std::as_const(owned->socketConnections))
        QObject::disconnect(connection);
    for (QTimer *timer : {owned->heartbeat, owned->ending}) {
        if (!timer)
            continue;
        timer->stop();
        timer->deleteLater(); // possibly in its own timeout
    }
    owned->ex->responder.reset();
}

int ActivityStreamHandlers::dropAll()
{
    std::vector<Stream *> all;
    for (const auto &s : m_streams)
        all.push_back(s.get());
    for (Stream *stream : all) {
        QPointer<QTcpSocket> socket = stream->ex->socket;
        remove(stream);
        if (socket)
            socket->abort();
    }
    return int(all.size());
}

void ActivityStreamHandlers::setStalled(bool stalled)
{
    if (m_stalled == stalled)
        return;
    m_stalled = stalled;
    if (stalled)
        return;
    std::vector<Stream *> all;
    for (const auto &s : m_streams)
        all.push_back(s.get());
    for (Stream *stream : all) {
        const QList<QByteArray> held = std::exchange(stream->held, {});
        for (const QByteArray &bytes : held) {
            if (!find(stream) || !write(*stream, bytes))
                break;
        }
        if (!find(stream))
            continue;
        if (stream->endHeld)
            endCleanly(stream);
        else
            stream->heartbeat->start(m_heartbeat);
    }
}

int ActivityStreamHandlers::sendErrorAndClose(const QString &detail)
{
    const QJsonObject problem {
        {QStringLiteral("title"), QStringLiteral("operational-disconnect")},
        {QStringLiteral("disconnect_type"), QStringLiteral("UpstreamOperationalDisconnect")},
        {QStringLiteral("detail"), detail},
        {QStringLiteral("type"), QStringLiteral("https://api.x.com/2/problems/operational-disconnect")}};
    const QByteArray line = QJsonDocument(QJsonObject {{QStringLiteral("errors"), QJsonArray {problem}}})
                                .toJson(QJsonDocument::Compact) +
        lineEnd;
    std::vector<Stream *> all;
    for (const auto &s : m_streams)
        all.push_back(s.get());
    const bool wasStalled = std::exchange(m_stalled, false);
    for (Stream *stream : all) {
        stream->held.clear(); // what a stall kept back is lost with the connection
        if (write(*stream, line))
            endCleanly(stream);
    }
    m_stalled = wasStalled;
    return int(all.size());
}

} // namespace activity::sandbox
