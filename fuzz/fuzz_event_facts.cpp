// libFuzzer target: the event store's one-pass X Activity reader against QJsonDocument's. Wherever
// the reader answers, its facts are QJsonDocument's (EventFactsReader.h).
#include "EventFactsReader.h"
#include "FuzzSupport.h"

using namespace activity;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = fuzz::bytes(data, size);
    const std::optional<EventFacts> quick = eventfacts::readXaaEnvelope(body);
    if (!quick)
        return 0;
    const EventFacts reference = eventfacts::readWithJsonDocument(body);
    FUZZ_CHECK(quick->eventId == reference.eventId);
    FUZZ_CHECK(quick->eventType == reference.eventType);
    FUZZ_CHECK(quick->forUserId == reference.forUserId);
    FUZZ_CHECK(quick->filter == reference.filter);
    FUZZ_CHECK(quick->tag == reference.tag);
    return 0;
}
