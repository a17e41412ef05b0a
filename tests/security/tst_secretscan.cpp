// Secrets stay secret, checked on a whole session in one process against the in-process sandbox:
// a profile with all its secrets saved through ProfileStore to the real keychain, an account's
// tokens saved the same way, the client built from what the keychain gives back, calls that
// succeed and calls that fail (wrong secret → 32, unknown webhook, replay window), every write
// recorded in the history database, and activity-cli run as a child process with the secrets in
// its environment and --verbose. Then every file under this test's own HOME/XDG_*/TMPDIR, every
// log message of the process (all categories, debug included), everything the CLI printed, and
// every request-log entry and its curl are searched for each secret in raw, percent-encoded,
// double-percent-encoded and base64 form. Expected: zero hits.
//
// Needs the unlocked Secret Service that tools/run-tests provides (label "keychain").
#include "AccountSignIns.h"
#include "ActivityConfig.h"
#include "ApiClient.h"
#include "CliProcess.h"
#include "HistoryStore.h"
#include "OAuth1.h"
#include "OAuth2.h"
#include "ProfileResolver.h"
#include "ProfileStore.h"
#include "RequestLog.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "SecretStore.h"
#include "SignInFlow.h"
#include "TestEnvironment.h"
#include "UserTokenKeeper.h"

#include "SignInTestSupport.h"

#include <QDirIterator>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>

#include <memory>
#include <optional>

#include <cstdlib>

using namespace activity;
using namespace std::chrono_literals;
namespace demo = activity::sandbox::demo;

namespace {

// Set up in initMain(), before the application object reads its environment.
QString g_root;
QMutex g_logMutex;
QStringList g_logLines;
QtMessageHandler g_previousHandler = nullptr;

void recordMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_logLines.append(QString::fromLatin1(context.category ? context.category : "default") +
                          QStringLiteral(": ") + message);
    }
    // Only warnings and worse reach the test output; everything is recorded for the scan.
    if (type != QtDebugMsg && type != QtInfoMsg && g_previousHandler)
        g_previousHandler(type, context, message);
}

template<typename T, typename Start> Result<T> await(Start start)
{
    std::optional<Result<T>> out;
    start([&](const Result<T> &result) { out.emplace(result); });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 20000)) {
        return ApiError::make(ApiError::Kind::Timeout,
                              QStringLiteral("The test gave up waiting for the callback."));
    }
    return *out;
}

QDateTime wholeMinute(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    return QDateTime(utc.date(), QTime(utc.time().hour(), utc.time().minute()), Qt::UTC);
}

// The forms a secret can take in text: raw, percent-encoded once and twice (OAuth base strings),
// and base64 at each of the three byte alignments it can have inside a longer encoded value.
QList<QByteArray> formsOf(const QByteArray &secret)
{
    QList<QByteArray> forms {secret, oauth1::percentEncode(secret),
                             QUrl::toPercentEncoding(QString::fromLatin1(secret)),
                             oauth1::percentEncode(oauth1::percentEncode(secret))};
    for (int offset = 0; offset < 3; ++offset) {
        for (const auto options : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
            const QByteArray encoded = QByteArray(QByteArray(offset, '\0') + secret)
                                           .toBase64(options | QByteArray::OmitTrailingEquals);
            const qsizetype skip = (offset * 4 + 2) / 3; // characters that depend on the padding
            const qsizetype exact = (offset + secret.size()) * 8 / 6; // fully determined characters
            forms.append(encoded.mid(skip, exact - skip));
        }
    }
    QList<QByteArray> unique;
    for (const QByteArray &form : forms) {
        if (!form.isEmpty() && !unique.contains(form))
            unique.append(form);
    }
    return unique;
}

struct Needle
{
    QString name;
    QByteArray bytes;
};

struct Hit
{
    QString where;
    QString needle;
};

} // namespace

class TestSecretScan : public QObject
{
    Q_OBJECT

    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;
    QList<Needle> m_needles;
    QList<Hit> m_hits;
    qint64 m_scannedFiles = 0;
    qint64 m_scannedFileBytes = 0;
    qint64 m_scannedLines = 0;
    qint64 m_scannedTextBytes = 0;

    void addSecret(const QString &name, const QByteArray &secret)
    {
        for (const QByteArray &form : formsOf(secret))
            m_needles.append({name, form});
    }

    // A hit names where it was and shows ~60 characters around it, the found value itself masked.
    void scanText(const QString &where, const QByteArray &text)
    {
        for (const Needle &needle : std::as_const(m_needles)) {
            const qsizetype at = text.indexOf(needle.bytes);
            if (at < 0)
                continue;
            QByteArray context = text.mid(qMax<qsizetype>(0, at - 60), 60 + needle.bytes.size() + 60);
            for (const Needle &n : std::as_const(m_needles))
                context.replace(n.bytes, QByteArray("<" + n.name.toUtf8() + ">"));
            m_hits.append({where + QStringLiteral(": ...") + QString::fromUtf8(context).simplified() +
                               QStringLiteral("..."),
                           needle.name});
        }
    }

    void scanLines(const QString &where, const QByteArray &text)
    {
        m_scannedLines += text.count('\n') + (text.endsWith('\n') || text.isEmpty() ? 0 : 1);
        m_scannedTextBytes += text.size();
        scanText(where, text);
    }

