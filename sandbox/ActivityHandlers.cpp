// The X Activity API's subscriptions (x-api-2026.md §4.1–§4.4). The body rules are the spec's
// (additionalProperties:false, patterns, lengths); the filter rules reuse the client's checks
// (xaa::checkFilter and friends), so both sides agree on what a valid subscription is.

#include "ActivityHandlers.h"
#include "ActivityJson.h"

#include "ActivityEventTypes.h"
#include "ActivityEvents.h"
#include "ActivitySubscriptions.h"
#include "SandboxDemo.h"

#include <QUrlQuery>

#include <cstring>
#include <limits>

namespace activity::sandbox {

using namespace activityjson;

ActivityHandlers::ActivityHandlers(const SandboxParts &parts)
    : HandlerGroup(parts)
{
}

void ActivityHandlers::registerRoutes()
{
    using enum Operation;
    using G = ActivityHandlers;
    // Catalogued as generation-independent; they are v2 endpoints, so they refuse in v2's envelope.
    const auto add = [this](Operation op, AuthNeed auth, Route::Handler h, unsigned flags) {
        Route &route = m_router.addApi(op, ApiGeneration::V2, auth, std::move(h));
        route.family = RouteFamily::V2;
        route.flags = flags;
    };
    // Create and list: the app's Bearer token, or a user's (OAuth 2.0 or 1.0a); the rest Bearer only.
    add(CreateActivitySubscription, AuthNeed::AppOrUser, handler(&G::create), JsonBody);
    add(ListActivitySubscriptions, AuthNeed::AppOrUser, handler(&G::list), 0);
    add(UpdateActivitySubscription, AuthNeed::AppOnly, handler(&G::update), JsonBody);
    add(DeleteActivitySubscription, AuthNeed::AppOnly, handler(&G::remove), 0);
    add(DeleteActivitySubscriptions, AuthNeed::AppOnly, handler(&G::removeMany), 0);
    // Events on demand, for a standalone sandbox (the run's X-Sandbox-Token, like /sandbox/events).
    m_router
        .addLocal("POST", QStringLiteral("/sandbox/activity/events"), RouteFamily::Sandbox, AuthNeed::None,
                  handler(&G::postEvents))
        .flags = ControlToken | JsonBody;
}

namespace {

bool isId(const QString &text)
{
    static const QRegularExpression id(QStringLiteral("^[0-9]{1,19}$"));
    return id.match(text).hasMatch();
}

// 400 invalid-request naming the parameter (and its value), which the client's error mapping
// folds into its message: "X refused the request as invalid (parameter filter.keyword = "…")."
Reply invalid(const QString &name, const QString &detail, const QString &parameter, const QString &value = {})
{
    QJsonObject extra {{QStringLiteral("parameter"), parameter}};
    if (!value.isEmpty())
        extra.insert(QStringLiteral("value"), value);
    return v2Error(400, name, detail, QStringLiteral("invalid-request"), extra);
}

QString compact(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(
        QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact).mid(1).chopped(1));
}

// The body as a JSON object with no properties but `allowed` (additionalProperties:false).
std::optional<Reply> readObject(const QByteArray &body, const QStringList &allowed, const QString &hint,
                                QJsonObject &out)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return invalid(QStringLiteral("InvalidRequest"),
                       QStringLiteral("The body must be a JSON object with ") +
                           allowed.join(QStringLiteral(", ")) + QLatin1Char('.'),
                       QStringLiteral("body"));
    out = doc.object();
    for (auto it = out.constBegin(); it != out.constEnd(); ++it) {
        if (!allowed.contains(it.key()))
            return invalid(
                QStringLiteral("InvalidRequest"),
                QStringLiteral("The body has a property %1 it may not have. %2").arg(it.key(), hint),
                it.key());
    }
    return std::nullopt;
}

// A property that must be a string when present.
std::optional<Reply> stringAt(const QJsonObject &object, const QString &key, const QString &parameter,
                              std::optional<QString> &out)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isString())
        return invalid(QStringLiteral("InvalidRequest"),
                       QStringLiteral("%1 must be a string.").arg(parameter), parameter, compact(value));
    out = value.toString();
    return std::nullopt;
}

