// libFuzzer target: parse::event: a delivered webhook event body (one event key, for_user_id).
#include "FuzzSupport.h"
#include "Parsers.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = bytes(data, size);
    const auto result = parse::event(body);
    checkParsed(result);
    if (result.ok()) {
        const DeliveredEvent &event = result.value();
        FUZZ_CHECK(!event.key.isEmpty());
        if (event.key == QLatin1String("replay_job_status"))
            FUZZ_CHECK(!event.replayJobId.isEmpty());
        else if (event.key != QLatin1String("user_event"))
            FUZZ_CHECK(!event.forUserId.isEmpty());
    }
    return 0;
}
