// libFuzzer target: parse::users: v1.1 users/lookup array, v2 data and errors.
#include "FuzzSupport.h"
#include "Parsers.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = bytes(data, size);
    checkParsed(parse::users(body));
    return 0;
}
