#pragma once

#include <QFlags>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

// The X Activity API's event types as data (x-api-2026.md §4.3): the spec 2.167 enum plus the
// docs-only oauth.revoke, each with its family, the filter fields it takes, the OAuth 2.0 scope it
// needs and whether X calls it public or private. The checks, the request builders, the console's
// create dialog and the CLI's `activity types` all read this one table.
namespace activity::xaa {

enum class EventFamily {
    Profile,
    Post,
    Like,
    Follow,
    Mute,
    Block,
    Spaces,
    Broadcast,
    Chat,
    Dm,
    News,
    OAuth,
};

// What the docs say about who may subscribe (§4.3 "Public/private (docs)").
enum class Visibility {
    Public, // the app's Bearer token is enough
    Private, // an OAuth 2.0 user token from a user who authorised the app
    NotClassified, // documented, but neither public nor private
    NotDocumented, // spec-only event types
};

enum class FilterField {
    None = 0,
    UserId = 0x1,
    Keyword = 0x2,
    Direction = 0x4,
};
Q_DECLARE_FLAGS(FilterFields, FilterField)

struct EventType
{
    QString name; // the current, canonical name: "profile.update.bio"
    EventFamily family;
    FilterFields filters; // the fields `filter` may carry; empty: `filter:{}`
    bool actorOnly; // mute, block: filter.user_id must be the authenticated user; no direction
    QString scope; // the spec rule's OAuth 2.0 scope; empty where none applies (oauth.revoke)
    QString docsScope; // ⚠ a different scope the docs name (broadcast.chat: broadcast.read); usually empty
    Visibility visibility;
    bool inSpec; // false: docs only (oauth.revoke), whether it can be subscribed to is uncertain
    bool filtersDocumented; // false: the docs say nothing (chat member/admin/update events)
    QString description; // one line for a person
};

// All 42 event types, grouped by family in the reference's order.
const QList<EventType> &eventTypes();

// An older or alternative name that X still accepts on input and answers with the current one.
struct EventTypeAlias
{
    QString alias;
    QString current;
    QString note;
};
const QList<EventTypeAlias> &eventTypeAliases();

// The entry for a current name, an alias or a deprecated PascalCase name; nullptr when unknown.
// Surrounding white space is ignored; the comparison is exact otherwise.
const EventType *findEventType(QStringView name);
// The current name for any accepted spelling; empty when unknown.
QString canonicalEventType(QStringView name);

// "profile", "post", ..., "oauth": the spelling of the CLI and the create dialog's groups.
QString familyName(EventFamily family);
// "Profile updates", "Posts", ...: a heading for a person.
QString familyTitle(EventFamily family);
// "public", "private", "not classified", "not documented".
QString visibilityName(Visibility visibility);
// "user_id", "keyword", "direction" in that order.
QStringList filterFieldNames(FilterFields fields);

// True when subscribing needs a user's OAuth 2.0 token rather than the app's Bearer token: the
// docs call the type private, or its scope is one only a user can grant (dm, like, mute, block).
bool needsUserToken(const EventType &type);
// The scopes of which a user token needs one: the spec rule's, plus the docs' where they differ
// (both are accepted, see §4.3 ⚠). Empty when no scope applies.
QStringList acceptedScopes(const EventType &type);

// The subscription limits per access tier (§4.1), for the quota bar.
enum class Tier {
    SelfServe,
    Enterprise,
    Partner,
};
struct TierLimit
{
    Tier tier;
    QString name; // "Self-serve"
    qint64 maxSubscriptions;
};
const QList<TierLimit> &tierLimits();
qint64 subscriptionLimit(Tier tier);
QString tierName(Tier tier);
// "self-serve", "enterprise", "partner" (and the names themselves), any case; nullopt otherwise.
std::optional<Tier> tierFromName(QStringView name);

// How much of a tier's subscription limit is in use.
struct Quota
{
    Tier tier;
    qint64 used;
    qint64 limit;

    qint64 remaining() const { return used >= limit ? 0 : limit - used; }
    bool full() const { return used >= limit; }
    // 0..1000 (per mille), for a progress bar without floating point.
    int perMille() const;
    // "12 of 1,500 subscriptions (Self-serve)".
    QString text() const;
};
Quota quota(Tier tier, qint64 used);

} // namespace activity::xaa

Q_DECLARE_OPERATORS_FOR_FLAGS(activity::xaa::FilterFields)
