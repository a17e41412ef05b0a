#pragma once

#include "CliArguments.h"
#include "CliCredentials.h"
#include "CliOutput.h"
#include "HistoryCommand.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QSocketNotifier>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QSettings;

namespace activity {
class ProfileStore;
class SecretStore;
class SignInFlow;
} // namespace activity

namespace activity::cli {

// Runs one parsed invocation asynchronously on the running event loop and emits finished() with
// the exit code once. Nothing blocks: network calls are ApiClient calls, and the confirmation
// prompt reads stdin through a QSocketNotifier.
class Runner : public QObject
{
    Q_OBJECT
public:
    Runner(Invocation invocation, QProcessEnvironment environment, QNetworkAccessManager *network,
           QObject *parent = nullptr);
    ~Runner() override;

    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void dispatch();
    void loadProfile();
    void loadAccount(const QString &profileId);
    void finish(int exitCode);
    void fail(const ApiError &error);
    // A write that succeeded: completes its history entry (partly, when X reported errors next to
    // the answer) and prints those errors as warnings.
    void succeeded(qint64 entry, const QString &summary, const QList<ApiError> &partialErrors);
    void warnPartial(const QList<ApiError> &partialErrors);
    bool prepareClient(const QList<Operation> &operations);
    void confirmThen(const QString &question, const QString &expected, std::function<void()> proceed);
    void printLogEntry(quint64 id);

    void runCrc();
    void testCrc();
    void listWebhooks();
    void registerWebhook();
    void validateWebhook();
    void deleteWebhook();
    void subscriptionCount();
    void listSubscriptions();
    void resolveNames(const SubscriptionList &list, qsizetype offset, QHash<QString, UserInfo> names);
    void printSubscriptions(const SubscriptionList &list, const QHash<QString, UserInfo> &names);
    void addSubscription();
    void checkSubscription();
    void removeSubscription();
    void replay();
    void login();
    void showHistory();
    // The shared history of write actions, opened on first use.
    HistoryRecorder &history();
    void promptPin();

    Invocation m_inv;
    QProcessEnvironment m_environment;
    QNetworkAccessManager *m_network;
    Output m_output;
    Credentials m_credentials;
    std::unique_ptr<ApiClient> m_client;
    // --profile: the console's stored profiles (settings + keychain).
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<SecretStore> m_secretStore;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<QSocketNotifier> m_stdinNotifier;
    QString m_profileId; // --profile, once found
    QString m_profileName;
    std::unique_ptr<HistoryRecorder> m_history;
    std::unique_ptr<HistoryStore> m_historyView; // `history`: read after its prune
    SignInFlow *m_signIn = nullptr;
    bool m_finished = false;
};

} // namespace activity::cli
