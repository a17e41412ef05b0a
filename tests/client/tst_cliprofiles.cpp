// activity-cli profiles list|add|remove and accounts against the real keychain (the private, unlocked
// Secret Service of tools/run-tests; skipped without one outside it): a profile added from a script
// reads back through ProfileStore and ProfileResolver exactly as the console would see it, secrets
// come only from the environment or stdin and appear in no output and not in the settings file,
// and `accounts` shows how each account signed in, its scopes and expiry, but never a token. Most
// runs are in this process (clitest::runCli); stdin and the argument refusal also run the real
// executable. Nothing here talks to the network.
#include "ActivityConfig.h"
#include "OAuth2.h"
#include "ProfileResolver.h"
#include "ProfileStore.h"
#include "SecretStore.h"
#include "TestEnvironment.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

#include <memory>
#include <optional>

using namespace activity;
using clitest::Run;

namespace {

// Distinct values, so that a hit anywhere is unambiguous.
const QByteArray kConsumerSecret = "cs-7hQx2LpV9mKd4RzT1wNb";
const QByteArray kOwnerToken = "1234567890-ownerTok3nJf8sKq2ZxLm";
const QByteArray kOwnerTokenSecret = "ots-Vb6nQ1pW8yRt5LcXz0Hd";
const QByteArray kBearerToken = "AAAAAAAAAAAAAAAAAAAAAbearer%2Ftest%3DKm4Jd7Qs";
const QByteArray kClientSecret = "o2cs-Gk5Tn8Wq3Yb6Pv1Mz4Rx";
const QByteArray kAccessToken = "o2at-Xc9Lf2Ns6Dh1Jq4Vb7Mw";
const QByteArray kRefreshToken = "o2rt-Pm3Kz8Rw5Ty2Gh6Nc9Qa";
const QByteArray kUserToken = "2000000000000000001-userTok9Hs2Kd";
const QByteArray kUserTokenSecret = "uts-Lq4Wz7Xc1Vb8Nm5Jk2Pd";
const QString kRedirect = QStringLiteral("http://127.0.0.1:8976/callback");

QList<QByteArray> allSecrets()
{
    return {kConsumerSecret, kOwnerToken,   kOwnerTokenSecret, kBearerToken,    kClientSecret,
            kAccessToken,    kRefreshToken, kUserToken,        kUserTokenSecret};
}

template<typename T, typename Start> Result<T> await(Start start)
{
    std::optional<Result<T>> out;
    start([&](const Result<T> &result) { out.emplace(result); });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 20000))
        return ApiError::make(ApiError::Kind::Timeout, QStringLiteral("The test gave up waiting."));
    return *out;
}

// The console's view of the settings file the CLI writes: fresh objects, so nothing is cached.
struct ConsoleView
{
    explicit ConsoleView(const QString &settingsFile)
        : settings(settingsFile, QSettings::IniFormat)
        , profiles(&settings, &secrets)
        , resolver(&profiles)
    {
    }

    QSettings settings;
    SecretStore secrets; // the service activity-cli and the console use
    ProfileStore profiles;
    ProfileResolver resolver;
};

QJsonArray array(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

} // namespace

