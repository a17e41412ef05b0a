// ProfileStore without a keychain: profiles and settings, and the error when no keychain is there.
#include "MemorySecretBackend.h"
#include "ProfileStore.h"
#include "SecretStore.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>

using namespace activity;

namespace {
const char kChildVariable[] = "ACTIVITY_PROFILESTORE_NO_KEYCHAIN_CHILD";
const QByteArray kChildSecret = "child-consumer-secret-4711";

Profile sampleProfile(const QString &name)
{
    Profile profile;
    profile.name = name;
    profile.generation = ApiGeneration::V1_1;
    profile.baseUrl = QStringLiteral("https://api.x.com");
    profile.consumerKey = QStringLiteral("ck-") + name;
    profile.callbackUrl = QStringLiteral("http://127.0.0.1:8765/callback");
    return profile;
}

// Runs in a child process whose D-Bus session address leads nowhere: no keychain at all.
int runWithoutKeychain(const QString &settingsPath)
{
    QSettings settings(settingsPath, QSettings::IniFormat);
    SecretStore secrets(QStringLiteral("activity-console-test-nokeychain"));
    secrets.setTimeout(std::chrono::seconds(4));
    ProfileStore store(&settings, &secrets);
    const QString id = store.saveProfile(sampleProfile(QStringLiteral("Offline")));
    QElapsedTimer timer;
    timer.start();
    int answers = 0;
    auto print = [&](const char *what, const ApiError &error) {
        std::printf("%s kind=%d name=%s ms=%lld\n%s message=%s\n", what, int(error.kind),
                    qPrintable(error.name), timer.elapsed(), what, qPrintable(error.text()));
        std::fflush(stdout);
        if (++answers == 2)
            QCoreApplication::exit(0);
    };
    store.saveSecrets(
        id, ProfileSecrets {kChildSecret, "t", "ts", "b"}, &store,
        [&](const Result<Done> &result) { print("save", result.ok() ? ApiError {} : result.error()); });
    store.loadSecrets(id, &store, [&](const Result<ProfileSecrets> &result) {
        print("load", result.ok() ? ApiError {} : result.error());
    });
    return QCoreApplication::exec();
}
} // namespace

class TestProfileStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldKeepSecretsOnlyInTheSecretStore()
    {
        // The store's logic against an in-memory backend: what goes in comes out, nothing reaches the
        // settings file, and removal deletes every key (tst_profilekeychain does this on the real one).
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("console.ini"));
        auto shared = std::make_shared<testing::MemorySecretBackend::Shared>();
        const auto secrets = testing::MemorySecretBackend::store(shared);
        QSettings settings(path, QSettings::IniFormat);
        ProfileStore store(&settings, secrets.get());
        const QString id = store.saveProfile(sampleProfile(QStringLiteral("Memory")));
        const ProfileSecrets stored {"consumer-secret-1", "owner-token-1", "owner-secret-1", "bearer-1"};
        std::optional<Result<Done>> saved;
        store.saveSecrets(id, stored, this, [&](const Result<Done> &r) { saved.emplace(r); });
        QTRY_VERIFY(saved.has_value());
        QVERIFY(saved->ok());
        std::optional<Result<ProfileSecrets>> loaded;
        store.loadSecrets(id, this, [&](const Result<ProfileSecrets> &r) { loaded.emplace(r); });
        QTRY_VERIFY(loaded.has_value());
        QVERIFY(loaded->ok());
        QCOMPARE(loaded->value(), stored);

        std::optional<Result<Done>> account;
        store.saveAccount(
            id, Account {QStringLiteral("42"), QStringLiteral("zed"), QDateTime::currentDateTimeUtc()},
            AccountTokens {"user-token-1", "user-secret-1"}, this,
            [&](const Result<Done> &r) { account.emplace(r); });
        QTRY_VERIFY(account.has_value());
        QVERIFY(account->ok());
        QCOMPARE(store.accounts(id).size(), 1);
        QCOMPARE(shared->entries.size(), 2);

        settings.sync();
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        for (const QByteArray secret : {"consumer-secret-1", "owner-token-1", "bearer-1", "user-token-1"})
            QVERIFY2(!written.contains(secret), secret.constData());

        std::optional<Result<Done>> removed;
        store.removeProfile(id, this, [&](const Result<Done> &r) { removed.emplace(r); });
        QTRY_VERIFY(removed.has_value());
        QVERIFY(removed->ok());
        QVERIFY(shared->entries.isEmpty());
    }

    void shouldReportAMissingKeychainWithoutAFallback()
    {
        QTemporaryDir dir;
        auto shared = std::make_shared<testing::MemorySecretBackend::Shared>();
        shared->failWith = SecretJob::Status::Unavailable;
        const auto secrets = testing::MemorySecretBackend::store(shared);
        QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
        ProfileStore store(&settings, secrets.get());
        const QString id = store.saveProfile(sampleProfile(QStringLiteral("Nowhere")));
        std::optional<Result<Done>> saved;
        store.saveSecrets(id, ProfileSecrets {"s", "t", "ts", "b"}, this,
                          [&](const Result<Done> &r) { saved.emplace(r); });
        QTRY_VERIFY(saved.has_value());
        QVERIFY(!saved->ok());
        QVERIFY2(saved->error().text().contains(QLatin1String("keyring")), qPrintable(saved->error().text()));

        // A keychain that never answers ends in the store's timeout, not a hang.
        shared->failWith.reset();
        shared->silent = true;
        secrets->setTimeout(std::chrono::milliseconds(200));
        std::optional<Result<ProfileSecrets>> loaded;
        store.loadSecrets(id, this, [&](const Result<ProfileSecrets> &r) { loaded.emplace(r); });
        QTRY_VERIFY_WITH_TIMEOUT(loaded.has_value(), 5000);
        QVERIFY(!loaded->ok());
        QVERIFY2(loaded->error().text().contains(QLatin1String("did not answer")),
                 qPrintable(loaded->error().text()));
    }

    void shouldRoundTripProfilesThroughASettingsFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("console.ini"));
        const auto secretStore = testing::MemorySecretBackend::store();
        SecretStore &secrets = *secretStore;
        QString betaId;
        Profile alpha = sampleProfile(QStringLiteral("alpha"));
        {
            QSettings settings(path, QSettings::IniFormat);
            ProfileStore store(&settings, &secrets);
            QSignalSpy changed(&store, &ProfileStore::profilesChanged);
            QSignalSpy current(&store, &ProfileStore::currentProfileChanged);
            Profile beta = sampleProfile(QStringLiteral("Beta"));
            beta.generation = ApiGeneration::V2;
            beta.callbackUrl.clear(); // PIN flow
            beta.isSandbox = true;
            betaId = store.saveProfile(beta);
            alpha.id = store.saveProfile(alpha);
            QCOMPARE(changed.size(), 2);
            QVERIFY(!QUuid::fromString(betaId).isNull());
            QVERIFY(alpha.id != betaId);

            store.setCurrentProfileId(betaId);
            QCOMPARE(current.size(), 1);
            store.setCurrentProfileId(QStringLiteral("no-such-profile"));
            QCOMPARE(store.currentProfileId(), QString());
            store.setCurrentProfileId(betaId);

            // Updating keeps the id.
            alpha.name = QStringLiteral("Alpha");
            QCOMPARE(store.saveProfile(alpha), alpha.id);
        }
        QSettings settings(path, QSettings::IniFormat);
        ProfileStore store(&settings, &secrets);
        const QList<Profile> profiles = store.profiles();
        QCOMPARE(profiles.size(), 2);
        QCOMPARE(profiles.at(0), alpha); // sorted by name, ignoring case
        QCOMPARE(profiles.at(1).name, QStringLiteral("Beta"));
        QCOMPARE(profiles.at(1).generation, ApiGeneration::V2);
        QVERIFY(profiles.at(1).callbackUrl.isEmpty());
        QVERIFY(profiles.at(1).isSandbox);
        QCOMPARE(store.currentProfileId(), betaId);
        QVERIFY(!store.profile(QStringLiteral("../../etc")).has_value());
        QVERIFY(store.accounts(betaId).isEmpty());
    }

    void shouldKeepTheActivityTierUnderItsSettingsKey()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("console.ini"));
        const auto secretStore = testing::MemorySecretBackend::store();
        QString selfServeId;
        QString defaultId;
        {
            QSettings settings(path, QSettings::IniFormat);
            ProfileStore store(&settings, secretStore.get());
            Profile selfServe = sampleProfile(QStringLiteral("small"));
            QCOMPARE(selfServe.activityTier, xaa::Tier::Enterprise); // the default
            selfServe.activityTier = xaa::Tier::SelfServe;
            selfServeId = store.saveProfile(selfServe);
            defaultId = store.saveProfile(sampleProfile(QStringLiteral("default")));
        }
        QSettings settings(path, QSettings::IniFormat);
        QCOMPARE(settings.value(QStringLiteral("profiles/%1/activityTier").arg(selfServeId)).toString(),
                 QStringLiteral("self-serve"));
        QCOMPARE(settings.value(QStringLiteral("profiles/%1/activityTier").arg(defaultId)).toString(),
                 QStringLiteral("enterprise"));
        ProfileStore store(&settings, secretStore.get());
        QCOMPARE(store.profile(selfServeId)->activityTier, xaa::Tier::SelfServe);
        QCOMPARE(store.profile(defaultId)->activityTier, xaa::Tier::Enterprise);
        // Written by hand: "partner" is read, and an unknown value falls back to Enterprise.
        settings.setValue(QStringLiteral("profiles/%1/activityTier").arg(defaultId),
                          QStringLiteral("partner"));
        QCOMPARE(store.profile(defaultId)->activityTier, xaa::Tier::Partner);
        settings.setValue(QStringLiteral("profiles/%1/activityTier").arg(defaultId), QStringLiteral("gold"));
        QCOMPARE(store.profile(defaultId)->activityTier, xaa::Tier::Enterprise);
    }

    void shouldRefuseSecretsForAnUnknownProfileWithoutTouchingTheKeychain()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
        const auto secretStore = testing::MemorySecretBackend::store();
        SecretStore &secrets = *secretStore;
        ProfileStore store(&settings, &secrets);
        std::optional<Result<Done>> saved;
        std::optional<Result<ProfileSecrets>> loaded;
        store.saveSecrets(QStringLiteral("missing"), {}, this, [&](const Result<Done> &r) { saved = r; });
        store.loadSecrets(QStringLiteral("missing"), this,
                          [&](const Result<ProfileSecrets> &r) { loaded = r; });
        QVERIFY(!saved.has_value()); // answers come from the event loop, never inside the call
        QTRY_VERIFY(saved.has_value() && loaded.has_value());
        QCOMPARE(saved->error().kind, ApiError::Kind::Validation);
        QCOMPARE(loaded->error().kind, ApiError::Kind::Validation);

        std::optional<Result<Done>> account;
        const QString id = store.saveProfile(sampleProfile(QStringLiteral("p")));
        store.saveAccount(id, Account {QStringLiteral("12ab"), QStringLiteral("x"), {}}, {}, this,
                          [&](const Result<Done> &r) { account = r; });
        QTRY_VERIFY(account.has_value());
        QCOMPARE(account->error().kind, ApiError::Kind::Validation);
    }

    void shouldExplainAMissingKeychainWithinSeconds()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("offline.ini"));
        QProcess child;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QString::fromLatin1(kChildVariable), path);
        environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                           QStringLiteral("unix:path=") + dir.filePath(QStringLiteral("no-bus-here")));
        environment.remove(QStringLiteral("DISPLAY"));
        environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
        child.setProcessEnvironment(environment);
        QSignalSpy finished(&child, &QProcess::finished);
        QElapsedTimer timer;
        timer.start();
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(finished.wait(20000));
        const QString output = QString::fromUtf8(child.readAllStandardOutput());
        QCOMPARE(child.exitCode(), 0);
        QVERIFY2(timer.elapsed() < 15000, qPrintable(output));
        const QString kind = QStringLiteral("kind=%1").arg(int(ApiError::Kind::MissingCredentials));
        QVERIFY2(output.contains(QStringLiteral("save ") + kind), qPrintable(output));
        QVERIFY2(output.contains(QStringLiteral("load ") + kind), qPrintable(output));
        QVERIFY2(output.contains(QStringLiteral("keychain"), Qt::CaseInsensitive), qPrintable(output));
        qInfo("%s", qPrintable(output.trimmed()));

        // No plaintext fallback: the secret is nowhere in the settings file.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray contents = file.readAll();
        QVERIFY(contents.contains("Offline"));
        QVERIFY(!contents.contains(kChildSecret));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kChildVariable))
        return runWithoutKeychain(qEnvironmentVariable(kChildVariable));
    TestProfileStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_profilestore.moc"
