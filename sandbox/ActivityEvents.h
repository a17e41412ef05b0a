#pragma once

// Internal to the sandbox library: synthetic X Activity API events, the payload shapes of
// x-api-2026.md §4.3/§4.6 for every event type.

#include "ActivityEventTypes.h"
#include "ApiTypes.h"

#include <QDateTime>
#include <QJsonObject>

namespace activity::sandbox {

// Someone an event is about: the filter's user, and the other party of a like, follow, DM, ...
struct EventPerson
{
    QString id;
    QString username;
    QString name;
};

struct GeneratedActivityEvent
{
    QJsonObject payload;
    QJsonObject includes; // empty: the envelope has none
};

// A plausible event of `type` for `subject` (the filter's user), `other` acting with them where the
// type has a second party; `number` makes ids unique, `at` is when it happened.
GeneratedActivityEvent generateActivityEvent(const xaa::EventType &type, const ActivityFilter &filter,
                                             const EventPerson &subject, const EventPerson &other,
                                             const QString &appId, qint64 number, const QDateTime &at);

} // namespace activity::sandbox
