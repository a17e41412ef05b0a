#include "CliRunner.h"

#include "ActivityConfig.h"
#include "Crc.h"
#include "CrcSelfTest.h"
#include "ProfileStore.h"
#include "RequestLog.h"
#include "SecretStore.h"
#include "SignInFlow.h"
#include "Validation.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSettings>

#include <unistd.h>

namespace activity::cli {

namespace {

QString isoTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

QJsonObject webhookObject(const Webhook &webhook)
{
    return QJsonObject {{QStringLiteral("id"), webhook.id},
                        {QStringLiteral("url"), webhook.url},
                        {QStringLiteral("valid"), webhook.valid},
                        {QStringLiteral("created_at"), isoTime(webhook.createdAt)}};
}

QString credentialName(CredentialKind kind)
{
    switch (kind) {
    case CredentialKind::None:
        return QStringLiteral("none");
    case CredentialKind::AppOwner:
        return QStringLiteral("OAuth 1.0a app owner");
    case CredentialKind::SubscribingUser:
        return QStringLiteral("OAuth 1.0a subscribing user");
    case CredentialKind::AppOnly:
        return QStringLiteral("app-only bearer");
    case CredentialKind::ConsumerBasic:
        return QStringLiteral("Basic consumer key:secret");
    case CredentialKind::ConsumerOnly:
        return QStringLiteral("OAuth 1.0a consumer only");
    case CredentialKind::RequestToken:
        return QStringLiteral("OAuth 1.0a request token");
    }
    return {};
}

ApiError usage(const QString &cause, const QString &remedy)
{
    return ApiError::make(ApiError::Kind::Validation, cause, remedy);
}

} // namespace

Runner::Runner(Invocation invocation, QProcessEnvironment environment, QNetworkAccessManager *network,
               QObject *parent)
    : QObject(parent)
    , m_inv(std::move(invocation))
    , m_environment(std::move(environment))
    , m_network(network)
    , m_output(m_inv.json)
{
}

Runner::~Runner() = default;

void Runner::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    m_stdinNotifier.reset();
    Q_EMIT finished(exitCode);
}

void Runner::succeeded(qint64 entry, const QString &summary, const QList<ApiError> &partialErrors)
{
    history().succeeded(entry, summary, *m_client, partialErrors);
    warnPartial(partialErrors);
}

void Runner::warnPartial(const QList<ApiError> &partialErrors)
{
    // The answer's value stands (exit 0); what X reported next to it goes to stderr.
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
    m_credentials = fromEnvironment(m_environment);
    if (m_inv.profile.isEmpty())
        dispatch();
    else
        loadProfile();
}

void Runner::loadProfile()
{
    // The same settings the console keeps its profiles in, and its keychain service.
    m_settings = std::make_unique<QSettings>(QStringLiteral(ACTIVITY_ORGANISATION),
                                             QStringLiteral(ACTIVITY_APPLICATION_NAME));
    m_secretStore = std::make_unique<SecretStore>();
    m_profiles = std::make_unique<ProfileStore>(m_settings.get(), m_secretStore.get());

    std::optional<Profile> found;
    QStringList known;
    for (const Profile &p : m_profiles->profiles()) {
        known.append(p.name);
        if (p.id == m_inv.profile || p.name.compare(m_inv.profile, Qt::CaseInsensitive) == 0)
            found = p;
    }
    if (!found) {
        fail(ApiError::make(
            ApiError::Kind::MissingCredentials,
            QStringLiteral("There is no stored profile named '%1'.").arg(m_inv.profile),
            known.isEmpty() ? QStringLiteral("Create one in the console first, or use the "
                                             "ACTIVITY_* environment variables.")
                            : QStringLiteral("Stored profiles: %1.").arg(known.join(QStringLiteral(", ")))));
        return;
    }
    const Profile profile = *found;
    m_profileId = profile.id;
    m_profileName = profile.name;
    if (m_inv.baseUrl.isEmpty())
        m_inv.baseUrl = profile.baseUrl;
    // The profile's own word for plain http to a loopback address (the console asked, or it is a
    // sandbox profile).
    if (profile.isSandbox || profile.allowInsecureLoopback)
        m_inv.allowInsecureLoopback = true;
    if (!m_inv.generationSet)
        m_inv.generation = profile.generation;
    m_profiles->loadSecrets(profile.id, this, [this, profile](const Result<ProfileSecrets> &secrets) {
        if (!secrets) {
            ApiError error = secrets.error();
            if (error.kind != ApiError::Kind::Validation)
                error.kind = ApiError::Kind::MissingCredentials;
            fail(error);
            return;
        }
        // The profile's app replaces whatever the environment says about the app.
        m_credentials.app = AppCredentials {profile.consumerKey.toUtf8(), secrets.value().consumerSecret,
                                            secrets.value().ownerToken, secrets.value().ownerTokenSecret,
                                            secrets.value().bearerToken};
        const bool needsUser = m_inv.command == QLatin1String("subscriptions add") ||
            m_inv.command == QLatin1String("subscriptions check");
        if (needsUser && m_credentials.user.token.isEmpty())
            loadAccount(profile.id);
        else
            dispatch();
    });
}