    // Every entry of the request log: method, URL, headers, bodies, error, and its curl.
    void scanRequestLog(const RequestLog &log)
    {
        for (const RequestLogEntry &e : log.entries()) {
            QByteArray text = e.method + ' ' + e.url.toUtf8() + '\n';
            for (const auto &[name, value] : e.requestHeaders)
                text += name + ": " + value + '\n';
            text += e.requestBody + '\n' + e.responseBody + '\n' + e.error.toUtf8() + '\n';
            scanLines(QStringLiteral("request log entry %1 (%2)").arg(e.id).arg(e.operation), text);
            scanLines(QStringLiteral("curl of entry %1").arg(e.id), e.curl.toUtf8());
        }
    }

    void scanFiles(const QString &root)
    {
        QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) // sockets, fifos
                continue;
            const QByteArray bytes = file.readAll();
            ++m_scannedFiles;
            m_scannedFileBytes += bytes.size();
            scanText(QDir(root).relativeFilePath(path), bytes);
        }
    }

    std::unique_ptr<ApiClient> makeClient(const AppCredentials &credentials, RequestLog *log,
                                          ApiGeneration generation = ApiGeneration::V2)
    {
        ClientConfig config;
        config.baseUrl = m_server->baseUrl();
        config.allowInsecureLoopback = true; // the sandbox, on plain http
        config.generation = generation;
        config.transferTimeout = 10s;
        config.backoffBase = 1ms;
        return std::make_unique<ApiClient>(m_network.get(), config, credentials, log);
    }

    // activity-cli against this test's sandbox, with the request log printed (--verbose).
    clitest::Run cli(const QStringList &arguments, const QProcessEnvironment &env)
    {
        return clitest::runCliProcess(
            QStringList {QStringLiteral("--base-url=") + m_server->baseUrl().toString(),
                         QStringLiteral("--allow-insecure-loopback"), QStringLiteral("--verbose")} +
                arguments,
            env);
    }

