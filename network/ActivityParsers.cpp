#include "ActivityEventTypes.h"
#include "ParseSupport.h"
#include "Parsers.h"

#include <QSet>

// The X Activity API's answers (x-api-2026.md §4.2, §4.4): every shape spec 2.167, spec 2.166 and
// the quickstart show, since which one X really sends is uncertain.
namespace activity::parse {

using namespace detail;

namespace {

const QLatin1String kData("data");
const QLatin1String kMeta("meta");
const QLatin1String kErrors("errors");
const QLatin1String kSubscription("subscription");
const QLatin1String kSubscriptionId("subscription_id");
const QLatin1String kTotal("total_subscriptions");

Result<ActivitySubscription> subscriptionFrom(const QJsonValue &value, const QString &what)
{
    if (!value.isObject())
        return malformed(what + QStringLiteral(" as an object"), QStringLiteral("it is ") + typeName(value));
    const QJsonObject object = value.toObject();
    Fields fields(object, what);
    ActivitySubscription subscription;
    subscription.id = fields.id(kSubscriptionId, QLatin1String("id"));
    const QString eventType = fields.string(QLatin1String("event_type"), true);
    subscription.tag = fields.string(QLatin1String("tag"), false);
    if (fields.has(QLatin1String("webhook_id")) && !object.value(QLatin1String("webhook_id")).isNull())
        subscription.webhookId = fields.id(QLatin1String("webhook_id"));
    subscription.createdAt = fields.time(QLatin1String("created_at"));
    subscription.updatedAt = fields.time(QLatin1String("updated_at"));
    if (!fields.ok())
        return fields.error();
    if (eventType.trimmed().isEmpty())
        return malformed(what + QStringLiteral(" with a non-empty \"event_type\""),
                         QStringLiteral("it is empty"));
    const QString canonical = xaa::canonicalEventType(eventType);
    subscription.eventType = canonical.isEmpty() ? eventType : canonical;

    const QJsonValue filterValue = object.value(QLatin1String("filter"));
    if (!filterValue.isUndefined() && !filterValue.isNull()) {
        if (!filterValue.isObject())
            return malformed(what + QStringLiteral(" with \"filter\" as an object"),
                             QStringLiteral("it is ") + typeName(filterValue));
        const QJsonObject filterObject = filterValue.toObject();
        Fields filter(filterObject, what + QStringLiteral("'s filter"));
        if (filter.has(QLatin1String("user_id")) && !filterObject.value(QLatin1String("user_id")).isNull())
            subscription.filter.userId = filter.id(QLatin1String("user_id"));
        subscription.filter.keyword = filter.string(QLatin1String("keyword"), false);
        subscription.filter.direction = filter.string(QLatin1String("direction"), false);
        if (!filter.ok())
            return filter.error();
    }
    return subscription;
}

// An optional count; a present but unreadable one is an error.
std::optional<ApiError> optionalCount(const QJsonObject &object, QLatin1String key, const QString &what,
                                      std::optional<qint64> &out)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (auto n = countFrom(value)) {
        out = *n;
        return std::nullopt;
    }
    return malformed(QStringLiteral("%1 with \"%2\" as a non-negative whole number").arg(what, key),
                     QStringLiteral("it is ") + typeName(value));
}

// "meta" as an object, or an empty one when absent.
Result<QJsonObject> metaOf(const QJsonObject &top, const QString &expected)
{
    const QJsonValue meta = top.value(kMeta);
    if (meta.isUndefined() || meta.isNull())
        return QJsonObject();
    if (!meta.isObject())
        return malformed(expected, QStringLiteral("\"meta\" is ") + typeName(meta));
    return meta.toObject();
}

QString problemReason(const QJsonObject &object)
{
    const QString type = object.value(QLatin1String("type")).toString();
    const qsizetype at = type.indexOf(QLatin1String("/2/problems/"));
    if (at >= 0)
        return type.mid(at + 12);
    if (!type.isEmpty())
        return type;
    return object.value(QLatin1String("title")).toString();
}

} // namespace

