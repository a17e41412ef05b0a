#pragma once

#include "ApiTypes.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <optional>

namespace activity {

// What the user lookups of one profile have found so far, shared by all of its webhooks so that
// switching webhooks does not look the same users up again. Ids the server did not return
// (suspended, deleted) are remembered too, so they are not asked for over and over.
class UserCache
{
public:
    void insert(const UserInfo &user);
    void insert(const QList<UserInfo> &users);
    // The ids of a lookup that the answer left out.
    void markNotFound(const QStringList &ids);

    std::optional<UserInfo> value(const QString &id) const;
    // The user known by this username (without @, any case), through an index kept on insert: a
    // typed name is found at once among hundreds of thousands (#17's search).
    std::optional<UserInfo> findByUsername(const QString &username) const;
    bool contains(const QString &id) const { return m_users.contains(id); }
    bool isNotFound(const QString &id) const { return m_notFound.contains(id); }
    // Users known for these ids, in the order of `ids`; unknown ids are skipped.
    QList<UserInfo> users(const QStringList &ids) const;
    // The ids still to look up: neither known nor known to be missing; duplicates removed, order kept.
    QStringList missing(const QStringList &ids) const;

    qsizetype size() const { return m_users.size(); }
    void clear();

private:
    QHash<QString, UserInfo> m_users;
    QHash<QString, QString> m_idByUsername; // lower-case username -> id
    QSet<QString> m_notFound;
};

} // namespace activity