void Runner::loadAccount(const QString &profileId)
{
    const QList<Account> accounts = m_profiles->accounts(profileId);
    std::optional<Account> chosen;
    QStringList names;
    for (const Account &account : accounts) {
        names.append(QLatin1Char('@') + account.username);
        if (!m_inv.user.isEmpty() &&
            (account.userId == m_inv.user ||
             account.username.compare(QString(m_inv.user).remove(QLatin1Char('@')), Qt::CaseInsensitive) ==
                 0))
            chosen = account;
    }
    if (m_inv.user.isEmpty() && accounts.size() == 1)
        chosen = accounts.constFirst();
    if (!chosen) {
        fail(ApiError::make(
            ApiError::Kind::MissingCredentials,
            accounts.isEmpty()
                ? QStringLiteral("No account has signed in to profile '%1'.").arg(m_inv.profile)
                : QStringLiteral("Which signed-in account should '%1' use?").arg(m_inv.command),
            accounts.isEmpty()
                ? QStringLiteral("Sign a user in from the console, or set ACTIVITY_USER_TOKEN "
                                 "and ACTIVITY_USER_TOKEN_SECRET.")
                : QStringLiteral("Pass --user with one of: %1.").arg(names.join(QStringLiteral(", ")))));
        return;
    }
    const Account account = *chosen;
    m_profiles->loadAccountTokens(
        profileId, account.userId, this, [this, account](const Result<AccountTokens> &tokens) {
            if (!tokens) {
                ApiError error = tokens.error();
                error.kind = ApiError::Kind::MissingCredentials;
                fail(error);
                return;
            }
            m_credentials.user = UserCredentials {tokens.value().token, tokens.value().tokenSecret,
                                                  account.userId, account.username};
            dispatch();
        });
}

void Runner::dispatch()
{
    const QString &command = m_inv.command;
    if (command == QLatin1String("crc"))
        runCrc();
    else if (command == QLatin1String("crc test"))
        testCrc();
    else if (command == QLatin1String("webhooks list"))
        listWebhooks();
    else if (command == QLatin1String("webhooks register"))
        registerWebhook();
    else if (command == QLatin1String("webhooks validate"))
        validateWebhook();
    else if (command == QLatin1String("webhooks delete"))
        deleteWebhook();
    else if (command == QLatin1String("subscriptions count"))
        subscriptionCount();
    else if (command == QLatin1String("subscriptions list"))
        listSubscriptions();
    else if (command == QLatin1String("subscriptions add"))
        addSubscription();
    else if (command == QLatin1String("subscriptions check"))
        checkSubscription();
    else if (command == QLatin1String("subscriptions remove"))
        removeSubscription();
    else if (command == QLatin1String("replay"))
        replay();
    else if (command == QLatin1String("history"))
        showHistory();
    else if (command == QLatin1String("login"))
        login();
    else
        fail(usage(QStringLiteral("Unknown command '%1'.").arg(command),
                   QStringLiteral("See activity-cli --help.")));
}

