#pragma once

#include "ApiTypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace activity::sandbox {

// One request the sandbox answered (or dropped). Never holds a secret: no Authorization value, no
// token secret, no signature; the query has oauth_token/oauth_verifier/crc_token values redacted.
struct JournalEntry
{
    QDateTime at; // sandbox clock, UTC
    QByteArray method;
    QString path;
    QString query; // redacted, percent-encoded as received
    QString endpointKey; // the catalogue's rate-limit key ("v1.1/webhooks.list"); empty for unrated routes
    CredentialKind credential = CredentialKind::None; // what was presented
    bool credentialVerified = false;
    int status = 0; // 0 = the connection was dropped without an answer (fault injection)
    int errorCode = 0; // v1.1 error code, 0 if none
    QString errorName; // v2 problem name (e.g. "DuplicateUrlFailed"), empty if none
    QString fault; // the injected fault, empty if none
};

// The requests, in arrival order of their answers: the newest `capacity()` of them, so that a
// sandbox left running does not grow without end.
class Journal
{
public:
    static constexpr qsizetype defaultCapacity = 10000;

    const QList<JournalEntry> &entries() const { return m_entries; }
    qsizetype size() const { return m_entries.size(); }
    bool isEmpty() const { return m_entries.isEmpty(); }
    const JournalEntry &last() const { return m_entries.last(); }
    // Entries whose path equals `path` (method empty = any).
    QList<JournalEntry> forPath(const QString &path, const QByteArray &method = {}) const;
    void append(const JournalEntry &entry);
    void clear() { m_entries.clear(); }
    qsizetype capacity() const { return m_capacity; }
    // At least 1; the oldest entries beyond it go at once.
    void setCapacity(qsizetype capacity);

private:
    QList<JournalEntry> m_entries;
    qsizetype m_capacity = defaultCapacity;
};

} // namespace activity::sandbox
