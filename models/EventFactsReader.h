#pragma once

#include "EventFacts.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

// The two ways EventStore::describe() reads an event's facts from its body.
namespace activity::eventfacts {

// Through QJsonDocument: every shape (X Activity, Account Activity, anything else).
EventFacts readWithJsonDocument(const QByteArray &body);

// One pass over an X Activity envelope (x-api-2026.md §4.6) without building a document: the
// receiver reads one per delivery, and QJsonDocument's tree cost as much as the HMAC. Gives up
// (nullopt) wherever its answer could differ from readWithJsonDocument's: not an object with a
// non-empty "data" object, a member it reads given twice or escaped, an event_uuid that is not a
// string, a filter with anything but plain string values or ASCII keys, and any JSON it does not
// accept in full (it is stricter than Qt: control characters, exponents, noncharacters, deep
// nesting). Otherwise the same facts, to the byte (tst_eventfacts, fuzz_event_facts).
std::optional<EventFacts> readXaaEnvelope(QByteArrayView body);

} // namespace activity::eventfacts