bool Runner::prepareClient(const QList<Operation> &operations)
{
    QString base = m_inv.baseUrl;
    if (base.isEmpty())
        base = m_environment.value(QStringLiteral("ACTIVITY_BASE_URL"));
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
            fail(usage(QStringLiteral("The %1 API has no endpoint for '%2'.")
                           .arg(endpoints::generationName(m_inv.generation), m_inv.command),
                       QStringLiteral("Use --api %1.")
                           .arg(endpoints::generationName(m_inv.generation == ApiGeneration::V2
                                                              ? ApiGeneration::V1_1
                                                              : ApiGeneration::V2))));
            return false;
        }
        for (const QString &name : missingFor(endpoint->credential, m_credentials)) {
            if (!missing.contains(name))
                missing.append(name);
        }
    }
    if (!missing.isEmpty()) {
        fail(
            ApiError::make(ApiError::Kind::MissingCredentials,
                           QStringLiteral("'%1' needs credentials that are not set: %2.")
                               .arg(m_inv.command, missing.join(QStringLiteral(", "))),
                           QStringLiteral("Export them in the environment (values from the developer portal, "
                                          "or from a user's sign-in) and run the command again.")));
        return false;
    }

    ClientConfig config;
    config.baseUrl = baseUrl.value();
    config.allowInsecureLoopback = m_inv.allowInsecureLoopback;
    config.generation = m_inv.generation;
    config.transferTimeout = std::chrono::seconds(m_inv.timeoutSeconds);
    m_client = std::make_unique<ApiClient>(m_network, config, m_credentials.app);
    if (m_inv.verbose)
        connect(m_client->requestLog(), &RequestLog::entryUpdated, this, &Runner::printLogEntry);
    return true;
}

void Runner::printLogEntry(quint64 id)
{
    const std::optional<RequestLogEntry> entry = m_client->requestLog()->entry(id);
    if (!entry || !entry->finished())
        return;
    // Bodies and errors are the server's words: through Output, like everything printed.
    m_output.note(QStringLiteral("> %1 %2  [%3, %4]")
                      .arg(QString::fromLatin1(entry->method), entry->url, entry->operation,
                           credentialName(entry->credential)));
    for (const auto &[name, value] : entry->requestHeaders)
        m_output.note(QStringLiteral(">   %1: %2").arg(QString::fromLatin1(name), QString::fromUtf8(value)));
    if (!entry->requestBody.isEmpty())
        m_output.note(QStringLiteral(">   ") + QString::fromUtf8(entry->requestBody));
    QString answer =
        QStringLiteral("< %1 in %2 ms, attempt %3")
            .arg(entry->httpStatus ? QString::number(entry->httpStatus) : QStringLiteral("no answer"))
            .arg(entry->durationMs)
            .arg(entry->attempt);
    if (entry->rateLimitLimit >= 0)
        answer += QStringLiteral(", rate limit %1/%2 until %3")
                      .arg(entry->rateLimitRemaining)
                      .arg(entry->rateLimitLimit)
                      .arg(isoTime(entry->rateLimitReset));
    m_output.note(answer);
    if (!entry->error.isEmpty())
        m_output.note(QStringLiteral("<   ") + entry->error);
    if (!entry->responseBody.isEmpty())
        m_output.note(QStringLiteral("<   ") + QString::fromUtf8(entry->responseBody));
    m_output.note(QStringLiteral("  as curl: ") + entry->curl + QLatin1Char('\n'));
}

void Runner::confirmThen(const QString &question, const QString &expected, std::function<void()> proceed)
{
    if (m_inv.yes) {
        proceed();
        return;
    }
    if (!isatty(STDIN_FILENO)) {
        m_output.error(
            QStringLiteral("'%1' changes data and needs confirmation, but stdin is not a terminal. "
                           "Pass --yes to confirm non-interactively.")
                .arg(m_inv.command));
        finish(ExitUsage);
        return;
    }
    m_output.prompt(question + QStringLiteral("\nType ") + expected + QStringLiteral(" to confirm: "));
    m_stdinNotifier = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
    connect(m_stdinNotifier.get(), &QSocketNotifier::activated, this,
            [this, expected, proceed = std::move(proceed)] {
                m_stdinNotifier->setEnabled(false);
                char buffer[512];
                // The terminal is in line mode and the notifier says data is there: this returns at once.
                const ssize_t count = ::read(STDIN_FILENO, buffer, sizeof(buffer));
                const QString answer =
                    QString::fromLocal8Bit(buffer, count > 0 ? qsizetype(count) : 0).trimmed();
                if (answer != expected) {
                    m_output.error(QStringLiteral("not confirmed; nothing was changed."));
                    finish(ExitApiRefused);
                    return;
                }
                proceed();
            });
}

