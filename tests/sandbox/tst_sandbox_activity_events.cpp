// X Activity API events from the sandbox (x-api-2026.md §4.3, §4.6): an event for every one of the
// 42 event types with the envelope and the payload fields the reference names, signed delivery to
// the demo receiver for subscriptions with a valid webhook (and none for stream-only ones), the
// ring kept for the stream, and the control endpoint. Nothing sleeps: waits are on signals.

#include "SandboxTestSupport.h"

#include <QtTest>

using namespace sandboxtest;
using activity::ActivityFilter;
using activity::ActivitySubscriptionRequest;
namespace xaa = activity::xaa;

namespace {

QJsonObject envelopeData(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object().value(QStringLiteral("data")).toObject();
}

// The payload fields the reference (§4.3, §4.6) names for each event type.
QStringList expectedFields(const xaa::EventType &type)
{
    using F = xaa::EventFamily;
    const QString &name = type.name;
    switch (type.family) {
    case F::Profile:
        return {QStringLiteral("before"), QStringLiteral("after")};
    case F::Post:
        if (name == QLatin1String("post.delete"))
            return {QStringLiteral("id"), QStringLiteral("author_id")};
        return {QStringLiteral("id"),
                QStringLiteral("author_id"),
                QStringLiteral("text"),
                QStringLiteral("created_at"),
                QStringLiteral("conversation_id"),
                QStringLiteral("edit_history_tweet_ids"),
                QStringLiteral("public_metrics")};
    case F::Like:
        return {QStringLiteral("id"), QStringLiteral("created_at"), QStringLiteral("timestamp_ms"),
                QStringLiteral("liked_tweet_author_id"), QStringLiteral("liked_tweet_id")};
    case F::Follow:
    case F::Mute:
    case F::Block:
        return {QStringLiteral("source"), QStringLiteral("target")};
    case F::Spaces:
        return {QStringLiteral("user"), QStringLiteral("broadcast_id"), QStringLiteral("event_type")};
    case F::Broadcast:
        if (name == QLatin1String("broadcast.chat"))
            return {QStringLiteral("broadcast_id"), QStringLiteral("message_id"), QStringLiteral("message"),
                    QStringLiteral("author")};
        else {
            QStringList fields {QStringLiteral("user"),
                                QStringLiteral("broadcast_id"),
                                QStringLiteral("title"),
                                QStringLiteral("language"),
                                QStringLiteral("broadcast_state"),
                                QStringLiteral("event_timestamp_ms"),
                                QStringLiteral("created_timestamp_ms"),
                                QStringLiteral("updated_timestamp_ms"),
                                QStringLiteral("thumbnail_url"),
                                QStringLiteral("available_for_replay")};
            if (name == QLatin1String("broadcast.end"))
                fields.append(QStringLiteral("duration_ms"));
            return fields;
        }
    case F::Chat:
        return {QStringLiteral("conversation_token"),     QStringLiteral("id"),
                QStringLiteral("created_at_msec"),        QStringLiteral("sender_id"),
                QStringLiteral("conversation_id"),        QStringLiteral("conversation_key_version"),
                QStringLiteral("encoded_event"),          QStringLiteral("conversation_key_change_event"),
                QStringLiteral("message_event_signature")};
    case F::Dm:
        return {QStringLiteral("direct_message_events"), QStringLiteral("users")};
    case F::News:
        return {QStringLiteral("id"),
                QStringLiteral("name"),
                QStringLiteral("category"),
                QStringLiteral("hook"),
                QStringLiteral("summary"),
                QStringLiteral("contexts"),
                QStringLiteral("cluster_posts_results"),
                QStringLiteral("updated_at"),
                QStringLiteral("disclaimer")};
    case F::OAuth:
        return {QStringLiteral("date_time"), QStringLiteral("user_id"), QStringLiteral("app_id")};
    }
    return {};
}

ActivityFilter filterFor(const xaa::EventType &type)
{
    ActivityFilter filter;
    if (type.filters.testFlag(xaa::FilterField::UserId))
        filter.userId = demo::carol.id; // no seeded subscription follows carol
    if (type.filters.testFlag(xaa::FilterField::Keyword))
        filter.keyword = QStringLiteral("qt");
    return filter;
}

QJsonObject filterJson(const ActivityFilter &filter)
{
    QJsonObject object;
    if (!filter.userId.isEmpty())
        object.insert(QStringLiteral("user_id"), filter.userId);
    if (!filter.keyword.isEmpty())
        object.insert(QStringLiteral("keyword"), filter.keyword);
    if (!filter.direction.isEmpty())
        object.insert(QStringLiteral("direction"), filter.direction);
    return object;
}

} // namespace

