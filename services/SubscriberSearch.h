#pragma once

#include "ApiClient.h"
#include "ApiTypes.h"
#include "ProfileStore.h"
#include "ResolvedProfile.h"
#include "SubscriberDirectory.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace activity {

class ProfileResolver;

// What a search names: a user id as typed, or a username to resolve ("@name" or "name").
struct SubscriberQuery
{
    QString userId;
    QString username; // without the @

    // Digits are an id; a name of 1 to 15 letters, digits and underscores (an optional @ first)
    // is a username; anything else is not a user (nullopt).
    static std::optional<SubscriberQuery> parse(const QString &text);
};

// A profile to search (its name keys the directory's snapshots) and the client that reaches it.
struct SubscriberSource
{
    QString profile;
    QPointer<ApiClient> client;
};

// The subscriber search of #17 for the console and `activity-cli subscriptions find`: refreshes
// profiles' lists (each profile's webhooks, then each webhook's subscribers, one call at a time, as
// the rate limits allow) into a SubscriberDirectory, and resolves a username to its id, so the
// question "is @someone subscribed, and to which webhook of which profile" is a lookup in the
// directory. The directory and the callers' clients are not owned; the clients it makes for stored
// profiles are, until the next refresh.
class SubscriberSearch : public QObject
{
    Q_OBJECT
public:
    // Makes a stored profile's client once its secrets are read, the way the front end makes its
    // active profile's (the console: its network, clock and request log; activity-cli: its
    // timeout), with `parent` as its parent.
    using MakeClient = std::function<ApiClient *(const ResolvedProfile &profile, QObject *parent)>;

    explicit SubscriberSearch(SubscriberDirectory *directory, QObject *parent = nullptr);

    // Lists each source's webhooks and then the subscribers of each, one profile after another; a
    // refresh running is dropped. webhookRefreshed() per webhook (a webhook whose list fails reports
    // webhookFailed() and the others go on); a profile whose webhooks cannot be listed reports
    // profileFailed() and the other profiles go on; then refreshed() with the profiles listed.
    void refresh(const QList<SubscriberSource> &sources);
    // The same over `sources` and then every profile stored through `resolver` whose id is not in
    // `skipIds` (those the caller reaches already): one after another, each one's secrets read from
    // the keychain and its client made by `makeClient`. A profile whose secrets cannot be read
    // (none stored, a locked keychain) reports profileFailed() and the others go on.
    void refreshStored(const QList<SubscriberSource> &sources, ProfileResolver *resolver,
                       MakeClient makeClient, const QStringList &skipIds = {});
    bool isRefreshing() const { return bool(m_call); }
    // The profiles the last refresh listed, in order, with their clients.
    const QList<SubscriberSource> &listed() const { return m_listed; }

    // The id of a query: at once for an id, else a users-by-username lookup through `client`.
    // resolved() or failed() follows.
    void resolve(const SubscriberQuery &query, ApiClient *client);

Q_SIGNALS:
    void webhookRefreshed(const QString &profile, const activity::Webhook &webhook,
                          const activity::SubscriberChanges &changes, qsizetype subscribers);
    void webhookFailed(const QString &profile, const activity::Webhook &webhook,
                       const activity::ApiError &error);
    void profileFailed(const QString &profile, const activity::ApiError &error);
    // Every profile was tried: those whose webhooks were listed, and how many webhooks they have.
    void refreshed(const QStringList &profiles, int webhooks);
    void resolved(const activity::UserInfo &user); // id always; username and name when looked up
    void failed(const activity::ApiError &error); // of resolve()

private:
    // A profile still to list: its source, or the stored profile whose secrets come first.
    struct Step
    {
        SubscriberSource source;
        std::optional<Profile> stored;
    };
    void start(QList<Step> steps);
    void nextProfile();
    void listProfile(const SubscriberSource &source);
    void listNext();
    QObject *newCall();

    SubscriberDirectory *m_directory;
    QPointer<ProfileResolver> m_resolver;
    MakeClient m_makeClient;
    QList<Step> m_steps;
    SubscriberSource m_current;
    QList<Webhook> m_pending; // the current profile's webhooks still to list
    QList<SubscriberSource> m_listed;
    int m_webhooks = 0;
    QObject *m_clients = nullptr; // parent of the clients made for stored profiles
    QPointer<QObject> m_call; // the context of the step in flight; deleting it drops its answer
    QPointer<QObject> m_lookup;
};

} // namespace activity