// ---- commands ---------------------------------------------------------------------------------

void Runner::runCrc()
{
    if (m_credentials.app.consumerSecret.isEmpty()) {
        fail(ApiError::make(ApiError::Kind::MissingCredentials,
                            QStringLiteral("'crc' needs ACTIVITY_CONSUMER_SECRET, which is not set."),
                            QStringLiteral("Export the app's consumer secret (API secret key).")));
        return;
    }
    const QString token = m_inv.arguments.value(0);
    const QString response =
        QString::fromLatin1(crc::responseToken(m_credentials.app.consumerSecret, token.toUtf8()));
    if (m_output.json())
        m_output.document(
            {{QStringLiteral("crc_token"), token}, {QStringLiteral("response_token"), response}});
    else
        m_output.line(response);
    finish(ExitOk);
}

// The CRC self-test: the verdict goes to stdout whatever it is; the exit code tells scripts
// passed (0), failed one of X's rules (1) or could not reach the endpoint (3).
void Runner::testCrc()
{
    if (m_credentials.app.consumerSecret.isEmpty()) {
        fail(ApiError::make(
            ApiError::Kind::MissingCredentials,
            QStringLiteral("'crc test' needs the app's consumer secret to know the expected token."),
            QStringLiteral("Export ACTIVITY_CONSUMER_SECRET (API secret key) or pass --profile NAME.")));
        return;
    }
    const QUrl url(m_inv.arguments.value(0));
    if (const QString problem = CrcSelfTest::urlProblem(url); !problem.isEmpty()) {
        fail(usage(problem,
                   QStringLiteral("Pass the webhook's full URL, e.g. https://example.com/webhooks/x.")));
        return;
    }
    auto *test = new CrcSelfTest(m_network, m_credentials.app.consumerSecret, this);
    connect(test, &CrcSelfTest::finished, this, [this, test] {
        const CrcSelfTestResult &result = test->result();
        if (m_output.json()) {
            m_output.document({{QStringLiteral("passed"), result.passed},
                               {QStringLiteral("verdict"), result.failureName()},
                               {QStringLiteral("http_status"), result.httpStatus},
                               {QStringLiteral("latency_ms"), result.latencyMs},
                               {QStringLiteral("expected_token"), QString::fromLatin1(result.expectedToken)},
                               {QStringLiteral("received_token"), QString::fromUtf8(result.receivedToken)},
                               {QStringLiteral("problem"), result.problem},
                               {QStringLiteral("remedy"), result.remedy}});
        } else {
            if (result.passed) {
                m_output.line(QStringLiteral("Passed in %1 ms: HTTP 200 with the expected response_token.")
                                  .arg(result.latencyMs));
            } else {
                m_output.line(result.summary());
                m_output.line(result.httpStatus == 0
                                  ? QStringLiteral("No HTTP answer, after %1 ms.").arg(result.latencyMs)
                                  : QStringLiteral("HTTP %1 after %2 ms.")
                                        .arg(result.httpStatus)
                                        .arg(result.latencyMs));
                m_output.line(QStringLiteral("Expected response_token: %1")
                                  .arg(QString::fromLatin1(result.expectedToken)));
                m_output.line(QStringLiteral("Received response_token: %1")
                                  .arg(result.receivedToken.isEmpty()
                                           ? QStringLiteral("(none)")
                                           : QString::fromUtf8(result.receivedToken.left(200))));
            }
            if (!result.remedy.isEmpty())
                m_output.line(result.remedy);
        }
        finish(result.passed ? ExitOk : result.isNetworkFailure() ? ExitNetwork : ExitApiRefused);
    });
    test->run(url);
}

void Runner::listWebhooks()
{
    if (!prepareClient({Operation::ListWebhooks}))
        return;
    m_client->listWebhooks(this, [this](const Result<QList<Webhook>> &result) {
        if (!result)
            return fail(result.error());
        warnPartial(result.partialErrors());
        if (m_output.json()) {
            QJsonArray hooks;
            for (const Webhook &w : result.value())
                hooks.append(webhookObject(w));
            m_output.document({{QStringLiteral("webhooks"), hooks}});
        } else if (result.value().isEmpty()) {
            m_output.line(QStringLiteral("No webhooks registered."));
        } else {
            QList<QStringList> rows;
            for (const Webhook &w : result.value())
                rows.append({w.id, w.valid ? QStringLiteral("yes") : QStringLiteral("NO"),
                             isoTime(w.createdAt), w.url});
            m_output.table({QStringLiteral("ID"), QStringLiteral("VALID"), QStringLiteral("CREATED"),
                            QStringLiteral("URL")},
                           rows);
        }
        finish(ExitOk);
    });
}

