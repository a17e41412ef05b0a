#pragma once

#include <QString>

namespace activity {

// What identifies an event and how it reads, from its body alone.
struct EventFacts
{
    // X Activity (§4.6): data.event_uuid. Account Activity (§3.4): "aaa:KEY:FOR_USER_ID:IDS" with
    // the array key and its elements' id_str/id (or a SHA-256 of each element without one, as
    // compact JSON with sorted keys), so each subscribed user's copy is an event of its own. Else
    // "sha256:HEX" of the body.
    QString eventId;
    QString eventType; // data.event_type, or the AAA array key (e.g. "favorite_events")
    QString forUserId; // the AAA for_user_id, or the XAA filter's user_id
    QString filter;
    QString tag;
};

} // namespace activity
