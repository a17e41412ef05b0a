// libFuzzer target: oauth1::parseAuthorizationHeader (what the sandbox reads from every signed
// request). What it accepts must survive a round trip through buildAuthorizationHeader.
#include "FuzzSupport.h"
#include "OAuth1.h"

#include <algorithm>

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray header = bytes(data, size);
    const std::optional<oauth1::ParamList> params = oauth1::parseAuthorizationHeader(header);
    if (!params)
        return 0;
    oauth1::ParamList sorted = *params;
    std::sort(sorted.begin(), sorted.end());
    const std::optional<oauth1::ParamList> again =
        oauth1::parseAuthorizationHeader(oauth1::buildAuthorizationHeader(*params));
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == sorted);
    return 0;
}