void Runner::registerWebhook()
{
    if (!prepareClient({Operation::RegisterWebhook}))
        return;
    const qint64 entry = history().begin(Operation::RegisterWebhook, *m_client,
                                         {{QStringLiteral("url"), m_inv.arguments.value(0)}});
    m_client->registerWebhook(m_inv.arguments.value(0), this, [this, entry](const Result<Webhook> &result) {
        if (!result) {
            history().failed(entry, result.error());
            return fail(result.error());
        }
        succeeded(entry, QStringLiteral("webhook %1").arg(result.value().id), result.partialErrors());
        const Webhook &w = result.value();
        if (m_output.json())
            m_output.document({{QStringLiteral("webhook"), webhookObject(w)}});
        else
            m_output.line(
                QStringLiteral("Registered webhook %1 (%2): %3")
                    .arg(w.id, w.valid ? QStringLiteral("valid") : QStringLiteral("NOT valid"), w.url));
        finish(ExitOk);
    });
}

void Runner::validateWebhook()
{
    if (!prepareClient({Operation::ValidateWebhook}))
        return;
    const QString id = m_inv.arguments.value(0);
    const qint64 entry =
        history().begin(Operation::ValidateWebhook, *m_client, {{QStringLiteral("webhook_id"), id}});
    m_client->validateWebhook(id, this, [this, id, entry](const Result<bool> &result) {
        if (!result) {
            history().failed(entry, result.error());
            return fail(result.error());
        }
        succeeded(entry, result.value() ? QStringLiteral("valid") : QStringLiteral("not valid"),
                  result.partialErrors());
        if (m_output.json())
            m_output.document(
                {{QStringLiteral("webhook_id"), id}, {QStringLiteral("valid"), result.value()}});
        else
            m_output.line(
                result.value()
                    ? QStringLiteral("Webhook %1 passed the CRC check and is valid.").arg(id)
                    : QStringLiteral("Webhook %1 is not valid: the CRC check did not pass.").arg(id));
        finish(ExitOk);
    });
}

void Runner::deleteWebhook()
{
    if (!prepareClient({Operation::DeleteWebhook}))
        return;
    const QString id = m_inv.arguments.value(0);
    if (const auto invalid = validate::numericId(id, QStringLiteral("webhook id")))
        return fail(*invalid);
    confirmThen(
        QStringLiteral("Delete webhook %1? Its subscriptions go with it and must be re-added to a new "
                       "webhook one by one.")
            .arg(id),
        id, [this, id] {
            const qint64 entry =
                history().begin(Operation::DeleteWebhook, *m_client, {{QStringLiteral("webhook_id"), id}});
            m_client->deleteWebhook(id, this, [this, id, entry](const Result<Done> &result) {
                if (!result) {
                    history().failed(entry, result.error());
                    return fail(result.error());
                }
                succeeded(entry, QStringLiteral("deleted"), result.partialErrors());
                if (m_output.json())
                    m_output.document(
                        {{QStringLiteral("webhook_id"), id}, {QStringLiteral("deleted"), true}});
                else
                    m_output.line(QStringLiteral("Deleted webhook %1.").arg(id));
                finish(ExitOk);
            });
        });
}

void Runner::subscriptionCount()
{
    if (!prepareClient({Operation::SubscriptionCount}))
        return;
    m_client->subscriptionCount(this, [this](const Result<SubscriptionCount> &result) {
        if (!result)
            return fail(result.error());
        const SubscriptionCount &c = result.value();
        if (m_output.json()) {
            m_output.document(
                {{QStringLiteral("account_name"), c.accountName},
                 {QStringLiteral("subscriptions_count_all"), c.subscriptionsAll},
                 {QStringLiteral("subscriptions_count_direct_messages"), c.subscriptionsDirectMessages},
                 {QStringLiteral("provisioned_count"), c.provisioned}});
        } else {
            m_output.table(
                {QStringLiteral("ACCOUNT"), QStringLiteral("SUBSCRIPTIONS"), QStringLiteral("PROVISIONED"),
                 QStringLiteral("FREE")},
                {{c.accountName, QString::number(c.subscriptionsAll), QString::number(c.provisioned),
                  QString::number(qMax<qint64>(0, c.provisioned - c.subscriptionsAll))}});
        }
        finish(ExitOk);
    });
}

