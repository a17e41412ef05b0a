// The X Activity API core (x-api-2026.md §4): the event-type table against a copy of the
// reference's list, aliases, every check with its message, request bodies, every documented answer
// shape and malformed ones, the endpoints in the catalogue, and the credential decision. No network.
#include "ActivityEventTypes.h"
#include "ActivitySubscriptions.h"
#include "ApiClient.h"
#include "EndpointCatalogue.h"
#include "Parsers.h"
#include "RequestBuilder.h"
#include "RequestLog.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace activity;
using namespace activity::xaa;

namespace {

// x-api-2026.md §4.3, the table's columns "Event type(s)", "Filter (docs)", "Scope (spec rule)" and
// "Public/private (docs)", copied verbatim (D@2871).
struct ReferenceRow
{
    const char *types;
    const char *filter;
    const char *scope;
    const char *visibility;
};
const ReferenceRow kReference[] = {
    {"`profile.update.bio`, `.profile_picture`, `.banner_picture`, `.screenname` (display name), `.handle` "
     "(@handle), `.geo`, `.url`, `.verified_badge`, `.affiliate_badge`",
     "`user_id`", "tweet.read", "public"},
    {"`post.create`, `post.delete`", "`user_id`", "tweet.read", "public"},
    {"`post.mention.create`, `post.reply.create`, `post.quote.create`, `post.repost.create`", "`user_id`",
     "tweet.read", "private"},
    {"`like.create`", "`user_id`, `direction`", "like.read", "private"},
    {"`follow.follow`, `follow.unfollow`", "`user_id`", "tweet.read", "not classified"},
    {"`mute.mute`, `mute.unmute`, `block.block`, `block.unblock`", "`user_id`, which must be the actor",
     "mute.read / block.read", "private"},
    {"`spaces.start`, `spaces.end`", "`user_id`", "tweet.read", "not classified"},
    {"`broadcast.start`, `broadcast.end`", "`user_id`", "tweet.read", "public"},
    {"`broadcast.chat`", "`user_id`", "spec tweet.read, **docs broadcast.read** ⚠", "private"},
    {"`chat.received`, `chat.sent`, `chat.conversation.join` (alias `chat.conversation_join`)", "`user_id`",
     "dm.read", "private"},
    {"`chat.conversation.member_added`, `.member_removed`, `.admin_added`, `.admin_removed`, "
     "`chat.update.group_name`, `chat.update.restrictions`",
     "not documented (spec only)", "dm.read", "not documented"},
    {"`dm.sent`, `dm.received`, `dm.read`, `dm.indicate_typing`", "`user_id`", "dm.read", "private"},
    {"`news.new` (Enterprise and Partner only)", "`keyword`", "tweet.read", "not classified"},
    {"`oauth.revoke`", "none (`filter:{}`)", "n/a", "n/a"},
};

// The names of one cell: parentheticals dropped, ".suffix" completed from the previous full name.
QStringList namesIn(const char *cell)
{
    QString text = QString::fromUtf8(cell);
    text.remove(QRegularExpression(QStringLiteral("\\([^)]*\\)")));
    QStringList names;
    QString prefix;
    static const QRegularExpression quoted(QStringLiteral("`([^`]+)`"));
    for (auto it = quoted.globalMatch(text); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (name.startsWith(QLatin1Char('.'))) {
            names << prefix + name;
        } else {
            names << name;
            prefix = name.section(QLatin1Char('.'), 0, -2);
        }
    }
    return names;
}

UserCredentials oauth2User(const QString &id, const QStringList &scopes)
{
    UserCredentials user;
    user.userId = id;
    user.username = QStringLiteral("alice");
    user.oauth2.accessToken = "o2-access";
    user.oauth2.scopes = scopes;
    return user;
}

QString errorName(const std::optional<ApiError> &error)
{
    return error ? error->name : QString();
}

} // namespace

