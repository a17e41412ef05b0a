// libFuzzer target: parse::subscriptionList: v1.1, v2 and Premium lists.
#include "FuzzSupport.h"
#include "Parsers.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = bytes(data, size);
    checkParsed(parse::subscriptionList(body));
    return 0;
}