QJsonObject subscriptionJson(const ActivitySubscription &s)
{
    QJsonObject object {{QStringLiteral("subscription_id"), s.id},
                        {kEventType, s.eventType},
                        {kFilter, filterJson(s.filter)},
                        {QStringLiteral("created_at"), isoTime(s.createdAt, true)},
                        {QStringLiteral("updated_at"), isoTime(s.updatedAt, true)}};
    if (!s.tag.isEmpty())
        object.insert(kTag, s.tag);
    if (!s.webhookId.isEmpty())
        object.insert(kWebhookId, s.webhookId);
    return object;
}

// Which filter property a failed xaa::checkFilter is about.
QString filterParameter(const ApiError &error, const xaa::EventType &type, const ActivityFilter &filter)
{
    QString field;
    if (error.name == QLatin1String("invalid_direction")) {
        field = kDirection;
    } else if (error.name == QLatin1String("invalid_keyword")) {
        field = kKeyword;
    } else if (error.name == QLatin1String("invalid_id")) {
        field = kUserId;
    } else if (error.name == QLatin1String("filter_required")) {
        field =
            type.filters.testFlag(xaa::FilterField::UserId) && filter.userId.isEmpty() ? kUserId : kKeyword;
    } else if (!filter.userId.isEmpty() && !type.filters.testFlag(xaa::FilterField::UserId)) {
        field = kUserId;
    } else if (!filter.keyword.isEmpty() && !type.filters.testFlag(xaa::FilterField::Keyword)) {
        field = kKeyword;
    } else {
        field = kDirection;
    }
    return kFilter + QLatin1Char('.') + field;
}

QString filterValue(const QString &parameter, const ActivityFilter &filter)
{
    if (parameter.endsWith(kUserId))
        return filter.userId;
    if (parameter.endsWith(kKeyword))
        return filter.keyword;
    return filter.direction;
}

QJsonObject totalMeta(qint64 total)
{
    return QJsonObject {{kTotal, total}};
}

