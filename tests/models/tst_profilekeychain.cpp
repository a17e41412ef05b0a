// ProfileStore against the real Secret Service that tools/run-tests starts and unlocks.
#include "AccountTableModel.h"
#include "ProfileStore.h"
#include "SecretStore.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QtTest>

using namespace activity;

namespace {
const ProfileSecrets kSecrets {"consumer-secret-Zq81", "owner-token-77-abc", "owner-token-secret-Xy",
                               "bearer-AAAA%2Fq"};
const AccountTokens kAlice {"alice-token-123", "alice-secret-456"};
const AccountTokens kBob {"bob-token-789", "bob-secret-012"};

// QVERIFY2 evaluates its message even on success: only ask a failed result for its error.
template<typename T> QByteArray why(const std::optional<Result<T>> &result)
{
    return result && !result->ok() ? result->error().text().toUtf8() : QByteArray();
}

template<typename T> struct Answer
{
    std::optional<Result<T>> result;
    std::function<void(const Result<T> &)> callback()
    {
        return [this](const Result<T> &r) { result = r; };
    }
};
} // namespace

class TestProfileKeychain : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_settingsPath;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<ProfileStore> m_store;

    // Reads a key straight from the keychain, bypassing ProfileStore.
    SecretJob::Status rawStatus(const QString &key)
    {
        SecretJob *job = m_secrets->read(key);
        QSignalSpy done(job, &SecretJob::finished);
        if (!done.wait(10000))
            return SecretJob::Status::Running;
        return done.first().first().value<SecretJob *>()->status();
    }

    QByteArray settingsFileBytes() const
    {
        QFile file(m_settingsPath);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private Q_SLOTS:
    void init()
    {
        m_settingsPath = m_dir.filePath(
            QStringLiteral("console-%1.ini").arg(QString::fromLatin1(QTest::currentTestFunction())));
        m_settings = std::make_unique<QSettings>(m_settingsPath, QSettings::IniFormat);
        m_secrets = std::make_unique<SecretStore>(
            QStringLiteral("activity-console-test-profiles-%1").arg(QCoreApplication::applicationPid()));
        m_store = std::make_unique<ProfileStore>(m_settings.get(), m_secrets.get());
    }

    void cleanup()
    {
        m_store.reset();
        m_secrets.reset();
        m_settings.reset();
    }

    void shouldRoundTripSecretsAndKeepThemOutOfTheSettingsFile()
    {
        Profile profile;
        profile.name = QStringLiteral("Production app");
        profile.consumerKey = QStringLiteral("consumer-key-public");
        const QString id = m_store->saveProfile(profile);

        Answer<Done> saved;
        m_store->saveSecrets(id, kSecrets, this, saved.callback());
        QTRY_VERIFY_WITH_TIMEOUT(saved.result.has_value(), 15000);
        QVERIFY2(saved.result->ok(), why(saved.result).constData());

        // A fresh store, as after a restart, reads them back in one round trip.
        ProfileStore again(m_settings.get(), m_secrets.get());
        Answer<ProfileSecrets> loaded;
        again.loadSecrets(id, this, loaded.callback());
        QTRY_VERIFY_WITH_TIMEOUT(loaded.result.has_value(), 15000);
        QVERIFY2(loaded.result->ok(), why(loaded.result).constData());
        QVERIFY(loaded.result->value() == kSecrets);

        const QByteArray file = settingsFileBytes();
        QVERIFY(file.contains("consumer-key-public"));
        for (const QByteArray &secret :
             {kSecrets.consumerSecret, kSecrets.ownerToken, kSecrets.ownerTokenSecret, kSecrets.bearerToken})
            QVERIFY2(!file.contains(secret), "a secret reached the settings file");
    }

    void shouldKeepAccountsListedAndTheirTokensInTheKeychain()
    {
        Profile profile;
        profile.name = QStringLiteral("App");
        const QString id = m_store->saveProfile(profile);
        QSignalSpy accountsChanged(m_store.get(), &ProfileStore::accountsChanged);
        AccountTableModel table(m_store.get());
        QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
        table.setProfileId(id);
        const QDateTime when(QDate(2024, 5, 6), QTime(7, 8, 9), Qt::UTC);

        Answer<Done> alice;
        Answer<Done> bob;
        m_store->saveAccount(id, Account {QStringLiteral("111"), QStringLiteral("alice"), when}, kAlice, this,
                             alice.callback());
        m_store->saveAccount(id, Account {QStringLiteral("222"), QStringLiteral("Bob"), when}, kBob, this,
                             bob.callback());
        QTRY_VERIFY_WITH_TIMEOUT(alice.result.has_value() && bob.result.has_value(), 15000);
        QVERIFY2(alice.result->ok(), why(alice.result).constData());
        QVERIFY(bob.result->ok());
        QCOMPARE(accountsChanged.size(), 2);

        const QList<Account> accounts = m_store->accounts(id);
        QCOMPARE(accounts.size(), 2);
        QCOMPARE(accounts.at(0), (Account {QStringLiteral("111"), QStringLiteral("alice"), when}));
        QCOMPARE(accounts.at(1).username, QStringLiteral("Bob"));
        QCOMPARE(table.rowCount(), 2);

        Answer<AccountTokens> tokens;
        m_store->loadAccountTokens(id, QStringLiteral("222"), this, tokens.callback());
        QTRY_VERIFY_WITH_TIMEOUT(tokens.result.has_value(), 15000);
        QVERIFY(tokens.result->ok());
        QVERIFY(tokens.result->value() == kBob);
        QVERIFY(!settingsFileBytes().contains(kBob.token));
        QVERIFY(!settingsFileBytes().contains(kAlice.tokenSecret));

        Answer<Done> removed;
        m_store->removeAccount(id, QStringLiteral("111"), this, removed.callback());
        QCOMPARE(m_store->accounts(id).size(), 1); // unlisted at once
        QCOMPARE(table.rowCount(), 1);
        QCOMPARE(table.account(0).userId, QStringLiteral("222"));
        QTRY_VERIFY_WITH_TIMEOUT(removed.result.has_value(), 15000);
        QVERIFY(removed.result->ok());
        QCOMPARE(rawStatus(ProfileStore::accountTokenKey(id, QStringLiteral("111"))),
                 SecretJob::Status::NotFound);
        QVERIFY(m_store->pendingSecretRemovals().isEmpty());

        Answer<AccountTokens> gone;
        m_store->loadAccountTokens(id, QStringLiteral("111"), this, gone.callback());
        QTRY_VERIFY_WITH_TIMEOUT(gone.result.has_value(), 15000);
        QCOMPARE(gone.result->error().kind, ApiError::Kind::MissingCredentials);
        QCOMPARE(gone.result->error().name, QStringLiteral("NotFound"));
        QVERIFY(!gone.result->error().remedy.isEmpty());
    }

    void shouldDeleteEveryKeychainEntryOfARemovedProfile()
    {
        Profile profile;
        profile.name = QStringLiteral("Doomed");
        const QString id = m_store->saveProfile(profile);
        m_store->setCurrentProfileId(id);
        Answer<Done> secrets;
        Answer<Done> account;
        m_store->saveSecrets(id, kSecrets, this, secrets.callback());
        m_store->saveAccount(
            id, Account {QStringLiteral("333"), QStringLiteral("carol"), QDateTime::currentDateTimeUtc()},
            kAlice, this, account.callback());
        QTRY_VERIFY_WITH_TIMEOUT(secrets.result.has_value() && account.result.has_value(), 15000);
        QVERIFY(secrets.result->ok() && account.result->ok());
        QCOMPARE(rawStatus(ProfileStore::appSecretKey(id)), SecretJob::Status::Ok);

        QSignalSpy current(m_store.get(), &ProfileStore::currentProfileChanged);
        Answer<Done> removed;
        m_store->removeProfile(id, this, removed.callback());
        QVERIFY(!m_store->profile(id).has_value()); // gone from the list at once
        QCOMPARE(m_store->currentProfileId(), QString());
        QCOMPARE(current.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(removed.result.has_value(), 15000);
        QVERIFY2(removed.result->ok(), why(removed.result).constData());

        QCOMPARE(rawStatus(ProfileStore::appSecretKey(id)), SecretJob::Status::NotFound);
        QCOMPARE(rawStatus(ProfileStore::accountTokenKey(id, QStringLiteral("333"))),
                 SecretJob::Status::NotFound);
        QVERIFY(m_store->pendingSecretRemovals().isEmpty());
        QVERIFY(!settingsFileBytes().contains(id.toLatin1()));
    }

    void shouldReportADamagedEntryInsteadOfGarbage()
    {
        Profile profile;
        profile.name = QStringLiteral("Damaged");
        const QString id = m_store->saveProfile(profile);
        SecretJob *write = m_secrets->write(ProfileStore::appSecretKey(id), "not json at all");
        QSignalSpy written(write, &SecretJob::finished);
        QVERIFY(written.wait(10000));

        Answer<ProfileSecrets> loaded;
        m_store->loadSecrets(id, this, loaded.callback());
        QTRY_VERIFY_WITH_TIMEOUT(loaded.result.has_value(), 15000);
        QCOMPARE(loaded.result->error().kind, ApiError::Kind::MissingCredentials);
        QVERIFY(!loaded.result->error().remedy.isEmpty());

        Answer<Done> removed;
        m_store->removeProfile(id, this, removed.callback());
        QTRY_VERIFY_WITH_TIMEOUT(removed.result.has_value(), 15000);
        QVERIFY(removed.result->ok());
    }
};

QTEST_GUILESS_MAIN(TestProfileKeychain)
#include "tst_profilekeychain.moc"
