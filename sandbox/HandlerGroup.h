#pragma once

// Internal to the sandbox library: the base of every handler group. A handler group serves one
// resource (webhooks, subscriptions, replay, ...): it adds its routes to the router and works on
// the world state. A new part of the API is a new group, listed in SandboxServer's constructor.

#include "Courier.h"
#include "Exchange.h"
#include "Router.h"
#include "World.h"

namespace activity::sandbox {

// What a handler group works with.
struct SandboxParts
{
    World &world;
    Router &router;
    Courier &courier;
};

class HandlerGroup
{
public:
    explicit HandlerGroup(const SandboxParts &parts)
        : m_world(parts.world)
        , m_router(parts.router)
        , m_courier(parts.courier)
    {
    }
    virtual ~HandlerGroup() = default;
    HandlerGroup(const HandlerGroup &) = delete;
    HandlerGroup &operator=(const HandlerGroup &) = delete;

    // Adds the group's routes to the router; called once, groups in the order they were created.
    virtual void registerRoutes() = 0;

protected:
    // A route handler calling `method` of this group.
    template<typename Group> Route::Handler handler(void (Group::*method)(const ExchangePtr &))
    {
        return [group = static_cast<Group *>(this), method](const ExchangePtr &ex) { (group->*method)(ex); };
    }

    void answer(const ExchangePtr &ex, Reply reply) { m_router.finish(ex, std::move(reply)); }

    // The webhook `id` of the caller's app, or nullptr after answering "unknown webhook" in the
    // route's family's shape.
    WebhookRecord *ownWebhook(const ExchangePtr &ex, const QString &id)
    {
        const auto it = m_world.webhooks.find(id);
        if (it != m_world.webhooks.end() && it->second.appId == ex->appId)
            return &it->second;
        answer(ex,
               ex->isV2() ? v2Error(404, QStringLiteral("WebhookIdInvalid"),
                                    QStringLiteral("The webhook id ") + id +
                                        QStringLiteral(" does not exist for this app."))
                          : v1Error(404, 34,
                                    QStringLiteral("Webhook does not exist or is associated with a "
                                                   "different twitter application.")));
        return nullptr;
    }

    World &m_world;
    Router &m_router;
    Courier &m_courier;
};

} // namespace activity::sandbox