void Runner::listSubscriptions()
{
    QList<Operation> ops {Operation::ListSubscriptions};
    if (m_inv.resolve)
        ops.append(Operation::UsersLookup);
    if (!prepareClient(ops))
        return;
    m_client->listSubscriptions(m_inv.arguments.value(0), this,
                                [this](const Result<SubscriptionList> &result) {
                                    if (!result)
                                        return fail(result.error());
                                    if (m_inv.resolve && !result.value().userIds.isEmpty())
                                        resolveNames(result.value(), 0, {});
                                    else
                                        printSubscriptions(result.value(), {});
                                });
}

void Runner::resolveNames(const SubscriptionList &list, qsizetype offset, QHash<QString, UserInfo> names)
{
    if (offset >= list.userIds.size()) {
        printSubscriptions(list, names);
        return;
    }
    // One batch of up to 100 ids at a time, never one call per user.
    const QStringList batch = list.userIds.mid(offset, endpoints::maxUsersPerLookup);
    m_client->lookupUsers(
        batch, this,
        [this, list, offset, names = std::move(names)](const Result<QList<UserInfo>> &result) mutable {
            if (!result)
                return fail(result.error());
            for (const UserInfo &user : result.value())
                names.insert(user.id, user);
            resolveNames(list, offset + endpoints::maxUsersPerLookup, std::move(names));
        });
}

void Runner::printSubscriptions(const SubscriptionList &list, const QHash<QString, UserInfo> &names)
{
    if (m_output.json()) {
        QJsonArray subscriptions;
        for (const QString &id : list.userIds) {
            QJsonObject item {{QStringLiteral("user_id"), id}};
            if (m_inv.resolve) {
                const auto it = names.constFind(id);
                item.insert(QStringLiteral("username"),
                            it == names.cend() ? QJsonValue() : QJsonValue(it->username));
                item.insert(QStringLiteral("name"), it == names.cend() ? QJsonValue() : QJsonValue(it->name));
            }
            subscriptions.append(item);
        }
        m_output.document({{QStringLiteral("webhook_id"), list.webhookId},
                           {QStringLiteral("webhook_url"), list.webhookUrl},
                           {QStringLiteral("application_id"), list.applicationId},
                           {QStringLiteral("subscriptions"), subscriptions}});
    } else if (list.userIds.isEmpty()) {
        m_output.line(QStringLiteral("No subscriptions."));
    } else {
        QList<QStringList> rows;
        for (const QString &id : list.userIds) {
            if (!m_inv.resolve) {
                rows.append({id});
                continue;
            }
            const auto it = names.constFind(id);
            rows.append({id,
                         it == names.cend() ? QStringLiteral("(unknown)") : QLatin1Char('@') + it->username,
                         it == names.cend() ? QString() : it->name});
        }
        if (m_inv.resolve)
            m_output.table({QStringLiteral("USER ID"), QStringLiteral("USERNAME"), QStringLiteral("NAME")},
                           rows);
        else
            m_output.table({QStringLiteral("USER ID")}, rows);
    }
    finish(ExitOk);
}

void Runner::addSubscription()
{
    if (!prepareClient({Operation::Subscribe}))
        return;
    const QString id = m_inv.arguments.value(0);
    const qint64 entry = history().begin(Operation::Subscribe, *m_client,
                                         {{QStringLiteral("webhook_id"), id}}, &m_credentials.user);
    m_client->subscribe(id, m_credentials.user, this, [this, id, entry](const Result<Done> &result) {
        if (!result) {
            history().failed(entry, result.error());
            return fail(result.error());
        }
        succeeded(entry, QStringLiteral("subscribed"), result.partialErrors());
        const QString who = m_credentials.user.userId.isEmpty()
            ? QStringLiteral("the user of ACTIVITY_USER_TOKEN")
            : QStringLiteral("user %1").arg(m_credentials.user.userId);
        if (m_output.json())
            m_output.document({{QStringLiteral("webhook_id"), id},
                               {QStringLiteral("user_id"), m_credentials.user.userId},
                               {QStringLiteral("subscribed"), true}});
        else
            m_output.line(QStringLiteral("Subscribed %1 to webhook %2. Events can take up to 10 s to start.")
                              .arg(who, id));
        finish(ExitOk);
    });
}

