// activity-cli --profile: a profile saved the way the console saves it (settings plus keychain),
// read by activity-cli's runner (in this process, through the real keychain) against the sandbox. Needs the
// private Secret Service of tools/run-tests; skips when there is no keychain.
#include "ActivityConfig.h"
#include "ProfileStore.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "SecretStore.h"
#include "TestEnvironment.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

#include <memory>

using namespace activity;
namespace demo = activity::sandbox::demo;

class TestCliProfile : public QObject
{
    Q_OBJECT

    std::unique_ptr<sandbox::SandboxServer> m_server;
    QTemporaryDir m_config;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<ProfileStore> m_store;
    QString m_profileId;

    template<typename T>
    Result<T> wait(const std::function<void(std::function<void(const Result<T> &)>)> &start)
    {
        std::optional<Result<T>> out;
        start([&](const Result<T> &r) { out.emplace(r); });
        if (!QTest::qWaitFor([&] { return out.has_value(); }, 20000)) {
            return ApiError::make(ApiError::Kind::Timeout, {});
        }
        return *out;
    }

    // In this process, with the console's settings file of m_config (as the child would find it).
    clitest::Run cli(const QStringList &arguments)
    {
        QProcessEnvironment env = clitest::cleanEnvironment(m_config.path());
        return clitest::runCli(arguments, env);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<sandbox::SandboxServer>();
        m_server->seedDemo();
        QVERIFY(m_server->listen());
        m_settings = std::make_unique<QSettings>(m_config.filePath(QStringLiteral(ACTIVITY_SETTINGS_FILE)),
                                                 QSettings::IniFormat);
        // The service activity-cli reads (the application id), as the console writes it.
        m_secrets = std::make_unique<SecretStore>();
        m_store = std::make_unique<ProfileStore>(m_settings.get(), m_secrets.get());

        Profile profile;
        profile.name = QStringLiteral("Sandbox CLI test");
        profile.generation = ApiGeneration::V1_1;
        profile.baseUrl = m_server->baseUrl().toString();
        profile.consumerKey = QString::fromLatin1(demo::consumerKey);
        profile.allowInsecureLoopback = true; // confirmed plain http to the sandbox
        m_profileId = m_store->saveProfile(profile);
        const auto saved = wait<Done>([&](auto done) {
            m_store->saveSecrets(
                m_profileId,
                ProfileSecrets {demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, {}}, this,
                done);
        });
        if (!saved.ok())
            ACTIVITY_SKIP_UNLESS_PROVIDED(QStringLiteral("No usable keychain: ") + saved.error().text());
        const auto account = wait<Done>([&](auto done) {
            m_store->saveAccount(m_profileId,
                                 Account {demo::bob.id, demo::bob.username, QDateTime::currentDateTimeUtc()},
                                 AccountTokens {demo::bob.token, demo::bob.tokenSecret}, this, done);
        });
        QVERIFY2(account.ok(), account.ok() ? "" : qPrintable(account.error().text()));
        m_settings->sync();
    }

    void cleanupTestCase()
    {
        if (m_store && !m_profileId.isEmpty())
            wait<Done>([&](auto done) { m_store->removeProfile(m_profileId, this, done); });
    }

    void shouldUseTheStoredProfile()
    {
        // The profile's generation (v1.1), base URL and app credentials; nothing in the environment.
        const clitest::Run run =
            cli({QStringLiteral("--profile"), QStringLiteral("sandbox cli test"), QStringLiteral("--json"),
                 QStringLiteral("webhooks"), QStringLiteral("list")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(m_server->journal().last().path.startsWith(QLatin1String("/1.1/")));
        QVERIFY(!run.out.contains(demo::consumerSecret));
    }

    void shouldUseTheProfilesSignedInAccount()
    {
        const clitest::Run run =
            cli({QStringLiteral("--profile"), QStringLiteral("Sandbox CLI test"), QStringLiteral("--json"),
                 QStringLiteral("--user"), QStringLiteral("@bob"), QStringLiteral("subscriptions"),
                 QStringLiteral("add"), demo::validWebhookId});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(m_server->isSubscribed(demo::validWebhookId, demo::bob.id));
        const clitest::Run unknownUser =
            cli({QStringLiteral("--profile"), QStringLiteral("Sandbox CLI test"), QStringLiteral("--user"),
                 QStringLiteral("mallory"), QStringLiteral("subscriptions"), QStringLiteral("check"),
                 demo::validWebhookId});
        QCOMPARE(unknownUser.exitCode, 4);
        QVERIFY(unknownUser.err.contains("@bob"));
    }
};

QTEST_GUILESS_MAIN(TestCliProfile)
#include "tst_cliprofile.moc"
