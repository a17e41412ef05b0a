#pragma once

#include "ApiClient.h"
#include "ApiTypes.h"
#include "SubscriberDirectory.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace activity {

// What a search names: a user id as typed, or a username to resolve ("@name" or "name").
struct SubscriberQuery
{
    QString userId;
    QString username; // without the @

    // Digits are an id; a name of 1 to 15 letters, digits and underscores (an optional @ first)
    // is a username; anything else is not a user (nullopt).
    static std::optional<SubscriberQuery> parse(const QString &text);
};

// The subscriber search of #17 for the console and `activity-cli subscriptions find`: refreshes a
// profile's lists (its webhooks, then each webhook's subscribers, one call at a time, as the rate
// limits allow) into a SubscriberDirectory, and resolves a username to its id, so the question
// "is @someone subscribed, and to which webhook of which profile" is a lookup in the directory.
// Neither the directory nor the client is owned.
class SubscriberSearch : public QObject
{
    Q_OBJECT
public:
    explicit SubscriberSearch(SubscriberDirectory *directory, QObject *parent = nullptr);

    // Lists the webhooks of `profile` through `client` and then the subscribers of each; a refresh
    // running is dropped. webhookRefreshed() per webhook, then refreshed() (or failed() when the
    // webhooks could not be listed; a webhook whose list fails reports webhookFailed() and the
    // others go on).
    void refresh(const QString &profile, ApiClient *client);
    bool isRefreshing() const { return !m_pending.isEmpty() || m_call; }

    // The id of a query: at once for an id, else a users-by-username lookup through `client`.
    // resolved() or failed() follows.
    void resolve(const SubscriberQuery &query, ApiClient *client);

Q_SIGNALS:
    void webhookRefreshed(const QString &profile, const activity::Webhook &webhook,
                          const activity::SubscriberChanges &changes, qsizetype subscribers);
    void webhookFailed(const QString &profile, const activity::Webhook &webhook,
                       const activity::ApiError &error);
    void refreshed(const QString &profile, int webhooks);
    void resolved(const activity::UserInfo &user); // id always; username and name when looked up
    void failed(const activity::ApiError &error);

private:
    void listNext();

    SubscriberDirectory *m_directory;
    QPointer<ApiClient> m_client;
    QString m_profile;
    QList<Webhook> m_pending;
    int m_listed = 0;
    QPointer<QObject> m_call; // the context of the call in flight; deleting it drops its answer
    QPointer<QObject> m_lookup;
};

} // namespace activity