void Runner::checkSubscription()
{
    if (!prepareClient({Operation::CheckSubscription}))
        return;
    const QString id = m_inv.arguments.value(0);
    m_client->checkSubscription(id, m_credentials.user, this, [this, id](const Result<bool> &result) {
        if (!result)
            return fail(result.error());
        if (m_output.json())
            m_output.document({{QStringLiteral("webhook_id"), id},
                               {QStringLiteral("user_id"), m_credentials.user.userId},
                               {QStringLiteral("subscribed"), result.value()}});
        else
            m_output.line(result.value() ? QStringLiteral("Subscribed to webhook %1.").arg(id)
                                         : QStringLiteral("Not subscribed to webhook %1.").arg(id));
        finish(ExitOk);
    });
}

void Runner::removeSubscription()
{
    if (!prepareClient({Operation::UnsubscribeUser}))
        return;
    const QString webhookId = m_inv.arguments.value(0);
    const QString userId = m_inv.arguments.value(1);
    if (auto invalid = validate::numericId(webhookId, QStringLiteral("webhook id")))
        return fail(*invalid);
    if (auto invalid = validate::numericId(userId, QStringLiteral("user id")))
        return fail(*invalid);
    confirmThen(
        QStringLiteral("Unsubscribe user %1 from webhook %2? Their events stop arriving.")
            .arg(userId, webhookId),
        userId, [this, webhookId, userId] {
            const qint64 entry = history().begin(
                Operation::UnsubscribeUser, *m_client,
                {{QStringLiteral("webhook_id"), webhookId}, {QStringLiteral("user_id"), userId}});
            m_client->unsubscribe(
                webhookId, userId, this, [this, webhookId, userId, entry](const Result<Done> &result) {
                    if (!result) {
                        history().failed(entry, result.error());
                        return fail(result.error());
                    }
                    succeeded(entry, QStringLiteral("unsubscribed"), result.partialErrors());
                    if (m_output.json())
                        m_output.document({{QStringLiteral("webhook_id"), webhookId},
                                           {QStringLiteral("user_id"), userId},
                                           {QStringLiteral("removed"), true}});
                    else
                        m_output.line(
                            QStringLiteral("Unsubscribed user %1 from webhook %2.").arg(userId, webhookId));
                    finish(ExitOk);
                });
        });
}

HistoryRecorder &Runner::history()
{
    if (!m_history) {
        auto store = std::make_unique<HistoryStore>(historyPath(m_environment));
        // Old entries go while the command runs; what is left when it ends goes next time.
        store->setRetention(historyRetention(m_environment));
        store->pruneInBackground();
        m_history = std::make_unique<HistoryRecorder>(std::move(store), &m_output);
        m_history->setProfile(m_profileId, m_profileName);
    }
    return *m_history;
}

void Runner::showHistory()
{
    // Pruned first, so that what is printed is what the history keeps.
    m_historyView = std::make_unique<HistoryStore>(historyPath(m_environment));
    m_historyView->setRetention(historyRetention(m_environment));
    if (!m_historyView->isOpen()) {
        finish(printHistory(*m_historyView, m_inv.history, m_output));
        return;
    }
    connect(m_historyView.get(), &HistoryStore::pruned, this,
            [this] { finish(printHistory(*m_historyView, m_inv.history, m_output)); });
    m_historyView->pruneInBackground();
}

