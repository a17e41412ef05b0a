#pragma once

#include "HandlerGroup.h"

namespace activity::sandbox {

// Webhooks, v1.1 and v2: list, register, validate, delete.
class WebhookHandlers : public HandlerGroup
{
public:
    explicit WebhookHandlers(const SandboxParts &parts);
    void registerRoutes() override;

private:
    void list(const ExchangePtr &ex);
    void registerWebhook(const ExchangePtr &ex);
    void validate(const ExchangePtr &ex);
    void remove(const ExchangePtr &ex);
};

} // namespace activity::sandbox
