// libFuzzer target: parse::replayJob: job_id in data, in replay_event or at the top level.
#include "FuzzSupport.h"
#include "Parsers.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = bytes(data, size);
    const auto result = parse::replayJob(body);
    checkParsed(result);
    if (result.ok())
        FUZZ_CHECK(!result.value().jobId.isEmpty());
    return 0;
}
