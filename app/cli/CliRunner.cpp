#include "CliRunner.h"

#include "AccountSignIns.h"
#include "ActivityConfig.h"
#include "CliFormat.h"
#include "HistoryWriter.h"
#include "LiveEvents.h"
#include "ProfileResolver.h"
#include "ProfileStore.h"
#include "RequestLog.h"
#include "SecretStore.h"
#include "SignInFlow.h"
#include "SubscriberDirectory.h"
#include "UserCache.h"
#include "Validation.h"
#include "WebhookTimeline.h"
#include "WebhookWatch.h"

#include <QIODevice>
#include <QSettings>
#include <QSocketNotifier>
#include <QTimer>

#include <unistd.h>

namespace activity::cli {

Runner::Runner(Invocation invocation, CliEnvironment environment, QObject *parent)
    : QObject(parent)
    , m_inv(std::move(invocation))
    , m_env(std::move(environment))
    , m_output(m_inv.json, m_env.out, m_env.err)
{
    if (!m_inv.spec)
        m_inv.spec = findCommand(m_inv.command);
}

Runner::~Runner() = default;

void Runner::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    stopReadingInput();
    // History writes run on their own thread: the entries (or the warning that they could not be
    // written) must be done before the process exits.
    if (m_historyWriter)
        m_historyWriter->whenIdle(this, [this, exitCode] { Q_EMIT finished(exitCode); });
    else
        Q_EMIT finished(exitCode);
}

void Runner::warnPartial(const QList<ApiError> &partialErrors)
{
    for (const ApiError &problem : partialErrors)
        m_output.error(
            QStringLiteral("warning: X answered with success but also reported: %1").arg(problem.text()));
}

void Runner::fail(const ApiError &error)
{
    m_output.apiError(error);
    finish(exitCodeFor(error));
}

void Runner::start()
{
    m_credentials = fromEnvironment(m_env.variables);
    if (m_inv.profile.isEmpty() || (m_inv.spec && !m_inv.spec->resolvesProfile))
        dispatch();
    else
        resolveProfile();
}

void Runner::openProfileStore()
{
    if (m_profiles)
        return;
    // The same settings the console keeps its profiles in, and its keychain service.
    m_settings = m_env.settingsFile.isEmpty()
        ? std::make_unique<QSettings>(QStringLiteral(ACTIVITY_ORGANISATION),
                                      QStringLiteral(ACTIVITY_APPLICATION_NAME))
        : std::make_unique<QSettings>(m_env.settingsFile, QSettings::IniFormat);
    m_secretStore = std::make_unique<SecretStore>();
    m_profiles = std::make_unique<ProfileStore>(m_settings.get(), m_secretStore.get());
    m_resolver = std::make_unique<ProfileResolver>(m_profiles.get());
}

void Runner::resolveProfile()
{
    openProfileStore();
    const Result<Profile> found = m_resolver->find(m_inv.profile);
    if (!found)
        return fail(found.error());
    m_profileId = found.value().id;
    m_profileName = found.value().name;
    m_resolver->resolve(found.value(), this, [this](const Result<ResolvedProfile> &resolved) {
        if (!resolved)
            return fail(resolved.error());
        const ResolvedProfile &profile = resolved.value();
        m_resolved = profile;
        // The command line wins over the profile; the profile over the environment.
        if (m_inv.baseUrl.isEmpty())
            m_inv.baseUrl = profile.baseUrl.toString();
        m_inv.allowInsecureLoopback = m_inv.allowInsecureLoopback || profile.allowInsecureLoopback;
        if (!m_inv.generationSet)
            m_inv.generation = profile.generation;
        // The profile's app replaces whatever the environment says about the app.
        m_credentials.app = profile.credentials;
        if (m_inv.spec && m_inv.spec->needsUserFor(m_inv) && !m_credentials.user.hasOAuth1() &&
            !m_credentials.user.hasOAuth2())
            resolveAccount();
        else
            dispatch();
    });
}

void Runner::resolveAccount()
{
    const Result<Account> chosen = ProfileResolver::chooseAccount(m_profiles->accounts(m_profileId),
                                                                  m_inv.user, m_inv.profile, m_inv.command);
    if (!chosen)
        return fail(chosen.error());
    m_resolver->loadAccount(m_profileId, chosen.value(), this, [this](const Result<UserCredentials> &user) {
        if (!user)
            return fail(user.error());
        m_credentials.user = user.value();
        dispatch();
    });
}

