#pragma once

#include "ActivityEventTypes.h"
#include "CliArguments.h"
#include "CliCommands.h"
#include "CliCredentials.h"
#include "CliOutput.h"
#include "EventStore.h"
#include "RecordedWrite.h"
#include "ResolvedProfile.h"
#include "UserTokenKeeper.h"

#include <QObject>
#include <QProcessEnvironment>

#include <functional>
#include <memory>

class QIODevice;
class QNetworkAccessManager;
class QSettings;
class QSocketNotifier;

namespace activity {
class HistoryStore;
class HistoryWriter;
class ProfileResolver;
class ProfileStore;
class SecretStore;
class LoopbackRedirectReceiver;
class OAuth2SignInFlow;
class SignInFlow;
class UserCache;
class SubscriberDirectory;
class SubscriberSearch;
class WebhookTimeline;
class WebhookWatch;
class EventStore;
class LiveEvents;
} // namespace activity

namespace activity::cli {

struct SubscriberFind;

// Everything a run reads and writes besides the API: the real process's (cli_main.cpp), or a
// test's in-memory streams.
struct CliEnvironment
{
    QProcessEnvironment variables; // ACTIVITY_* credentials, base URL, history file
    QNetworkAccessManager *network = nullptr;
    QIODevice *out = nullptr;
    QIODevice *err = nullptr;
    // Where confirmations and PINs are read from; null: the process's stdin (file descriptor 0),
    // a terminal when isatty() says so. An injected device is a terminal when inputIsTerminal says so.
    QIODevice *input = nullptr;
    bool inputIsTerminal = false;
    // The console's settings file with the stored profiles; empty: QSettings' own place for them.
    QString settingsFile;
};

// Runs one parsed invocation asynchronously on the running event loop and emits finished() with
// the exit code once, after its history entries are written. Nothing blocks: network calls are
// ApiClient calls, and confirmations and PINs are read when the input says data is there.
//
// The command's row in commandTable() names the handler; the handlers live in one file per area
// (CliWebhookCommands.cpp, CliSubscriptionCommands.cpp, ...).
class Runner : public QObject
{
    Q_OBJECT
public:
    Runner(Invocation invocation, CliEnvironment environment, QObject *parent = nullptr);
    ~Runner() override;

    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    friend QList<Command> buildCommandTable();

    // Resolving --profile (and, for commands that act as a user, its account) into credentials.
    void resolveProfile();
    void resolveAccount();
    // The console's settings and keychain: m_settings, m_secretStore, m_profiles and m_resolver.
    void openProfileStore();
    void dispatch();

    void finish(int exitCode);
    void fail(const ApiError &error);
    // What X reported next to a successful answer: the value stands (exit 0), the rest is a warning.
    void warnPartial(const QList<ApiError> &partialErrors);
    bool prepareClient(const QList<Operation> &operations);
    void confirmThen(const QString &question, const QString &expected, std::function<void()> proceed);
    bool inputIsTerminal() const;
    // One read of what the person typed (the terminal delivers a line); empty when input is closed.
    void readInput(qint64 maxSize, std::function<void(const QByteArray &)> got);
    // Everything until the input closes, at most `maxSize` bytes; nullopt when there is more.
    void readAllInput(qint64 maxSize, std::function<void(const std::optional<QByteArray> &)> got);
    void stopReadingInput();
    WriteRecorder &recorder();

    // A write action of the command: recorded in the history, then `print` shows its value.
    template<typename T>
    void recordWrite(Operation operation, const QJsonObject &parameters,
                     std::function<ApiCall *(QObject *, ApiClient::Callback<T>)> send,
                     std::function<QString(const T &)> summarize, std::function<void(const T &)> print)
    {
        const UserCredentials *user =
            m_inv.spec && m_inv.spec->needsUserFor(m_inv) ? &m_credentials.user : nullptr;
        recorder().run<T>(*m_client, operation, parameters, user, this, std::move(send), std::move(summarize),
                          [this, print = std::move(print)](const Result<T> &result) {
                              if (!result)
                                  return fail(result.error());
                              warnPartial(result.partialErrors());
                              print(result.value());
                              finish(ExitOk);
                          });
    }