// The page token: base32hex (RFC 4648 §7, as spec 2.167 says) of a marker byte, the big-endian id of
// the page's first subscription and a check byte; 80 bits make exactly 16 characters (minLength 16).
const char base32hex[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
constexpr quint8 tokenMarker = 0xA5;

quint8 checkByte(const QByteArray &bytes)
{
    quint8 check = 0x5A;
    for (const char c : bytes)
        check ^= quint8(c);
    return check;
}

QString pageToken(qint64 id)
{
    QByteArray bytes(1, char(tokenMarker));
    for (int shift = 56; shift >= 0; shift -= 8)
        bytes.append(char((quint64(id) >> shift) & 0xff));
    bytes.append(char(checkByte(bytes)));
    QString out;
    quint32 buffer = 0;
    int bits = 0;
    for (const char c : std::as_const(bytes)) {
        buffer = (buffer << 8) | quint8(c);
        bits += 8;
        while (bits >= 5) {
            out.append(QLatin1Char(base32hex[(buffer >> (bits - 5)) & 31]));
            bits -= 5;
        }
        buffer &= (1u << bits) - 1;
    }
    return out;
}

std::optional<qint64> idOfPageToken(const QString &token)
{
    if (token.size() != 16)
        return std::nullopt;
    QByteArray bytes;
    quint32 buffer = 0;
    int bits = 0;
    for (const QChar c : token) {
        const char *at =
            c.unicode() < 128 && c.unicode() != 0 ? std::strchr(base32hex, c.toLatin1()) : nullptr;
        if (!at)
            return std::nullopt;
        buffer = (buffer << 5) | quint32(at - base32hex);
        bits += 5;
        if (bits >= 8) {
            bytes.append(char((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
            buffer &= (1u << bits) - 1;
        }
    }
    if (bytes.size() != 10 || quint8(bytes.at(0)) != tokenMarker ||
        checkByte(bytes.left(9)) != quint8(bytes.at(9)))
        return std::nullopt;
    quint64 id = 0;
    for (int i = 1; i <= 8; ++i)
        id = (id << 8) | quint8(bytes.at(i));
    if (id == 0 || id > quint64(std::numeric_limits<qint64>::max()))
        return std::nullopt;
    return qint64(id);
}

} // namespace

const ActivityRecord *ActivityHandlers::ownSubscription(const ExchangePtr &ex, const QString &id)
{
    if (!isId(id)) {
        answer(ex,
               invalid(QStringLiteral("InvalidRequest"),
                       QStringLiteral("subscription_id must be 1 to 19 digits."),
                       QStringLiteral("subscription_id"), id));
        return nullptr;
    }
    const ActivityRecord *record = m_world.activitySubscription(id);
    if (record && record->appId == ex->appId)
        return record;
    answer(ex,
           v2Error(404, QStringLiteral("SubscriptionIdInvalid"),
                   QStringLiteral("No X Activity subscription %1 exists for this app.").arg(id),
                   QStringLiteral("resource-not-found"),
                   QJsonObject {{QStringLiteral("resource_type"), QStringLiteral("subscription")},
                                {QStringLiteral("resource_id"), id}}));
    return nullptr;
}

void ActivityHandlers::create(const ExchangePtr &ex)
{
    QJsonObject body;
    if (auto refusal =
            readObject(ex->body, {kEventType, kFilter, kTag, kWebhookId},
                       QStringLiteral("A subscription takes event_type, filter, tag and webhook_id."), body))
        return answer(ex, *refusal);

    const QJsonValue typeValue = body.value(kEventType);
    const xaa::EventType *type = typeValue.isString() ? xaa::findEventType(typeValue.toString()) : nullptr;
    if (!type)
        return answer(
            ex,
            invalid(QStringLiteral("InvalidRequest"),
                    typeValue.isUndefined()
                        ? QStringLiteral("event_type is required.")
                        : QStringLiteral("%1 is not an X Activity API event type.").arg(compact(typeValue)),
                    kEventType, compact(typeValue)));

    const QJsonValue filterValueJson = body.value(kFilter);
    if (!filterValueJson.isObject())
        return answer(ex,
                      invalid(QStringLiteral("InvalidRequest"),
                              QStringLiteral("filter is required, as an object ({} for %1).").arg(type->name),
                              kFilter, compact(filterValueJson)));
    const QJsonObject filterObject = filterValueJson.toObject();
    for (auto it = filterObject.constBegin(); it != filterObject.constEnd(); ++it) {
        if (it.key() != kUserId && it.key() != kKeyword && it.key() != kDirection)
            return answer(ex,
                          invalid(QStringLiteral("InvalidRequest"),
                                  QStringLiteral("The filter has a property %1 it may not have: it takes "
                                                 "user_id, keyword and direction.")
                                      .arg(it.key()),
                                  kFilter + QLatin1Char('.') + it.key()));
    }
    std::optional<QString> userId, keyword, direction, tag, webhookId;
    for (const auto &[key, out] :
         {std::pair {kUserId, &userId}, std::pair {kKeyword, &keyword}, std::pair {kDirection, &direction}}) {
        if (auto refusal = stringAt(filterObject, key, kFilter + QLatin1Char('.') + key, *out))
            return answer(ex, *refusal);
    }
    if (auto refusal = stringAt(body, kTag, kTag, tag))
        return answer(ex, *refusal);
    if (auto refusal = stringAt(body, kWebhookId, kWebhookId, webhookId))
        return answer(ex, *refusal);

    const ActivityFilter filter {userId.value_or(QString()), keyword.value_or(QString()),
                                 direction.value_or(QString())};
    if (auto error = xaa::checkFilter(*type, filter)) {
        const QString parameter = filterParameter(*error, *type, filter);
        return answer(ex,
                      invalid(QStringLiteral("InvalidRequest"), error->cause, parameter,
                              filterValue(parameter, filter)));
    }
    if (tag) {
        if (auto error = xaa::checkTag(*tag))
            return answer(ex, invalid(QStringLiteral("InvalidRequest"), error->cause, kTag, *tag));
    }
    if (webhookId) {
        if (!isId(*webhookId))
            return answer(ex,
                          invalid(QStringLiteral("InvalidRequest"),
                                  QStringLiteral("webhook_id must be 1 to 19 digits."), kWebhookId,
                                  *webhookId));
        if (!ownWebhook(ex, *webhookId))
            return;
    }

    // Who may subscribe (§4.2): private types need a user; a user's OAuth 2.0 token needs the type's
    // scope; mute and block follow only what the authenticated user does.
    if (ex->credential == CredentialKind::AppOnly && xaa::needsUserToken(*type))
        return answer(ex,
                      v2UnsupportedAuth(
                          QStringLiteral("Authenticating with OAuth 2.0 Application-Only is forbidden for %1 "
                                         "subscriptions, a private event type.  Supported authentication "
                                         "types are [OAuth 2.0 User Context, OAuth 1.0a User Context] of "
                                         "a user who authorised the app.")
                              .arg(type->name)));
    if (ex->credential == CredentialKind::OAuth2User) {
        const QStringList accepted = xaa::acceptedScopes(*type);
        const OAuth2Grant *grant = m_world.oauth2.grantOfAccessToken(ex->token, m_world.now());
        bool holds = accepted.isEmpty();
        for (const QString &scope : accepted)
            holds = holds || (grant && grant->scopes.contains(scope));
        if (!holds)
            return answer(ex, v2MissingScopes(accepted, accepted));
    }
    if (type->actorOnly && ex->credential != CredentialKind::AppOnly && filter.userId != ex->userId)
        return answer(
            ex,
            v2Error(403, QStringLiteral("NotAuthorizedForResource"),
                    QStringLiteral("%1 subscriptions follow only what the authenticated user (%2) does: "
                                   "filter.user_id must be that user.")
                        .arg(type->name, ex->userId),
                    QStringLiteral("not-authorized-for-resource"),
                    QJsonObject {{QStringLiteral("resource_type"), QStringLiteral("user")},
                                 {QStringLiteral("resource_id"), filter.userId}}));

    ActivitySubscription wanted;
    wanted.eventType = type->name;
    wanted.filter = filter;
    wanted.webhookId = webhookId.value_or(QString());
    if (const QString same = m_world.sameActivitySubscription(ex->appId, wanted); !same.isEmpty())
        return answer(ex,
                      v2Error(409, QStringLiteral("DuplicateActivitySubscription"),
                              QStringLiteral("Subscription %1 already has event type %2 with this filter "
                                             "and webhook.")
                                  .arg(same, type->name),
                              QStringLiteral("conflict")));
    const qint64 limit = xaa::subscriptionLimit(m_world.settings.activityTier);
    if (m_world.activitySubscriptionCount(ex->appId) >= limit)
        return answer(
            ex,
            v2Error(403, QStringLiteral("SubscriptionLimitExceeded"),
                    QStringLiteral("The %1 tier allows %2 X Activity subscriptions; all are in use.")
                        .arg(xaa::tierName(m_world.settings.activityTier))
                        .arg(limit),
                    QStringLiteral("usage-capped")));

    const QString id = m_world.addActivitySubscription(
        ex->appId, {type->name, filter, tag.value_or(QString()), webhookId.value_or(QString())});
    const QJsonObject subscription = subscriptionJson(m_world.activitySubscription(id)->subscription);
    const qint64 total = m_world.activitySubscriptionCount(ex->appId);
    switch (m_world.settings.activityAnswerShape) {
    case ActivityAnswerShape::Spec2167:
        return answer(ex, dataReply(QJsonObject {{QStringLiteral("subscription"), subscription}}));
    case ActivityAnswerShape::Spec2166:
        return answer(
            ex,
            jsonReply(
                200,
                QJsonObject {{kData,
                              QJsonObject {{QStringLiteral("subscription"), subscription},
                                           {QStringLiteral("total_subscriptions_for_instance_id"), total}}},
                             {kMeta, totalMeta(total)}}));
    case ActivityAnswerShape::Quickstart:
        return answer(
            ex, jsonReply(200, QJsonObject {{kData, QJsonArray {subscription}}, {kMeta, totalMeta(total)}}));
    }
}

void ActivityHandlers::list(const ExchangePtr &ex)
{
    const QUrlQuery query(ex->url);
    // Spec 2.166 documents 1000 as the default; nothing says otherwise, so the sandbox keeps it.
    int maxResults = 1000;
    if (query.hasQueryItem(QStringLiteral("max_results"))) {
        const QString text = query.queryItemValue(QStringLiteral("max_results"), QUrl::FullyDecoded);
        bool ok = false;
        maxResults = text.toInt(&ok);
        if (!ok || maxResults < 1 || maxResults > 1000)
            return answer(ex,
                          invalid(QStringLiteral("InvalidRequest"),
                                  QStringLiteral("max_results must be a whole number from 1 to 1000."),
                                  QStringLiteral("max_results"), text));
    }
    auto it = m_world.activitySubscriptions.cbegin();
    if (query.hasQueryItem(QStringLiteral("pagination_token"))) {
        const QString token = query.queryItemValue(QStringLiteral("pagination_token"), QUrl::FullyDecoded);
        const std::optional<qint64> from = idOfPageToken(token);
        if (!from)
            return answer(ex,
                          invalid(QStringLiteral("InvalidRequest"),
                                  QStringLiteral("pagination_token is not one this API handed out: pass "
                                                 "meta.next_token of the previous page."),
                                  QStringLiteral("pagination_token"), token));
        // The page's first id: a subscription deleted meanwhile does not break the walk.
        it = m_world.activitySubscriptions.lower_bound(*from);
    }
    QJsonArray data;
    QString nextToken;
    for (; it != m_world.activitySubscriptions.cend(); ++it) {
        if (it->second.appId != ex->appId)
            continue;
        if (data.size() == maxResults) {
            nextToken = pageToken(it->first);
            break;
        }
        data.append(subscriptionJson(it->second.subscription));
    }
    // The reference's emulator choice: meta with the count, the total and next_token when more follow.
    QJsonObject meta {{QStringLiteral("result_count"), data.size()},
                      {kTotal, m_world.activitySubscriptionCount(ex->appId)}};
    if (!nextToken.isEmpty())
        meta.insert(QStringLiteral("next_token"), nextToken);
    answer(ex, jsonReply(200, QJsonObject {{kData, data}, {kMeta, meta}}));
}

void ActivityHandlers::update(const ExchangePtr &ex)
{
    QJsonObject body;
    if (auto refusal = readObject(ex->body, {kTag, kWebhookId},
                                  QStringLiteral("Only tag and webhook_id can change; for another event type "
                                                 "or filter delete the subscription and create it again."),
                                  body))
        return answer(ex, *refusal);
    std::optional<QString> tag, webhookId;
    if (auto refusal = stringAt(body, kTag, kTag, tag))
        return answer(ex, *refusal);
    if (auto refusal = stringAt(body, kWebhookId, kWebhookId, webhookId))
        return answer(ex, *refusal);
    if (!tag && !webhookId)
        return answer(ex,
                      invalid(QStringLiteral("InvalidRequest"),
                              QStringLiteral("Give tag or webhook_id (or both) to change."),
                              QStringLiteral("body")));
    if (tag) {
        if (auto error = xaa::checkTag(*tag))
            return answer(ex, invalid(QStringLiteral("InvalidRequest"), error->cause, kTag, *tag));
    }
    if (webhookId && !isId(*webhookId))
        return answer(ex,
                      invalid(QStringLiteral("InvalidRequest"),
                              QStringLiteral("webhook_id must be 1 to 19 digits."), kWebhookId, *webhookId));
    const QString id = ex->capture(1);
    const ActivityRecord *record = ownSubscription(ex, id);
    if (!record)
        return;
    if (webhookId && !ownWebhook(ex, *webhookId))
        return;
    ActivitySubscription wanted = record->subscription;
    if (webhookId)
        wanted.webhookId = *webhookId;
    if (const QString same = m_world.sameActivitySubscription(ex->appId, wanted, id); !same.isEmpty())
        return answer(ex,
                      v2Error(409, QStringLiteral("DuplicateActivitySubscription"),
                              QStringLiteral("Subscription %1 already has event type %2 with this filter "
                                             "and webhook.")
                                  .arg(same, wanted.eventType),
                              QStringLiteral("conflict")));
    m_world.updateActivitySubscription(id, tag, webhookId);
    const QJsonObject subscription = subscriptionJson(m_world.activitySubscription(id)->subscription);
    const qint64 total = m_world.activitySubscriptionCount(ex->appId);
    if (m_world.settings.activityAnswerShape == ActivityAnswerShape::Quickstart)
        return answer(ex, jsonReply(200, QJsonObject {{kData, subscription}, {kMeta, totalMeta(total)}}));
    answer(ex, dataReply(QJsonObject {{QStringLiteral("subscription"), subscription}, {kTotal, total}}));
}

void ActivityHandlers::remove(const ExchangePtr &ex)
{
    const QString id = ex->capture(1);
    if (!ownSubscription(ex, id))
        return;
    m_world.removeActivitySubscription(id);
    const QJsonObject data {{QStringLiteral("deleted"), true}};
    if (m_world.settings.activityAnswerShape == ActivityAnswerShape::Spec2167)
        return answer(ex, dataReply(data));
    answer(ex,
           jsonReply(200,
                     QJsonObject {{kData, data},
                                  {kMeta, totalMeta(m_world.activitySubscriptionCount(ex->appId))}}));
}

void ActivityHandlers::removeMany(const ExchangePtr &ex)
{
    const QString text = ex->queryValue(QStringLiteral("ids"));
    const QStringList ids = text.isEmpty() ? QStringList() : text.split(QLatin1Char(','));
    const QString parameter = QStringLiteral("ids");
    if (ids.isEmpty() || ids.size() > endpoints::maxActivityIdsPerDelete)
        return answer(
            ex,
            invalid(QStringLiteral("InvalidRequest"),
                    QStringLiteral("ids takes 1 to %1 subscription ids, comma-separated; %2 were given.")
                        .arg(endpoints::maxActivityIdsPerDelete)
                        .arg(ids.size()),
                    parameter));
    for (const QString &id : ids) {
        if (!isId(id))
            return answer(ex,
                          invalid(QStringLiteral("InvalidRequest"),
                                  QStringLiteral("Every id in ids must be 1 to 19 digits."), parameter, id));
    }
    // Ids that cannot be deleted do not stop the others (2.167): each is reported on its own.
    QJsonArray deleted;
    QJsonArray errors;
    for (const QString &id : ids) {
        const ActivityRecord *record = m_world.activitySubscription(id);
        if (record && record->appId == ex->appId) {
            m_world.removeActivitySubscription(id);
            deleted.append(
                QJsonObject {{QStringLiteral("subscription_id"), id}, {QStringLiteral("deleted"), true}});
        } else {
            errors.append(
                QJsonObject {{QStringLiteral("subscription_id"), id},
                             {QStringLiteral("reason"), QStringLiteral("resource-not-found")},
                             {QStringLiteral("message"),
                              QStringLiteral("No X Activity subscription %1 exists for this app.").arg(id)}});
        }
    }
    QJsonObject answerBody {{kData, deleted},
                            {kMeta, totalMeta(m_world.activitySubscriptionCount(ex->appId))}};
    if (!errors.isEmpty())
        answerBody.insert(QStringLiteral("errors"), errors);
    answer(ex, jsonReply(200, answerBody));
}

} // namespace activity::sandbox