Result<ActivitySubscriptionChange> activitySubscriptionChange(const QByteArray &body)
{
    const QString expected =
        QStringLiteral("an X Activity subscription ({\"data\":{\"subscription\":{...}}}, "
                       "{\"data\":{...}} or {\"data\":[{...}]})");
    const Result<QJsonObject> read = topObject(body, expected);
    if (!read)
        return read.error();
    const QJsonObject &top = read.value();
    if (auto error = errorsOnly(top, body))
        return *error;
    const Result<QJsonObject> meta = metaOf(top, expected);
    if (!meta)
        return meta.error();

    ActivitySubscriptionChange change;
    const QJsonValue data = top.value(kData);
    QJsonValue subscriptionValue;
    if (data.isArray()) {
        const QJsonArray array = data.toArray();
        if (array.size() != 1)
            return malformed(expected,
                             QStringLiteral("\"data\" is an array of %1 entries").arg(array.size()));
        subscriptionValue = array.first();
    } else if (data.isObject()) {
        const QJsonObject dataObject = data.toObject();
        if (dataObject.contains(kSubscription)) {
            subscriptionValue = dataObject.value(kSubscription);
            if (auto error =
                    optionalCount(dataObject, kTotal, QStringLiteral("\"data\""), change.totalSubscriptions))
                return *error;
            if (!change.totalSubscriptions) {
                if (auto error =
                        optionalCount(dataObject, QLatin1String("total_subscriptions_for_instance_id"),
                                      QStringLiteral("\"data\""), change.totalSubscriptions))
                    return *error;
            }
        } else {
            subscriptionValue = data;
        }
    } else {
        return malformed(expected, QStringLiteral("\"data\" is ") + typeName(data));
    }
    std::optional<qint64> metaTotal;
    if (auto error = optionalCount(meta.value(), kTotal, QStringLiteral("\"meta\""), metaTotal))
        return *error;
    if (!change.totalSubscriptions)
        change.totalSubscriptions = metaTotal;

    Result<ActivitySubscription> subscription =
        subscriptionFrom(subscriptionValue, QStringLiteral("the subscription"));
    if (!subscription)
        return subscription.error();
    change.subscription = std::move(subscription.value());
    return change;
}

Result<ActivitySubscriptionPage> activitySubscriptionPage(const QByteArray &body)
{
    const QString expected = QStringLiteral("a list of X Activity subscriptions ({\"data\":[...]})");
    const Result<QJsonObject> read = topObject(body, expected);
    if (!read)
        return read.error();
    const QJsonObject &top = read.value();
    if (auto error = errorsOnly(top, body))
        return *error;
    const Result<QJsonObject> metaRead = metaOf(top, expected);
    if (!metaRead)
        return metaRead.error();
    const QJsonObject &meta = metaRead.value();

    ActivitySubscriptionPage page;
    const QJsonValue data = top.value(kData);
    if (!data.isUndefined() && !data.isNull()) {
        if (!data.isArray())
            return malformed(expected, QStringLiteral("\"data\" is ") + typeName(data));
        const QJsonArray array = data.toArray();
        page.subscriptions.reserve(array.size());
        for (qsizetype i = 0; i < array.size(); ++i) {
            Result<ActivitySubscription> entry =
                subscriptionFrom(array.at(i), QStringLiteral("subscription %1").arg(i + 1));
            if (!entry)
                return entry.error();
            page.subscriptions.append(std::move(entry.value()));
        }
    } else if (!top.contains(kMeta)) {
        return malformed(expected, QStringLiteral("it has neither \"data\" nor \"meta\""));
    }

    Fields fields(meta, QStringLiteral("\"meta\""));
    page.nextToken = fields.string(QLatin1String("next_token"), false);
    if (!fields.ok())
        return fields.error();
    if (auto error =
            optionalCount(meta, QLatin1String("result_count"), QStringLiteral("\"meta\""), page.resultCount))
        return *error;
    if (auto error = optionalCount(meta, kTotal, QStringLiteral("\"meta\""), page.totalSubscriptions))
        return *error;
    return page;
}

Result<ActivityDeleteResult> activitySubscriptionDeleted(const QByteArray &body)
{
    const QString expected = QStringLiteral("{\"data\":{\"deleted\":true|false}}");
    const Result<QJsonObject> read = topObject(body, expected);
    if (!read)
        return read.error();
    const QJsonObject &top = read.value();
    if (auto error = errorsOnly(top, body))
        return *error;
    const QJsonValue data = top.value(kData);
    if (!data.isObject())
        return malformed(expected, QStringLiteral("\"data\" is ") + typeName(data));
    const QJsonObject dataObject = data.toObject();
    Fields fields(dataObject, QStringLiteral("\"data\""));
    ActivityDeleteResult result;
    result.deleted = fields.flag(QLatin1String("deleted"), false, true);
    if (!fields.ok())
        return fields.error();
    const Result<QJsonObject> meta = metaOf(top, expected);
    if (!meta)
        return meta.error();
    if (auto error = optionalCount(meta.value(), kTotal, QStringLiteral("\"meta\""), result.remaining))
        return *error;
    return result;
}

