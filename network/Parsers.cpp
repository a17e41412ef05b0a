#include "Parsers.h"

#include "ParseSupport.h"

// The answers of the Account Activity API: webhooks, subscriptions, replay jobs, users, and the
// events a webhook receives. The OAuth answers are in TokenParsers.cpp.
namespace activity::parse {

using namespace detail;

Result<QList<Webhook>> webhookList(const QByteArray &body)
{
    const QString expected = QStringLiteral("a list of webhooks (a JSON array, {\"data\":[...]} or "
                                            "{\"environments\":[...]})");
    QJsonDocument doc;
    if (auto error = readJson(body, expected, doc))
        return *error;
    QList<Webhook> hooks;
    if (doc.isArray()) {
        if (auto error = appendWebhooks(doc.array(), QStringLiteral("webhook"), hooks))
            return *error;
        return hooks;
    }
    if (!doc.isObject())
        return malformed(expected, QStringLiteral("it is ") + documentTypeName(doc));
    const QJsonObject top = doc.object();
    if (auto error = errorsOnly(top, body))
        return *error;

    if (top.contains(QLatin1String("environments"))) {
        const QJsonValue environments = top.value(QLatin1String("environments"));
        if (!environments.isArray())
            return malformed(expected, QStringLiteral("\"environments\" is ") + typeName(environments));
        const QJsonArray envArray = environments.toArray();
        for (qsizetype i = 0; i < envArray.size(); ++i) {
            const QJsonValue env = envArray.at(i);
            if (!env.isObject())
                return malformed(expected, QStringLiteral("environment %1 is ").arg(i + 1) + typeName(env));
            const QJsonValue list = env.toObject().value(QLatin1String("webhooks"));
            if (list.isUndefined() || list.isNull())
                continue; // an environment without a webhook yet
            if (!list.isArray())
                return malformed(expected,
                                 QStringLiteral("\"webhooks\" of environment %1 is ").arg(i + 1) +
                                     typeName(list));
            const QString envName = env.toObject().value(QLatin1String("environment_name")).toString();
            const QString what = envName.isEmpty()
                ? QStringLiteral("webhook")
                : QStringLiteral("webhook of environment ") + quoted(envName);
            if (auto error = appendWebhooks(list.toArray(), what, hooks))
                return *error;
        }
        return hooks;
    }

    const QJsonValue data = top.value(QLatin1String("data"));
    if (data.isUndefined()) {
        // {"meta":{"result_count":0}}: v2 leaves "data" out when there is nothing.
        if (top.value(QLatin1String("meta")).isObject())
            return hooks;
        return malformed(expected, QStringLiteral("the object has neither \"data\" nor \"environments\""));
    }
    if (data.isNull())
        return hooks;
    if (!data.isArray())
        return malformed(expected, QStringLiteral("\"data\" is ") + typeName(data));
    if (auto error = appendWebhooks(data.toArray(), QStringLiteral("webhook"), hooks))
        return *error;
    return hooks;
}

Result<Webhook> webhook(const QByteArray &body)
{
    const QString expected = QStringLiteral("a webhook object (with or without a \"data\" wrapper)");
    const Result<QJsonObject> data = dataObject(body, expected);
    if (!data)
        return data.error();
    const QJsonObject *object = &data.value();
    return webhookFrom(*object, QStringLiteral("a webhook"));
}

Result<bool> validateResult(const QByteArray &body)
{
    return dataFlag(body, QLatin1String("valid"), QLatin1String("attempted"));
}

Result<bool> deleteResult(const QByteArray &body)
{
    return dataFlag(body, QLatin1String("deleted"));
}

Result<bool> subscribedFlag(const QByteArray &body)
{
    return dataFlag(body, QLatin1String("subscribed"));
}

Result<SubscriptionCount> subscriptionCount(const QByteArray &body)
{
    const QString expected = QStringLiteral("a subscription count object");
    const Result<QJsonObject> data = dataObject(body, expected);
    if (!data)
        return data.error();
    const QJsonObject *object = &data.value();

    Fields fields(*object, QStringLiteral("a subscription count"));
    SubscriptionCount count;
    count.accountName = fields.string(QLatin1String("account_name"), false);
    if (object->contains(QLatin1String("subscriptions_count_all")))
        count.subscriptionsAll = fields.count(QLatin1String("subscriptions_count_all"), true);
    else if (object->contains(QLatin1String("subscriptions_count")))
        count.subscriptionsAll = fields.count(QLatin1String("subscriptions_count"), true); // Premium
    else
        return malformed(expected +
                             QStringLiteral(" with \"subscriptions_count_all\" or \"subscriptions_count\""),
                         QStringLiteral("neither is present"));
    count.subscriptionsDirectMessages =
        fields.count(QLatin1String("subscriptions_count_direct_messages"), false);
    count.provisioned = fields.count(QLatin1String("provisioned_count"), false);
    if (!fields.ok())
        return fields.error();
    return count;
}

Result<SubscriptionList> subscriptionList(const QByteArray &body)
{
    const QString expected = QStringLiteral("a subscription list object with \"subscriptions\"");
    const Result<QJsonObject> data = dataObject(body, expected);
    if (!data)
        return data.error();
    const QJsonObject *object = &data.value();

    Fields fields(*object, QStringLiteral("a subscription list"));
    SubscriptionList list;
    if (object->contains(QLatin1String("webhook_id")))
        list.webhookId = fields.id(QLatin1String("webhook_id"));
    list.webhookUrl = fields.string(QLatin1String("webhook_url"), false);
    if (object->contains(QLatin1String("application_id")))
        list.applicationId = fields.id(QLatin1String("application_id"));
    // Premium names the environment instead of the webhook; keep it where the webhook id would go
    // only when there is no webhook id, so the caller can still tell which list it is.
    const QString environment = fields.string(QLatin1String("environment"), false);
    if (!fields.ok())
        return fields.error();

    const QJsonValue subscriptions = object->value(QLatin1String("subscriptions"));
    if (subscriptions.isUndefined() || subscriptions.isNull()) {
        // v2 may leave an empty list out; accept that only for something that is clearly a list answer.
        if (!list.webhookId.isEmpty() || !list.applicationId.isEmpty() || !environment.isEmpty())
            return list;
        return malformed(expected, QStringLiteral("there is no \"subscriptions\" array"));
    }
    if (!subscriptions.isArray())
        return malformed(expected, QStringLiteral("\"subscriptions\" is ") + typeName(subscriptions));
    const QJsonArray array = subscriptions.toArray();
    list.userIds.reserve(array.size());
    const QLatin1String userIdKey("user_id");
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue entry = array.at(i);
        if (!entry.isObject())
            return malformed(expected, QStringLiteral("subscription %1 is ").arg(i + 1) + typeName(entry));
        const QJsonValue userId = entry.toObject().value(userIdKey);
        auto id = idFrom(userId);
        if (!id)
            return malformed(QStringLiteral("a \"user_id\" string in every subscription"),
                             QStringLiteral("subscription %1 has ").arg(i + 1) + typeName(userId));
        list.userIds.append(std::move(*id));
    }
    return list;
}