void Runner::dispatch()
{
    if (!m_inv.spec || !m_inv.spec->handler)
        return fail(ApiError::make(ApiError::Kind::Validation,
                                   QStringLiteral("Unknown command '%1'.").arg(m_inv.command),
                                   QStringLiteral("See activity-cli --help.")));
    (this->*m_inv.spec->handler)();
}

bool Runner::prepareClient(const QList<Operation> &operations)
{
    QString base = m_inv.baseUrl;
    if (base.isEmpty())
        base = m_env.variables.value(QStringLiteral("ACTIVITY_BASE_URL"));
    if (base.isEmpty())
        base = QStringLiteral("https://api.x.com");
    const Result<QUrl> baseUrl = validate::baseUrl(base, m_inv.allowInsecureLoopback);
    if (!baseUrl) {
        fail(baseUrl.error());
        return false;
    }

    QStringList missing;
    for (const Operation op : operations) {
        const Endpoint *endpoint = endpoints::find(op, m_inv.generation);
        if (!endpoint) {
            fail(ApiError::make(ApiError::Kind::Validation,
                                QStringLiteral("The %1 API has no endpoint for '%2'.")
                                    .arg(endpoints::generationName(m_inv.generation), m_inv.command),
                                QStringLiteral("Use --api %1.")
                                    .arg(endpoints::generationName(m_inv.generation == ApiGeneration::V2
                                                                       ? ApiGeneration::V1_1
                                                                       : ApiGeneration::V2))));
            return false;
        }
        // A user's call may be signed with OAuth 2.0 instead (ACTIVITY_OAUTH2_USER_TOKEN, an account).
        CredentialKind kind = endpoint->credential;
        if (const Result<CredentialKind> chosen = ApiClient::userCredentialFor(*endpoint, m_credentials.user))
            kind = chosen.value();
        for (const QString &name : missingFor(kind, m_credentials)) {
            if (!missing.contains(name))
                missing.append(name);
        }
    }
    if (!missing.isEmpty()) {
        fail(ApiError::make(
            ApiError::Kind::MissingCredentials,
            QStringLiteral("'%1' needs credentials that are not set: %2.")
                .arg(m_inv.command, missing.join(QStringLiteral(", "))),
            QStringLiteral("Export them in the environment (values from the developer portal, or from a "
                           "user's sign-in) and run the command again.")));
        return false;
    }

    // What the call runs with, in the shape the console uses: from a profile, the environment and
    // the command line as merged above.
    ResolvedProfile target;
    target.baseUrl = baseUrl.value();
    target.generation = m_inv.generation;
    target.allowInsecureLoopback = m_inv.allowInsecureLoopback;
    target.credentials = m_credentials.app;
    m_client = std::make_unique<ApiClient>(
        m_env.network, target.clientConfig({}, std::chrono::seconds(m_inv.timeoutSeconds)),
        target.credentials);
    if (m_inv.verbose) {
        connect(m_client->requestLog(), &RequestLog::entryUpdated, this, [this](quint64 id) {
            const std::optional<RequestLogEntry> entry = m_client->requestLog()->entry(id);
            if (entry && entry->finished())
                format::requestLogEntry(m_output, *entry);
        });
    }
    return true;
}

UserTokenKeeper &Runner::userTokens()
{
    if (!m_userTokens) {
        m_userTokens = new UserTokenKeeper(m_client.get(), this);
        // Refreshed tokens of a profile's account go back to the keychain; environment tokens stay
        // in memory.
        if (m_profiles && !m_profileId.isEmpty()) {
            m_userTokens->setSave(
                [this](const UserCredentials &user, std::function<void(const Result<Done> &)> saved) {
                    accounts::saveRefreshed(m_profiles.get(), m_profileId, user, this,
                                            [this, saved](const Result<Done> &result) {
                                                if (!result)
                                                    m_output.error(result.error().text());
                                                saved(result);
                                            });
                });
        }
        connect(m_userTokens, &UserTokenKeeper::refreshed, this,
                [this](const UserCredentials &user) { m_credentials.user = user; });
    }
    return *m_userTokens;
}