class TestCliProfiles : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_config; // a fresh XDG_CONFIG_HOME per test function

    QProcessEnvironment environment() const { return clitest::cleanEnvironment(m_config->path()); }

    static QProcessEnvironment withSecrets(QProcessEnvironment env)
    {
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QString::fromLatin1(kConsumerSecret));
        env.insert(QStringLiteral("ACTIVITY_ACCESS_TOKEN"), QString::fromLatin1(kOwnerToken));
        env.insert(QStringLiteral("ACTIVITY_ACCESS_TOKEN_SECRET"), QString::fromLatin1(kOwnerTokenSecret));
        env.insert(QStringLiteral("ACTIVITY_BEARER_TOKEN"), QString::fromLatin1(kBearerToken));
        env.insert(QStringLiteral("ACTIVITY_OAUTH2_CLIENT_SECRET"), QString::fromLatin1(kClientSecret));
        return env;
    }

    QString settingsFile() const { return clitest::settingsFileOf(environment()); }

    Run cli(const QStringList &arguments, const QProcessEnvironment &env, const clitest::Input &input = {})
    {
        return clitest::runCli(arguments, env, input);
    }
    Run cli(const QStringList &arguments) { return cli(arguments, environment()); }

    static void verifyNoSecrets(const Run &run)
    {
        const QByteArray all = run.out + '\n' + run.err;
        for (const QByteArray &secret : allSecrets())
            QVERIFY2(!all.contains(secret),
                     qPrintable(
                         QStringLiteral("%1 printed:\n%2").arg(QString::fromLatin1(secret), run.describe())));
    }

    void verifySettingsHoldNoSecrets() const
    {
        QFile file(settingsFile());
        if (!file.exists())
            return;
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray contents = file.readAll();
        for (const QByteArray &secret : allSecrets())
            QVERIFY2(!contents.contains(secret), secret.constData());
    }

    qsizetype storedProfiles() const
    {
        ConsoleView view(settingsFile());
        return view.profiles.profiles().size();
    }

    // A profile saved the way the console saves it, for the commands that read one.
    QString saveProfile(ConsoleView &view, const QString &name)
    {
        Profile profile;
        profile.name = name;
        profile.baseUrl = QStringLiteral("https://api.x.com");
        profile.consumerKey = QStringLiteral("ck-accounts");
        profile.oauth2ClientId = QStringLiteral("client-accounts");
        profile.oauth2RedirectUri = kRedirect;
        const QString id = view.profiles.saveProfile(profile);
        const auto saved = await<Done>([&](auto done) {
            view.profiles.saveSecrets(
                id, ProfileSecrets {kConsumerSecret, kOwnerToken, kOwnerTokenSecret, {}}, this, done);
        });
        if (!saved)
            qWarning() << saved.error().text();
        return id;
    }

    QJsonObject onlyProfile(const Run &list)
    {
        const QJsonArray profiles = list.json().value(QStringLiteral("profiles")).toArray();
        return profiles.size() == 1 ? profiles.first().toObject() : QJsonObject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        SecretStore probe;
        const QString key = QStringLiteral("tst_cliprofiles/probe");
        SecretJob *job = probe.write(key, "probe");
        QSignalSpy written(job, &SecretJob::finished);
        QVERIFY(written.wait(10000));
        const bool ok = written.first().first().value<SecretJob *>()->ok();
        if (!ok)
            ACTIVITY_SKIP_UNLESS_PROVIDED(QStringLiteral("No usable keychain for the profile commands."));
        QSignalSpy removed(probe.remove(key), &SecretJob::finished);
        QVERIFY(removed.wait(10000));
    }

    void init()
    {
        m_config = std::make_unique<QTemporaryDir>();
        QVERIFY(m_config->isValid());
    }

    void cleanup()
    {
        // The keychain outlives the test's folder: every profile's entries go with it.
        ConsoleView view(settingsFile());
        for (const Profile &profile : view.profiles.profiles())
            await<Done>([&](auto done) { view.profiles.removeProfile(profile.id, this, done); });
        m_config.reset();
    }

    void shouldAddAProfileWithSecretsFromTheEnvironment()
    {
        const Run added = cli(
            {QStringLiteral("profiles"), QStringLiteral("add"), QStringLiteral("Work"),
             QStringLiteral("--api"), QStringLiteral("v1.1"), QStringLiteral("--consumer-key"),
             QStringLiteral("ck-work"), QStringLiteral("--callback-url"),
             QStringLiteral("https://example.com/cb"), QStringLiteral("--oauth2-client-id"),
             QStringLiteral("client-work"), QStringLiteral("--oauth2-redirect-uri"), kRedirect,
             QStringLiteral("--oauth2-preset"), QStringLiteral("activity-likes"), QStringLiteral("--json")},
            withSecrets(environment()));
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        verifyNoSecrets(added);
        const QJsonObject created = added.json().value(QStringLiteral("profile")).toObject();
        QCOMPARE(created.value(QStringLiteral("name")).toString(), QStringLiteral("Work"));
        QVERIFY(!created.value(QStringLiteral("id")).toString().isEmpty());
        QCOMPARE(added.json().value(QStringLiteral("created")).toBool(), true);

        // The list shows every setting, and the secrets only as present.
        const Run list = cli({QStringLiteral("profiles"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(list.exitCode == 0, qPrintable(list.describe()));
        verifyNoSecrets(list);
        const QJsonObject work = onlyProfile(list);
        QCOMPARE(work, created);
        QCOMPARE(work.value(QStringLiteral("api")).toString(), QStringLiteral("v1.1"));
        QCOMPARE(work.value(QStringLiteral("base_url")).toString(), QStringLiteral("https://api.x.com"));
        QCOMPARE(work.value(QStringLiteral("consumer_key")).toString(), QStringLiteral("ck-work"));
        QCOMPARE(work.value(QStringLiteral("callback_url")).toString(),
                 QStringLiteral("https://example.com/cb"));
        QCOMPARE(work.value(QStringLiteral("oauth2_client_id")).toString(), QStringLiteral("client-work"));
        QCOMPARE(work.value(QStringLiteral("oauth2_redirect_uri")).toString(), kRedirect);
        QCOMPARE(work.value(QStringLiteral("oauth2_scopes")).toArray(),
                 array(oauth2::findPreset(u"activity-likes")->scopes));
        QCOMPARE(work.value(QStringLiteral("oauth2_scopes_default")).toBool(), false);
        QCOMPARE(work.value(QStringLiteral("allow_insecure_loopback")).toBool(), false);
        QCOMPARE(work.value(QStringLiteral("accounts")).toInt(), 0);
        const QJsonObject secrets = work.value(QStringLiteral("secrets")).toObject();
        QCOMPARE(secrets.keys(),
                 (QStringList {QStringLiteral("access_token"), QStringLiteral("access_token_secret"),
                               QStringLiteral("bearer_token"), QStringLiteral("consumer_secret"),
                               QStringLiteral("oauth2_client_secret")}));
        for (const QJsonValue present : secrets)
            QCOMPARE(present, QJsonValue(true));

        // The console reads exactly this profile back, secrets included.
        ConsoleView view(settingsFile());
        const Result<Profile> stored = view.resolver.find(QStringLiteral("work"));
        QVERIFY(stored.ok());
        QCOMPARE(stored.value().generation, ApiGeneration::V1_1);
        QCOMPARE(stored.value().oauth2Scopes, oauth2::findPreset(u"activity-likes")->scopes);
        const auto resolved =
            await<ResolvedProfile>([&](auto done) { view.resolver.resolve(stored.value(), this, done); });
        QVERIFY2(resolved.ok(), resolved.ok() ? "" : qPrintable(resolved.error().text()));
        const AppCredentials &c = resolved.value().credentials;
        QCOMPARE(c.consumerKey, QByteArray("ck-work"));
        QCOMPARE(c.consumerSecret, kConsumerSecret);
        QCOMPARE(c.ownerToken, kOwnerToken);
        QCOMPARE(c.ownerTokenSecret, kOwnerTokenSecret);
        QCOMPARE(c.bearerToken, kBearerToken);
        QCOMPARE(c.oauth2ClientId, QByteArray("client-work"));
        QCOMPARE(c.oauth2ClientSecret, kClientSecret);
        QCOMPARE(resolved.value().oauth2RedirectUri, QUrl(kRedirect));
        verifySettingsHoldNoSecrets();

        // The text form says the same, without values.
        const Run text = cli({QStringLiteral("profiles"), QStringLiteral("list")});
        QCOMPARE(text.exitCode, 0);
        verifyNoSecrets(text);
        QVERIFY2(text.out.contains("Work (id ") && text.out.contains("consumer secret, access token"),
                 qPrintable(text.describe()));
    }

    void shouldAddAProfileWithSecretsFromStdin()
    {
        // stdin wins over the environment, name by name.
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("ACTIVITY_CONSUMER_SECRET"), QStringLiteral("overridden-by-stdin"));
        env.insert(QStringLiteral("ACTIVITY_ACCESS_TOKEN"), QString::fromLatin1(kOwnerToken));
        const QByteArray typed = "# from a secrets manager\n"
                                 "ACTIVITY_CONSUMER_SECRET=" +
            kConsumerSecret + "\r\n\nACTIVITY_ACCESS_TOKEN_SECRET=" + kOwnerTokenSecret + "\n";
        const Run added =
            cli({QStringLiteral("profiles"), QStringLiteral("add"), QStringLiteral("Piped"),
                 QStringLiteral("--base-url"), QStringLiteral("http://127.0.0.1:9"),
                 QStringLiteral("--allow-insecure-loopback"), QStringLiteral("--secrets-from-stdin")},
                env, {typed, false});
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        verifyNoSecrets(added);
        QVERIFY(!added.out.contains("overridden-by-stdin"));
        QVERIFY2(added.out.contains("Created profile Piped"), qPrintable(added.describe()));

        ConsoleView view(settingsFile());
        const Result<Profile> stored = view.resolver.find(QStringLiteral("Piped"));
        QVERIFY(stored.ok());
        QCOMPARE(stored.value().generation, ApiGeneration::V2); // the default
        QVERIFY(stored.value().allowInsecureLoopback);
        const auto secrets = await<ProfileSecrets>(
            [&](auto done) { view.profiles.loadSecrets(stored.value().id, this, done); });
        QVERIFY(secrets.ok());
        QCOMPARE(secrets.value(), (ProfileSecrets {kConsumerSecret, kOwnerToken, kOwnerTokenSecret, {}, {}}));
        verifySettingsHoldNoSecrets();
    }

    void shouldReadStdinInTheRealExecutable()
    {
        QProcess process;
        QSignalSpy finished(&process, &QProcess::finished);
        clitest::startCliProcess(process,
                                 {QStringLiteral("profiles"), QStringLiteral("add"), QStringLiteral("Child"),
                                  QStringLiteral("--secrets-from-stdin"), QStringLiteral("--json")},
                                 environment());
        process.write("ACTIVITY_BEARER_TOKEN=" + kBearerToken + "\nACTIVITY_OAUTH2_CLIENT_SECRET=");
        process.write(kClientSecret + "\n");
        process.closeWriteChannel();
        QVERIFY(finished.wait(60000));
        Run run;
        run.exitCode = process.exitCode();
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        verifyNoSecrets(run);
        const QJsonObject secrets = run.json()
                                        .value(QStringLiteral("profile"))
                                        .toObject()
                                        .value(QStringLiteral("secrets"))
                                        .toObject();
        QCOMPARE(secrets.value(QStringLiteral("bearer_token")).toBool(), true);
        QCOMPARE(secrets.value(QStringLiteral("oauth2_client_secret")).toBool(), true);
        QCOMPARE(secrets.value(QStringLiteral("consumer_secret")).toBool(), false);

        ConsoleView view(settingsFile());
        const Result<Profile> stored = view.resolver.find(QStringLiteral("Child"));
        QVERIFY(stored.ok());
        const auto read = await<ProfileSecrets>(
            [&](auto done) { view.profiles.loadSecrets(stored.value().id, this, done); });
        QVERIFY(read.ok());
        QCOMPARE(read.value().bearerToken, kBearerToken);
        QCOMPARE(read.value().oauth2ClientSecret, kClientSecret);
    }

    void shouldRefuseUnknownNamesOnStdin_data()
    {
        QTest::addColumn<QByteArray>("typed");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("unknown name")
            << QByteArray("ACTIVITY_CONSUMER_KEY=" + kConsumerSecret + "\n")
            << QByteArray("names 'ACTIVITY_CONSUMER_KEY', which is not a profile secret");
        QTest::newRow("a bare value") << QByteArray("ACTIVITY_BEARER_TOKEN=x\n" + kConsumerSecret + "\n")
                                      << QByteArray("Line 2 of stdin is not NAME=value");
    }
    void shouldRefuseUnknownNamesOnStdin()
    {
        QFETCH(QByteArray, typed);
        QFETCH(QByteArray, expected);
        const Run run = cli({QStringLiteral("profiles"), QStringLiteral("add"), QStringLiteral("Stdin"),
                             QStringLiteral("--secrets-from-stdin")},
                            environment(), {typed, false});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(expected), qPrintable(run.describe()));
        QVERIFY2(run.err.contains("ACTIVITY_CONSUMER_SECRET, ACTIVITY_ACCESS_TOKEN"),
                 qPrintable(run.describe()));
        verifyNoSecrets(run);
        QCOMPARE(storedProfiles(), 0);
    }

    void shouldRefuseSecretsGivenAsArguments_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("variable");
        const QString value = QString::fromLatin1(kConsumerSecret);
        QTest::newRow("--consumer-secret=") << QStringList {QStringLiteral("--consumer-secret=") + value}
                                            << QStringLiteral("ACTIVITY_CONSUMER_SECRET");
        QTest::newRow("--bearer-token") << QStringList {QStringLiteral("--bearer-token"), value}
                                        << QStringLiteral("ACTIVITY_BEARER_TOKEN");
        QTest::newRow("--client-secret") << QStringList {QStringLiteral("--client-secret"), value}
                                         << QStringLiteral("ACTIVITY_OAUTH2_CLIENT_SECRET");
        QTest::newRow("--oauth2-client-secret")
            << QStringList {QStringLiteral("--oauth2-client-secret=") + value}
            << QStringLiteral("ACTIVITY_OAUTH2_CLIENT_SECRET");
        QTest::newRow("--access-token-secret") << QStringList {QStringLiteral("--access-token-secret"), value}
                                               << QStringLiteral("ACTIVITY_ACCESS_TOKEN_SECRET");
        QTest::newRow("--access-token") << QStringList {QStringLiteral("--access-token"), value}
                                        << QStringLiteral("ACTIVITY_ACCESS_TOKEN");
    }
    void shouldRefuseSecretsGivenAsArguments()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, variable);
        const QStringList arguments =
            QStringList {QStringLiteral("profiles"), QStringLiteral("add"), QStringLiteral("Leaky")} +
            options;
        const Run inProcess = cli(arguments);
        const Run child = clitest::runCliProcess(arguments, environment());
        for (const Run &run : {inProcess, child}) {
            QCOMPARE(run.exitCode, 2);
            QVERIFY2(run.err.contains("never taken from arguments"), qPrintable(run.describe()));
            QVERIFY2(run.err.contains(QByteArray(variable.toLatin1() + " in the environment")),
                     qPrintable(run.describe()));
            QVERIFY(run.err.contains("--secrets-from-stdin"));
            verifyNoSecrets(run);
        }
        QCOMPARE(storedProfiles(), 0);
    }

    void shouldRefuseBadValuesAndStoreNothing_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("ftp base URL")
            << QStringList {QStringLiteral("--base-url"), QStringLiteral("ftp://api.x.com")}
            << QByteArray("http");
        QTest::newRow("plain http to a host")
            << QStringList {QStringLiteral("--base-url"), QStringLiteral("http://api.x.com")}
            << QByteArray("http");
        QTest::newRow("plain http loopback unconfirmed")
            << QStringList {QStringLiteral("--base-url"), QStringLiteral("http://127.0.0.1:9")}
            << QByteArray("loopback");
        QTest::newRow("http redirect to a host")
            << QStringList {QStringLiteral("--oauth2-redirect-uri"), QStringLiteral("http://example.com/cb")}
            << QByteArray("plain http redirect URI must point at this computer");
        QTest::newRow("redirect with a fragment") << QStringList {QStringLiteral("--oauth2-redirect-uri"),
                                                                  QStringLiteral("https://example.com/cb#x")}
                                                  << QByteArray("#fragment");
        QTest::newRow("incomplete redirect")
            << QStringList {QStringLiteral("--oauth2-redirect-uri"), QStringLiteral("callback")}
            << QByteArray("not a complete URL");
        QTest::newRow("scopes and preset")
            << QStringList {QStringLiteral("--oauth2-scopes"), QStringLiteral("tweet.read"),
                            QStringLiteral("--oauth2-preset"), QStringLiteral("activity-dm")}
            << QByteArray("give one");
        QTest::newRow("unknown preset")
            << QStringList {QStringLiteral("--oauth2-preset"), QStringLiteral("all")}
            << QByteArray("account-activity");
    }
    void shouldRefuseBadValuesAndStoreNothing()
    {
        QFETCH(QStringList, options);
        QFETCH(QByteArray, expected);
        const Run run = cli(
            QStringList {QStringLiteral("profiles"), QStringLiteral("add"), QStringLiteral("Bad")} + options,
            withSecrets(environment()));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(expected), qPrintable(run.describe()));
        verifyNoSecrets(run);
        QCOMPARE(storedProfiles(), 0);
    }

    void shouldRefuseADuplicateNameUnlessUpdating()
    {
        const QStringList add {QStringLiteral("profiles"), QStringLiteral("add"), QStringLiteral("Team")};
        QCOMPARE(cli(add, withSecrets(environment())).exitCode, 0);
        const Run duplicate = cli({QStringLiteral("profiles"), QStringLiteral("add"), QStringLiteral("team"),
                                   QStringLiteral("--consumer-key"), QStringLiteral("other")},
                                  withSecrets(environment()));
        QCOMPARE(duplicate.exitCode, 2);
        QVERIFY2(duplicate.err.contains("There is a profile named 'Team' already"),
                 qPrintable(duplicate.describe()));
        QVERIFY(duplicate.err.contains("--update"));
        QCOMPARE(storedProfiles(), 1);

        // --update changes what is given; the other settings and secrets stay.
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("ACTIVITY_BEARER_TOKEN"), QStringLiteral("new-bearer"));
        const Run updated = cli({QStringLiteral("profiles"), QStringLiteral("add"), QStringLiteral("team"),
                                 QStringLiteral("--update"), QStringLiteral("--consumer-key"),
                                 QStringLiteral("ck-updated"), QStringLiteral("--oauth2-scopes"),
                                 QStringLiteral("users.read tweet.read made.up"), QStringLiteral("--json")},
                                env);
        QVERIFY2(updated.exitCode == 0, qPrintable(updated.describe()));
        QVERIFY2(updated.err.contains("warning: X does not document the scope(s) made.up"),
                 qPrintable(updated.describe()));
        QCOMPARE(updated.json().value(QStringLiteral("created")).toBool(), false);
        QCOMPARE(storedProfiles(), 1);
        ConsoleView view(settingsFile());
        const Profile team = view.profiles.profiles().constFirst();
        QCOMPARE(team.name, QStringLiteral("Team"));
        QCOMPARE(team.consumerKey, QStringLiteral("ck-updated"));
        QCOMPARE(team.oauth2Scopes,
                 (QStringList {QStringLiteral("made.up"), QStringLiteral("tweet.read"),
                               QStringLiteral("users.read")}));
        const auto secrets =
            await<ProfileSecrets>([&](auto done) { view.profiles.loadSecrets(team.id, this, done); });
        QVERIFY(secrets.ok());
        QCOMPARE(
            secrets.value(),
            (ProfileSecrets {kConsumerSecret, kOwnerToken, kOwnerTokenSecret, "new-bearer", kClientSecret}));

        // An empty value on stdin clears one secret (a public OAuth 2.0 client now); the rest stay.
        const Run cleared = cli({QStringLiteral("profiles"), QStringLiteral("add"), QStringLiteral("Team"),
                                 QStringLiteral("--update"), QStringLiteral("--secrets-from-stdin")},
                                environment(), {"ACTIVITY_OAUTH2_CLIENT_SECRET=\n", false});
        QVERIFY2(cleared.exitCode == 0, qPrintable(cleared.describe()));
        QVERIFY2(cleared.out.contains("Updated profile Team") &&
                     cleared.out.contains("not: OAuth 2.0 client secret"),
                 qPrintable(cleared.describe()));
        const auto after =
            await<ProfileSecrets>([&](auto done) { view.profiles.loadSecrets(team.id, this, done); });
        QVERIFY(after.ok());
        QCOMPARE(after.value(),
                 (ProfileSecrets {kConsumerSecret, kOwnerToken, kOwnerTokenSecret, "new-bearer", {}}));
    }

    void shouldRemoveAProfileAndItsKeychainEntriesOnlyWhenConfirmed()
    {
        ConsoleView view(settingsFile());
        const QString id = saveProfile(view, QStringLiteral("Old app"));
        const Account account {QStringLiteral("2000000000000000001"), QStringLiteral("alice"),
                               QDateTime::currentDateTimeUtc()};
        QVERIFY(await<Done>([&](auto done) {
                    view.profiles.saveAccount(id, account, AccountTokens {kUserToken, kUserTokenSecret}, this,
                                              done);
                }).ok());
        const QStringList remove {QStringLiteral("profiles"), QStringLiteral("remove"),
                                  QStringLiteral("old app")};

        const Run notATerminal = cli(remove);
        QCOMPARE(notATerminal.exitCode, 2);
        QVERIFY2(notATerminal.err.contains("--yes"), qPrintable(notATerminal.describe()));
        QCOMPARE(storedProfiles(), 1);

        const Run mistyped = cli(remove, environment(), {"Old\n", true});
        QCOMPARE(mistyped.exitCode, 1);
        QVERIFY2(mistyped.err.contains("Type Old app to confirm"), qPrintable(mistyped.describe()));
        QVERIFY(mistyped.err.contains("1 signed-in account(s)"));
        QCOMPARE(storedProfiles(), 1);

        const Run confirmed = cli(remove, environment(), {"Old app\n", true});
        QVERIFY2(confirmed.exitCode == 0, qPrintable(confirmed.describe()));
        QVERIFY(confirmed.out.contains("Removed profile Old app"));
        QCOMPARE(storedProfiles(), 0);

        // The keychain holds neither the app's secrets nor the account's tokens any more.
        for (const QString &key :
             {ProfileStore::appSecretKey(id), ProfileStore::accountTokenKey(id, account.userId)}) {
            QSignalSpy read(view.secrets.read(key), &SecretJob::finished);
            QVERIFY(read.wait(10000));
            QCOMPARE(read.first().first().value<SecretJob *>()->status(), SecretJob::Status::NotFound);
        }
        ConsoleView after(settingsFile());
        QVERIFY(after.profiles.pendingSecretRemovals().isEmpty());

        // By id, with --yes, and --json.
        const QString second = saveProfile(after, QStringLiteral("Second"));
        const Run byId = cli({QStringLiteral("profiles"), QStringLiteral("remove"), second,
                              QStringLiteral("--yes"), QStringLiteral("--json")});
        QVERIFY2(byId.exitCode == 0, qPrintable(byId.describe()));
        QCOMPARE(byId.json().value(QStringLiteral("id")).toString(), second);
        QCOMPARE(byId.json().value(QStringLiteral("keychain_entries_removed")).toBool(), true);
        QCOMPARE(storedProfiles(), 0);
    }

    void shouldListAccountsWithKindScopesAndExpiryButNoToken()
    {
        ConsoleView view(settingsFile());
        const QString id = saveProfile(view, QStringLiteral("Accounts"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const Account alice {QStringLiteral("2000000000000000001"), QStringLiteral("alice"), now.addDays(-2)};
        const Account bob {QStringLiteral("2000000000000000002"), QStringLiteral("bob"), now.addSecs(-600)};
        const Account carol {QStringLiteral("2000000000000000003"), QStringLiteral("carol"), now.addDays(-1)};
        // bob: OAuth 2.0, valid for 1 h 12 min (and a half), with a refresh token.
        oauth2::Token bobToken {kAccessToken, kRefreshToken, now.addSecs(72 * 60 + 30),
                                oauth2::accountActivityScopes()};
        // carol: both ways; her OAuth 2.0 token has expired and has no refresh token.
        oauth2::Token carolToken {kAccessToken + "c", {}, now.addSecs(-3600), {QStringLiteral("tweet.read")}};
        for (const auto &[account, tokens] :
             {std::pair {alice, AccountTokens {kUserToken, kUserTokenSecret}},
              std::pair {bob, AccountTokens {{}, {}, bobToken}},
              std::pair {carol, AccountTokens {kUserToken + "c", kUserTokenSecret + "c", carolToken}}}) {
            const auto saved = await<Done>([&, account = account, tokens = tokens](auto done) {
                view.profiles.saveAccount(id, account, tokens, this, done);
            });
            QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().text()));
        }

        const QStringList accounts {QStringLiteral("--profile"), QStringLiteral("accounts"),
                                    QStringLiteral("accounts")};
        const Run text = cli(accounts);
        QVERIFY2(text.exitCode == 0, qPrintable(text.describe()));
        verifyNoSecrets(text);
        const QList<QByteArray> lines = text.out.split('\n');
        QCOMPARE(lines.size(), 5); // header, three accounts, the final newline
        QVERIFY2(lines[1].contains("@alice") && lines[1].contains("OAuth 1.0a"), lines[1].constData());
        QVERIFY(!lines[1].contains("OAuth 2.0"));
        QVERIFY2(lines[2].contains("@bob") && lines[2].contains("OAuth 2.0") &&
                     lines[2].contains("dm.read dm.write offline.access tweet.read users.read") &&
                     lines[2].contains("(in 1 h 12 min)") && lines[2].contains("yes"),
                 lines[2].constData());
        QVERIFY2(lines[3].contains("@carol") && lines[3].contains("OAuth 1.0a + OAuth 2.0") &&
                     lines[3].contains("(expired)"),
                 lines[3].constData());

        const Run json = cli(QStringList {QStringLiteral("--json")} + accounts);
        QVERIFY2(json.exitCode == 0, qPrintable(json.describe()));
        verifyNoSecrets(json);
        QCOMPARE(
            json.json().value(QStringLiteral("profile")).toObject().value(QStringLiteral("id")).toString(),
            id);
        const QJsonArray list = json.json().value(QStringLiteral("accounts")).toArray();
        QCOMPARE(list.size(), 3);
        const QJsonObject a = list[0].toObject();
        QCOMPARE(a.value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
        QCOMPARE(a.value(QStringLiteral("user_id")).toString(), alice.userId);
        QCOMPARE(a.value(QStringLiteral("kinds")).toArray(), array({QStringLiteral("OAuth 1.0a")}));
        QVERIFY(a.value(QStringLiteral("oauth2")).isNull());
        QCOMPARE(a.value(QStringLiteral("signed_in_at")).toString(), alice.signedInAt.toString(Qt::ISODate));
        const QJsonObject b = list[1].toObject();
        QCOMPARE(b.value(QStringLiteral("kinds")).toArray(), array({QStringLiteral("OAuth 2.0")}));
        const QJsonObject bo = b.value(QStringLiteral("oauth2")).toObject();
        QCOMPARE(bo.value(QStringLiteral("scopes")).toArray(),
                 array(oauth2::parseScopes(oauth2::joinScopes(oauth2::accountActivityScopes()))));
        QCOMPARE(bo.value(QStringLiteral("expires_at")).toString(), bobToken.expiresAt.toString(Qt::ISODate));
        QVERIFY(bo.value(QStringLiteral("expires_in_seconds")).toInt() > 72 * 60);
        QCOMPARE(bo.value(QStringLiteral("expired")).toBool(), false);
        QCOMPARE(bo.value(QStringLiteral("refresh_token")).toBool(), true);
        const QJsonObject c = list[2].toObject();
        QCOMPARE(c.value(QStringLiteral("kinds")).toArray(),
                 array({QStringLiteral("OAuth 1.0a"), QStringLiteral("OAuth 2.0")}));
        const QJsonObject co = c.value(QStringLiteral("oauth2")).toObject();
        QCOMPARE(co.value(QStringLiteral("expired")).toBool(), true);
        QCOMPARE(co.value(QStringLiteral("refresh_token")).toBool(), false);
        QCOMPARE(co.value(QStringLiteral("scopes")).toArray(), array({QStringLiteral("tweet.read")}));
        verifySettingsHoldNoSecrets();

        // profiles list counts them.
        const Run profiles =
            cli({QStringLiteral("profiles"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(onlyProfile(profiles).value(QStringLiteral("accounts")).toInt(), 3);
    }

    void shouldListTheOtherAccountsWhenOneKeychainEntryIsUnreadable()
    {
        ConsoleView view(settingsFile());
        const QString id = saveProfile(view, QStringLiteral("Damaged"));
        const Account alice {QStringLiteral("2000000000000000001"), QStringLiteral("alice"),
                             QDateTime::currentDateTimeUtc()};
        const Account bob {QStringLiteral("2000000000000000002"), QStringLiteral("bob"),
                           QDateTime::currentDateTimeUtc()};
        for (const Account &account : {alice, bob})
            QVERIFY(await<Done>([&](auto done) {
                        view.profiles.saveAccount(id, account, AccountTokens {kUserToken, kUserTokenSecret},
                                                  this, done);
                    }).ok());
        // alice's entry is no JSON any more.
        QSignalSpy damaged(view.secrets.write(ProfileStore::accountTokenKey(id, alice.userId), "not json"),
                           &SecretJob::finished);
        QVERIFY(damaged.wait(10000));

        const Run text =
            cli({QStringLiteral("--profile"), QStringLiteral("Damaged"), QStringLiteral("accounts")});
        QCOMPARE(text.exitCode, 4);
        QVERIFY2(text.out.contains("@alice") && text.out.contains("keychain entry unreadable") &&
                     text.out.contains("@bob"),
                 qPrintable(text.describe()));
        QVERIFY2(text.err.contains("@alice: The keychain entry with this account's sign-in cannot be read."),
                 qPrintable(text.describe()));
        verifyNoSecrets(text);

        const Run json = cli({QStringLiteral("--profile"), QStringLiteral("Damaged"),
                              QStringLiteral("accounts"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 4);
        const QJsonArray list = json.json().value(QStringLiteral("accounts")).toArray();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[0]
                     .toObject()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("Damaged"));
        QVERIFY(!list[1].toObject().contains(QStringLiteral("error")));
        verifyNoSecrets(json);
    }

    void shouldShowAProfileWhoseSecretsCannotBeRead()
    {
        ConsoleView view(settingsFile());
        const QString id = saveProfile(view, QStringLiteral("Broken"));
        QSignalSpy damaged(view.secrets.write(ProfileStore::appSecretKey(id), "not json"),
                           &SecretJob::finished);
        QVERIFY(damaged.wait(10000));
        const Run run = cli({QStringLiteral("profiles"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 4);
        const QJsonObject broken = onlyProfile(run);
        QVERIFY(broken.value(QStringLiteral("secrets")).isNull());
        QCOMPARE(broken.value(QStringLiteral("keychain_error"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("Damaged"));
        QVERIFY(run.err.contains("Broken: "));
    }

    void shouldNeedAProfileWhereOneIsMeant()
    {
        const Run accounts = cli({QStringLiteral("accounts")});
        QCOMPARE(accounts.exitCode, 4);
        QVERIFY2(accounts.err.contains("--profile NAME"), qPrintable(accounts.describe()));
        const Run unknown =
            cli({QStringLiteral("--profile"), QStringLiteral("nope"), QStringLiteral("accounts")});
        QCOMPARE(unknown.exitCode, 4);
        QVERIFY(unknown.err.contains("no stored profile named 'nope'"));
        const Run list = cli({QStringLiteral("--profile"), QStringLiteral("x"), QStringLiteral("profiles"),
                              QStringLiteral("list")});
        QCOMPARE(list.exitCode, 2);
        QVERIFY(list.err.contains("does not take --profile"));
        const Run empty = cli({QStringLiteral("profiles"), QStringLiteral("list")});
        QCOMPARE(empty.exitCode, 0);
        QVERIFY(empty.out.contains("No stored profiles"));
    }

    void shouldExplainEveryCommandInHelp_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("global") << QStringList {QStringLiteral("--help")}
                                << QByteArray("profiles add NAME [--update]");
        QTest::newRow("profiles") << QStringList {QStringLiteral("profiles"), QStringLiteral("--help")}
                                  << QByteArray("profiles remove NAME|ID");
        QTest::newRow("profiles list")
            << QStringList {QStringLiteral("profiles"), QStringLiteral("list"), QStringLiteral("--help")}
            << QByteArray("never the secrets");
        QTest::newRow("profiles add")
            << QStringList {QStringLiteral("profiles"), QStringLiteral("add"), QStringLiteral("--help")}
            << QByteArray("ACTIVITY_OAUTH2_CLIENT_SECRET");
        QTest::newRow("presets") << QStringList {QStringLiteral("profiles"), QStringLiteral("add"),
                                                 QStringLiteral("--help")}
                                 << QByteArray("activity-mutes-blocks");
        QTest::newRow("profiles remove")
            << QStringList {QStringLiteral("profiles"), QStringLiteral("remove"), QStringLiteral("--help")}
            << QByteArray("accounts remove ACCOUNT");
        QTest::newRow("accounts") << QStringList {QStringLiteral("accounts"), QStringLiteral("--help")}
                                  << QByteArray("never a token");
    }
    void shouldExplainEveryCommandInHelp()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, expected);
        const Run run = cli(arguments);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(expected), qPrintable(run.describe()));
        // The refused options stay out of the help.
        QVERIFY(!run.out.contains("--consumer-secret"));
    }
};

QTEST_GUILESS_MAIN(TestCliProfiles)
#include "tst_cliprofiles.moc"
