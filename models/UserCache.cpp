#include "UserCache.h"

namespace activity {

void UserCache::insert(const UserInfo &user)
{
    if (user.id.isEmpty())
        return;
    const auto known = m_users.constFind(user.id);
    if (known != m_users.constEnd() && !known->username.isEmpty() &&
        known->username.compare(user.username, Qt::CaseInsensitive) != 0) {
        // Renamed: the old name no longer leads here (unless it already leads to someone else).
        const QString oldKey = known->username.toLower();
        if (m_idByUsername.value(oldKey) == user.id)
            m_idByUsername.remove(oldKey);
    }
    if (!user.username.isEmpty())
        m_idByUsername.insert(user.username.toLower(), user.id);
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
    const auto id = m_idByUsername.constFind(username.toLower());
    if (id == m_idByUsername.constEnd())
        return std::nullopt;
    return value(*id);
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
    m_idByUsername.clear();
    m_notFound.clear();
}

} // namespace activity
