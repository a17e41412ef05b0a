#pragma once

#include "ApiClient.h"
#include "ApiTypes.h"
#include "WebhookTimeline.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <memory>

namespace activity {

// The webhook watch of #17 for the console and `activity-cli webhooks watch`: polls each watched
// profile's webhook list at the interval the user sets (default 5 minutes, never faster than the
// list endpoint's documented rate limit allows, and waiting for the window to reset when X says it
// is used up), records every check in the WebhookTimeline, and reports each change of a webhook's
// `valid` once (the first sight of a webhook too, with no `before`). With automatic re-validation
// turned on for a webhook, an invalid one is re-validated (the CRC PUT) with a backoff of 1, 2,
// 4 ... up to 60 minutes, never more often than the validate endpoint's limit, and the list is read
// again after each attempt. Neither the timeline nor the clients are owned.
class WebhookWatch : public QObject
{
    Q_OBJECT
public:
    static constexpr std::chrono::seconds defaultInterval {300};

    explicit WebhookWatch(WebhookTimeline *timeline, QObject *parent = nullptr);
    ~WebhookWatch() override;

    // The shortest interval between two calls of `op` its documented limit allows (15 per 15
    // minutes: 60 s).
    static std::chrono::seconds minimumInterval(Operation op, ApiGeneration generation);

    // Polls now and then every `interval` (raised to minimumInterval()); replaces the profile's
    // watch. Returns the interval used.
    std::chrono::seconds watch(const QString &profile, ApiClient *client,
                               std::chrono::seconds interval = defaultInterval);
    void unwatch(const QString &profile);
    bool isWatching(const QString &profile) const { return m_watched.contains(profile); }
    // Polls a watched profile at once (the timer starts over).
    void pollNow(const QString &profile);

    void setAutoRevalidate(const QString &profile, const QString &webhookId, bool on);
    // Every webhook of the profile, those listed later included.
    void setAutoRevalidateAll(const QString &profile, bool on);
    bool autoRevalidates(const QString &profile, const QString &webhookId) const;

Q_SIGNALS:
    // Each change of a webhook's `valid` (its first sight too, with no `before`), and on the first
    // read of a watch every webhook once (`before` = the state recorded last, maybe the same).
    void transition(const activity::WebhookTimeline::Change &change);
    void polled(const QString &profile, const QList<activity::Webhook> &webhooks);
    void pollFailed(const QString &profile, const activity::ApiError &error);
    // One automatic re-validation: the PUT's answer (ok: X accepted it; `valid` comes with the
    // next poll), and when the next attempt is due if the webhook stays invalid.
    void revalidated(const QString &profile, const QString &webhookId, bool ok,
                     const activity::ApiError &error, const QDateTime &nextAttempt);

private:
    struct Revalidation
    {
        int attempts = 0;
        QDateTime notBefore; // UTC
        bool inFlight = false;
    };
    struct Watched
    {
        QPointer<ApiClient> client;
        std::unique_ptr<QTimer> timer;
        std::chrono::seconds interval {0};
        bool firstPoll = true;
        QPointer<QObject> call; // the poll in flight
        QHash<QString, Revalidation> revalidations; // by webhook id, for those turned on
    };

    void poll(const QString &profile);
    void handlePoll(const QString &profile, const Result<QList<Webhook>> &result);
    void revalidate(const QString &profile, const Webhook &webhook);
    void scheduleNext(Watched &watched, std::chrono::milliseconds delay);

    WebhookTimeline *m_timeline;
    QHash<QString, std::shared_ptr<Watched>> m_watched;
    QSet<QString> m_autoRevalidate; // "profile\nwebhook id"
    QSet<QString> m_autoRevalidateProfiles;
};

} // namespace activity