public:
    // Before QCoreApplication: this process's HOME, XDG_* (except the runtime folder, which holds
    // the session's keyring socket) and TMPDIR all point into one fresh folder, scanned at the end.
    static void initMain()
    {
        QByteArray base = qgetenv("TMPDIR");
        if (base.isEmpty())
            base = "/tmp";
        QByteArray pattern = base + "/activity-secretscan.XXXXXX";
        if (!mkdtemp(pattern.data()))
            qFatal("cannot create the scan folder");
        g_root = QString::fromLocal8Bit(pattern);
        for (const char *name : {"home", "data", "config", "cache", "tmp"})
            QDir().mkpath(g_root + QLatin1Char('/') + QLatin1String(name));
        qputenv("HOME", (pattern + "/home"));
        qputenv("XDG_DATA_HOME", (pattern + "/data"));
        qputenv("XDG_CONFIG_HOME", (pattern + "/config"));
        qputenv("XDG_CACHE_HOME", (pattern + "/cache"));
        qputenv("TMPDIR", (pattern + "/tmp"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!g_root.isEmpty());
        QStandardPaths::setTestModeEnabled(false);
        QCOMPARE(QDir::homePath(), g_root + QStringLiteral("/home"));
        // Every category, debug included, so that nothing the code logs escapes the scan.
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true\nqt.qpa.*=false"));
        g_previousHandler = qInstallMessageHandler(recordMessage);

        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
        m_network = std::make_unique<QNetworkAccessManager>();

        addSecret(QStringLiteral("consumer secret"), demo::consumerSecret);
        addSecret(QStringLiteral("owner token"), demo::ownerToken);
        addSecret(QStringLiteral("owner token secret"), demo::ownerTokenSecret);
        addSecret(QStringLiteral("bearer token"), demo::bearerToken);
        addSecret(QStringLiteral("alice's token"), demo::alice.token);
        addSecret(QStringLiteral("alice's token secret"), demo::alice.tokenSecret);
        addSecret(QStringLiteral("bob's token"), demo::bob.token);
        addSecret(QStringLiteral("bob's token secret"), demo::bob.tokenSecret);
        addSecret(QStringLiteral("wrong consumer secret"), wrongSecret());
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previousHandler);
        QLoggingCategory::setFilterRules({});
        m_server.reset();
        if (!QTest::currentTestFailed() && qEnvironmentVariableIsEmpty("ACTIVITY_KEEP_SCAN_FOLDER"))
            QDir(g_root).removeRecursively();
    }

    // The scanner itself: each way a secret travels is recognised, so "0 hits" means something.
    void shouldRecogniseEveryFormOfASecret()
    {
        const QByteArray secret = demo::bearerToken; // contains %2F and %3D already
        const QList<QByteArray> forms = formsOf(secret);
        auto found = [&](const QByteArray &text) {
            return std::any_of(forms.cbegin(), forms.cend(),
                               [&](const QByteArray &f) { return text.contains(f); });
        };
        QVERIFY(found("Authorization: Bearer " + secret));
        QVERIFY(found("token=" + QUrl::toPercentEncoding(QString::fromLatin1(secret))));
        QVERIFY(found("&oauth_token%3D" + oauth1::percentEncode(oauth1::percentEncode(secret))));
        for (const char *prefix : {"", "k:", "ke:", "key:"}) {
            QVERIFY(found("Basic " + QByteArray(QByteArray(prefix) + secret).toBase64()));
            QVERIFY(
                found(QByteArray(QByteArray(prefix) + secret + "!").toBase64(QByteArray::Base64UrlEncoding)));
        }
        QVERIFY(!found("Bearer [redacted]"));
    }

    void shouldLeakNoSecretAnywhereInAFullSession()
    {
        // --- the profile and an account, through ProfileStore into the real keychain ---------------
        QSettings settings; // the console's own settings file, under the scanned XDG_CONFIG_HOME
        SecretStore secrets(
            QStringLiteral("activity-console-secretscan-%1").arg(QCoreApplication::applicationPid()));
        secrets.setTimeout(10s);
        ProfileStore profiles(&settings, &secrets);
        Profile profile;
        profile.name = QStringLiteral("Sandbox app");
        profile.generation = ApiGeneration::V2;
        profile.baseUrl = m_server->baseUrl().toString();
        profile.consumerKey = QString::fromLatin1(demo::consumerKey);
        const QString profileId = profiles.saveProfile(profile);
        const ProfileSecrets stored {demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret,
                                     demo::bearerToken};

        std::optional<Result<Done>> saved;
        profiles.saveSecrets(profileId, stored, this, [&](const Result<Done> &r) { saved.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(saved.has_value(), 15000);
        if (!saved->ok())
            ACTIVITY_SKIP_UNLESS_PROVIDED(
                QStringLiteral("no usable keychain here (run through tools/run-tests): ") +
                saved->error().text());

        std::optional<Result<Done>> accountSaved;
        const Account alice {demo::alice.id, demo::alice.username, QDateTime::currentDateTimeUtc()};
        profiles.saveAccount(profileId, alice, AccountTokens {demo::alice.token, demo::alice.tokenSecret},
                             this, [&](const Result<Done> &r) { accountSaved.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(accountSaved.has_value(), 15000);
        QVERIFY2(accountSaved->ok(), accountSaved->ok() ? "" : qPrintable(accountSaved->error().text()));

        // --- read back, as a fresh start of the console would ---------------------------------------
        std::optional<Result<ProfileSecrets>> loaded;
        profiles.loadSecrets(profileId, this, [&](const Result<ProfileSecrets> &r) { loaded.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(loaded.has_value(), 15000);
        QVERIFY2(loaded->ok(), loaded->ok() ? "" : qPrintable(loaded->error().text()));
        QVERIFY(loaded->value() == stored);
        std::optional<Result<AccountTokens>> tokens;
        profiles.loadAccountTokens(profileId, alice.userId, this,
                                   [&](const Result<AccountTokens> &r) { tokens.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(tokens.has_value(), 15000);
        QVERIFY(tokens->ok());
        const UserCredentials aliceUser {tokens->value().token, tokens->value().tokenSecret, alice.userId,
                                         alice.username};

        // --- the session: successes and failures, each write recorded in the history ---------------
        auto history = std::make_unique<HistoryStore>(); // default path: under the scanned XDG_DATA_HOME
        QVERIFY2(history->isOpen(), qPrintable(history->lastError()));
        QVERIFY(history->databasePath().startsWith(g_root));
        RequestLog log;
        const ProfileSecrets &s = loaded->value();
        auto client = makeClient(AppCredentials {demo::consumerKey, s.consumerSecret, s.ownerToken,
                                                 s.ownerTokenSecret, s.bearerToken},
                                 &log);
        auto record = [&](Operation op, const QJsonObject &parameters,
                          const UserCredentials *user = nullptr) {
            HistoryAction action;
            action.operation = op;
            action.source = QStringLiteral("console");
            action.profileId = profileId;
            action.profileName = profile.name;
            action.host = m_server->baseUrl().authority();
            if (user) {
                action.accountUserId = user->userId;
                action.accountUsername = user->username;
            }
            action.parameters = parameters;
            return history->begin(action);
        };
        auto settle = [&](qint64 id, const ApiError *error) {
            history->complete(
                id, error ? HistoryOutcome::failure(*error) : HistoryOutcome::success(QStringLiteral("ok")));
        };

        const auto listed = await<QList<Webhook>>([&](auto done) { client->listWebhooks(this, done); });
        QVERIFY(listed.ok());

        const QString url = m_server->demoReceiverUrl(QStringLiteral("scan"));
        qint64 h = record(Operation::RegisterWebhook, {{QStringLiteral("url"), url}});
        const auto registered = await<Webhook>([&](auto done) { client->registerWebhook(url, this, done); });
        QVERIFY2(registered.ok(), registered.ok() ? "" : qPrintable(registered.error().text()));
        settle(h, nullptr);
        const QString webhookId = registered.value().id;

        h = record(Operation::ValidateWebhook, {{QStringLiteral("webhook_id"), webhookId}});
        const auto validated =
            await<bool>([&](auto done) { client->validateWebhook(webhookId, this, done); });
        QVERIFY(validated.ok());
        settle(h, nullptr);

        h = record(Operation::Subscribe, {{QStringLiteral("webhook_id"), webhookId}}, &aliceUser);
        const auto subscribed =
            await<Done>([&](auto done) { client->subscribe(webhookId, aliceUser, this, done); });
        QVERIFY2(subscribed.ok(), subscribed.ok() ? "" : qPrintable(subscribed.error().text()));
        settle(h, nullptr);

        const QDateTime now = wholeMinute(m_server->now());
        h = record(Operation::ReplayAccountActivity,
                   {{QStringLiteral("webhook_id"), webhookId},
                    {QStringLiteral("from"), now.addSecs(-7200).toString(Qt::ISODate)},
                    {QStringLiteral("to"), now.addSecs(-3600).toString(Qt::ISODate)}});
        const auto replayed = await<ReplayJob>([&](auto done) {
            client->replay(webhookId, now.addSecs(-7200), now.addSecs(-3600), this, done);
        });
        QVERIFY2(replayed.ok(), replayed.ok() ? "" : qPrintable(replayed.error().text()));
        settle(h, nullptr);

        // Failures: a window X does not accept, an unknown webhook, a wrong consumer secret.
        h = record(Operation::ReplayAccountActivity, {{QStringLiteral("webhook_id"), webhookId}});
        const auto badWindow = await<ReplayJob>(
            [&](auto done) { client->replay(webhookId, now.addDays(-60), now.addDays(-59), this, done); });
        QVERIFY(!badWindow.ok());
        settle(h, &badWindow.error());

        const QString unknown = QStringLiteral("1999999999999999999");
        h = record(Operation::DeleteWebhook, {{QStringLiteral("webhook_id"), unknown}});
        const auto deletedUnknown =
            await<Done>([&](auto done) { client->deleteWebhook(unknown, this, done); });
        QVERIFY(!deletedUnknown.ok());
        QCOMPARE(deletedUnknown.error().kind, ApiError::Kind::NotFound);
        settle(h, &deletedUnknown.error());

        // v1.1 signs register with OAuth 1.0a (the app owner), where a wrong secret is X's 32.
        auto wrong = makeClient(
            AppCredentials {demo::consumerKey, wrongSecret(), s.ownerToken, s.ownerTokenSecret, {}}, &log,
            ApiGeneration::V1_1);
        h = record(Operation::RegisterWebhook, {{QStringLiteral("url"), url}});
        const auto refused = await<Webhook>([&](auto done) { wrong->registerWebhook(url, this, done); });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ApiError::Kind::Authentication);
        QCOMPARE(refused.error().code, 32);
        settle(h, &refused.error());
        // App-only with a consumer secret that is wrong: the bearer-token fetch itself fails.
        const auto refusedBearer =
            await<SubscriptionCount>([&](auto done) { wrong->subscriptionCount(this, done); });
        QVERIFY(!refusedBearer.ok());

        h = record(
            Operation::UnsubscribeUser,
            {{QStringLiteral("webhook_id"), webhookId}, {QStringLiteral("user_id"), aliceUser.userId}});
        const auto unsubscribed =
            await<Done>([&](auto done) { client->unsubscribe(webhookId, aliceUser.userId, this, done); });
        QVERIFY(unsubscribed.ok());
        settle(h, nullptr);
        QCOMPARE(history->entries().size(), 8);

        // --- activity-cli with the secrets in its environment ---------------------------------------
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment(); // the scanned HOME/XDG_*/TMPDIR
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_KEY"), QString::fromLatin1(demo::consumerKey));
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QString::fromLatin1(demo::consumerSecret));
        env.insert(QStringLiteral("ACTIVITY_ACCESS_TOKEN"), QString::fromLatin1(demo::ownerToken));
        env.insert(QStringLiteral("ACTIVITY_ACCESS_TOKEN_SECRET"),
                   QString::fromLatin1(demo::ownerTokenSecret));
        env.insert(QStringLiteral("ACTIVITY_BEARER_TOKEN"), QString::fromLatin1(demo::bearerToken));
        env.insert(QStringLiteral("ACTIVITY_USER_TOKEN"), QString::fromLatin1(demo::bob.token));
        env.insert(QStringLiteral("ACTIVITY_USER_TOKEN_SECRET"), QString::fromLatin1(demo::bob.tokenSecret));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true;qt.qpa.*=false"));
        const QString from = now.addSecs(-3 * 3600).toString(QStringLiteral("yyyyMMddHHmm"));
        const QString to = now.addSecs(-2 * 3600).toString(QStringLiteral("yyyyMMddHHmm"));
        const QList<QStringList> runs {
            {QStringLiteral("webhooks"), QStringLiteral("list")},
            {QStringLiteral("--json"), QStringLiteral("subscriptions"), QStringLiteral("count")},
            {QStringLiteral("subscriptions"), QStringLiteral("add"), webhookId},
            {QStringLiteral("subscriptions"), QStringLiteral("list"), webhookId, QStringLiteral("--resolve")},
            {QStringLiteral("subscriptions"), QStringLiteral("remove"), webhookId, demo::bob.id,
             QStringLiteral("--yes")},
            {QStringLiteral("replay"), webhookId, QStringLiteral("--from"), from, QStringLiteral("--to"), to},
            {QStringLiteral("webhooks"), QStringLiteral("delete"), unknown, QStringLiteral("--yes")},
            {QStringLiteral("crc"), QStringLiteral("challenge-123")},
        };
        // Accepted exit codes per run (a replay may meet the job started above: 1, conflict).
        const QList<QList<int>> expected {{0}, {0}, {0}, {0}, {0}, {0, 1}, {1}, {0}};
        int cliRuns = 0;
        for (qsizetype i = 0; i < runs.size(); ++i) {
            const QStringList &arguments = runs.at(i);
            const clitest::Run run = cli(arguments, env);
            // Only the exit code on failure: the output itself is what is under suspicion.
            QVERIFY2(expected.at(i).contains(run.exitCode),
                     qPrintable(QStringLiteral("activity-cli %1: exit %2")
                                    .arg(arguments.join(QLatin1Char(' ')))
                                    .arg(run.exitCode)));
            ++cliRuns;
            const QString name = QStringLiteral("activity-cli ") + arguments.join(QLatin1Char(' '));
            scanLines(name + QStringLiteral(" (stdout)"), run.out);
            scanLines(name + QStringLiteral(" (stderr)"), run.err);
        }
        // The CLI with a wrong consumer secret: 32 from X, and the wrong secret stays hidden too.
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QString::fromLatin1(wrongSecret()));
        env.remove(QStringLiteral("ACTIVITY_BEARER_TOKEN"));
        const clitest::Run refusedCli = cli({QStringLiteral("--api"), QStringLiteral("v1.1"),
                                             QStringLiteral("webhooks"), QStringLiteral("register"), url},
                                            env);
        QCOMPARE(refusedCli.exitCode, 1);
        QVERIFY(refusedCli.err.contains("32") || refusedCli.err.contains("authenticate"));
        scanLines(QStringLiteral("activity-cli with a wrong secret (stdout)"), refusedCli.out);
        scanLines(QStringLiteral("activity-cli with a wrong secret (stderr)"), refusedCli.err);
        ++cliRuns;

        // --- the scan ---------------------------------------------------------------------------------
        scanRequestLog(log);
        const qsizetype logEntries = log.entries().size();
        for (const HistoryEntry &e : history->entries())
            scanLines(QStringLiteral("history entry %1").arg(e.id),
                      (QJsonDocument(e.action.parameters).toJson() + e.errorCause.toUtf8() +
                       e.errorRemedy.toUtf8() + e.summary.toUtf8()));

        history.reset(); // closes the database: its WAL is checkpointed into the file
        settings.sync();

        QStringList lines;
        {
            QMutexLocker lock(&g_logMutex);
            lines = g_logLines;
        }
        // The sandbox plays X inside this process: QHttpServer's own debug output of the requests
        // it receives is the server side, like X's logs, and is outside what the client may leak.
        // It is scanned and reported, but not held to zero.
        qsizetype serverLines = 0;
        qsizetype serverHits = 0;
        for (const QString &line : std::as_const(lines)) {
            const QString category = line.section(QStringLiteral(": "), 0, 0);
            if (category.startsWith(QLatin1String("qt.httpserver"))) {
                ++serverLines;
                const qsizetype before = m_hits.size();
                scanText(QStringLiteral("server side"), line.toUtf8());
                serverHits += m_hits.size() - before;
                m_hits.resize(before);
                continue;
            }
            scanLines(QStringLiteral("log message [%1]").arg(category), line.toUtf8() + '\n');
        }
        scanFiles(g_root);
        qInstallMessageHandler(g_previousHandler); // from here on, the test's own output is shown

        qInfo("scanned %lld files (%lld bytes) under %s, %lld lines (%lld bytes) of log messages, CLI output "
              "(%d runs) and %lld request-log entries with their curls, for %lld needles (9 secrets x their "
              "forms): %lld hits",
              m_scannedFiles, m_scannedFileBytes, qPrintable(g_root), m_scannedLines, m_scannedTextBytes,
              cliRuns, qlonglong(logEntries), qlonglong(m_needles.size()), qlonglong(m_hits.size()));
        qInfo("not counted: %lld debug lines of the sandbox's QHttpServer (the emulated X receiving the "
              "requests), with %lld credential values in them",
              qlonglong(serverLines), qlonglong(serverHits));
        QStringList report;
        for (const Hit &hit : std::as_const(m_hits))
            report.append(hit.needle + QStringLiteral(" in ") + hit.where);
        report.removeDuplicates();
        QVERIFY2(m_hits.isEmpty(), qPrintable(report.join(QLatin1Char('\n'))));
        // The scan saw what it was meant to see.
        QVERIFY(m_scannedFiles >= 2); // settings + history database at least
        QVERIFY(lines.size() > 0);
        QVERIFY(logEntries >= 8);

        // Leave the keychain as it was.
        std::optional<Result<Done>> removed;
        profiles.removeProfile(profileId, this, [&](const Result<Done> &r) { removed.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(removed.has_value(), 15000);
    }

    // The OAuth 2.0 sign-in's secrets (client secret, access and refresh tokens before and after a
    // refresh, the PKCE verifier and code of a real exchange) on the same terms: an account kept in
    // the real keychain, a refresh through UserTokenKeeper written back to it, a subscribe with the
    // token, a revocation, `activity-cli profiles add` with the client secret in its environment and
    // `activity-cli` calls with ACTIVITY_OAUTH2_USER_TOKEN and --verbose. Then the files, the log
    // messages, the CLI's output and the request log are searched for each of them: zero hits.
    void shouldLeakNoOAuth2SecretAnywhere()
    {
        m_needles.clear();
        m_hits.clear();
        {
            QMutexLocker lock(&g_logMutex);
            g_logLines.clear();
        }
        g_previousHandler = qInstallMessageHandler(recordMessage);

        // The console's own settings file (under the scanned XDG_CONFIG_HOME), which activity-cli reads.
        QSettings settings(QStringLiteral(ACTIVITY_ORGANISATION), QStringLiteral(ACTIVITY_APPLICATION_NAME));
        // The programs' own keychain service: `activity-cli --profile` reads the same entries. The test
        // runs in its own D-Bus session and keyring, and removes what it made.
        SecretStore secrets;
        secrets.setTimeout(10s);
        ProfileStore profiles(&settings, &secrets);
        Profile profile;
        profile.name = QStringLiteral("OAuth 2.0 app");
        profile.baseUrl = m_server->baseUrl().toString();
        profile.consumerKey = QString::fromLatin1(demo::consumerKey);
        profile.oauth2ClientId = QString::fromLatin1(demo::oauth2ClientId);
        profile.oauth2RedirectUri = demo::oauth2RedirectUri;
        profile.isSandbox = true;
        const QString profileId = profiles.saveProfile(profile);
        ProfileSecrets stored {demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret,
                               demo::bearerToken};
        stored.oauth2ClientSecret = demo::oauth2ClientSecret;
        std::optional<Result<Done>> saved;
        profiles.saveSecrets(profileId, stored, this, [&](const Result<Done> &r) { saved.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(saved.has_value(), 15000);
        if (!saved->ok())
            ACTIVITY_SKIP_UNLESS_PROVIDED(
                QStringLiteral("no usable keychain here (run through tools/run-tests): ") +
                saved->error().text());

        RequestLog log;
        AppCredentials app {demo::consumerKey, demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret,
                            demo::bearerToken};
        app.oauth2ClientId = demo::oauth2ClientId;
        app.oauth2ClientSecret = demo::oauth2ClientSecret;
        auto client = makeClient(app, &log);

        // A real code exchange: the verifier and the code are secrets of the moment.
        const oauth2::Pkce pkce = oauth2::newPkce();
        QNetworkAccessManager browser;
        const QUrl authorize = oauth2::authorizeUrl(
            {oauth2::authorizeEndpoint(m_server->baseUrl()), QString::fromLatin1(demo::oauth2ClientId),
             QUrl(demo::oauth2RedirectUri), oauth2::accountActivityScopes(), pkce.state, pkce.challenge});
        const auto page = signintest::get(browser, authorize);
        const auto approved =
            signintest::submitOAuth2AuthorizeForm(browser, authorize, page.body, demo::carol.username,
                                                  demo::carol.password, QStringLiteral("allow"));
        const Result<QByteArray> code =
            oauth2::codeFromRedirect(oauth2::parseRedirect(approved.redirect), pkce.state);
        QVERIFY(code.ok());
        const auto exchanged = await<oauth2::Token>([&](auto done) {
            client->exchangeOAuth2Code(code.value(), QUrl(demo::oauth2RedirectUri), pkce.verifier, {}, this,
                                       done);
        });
        QVERIFY(exchanged.ok());
        addSecret(QStringLiteral("OAuth 2.0 client secret"), demo::oauth2ClientSecret);
        addSecret(QStringLiteral("PKCE verifier"), pkce.verifier);
        addSecret(QStringLiteral("authorization code"), code.value());
        addSecret(QStringLiteral("carol's first access token"), exchanged.value().accessToken);
        addSecret(QStringLiteral("carol's first refresh token"), exchanged.value().refreshToken);

        // Kept in the keychain, then refreshed on use (the console believes it expired).
        UserCredentials carol;
        carol.userId = demo::carol.id;
        carol.username = demo::carol.username;
        carol.oauth2 = exchanged.value();
        carol.oauth2.expiresAt = QDateTime::currentDateTimeUtc().addSecs(-1);
        std::optional<Result<UserCredentials>> kept;
        accounts::keep(&profiles, profileId, carol, this,
                       [&](const Result<UserCredentials> &r) { kept.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(kept.has_value(), 15000);
        QVERIFY(kept->ok());
        UserTokenKeeper keeper(client.get());
        keeper.setSave([&](const UserCredentials &user, std::function<void(const Result<Done> &)> done) {
            accounts::saveRefreshed(&profiles, profileId, user, this, std::move(done));
        });
        std::optional<Result<Done>> subscribed;
        keeper.call<Done>(
            Operation::Subscribe, carol, this,
            [&](const UserCredentials &now, QObject *context, ApiClient::Callback<Done> done) {
                client->subscribe(demo::validWebhookId, now, context, std::move(done));
            },
            [&](const Result<Done> &r) { subscribed.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(subscribed.has_value(), 15000);
        QVERIFY2(subscribed->ok(), subscribed->ok() ? "" : qPrintable(subscribed->error().text()));
        const UserCredentials renewed = keeper.latest(carol);
        QVERIFY(renewed.oauth2.accessToken != exchanged.value().accessToken);
        addSecret(QStringLiteral("carol's refreshed access token"), renewed.oauth2.accessToken);
        addSecret(QStringLiteral("carol's refreshed refresh token"), renewed.oauth2.refreshToken);

        // The CLI: a profile set up from the environment, then calls with the user token.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QString::fromLatin1(demo::consumerSecret));
        env.insert(QStringLiteral("ACTIVITY_OAUTH2_CLIENT_SECRET"),
                   QString::fromLatin1(demo::oauth2ClientSecret));
        env.insert(QStringLiteral("ACTIVITY_OAUTH2_USER_TOKEN"),
                   QString::fromLatin1(renewed.oauth2.accessToken));
        env.insert(QStringLiteral("ACTIVITY_BEARER_TOKEN"), QString::fromLatin1(demo::bearerToken));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true;qt.qpa.*=false"));
        const QList<QStringList> runs {
            {QStringLiteral("profiles"), QStringLiteral("add"), QStringLiteral("From the environment"),
             QStringLiteral("--oauth2-client-id"), QString::fromLatin1(demo::oauth2ClientId)},
            {QStringLiteral("profiles"), QStringLiteral("list"), QStringLiteral("--json")},
            {QStringLiteral("subscriptions"), QStringLiteral("check"), demo::validWebhookId},
            {QStringLiteral("--profile"), QStringLiteral("OAuth 2.0 app"), QStringLiteral("accounts"),
             QStringLiteral("--json")},
        };
        for (const QStringList &arguments : runs) {
            const clitest::Run run = cli(arguments, env);
            QVERIFY2(run.exitCode == 0,
                     qPrintable(arguments.join(QLatin1Char(' ')) + QStringLiteral(": exit ") +
                                QString::number(run.exitCode) + QLatin1Char(' ') +
                                QString::fromUtf8(run.err.left(300))));
            // Without a profile, ACTIVITY_OAUTH2_USER_TOKEN alone signs the v2 check.
            if (arguments.contains(QStringLiteral("check")))
                QVERIFY2(run.err.contains("OAuth 2.0 user"), run.err.constData());
            const QString name = QStringLiteral("activity-cli ") + arguments.join(QLatin1Char(' '));
            scanLines(name + QStringLiteral(" (stdout)"), run.out);
            scanLines(name + QStringLiteral(" (stderr)"), run.err);
        }

        // Revoked at X on removal.
        std::optional<std::optional<ApiError>> revoked;
        accounts::revokeOAuth2(client.get(), renewed, this,
                               [&](const std::optional<ApiError> &p) { revoked.emplace(p); });
        QTRY_VERIFY_WITH_TIMEOUT(revoked.has_value(), 15000);
        QVERIFY(!revoked->has_value());

        scanRequestLog(log);
        settings.sync();
        QStringList lines;
        {
            QMutexLocker lock(&g_logMutex);
            lines = g_logLines;
        }
        for (const QString &line : std::as_const(lines)) {
            const QString category = line.section(QStringLiteral(": "), 0, 0);
            if (category.startsWith(QLatin1String("qt.httpserver")))
                continue; // the emulated X receiving the requests, as above
            scanLines(QStringLiteral("log message [%1]").arg(category), line.toUtf8() + '\n');
        }
        scanFiles(g_root);
        qInstallMessageHandler(g_previousHandler);
        qInfo("OAuth 2.0: scanned %lld files, %lld log lines, %lld CLI runs and %lld request-log entries for "
              "%lld "
              "needles (7 secrets x their forms): %lld hits",
              m_scannedFiles, qlonglong(lines.size()), qlonglong(runs.size()),
              qlonglong(log.entries().size()), qlonglong(m_needles.size()), qlonglong(m_hits.size()));
        QStringList report;
        for (const Hit &hit : std::as_const(m_hits))
            report.append(hit.needle + QStringLiteral(" in ") + hit.where);
        report.removeDuplicates();
        QVERIFY2(m_hits.isEmpty(), qPrintable(report.join(QLatin1Char('\n'))));
        QVERIFY(log.entries().size() >= 4); // exchange, refresh, subscribe, revoke

        std::optional<Result<Done>> removed;
        profiles.removeProfile(profileId, this, [&](const Result<Done> &r) { removed.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(removed.has_value(), 15000);
    }

    // X answers oauth/request_token and oauth/access_token as text/html with a trailing newline.
    // The tokens they carry (dave's access token and secret, minted here) must stay out of the
    // request log and out of `activity-cli --verbose`.
    void shouldKeepSignInTokensOutOfTheLogWhenXAnswersAsHtml()
    {
        m_server->setXStyleTokenAnswers(true);
        m_hits.clear();

        // --- in process: the sign-in the console's dialog runs, with the PIN flow ----------------
        RequestLog log;
        auto client = makeClient(
            AppCredentials {
                demo::consumerKey, demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, {}},
            &log);
        SignInFlow flow(client.get(), QStringLiteral("oob"));
        QSignalSpy authorizeReady(&flow, &SignInFlow::authorizeUrlReady);
        QSignalSpy finished(&flow, &SignInFlow::finished);
        flow.start();
        QVERIFY(authorizeReady.wait(10000));
        QNetworkAccessManager browser;
        const QUrl authorize = flow.authorizeUrl();
        const auto page = signintest::get(browser, authorize);
        const auto pinPage = signintest::submitAuthorizeForm(
            browser, authorize, page.body, demo::dave.username, demo::dave.password, QStringLiteral("allow"));
        const QString pin = signintest::pinFrom(pinPage.body);
        QCOMPARE(pin.size(), 7);
        flow.submitPin(pin);
        QVERIFY(finished.wait(10000));
        QVERIFY2(flow.result().ok(), flow.result().ok() ? "" : qPrintable(flow.result().error().text()));
        const SignedInUser dave = flow.result().value();
        QCOMPARE(dave.userId, demo::dave.id);
        addSecret(QStringLiteral("dave's access token"), dave.token);
        addSecret(QStringLiteral("dave's access token secret"), dave.tokenSecret);

        // The answers really were X's shape, or this proves nothing.
        bool sawHtmlTokenAnswer = false;
        for (const RequestLogEntry &e : log.entries()) {
            if (e.operation == QLatin1String("oauth.access_token"))
                sawHtmlTokenAnswer = e.httpStatus == 200 && e.responseBody.contains("oauth_token_secret=");
        }
        QVERIFY(sawHtmlTokenAnswer);

        // --- activity-cli login --verbose, the same user, against a stored sandbox profile ------
        QSettings cliSettings(QStringLiteral(ACTIVITY_ORGANISATION),
                              QStringLiteral(ACTIVITY_APPLICATION_NAME));
        SecretStore cliSecrets; // the service activity-cli reads
        cliSecrets.setTimeout(10s);
        ProfileStore cliProfiles(&cliSettings, &cliSecrets);
        Profile profile;
        profile.name = QStringLiteral("Sandbox sign-in scan");
        profile.baseUrl = m_server->baseUrl().toString();
        profile.consumerKey = QString::fromLatin1(demo::consumerKey);
        profile.isSandbox = true;
        const QString profileId = cliProfiles.saveProfile(profile);
        std::optional<Result<Done>> saved;
        cliProfiles.saveSecrets(profileId,
                                {demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, {}}, this,
                                [&](const Result<Done> &r) { saved.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(saved.has_value(), 15000);
        if (!saved->ok())
            ACTIVITY_SKIP_UNLESS_PROVIDED(
                QStringLiteral("no usable keychain here (run through tools/run-tests): ") +
                saved->error().text());
        cliSettings.sync();

        QProcess cli;

        QByteArray err;
        QByteArray out;
        // This process's environment: the profile and keychain this test set up.
        clitest::startCliProcess(
            cli,
            {QStringLiteral("--verbose"), QStringLiteral("--profile"), profile.name, QStringLiteral("login")},
            QProcessEnvironment::systemEnvironment());
        QUrl cliAuthorize;
        QVERIFY(QTest::qWaitFor(
            [&] {
                err += cli.readAllStandardError();
                const auto match = QRegularExpression(QStringLiteral("(http://\\S+/oauth/authorize\\S+)"))
                                       .match(QString::fromUtf8(err));
                if (match.hasMatch())
                    cliAuthorize = QUrl(match.captured(1));
                return cliAuthorize.isValid() || cli.state() == QProcess::NotRunning;
            },
            20000));
        QVERIFY2(cliAuthorize.isValid(), err.constData());
        const auto cliPage = signintest::get(browser, cliAuthorize);
        const auto cliPinPage =
            signintest::submitAuthorizeForm(browser, cliAuthorize, cliPage.body, demo::dave.username,
                                            demo::dave.password, QStringLiteral("allow"));
        cli.write(signintest::pinFrom(cliPinPage.body).toLatin1() + '\n');
        QSignalSpy cliFinished(&cli, &QProcess::finished);
        QVERIFY(cli.state() == QProcess::NotRunning || cliFinished.wait(20000));
        out += cli.readAllStandardOutput();
        err += cli.readAllStandardError();
        QVERIFY2(cli.exitCode() == 0, err.constData());
        QVERIFY2(out.contains("Signed in as @dave"), out.constData());
        // --verbose printed the token answer (redacted), or this proves nothing either.
        QVERIFY2(err.contains("oauth.access_token"), err.constData());

        // --- the scan ------------------------------------------------------------------------------
        for (const RequestLogEntry &e : log.entries()) {
            scanLines(QStringLiteral("sign-in log entry %1 (%2)").arg(e.id).arg(e.operation),
                      e.url.toUtf8() + '\n' + e.requestBody + '\n' + e.responseBody + '\n' +
                          e.error.toUtf8());
            scanLines(QStringLiteral("curl of sign-in entry %1").arg(e.id), e.curl.toUtf8());
        }
        scanLines(QStringLiteral("activity-cli --verbose login (stdout)"), out);
        scanLines(QStringLiteral("activity-cli --verbose login (stderr)"), err);
        QStringList report;
        for (const Hit &hit : std::as_const(m_hits))
            report.append(hit.needle + QStringLiteral(" in ") + hit.where);
        report.removeDuplicates();
        QVERIFY2(m_hits.isEmpty(), qPrintable(report.join(QLatin1Char('\n'))));
        // A secret this test cannot know (the CLI's request token secret): no value after the name.
        // (The request token itself is in the authorize URL the person must open.)
        static const QRegularExpression shownValue(
            QStringLiteral("oauth_token_secret=(?!\\[redacted\\])[^&\\s]+"));
        for (const QByteArray &text : {out, err}) {
            const auto match = shownValue.match(QString::fromUtf8(text));
            QVERIFY2(!match.hasMatch(), "a token secret reached the output unredacted");
        }

        std::optional<Result<Done>> removed;
        cliProfiles.removeProfile(profileId, this, [&](const Result<Done> &r) { removed.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(removed.has_value(), 15000);
        m_server->setXStyleTokenAnswers(false);
    }

private:
    static QByteArray wrongSecret() { return QByteArrayLiteral("wrong-consumer-secret-Kq7Z"); }
};

QTEST_GUILESS_MAIN(TestSecretScan)
#include "tst_secretscan.moc"