    // ---- the handlers commandTable() names ----
    void listWebhooks(); // CliWebhookCommands.cpp
    void registerWebhook();
    void validateWebhook();
    void deleteWebhook();
    void watchWebhooks(); // CliWatchCommand.cpp
    void subscriptionCount(); // CliSubscriptionCommands.cpp
    void listSubscriptions();
    void addSubscription();
    void checkSubscription();
    void removeSubscription();
    void findSubscriber(); // CliSubscriberSearch.cpp
    SubscriberSearch *searchSubscriber(const std::shared_ptr<SubscriberFind> &find);
    void printFound(const SubscriberFind &find);
    void replay(); // CliReplayCommand.cpp
    void runCrc(); // CliCrcCommands.cpp
    void testCrc();
    void doctorCrc();
    void runDoctor(const QUrl &url, const QString &webhookId);
    void login(); // CliLoginCommand.cpp
    void promptPin();
    void loginOAuth2();
    void readRedirect();
    void keepSignIn(const UserCredentials &signedIn);
    void removeAccount(); // CliAccountCommands.cpp
    // A call as the signed-in user, through the token keeper (fresh OAuth 2.0 token, one retry on 401).
    template<typename T>
    void callAsUser(Operation operation, QObject *context, UserTokenKeeper::Send<T> send,
                    ApiClient::Callback<T> done)
    {
        userTokens().call<T>(operation, m_credentials.user, context, std::move(send), std::move(done));
    }
    UserTokenKeeper &userTokens();
    void listActivityTypes(); // CliActivityCommands.cpp
    void listActivity();
    void addActivity();
    void updateActivity();
    void removeActivity();
    // The filter's user_id for `activity add`: --user as an id, a signed-in account, or an @name
    // looked up; for actor-only types the signed-in user. Empty when no user applies.
    void resolveActivityUser(const xaa::EventType &type, std::function<void(const QString &userId)> got);
    void listen(); // CliListenCommand.cpp
    void tailEvents();
    void followStore();
    void printEvent(qint64 rowId, const QString &eventId, bool duplicate, EventSource source,
                    qint64 receivedAtMs, const EventFacts &facts, const QString &peer);
    void stopListening();
    void showHistory(); // HistoryCommand.cpp
    void listEvents(); // CliEventCommands.cpp
    void showEvent();
    void exportEvents();
    void resendEvents();
    void triggerEvent();
    bool openEvents(); // m_events from ACTIVITY_EVENTS_FILE or the console's file; false: failed
    std::optional<StoredEvent> findEvent(const QString &idOrRow);
    void listProfiles(); // CliProfileCommands.cpp
    void addProfile();
    void removeProfile();
    void listAccounts();

    Invocation m_inv;
    CliEnvironment m_env;
    Output m_output;
    Credentials m_credentials;
    std::unique_ptr<ApiClient> m_client;
    // --profile: the console's stored profiles (settings + keychain).
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<SecretStore> m_secretStore;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<ProfileResolver> m_resolver;
    QString m_profileId; // --profile, once found
    QString m_profileName;
    // The shared history: the store (pruned while the command runs), its writer thread, and the
    // recorder of this run's write action.
    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<HistoryWriter> m_historyWriter;
    WriteRecorder *m_recorder = nullptr;
    std::unique_ptr<UserCache> m_users; // subscriptions list --resolve
    std::unique_ptr<SubscriberDirectory> m_subscribers; // subscriptions find
    std::unique_ptr<WebhookTimeline> m_timeline; // webhooks watch
    std::unique_ptr<WebhookWatch> m_watch;
    std::unique_ptr<EventStore> m_events; // events ...
    std::unique_ptr<QSocketNotifier> m_stdinNotifier;
    QMetaObject::Connection m_inputConnection;
    SignInFlow *m_signIn = nullptr;
    OAuth2SignInFlow *m_oauth2SignIn = nullptr;
    LoopbackRedirectReceiver *m_redirectReceiver = nullptr;
    std::optional<ResolvedProfile> m_resolved; // --profile, with its secrets
    UserTokenKeeper *m_userTokens = nullptr;
    // events tail, listen: m_events (above) outlives the stream and receiver feeding it.
    std::unique_ptr<LiveEvents> m_live;
    qint64 m_printed = 0;
    qint64 m_followedRow = 0; // events tail without a source: the last row printed
    std::unique_ptr<QSocketNotifier> m_stopNotifier;
    qint64 m_rejected = 0;
    bool m_finished = false;
};

} // namespace activity::cli
