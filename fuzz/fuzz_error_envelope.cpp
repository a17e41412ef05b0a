// libFuzzer target: errors::fromResponse, every error envelope (v1.1 errors[], v2 problems in
// errors[] or at the top level, bare {code,message}, HTML and text). The first two bytes pick the
// HTTP status (400..599) and the content type; the rest is the body.
#include "ErrorCatalogue.h"
#include "FuzzSupport.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const int status = 400 + (data[0] % 200);
    static const QByteArray contentTypes[] = {
        QByteArray(), QByteArrayLiteral("application/json; charset=utf-8"),
        QByteArrayLiteral("application/problem+json"), QByteArrayLiteral("text/html; charset=utf-8")};
    const QByteArray &contentType = contentTypes[data[1] % 4];
    const QByteArray body = bytes(data + 2, size - 2);

    const ApiError error = errors::fromResponse(status, body, contentType);
    FUZZ_CHECK(error.isError());
    FUZZ_CHECK(!error.cause.isEmpty());
    FUZZ_CHECK(!error.text().isEmpty());
    return 0;
}