Result<ReplayJob> replayJob(const QByteArray &body)
{
    const QString expected =
        QStringLiteral("a replay job with \"job_id\" (in \"data\", in \"replay_event\" or at the "
                       "top level)");
    const Result<QJsonObject> read = topObject(body, expected);
    if (!read)
        return read.error();
    const QJsonObject top = read.value();
    if (auto error = errorsOnly(top, body))
        return *error;
    QJsonObject job = top;
    for (const QLatin1String wrapper : {QLatin1String("data"), QLatin1String("replay_event")}) {
        const QJsonValue inner = top.value(wrapper);
        if (inner.isObject() && inner.toObject().contains(QLatin1String("job_id"))) {
            job = inner.toObject();
            break;
        }
    }
    if (!job.contains(QLatin1String("job_id")))
        return malformed(expected, QStringLiteral("no \"job_id\" was found"));
    Fields fields(job, QStringLiteral("a replay job"));
    ReplayJob result;
    result.jobId = fields.id(QLatin1String("job_id"));
    result.createdAt = fields.time(QLatin1String("created_at"));
    if (!fields.ok())
        return fields.error();
    return result;
}

Result<QList<UserInfo>> users(const QByteArray &body)
{
    const QString expected = QStringLiteral("a list of users (a JSON array or {\"data\":[...]})");
    QJsonDocument doc;
    if (auto error = readJson(body, expected, doc))
        return *error;
    QJsonArray array;
    if (doc.isArray()) {
        array = doc.array();
    } else if (doc.isObject()) {
        const QJsonObject top = doc.object();
        const QJsonValue data = top.value(QLatin1String("data"));
        if (data.isArray()) {
            array = data.toArray();
        } else if (data.isObject()) {
            array.append(data); // GET /2/users/:id
        } else if (data.isUndefined() || data.isNull()) {
            // Only per-user problems (none of the ids exists any more): nobody to show.
            if (!top.value(QLatin1String("errors")).isArray())
                return malformed(expected, QStringLiteral("the object has neither \"data\" nor \"errors\""));
        } else {
            return malformed(expected, QStringLiteral("\"data\" is ") + typeName(data));
        }
    } else {
        return malformed(expected, QStringLiteral("it is ") + documentTypeName(doc));
    }

    QList<UserInfo> result;
    result.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue entry = array.at(i);
        const QString what = QStringLiteral("user %1").arg(i + 1);
        if (!entry.isObject())
            return malformed(what + QStringLiteral(" as an object"),
                             QStringLiteral("it is ") + typeName(entry));
        const QJsonObject object = entry.toObject();
        Fields fields(object, what);
        UserInfo user;
        // v1.1 user objects carry both; id_str is the exact one.
        user.id = object.contains(QLatin1String("id_str")) ? fields.id(QLatin1String("id_str"))
                                                           : fields.id(QLatin1String("id"));
        user.username = object.contains(QLatin1String("username"))
            ? fields.string(QLatin1String("username"), true)
            : fields.string(QLatin1String("screen_name"), false);
        user.name = fields.string(QLatin1String("name"), false);
        if (!fields.ok())
            return fields.error();
        result.append(std::move(user));
    }
    return result;
}

