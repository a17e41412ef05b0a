// libFuzzer target: parse::requestToken and parse::accessToken: the form-encoded OAuth 1.0a token answers.
#include "FuzzSupport.h"
#include "Parsers.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = bytes(data, size);
    const auto request = parse::requestToken(body);
    checkParsed(request);
    if (request.ok())
        FUZZ_CHECK(!request.value().token.isEmpty() && request.value().callbackConfirmed);
    const auto access = parse::accessToken(body);
    checkParsed(access);
    if (access.ok())
        FUZZ_CHECK(!access.value().token.isEmpty());
    return 0;
}
