// libFuzzer target: oauth2::parseTokenResponse, the /2/oauth2/token answer (code exchange and
// refresh), and the RFC 6749 error bodies the error catalogue reads from the same endpoint.
#include "ErrorCatalogue.h"
#include "FuzzSupport.h"
#include "OAuth2.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = bytes(data, size);
    const QDateTime now(QDate(2026, 11, 30), QTime(12, 0), Qt::UTC);
    const auto result = oauth2::parseTokenResponse(body, now, {QStringLiteral("tweet.read")});
    checkParsed(result);
    if (result.ok()) {
        FUZZ_CHECK(!result.value().accessToken.isEmpty());
        // An expiry is in the future or absent, never in the past.
        FUZZ_CHECK(!result.value().expiresAt.isValid() || result.value().expiresAt > now);
        FUZZ_CHECK(!result.value().scopes.isEmpty());
    }
    const ApiError error = errors::fromResponse(400, body, "application/json");
    FUZZ_CHECK(error.isError());
    FUZZ_CHECK(!error.cause.isEmpty());
    return 0;
}
