// libFuzzer target: parse::webhook: one webhook, with or without the v2 data wrapper.
#include "FuzzSupport.h"
#include "Parsers.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = bytes(data, size);
    const auto result = parse::webhook(body);
    checkParsed(result);
    if (result.ok())
        FUZZ_CHECK(!result.value().id.isEmpty());
    return 0;
}
