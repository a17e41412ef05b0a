#include "UserCache.h"

namespace activity {

void UserCache::insert(const UserInfo &user)
{
    if (user.id.isEmpty())
        return;
    m_users.insert(user.id, user);
    m_notFound.remove(user.id);
}

void UserCache::insert(const QList<UserInfo> &users)
{
    for (const UserInfo &user : users)
        insert(user);
}

void UserCache::markNotFound(const QStringList &ids)
{
    for (const QString &id : ids) {
        if (!m_users.contains(id))
            m_notFound.insert(id);
    }
}

std::optional<UserInfo> UserCache::findByUsername(const QString &username) const
{
    if (username.isEmpty())
        return std::nullopt;
    for (const UserInfo &user : m_users) {
        if (user.username.compare(username, Qt::CaseInsensitive) == 0)
            return user;
    }
    return std::nullopt;
}

std::optional<UserInfo> UserCache::value(const QString &id) const
{
    const auto it = m_users.constFind(id);
    if (it == m_users.constEnd())
        return std::nullopt;
    return *it;
}

QList<UserInfo> UserCache::users(const QStringList &ids) const
{
    QList<UserInfo> found;
    for (const QString &id : ids) {
        const auto it = m_users.constFind(id);
        if (it != m_users.constEnd())
            found.append(*it);
    }
    return found;
}

QStringList UserCache::missing(const QStringList &ids) const
{
    QStringList result;
    QSet<QString> seen;
    for (const QString &id : ids) {
        if (m_users.contains(id) || m_notFound.contains(id) || seen.contains(id))
            continue;
        seen.insert(id);
        result.append(id);
    }
    return result;
}

void UserCache::clear()
{
    m_users.clear();
    m_notFound.clear();
}

} // namespace activity
