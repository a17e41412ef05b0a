#pragma once

#include "EventStore.h"

#include <QByteArray>
#include <QJsonObject>

// How a stored event is written out, the same for the console's export and `activity-cli events
// export|show|list --json`: one JSON object per event, one per line in JSON Lines.
namespace activity::eventexport {

// {"row", "event_id", "received_at" (ISO 8601 UTC with ms), "source", "event_type", "for_user_id",
// "filter", "tag", "signature", "duplicates", "headers", "forward" (when forwarded), and "body":
// the body as JSON when it parses, else "body_text" with the bytes as text}. withBody false: no
// body (lists).
QJsonObject toJson(const StoredEvent &event, bool withBody = true);
// toJson as compact JSON and a newline: one JSON Lines line, with the body's own bytes as "body"
// (X's key order kept) when it is JSON on one line.
QByteArray jsonLine(const StoredEvent &event);
// The body indented for reading (as it is when it is not JSON).
QString prettyBody(const QByteArray &body);
// "200 in 12 ms", "refused: ...", or empty when never forwarded.
QString forwardSummary(const StoredEvent &event);

} // namespace activity::eventexport
