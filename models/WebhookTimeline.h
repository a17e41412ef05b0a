#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace activity {

// A webhook's `valid` as seen at a time.
struct WebhookValidity
{
    QString profile;
    QString webhookId;
    QString url;
    bool valid = false;
    qint64 atMs = 0; // UTC ms
};

// What the watch knows of one webhook: its state, since when, and when it was last seen valid.
struct WebhookHealth
{
    QString profile;
    QString webhookId;
    QString url;
    bool valid = false;
    qint64 sinceMs = 0; // the last change of `valid` (or the first time it was seen)
    qint64 lastCheckedMs = 0;
    qint64 lastSeenValidMs = 0; // 0: never seen valid
};

// The webhook watch's record (#17): every change of a webhook's `valid` with its time, and each
// webhook's last check, in a SQLite file of its own next to the history (health.sqlite), shared by
// the console and `activity-cli webhooks watch` like the history is. The replay planner reads the
// invalid periods from here. Writes are a row per poll at most, on the calling thread.
class WebhookTimeline
{
public:
    // An empty path: defaultPath().
    explicit WebhookTimeline(const QString &path = {});
    ~WebhookTimeline();
    WebhookTimeline(const WebhookTimeline &) = delete;
    WebhookTimeline &operator=(const WebhookTimeline &) = delete;

    static QString defaultPath();
    QString path() const { return m_path; }
    bool isOpen() const { return m_open; }
    QString lastError() const { return m_lastError; }

    // Records a check. Returns the change it makes: the webhook's first record, or `valid` other
    // than the last one recorded (the previous state is `before`). nullopt: no change, or it could
    // not be written (lastError()).
    struct Change
    {
        std::optional<bool> before; // nullopt: never seen before
        WebhookValidity now;
    };
    std::optional<Change> record(const WebhookValidity &seen);

    std::optional<WebhookHealth> health(const QString &profile, const QString &webhookId) const;
    QList<WebhookHealth> healthOf(const QString &profile) const; // every webhook of the profile seen
    // The changes of one webhook from sinceMs on (0: all), oldest first.
    QList<WebhookValidity> changes(const QString &profile, const QString &webhookId,
                                   qint64 sinceMs = 0) const;

private:
    QString m_path;
    QString m_connection;
    bool m_open = false;
    mutable QString m_lastError;
};

} // namespace activity