Result<ActivityBulkDeleteResult> activitySubscriptionsDeleted(const QByteArray &body,
                                                              const QStringList &requestedIds)
{
    const QString expected = QStringLiteral("a bulk delete result ({\"data\":[...],\"errors\":[...]})");
    const Result<QJsonObject> read = topObject(body, expected);
    if (!read)
        return read.error();
    const QJsonObject &top = read.value();
    const Result<QJsonObject> meta = metaOf(top, expected);
    if (!meta)
        return meta.error();

    ActivityBulkDeleteResult result;
    if (auto error = optionalCount(meta.value(), kTotal, QStringLiteral("\"meta\""), result.remaining))
        return *error;

    // Per-id errors: 2.167 {subscription_id, reason, message}; 2.166 Problems naming the id as
    // resource_id or value.
    const QJsonValue errorsValue = top.value(kErrors);
    bool anyErrorNamesAnId = false;
    if (!errorsValue.isUndefined() && !errorsValue.isNull()) {
        if (!errorsValue.isArray())
            return malformed(expected, QStringLiteral("\"errors\" is ") + typeName(errorsValue));
        const QJsonArray array = errorsValue.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonValue entry = array.at(i);
            if (!entry.isObject())
                return malformed(expected, QStringLiteral("error %1 is ").arg(i + 1) + typeName(entry));
            const QJsonObject object = entry.toObject();
            ActivityBulkDeleteError failure;
            for (const QLatin1String key :
                 {kSubscriptionId, QLatin1String("resource_id"), QLatin1String("value")}) {
                if (auto id = idFrom(object.value(key))) {
                    failure.subscriptionId = *id;
                    break;
                }
            }
            anyErrorNamesAnId = anyErrorNamesAnId || !failure.subscriptionId.isEmpty();
            failure.reason = object.value(QLatin1String("reason")).toString();
            if (failure.reason.isEmpty())
                failure.reason = problemReason(object);
            failure.message = object.value(QLatin1String("message")).toString();
            if (failure.message.isEmpty())
                failure.message = object.value(QLatin1String("detail")).toString();
            result.errors.append(failure);
        }
    }

    const QJsonValue data = top.value(kData);
    if (data.isUndefined() || data.isNull()) {
        // Nothing deleted: either every id failed, or the request itself was refused.
        if (!result.errors.isEmpty() && !anyErrorNamesAnId)
            return errors::fromResponse(200, body);
        if (result.errors.isEmpty())
            return malformed(expected, QStringLiteral("it has neither \"data\" nor \"errors\""));
        return result;
    }
    if (data.isArray()) {
        const QJsonArray array = data.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonValue entry = array.at(i);
            if (!entry.isObject())
                return malformed(expected,
                                 QStringLiteral("entry %1 of \"data\" is ").arg(i + 1) + typeName(entry));
            const QJsonObject object = entry.toObject();
            Fields fields(object, QStringLiteral("entry %1 of \"data\"").arg(i + 1));
            const QString id = fields.id(kSubscriptionId, QLatin1String("id"));
            const bool deleted = fields.flag(QLatin1String("deleted"), true);
            if (!fields.ok())
                return fields.error();
            if (deleted)
                result.deleted.append(id);
            else
                result.errors.append(
                    {id, QStringLiteral("not_deleted"), QStringLiteral("X did not delete it.")});
        }
        return result;
    }
    if (data.isObject()) {
        // 2.166: one flag for the whole request; the ids asked for minus the failed ones.
        const QJsonObject dataObject = data.toObject();
        Fields fields(dataObject, QStringLiteral("\"data\""));
        const bool deleted = fields.flag(QLatin1String("deleted"), false, true);
        if (!fields.ok())
            return fields.error();
        QSet<QString> failed;
        for (const ActivityBulkDeleteError &failure : std::as_const(result.errors))
            failed.insert(failure.subscriptionId);
        for (const QString &id : requestedIds) {
            if (failed.contains(id))
                continue;
            if (deleted)
                result.deleted.append(id);
            else
                result.errors.append(
                    {id, QStringLiteral("not_deleted"), QStringLiteral("X did not delete it.")});
        }
        return result;
    }
    return malformed(expected, QStringLiteral("\"data\" is ") + typeName(data));
}

} // namespace activity::parse