class TestSandboxActivityEvents : public SandboxTestCase
{
    Q_OBJECT

    QString subscribe(const QString &type, const ActivityFilter &filter, const QString &webhookId = {},
                      const QString &tag = {})
    {
        ActivitySubscriptionRequest request;
        request.eventType = type;
        request.filter = filter;
        request.webhookId = webhookId;
        request.tag = tag;
        return m_server->addActivitySubscription(request);
    }

    Response control(const QJsonObject &json, bool withToken = true)
    {
        if (withToken)
            m_client->setHeader(sandboxTokenHeader, m_server->controlToken());
        else
            m_client->removeHeader(sandboxTokenHeader);
        return m_client->send("POST", m_client->url(QStringLiteral("/sandbox/activity/events")), {},
                              QJsonDocument(json).toJson(QJsonDocument::Compact), "application/json");
    }

private Q_SLOTS:
    void shouldMakeAnEventOfEveryType_data()
    {
        QTest::addColumn<QString>("type");
        QCOMPARE(xaa::eventTypes().size(), 42);
        for (const xaa::EventType &type : xaa::eventTypes())
            QTest::newRow(qPrintable(type.name)) << type.name;
    }
    void shouldMakeAnEventOfEveryType()
    {
        QFETCH(QString, type);
        const xaa::EventType *eventType = xaa::findEventType(type);
        const ActivityFilter filter = filterFor(*eventType);
        const QString tag = QStringLiteral("tag of ") + type;
        const QString id = subscribe(type, filter, {}, tag);
        QVERIFY(!id.isEmpty());
        QSignalSpy emitted(m_server.get(), &SandboxServer::activityEventEmitted);

        QCOMPARE(m_server->emitActivityEvent(type, filter), 1);
        QCOMPARE(emitted.size(), 1);
        const ActivityEventRecord record = emitted.first().first().value<ActivityEventRecord>();
        QCOMPARE(record.subscriptionId, id);
        QCOMPARE(record.eventType, type);
        QVERIFY(record.webhookId.isEmpty());
        QCOMPARE(m_server->activityEvents().last().body, record.body);

        const QJsonObject data = envelopeData(record.body);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9]{1,19}$"))
                    .match(data.value(QStringLiteral("event_uuid")).toString())
                    .hasMatch());
        QCOMPARE(data.value(QStringLiteral("event_uuid")).toString(), record.eventUuid);
        QCOMPARE(data.value(QStringLiteral("event_type")).toString(), type);
        QCOMPARE(data.value(QStringLiteral("filter")).toObject(), filterJson(filter));
        QCOMPARE(data.value(QStringLiteral("tag")).toString(), tag);
        const QJsonObject payload = data.value(QStringLiteral("payload")).toObject();
        for (const QString &field : expectedFields(*eventType))
            QVERIFY2(payload.contains(field), qPrintable(field));
    }

    void shouldFollowTheReferenceSamples()
    {
        // A few values the samples of §4.6 fix, beyond the field names.
        subscribe(QStringLiteral("spaces.end"), {demo::carol.id, {}, {}});
        subscribe(QStringLiteral("oauth.revoke"), {});
        subscribe(QStringLiteral("broadcast.end"), {demo::carol.id, {}, {}});
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("spaces.end")), 1);
        QCOMPARE(envelopeData(m_server->activityEvents().last().body)
                     .value(QStringLiteral("payload"))
                     .toObject()
                     .value(QStringLiteral("event_type"))
                     .toString(),
                 QStringLiteral("spaces_end"));
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("oauth.revoke")), 1);
        const QJsonObject revoke = envelopeData(m_server->activityEvents().last().body);
        QCOMPARE(revoke.value(QStringLiteral("filter")).toObject(), QJsonObject());
        QVERIFY(!revoke.contains(QStringLiteral("tag")));
        QCOMPARE(
            revoke.value(QStringLiteral("payload")).toObject().value(QStringLiteral("app_id")).toString(),
            demo::appId);
        QVERIFY(revoke.value(QStringLiteral("payload"))
                    .toObject()
                    .value(QStringLiteral("date_time"))
                    .toString()
                    .endsWith(QLatin1String("+00:00")));
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("broadcast.end")), 1);
        QCOMPARE(envelopeData(m_server->activityEvents().last().body)
                     .value(QStringLiteral("payload"))
                     .toObject()
                     .value(QStringLiteral("broadcast_state"))
                     .toString(),
                 QStringLiteral("Ended"));
        // The seeded bob post.create has no tag: the envelope leaves it out; the post is bob's.
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("post.create"), {demo::bob.id, {}, {}}), 1);
        const QJsonObject post = envelopeData(m_server->activityEvents().last().body);
        QVERIFY(!post.contains(QStringLiteral("tag")));
        QCOMPARE(
            post.value(QStringLiteral("payload")).toObject().value(QStringLiteral("author_id")).toString(),
            demo::bob.id);
        QVERIFY(post.value(QStringLiteral("includes")).toObject().contains(QStringLiteral("users")));
    }

    void shouldMatchTheFilter()
    {
        // Any accepted spelling; an empty field matches anything.
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("ProfileBioUpdate")), 1);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("profile.update.bio"), {demo::bob.id, {}, {}}),
                 0);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("no.such.type")), 0);
        // The seeded like.create of alice takes inbound only; one without direction takes both.
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("like.create"),
                                             {demo::alice.id, {}, QStringLiteral("outbound")}),
                 0);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("like.create"),
                                             {demo::alice.id, {}, QStringLiteral("inbound")}),
                 1);
        subscribe(QStringLiteral("like.create"), {demo::alice.id, {}, {}});
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("like.create"),
                                             {demo::alice.id, {}, QStringLiteral("outbound")}),
                 1);
        // The like object follows the direction asked for: outbound, alice likes another's post.
        const QJsonObject like =
            envelopeData(m_server->activityEvents().last().body).value(QStringLiteral("payload")).toObject();
        QVERIFY(like.value(QStringLiteral("liked_tweet_author_id")).toString() != demo::alice.id);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("like.create"), {demo::alice.id, {}, {}}), 2);
    }

    void shouldUseAGivenPayload()
    {
        const QJsonObject custom {{QStringLiteral("before"), QStringLiteral("a")},
                                  {QStringLiteral("after"), QStringLiteral("b")}};
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("profile.update.bio"), {demo::alice.id, {}, {}},
                                             custom),
                 1);
        const QJsonObject data = envelopeData(m_server->activityEvents().last().body);
        QCOMPARE(data.value(QStringLiteral("payload")).toObject(), custom);
        QVERIFY(!data.contains(QStringLiteral("includes")));
    }

    void shouldMakeUniqueEventUuids()
    {
        QCOMPARE(m_server->emitActivityEventsForAll(), demo::activitySubscriptionCount);
        QCOMPARE(m_server->emitActivityEventsForAll(), demo::activitySubscriptionCount);
        QSet<QString> uuids;
        for (const ActivityEventRecord &record : m_server->activityEvents())
            uuids.insert(envelopeData(record.body).value(QStringLiteral("event_uuid")).toString());
        QCOMPARE(uuids.size(), 2 * demo::activitySubscriptionCount);
    }

    void shouldDeliverSignedToTheWebhookOnly()
    {
        QSignalSpy received(m_server.get(), &SandboxServer::receiverEventReceived);
        // Stream only, and a webhook that is not valid: kept, never posted. Emitted first, so they
        // would reach the receiver before the event that follows if they were posted at all.
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("post.create"), {demo::bob.id, {}, {}}), 1);
        subscribe(QStringLiteral("post.delete"), {demo::bob.id, {}, {}}, demo::invalidWebhookId);
        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("post.delete"), {demo::bob.id, {}, {}}), 1);
        QCOMPARE(m_server->activityEvents().last().webhookId, demo::invalidWebhookId);

        QCOMPARE(m_server->emitActivityEvent(QStringLiteral("profile.update.bio"), {demo::alice.id, {}, {}}),
                 1);
        const ActivityEventRecord sent = m_server->activityEvents().last();
        QCOMPARE(sent.webhookId, demo::validWebhookId);
        QVERIFY(received.wait(5000));
        QTRY_COMPARE(m_server->deliveries().size(), 1);
        const QList<ReceivedEvent> got = m_server->receivedEvents(demo::receiverName);
        QCOMPARE(got.size(), 1); // only bodies whose signature holds are kept
        QVERIFY(got.first().signatureValid);
        QCOMPARE(got.first().body, sent.body);
        const DeliveryRecord delivery = m_server->deliveries().first();
        QCOMPARE(delivery.eventKey, QStringLiteral("profile.update.bio"));
        QCOMPARE(delivery.forUserId, demo::alice.id);
        QCOMPARE(delivery.webhookId, demo::validWebhookId);
        QCOMPARE(delivery.eventId, sent.eventUuid);
        QVERIFY(delivery.delivered);
        QCOMPARE(m_server->activityEvents().size(), 3);
    }

    void shouldKeepARing()
    {
        SandboxLimits limits = m_server->limits();
        QCOMPARE(limits.activityEvents, qsizetype(10000));
        limits.activityEvents = 2;
        m_server->setLimits(limits);
        QCOMPARE(m_server->emitActivityEventsForAll(), 3);
        QCOMPARE(m_server->activityEvents().size(), 2);
        QCOMPARE(m_server->activityEvents().last().subscriptionId, demo::activityLikeSubscriptionId);
    }

    void shouldEmitThroughTheControlEndpoint()
    {
        Response r =
            control(QJsonObject {{QStringLiteral("event_type"), QStringLiteral("profile.update.bio")},
                                 {QStringLiteral("user_id"), demo::alice.id},
                                 {QStringLiteral("payload"), QJsonObject {{QStringLiteral("after"), 1}}}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("emitted")).toInt(), 1);
        QCOMPARE(
            envelopeData(m_server->activityEvents().last().body).value(QStringLiteral("payload")).toObject(),
            (QJsonObject {{QStringLiteral("after"), 1}}));
        r = control(QJsonObject {{QStringLiteral("event_type"), QStringLiteral("like.create")},
                                 {QStringLiteral("user_id"), demo::alice.id},
                                 {QStringLiteral("direction"), QStringLiteral("outbound")}});
        QCOMPARE(r.object().value(QStringLiteral("emitted")).toInt(), 0);
        r = control(QJsonObject {{QStringLiteral("all"), true}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("emitted")).toInt(), demo::activitySubscriptionCount);
        QCOMPARE(m_server->activityEvents().size(), 1 + demo::activitySubscriptionCount);

        QCOMPARE(control(QJsonObject {{QStringLiteral("event_type"), QStringLiteral("post.edit")}}).status,
                 400);
        QCOMPARE(control(QJsonObject {{QStringLiteral("event_type"), QStringLiteral("post.create")},
                                      {QStringLiteral("user_id"), 5}})
                     .status,
                 400);
        const Response refused = control(QJsonObject {{QStringLiteral("all"), true}}, false);
        QCOMPARE(refused.status, 403);
        QCOMPARE(m_server->activityEvents().size(), 1 + demo::activitySubscriptionCount);
    }
};

QTEST_GUILESS_MAIN(TestSandboxActivityEvents)
#include "tst_sandbox_activity_events.moc"