bool Runner::inputIsTerminal() const
{
    return m_env.input ? m_env.inputIsTerminal : isatty(STDIN_FILENO) != 0;
}

void Runner::readInput(qint64 maxSize, std::function<void(const QByteArray &)> got)
{
    if (!m_env.input) {
        // The process's stdin: the terminal is in line mode, and once the notifier says data is
        // there, read() returns at once.
        m_stdinNotifier = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
        connect(m_stdinNotifier.get(), &QSocketNotifier::activated, this, [this, maxSize, got] {
            m_stdinNotifier->setEnabled(false);
            QByteArray buffer(maxSize, Qt::Uninitialized);
            const ssize_t count = ::read(STDIN_FILENO, buffer.data(), size_t(maxSize));
            buffer.resize(count > 0 ? qsizetype(count) : 0);
            got(buffer);
        });
        return;
    }
    QIODevice *input = m_env.input;
    auto deliver = [this, input, maxSize, got] {
        disconnect(m_inputConnection);
        got(input->read(maxSize));
    };
    // Typed already, or closed (a finished buffer): on the event loop, like a terminal's answer.
    if (input->bytesAvailable() > 0 || !input->isOpen() || (!input->isSequential() && input->atEnd()))
        QTimer::singleShot(0, this, deliver);
    else
        m_inputConnection = connect(input, &QIODevice::readyRead, this, deliver);
}

void Runner::readAllInput(qint64 maxSize, std::function<void(const std::optional<QByteArray> &)> got)
{
    auto received = std::make_shared<QByteArray>();
    auto next = std::make_shared<std::function<void()>>();
    *next = [this, maxSize, got = std::move(got), received, next] {
        readInput(4096, [this, maxSize, got, received, next](const QByteArray &chunk) {
            if (chunk.isEmpty()) {
                *next = nullptr; // the input closed: break the cycle
                got(*received);
                return;
            }
            received->append(chunk);
            if (received->size() > maxSize) {
                *next = nullptr;
                got(std::nullopt);
                return;
            }
            // The next read from the event loop: readInput() replaces the notifier that is calling.
            QTimer::singleShot(0, this, [next] {
                if (*next)
                    (*next)();
            });
        });
    };
    (*next)();
}

void Runner::stopReadingInput()
{
    m_stdinNotifier.reset();
    disconnect(m_inputConnection);
}

void Runner::confirmThen(const QString &question, const QString &expected, std::function<void()> proceed)
{
    if (m_inv.yes) {
        proceed();
        return;
    }
    if (!inputIsTerminal()) {
        m_output.error(
            QStringLiteral("'%1' changes data and needs confirmation, but stdin is not a terminal. "
                           "Pass --yes to confirm non-interactively.")
                .arg(m_inv.command));
        finish(ExitUsage);
        return;
    }
    m_output.prompt(question + QStringLiteral("\nType ") + expected + QStringLiteral(" to confirm: "));
    readInput(512, [this, expected, proceed = std::move(proceed)](const QByteArray &typed) {
        if (QString::fromLocal8Bit(typed).trimmed() != expected) {
            m_output.error(QStringLiteral("not confirmed; nothing was changed."));
            finish(ExitApiRefused);
            return;
        }
        proceed();
    });
}

WriteRecorder &Runner::recorder()
{
    // Only commands the table marks as writing record anything.
    Q_ASSERT(m_inv.spec && m_inv.spec->writes());
    if (!m_recorder) {
        m_history = std::make_unique<HistoryStore>(historyPath(m_env.variables));
        // Old entries go while the command runs; what is left when it ends goes next time.
        m_history->setRetention(historyRetention(m_env.variables));
        m_history->pruneInBackground();
        m_historyWriter = std::make_unique<HistoryWriter>(*m_history);
        m_recorder = new WriteRecorder(m_historyWriter.get(), QStringLiteral("cli"), this);
        m_recorder->setProfile(m_profileId, m_profileName);
        // Never the command's failure: one warning on stderr.
        connect(m_recorder, &WriteRecorder::historyProblem, this, [this](const QString &message) {
            m_output.error(QStringLiteral("warning: %1").arg(message));
        });
    }
    return *m_recorder;
}

} // namespace activity::cli
