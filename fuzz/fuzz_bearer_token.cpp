// libFuzzer target: parse::bearerToken: the oauth2/token answer.
#include "FuzzSupport.h"
#include "Parsers.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = bytes(data, size);
    const auto result = parse::bearerToken(body);
    checkParsed(result);
    if (result.ok())
        FUZZ_CHECK(!result.value().isEmpty());
    return 0;
}
