// The X Activity API's events (x-api-2026.md §4.6): one per matching subscription, in the
// envelope X uses, posted signed to the subscription's webhook and kept for the stream. The
// subscriptions themselves are in ActivityHandlers.cpp.

#include "ActivityHandlers.h"

#include "ActivityEvents.h"
#include "ActivityJson.h"
#include "SandboxDemo.h"

namespace activity::sandbox {

using namespace activityjson;

namespace {

// An empty field of `wanted` matches anything; a subscription without a direction takes both.
bool filterMatches(const ActivityFilter &subscribed, const ActivityFilter &wanted)
{
    if (!wanted.userId.isEmpty() && subscribed.userId != wanted.userId)
        return false;
    if (!wanted.keyword.isEmpty() && subscribed.keyword.compare(wanted.keyword, Qt::CaseInsensitive) != 0)
        return false;
    return wanted.direction.isEmpty() || subscribed.direction.isEmpty() ||
        subscribed.direction == wanted.direction;
}

EventPerson personOf(const World &world, const QString &userId)
{
    const auto it = world.users.constFind(userId);
    if (it != world.users.cend())
        return {it->id, it->username, it->name};
    // Generated ids (bench subscriptions, typed-in ids) have no user: a stand-in with that id.
    const QString suffix = userId.right(4);
    return {userId, QStringLiteral("user_") + suffix, QStringLiteral("User ") + suffix};
}

} // namespace

void ActivityHandlers::emitFor(const ActivityRecord &record, const QJsonObject &payload,
                               const QString &direction)
{
    const ActivitySubscription &s = record.subscription;
    const xaa::EventType *type = xaa::findEventType(s.eventType);
    if (!type)
        return;
    // oauth.revoke has no user in its filter: alice revokes.
    const EventPerson subject =
        personOf(m_world, s.filter.userId.isEmpty() ? demo::alice.id : s.filter.userId);
    const EventPerson other = personOf(m_world, subject.id == demo::alice.id ? demo::bob.id : demo::alice.id);
    ActivityFilter effective = s.filter;
    if (effective.direction.isEmpty())
        effective.direction = direction;
    const qint64 number = m_world.newEventNumber();
    const QDateTime at = m_world.now();
    GeneratedActivityEvent event =
        generateActivityEvent(*type, effective, subject, other, record.appId, number, at);
    if (!payload.isEmpty())
        event = {payload, {}};

    ActivityEventRecord made;
    made.eventUuid = QString::number(5900000000000000000LL + number);
    made.subscriptionId = s.id;
    made.eventType = type->name;
    made.webhookId = s.webhookId;
    made.appId = record.appId;
    made.at = at;
    QJsonObject data {{QStringLiteral("event_uuid"), made.eventUuid},
                      {kFilter, filterJson(s.filter)},
                      {kEventType, type->name},
                      {QStringLiteral("payload"), event.payload}};
    if (!s.tag.isEmpty())
        data.insert(kTag, s.tag);
    if (!event.includes.isEmpty())
        data.insert(QStringLiteral("includes"), event.includes);
    made.body = QJsonDocument(QJsonObject {{kData, data}}).toJson(QJsonDocument::Compact);
    m_world.recordActivityEvent(made);

    const auto webhook = m_world.webhooks.find(s.webhookId);
    if (s.webhookId.isEmpty() || webhook == m_world.webhooks.end() || !webhook->second.valid)
        return;
    DeliveryRecord delivery;
    delivery.eventId = made.eventUuid;
    delivery.eventTime = at;
    delivery.webhookId = s.webhookId;
    delivery.forUserId = s.filter.userId;
    delivery.eventKey = type->name;
    delivery.body = made.body;
    m_courier.post(delivery, {});
}

int ActivityHandlers::emitEvent(const QString &eventType, const ActivityFilter &filter,
                                const QJsonObject &payload)
{
    const QString type = xaa::canonicalEventType(eventType);
    if (type.isEmpty())
        return 0;
    QList<qint64> matching;
    for (const auto &[id, record] : m_world.activitySubscriptions) {
        if (record.subscription.eventType == type && filterMatches(record.subscription.filter, filter))
            matching.append(id);
    }
    return emitForIds(matching, payload, filter.direction);
}

int ActivityHandlers::emitForAll()
{
    QList<qint64> all;
    all.reserve(qsizetype(m_world.activitySubscriptions.size()));
    for (const auto &[id, record] : m_world.activitySubscriptions)
        all.append(id);
    return emitForIds(all, {}, {});
}

int ActivityHandlers::emitForIds(const QList<qint64> &ids, const QJsonObject &payload,
                                 const QString &direction)
{
    // By id, looked up one at a time: a slot of activityEventEmitted may delete subscriptions.
    int made = 0;
    for (const qint64 id : ids) {
        const auto it = m_world.activitySubscriptions.find(id);
        if (it == m_world.activitySubscriptions.end())
            continue;
        emitFor(it->second, payload, direction);
        ++made;
    }
    return made;
}

void ActivityHandlers::postEvents(const ExchangePtr &ex)
{
    const QJsonObject request = QJsonDocument::fromJson(ex->body).object();
    const auto refuse = [&](const QString &error) {
        answer(ex, jsonReply(400, QJsonObject {{QStringLiteral("error"), error}}));
    };
    if (request.value(QStringLiteral("all")).toBool()) {
        answer(ex, jsonReply(200, QJsonObject {{QStringLiteral("emitted"), emitForAll()}}));
        return;
    }
    const QString type = request.value(kEventType).toString();
    if (!xaa::findEventType(type))
        return refuse(
            QStringLiteral("Send {\"event_type\":\"<an X Activity event type>\",\"user_id\"?:..,"
                           "\"keyword\"?:..,\"direction\"?:..,\"payload\"?:{..}} or {\"all\":true}."));
    for (const QString &key : {kUserId, kKeyword, kDirection}) {
        if (request.contains(key) && !request.value(key).isString())
            return refuse(key + QStringLiteral(" must be a string."));
    }
    if (request.contains(QStringLiteral("payload")) && !request.value(QStringLiteral("payload")).isObject())
        return refuse(QStringLiteral("payload must be an object."));
    const ActivityFilter filter {request.value(kUserId).toString(), request.value(kKeyword).toString(),
                                 request.value(kDirection).toString()};
    const int made = emitEvent(type, filter, request.value(QStringLiteral("payload")).toObject());
    answer(ex, jsonReply(200, QJsonObject {{QStringLiteral("emitted"), made}}));
}

} // namespace activity::sandbox
