// Event delivery: synthetic events posted to the webhooks of subscribed users, the sandbox's own
// demo receiver (answers CRC, keeps what it is sent when the signature holds), and the control
// endpoints that trigger events and read what the receiver got.

#include "EventDeliveryHandlers.h"

#include "Crc.h"
#include "SandboxDemo.h"

#include <QLocale>

namespace activity::sandbox {

EventDeliveryHandlers::EventDeliveryHandlers(const SandboxParts &parts)
    : HandlerGroup(parts)
{
}

void EventDeliveryHandlers::registerRoutes()
{
    using G = EventDeliveryHandlers;
    // The demo receiver is called as a webhook is (CRC GET, signed event POSTs); the control
    // endpoints take the run's X-Sandbox-Token instead of X's credentials.
    const auto local = [this](const char *method, const char *pattern, Route::Handler handler) -> Route & {
        return m_router.addLocal(method, QString::fromLatin1(pattern), RouteFamily::Sandbox, AuthNeed::None,
                                 std::move(handler));
    };
    local("GET", "/sandbox/receiver/([^/]+)", handler(&G::receiverCrc));
    local("POST", "/sandbox/receiver/([^/]+)", handler(&G::receiverPost));
    local("GET", "/sandbox/receiver/([^/]+)/events", handler(&G::receiverEvents)).flags = ControlToken;
    local("POST", "/sandbox/events", handler(&G::postEvents)).flags = ControlToken | JsonBody;
}

namespace {

// gzip (RFC 1952) of `data` as one stored deflate block: real gzip any client can decode, without a
// compression library (the receiver's answers are a few dozen bytes).
QByteArray gzipStored(const QByteArray &data)
{
    quint32 crc = 0xFFFFFFFFu;
    for (const char byte : data) {
        crc ^= quint8(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    crc ^= 0xFFFFFFFFu;
    const auto le32 = [](quint32 value) {
        QByteArray bytes(4, Qt::Uninitialized);
        for (int i = 0; i < 4; ++i)
            bytes[i] = char((value >> (8 * i)) & 0xFF);
        return bytes;
    };
    const quint16 length = quint16(data.size()); // callers pass less than 64 KiB
    QByteArray out = QByteArray::fromHex("1f8b0800000000000003"); // magic, deflate, no flags, unix
    out += char(0x01); // the final block, stored
    out += char(length & 0xFF);
    out += char(length >> 8);
    out += char(~length & 0xFF);
    out += char((~length >> 8) & 0xFF);
    out += data;
    out += le32(crc);
    out += le32(quint32(data.size()));
    return out;
}

QJsonObject userObject(const User &user)
{
    return QJsonObject {{QStringLiteral("id_str"), user.id},
                        {QStringLiteral("name"), user.name},
                        {QStringLiteral("screen_name"), user.username}};
}

QString twitterTime(const QDateTime &utc)
{
    return QLocale::c().toString(utc.toUTC(), QStringLiteral("ddd MMM dd HH:mm:ss +0000 yyyy"));
}

// A plausible event array of `eventKey` (reference §8) where `other` acts on `subject`.
QJsonObject syntheticEvent(const QString &eventKey, const User &subject, const User &other, qint64 eventId,
                           const QDateTime &at)
{
    const QString ms = QString::number(at.toMSecsSinceEpoch());
    const QString id = QString::number(eventId);
    QJsonObject body;
    QJsonObject item;
    if (eventKey == QLatin1String("favorite_events")) {
        item = {{QStringLiteral("id"), QString::number(eventId, 16)},
                {QStringLiteral("created_at"), twitterTime(at)},
                {QStringLiteral("timestamp_ms"), at.toMSecsSinceEpoch()},
                {QStringLiteral("favorited_status"),
                 QJsonObject {{QStringLiteral("id_str"), id},
                              {QStringLiteral("text"),
                               QStringLiteral("A post by %1 in the sandbox").arg(subject.name)},
                              {QStringLiteral("user"), userObject(subject)}}},
                {QStringLiteral("user"), userObject(other)}};
    } else if (eventKey == QLatin1String("follow_events") || eventKey == QLatin1String("block_events") ||
               eventKey == QLatin1String("mute_events")) {
        const QString type = eventKey.left(eventKey.indexOf(QLatin1Char('_')));
        item = {{QStringLiteral("type"), type},
                {QStringLiteral("created_timestamp"), ms},
                {QStringLiteral("source"), userObject(other)},
                {QStringLiteral("target"), userObject(subject)}};
    } else if (eventKey == QLatin1String("direct_message_events")) {
        item = {{QStringLiteral("type"), QStringLiteral("message_create")},
                {QStringLiteral("id"), id},
                {QStringLiteral("created_timestamp"), ms},
                {QStringLiteral("message_create"),
                 QJsonObject {
                     {QStringLiteral("target"), QJsonObject {{QStringLiteral("recipient_id"), subject.id}}},
                     {QStringLiteral("sender_id"), other.id},
                     {QStringLiteral("message_data"),
                      QJsonObject {{QStringLiteral("text"), QStringLiteral("Hello from the sandbox")},
                                   {QStringLiteral("entities"),
                                    QJsonObject {{QStringLiteral("hashtags"), QJsonArray()},
                                                 {QStringLiteral("symbols"), QJsonArray()},
                                                 {QStringLiteral("user_mentions"), QJsonArray()},
                                                 {QStringLiteral("urls"), QJsonArray()}}}}}}}};
        body.insert(QStringLiteral("users"),
                    QJsonObject {{subject.id, userObject(subject)}, {other.id, userObject(other)}});
    } else if (eventKey == QLatin1String("tweet_create_events")) {
        item = {{QStringLiteral("id_str"), id},
                {QStringLiteral("created_at"), twitterTime(at)},
                {QStringLiteral("text"), QStringLiteral("@%1 hello from the sandbox").arg(subject.username)},
                {QStringLiteral("user"), userObject(other)}};
    } else {
        item = {{QStringLiteral("id"), id}, {QStringLiteral("created_timestamp"), ms}};
    }
    body.insert(eventKey, QJsonArray {item});
    return body;
}

} // namespace

int EventDeliveryHandlers::deliverEvent(const QString &forUserId, const QString &eventKey,
                                        const QJsonValue &items)
{
    const auto userIt = m_world.users.constFind(forUserId);
    if (userIt == m_world.users.cend() || eventKey.isEmpty())
        return 0;
    const qint64 eventNumber = m_world.newEventNumber();
    const QDateTime at = m_world.now();
    User other = m_world.users.value(demo::ownerUserId);
    if (other.id.isEmpty() || other.id == forUserId)
        other = User {QStringLiteral("2000000000000000099"),
                      QStringLiteral("sandbox_friend"),
                      QStringLiteral("Sandbox Friend"),
                      {}};
    QJsonObject body = syntheticEvent(eventKey, *userIt, other, 1700000000000000000LL + eventNumber, at);
    if (!items.isUndefined() && !items.isNull())
        body.insert(eventKey, items);
    body.insert(QStringLiteral("for_user_id"), forUserId);
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);

    int sent = 0;
    for (const auto &[id, w] : m_world.webhooks) {
        if (!w.valid || !w.subscribers.contains(forUserId))
            continue;
        DeliveryRecord record;
        record.eventId = QString::number(eventNumber);
        record.eventTime = at;
        record.webhookId = id;
        record.forUserId = forUserId;
        record.eventKey = eventKey;
        record.body = json;
        m_courier.post(record, {});
        ++sent;
    }
    return sent;
}

void EventDeliveryHandlers::receiverCrc(const ExchangePtr &ex)
{
    const QByteArray token = ex->queryValue(QStringLiteral("crc_token")).toUtf8();
    if (token.isEmpty()) {
        answer(
            ex,
            textReply(
                400, QStringLiteral("This is the sandbox's demo webhook receiver; it expects a crc_token.")));
        return;
    }
    using Mode = ReceiverCrcAnswer::Mode;
    const ReceiverCrcAnswer &how = m_world.settings.receiverCrc;
    Reply reply;
    reply.contentType = QByteArrayLiteral("application/json; charset=utf-8");
    reply.body = crc::responseBody(how.mode == Mode::OtherSecret ? how.secret : demo::consumerSecret, token);
    const bool acceptsGzip = ex->header(QByteArrayLiteral("accept-encoding")).toLower().contains("gzip");
    switch (how.mode) {
    case Mode::Correct:
    case Mode::OtherSecret:
        break;
    case Mode::PlainText:
        reply.contentType = QByteArrayLiteral("text/plain; charset=utf-8");
        break;
    case Mode::Redirect: {
        reply = emptyReply(302);
        QUrl moved = ex->url;
        moved.setPath(moved.path() + QStringLiteral("/moved"));
        reply.headers.append({QByteArrayLiteral("Location"), moved.toEncoded()});
        break;
    }
    case Mode::GzipWhenAsked:
        if (acceptsGzip) {
            reply.body = gzipStored(reply.body);
            reply.headers.append({QByteArrayLiteral("Content-Encoding"), QByteArrayLiteral("gzip")});
        }
        break;
    case Mode::GzipDeclaredNotUsed:
        reply.headers.append({QByteArrayLiteral("Content-Encoding"), QByteArrayLiteral("gzip")});
        break;
    case Mode::GzipUndeclared:
        reply.body = gzipStored(reply.body);
        break;
    case Mode::GzipAlways:
        reply.body = gzipStored(reply.body);
        reply.headers.append({QByteArrayLiteral("Content-Encoding"), QByteArrayLiteral("gzip")});
        break;
    }
    answer(ex, reply);
}

void EventDeliveryHandlers::receiverPost(const ExchangePtr &ex)
{
    ReceivedEvent event;
    event.receiverName = ex->capture(1);
    event.at = m_world.now();
    event.signatureValid = crc::verifySignature(
        demo::consumerSecret, ex->body, ex->header(QByteArrayLiteral("x-twitter-webhooks-signature")));
    if (!event.signatureValid) {
        // Not from X (here: the sandbox's own deliveries): refused and not kept, like a real receiver.
        answer(ex, textReply(401, QStringLiteral("Bad signature.")));
        return;
    }
    event.body = ex->body;
    m_world.recordReceived(event);
    answer(ex, emptyReply(200));
}

void EventDeliveryHandlers::receiverEvents(const ExchangePtr &ex)
{
    QJsonArray list;
    for (const ReceivedEvent &event : m_world.receivedEvents(ex->capture(1))) {
        list.append(QJsonObject {{QStringLiteral("at"), isoTime(event.at, true)},
                                 {QStringLiteral("signature_valid"), event.signatureValid},
                                 {QStringLiteral("body"), QJsonDocument::fromJson(event.body).object()}});
    }
    answer(ex, jsonReply(200, QJsonDocument(list)));
}

void EventDeliveryHandlers::postEvents(const ExchangePtr &ex)
{
    const QJsonObject request = QJsonDocument::fromJson(ex->body).object();
    const QString userId = request.value(QStringLiteral("for_user_id")).toString();
    const QString eventKey =
        request.value(QStringLiteral("event")).toString(QStringLiteral("favorite_events"));
    if (userId.isEmpty() || !m_world.users.contains(userId)) {
        answer(ex,
               jsonReply(400,
                         QJsonObject {{QStringLiteral("error"),
                                       QStringLiteral("Send {\"for_user_id\":\"<known user id>\",\"event\":"
                                                      "\"favorite_events\"}.")}}));
        return;
    }
    const int sent = deliverEvent(userId, eventKey, request.value(QStringLiteral("items")));
    answer(ex, jsonReply(200, QJsonObject {{QStringLiteral("delivered_to"), sent}}));
}

} // namespace activity::sandbox
