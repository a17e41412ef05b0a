#include "CliActivityFormat.h"

#include "ActivitySubscriptions.h"
#include "CliFormat.h"
#include "CliOutput.h"
#include "UserCache.h"

#include <QJsonArray>

namespace activity::cli::format {

namespace {

QJsonObject filterObject(const ActivityFilter &filter)
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

QJsonValue timeValue(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(isoTime(time)) : QJsonValue();
}

QString timeText(const QDateTime &time)
{
    return time.isValid() ? isoTime(time) : QStringLiteral("-");
}

QString filterCell(const ActivityFilter &filter, const QString &username = {})
{
    const QString text = xaa::filterText(filter, username);
    return text.isEmpty() ? QStringLiteral("(none)") : text;
}

QString webhookText(const QString &webhookId)
{
    return webhookId.isEmpty() ? QStringLiteral("stream only") : webhookId;
}

QString describe(const ActivitySubscription &s)
{
    return QStringLiteral("%1 (%2) -> %3%4")
        .arg(s.eventType, filterCell(s.filter),
             s.webhookId.isEmpty() ? QStringLiteral("the stream only")
                                   : QStringLiteral("webhook ") + s.webhookId,
             s.tag.isEmpty() ? QString() : QStringLiteral(", tag \"%1\"").arg(s.tag));
}

} // namespace

QJsonObject activitySubscriptionObject(const ActivitySubscription &subscription)
{
    return {{QStringLiteral("subscription_id"), subscription.id},
            {QStringLiteral("event_type"), subscription.eventType},
            {QStringLiteral("filter"), filterObject(subscription.filter)},
            {QStringLiteral("tag"), subscription.tag.isEmpty() ? QJsonValue() : QJsonValue(subscription.tag)},
            {QStringLiteral("webhook_id"),
             subscription.webhookId.isEmpty() ? QJsonValue() : QJsonValue(subscription.webhookId)},
            {QStringLiteral("created_at"), timeValue(subscription.createdAt)},
            {QStringLiteral("updated_at"), timeValue(subscription.updatedAt)}};
}

void activityTypes(Output &output)
{
    const QList<xaa::EventType> &types = xaa::eventTypes();
    if (output.json()) {
        QJsonArray array;
        for (const xaa::EventType &type : types) {
            QJsonObject object {
                {QStringLiteral("name"), type.name},
                {QStringLiteral("family"), xaa::familyName(type.family)},
                {QStringLiteral("filters"), QJsonArray::fromStringList(xaa::filterFieldNames(type.filters))},
                {QStringLiteral("actor_only"), type.actorOnly},
                {QStringLiteral("scope"), type.scope.isEmpty() ? QJsonValue() : QJsonValue(type.scope)},
                {QStringLiteral("accepted_scopes"), QJsonArray::fromStringList(xaa::acceptedScopes(type))},
                {QStringLiteral("visibility"), xaa::visibilityName(type.visibility)},
                {QStringLiteral("needs_user_token"), xaa::needsUserToken(type)},
                {QStringLiteral("in_spec"), type.inSpec},
                {QStringLiteral("filters_documented"), type.filtersDocumented},
                {QStringLiteral("description"), type.description}};
            array.append(object);
        }
        QJsonArray aliases;
        for (const xaa::EventTypeAlias &alias : xaa::eventTypeAliases())
            aliases.append(QJsonObject {{QStringLiteral("alias"), alias.alias},
                                        {QStringLiteral("current"), alias.current},
                                        {QStringLiteral("note"), alias.note}});
        output.document({{QStringLiteral("event_types"), array}, {QStringLiteral("aliases"), aliases}});
        return;
    }
    QList<QStringList> rows;
    for (const xaa::EventType &type : types) {
        QString filters = xaa::filterFieldNames(type.filters).join(QLatin1Char(','));
        if (type.actorOnly)
            filters += QStringLiteral(" (yourself)");
        rows.append(
            {type.name, xaa::familyName(type.family), filters.isEmpty() ? QStringLiteral("-") : filters,
             xaa::acceptedScopes(type).join(QStringLiteral(" or ")),
             xaa::needsUserToken(type) ? QStringLiteral("user sign-in") : QStringLiteral("app bearer"),
             type.description});
    }
    output.table({QStringLiteral("EVENT TYPE"), QStringLiteral("FAMILY"), QStringLiteral("FILTERS"),
                  QStringLiteral("SCOPE"), QStringLiteral("SIGNED WITH"), QStringLiteral("DESCRIPTION")},
                 rows);
    output.line(QString());
    output.line(QStringLiteral("Also accepted on input (sent and shown as the current name):"));
    for (const xaa::EventTypeAlias &alias : xaa::eventTypeAliases())
        output.line(QStringLiteral("  %1 -> %2").arg(alias.alias, alias.current));
}

void activitySubscriptions(Output &output, const QList<ActivitySubscription> &subscriptions,
                           const UserCache *names, const xaa::Quota &quota)
{
    const auto usernameOf = [names](const QString &id) -> QString {
        if (!names || id.isEmpty())
            return {};
        const std::optional<UserInfo> user = names->value(id);
        return user ? user->username : QString();
    };
    if (output.json()) {
        QJsonArray array;
        for (const ActivitySubscription &subscription : subscriptions) {
            QJsonObject object = activitySubscriptionObject(subscription);
            if (names && !subscription.filter.userId.isEmpty()) {
                const QString username = usernameOf(subscription.filter.userId);
                object.insert(QStringLiteral("username"),
                              username.isEmpty() ? QJsonValue() : QJsonValue(username));
            }
            array.append(object);
        }
        output.document({{QStringLiteral("subscriptions"), array},
                         {QStringLiteral("quota"),
                          QJsonObject {{QStringLiteral("tier"), xaa::tierName(quota.tier)},
                                       {QStringLiteral("used"), quota.used},
                                       {QStringLiteral("limit"), quota.limit},
                                       {QStringLiteral("remaining"), quota.remaining()}}}});
        return;
    }
    if (subscriptions.isEmpty()) {
        output.line(QStringLiteral("No X Activity subscriptions."));
    } else {
        QList<QStringList> rows;
        rows.reserve(subscriptions.size());
        for (const ActivitySubscription &s : subscriptions)
            rows.append({s.id, s.eventType, filterCell(s.filter, usernameOf(s.filter.userId)),
                         s.tag.isEmpty() ? QStringLiteral("-") : s.tag, webhookText(s.webhookId),
                         timeText(s.createdAt), timeText(s.updatedAt)});
        output.table({QStringLiteral("ID"), QStringLiteral("EVENT TYPE"), QStringLiteral("FILTER"),
                      QStringLiteral("TAG"), QStringLiteral("WEBHOOK"), QStringLiteral("CREATED"),
                      QStringLiteral("UPDATED")},
                     rows);
    }
    output.line(quota.text());
}

void activityCreated(Output &output, const ActivitySubscriptionChange &change)
{
    if (output.json()) {
        QJsonObject object {
            {QStringLiteral("subscription"), activitySubscriptionObject(change.subscription)}};
        if (change.totalSubscriptions)
            object.insert(QStringLiteral("total_subscriptions"), *change.totalSubscriptions);
        output.document(object);
        return;
    }
    output.line(QStringLiteral("Created subscription %1: %2.")
                    .arg(change.subscription.id, describe(change.subscription)));
}

void activityUpdated(Output &output, const ActivitySubscriptionChange &change)
{
    if (output.json()) {
        output.document({{QStringLiteral("subscription"), activitySubscriptionObject(change.subscription)}});
        return;
    }
    output.line(QStringLiteral("Updated subscription %1: %2.")
                    .arg(change.subscription.id, describe(change.subscription)));
}

void activityRemoved(Output &output, const QStringList &deleted, const QList<ActivityBulkDeleteError> &failed)
{
    if (output.json()) {
        QJsonArray failures;
        for (const ActivityBulkDeleteError &error : failed)
            failures.append(QJsonObject {{QStringLiteral("subscription_id"), error.subscriptionId},
                                         {QStringLiteral("reason"), error.reason},
                                         {QStringLiteral("message"), error.message}});
        output.document({{QStringLiteral("deleted"), QJsonArray::fromStringList(deleted)},
                         {QStringLiteral("failed"), failures}});
        return;
    }
    output.line(QStringLiteral("Deleted %1 subscription(s).").arg(deleted.size()));
    for (const ActivityBulkDeleteError &error : failed)
        output.error(
            QStringLiteral("Not deleted: %1: %2 (%3)")
                .arg(error.subscriptionId.isEmpty() ? QStringLiteral("(unnamed)") : error.subscriptionId,
                     error.message, error.reason));
}

} // namespace activity::cli::format
