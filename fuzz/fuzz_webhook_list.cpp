// libFuzzer target: parse::webhookList: v1.1 array, v2 envelope, Premium environments.
#include "FuzzSupport.h"
#include "Parsers.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = bytes(data, size);
    const auto result = parse::webhookList(body);
    checkParsed(result);
    if (result.ok()) {
        for (const Webhook &webhook : result.value())
            FUZZ_CHECK(!webhook.id.isEmpty());
    }
    return 0;
}
