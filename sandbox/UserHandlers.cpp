// Users: v1.1 GET/POST users/lookup.json, v2 GET /2/users, GET /2/users/by and GET /2/users/me.

#include "UserHandlers.h"

namespace activity::sandbox {

UserHandlers::UserHandlers(const SandboxParts &parts)
    : HandlerGroup(parts)
{
}

void UserHandlers::registerRoutes()
{
    const Endpoint *v1Lookup = endpoints::find(Operation::UsersLookup, ApiGeneration::V1_1);
    m_router.addApi(Operation::UsersLookup, ApiGeneration::V1_1, AuthNeed::AppOrUser,
                    handler(&UserHandlers::lookupV1));
    // X takes the same lookup by POST (long id lists in a form body), drawing on the GET's pool; the
    // catalogue lists only the GET the console sends.
    m_router.addLocal("POST", Router::patternOf(v1Lookup->pathTemplate), RouteFamily::V1, AuthNeed::AppOrUser,
                      handler(&UserHandlers::lookupV1), v1Lookup->rateLimitKey);
    m_router.addApi(Operation::UsersLookup, ApiGeneration::V2, AuthNeed::AppOrUser,
                    handler(&UserHandlers::lookupV2));
    m_router.addApi(Operation::UsersByUsername, ApiGeneration::V2, AuthNeed::AppOrUser,
                    handler(&UserHandlers::lookupByUsername));
    // The catalogue lists users/me for both generations (it tells whose OAuth 2.0 sign-in a token
    // is); it is a v2 endpoint, so it refuses in v2's envelope.
    Route &me = m_router.addApi(Operation::CurrentUser, ApiGeneration::V2, AuthNeed::UserOnly,
                                handler(&UserHandlers::me));
    me.family = RouteFamily::V2;
}

namespace {

QStringList splitIds(const QByteArray &value)
{
    QStringList ids;
    const auto parts = QString::fromUtf8(value).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &part : parts)
        ids.append(part.trimmed());
    return ids;
}

// v2's partial error for one id or name nobody has.
QJsonObject notFound(const QString &value, const QString &parameter)
{
    return QJsonObject {
        {QStringLiteral("value"), value},
        {QStringLiteral("detail"),
         QStringLiteral("Could not find user with %1: [%2].").arg(parameter, value)},
        {QStringLiteral("title"), QStringLiteral("Not Found Error")},
        {QStringLiteral("resource_type"), QStringLiteral("user")},
        {QStringLiteral("parameter"), parameter},
        {QStringLiteral("resource_id"), value},
        {QStringLiteral("type"), QStringLiteral("https://api.x.com/2/problems/resource-not-found")}};
}

// v2's answer: the users found under "data" and the rest under "errors", each only when not empty.
QJsonObject usersBody(const QJsonArray &data, const QJsonArray &errors)
{
    QJsonObject body;
    if (!data.isEmpty())
        body.insert(QStringLiteral("data"), data);
    if (!errors.isEmpty())
        body.insert(QStringLiteral("errors"), errors);
    return body;
}

} // namespace

void UserHandlers::lookupV1(const ExchangePtr &ex)
{
    const QStringList ids = splitIds(ex->param("user_id"));
    const QStringList names = splitIds(ex->param("screen_name"));
    QJsonArray users;
    for (const User &user : std::as_const(m_world.users)) {
        if (!ids.contains(user.id) && !names.contains(user.username, Qt::CaseInsensitive))
            continue;
        users.append(QJsonObject {
            {QStringLiteral("id_str"), user.id},
            {QStringLiteral("screen_name"), user.username},
            {QStringLiteral("name"), user.name},
            {QStringLiteral("profile_image_url_https"),
             QStringLiteral(
                 "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png")}});
    }
    if (users.isEmpty()) {
        answer(ex, v1Error(404, 17, QStringLiteral("No user matches for specified terms.")));
        return;
    }
    answer(ex, jsonReply(200, QJsonDocument(users)));
}

void UserHandlers::lookupV2(const ExchangePtr &ex)
{
    const QStringList ids = splitIds(ex->queryValue(QStringLiteral("ids")).toUtf8());
    static const QRegularExpression idPattern(QStringLiteral("^[0-9]{1,19}$"));
    bool wellFormed = !ids.isEmpty() && ids.size() <= 100;
    for (const QString &id : ids)
        wellFormed = wellFormed && idPattern.match(id).hasMatch();
    if (!wellFormed) {
        Reply reply =
            v2Error(400, QStringLiteral("Invalid Request"),
                    QStringLiteral("The `ids` query parameter must hold 1 to 100 numeric user ids."));
        answer(ex, reply);
        return;
    }
    QJsonArray data;
    QJsonArray errors;
    for (const QString &id : ids) {
        const auto it = m_world.users.constFind(id);
        if (it == m_world.users.cend()) {
            errors.append(notFound(id, QStringLiteral("ids")));
            continue;
        }
        data.append(QJsonObject {{QStringLiteral("id"), it->id},
                                 {QStringLiteral("name"), it->name},
                                 {QStringLiteral("username"), it->username}});
    }
    answer(ex, jsonReply(200, usersBody(data, errors)));
}

void UserHandlers::lookupByUsername(const ExchangePtr &ex)
{
    const QStringList names = splitIds(ex->queryValue(QStringLiteral("usernames")).toUtf8());
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z0-9_]{1,15}$"));
    bool wellFormed = !names.isEmpty() && names.size() <= 100;
    for (const QString &name : names)
        wellFormed = wellFormed && namePattern.match(name).hasMatch();
    if (!wellFormed) {
        answer(ex,
               v2Error(400, QStringLiteral("Invalid Request"),
                       QStringLiteral("The `usernames` query parameter must hold 1 to 100 usernames.")));
        return;
    }
    QJsonArray data;
    QJsonArray errors;
    for (const QString &name : names) {
        const User *found = nullptr;
        for (const User &user : std::as_const(m_world.users)) {
            if (user.username.compare(name, Qt::CaseInsensitive) == 0) {
                found = &user;
                break;
            }
        }
        if (!found) {
            errors.append(notFound(name, QStringLiteral("usernames")));
            continue;
        }
        data.append(QJsonObject {{QStringLiteral("id"), found->id},
                                 {QStringLiteral("name"), found->name},
                                 {QStringLiteral("username"), found->username}});
    }
    answer(ex, jsonReply(200, usersBody(data, errors)));
}

void UserHandlers::me(const ExchangePtr &ex)
{
    // user.fields asks for id,name,username, which are always sent.
    const auto it = m_world.users.constFind(ex->userId);
    if (it == m_world.users.cend()) {
        answer(ex, v2Unauthorized());
        return;
    }
    answer(ex,
           dataReply(QJsonObject {{QStringLiteral("id"), it->id},
                                  {QStringLiteral("name"), it->name},
                                  {QStringLiteral("username"), it->username}}));
}

} // namespace activity::sandbox
