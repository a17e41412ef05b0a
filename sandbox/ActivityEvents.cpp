// Synthetic X Activity API events. Shapes follow the reference (x-api-2026.md §4.3 and the samples of
// §4.6, which are the docs' event-payloads page); where the docs show no payload, the event gets a
// minimal plausible object and the code says so. Where spec and docs conflict (§4.6), the docs'
// samples win: they are what X delivers today.

#include "ActivityEvents.h"

#include <QJsonArray>

namespace activity::sandbox {

namespace {

QString isoMillis(const QDateTime &at)
{
    return at.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

QJsonObject user(const EventPerson &person)
{
    return QJsonObject {{QStringLiteral("id"), person.id},
                        {QStringLiteral("name"), person.name},
                        {QStringLiteral("username"), person.username}};
}

QJsonObject wrapped(const EventPerson &person)
{
    return QJsonObject {{QStringLiteral("data"), user(person)}};
}

// The docs' public_metrics: counts with string twins (§4.6), retweet_count rather than repost_count.
QJsonObject publicMetrics()
{
    QJsonObject metrics;
    for (const char *name : {"retweet_count", "reply_count", "like_count", "quote_count"}) {
        metrics.insert(QLatin1String(name), 0);
        metrics.insert(QLatin1String(name) + QLatin1String("_str"), QStringLiteral("0"));
    }
    return metrics;
}

QJsonObject post(const QString &id, const EventPerson &author, const QString &text, const QDateTime &at)
{
    return QJsonObject {{QStringLiteral("id"), id},
                        {QStringLiteral("author_id"), author.id},
                        {QStringLiteral("text"), text},
                        {QStringLiteral("created_at"), isoMillis(at)},
                        {QStringLiteral("conversation_id"), id},
                        {QStringLiteral("edit_history_tweet_ids"), QJsonArray {id}},
                        {QStringLiteral("lang"), QStringLiteral("en")},
                        {QStringLiteral("reply_settings"), QStringLiteral("everyone")},
                        {QStringLiteral("public_metrics"), publicMetrics()}};
}

GeneratedActivityEvent profileEvent(const QString &name, const EventPerson &subject, qint64 number)
{
    // before/after as strings for every profile type (§4.3); the values are the sandbox's.
    const QString n = QString::number(number);
    QString before;
    QString after;
    if (name.endsWith(QLatin1String(".bio"))) {
        before = QStringLiteral("Building with the X API");
        after = QStringLiteral("Building with the X API (%1)").arg(n);
    } else if (name.endsWith(QLatin1String("profile_picture"))) {
        before = QStringLiteral("https://pbs.twimg.com/profile_images/%1/old_normal.jpg").arg(subject.id);
        after = QStringLiteral("https://pbs.twimg.com/profile_images/%1/%2_normal.jpg").arg(subject.id, n);
    } else if (name.endsWith(QLatin1String("banner_picture"))) {
        before = QStringLiteral("https://pbs.twimg.com/profile_banners/%1/1700000000").arg(subject.id);
        after = QStringLiteral("https://pbs.twimg.com/profile_banners/%1/%2").arg(subject.id, n);
    } else if (name.endsWith(QLatin1String(".screenname"))) {
        before = subject.name;
        after = subject.name + QStringLiteral(" (") + n + QLatin1Char(')');
    } else if (name.endsWith(QLatin1String(".handle"))) {
        before = subject.username;
        after = subject.username + QLatin1Char('_') + n;
    } else if (name.endsWith(QLatin1String(".geo"))) {
        before = QStringLiteral("Berlin, Germany");
        after = QStringLiteral("Lisbon, Portugal");
    } else if (name.endsWith(QLatin1String(".url"))) {
        before = QStringLiteral("https://example.com");
        after = QStringLiteral("https://example.com/%1").arg(n);
    } else { // verified_badge, affiliate_badge: no sample; whether the badge is shown
        before = QStringLiteral("false");
        after = QStringLiteral("true");
    }
    return {QJsonObject {{QStringLiteral("before"), before}, {QStringLiteral("after"), after}}, {}};
}

GeneratedActivityEvent postEvent(const QString &name, const EventPerson &subject, const EventPerson &other,
                                 qint64 number, const QDateTime &at)
{
    const QString id = QString::number(2080000000000000000LL + number);
    const QString theirs = QString::number(2070000000000000000LL + number);
    if (name == QLatin1String("post.delete")) {
        // post.delete's includes.users wraps each user in "data" (§4.6 ⚠).
        return {QJsonObject {{QStringLiteral("id"), id}, {QStringLiteral("author_id"), subject.id}},
                QJsonObject {{QStringLiteral("users"), QJsonArray {wrapped(subject)}}}};
    }
    if (name == QLatin1String("post.create")) {
        return {post(id, subject, QStringLiteral("Hello from the Activity API (%1)").arg(number), at),
                QJsonObject {{QStringLiteral("users"), QJsonArray {user(subject)}}}};
    }
    // Mention, reply, quote and repost: the other party posts, about the filtered user or their post.
    const QJsonObject original =
        post(theirs, subject, QStringLiteral("An earlier post by %1").arg(subject.name), at.addSecs(-3600));
    QJsonObject payload;
    if (name == QLatin1String("post.mention.create")) {
        payload = post(id, other, QStringLiteral("@%1 have a look at this").arg(subject.username), at);
    } else {
        const char *reference = name == QLatin1String("post.reply.create") ? "replied_to"
            : name == QLatin1String("post.quote.create")                   ? "quoted"
                                                                           : "retweeted";
        const QString text = name == QLatin1String("post.repost.create")
            ? QStringLiteral("RT @%1: An earlier post by %2").arg(subject.username, subject.name)
            : QStringLiteral("@%1 agreed (%2)").arg(subject.username).arg(number);
        payload = post(id, other, text, at);
        payload.insert(QStringLiteral("referenced_tweets"),
                       QJsonArray {QJsonObject {{QStringLiteral("type"), QLatin1String(reference)},
                                                {QStringLiteral("id"), theirs}}});
        if (name == QLatin1String("post.reply.create")) {
            payload.insert(QStringLiteral("in_reply_to_user_id"), subject.id);
            payload.insert(QStringLiteral("conversation_id"), theirs);
        }
    }
    return {payload,
            QJsonObject {{QStringLiteral("users"), QJsonArray {user(other), user(subject)}},
                         {QStringLiteral("tweets"), QJsonArray {original}}}};
}

GeneratedActivityEvent likeEvent(const ActivityFilter &filter, const EventPerson &subject,
                                 const EventPerson &other, qint64 number, const QDateTime &at)
{
    // inbound (or no direction): someone likes the user's post; outbound: the user likes another's.
    const bool outbound = filter.direction == QLatin1String("outbound");
    const EventPerson &author = outbound ? other : subject;
    const QString postId = QString::number(2079000000000000000LL + number);
    const QJsonObject payload {
        {QStringLiteral("id"), QString::number(number, 16).rightJustified(32, QLatin1Char('0'))},
        {QStringLiteral("created_at"), isoMillis(at)},
        {QStringLiteral("timestamp_ms"), QString::number(at.toMSecsSinceEpoch())},
        {QStringLiteral("liked_tweet_author_id"), author.id},
        {QStringLiteral("liked_tweet_id"), postId}};
    const QJsonObject liked {{QStringLiteral("id"), postId},
                             {QStringLiteral("author_id"), author.id},
                             {QStringLiteral("text"), QStringLiteral("A post by %1").arg(author.name)}};
    return {payload,
            QJsonObject {{QStringLiteral("users"), QJsonArray {user(author)}},
                         {QStringLiteral("tweets"), QJsonArray {liked}}}};
}

QJsonObject broadcastUser(const EventPerson &subject)
{
    return wrapped(subject);
}

GeneratedActivityEvent broadcastEvent(const QString &name, const EventPerson &subject,
                                      const EventPerson &other, qint64 number, const QDateTime &at)
{
    const QString broadcastId = QStringLiteral("1qxvvvyLLdnx") + QString::number(number % 10);
    if (name == QLatin1String("broadcast.chat")) {
        return {
            QJsonObject {{QStringLiteral("broadcast_id"), broadcastId},
                         {QStringLiteral("message_id"), QString::number(1800000000000000000LL + number)},
                         {QStringLiteral("message"), QStringLiteral("Hello from the chat (%1)").arg(number)},
                         {QStringLiteral("author"), wrapped(other)}},
            {}};
    }
    const bool ended = name == QLatin1String("broadcast.end");
    const qint64 ms = at.toMSecsSinceEpoch();
    QJsonObject payload {
        {QStringLiteral("user"), broadcastUser(subject)},
        {QStringLiteral("broadcast_id"), broadcastId},
        {QStringLiteral("title"), QStringLiteral("Live from the sandbox")},
        {QStringLiteral("language"), QStringLiteral("en")},
        {QStringLiteral("broadcast_state"), ended ? QStringLiteral("Ended") : QStringLiteral("Running")},
        {QStringLiteral("event_timestamp_ms"), ms},
        {QStringLiteral("created_timestamp_ms"), ms - (ended ? 600000 : 0)},
        {QStringLiteral("updated_timestamp_ms"), ms},
        {QStringLiteral("thumbnail_url"),
         QStringLiteral("https://prod-fastly.pscp.tv/%1/thumbnail.jpg").arg(broadcastId)},
        {QStringLiteral("available_for_replay"), true}};
    if (ended)
        payload.insert(QStringLiteral("duration_ms"), 600000);
    return {payload, {}};
}

GeneratedActivityEvent chatEvent(const QString &name, const EventPerson &subject, const EventPerson &other,
                                 qint64 number, const QDateTime &at)
{
    // The XChat envelope of §4.3 for every chat.* type: the message itself is end-to-end encrypted
    // (encoded_event), so the sandbox sends opaque base64. The member, admin and update types have no
    // documented payload; they get the same envelope.
    const bool sent = name == QLatin1String("chat.sent");
    const QString conversation = QStringLiteral("g%1").arg(1900000000000000000LL + number % 1000);
    const QByteArray opaque = QStringLiteral("%1|%2").arg(name).arg(number).toUtf8().toBase64();
    return {QJsonObject {
                {QStringLiteral("conversation_token"),
                 QString::fromLatin1(QByteArray::number(number, 36).toBase64())},
                {QStringLiteral("id"), QString::number(1950000000000000000LL + number)},
                {QStringLiteral("created_at_msec"), QString::number(at.toMSecsSinceEpoch())},
                {QStringLiteral("sender_id"), sent ? subject.id : other.id},
                {QStringLiteral("conversation_id"), conversation},
                {QStringLiteral("conversation_key_version"), QStringLiteral("1")},
                {QStringLiteral("encoded_event"), QString::fromLatin1(opaque)},
                {QStringLiteral("conversation_key_change_event"), QString()},
                {QStringLiteral("message_event_signature"),
                 QJsonObject {{QStringLiteral("public_key_version"), QStringLiteral("1")},
                              {QStringLiteral("signature"), QString::fromLatin1(opaque.toHex().left(64))},
                              {QStringLiteral("signature_version"), QStringLiteral("1")},
                              {QStringLiteral("signing_public_key"), QStringLiteral("sandbox-public-key")}}}},
            {}};
}

GeneratedActivityEvent dmEvent(const QString &name, const EventPerson &subject, const EventPerson &other,
                               qint64 number, const QDateTime &at)
{
    // A v1.1 DM event inside direct_message_events, the users by id (§4.3). dm.read and
    // dm.indicate_typing have no sample: they get v1.1's read and typing-indicator events.
    const bool sent = name == QLatin1String("dm.sent");
    const EventPerson &sender = sent ? subject : other;
    const EventPerson &recipient = sent ? other : subject;
    const QString ms = QString::number(at.toMSecsSinceEpoch());
    QJsonObject event;
    if (name == QLatin1String("dm.read") || name == QLatin1String("dm.indicate_typing")) {
        const bool read = name == QLatin1String("dm.read");
        event = {{QStringLiteral("type"),
                  read ? QStringLiteral("message_read") : QStringLiteral("typing_indicator")},
                 {QStringLiteral("created_timestamp"), ms},
                 {QStringLiteral("sender_id"), other.id},
                 {QStringLiteral("target"), QJsonObject {{QStringLiteral("recipient_id"), subject.id}}}};
        if (read)
            event.insert(QStringLiteral("last_read_event_id"),
                         QString::number(1960000000000000000LL + number - 1));
    } else {
        event = {{QStringLiteral("type"), QStringLiteral("message_create")},
                 {QStringLiteral("id"), QString::number(1960000000000000000LL + number)},
                 {QStringLiteral("created_timestamp"), ms},
                 {QStringLiteral("message_create"),
                  QJsonObject {{QStringLiteral("target"),
                                QJsonObject {{QStringLiteral("recipient_id"), recipient.id}}},
                               {QStringLiteral("sender_id"), sender.id},
                               {QStringLiteral("message_data"),
                                QJsonObject {{QStringLiteral("text"),
                                              QStringLiteral("Hello from the sandbox (%1)").arg(number)},
                                             {QStringLiteral("entities"),
                                              QJsonObject {{QStringLiteral("hashtags"), QJsonArray()},
                                                           {QStringLiteral("symbols"), QJsonArray()},
                                                           {QStringLiteral("user_mentions"), QJsonArray()},
                                                           {QStringLiteral("urls"), QJsonArray()}}}}}}}};
    }
    return {QJsonObject {{QStringLiteral("direct_message_events"), QJsonArray {event}},
                         {QStringLiteral("users"),
                          QJsonObject {{subject.id, wrapped(subject)}, {other.id, wrapped(other)}}}},
            {}};
}

GeneratedActivityEvent newsEvent(const ActivityFilter &filter, qint64 number, const QDateTime &at)
{
    // The docs' shape (§4.3 ⚠: the spec's is {category, headline, hook, summary}).
    const QString keyword = filter.keyword.isEmpty() ? QStringLiteral("sandbox") : filter.keyword;
    return {QJsonObject {
                {QStringLiteral("id"), QString::number(1990000000000000000LL + number)},
                {QStringLiteral("name"), QStringLiteral("News about %1").arg(keyword)},
                {QStringLiteral("category"), QStringLiteral("Technology")},
                {QStringLiteral("hook"), QStringLiteral("What people say about %1 today").arg(keyword)},
                {QStringLiteral("summary"), QStringLiteral("A summary of the posts about %1.").arg(keyword)},
                {QStringLiteral("contexts"), QJsonArray {keyword}},
                {QStringLiteral("cluster_posts_results"),
                 QJsonArray {QJsonObject {
                     {QStringLiteral("post_id"), QString::number(2081000000000000000LL + number)}}}},
                {QStringLiteral("updated_at"), isoMillis(at)},
                {QStringLiteral("disclaimer"),
                 QStringLiteral("This story is a summary of posts on X and may evolve over time.")}},
            {}};
}

} // namespace

GeneratedActivityEvent generateActivityEvent(const xaa::EventType &type, const ActivityFilter &filter,
                                             const EventPerson &subject, const EventPerson &other,
                                             const QString &appId, qint64 number, const QDateTime &at)
{
    using F = xaa::EventFamily;
    switch (type.family) {
    case F::Profile:
        return profileEvent(type.name, subject, number);
    case F::Post:
        return postEvent(type.name, subject, other, number, at);
    case F::Like:
        return likeEvent(filter, subject, other, number, at);
    case F::Follow:
    case F::Mute:
    case F::Block:
        // The actor is the source (follow has a sample; mute and block take the same pair, §4.3).
        return {QJsonObject {{QStringLiteral("source"), wrapped(subject)},
                             {QStringLiteral("target"), wrapped(other)}},
                {}};
    case F::Spaces:
        return {QJsonObject {{QStringLiteral("user"), wrapped(subject)},
                             {QStringLiteral("broadcast_id"), QStringLiteral("1qxvvvyLLdnxB")},
                             {QStringLiteral("event_type"),
                              type.name == QLatin1String("spaces.end") ? QStringLiteral("spaces_end")
                                                                       : QStringLiteral("spaces_start")}},
                {}};
    case F::Broadcast:
        return broadcastEvent(type.name, subject, other, number, at);
    case F::Chat:
        return chatEvent(type.name, subject, other, number, at);
    case F::Dm:
        return dmEvent(type.name, subject, other, number, at);
    case F::News:
        return newsEvent(filter, number, at);
    case F::OAuth:
        return {QJsonObject {{QStringLiteral("date_time"),
                              at.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss+00:00"))},
                             {QStringLiteral("user_id"), subject.id},
                             {QStringLiteral("app_id"), appId}},
                {}};
    }
    return {};
}

} // namespace activity::sandbox
