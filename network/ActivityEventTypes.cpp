#include "ActivityEventTypes.h"

#include <QLocale>

namespace activity::xaa {

namespace {

using F = EventFamily;
using V = Visibility;

constexpr FilterFields kUser {FilterField::UserId};
// like.create (introduction), DM and chat events (changelog 2026-03-18): §4.3 "direction" ⚠, every
// documented variant accepted.
constexpr FilterFields kUserDirection {FilterField::UserId | FilterField::Direction};
constexpr FilterFields kKeyword {FilterField::Keyword};
constexpr FilterFields kNone {};

EventType make(const char *name, F family, FilterFields filters, const char *scope, V visibility,
               const char *description, bool actorOnly = false)
{
    return EventType {QString::fromLatin1(name),
                      family,
                      filters,
                      actorOnly,
                      QString::fromLatin1(scope),
                      QString(),
                      visibility,
                      true,
                      true,
                      QString::fromUtf8(description)};
}

EventType undocumentedChat(const char *name, const char *description)
{
    EventType type = make(name, F::Chat, kUserDirection, "dm.read", V::NotDocumented, description);
    type.filtersDocumented = false;
    return type;
}

QList<EventType> buildTable()
{
    EventType broadcastChat = make("broadcast.chat", F::Broadcast, kUser, "tweet.read", V::Private,
                                   "A chat message in the user's live broadcast.");
    broadcastChat.docsScope = QStringLiteral("broadcast.read"); // §4.3: spec tweet.read, docs broadcast.read
    EventType revoke = make("oauth.revoke", F::OAuth, kNone, "", V::NotClassified,
                            "A user revoked the app's access (filter {}).");
    revoke.inSpec = false;

    return {
        make("profile.update.bio", F::Profile, kUser, "tweet.read", V::Public, "The user changed their bio."),
        make("profile.update.profile_picture", F::Profile, kUser, "tweet.read", V::Public,
             "The user changed their profile picture."),
        make("profile.update.banner_picture", F::Profile, kUser, "tweet.read", V::Public,
             "The user changed their banner picture."),
        make("profile.update.screenname", F::Profile, kUser, "tweet.read", V::Public,
             "The user changed their display name."),
        make("profile.update.handle", F::Profile, kUser, "tweet.read", V::Public,
             "The user changed their @handle."),
        make("profile.update.geo", F::Profile, kUser, "tweet.read", V::Public,
             "The user changed their location."),
        make("profile.update.url", F::Profile, kUser, "tweet.read", V::Public,
             "The user changed their profile URL."),
        make("profile.update.verified_badge", F::Profile, kUser, "tweet.read", V::Public,
             "The user's verified badge changed."),
        make("profile.update.affiliate_badge", F::Profile, kUser, "tweet.read", V::Public,
             "The user's affiliate badge changed."),

        make("post.create", F::Post, kUser, "tweet.read", V::Public,
             "The user posted (originals, replies, quotes and reposts)."),
        make("post.delete", F::Post, kUser, "tweet.read", V::Public, "The user deleted a post."),
        make("post.mention.create", F::Post, kUser, "tweet.read", V::Private, "A post mentioned the user."),
        make("post.reply.create", F::Post, kUser, "tweet.read", V::Private,
             "A direct reply to one of the user's posts."),
        make("post.quote.create", F::Post, kUser, "tweet.read", V::Private,
             "A direct quote of one of the user's posts."),
        make("post.repost.create", F::Post, kUser, "tweet.read", V::Private,
             "Someone reposted one of the user's posts."),

        make("like.create", F::Like, kUserDirection, "like.read", V::Private,
             "A like by the user (outbound) or of the user's posts (inbound); both without direction."),

        make("follow.follow", F::Follow, kUser, "tweet.read", V::NotClassified,
             "The user followed someone or was followed."),
        make("follow.unfollow", F::Follow, kUser, "tweet.read", V::NotClassified,
             "The user unfollowed someone or was unfollowed."),

        make("mute.mute", F::Mute, kUser, "mute.read", V::Private,
             "The signed-in user muted someone (actor only).", true),
        make("mute.unmute", F::Mute, kUser, "mute.read", V::Private,
             "The signed-in user unmuted someone (actor only).", true),
        make("block.block", F::Block, kUser, "block.read", V::Private,
             "The signed-in user blocked someone (actor only).", true),
        make("block.unblock", F::Block, kUser, "block.read", V::Private,
             "The signed-in user unblocked someone (actor only).", true),

        make("spaces.start", F::Spaces, kUser, "tweet.read", V::NotClassified, "The user started a Space."),
        make("spaces.end", F::Spaces, kUser, "tweet.read", V::NotClassified, "The user's Space ended."),

        make("broadcast.start", F::Broadcast, kUser, "tweet.read", V::Public,
             "The user started a live broadcast."),
        make("broadcast.end", F::Broadcast, kUser, "tweet.read", V::Public,
             "The user's live broadcast ended."),
        broadcastChat,

        make("chat.received", F::Chat, kUserDirection, "dm.read", V::Private,
             "The user received an encrypted chat message."),
        make("chat.sent", F::Chat, kUserDirection, "dm.read", V::Private,
             "The user sent an encrypted chat message."),
        make("chat.conversation.join", F::Chat, kUserDirection, "dm.read", V::Private,
             "The user joined a chat conversation."),
        undocumentedChat("chat.conversation.member_added", "A member was added to one of the user's chats."),
        undocumentedChat("chat.conversation.member_removed",
                         "A member was removed from one of the user's chats."),
        undocumentedChat("chat.conversation.admin_added", "An admin was added to one of the user's chats."),
        undocumentedChat("chat.conversation.admin_removed",
                         "An admin was removed from one of the user's chats."),
        undocumentedChat("chat.update.group_name", "A group chat of the user was renamed."),
        undocumentedChat("chat.update.restrictions", "A group chat's restrictions changed."),

        make("dm.sent", F::Dm, kUserDirection, "dm.read", V::Private, "The user sent a direct message."),
        make("dm.received", F::Dm, kUserDirection, "dm.read", V::Private,
             "The user received a direct message."),
        make("dm.read", F::Dm, kUserDirection, "dm.read", V::Private, "A direct message was read."),
        make("dm.indicate_typing", F::Dm, kUserDirection, "dm.read", V::Private,
             "Someone is typing in a conversation with the user."),

        make("news.new", F::News, kKeyword, "tweet.read", V::NotClassified,
             "A news story matching the keyword (Enterprise and Partner only)."),

        revoke,
    };
}

} // namespace

const QList<EventType> &eventTypes()
{
    static const QList<EventType> table = buildTable();
    return table;
}

const QList<EventTypeAlias> &eventTypeAliases()
{
    static const QList<EventTypeAlias> aliases {
        {QStringLiteral("chat.conversation_join"), QStringLiteral("chat.conversation.join"),
         QStringLiteral("alias; answers use the canonical name")},
        {QStringLiteral("ProfileBioUpdate"), QStringLiteral("profile.update.bio"),
         QStringLiteral("deprecated 2026-03-18")},
        {QStringLiteral("ProfilePictureUpdate"), QStringLiteral("profile.update.profile_picture"),
         QStringLiteral("deprecated 2026-03-18")},
        {QStringLiteral("ProfileBannerUpdate"), QStringLiteral("profile.update.banner_picture"),
         QStringLiteral("deprecated 2026-03-18")},
        {QStringLiteral("ProfileGeoUpdate"), QStringLiteral("profile.update.geo"),
         QStringLiteral("deprecated 2026-03-18")},
        {QStringLiteral("ProfileUrlUpdate"), QStringLiteral("profile.update.url"),
         QStringLiteral("deprecated 2026-03-18")},
        {QStringLiteral("profile.update.verified"), QStringLiteral("profile.update.verified_badge"),
         QStringLiteral("name of the 2025-10-24 changelog")},
        {QStringLiteral("profile.update.affiliate"), QStringLiteral("profile.update.affiliate_badge"),
         QStringLiteral("name of the 2025-10-24 changelog")},
    };
    return aliases;
}

const EventType *findEventType(QStringView name)
{
    const QStringView wanted = name.trimmed();
    if (wanted.isEmpty())
        return nullptr;
    QStringView current = wanted;
    for (const EventTypeAlias &alias : eventTypeAliases()) {
        if (alias.alias == wanted) {
            current = alias.current;
            break;
        }
    }
    for (const EventType &type : eventTypes()) {
        if (type.name == current)
            return &type;
    }
    return nullptr;
}

QString canonicalEventType(QStringView name)
{
    const EventType *type = findEventType(name);
    return type ? type->name : QString();
}

QString familyName(EventFamily family)
{
    switch (family) {
    case F::Profile:
        return QStringLiteral("profile");
    case F::Post:
        return QStringLiteral("post");
    case F::Like:
        return QStringLiteral("like");
    case F::Follow:
        return QStringLiteral("follow");
    case F::Mute:
        return QStringLiteral("mute");
    case F::Block:
        return QStringLiteral("block");
    case F::Spaces:
        return QStringLiteral("spaces");
    case F::Broadcast:
        return QStringLiteral("broadcast");
    case F::Chat:
        return QStringLiteral("chat");
    case F::Dm:
        return QStringLiteral("dm");
    case F::News:
        return QStringLiteral("news");
    case F::OAuth:
        return QStringLiteral("oauth");
    }
    return {};
}

QString familyTitle(EventFamily family)
{
    switch (family) {
    case F::Profile:
        return QStringLiteral("Profile updates");
    case F::Post:
        return QStringLiteral("Posts");
    case F::Like:
        return QStringLiteral("Likes");
    case F::Follow:
        return QStringLiteral("Follows");
    case F::Mute:
        return QStringLiteral("Mutes");
    case F::Block:
        return QStringLiteral("Blocks");
    case F::Spaces:
        return QStringLiteral("Spaces");
    case F::Broadcast:
        return QStringLiteral("Live broadcasts");
    case F::Chat:
        return QStringLiteral("Chat (encrypted messages)");
    case F::Dm:
        return QStringLiteral("Direct messages");
    case F::News:
        return QStringLiteral("News");
    case F::OAuth:
        return QStringLiteral("App authorisation");
    }
    return {};
}

QString visibilityName(Visibility visibility)
{
    switch (visibility) {
    case V::Public:
        return QStringLiteral("public");
    case V::Private:
        return QStringLiteral("private");
    case V::NotClassified:
        return QStringLiteral("not classified");
    case V::NotDocumented:
        return QStringLiteral("not documented");
    }
    return {};
}

QStringList filterFieldNames(FilterFields fields)
{
    QStringList names;
    if (fields.testFlag(FilterField::UserId))
        names << QStringLiteral("user_id");
    if (fields.testFlag(FilterField::Keyword))
        names << QStringLiteral("keyword");
    if (fields.testFlag(FilterField::Direction))
        names << QStringLiteral("direction");
    return names;
}

bool needsUserToken(const EventType &type)
{
    if (type.visibility == Visibility::Private)
        return true;
    static const QStringList userOnlyScopes {QStringLiteral("dm.read"), QStringLiteral("like.read"),
                                             QStringLiteral("mute.read"), QStringLiteral("block.read")};
    return userOnlyScopes.contains(type.scope);
}

QStringList acceptedScopes(const EventType &type)
{
    QStringList scopes;
    if (!type.scope.isEmpty())
        scopes << type.scope;
    if (!type.docsScope.isEmpty() && type.docsScope != type.scope)
        scopes << type.docsScope;
    return scopes;
}

const QList<TierLimit> &tierLimits()
{
    static const QList<TierLimit> limits {
        {Tier::SelfServe, QStringLiteral("Self-serve"), 1500},
        {Tier::Enterprise, QStringLiteral("Enterprise"), 75000},
        {Tier::Partner, QStringLiteral("Partner"), 150000},
    };
    return limits;
}

qint64 subscriptionLimit(Tier tier)
{
    for (const TierLimit &limit : tierLimits()) {
        if (limit.tier == tier)
            return limit.maxSubscriptions;
    }
    return 0;
}

QString tierName(Tier tier)
{
    for (const TierLimit &limit : tierLimits()) {
        if (limit.tier == tier)
            return limit.name;
    }
    return {};
}

std::optional<Tier> tierFromName(QStringView name)
{
    const QStringView wanted = name.trimmed();
    for (const TierLimit &limit : tierLimits()) {
        if (wanted.compare(limit.name, Qt::CaseInsensitive) == 0)
            return limit.tier;
    }
    if (wanted.compare(QLatin1String("selfserve"), Qt::CaseInsensitive) == 0)
        return Tier::SelfServe;
    return std::nullopt;
}

int Quota::perMille() const
{
    if (limit <= 0)
        return 1000;
    if (used >= limit)
        return 1000;
    return int((used < 0 ? 0 : used) * 1000 / limit);
}

QString Quota::text() const
{
    const QLocale english(QLocale::English, QLocale::UnitedStates);
    return QStringLiteral("%1 of %2 subscriptions (%3)")
        .arg(english.toString(used), english.toString(limit), tierName(tier));
}

Quota quota(Tier tier, qint64 used)
{
    return Quota {tier, used, subscriptionLimit(tier)};
}

} // namespace activity::xaa