Result<DeliveredEvent> event(const QByteArray &body)
{
    const QString expected = QStringLiteral("a webhook event (a JSON object with one event key)");
    const Result<QJsonObject> read = topObject(body, expected);
    if (!read)
        return read.error();
    const QJsonObject object = read.value();

    static const QStringList objectKeys {QStringLiteral("user_event"), QStringLiteral("replay_job_status")};
    DeliveredEvent event;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const bool isEventKey = objectKeys.contains(it.key()) || it.key().endsWith(QLatin1String("_events"));
        if (!isEventKey)
            continue; // for_user_id, user_has_blocked, users, apps, and whatever X adds
        if (!event.key.isEmpty())
            return malformed(
                expected,
                QStringLiteral("it has two event keys, %1 and %2").arg(quoted(event.key), quoted(it.key())));
        event.key = it.key();
        if (objectKeys.contains(it.key())) {
            if (!it.value().isObject())
                return malformed(expected, quoted(it.key()) + QStringLiteral(" is ") + typeName(it.value()));
            event.itemCount = 1;
        } else {
            if (!it.value().isArray())
                return malformed(expected, quoted(it.key()) + QStringLiteral(" is ") + typeName(it.value()));
            event.itemCount = it.value().toArray().size();
        }
    }
    if (event.key.isEmpty())
        return malformed(expected, QStringLiteral("it has no event key"));

    if (event.key == QLatin1String("replay_job_status")) {
        const QJsonObject status = object.value(event.key).toObject();
        const std::optional<QString> jobId = idFrom(status.value(QStringLiteral("job_id")));
        if (!jobId)
            return malformed(expected, QStringLiteral("replay_job_status has no job_id"));
        event.replayJobId = *jobId;
        event.replayWebhookId = idFrom(status.value(QStringLiteral("webhook_id"))).value_or(QString());
        event.replayJobState = status.value(QStringLiteral("job_state")).toString();
        event.replayJobStateDescription = status.value(QStringLiteral("job_state_description")).toString();
        return event;
    }
    if (event.key == QLatin1String("user_event"))
        return event;
    const QJsonValue forUser = object.value(QStringLiteral("for_user_id"));
    const std::optional<QString> forUserId = idFrom(forUser);
    static const QRegularExpression numeric(QStringLiteral("^[0-9]{1,19}$"));
    if (!forUserId || !numeric.match(*forUserId).hasMatch())
        return malformed(expected,
                         QStringLiteral("for_user_id is ") +
                             (forUser.isString() ? quoted(forUser.toString()) : typeName(forUser)));
    event.forUserId = *forUserId;
    return event;
}

} // namespace activity::parse
