#pragma once

#include "ApiClient.h"
#include "ApiTypes.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <optional>

namespace activity {

// Loads every page of GET /2/activity/subscriptions, one after another (each page's next_token
// asks for the next), the way the console's Activity subscriptions pane and `activity-cli activity
// list` both do it. Spec 2.167 sends no next_token at all, so one page is then everything there is.
// A next_token seen before ends the load with an error instead of looping for ever.
class ActivitySubscriptionLoader : public QObject
{
    Q_OBJECT
public:
    explicit ActivitySubscriptionLoader(QObject *parent = nullptr);

    // Starts from the first page, replacing a load still running (its answers are then dropped).
    // pageSize: 1 to 1000, or 0 for X's default.
    void start(ApiClient *client, int pageSize = 1000);
    void cancel();
    bool isRunning() const { return m_call != nullptr; }
    qint64 loaded() const { return m_loaded; }
    int pages() const { return m_pages; }

Q_SIGNALS:
    // `total`: the app's total subscriptions when X says it (meta.total_subscriptions).
    void pageLoaded(const QList<activity::ActivitySubscription> &page, qint64 loadedSoFar,
                    std::optional<qint64> total);
    void finished();
    // The pages that came before stay valid.
    void failed(const activity::ApiError &error);

private:
    void requestPage(const QString &token);

    QPointer<ApiClient> m_client;
    QPointer<QObject> m_call; // the context of the page in flight; deleting it drops its answer
    QSet<QString> m_seenTokens;
    int m_pageSize = 0;
    int m_pages = 0;
    qint64 m_loaded = 0;
};

} // namespace activity
