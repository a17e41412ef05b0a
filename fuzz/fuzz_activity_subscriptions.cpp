// libFuzzer target: the X Activity API answers (x-api-2026.md §4.2, §4.4): create/update, list,
// delete one and bulk delete, in every documented shape.
#include "ActivityEventTypes.h"
#include "FuzzSupport.h"
#include "Parsers.h"

using namespace activity;
using namespace activity::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = bytes(data, size);
    const auto change = parse::activitySubscriptionChange(body);
    checkParsed(change);
    if (change.ok()) {
        FUZZ_CHECK(!change.value().subscription.id.isEmpty());
        FUZZ_CHECK(!change.value().subscription.eventType.isEmpty());
        // A known spelling always comes back as the current name.
        const QString canonical = xaa::canonicalEventType(change.value().subscription.eventType);
        FUZZ_CHECK(canonical.isEmpty() || canonical == change.value().subscription.eventType);
    }
    const auto page = parse::activitySubscriptionPage(body);
    checkParsed(page);
    if (page.ok()) {
        for (const ActivitySubscription &subscription : page.value().subscriptions)
            FUZZ_CHECK(!subscription.id.isEmpty());
    }
    checkParsed(parse::activitySubscriptionDeleted(body));
    const QStringList requested {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")};
    const auto bulk = parse::activitySubscriptionsDeleted(body, requested);
    checkParsed(bulk);
    return 0;
}
