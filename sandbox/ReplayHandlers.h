#pragma once

#include "HandlerGroup.h"

namespace activity::sandbox {

// Replay: v1.1 POST .../replay/webhooks/{id}/subscriptions/all.json, v2 POST /2/webhooks/replay,
// the retired v2 account-activity replay path, and running the jobs they start.
class ReplayHandlers : public HandlerGroup
{
public:
    explicit ReplayHandlers(const SandboxParts &parts);
    void registerRoutes() override;

private:
    void replayAccountActivity(const ExchangePtr &ex);
    void replayWebhooks(const ExchangePtr &ex);
    void retiredReplay(const ExchangePtr &ex);
    // Re-sends the events delivered to the webhook in [from, to), oldest first, then posts the
    // replay_job_status and reports the job finished.
    void run(const QString &jobId, const QString &webhookId, const QDateTime &from, const QDateTime &to);
};

} // namespace activity::sandbox