class TestXaa : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // ---- The event-type table -----------------------------------------------------------------

    void tableShouldMatchTheReferenceList()
    {
        QSet<QString> referenceNames;
        for (const ReferenceRow &row : kReference) {
            const QString filterCell = QString::fromUtf8(row.filter);
            const QString scopeCell = QString::fromUtf8(row.scope);
            const QString visibilityCell = QString::fromUtf8(row.visibility);
            for (const QString &name : namesIn(row.types)) {
                QVERIFY2(!referenceNames.contains(name), qPrintable(name));
                referenceNames.insert(name);
                const EventType *type = findEventType(name);
                QVERIFY2(type, qPrintable(name));
                QCOMPARE(type->name, name);
                // Filters: what the docs list is allowed; user_id exactly where they list it (the
                // spec-only chat events follow the other chat events).
                if (type->filtersDocumented)
                    QCOMPARE(type->filters.testFlag(FilterField::UserId),
                             filterCell.contains(QLatin1String("user_id")));
                QCOMPARE(type->filters.testFlag(FilterField::Keyword),
                         filterCell.contains(QLatin1String("keyword")));
                if (filterCell.contains(QLatin1String("direction")))
                    QVERIFY2(type->filters.testFlag(FilterField::Direction), qPrintable(name));
                QCOMPARE(type->actorOnly, filterCell.contains(QLatin1String("must be the actor")));
                QCOMPARE(type->filtersDocumented, !filterCell.startsWith(QLatin1String("not documented")));
                if (filterCell.startsWith(QLatin1String("none")))
                    QCOMPARE(type->filters, FilterFields());
                // Scope: the spec rule's, and the docs' where the cell names another.
                if (scopeCell == QLatin1String("n/a")) {
                    QVERIFY(type->scope.isEmpty());
                } else {
                    QVERIFY2(scopeCell.contains(type->scope), qPrintable(name));
                    QVERIFY2(type->scope.startsWith(type->family == EventFamily::Mute ? QStringLiteral("mute")
                                                        : type->family == EventFamily::Block
                                                        ? QStringLiteral("block")
                                                        : QString()),
                             qPrintable(name));
                }
                if (scopeCell.contains(QLatin1String("docs ")))
                    QCOMPARE(type->docsScope,
                             scopeCell.section(QLatin1String("docs "), 1).section(QLatin1Char('*'), 0, 0));
                else
                    QVERIFY(type->docsScope.isEmpty());
                // Public/private as the docs say; oauth.revoke's "n/a" is kept as not classified.
                const QString expected = visibilityCell == QLatin1String("n/a")
                    ? QStringLiteral("not classified")
                    : visibilityCell;
                QCOMPARE(visibilityName(type->visibility), expected);
                QCOMPARE(type->inSpec, name != QLatin1String("oauth.revoke"));
                QVERIFY(!type->description.isEmpty());
            }
        }
        QSet<QString> tableNames;
        for (const EventType &type : eventTypes())
            tableNames.insert(type.name);
        QCOMPARE(tableNames, referenceNames);
        QCOMPARE(eventTypes().size(), 42);
    }

    void tableShouldFollowTheSpecScopeRule()
    {
        // dm.read for chat.* and dm.*; like.read for like.*; mute.read; block.read; tweet.read otherwise.
        for (const EventType &type : eventTypes()) {
            if (!type.inSpec)
                continue;
            const QString prefix = type.name.section(QLatin1Char('.'), 0, 0);
            QString expected = QStringLiteral("tweet.read");
            if (prefix == QLatin1String("chat") || prefix == QLatin1String("dm"))
                expected = QStringLiteral("dm.read");
            else if (prefix == QLatin1String("like") || prefix == QLatin1String("mute") ||
                     prefix == QLatin1String("block"))
                expected = prefix + QStringLiteral(".read");
            QCOMPARE(type.scope, expected);
            QCOMPARE(familyName(type.family), prefix);
        }
        const EventType *chat = findEventType(u"broadcast.chat");
        QCOMPARE(acceptedScopes(*chat),
                 (QStringList {QStringLiteral("tweet.read"), QStringLiteral("broadcast.read")}));
        QCOMPARE(familyName(findEventType(u"oauth.revoke")->family), QStringLiteral("oauth"));
    }

    void lookupShouldAcceptAliasesAndDeprecatedNames_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("current");
        QTest::newRow("current") << "post.create"
                                 << "post.create";
        QTest::newRow("white space") << "  dm.received\n"
                                     << "dm.received";
        QTest::newRow("chat alias") << "chat.conversation_join"
                                    << "chat.conversation.join";
        QTest::newRow("bio") << "ProfileBioUpdate"
                             << "profile.update.bio";
        QTest::newRow("picture") << "ProfilePictureUpdate"
                                 << "profile.update.profile_picture";
        QTest::newRow("banner") << "ProfileBannerUpdate"
                                << "profile.update.banner_picture";
        QTest::newRow("geo") << "ProfileGeoUpdate"
                             << "profile.update.geo";
        QTest::newRow("url") << "ProfileUrlUpdate"
                             << "profile.update.url";
        QTest::newRow("2025 verified") << "profile.update.verified"
                                       << "profile.update.verified_badge";
        QTest::newRow("2025 affiliate") << "profile.update.affiliate"
                                        << "profile.update.affiliate_badge";
        QTest::newRow("unknown") << "post.edit" << QString();
        QTest::newRow("case matters") << "Post.Create" << QString();
        QTest::newRow("empty") << "" << QString();
    }
    void lookupShouldAcceptAliasesAndDeprecatedNames()
    {
        QFETCH(QString, input);
        QFETCH(QString, current);
        QCOMPARE(canonicalEventType(input), current);
        QCOMPARE(findEventType(input) != nullptr, !current.isEmpty());
    }

    void userTokenShouldBeNeededForPrivateAndUserOnlyScopes()
    {
        QVERIFY(!needsUserToken(*findEventType(u"profile.update.bio")));
        QVERIFY(!needsUserToken(*findEventType(u"post.create")));
        QVERIFY(!needsUserToken(*findEventType(u"follow.follow")));
        QVERIFY(!needsUserToken(*findEventType(u"news.new")));
        QVERIFY(needsUserToken(*findEventType(u"post.mention.create")));
        QVERIFY(needsUserToken(*findEventType(u"like.create")));
        QVERIFY(needsUserToken(*findEventType(u"block.block")));
        QVERIFY(needsUserToken(*findEventType(u"chat.update.group_name"))); // not documented, dm.read
    }

    void tiersShouldBeDataWithAQuota()
    {
        QCOMPARE(subscriptionLimit(Tier::SelfServe), 1500);
        QCOMPARE(subscriptionLimit(Tier::Enterprise), 75000);
        QCOMPARE(subscriptionLimit(Tier::Partner), 150000);
        QCOMPARE(tierFromName(u"enterprise"), std::optional<Tier>(Tier::Enterprise));
        QCOMPARE(tierFromName(u"Self-serve"), std::optional<Tier>(Tier::SelfServe));
        QVERIFY(!tierFromName(u"gold"));
        const Quota q = quota(Tier::SelfServe, 12);
        QCOMPARE(q.text(), QStringLiteral("12 of 1,500 subscriptions (Self-serve)"));
        QCOMPARE(q.remaining(), 1488);
        QCOMPARE(q.perMille(), 8);
        QVERIFY(!checkQuota(q));
        const Quota full = quota(Tier::SelfServe, 1500);
        QVERIFY(full.full());
        QCOMPARE(full.perMille(), 1000);
        QCOMPARE(errorName(checkQuota(full)), QStringLiteral("quota_exceeded"));
        QVERIFY(checkQuota(full)->cause.contains(QLatin1String("1500")));
    }

    // ---- Checks --------------------------------------------------------------------------------

    void checksShouldNameTheProblem_data()
    {
        QTest::addColumn<QString>("eventType");
        QTest::addColumn<QString>("userId");
        QTest::addColumn<QString>("keyword");
        QTest::addColumn<QString>("direction");
        QTest::addColumn<QString>("tag");
        QTest::addColumn<QString>("webhookId");
        QTest::addColumn<QString>("name"); // empty: accepted
        QTest::addColumn<QString>("causeContains");

        const QString id = QStringLiteral("2244994945");
        const QString none;
        QTest::newRow("public ok") << "profile.update.bio" << id << none << none << "bio"
                                   << "1976325569252868099" << none << none;
        QTest::newRow("deprecated name ok")
            << "ProfileBioUpdate" << id << none << none << none << none << none << none;
        QTest::newRow("unknown type")
            << "post.edit" << id << none << none << none << none << "unknown_event_type"
            << "\"post.edit\" is not an X Activity API event type";
        QTest::newRow("no type") << " " << id << none << none << none << none << "unknown_event_type"
                                 << "No event type";
        QTest::newRow("keyword on a user type")
            << "post.create" << id << "rust" << none << none << none << "filter_field_not_allowed"
            << "post.create subscriptions take only user_id, not keyword";
        QTest::newRow("direction on post")
            << "post.create" << id << none << "inbound" << none << none << "filter_field_not_allowed"
            << "not direction";
        QTest::newRow("user on news")
            << "news.new" << id << "rust" << none << none << none << "filter_field_not_allowed"
            << "take only keyword, not user_id";
        QTest::newRow("anything on revoke")
            << "oauth.revoke" << id << none << none << none << none << "filter_field_not_allowed"
            << "no filter fields (filter {})";
        QTest::newRow("revoke empty ok")
            << "oauth.revoke" << none << none << none << none << none << none << none;
        QTest::newRow("no user") << "post.create" << none << none << none << none << none << "filter_required"
                                 << "need the user id";
        QTest::newRow("bad user id") << "post.create"
                                     << "@alice" << none << none << none << none << "invalid_id"
                                     << "user id \"@alice\" is not valid";
        QTest::newRow("no keyword") << "news.new" << none << none << none << none << none << "filter_required"
                                    << "need a keyword";
        QTest::newRow("keyword 150") << "news.new" << none << QString(150, QLatin1Char('k')) << none << none
                                     << none << none << none;
        QTest::newRow("keyword 151") << "news.new" << none << QString(151, QLatin1Char('k')) << none << none
                                     << none << "invalid_keyword"
                                     << "151 characters; X takes 1 to 150";
        // Characters, not UTF-16 units: 150 emoji are 300 units.
        QTest::newRow("keyword 150 emoji") << "news.new" << none << QString::fromUtf8("😀").repeated(150)
                                           << none << none << none << none << none;
        QTest::newRow("tag 200") << "post.create" << id << none << none << QString(200, QLatin1Char('t'))
                                 << none << none << none;
        QTest::newRow("tag 201") << "post.create" << id << none << none << QString(201, QLatin1Char('t'))
                                 << none << "invalid_tag"
                                 << "201 characters; X takes 1 to 200";
        QTest::newRow("bad webhook") << "post.create" << id << none << none << none << "12345678901234567890"
                                     << "invalid_id"
                                     << "webhook id";
        QTest::newRow("bad direction")
            << "like.create" << id << none << "sideways" << none << none << "invalid_direction"
            << "\"sideways\"";
        QTest::newRow("direction on mute")
            << "mute.mute" << id << none << "outbound" << none << none << "filter_field_not_allowed"
            << "not direction";
    }
    void checksShouldNameTheProblem()
    {
        QFETCH(QString, eventType);
        QFETCH(QString, userId);
        QFETCH(QString, keyword);
        QFETCH(QString, direction);
        QFETCH(QString, tag);
        QFETCH(QString, webhookId);
        QFETCH(QString, name);
        QFETCH(QString, causeContains);
        // A user with every scope, so only the request itself is judged.
        const UserCredentials user =
            oauth2User(QStringLiteral("2244994945"),
                       {QStringLiteral("block.read"), QStringLiteral("dm.read"), QStringLiteral("like.read"),
                        QStringLiteral("mute.read"), QStringLiteral("tweet.read")});
        const auto error = checkCreate({eventType, {userId, keyword, direction}, tag, webhookId}, user);
        QCOMPARE(errorName(error), name);
        if (error) {
            QCOMPARE(error->kind, ApiError::Kind::Validation);
            QVERIFY2(error->cause.contains(causeContains), qPrintable(error->cause));
            QVERIFY(!error->remedy.isEmpty());
        }
    }

    void credentialShouldFitTheEventType()
    {
        const QString alice = QStringLiteral("2244994945");
        // Public: the Bearer token; no user needed, and a given one is not used.
        const EventType &bio = *findEventType(u"profile.update.bio");
        QVERIFY(!checkCredential(bio, {alice, {}, {}}, std::nullopt));
        QVERIFY(signingScopes(bio, oauth2User(alice, {QStringLiteral("tweet.read")})).isEmpty());

        // Private without a user.
        const EventType &like = *findEventType(u"like.create");
        auto error = checkCredential(like, {alice, {}, {}}, std::nullopt);
        QCOMPARE(errorName(error), QStringLiteral("user_token_required"));
        QCOMPARE(error->kind, ApiError::Kind::MissingCredentials);
        QVERIFY(error->remedy.contains(QLatin1String("like.read")));
        QVERIFY(error->remedy.contains(QLatin1String("X Activity API: likes")));

        // OAuth 1.0a only.
        UserCredentials oauth1;
        oauth1.token = "t";
        oauth1.tokenSecret = "s";
        oauth1.userId = alice;
        oauth1.username = QStringLiteral("alice");
        error = checkCredential(like, {alice, {}, {}}, oauth1);
        QCOMPARE(errorName(error), QStringLiteral("oauth2_required"));
        QVERIFY(error->cause.contains(QLatin1String("@alice has none")));

        // The scope is missing, and named.
        error = checkCredential(like, {alice, {}, {}}, oauth2User(alice, {QStringLiteral("tweet.read")}));
        QCOMPARE(errorName(error), QStringLiteral("missing_scope"));
        QCOMPARE(error->cause,
                 QStringLiteral(
                     "like.create events need the OAuth 2.0 scope like.read, which @alice's sign-in was "
                     "not granted."));
        QVERIFY(!checkCredential(like, {alice, {}, {}}, oauth2User(alice, {QStringLiteral("like.read")})));
        QCOMPARE(signingScopes(like, oauth2User(alice, {QStringLiteral("like.read")})),
                 QStringList {QStringLiteral("like.read")});

        // broadcast.chat: either the spec's tweet.read or the docs' broadcast.read.
        const EventType &chat = *findEventType(u"broadcast.chat");
        QVERIFY(
            !checkCredential(chat, {alice, {}, {}}, oauth2User(alice, {QStringLiteral("broadcast.read")})));
        QVERIFY(!checkCredential(chat, {alice, {}, {}}, oauth2User(alice, {QStringLiteral("tweet.read")})));
        QCOMPARE(signingScopes(chat, oauth2User(alice, {QStringLiteral("broadcast.read")})),
                 QStringList {QStringLiteral("broadcast.read")});
        error = checkCredential(chat, {alice, {}, {}}, oauth2User(alice, {QStringLiteral("dm.read")}));
        QVERIFY(error->cause.contains(QLatin1String("tweet.read or broadcast.read")));

        // Mute and block: the signed-in user only.
        const EventType &mute = *findEventType(u"mute.mute");
        const UserCredentials muter = oauth2User(alice, {QStringLiteral("mute.read")});
        QVERIFY(!checkCredential(mute, {alice, {}, {}}, muter));
        error = checkCredential(mute, {QStringLiteral("783214"), {}, {}}, muter);
        QCOMPARE(errorName(error), QStringLiteral("actor_only"));
        QVERIFY(error->cause.contains(QLatin1String("must be @alice's (2244994945), not 783214")));
        QCOMPARE(errorName(checkCredential(*findEventType(u"block.block"), {alice, {}, {}}, muter)),
                 QStringLiteral("missing_scope"));
    }

    void idsShouldBeChecked()
    {
        QVERIFY(!checkId(QStringLiteral("1976325569252868096"), QStringLiteral("subscription id")));
        QCOMPARE(errorName(checkId(QString(), QStringLiteral("subscription id"))),
                 QStringLiteral("invalid_id"));
        QCOMPARE(
            errorName(checkId(QStringLiteral("12345678901234567890"), QStringLiteral("subscription id"))),
            QStringLiteral("invalid_id"));
        QCOMPARE(errorName(checkId(QStringLiteral("１２"), QStringLiteral("subscription id"))),
                 QStringLiteral("invalid_id"));

        QCOMPARE(errorName(checkSubscriptionIds({})), QStringLiteral("no_ids"));
        QStringList hundred;
        for (int i = 1; i <= 100; ++i)
            hundred << QString::number(i);
        QVERIFY(!checkSubscriptionIds(hundred));
        const auto tooMany = checkSubscriptionIds(hundred + QStringList {QStringLiteral("101")});
        QCOMPARE(errorName(tooMany), QStringLiteral("too_many_ids"));
        QCOMPARE(tooMany->cause,
                 QStringLiteral("One bulk delete takes at most 100 subscription ids; 101 were given."));
        QCOMPARE(errorName(checkSubscriptionIds({QStringLiteral("1"), QStringLiteral("x")})),
                 QStringLiteral("invalid_id"));
        QCOMPARE(errorName(checkSubscriptionIds({QStringLiteral("1"), QStringLiteral("1")})),
                 QStringLiteral("duplicate_id"));
    }

    void updateShouldBeChecked()
    {
        const QString id = QStringLiteral("1976325569252868096");
        QCOMPARE(errorName(checkUpdate(id, {})), QStringLiteral("nothing_to_update"));
        QVERIFY(checkUpdate(id, {})->remedy.contains(
            QLatin1String("delete the subscription and create it again")));
        QVERIFY(!checkUpdate(id, {QStringLiteral("t"), std::nullopt}));
        QVERIFY(!checkUpdate(id, {std::nullopt, QStringLiteral("1976325569252868099")}));
        QCOMPARE(errorName(checkUpdate(id, {QString(), std::nullopt})), QStringLiteral("invalid_tag"));
        QCOMPARE(errorName(checkUpdate(id, {std::nullopt, QStringLiteral("hook")})),
                 QStringLiteral("invalid_id"));
        QCOMPARE(errorName(checkUpdate(QStringLiteral("abc"), {QStringLiteral("t"), std::nullopt})),
                 QStringLiteral("invalid_id"));
    }

    // ---- Endpoints and requests -----------------------------------------------------------------

    void endpointsShouldBeCatalogued()
    {
        for (const ApiGeneration gen : {ApiGeneration::V1_1, ApiGeneration::V2}) {
            const Endpoint *create = endpoints::find(Operation::CreateActivitySubscription, gen);
            QVERIFY(create);
            QCOMPARE(create->credential, CredentialKind::AppOnly);
            QVERIFY(create->oauth2ScopesPerCall);
            QCOMPARE(create->documentedLimitPer15Min, 500);
            const Endpoint *list = endpoints::find(Operation::ListActivitySubscriptions, gen);
            QCOMPARE(list->oauth2Scopes,
                     (QStringList {QStringLiteral("like.read"), QStringLiteral("tweet.read")}));
            QVERIFY(list->idempotent);
            for (const Operation op :
                 {Operation::UpdateActivitySubscription, Operation::DeleteActivitySubscription}) {
                const Endpoint *endpoint = endpoints::find(op, gen);
                QCOMPARE(endpoint->credential, CredentialKind::AppOnly);
                QVERIFY(endpoint->oauth2Scopes.isEmpty());
                QVERIFY(!endpoint->oauth2ScopesPerCall);
                QCOMPARE(endpoint->documentedLimitPer15Min, 500);
            }
            QCOMPARE(endpoints::find(Operation::DeleteActivitySubscriptions, gen)->documentedLimitPer15Min,
                     0);
        }
    }

    void createBodyShouldHaveOnlyTheDocumentedKeys()
    {
        // The reference's example request, byte for byte (keys happen to be in sorted order).
        RequestParams params =
            requests::createActivitySubscription({QStringLiteral("profile.update.bio"),
                                                  {QStringLiteral("2244994945"), {}, {}},
                                                  QStringLiteral("Xdevelopers' bio updates"),
                                                  QStringLiteral("1976325569252868099")});
        QCOMPARE(params.json,
                 QByteArray("{\"event_type\":\"profile.update.bio\",\"filter\":{\"user_id\":"
                            "\"2244994945\"},\"tag\":\"Xdevelopers' bio updates\",\"webhook_id\":"
                            "\"1976325569252868099\"}"));
        // No tag, no webhook: not sent. The alias goes out as the current name.
        params = requests::createActivitySubscription({QStringLiteral("chat.conversation_join"),
                                                       {QStringLiteral("1"), {}, QStringLiteral("inbound")},
                                                       {},
                                                       {}});
        QCOMPARE(params.json,
                 QByteArray("{\"event_type\":\"chat.conversation.join\",\"filter\":{\"direction\":"
                            "\"inbound\",\"user_id\":\"1\"}}"));
        params = requests::createActivitySubscription({QStringLiteral("oauth.revoke"), {}, {}, {}});
        QCOMPARE(params.json, QByteArray("{\"event_type\":\"oauth.revoke\",\"filter\":{}}"));
        params = requests::createActivitySubscription(
            {QStringLiteral("news.new"), {{}, QStringLiteral("rust"), {}}, {}, {}});
        QCOMPARE(params.json, QByteArray("{\"event_type\":\"news.new\",\"filter\":{\"keyword\":\"rust\"}}"));
    }

    void updateListAndDeleteRequests()
    {
        const QString id = QStringLiteral("1976325569252868096");
        RequestParams params =
            requests::updateActivitySubscription(id, {QStringLiteral("t"), QStringLiteral("9")});
        QCOMPARE(params.json, QByteArray("{\"tag\":\"t\",\"webhook_id\":\"9\"}"));
        QCOMPARE(params.path.first().second, id);
        params = requests::updateActivitySubscription(id, {std::nullopt, QStringLiteral("9")});
        QCOMPARE(params.json, QByteArray("{\"webhook_id\":\"9\"}"));

        const QUrl base(QStringLiteral("https://api.x.com"));
        const Endpoint *list = endpoints::find(Operation::ListActivitySubscriptions, ApiGeneration::V2);
        QCOMPARE(requests::url(*list, base, requests::listActivitySubscriptions()).value().toString(),
                 QStringLiteral("https://api.x.com/2/activity/subscriptions"));
        QCOMPARE(
            requests::url(*list, base,
                          requests::listActivitySubscriptions(QStringLiteral("abcdefghijklmnop")))
                .value()
                .toString(),
            QStringLiteral("https://api.x.com/2/activity/subscriptions?pagination_token=abcdefghijklmnop"));
        const Endpoint *bulk = endpoints::find(Operation::DeleteActivitySubscriptions, ApiGeneration::V2);
        QCOMPARE(requests::url(*bulk, base,
                               requests::deleteActivitySubscriptions(
                                   {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}))
                     .value()
                     .toString(QUrl::FullyEncoded),
                 QStringLiteral("https://api.x.com/2/activity/subscriptions?ids=1%2C2%2C3"));
    }

    void credentialDecisionShouldTakeCallScopes()
    {
        const Endpoint &create = *endpoints::find(Operation::CreateActivitySubscription, ApiGeneration::V2);
        const UserCredentials user = oauth2User(QStringLiteral("1"), {QStringLiteral("like.read")});
        QCOMPARE(ApiClient::userCredentialFor(create, user, {QStringLiteral("like.read")}).value(),
                 CredentialKind::OAuth2User);
        const auto refused = ApiClient::userCredentialFor(create, user, {QStringLiteral("dm.read")});
        QVERIFY(!refused);
        QCOMPARE(refused.error().name, QStringLiteral("missing_scope"));
        QVERIFY(refused.error().cause.contains(QLatin1String("scope dm.read")));
        QVERIFY(refused.error().remedy.contains(QLatin1String("dm.read")));
        // The AAA endpoints are unchanged: their scopes, their preset.
        const Endpoint &subscribe = *endpoints::find(Operation::Subscribe, ApiGeneration::V2);
        const auto aaa = ApiClient::userCredentialFor(subscribe, user);
        QVERIFY(!aaa);
        QVERIFY(aaa.error().remedy.contains(QStringLiteral("“Account Activity” preset")));
    }

    void clientShouldRefuseBeforeSending()
    {
        QNetworkAccessManager network;
        ClientConfig config;
        AppCredentials app;
        app.bearerToken = "bearer";
        ApiClient client(&network, config, app);

        std::optional<Result<ActivitySubscriptionChange>> created;
        client.createActivitySubscription(
            {QStringLiteral("like.create"), {QStringLiteral("1"), {}, {}}, {}, {}},
            oauth2User(QStringLiteral("1"), {QStringLiteral("tweet.read")}), this,
            [&](const Result<ActivitySubscriptionChange> &r) { created = r; });
        QTRY_VERIFY(created.has_value());
        QVERIFY(!created->ok());
        QCOMPARE(created->error().name, QStringLiteral("missing_scope"));

        std::optional<Result<ActivityBulkDeleteResult>> bulk;
        QStringList ids;
        for (int i = 1; i <= 101; ++i)
            ids << QString::number(i);
        client.deleteActivitySubscriptions(ids, this,
                                           [&](const Result<ActivityBulkDeleteResult> &r) { bulk = r; });
        QTRY_VERIFY(bulk.has_value());
        QCOMPARE(bulk->error().name, QStringLiteral("too_many_ids"));

        std::optional<Result<ActivitySubscriptionPage>> page;
        client.listActivitySubscriptions(QStringLiteral("short"), this,
                                         [&](const Result<ActivitySubscriptionPage> &r) { page = r; });
        QTRY_VERIFY(page.has_value());
        QCOMPARE(page->error().kind, ApiError::Kind::Validation);
        QCOMPARE(client.requestLog() != nullptr, true);
    }

    // The way past the checks: a private type goes out with the user's OAuth 2.0 token, a public one
    // with the Bearer token even when a user is given. Port 9 on 127.0.0.1 refuses the connection,
    // so nothing leaves the machine; the request log shows what was used.
    void clientShouldSignWithTheCredentialTheTypeNeeds()
    {
        QNetworkAccessManager network;
        ClientConfig config;
        config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
        config.allowInsecureLoopback = true;
        config.maxAttempts = 1;
        AppCredentials app;
        app.bearerToken = "bearer";
        ApiClient client(&network, config, app);
        const UserCredentials user = oauth2User(QStringLiteral("1"), {QStringLiteral("like.read")});

        const auto createAndWait = [&](const QString &type) {
            std::optional<Result<ActivitySubscriptionChange>> done;
            client.createActivitySubscription({type, {QStringLiteral("1"), {}, {}}, {}, {}}, user, this,
                                              [&](const Result<ActivitySubscriptionChange> &r) { done = r; });
            QTRY_VERIFY(done.has_value());
            QVERIFY(!done->ok());
            QVERIFY2(done->error().kind != ApiError::Kind::MissingCredentials,
                     qPrintable(done->error().text()));
            QVERIFY(!client.requestLog()->entries().isEmpty());
        };
        createAndWait(QStringLiteral("like.create"));
        QCOMPARE(client.requestLog()->entries().last().credential, CredentialKind::OAuth2User);
        createAndWait(QStringLiteral("post.create"));
        QCOMPARE(client.requestLog()->entries().last().credential, CredentialKind::AppOnly);
    }

    // ---- Parsers -------------------------------------------------------------------------------

    void changeShouldReadEveryDocumentedShape_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("tag");
        QTest::addColumn<QString>("webhookId");
        QTest::addColumn<qint64>("total"); // -1: none
        const QByteArray sub =
            "{\"subscription_id\":\"1976325569252868096\",\"event_type\":\"profile.update.bio\","
            "\"filter\":{\"user_id\":\"2244994945\"},\"created_at\":\"2025-10-09T16:35:08.000Z\","
            "\"updated_at\":\"2025-10-09T16:35:08.000Z\",\"tag\":\"bio\"";
        QTest::newRow("2.167 create") << "{\"data\":{\"subscription\":" + sub + ",\"webhook_id\":\"77\"}}}"
                                      << "bio"
                                      << "77" << qint64(-1);
        QTest::newRow("2.166 create") << "{\"data\":{\"subscription\":" + sub +
                "},\"total_subscriptions_for_instance_id\":3},\"meta\":{\"total_subscriptions\":3}}"
                                      << "bio" << QString() << qint64(3);
        QTest::newRow("quickstart array") << "{\"data\":[" + sub + "}],\"meta\":{\"total_subscriptions\":1}}"
                                          << "bio" << QString() << qint64(1);
        QTest::newRow("quickstart bare") << "{\"data\":" + sub + "}}"
                                         << "bio" << QString() << qint64(-1);
        QTest::newRow("update 2.167")
            << "{\"data\":{\"subscription\":" + sub + "},\"total_subscriptions\":\"5\"}}"
            << "bio" << QString() << qint64(5);
        QTest::newRow("update quickstart") << "{\"data\":" + sub + "},\"meta\":{\"total_subscriptions\":2}}"
                                           << "bio" << QString() << qint64(2);
    }
    void changeShouldReadEveryDocumentedShape()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, tag);
        QFETCH(QString, webhookId);
        QFETCH(qint64, total);
        const auto parsed = parse::activitySubscriptionChange(body);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().cause));
        const ActivitySubscription &s = parsed.value().subscription;
        QCOMPARE(s.id, QStringLiteral("1976325569252868096"));
        QCOMPARE(s.eventType, QStringLiteral("profile.update.bio"));
        QCOMPARE(s.filter, (ActivityFilter {QStringLiteral("2244994945"), {}, {}}));
        QCOMPARE(s.tag, tag);
        QCOMPARE(s.webhookId, webhookId);
        QCOMPARE(s.createdAt, QDateTime(QDate(2025, 10, 9), QTime(16, 35, 8), Qt::UTC));
        QCOMPARE(parsed.value().totalSubscriptions.value_or(-1), total);
    }

    void answersShouldUseCanonicalNames()
    {
        const auto parsed =
            parse::activitySubscriptionChange("{\"data\":{\"subscription\":{\"subscription_id\":\"1\","
                                              "\"event_type\":\"chat.conversation_join\","
                                              "\"filter\":{\"user_id\":\"2\",\"direction\":\"inbound\"}}}}");
        QCOMPARE(parsed.value().subscription.eventType, QStringLiteral("chat.conversation.join"));
        QCOMPARE(parsed.value().subscription.filter.direction, QStringLiteral("inbound"));
        // A type this table does not know yet is kept as sent.
        const auto future = parse::activitySubscriptionChange(
            "{\"data\":{\"subscription_id\":\"1\",\"event_type\":\"post.edit\",\"filter\":{}}}");
        QCOMPARE(future.value().subscription.eventType, QStringLiteral("post.edit"));
    }

    void listShouldReadEveryDocumentedShape()
    {
        const QByteArray entries =
            "[{\"subscription_id\":\"1\",\"event_type\":\"ProfileBioUpdate\",\"filter\":{\"user_id\":\"5\"}},"
            "{\"subscription_id\":\"2\",\"event_type\":\"news.new\",\"filter\":{\"keyword\":\"rust\"},"
            "\"webhook_id\":\"9\"}]";
        // 2.167: no meta, no next token.
        auto page = parse::activitySubscriptionPage("{\"data\":" + entries + "}");
        QVERIFY(page.ok());
        QCOMPARE(page.value().subscriptions.size(), 2);
        QCOMPARE(page.value().subscriptions.at(0).eventType, QStringLiteral("profile.update.bio"));
        QCOMPARE(page.value().subscriptions.at(1).filter.keyword, QStringLiteral("rust"));
        QCOMPARE(page.value().subscriptions.at(1).webhookId, QStringLiteral("9"));
        QVERIFY(page.value().nextToken.isEmpty());
        QVERIFY(!page.value().totalSubscriptions);
        // 2.166: result_count and next_token.
        page = parse::activitySubscriptionPage(
            "{\"data\":" + entries +
            ",\"meta\":{\"result_count\":2,\"next_token\":\"7140dibdnow9c7btw3w29\"}}");
        QCOMPARE(page.value().nextToken, QStringLiteral("7140dibdnow9c7btw3w29"));
        QCOMPARE(page.value().resultCount, std::optional<qint64>(2));
        // Quickstart: total_subscriptions.
        page = parse::activitySubscriptionPage("{\"data\":" + entries +
                                               ",\"meta\":{\"total_subscriptions\":2}}");
        QCOMPARE(page.value().totalSubscriptions, std::optional<qint64>(2));
        // None at all.
        page = parse::activitySubscriptionPage("{\"meta\":{\"result_count\":0}}");
        QVERIFY(page.ok());
        QVERIFY(page.value().subscriptions.isEmpty());
        page = parse::activitySubscriptionPage("{\"data\":[]}");
        QVERIFY(page.ok());
    }

    void deleteShouldReadEveryDocumentedShape()
    {
        auto deleted = parse::activitySubscriptionDeleted("{\"data\":{\"deleted\":true}}");
        QVERIFY(deleted.value().deleted);
        QVERIFY(!deleted.value().remaining);
        deleted = parse::activitySubscriptionDeleted(
            "{\"data\":{\"deleted\":true},\"meta\":{\"total_subscriptions\":0}}");
        QCOMPARE(deleted.value().remaining, std::optional<qint64>(0));
        deleted = parse::activitySubscriptionDeleted("{\"data\":{\"deleted\":false}}");
        QVERIFY(!deleted.value().deleted);
        QVERIFY(!parse::activitySubscriptionDeleted("{\"data\":{}}").ok());
    }

    void bulkDeleteShouldReportEveryId()
    {
        // 2.167: per-id data and errors.
        auto result = parse::activitySubscriptionsDeleted(
            "{\"data\":[{\"subscription_id\":\"1\",\"deleted\":true},{\"subscription_id\":\"3\",\"deleted\":"
            "false}],"
            "\"errors\":[{\"subscription_id\":\"2\",\"reason\":\"not_found\",\"message\":\"No such "
            "subscription\"}],"
            "\"meta\":{\"total_subscriptions\":7}}",
            {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")});
        QVERIFY(result.ok());
        QCOMPARE(result.value().deleted, QStringList {QStringLiteral("1")});
        QCOMPARE(result.value().errors.size(), 2);
        QCOMPARE(result.value().errors.at(0).subscriptionId, QStringLiteral("2"));
        QCOMPARE(result.value().errors.at(0).reason, QStringLiteral("not_found"));
        QCOMPARE(result.value().errors.at(0).message, QStringLiteral("No such subscription"));
        QCOMPARE(result.value().errors.at(1).subscriptionId, QStringLiteral("3"));
        QCOMPARE(result.value().remaining, std::optional<qint64>(7));

        // All failed: no data.
        result = parse::activitySubscriptionsDeleted(
            "{\"errors\":[{\"subscription_id\":\"2\",\"reason\":\"not_found\",\"message\":\"m\"}]}",
            {QStringLiteral("2")});
        QVERIFY(result.ok());
        QVERIFY(result.value().deleted.isEmpty());
        QCOMPARE(result.value().errors.size(), 1);

        // 2.166: one flag and Problem-typed errors naming the id.
        result = parse::activitySubscriptionsDeleted(
            "{\"data\":{\"deleted\":true},\"errors\":[{\"resource_id\":\"2\",\"resource_type\":"
            "\"subscription\","
            "\"title\":\"Not Found Error\",\"detail\":\"Could not find subscription 2.\","
            "\"type\":\"https://api.twitter.com/2/problems/resource-not-found\"}]}",
            {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")});
        QCOMPARE(result.value().deleted, (QStringList {QStringLiteral("1"), QStringLiteral("3")}));
        QCOMPARE(result.value().errors.at(0).reason, QStringLiteral("resource-not-found"));
        QCOMPARE(result.value().errors.at(0).message, QStringLiteral("Could not find subscription 2."));

        // A request-level error in a 200 stays an API error.
        result = parse::activitySubscriptionsDeleted(
            "{\"errors\":[{\"code\":89,\"message\":\"Invalid or expired token\"}]}", {QStringLiteral("1")});
        QVERIFY(!result.ok());
        QVERIFY(result.error().kind != ApiError::Kind::MalformedResponse);
    }

    void malformedAnswersShouldSayWhat_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("causeContains");
        QTest::newRow("empty") << QByteArray() << "the body was empty";
        QTest::newRow("html") << QByteArray("<html><body>proxy</body></html>") << "HTML page";
        QTest::newRow("not json") << QByteArray("{\"data\":") << "not valid JSON";
        QTest::newRow("array") << QByteArray("[]") << "it is an array";
        QTest::newRow("data string") << QByteArray("{\"data\":\"x\"}") << "\"data\" is a string";
        QTest::newRow("two entries") << QByteArray("{\"data\":[{},{}]}") << "an array of 2 entries";
        QTest::newRow("no id") << QByteArray("{\"data\":{\"event_type\":\"post.create\"}}")
                               << "subscription_id";
        QTest::newRow("number id too big")
            << QByteArray(
                   "{\"data\":{\"subscription_id\":19763255692528680961,\"event_type\":\"post.create\"}}")
            << "cannot be kept exactly";
        QTest::newRow("no type") << QByteArray("{\"data\":{\"subscription_id\":\"1\"}}") << "event_type";
        QTest::newRow("empty type") << QByteArray(
                                           "{\"data\":{\"subscription_id\":\"1\",\"event_type\":\"\"}}")
                                    << "non-empty \"event_type\"";
        QTest::newRow("filter array")
            << QByteArray(
                   "{\"data\":{\"subscription_id\":\"1\",\"event_type\":\"post.create\",\"filter\":[]}}")
            << "\"filter\" as an object";
        QTest::newRow("bad user id")
            << QByteArray("{\"data\":{\"subscription_id\":\"1\",\"event_type\":\"post.create\","
                          "\"filter\":{\"user_id\":true}}}")
            << "user_id";
        QTest::newRow("bad time")
            << QByteArray("{\"data\":{\"subscription_id\":\"1\",\"event_type\":\"post.create\","
                          "\"created_at\":\"yesterday\"}}")
            << "\"yesterday\"";
        QTest::newRow("bad total")
            << QByteArray("{\"data\":{\"subscription_id\":\"1\",\"event_type\":\"post.create\"},"
                          "\"meta\":{\"total_subscriptions\":-1}}")
            << "total_subscriptions";
    }
    void malformedAnswersShouldSayWhat()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, causeContains);
        const auto parsed = parse::activitySubscriptionChange(body);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().kind, ApiError::Kind::MalformedResponse);
        QVERIFY2(parsed.error().cause.contains(causeContains), qPrintable(parsed.error().cause));
        QVERIFY(!parsed.error().remedy.isEmpty());
    }

    void otherParsersShouldRefuseGarbage()
    {
        const QList<QByteArray> garbage {QByteArray(),
                                         "null",
                                         "[1]",
                                         "{\"data\":5}",
                                         "{\"data\":[5]}",
                                         "{\"meta\":[]}",
                                         "{\"data\":[],\"meta\":{\"next_token\":5}}",
                                         "{\"data\":[{\"subscription_id\":\"1\"}]}",
                                         "{\"data\":[{\"deleted\":true}]}",
                                         "{\"errors\":{}}",
                                         "{\"data\":{\"deleted\":\"maybe\"}}",
                                         QByteArray("\xff\xfe\x00", 3)};
        for (const QByteArray &body : garbage) {
            const auto page = parse::activitySubscriptionPage(body);
            const auto one = parse::activitySubscriptionDeleted(body);
            const auto many = parse::activitySubscriptionsDeleted(body, {QStringLiteral("1")});
            for (const ApiError *error :
                 {page.ok() ? nullptr : &page.error(), one.ok() ? nullptr : &one.error(),
                  many.ok() ? nullptr : &many.error()}) {
                if (error)
                    QVERIFY2(!error->cause.isEmpty(), body.constData());
            }
        }
        QVERIFY(!parse::activitySubscriptionPage("{\"data\":[],\"meta\":{\"next_token\":5}}").ok());
        QVERIFY(!parse::activitySubscriptionPage("{\"data\":[{\"subscription_id\":\"1\"}]}").ok());
        QVERIFY(!parse::activitySubscriptionsDeleted("{\"data\":[{\"deleted\":true}]}", {}).ok());
        QVERIFY(!parse::activitySubscriptionsDeleted("{}", {}).ok());
        QVERIFY(!parse::activitySubscriptionDeleted("{\"data\":{\"deleted\":\"maybe\"}}").ok());
    }
};

QTEST_GUILESS_MAIN(TestXaa)
#include "tst_xaa.moc"
