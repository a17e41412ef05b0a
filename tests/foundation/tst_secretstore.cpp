#include "SecretStore.h"

#include <QtTest>

using namespace activity;

// Runs against the real Secret Service that tools/run-tests starts and unlocks.
class TestSecretStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shouldRoundTripASecretThroughTheKeychain()
    {
        SecretStore store(QStringLiteral("activity-console-test"));
        const QString key = QStringLiteral("roundtrip-%1").arg(QCoreApplication::applicationPid());
        const QByteArray secret = "s3cr\xc3\xa9t with spaces & symbols";

        SecretJob *write = store.write(key, secret);
        QSignalSpy written(write, &SecretJob::finished);
        QVERIFY(written.wait(10000));
        QCOMPARE(written.first().first().value<SecretJob *>()->status(), SecretJob::Status::Ok);

        SecretJob *read = store.read(key);
        QSignalSpy readSpy(read, &SecretJob::finished);
        QVERIFY(readSpy.wait(10000));
        auto *readJob = readSpy.first().first().value<SecretJob *>();
        QVERIFY2(readJob->ok(), qPrintable(readJob->message()));
        QCOMPARE(readJob->data(), secret);

        SecretJob *remove = store.remove(key);
        QSignalSpy removed(remove, &SecretJob::finished);
        QVERIFY(removed.wait(10000));
        QVERIFY(removed.first().first().value<SecretJob *>()->ok());

        SecretJob *again = store.read(key);
        QSignalSpy againSpy(again, &SecretJob::finished);
        QVERIFY(againSpy.wait(10000));
        auto *missing = againSpy.first().first().value<SecretJob *>();
        QCOMPARE(missing->status(), SecretJob::Status::NotFound);
        QVERIFY(!missing->message().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
