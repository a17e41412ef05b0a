// libFuzzer target: parse::validateResult, deleteResult and subscribedFlag: the small v2 data answers.
#include "FuzzSupport.h"
#include "Parsers.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = bytes(data, size);
    checkParsed(parse::validateResult(body));
    checkParsed(parse::deleteResult(body));
    checkParsed(parse::subscribedFlag(body));
    return 0;
}
