#include "ActivitySubscriptions.h"

#include "OAuth2.h"

#include <QRegularExpression>
#include <QSet>

namespace activity::xaa {

namespace {

ApiError invalid(const char *name, const QString &cause, const QString &remedy)
{
    ApiError error = ApiError::make(ApiError::Kind::Validation, cause, remedy);
    error.name = QString::fromLatin1(name);
    return error;
}

ApiError missing(const char *name, const QString &cause, const QString &remedy)
{
    ApiError error = ApiError::make(ApiError::Kind::MissingCredentials, cause, remedy);
    error.name = QString::fromLatin1(name);
    return error;
}

qsizetype characters(const QString &text)
{
    return text.toUcs4().size();
}

QString shown(const QString &text)
{
    return QLatin1Char('"') + (text.size() > 40 ? text.left(40) + QStringLiteral("…") : text) +
        QLatin1Char('"');
}

QString who(const UserCredentials &user)
{
    return user.username.isEmpty() ? QStringLiteral("this account")
                                   : QStringLiteral("@%1").arg(user.username);
}

// The ready-made sign-in scope set that has `scope`, for the remedy.
QString presetFor(const QString &scope)
{
    for (const oauth2::ScopePreset &preset : oauth2::scopePresets()) {
        if (preset.id != QLatin1String("activity-all") && preset.scopes.contains(scope))
            return preset.title;
    }
    return QStringLiteral("Everything the console uses");
}

} // namespace

std::optional<ApiError> checkEventType(const QString &name)
{
    if (findEventType(name))
        return std::nullopt;
    if (name.trimmed().isEmpty())
        return invalid("unknown_event_type", QStringLiteral("No event type was given."),
                       QStringLiteral("Pick an event type such as post.create or profile.update.bio "
                                      "(activity-cli activity types lists all of them)."));
    return invalid("unknown_event_type",
                   QStringLiteral("%1 is not an X Activity API event type.").arg(shown(name)),
                   QStringLiteral("Pick one of the %1 event types (activity-cli activity types lists them); "
                                  "names are lower case with dots, such as post.create.")
                       .arg(eventTypes().size()));
}

std::optional<ApiError> checkKeyword(const QString &keyword)
{
    const qsizetype length = characters(keyword);
    if (length >= 1 && length <= maxKeywordLength)
        return std::nullopt;
    return invalid(
        "invalid_keyword",
        QStringLiteral("The keyword has %1 characters; X takes 1 to %2.").arg(length).arg(maxKeywordLength),
        length == 0 ? QStringLiteral("Enter the keyword the news stories should match.")
                    : QStringLiteral("Shorten the keyword to at most %1 characters.").arg(maxKeywordLength));
}

std::optional<ApiError> checkTag(const QString &tag)
{
    const qsizetype length = characters(tag);
    if (length >= 1 && length <= maxTagLength)
        return std::nullopt;
    return invalid(
        "invalid_tag",
        QStringLiteral("The tag has %1 characters; X takes 1 to %2.").arg(length).arg(maxTagLength),
        length == 0 ? QStringLiteral("Enter a tag, or leave the tag out altogether.")
                    : QStringLiteral("Shorten the tag to at most %1 characters.").arg(maxTagLength));
}

std::optional<ApiError> checkId(const QString &id, const QString &what)
{
    static const QRegularExpression pattern(QStringLiteral(R"(\A[0-9]{1,19}\z)"));
    if (pattern.match(id).hasMatch())
        return std::nullopt;
    if (id.isEmpty())
        return invalid("invalid_id", QStringLiteral("The %1 is empty.").arg(what),
                       QStringLiteral("Enter the %1: 1 to 19 digits.").arg(what));
    return invalid(
        "invalid_id",
        QStringLiteral("The %1 %2 is not valid: X ids are 1 to 19 digits and nothing else.")
            .arg(what, shown(id)),
        QStringLiteral("Copy the %1 from the list it appears in (digits only, no spaces or @).").arg(what));
}

std::optional<ApiError> checkSubscriptionIds(const QStringList &ids)
{
    if (ids.isEmpty())
        return invalid(
            "no_ids", QStringLiteral("No subscription ids were given to delete."),
            QStringLiteral("Give 1 to %1 subscription ids.").arg(endpoints::maxActivityIdsPerDelete));
    if (ids.size() > endpoints::maxActivityIdsPerDelete)
        return invalid(
            "too_many_ids",
            QStringLiteral("One bulk delete takes at most %1 subscription ids; %2 were given.")
                .arg(endpoints::maxActivityIdsPerDelete)
                .arg(ids.size()),
            QStringLiteral("Delete them in batches of at most %1.").arg(endpoints::maxActivityIdsPerDelete));
    QSet<QString> seen;
    for (const QString &id : ids) {
        if (auto error = checkId(id, QStringLiteral("subscription id")))
            return error;
        if (seen.contains(id))
            return invalid("duplicate_id", QStringLiteral("The subscription id %1 is given twice.").arg(id),
                           QStringLiteral("Give each id once."));
        seen.insert(id);
    }
    return std::nullopt;
}

std::optional<ApiError> checkFilter(const EventType &type, const ActivityFilter &filter)
{
    const QStringList allowed = filterFieldNames(type.filters);
    const QString allowedText = allowed.isEmpty()
        ? QStringLiteral("no filter fields (filter {})")
        : QStringLiteral("only %1").arg(allowed.join(QStringLiteral(", ")));
    const auto notAllowed = [&](const char *field) {
        return invalid(
            "filter_field_not_allowed",
            QStringLiteral("%1 subscriptions take %2, not %3.")
                .arg(type.name, allowedText, QString::fromLatin1(field)),
            type.actorOnly && qstrcmp(field, "direction") == 0
                ? QStringLiteral("Leave the direction out: mute and block subscriptions follow what "
                                 "the signed-in user does.")
                : QStringLiteral("Leave %1 out of the filter.").arg(QString::fromLatin1(field)));
    };
    if (!filter.userId.isEmpty() && !type.filters.testFlag(FilterField::UserId))
        return notAllowed("user_id");
    if (!filter.keyword.isEmpty() && !type.filters.testFlag(FilterField::Keyword))
        return notAllowed("keyword");
    if (!filter.direction.isEmpty() && !type.filters.testFlag(FilterField::Direction))
        return notAllowed("direction");

    if (type.filters.testFlag(FilterField::UserId)) {
        if (filter.userId.isEmpty())
            return invalid("filter_required",
                           QStringLiteral("%1 subscriptions need the user id whose activity they follow.")
                               .arg(type.name),
                           type.actorOnly
                               ? QStringLiteral("Give the signed-in user's id as the filter's user_id.")
                               : QStringLiteral("Give the user id (1 to 19 digits) to follow."));
        if (auto error = checkId(filter.userId, QStringLiteral("user id")))
            return error;
    }
    if (type.filters.testFlag(FilterField::Keyword)) {
        if (filter.keyword.isEmpty())
            return invalid("filter_required",
                           QStringLiteral("%1 subscriptions need a keyword.").arg(type.name),
                           QStringLiteral("Enter the keyword (1 to %1 characters) the stories should match.")
                               .arg(maxKeywordLength));
        if (auto error = checkKeyword(filter.keyword))
            return error;
    }
    if (!filter.direction.isEmpty() && filter.direction != QLatin1String("inbound") &&
        filter.direction != QLatin1String("outbound"))
        return invalid("invalid_direction",
                       QStringLiteral("The direction %1 is not one X knows.").arg(shown(filter.direction)),
                       QStringLiteral("Use inbound, outbound, or no direction for both."));
    return std::nullopt;
}

QStringList signingScopes(const EventType &type, const std::optional<UserCredentials> &user)
{
    if (!needsUserToken(type))
        return {};
    const QStringList accepted = acceptedScopes(type);
    if (user) {
        for (const QString &scope : accepted) {
            if (user->oauth2.scopes.contains(scope))
                return {scope};
        }
    }
    return accepted.mid(0, 1);
}

std::optional<ApiError> checkCredential(const EventType &type, const ActivityFilter &filter,
                                        const std::optional<UserCredentials> &user)
{
    if (!needsUserToken(type))
        return std::nullopt;
    const QStringList accepted = acceptedScopes(type);
    const QString scopeText = accepted.join(QStringLiteral(" or "));
    const QString preset = presetFor(accepted.value(0));
    if (!user)
        return missing("user_token_required",
                       QStringLiteral("X delivers %1 events only to an app acting for a user who authorised "
                                      "it; the app's Bearer token is not enough.")
                           .arg(type.name),
                       QStringLiteral("Pick an account signed in with OAuth 2.0 and the scope %1 (the “%2” "
                                      "preset has it).")
                           .arg(scopeText, preset));
    if (!user->hasOAuth2())
        return missing("oauth2_required",
                       QStringLiteral("%1 events need an OAuth 2.0 user token, and %2 has none.")
                           .arg(type.name, who(*user)),
                       QStringLiteral("Sign %1 in with OAuth 2.0 and the scope %2 (the “%3” preset has it).")
                           .arg(who(*user), scopeText, preset));
    bool hasScope = false;
    for (const QString &scope : accepted)
        hasScope = hasScope || user->oauth2.scopes.contains(scope);
    if (!hasScope)
        return missing("missing_scope",
                       QStringLiteral("%1 events need the OAuth 2.0 scope %2, which %3's sign-in was not "
                                      "granted.")
                           .arg(type.name, scopeText, who(*user)),
                       QStringLiteral("Sign %1 in again with OAuth 2.0 and the scope %2 (the “%3” preset has "
                                      "it), and approve it on X's page.")
                           .arg(who(*user), scopeText, preset));
    if (type.actorOnly && filter.userId != user->userId)
        return invalid(
            "actor_only",
            QStringLiteral("%1 subscriptions follow only the signed-in user's own actions, so the "
                           "filter's user id must be %2's (%3), not %4.")
                .arg(type.name, who(*user), user->userId.isEmpty() ? QStringLiteral("unknown") : user->userId,
                     filter.userId.isEmpty() ? QStringLiteral("empty") : filter.userId),
            QStringLiteral("Use %1's own user id as the filter, or pick the account whose mutes or "
                           "blocks you want.")
                .arg(who(*user)));
    return std::nullopt;
}

std::optional<ApiError> checkCreate(const ActivitySubscriptionRequest &request,
                                    const std::optional<UserCredentials> &user)
{
    if (auto error = checkEventType(request.eventType))
        return error;
    const EventType &type = *findEventType(request.eventType);
    if (auto error = checkFilter(type, request.filter))
        return error;
    if (!request.tag.isEmpty()) {
        if (auto error = checkTag(request.tag))
            return error;
    }
    if (!request.webhookId.isEmpty()) {
        if (auto error = checkId(request.webhookId, QStringLiteral("webhook id")))
            return error;
    }
    return checkCredential(type, request.filter, user);
}

std::optional<ApiError> checkUpdate(const QString &subscriptionId, const ActivitySubscriptionUpdate &update)
{
    if (auto error = checkId(subscriptionId, QStringLiteral("subscription id")))
        return error;
    if (!update.tag && !update.webhookId)
        return invalid("nothing_to_update",
                       QStringLiteral("The update changes neither the tag nor the webhook."),
                       QStringLiteral("Give a new tag or webhook; to change the event type or filter, delete "
                                      "the subscription and create it again."));
    if (update.tag) {
        if (auto error = checkTag(*update.tag))
            return error;
    }
    if (update.webhookId) {
        if (auto error = checkId(*update.webhookId, QStringLiteral("webhook id")))
            return error;
    }
    return std::nullopt;
}

std::optional<ApiError> checkQuota(const Quota &quota, qint64 adding)
{
    if (quota.used + adding <= quota.limit)
        return std::nullopt;
    return invalid("quota_exceeded",
                   QStringLiteral("The %1 tier allows %2 subscriptions, and %3 are in use.")
                       .arg(tierName(quota.tier))
                       .arg(quota.limit)
                       .arg(quota.used),
                   QStringLiteral("Delete subscriptions you no longer need, or move to a tier with a higher "
                                  "limit."));
}

QString filterText(const ActivityFilter &filter, const QString &username)
{
    if (filter.keyword.isEmpty() && filter.direction.isEmpty() && username.isEmpty())
        return filter.userId;
    QStringList parts;
    if (!filter.userId.isEmpty())
        parts.append(username.isEmpty() ? filter.userId : QString(QLatin1Char('@') + username));
    if (!filter.keyword.isEmpty())
        parts.append(QStringLiteral("keyword \"%1\"").arg(filter.keyword));
    if (!filter.direction.isEmpty())
        parts.append(filter.direction);
    return parts.join(QStringLiteral(", "));
}

} // namespace activity::xaa
