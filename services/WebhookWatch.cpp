#include "WebhookWatch.h"

#include "EndpointCatalogue.h"
#include "RateLimits.h"

#include <QDateTime>

#include <algorithm>
#include <utility>

namespace activity {

namespace {

constexpr std::chrono::minutes firstRevalidationBackoff {1};
constexpr std::chrono::minutes longestRevalidationBackoff {60};

QString key(const QString &profile, const QString &webhookId)
{
    return profile + QLatin1Char('\n') + webhookId;
}

} // namespace

WebhookWatch::WebhookWatch(WebhookTimeline *timeline, QObject *parent)
    : QObject(parent)
    , m_timeline(timeline)
{
}

WebhookWatch::~WebhookWatch() = default;

std::chrono::seconds WebhookWatch::minimumInterval(Operation op, ApiGeneration generation)
{
    const Endpoint *endpoint = endpoints::find(op, generation);
    if (!endpoint || endpoint->documentedLimitPer15Min <= 0)
        return std::chrono::seconds(60);
    // Rounded up: 450 per 15 minutes is one call per 2 s.
    return std::chrono::seconds((15 * 60 + endpoint->documentedLimitPer15Min - 1) /
                                endpoint->documentedLimitPer15Min);
}

std::chrono::seconds WebhookWatch::watch(const QString &profile, ApiClient *client,
                                         std::chrono::seconds interval)
{
    unwatch(profile);
    auto watched = std::make_shared<Watched>();
    watched->client = client;
    watched->interval =
        std::max(interval, minimumInterval(Operation::ListWebhooks, client->config().generation));
    watched->timer = std::make_unique<QTimer>();
    watched->timer->setSingleShot(true);
    connect(watched->timer.get(), &QTimer::timeout, this, [this, profile] { poll(profile); });
    m_watched.insert(profile, watched);
    poll(profile);
    return watched->interval;
}

void WebhookWatch::unwatch(const QString &profile)
{
    if (const std::shared_ptr<Watched> watched = m_watched.take(profile))
        delete watched->call.data(); // its answer is dropped
}

void WebhookWatch::pollNow(const QString &profile)
{
    if (m_watched.contains(profile))
        poll(profile);
}

void WebhookWatch::setAutoRevalidate(const QString &profile, const QString &webhookId, bool on)
{
    if (on)
        m_autoRevalidate.insert(key(profile, webhookId));
    else
        m_autoRevalidate.remove(key(profile, webhookId));
    if (const std::shared_ptr<Watched> watched = m_watched.value(profile); watched && !on)
        watched->revalidations.remove(webhookId);
}

void WebhookWatch::setAutoRevalidateAll(const QString &profile, bool on)
{
    if (on)
        m_autoRevalidateProfiles.insert(profile);
    else
        m_autoRevalidateProfiles.remove(profile);
}

bool WebhookWatch::autoRevalidates(const QString &profile, const QString &webhookId) const
{
    return m_autoRevalidateProfiles.contains(profile) || m_autoRevalidate.contains(key(profile, webhookId));
}

void WebhookWatch::scheduleNext(Watched &watched, std::chrono::milliseconds delay)
{
    watched.timer->start(std::max(delay, std::chrono::milliseconds(0)));
}

void WebhookWatch::poll(const QString &profile)
{
    const std::shared_ptr<Watched> watched = m_watched.value(profile);
    if (!watched || !watched->client || watched->call)
        return;
    watched->timer->stop();
    // X said the window is used up (another program, the console's own calls): wait for its reset.
    const RateLimitState limit = watched->client->rateLimits()->state(Operation::ListWebhooks);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (limit.exhausted(now))
        return scheduleNext(*watched, std::chrono::milliseconds(now.msecsTo(limit.resetUtc) + 1000));
    auto *context = new QObject(this);
    watched->call = context;
    watched->client->listWebhooks(context, [this, profile, context](const Result<QList<Webhook>> &result) {
        context->deleteLater();
        if (const std::shared_ptr<Watched> current = m_watched.value(profile))
            current->call.clear(); // a poll may start again at once (after a re-validation)
        handlePoll(profile, result);
    });
}

void WebhookWatch::handlePoll(const QString &profile, const Result<QList<Webhook>> &result)
{
    const std::shared_ptr<Watched> watched = m_watched.value(profile);
    if (!watched)
        return;
    std::chrono::milliseconds next = watched->interval;
    if (!result) {
        const ApiError &error = result.error();
        if (error.kind == ApiError::Kind::RateLimited && error.retryAt.isValid())
            next = std::max(
                next,
                std::chrono::milliseconds(QDateTime::currentDateTimeUtc().msecsTo(error.retryAt) + 1000));
        scheduleNext(*watched, next);
        return Q_EMIT pollFailed(profile, error);
    }
    scheduleNext(*watched, next);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool firstPoll = std::exchange(watched->firstPoll, false);
    for (const Webhook &webhook : result.value()) {
        const WebhookValidity seen {profile, webhook.id, webhook.url, webhook.valid, now};
        const std::optional<WebhookHealth> known =
            firstPoll && m_timeline ? m_timeline->health(profile, webhook.id) : std::nullopt;
        std::optional<WebhookTimeline::Change> change =
            m_timeline ? m_timeline->record(seen) : std::optional<WebhookTimeline::Change>();
        // The first read of a watch shows every webhook, unchanged ones with their recorded state.
        if (!change && firstPoll)
            change = WebhookTimeline::Change {known ? std::optional<bool>(known->valid) : std::nullopt, seen};
        if (change)
            Q_EMIT transition(*change);
        if (webhook.valid)
            watched->revalidations.remove(webhook.id); // restored: the backoff starts over next time
        else if (autoRevalidates(profile, webhook.id))
            revalidate(profile, webhook);
    }
    Q_EMIT polled(profile, result.value());
}

void WebhookWatch::revalidate(const QString &profile, const Webhook &webhook)
{
    const std::shared_ptr<Watched> watched = m_watched.value(profile);
    if (!watched || !watched->client)
        return;
    Revalidation &state = watched->revalidations[webhook.id];
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (state.inFlight || (state.notBefore.isValid() && now < state.notBefore))
        return;
    // 1, 2, 4 ... 60 minutes between attempts, and never closer than the endpoint's limit allows.
    const std::chrono::seconds backoff = std::max(
        std::chrono::duration_cast<std::chrono::seconds>(std::min<std::chrono::minutes>(
            firstRevalidationBackoff * (1 << std::min(state.attempts, 6)), longestRevalidationBackoff)),
        minimumInterval(Operation::ValidateWebhook, watched->client->config().generation));
    ++state.attempts;
    state.inFlight = true;
    state.notBefore = now.addSecs(backoff.count());
    const QString webhookId = webhook.id;
    const QDateTime nextAttempt = state.notBefore;
    watched->client->validateWebhook(
        webhookId, this, [this, profile, webhookId, nextAttempt](const Result<bool> &result) {
            const std::shared_ptr<Watched> current = m_watched.value(profile);
            if (current && current->revalidations.contains(webhookId))
                current->revalidations[webhookId].inFlight = false;
            Q_EMIT revalidated(profile, webhookId, bool(result), result ? ApiError() : result.error(),
                               nextAttempt);
            // Read `valid` back.
            if (current)
                poll(profile);
        });
}

} // namespace activity
