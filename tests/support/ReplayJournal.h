#pragma once

// What the sandbox's journal says about v2 replays: how many reached POST /2/webhooks/replay, and
// whether anything reached the path X retired on 2026-03-25. Shared by the client, CLI and console tests.

#include "Journal.h"

namespace activity::testing {

struct ReplayTraffic
{
    int current = 0; // POST /2/webhooks/replay
    int retired = 0; // anything under /2/account_activity/replay
};

inline ReplayTraffic replayTraffic(const sandbox::Journal &journal)
{
    ReplayTraffic traffic;
    for (const sandbox::JournalEntry &entry : journal.entries()) {
        if (entry.path.startsWith(QLatin1String("/2/account_activity/replay")))
            ++traffic.retired;
        else if (entry.method == "POST" && entry.path == QLatin1String("/2/webhooks/replay"))
            ++traffic.current;
    }
    return traffic;
}

} // namespace activity::testing
