// libFuzzer target: oauth1::parseFormEncoded (token answers, form bodies the sandbox reads) and the
// percent-encoding under it: decoding what was encoded gives the input back, and a parsed form
// survives formEncode -> parseFormEncoded unchanged.
#include "FuzzSupport.h"
#include "OAuth1.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = bytes(data, size);

    FUZZ_CHECK(oauth1::percentDecode(oauth1::percentEncode(input), false) == input);
    FUZZ_CHECK(oauth1::percentDecode(oauth1::percentEncode(input), true) == input);
    (void)oauth1::percentDecode(input, true);

    const oauth1::ParamList params = oauth1::parseFormEncoded(input);
    FUZZ_CHECK(oauth1::parseFormEncoded(oauth1::formEncode(params)) == params);
    (void)oauth1::normalizedParameters(params);
    return 0;
}