void Runner::replay()
{
    const Result<QDateTime> from = validate::parseReplayTime(m_inv.from);
    if (!from)
        return fail(from.error());
    const Result<QDateTime> to = validate::parseReplayTime(m_inv.to);
    if (!to)
        return fail(to.error());
    const Operation operation = endpoints::replayOperation(m_inv.generation);
    if (!prepareClient({operation}))
        return;
    const QString id = m_inv.arguments.value(0);
    const qint64 entry = history().begin(operation, *m_client,
                                         {{QStringLiteral("webhook_id"), id},
                                          {QStringLiteral("from"), validate::formatReplayTime(from.value())},
                                          {QStringLiteral("to"), validate::formatReplayTime(to.value())}});
    auto done = [this, id, entry, from = from.value(), to = to.value()](const Result<ReplayJob> &result) {
        if (!result) {
            history().failed(entry, result.error());
            return fail(result.error());
        }
        succeeded(entry, QStringLiteral("job %1").arg(result.value().jobId), result.partialErrors());
        if (m_output.json())
            m_output.document({{QStringLiteral("webhook_id"), id},
                               {QStringLiteral("job_id"), result.value().jobId},
                               {QStringLiteral("created_at"), isoTime(result.value().createdAt)},
                               {QStringLiteral("from_date"), validate::formatReplayTime(from)},
                               {QStringLiteral("to_date"), validate::formatReplayTime(to)}});
        else
            m_output.line(
                QStringLiteral("Replay job %1 started for webhook %2 (%3 to %4 UTC). Completion arrives at "
                               "the webhook as a replay_job_status event.")
                    .arg(result.value().jobId, id, validate::formatReplayTime(from),
                         validate::formatReplayTime(to)));
        finish(ExitOk);
    };
    m_client->replay(id, from.value(), to.value(), this, std::move(done));
}

void Runner::login()
{
    if (m_profileId.isEmpty()) {
        fail(ApiError::make(ApiError::Kind::MissingCredentials,
                            QStringLiteral("'login' keeps the signed-in account under a stored profile, and "
                                           "none was given."),
                            QStringLiteral("Pass --profile NAME (profiles are created in the console).")));
        return;
    }
    if (!prepareClient({Operation::RequestToken, Operation::AccessToken}))
        return;
    // The terminal has no browser to catch a callback: always the PIN (out-of-band) flow.
    m_signIn = new SignInFlow(m_client.get(), QStringLiteral("oob"), this);
    connect(m_signIn, &SignInFlow::authorizeUrlReady, this, [this](const QUrl &url) {
        m_output.note(QStringLiteral("Open this address in a browser, sign in as the user to subscribe, and "
                                     "authorise the app:\n\n  ") +
                      url.toString(QUrl::FullyEncoded) + QLatin1Char('\n'));
        promptPin();
    });
    connect(m_signIn, &SignInFlow::pinRejected, this, [this](const ApiError &error) {
        m_output.error(error.text());
        promptPin();
    });
    connect(m_signIn, &SignInFlow::finished, this, [this] {
        m_stdinNotifier.reset();
        if (!m_signIn->result())
            return fail(m_signIn->result().error());
        const SignedInUser user = m_signIn->result().value();
        const Account account {user.userId, user.username, QDateTime::currentDateTimeUtc()};
        m_profiles->saveAccount(m_profileId, account, AccountTokens {user.token, user.tokenSecret}, this,
                                [this, account](const Result<Done> &saved) {
                                    if (!saved)
                                        return fail(saved.error());
                                    if (m_output.json())
                                        m_output.document({{QStringLiteral("user_id"), account.userId},
                                                           {QStringLiteral("username"), account.username},
                                                           {QStringLiteral("profile"), m_inv.profile}});
                                    else
                                        m_output.line(
                                            QStringLiteral("Signed in as @%1 (%2). The account's tokens are "
                                                           "in the keychain; use --user %1 to subscribe it.")
                                                .arg(account.username, account.userId));
                                    finish(ExitOk);
                                });
    });
    m_signIn->start();
}

void Runner::promptPin()
{
    m_output.prompt(QStringLiteral("PIN shown by X: "));
    m_stdinNotifier = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
    connect(m_stdinNotifier.get(), &QSocketNotifier::activated, this, [this] {
        m_stdinNotifier->setEnabled(false);
        char buffer[128];
        const ssize_t count = ::read(STDIN_FILENO, buffer, sizeof(buffer));
        if (count <= 0) {
            // stdin closed before a PIN came: the person gave up.
            m_signIn->cancel();
            return;
        }
        m_signIn->submitPin(QString::fromLocal8Bit(buffer, qsizetype(count)).trimmed());
    });
}

} // namespace activity::cli
