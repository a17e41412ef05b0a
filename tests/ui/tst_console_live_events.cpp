// The Events tab's live sources (#16) in the real window over an in-process sandbox on 127.0.0.1:
// the X Activity stream's events appear in the pane; the receiver stores signed deliveries and
// refuses a bad or missing signature (401, nothing kept); each new event is forwarded, re-signed,
// to a program (the sandbox's demo receiver, which keeps only what verifies), and a selection is
// resent; a profile change stops the stream and the receiver.
#include "ConsoleTableView.h"
#include "ConsoleTestSupport.h"
#include "Crc.h"
#include "EventFilterProxy.h"
#include "EventStore.h"
#include "EventTableModel.h"
#include "EventsPane.h"
#include "LiveEvents.h"
#include "LiveEventsBar.h"
#include "MessageBar.h"
#include "SandboxDemo.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QtTest>

using namespace activity;
using namespace activity::testing;
using Column = EventTableModel::Column;
namespace demo = activity::sandbox::demo;

class TestConsoleLiveEvents : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_databases = 0;

    struct Setup
    {
        ConsoleFixture f;
        std::unique_ptr<EventStore> store;
        EventsPane *pane = nullptr;
        LiveEventsBar *bar = nullptr;
    };

    void open(Setup &s)
    {
        QVERIFY(s.f.listen());
        s.store =
            std::make_unique<EventStore>(m_dir.filePath(QStringLiteral("e%1.sqlite").arg(++m_databases)));
        QVERIFY(s.store->isOpen());
        ConsoleServices services;
        services.network = &s.f.network;
        services.prompter = &s.f.prompter;
        services.settings = &s.f.settings;
        services.events = s.store.get();
        s.f.window = std::make_unique<MainWindow>(services);
        s.f.window->setBuiltInProfile(sandboxProfile(s.f.server));
        s.f.window->show();
        s.f.window->start(); // activates the sandbox profile: its client
        QTRY_VERIFY(s.f.window->profileIds().size() == 1 &&
                    s.f.window->currentProfileId() == s.f.window->profileIds().first());
        s.f.window->showEventsPane();
        s.pane = s.f.window->eventsPane();
        s.pane->setPollInterval(50);
        s.bar = s.f.window->findChild<LiveEventsBar *>(QStringLiteral("liveEventsBar"));
        QVERIFY(s.bar);
    }

    // POSTs a delivery to the receiver as X does; the HTTP status.
    static int deliver(Setup &s, const QByteArray &body, const QByteArray &signature)
    {
        QNetworkRequest request {QUrl(s.f.window->liveEvents()->receiverUrl())};
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        if (!signature.isEmpty())
            request.setRawHeader("x-twitter-webhooks-signature", signature);
        QNetworkReply *reply = s.f.network.post(request, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(10000))
            return -1;
        reply->deleteLater();
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }

private Q_SLOTS:
    void streamEventsAppearInThePane()
    {
        Setup s;
        open(s);
        QAbstractItemModelTester tester(s.pane->proxy(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        s.bar->streamAction()->trigger();
        QVERIFY(s.bar->streamAction()->isChecked());
        QTRY_COMPARE(s.f.server.openActivityStreams(), 1);
        QTRY_VERIFY(s.pane->streamLabel()->text().contains(QLatin1String("Connected")));

        s.f.server.emitActivityEvent(QStringLiteral("post.create"), {demo::bob.id, {}, {}});
        s.f.server.emitActivityEvent(QStringLiteral("profile.update.bio"), {demo::alice.id, {}, {}});
        QTRY_COMPARE(s.pane->model()->rowCount(), 2);
        const QList<sandbox::ActivityEventRecord> emitted = s.f.server.activityEvents();
        QCOMPARE(s.pane->model()->index(0, int(Column::Type)).data().toString(),
                 QStringLiteral("post.create"));
        QCOMPARE(s.pane->model()->index(0, int(Column::Source)).data().toString(), QStringLiteral("Stream"));
        QCOMPARE(s.store->eventById(emitted.constLast().eventUuid)->body, emitted.constLast().body);

        s.bar->streamAction()->trigger(); // off
        QTRY_COMPARE(s.f.server.openActivityStreams(), 0);
        QVERIFY(!s.f.window->liveEvents()->isStreamRunning());
    }

    void theReceiverStoresSignedDeliveriesAndRefusesTheRest()
    {
        Setup s;
        open(s);
        s.bar->setReceiverAddress(QStringLiteral("127.0.0.1:0"));
        s.bar->setReceiving(true);
        QVERIFY(s.bar->receiveAction()->isChecked());
        const QString url = s.f.window->liveEvents()->receiverUrl();
        QVERIFY(url.startsWith(QLatin1String("http://127.0.0.1:")));
        QTRY_VERIFY(s.pane->receiverLabel()->text().contains(url));

        const QByteArray body =
            QByteArrayLiteral("{\"for_user_id\":\"2244994945\",\"favorite_events\":[{\"id\":\"x1\"}]}");
        QCOMPARE(deliver(s, body, crc::signature(demo::consumerSecret, body)), 200);
        QTRY_COMPARE(s.pane->model()->rowCount(), 1);
        QCOMPARE(s.pane->model()->index(0, int(Column::Source)).data().toString(),
                 QStringLiteral("Receiver"));

        const QByteArray forged =
            QByteArrayLiteral("{\"for_user_id\":\"2244994945\",\"favorite_events\":[{\"id\":\"x2\"}]}");
        QCOMPARE(deliver(s, forged, crc::signature("not-the-secret", forged)), 401);
        QCOMPARE(deliver(s, forged, {}), 401);
        QCOMPARE(s.store->count(), 1); // nothing of the refused ones is kept
        QVERIFY(s.store->events({}).constFirst().body == body);

        // CRC, as X checks it: answered, and the pane shows when.
        QNetworkReply *crc =
            s.f.network.get(QNetworkRequest(QUrl(url + QStringLiteral("?crc_token=challenge_string"))));
        QSignalSpy crcDone(crc, &QNetworkReply::finished);
        QVERIFY(crcDone.wait(10000));
        QVERIFY(crc->readAll().contains(crc::responseToken(demo::consumerSecret, "challenge_string")));
        crc->deleteLater();
        QTRY_VERIFY(s.pane->receiverLabel()->text().contains(QLatin1String("127.0.0.1")));

        s.bar->setReceiving(false);
        QVERIFY(s.f.window->liveEvents()->receiverUrl().isEmpty());
    }

    void newEventsAreForwardedAndASelectionResent()
    {
        Setup s;
        open(s);
        QVERIFY(s.bar->forwardTo(QStringLiteral("ftp://nowhere")).contains(QLatin1String("http")));
        QVERIFY(s.bar->forwardTo(s.f.server.demoReceiverUrl()).isEmpty());
        s.bar->setStreaming(true);
        QTRY_COMPARE(s.f.server.openActivityStreams(), 1);
        s.f.server.emitActivityEvent(QStringLiteral("post.create"), {demo::bob.id, {}, {}});
        QTRY_COMPARE(s.f.server.receivedEvents(QStringLiteral("demo")).size(), 1);
        const QByteArray streamed = s.f.server.activityEvents().constLast().body;
        QCOMPARE(s.f.server.receivedEvents(QStringLiteral("demo")).constFirst().body, streamed);
        // The forward's result is kept and shown with the event.
        QTRY_VERIFY(!s.pane->model()->index(0, int(Column::Forward)).data().toString().isEmpty());

        QTRY_COMPARE(s.pane->model()->rowCount(), 1);
        s.pane->view()->selectRow(0);
        QVERIFY(s.bar->resendAction()->isEnabled());
        s.bar->resendAction()->trigger();
        QTRY_COMPARE(s.f.server.receivedEvents(QStringLiteral("demo")).size(), 2);
        QCOMPARE(s.f.server.receivedEvents(QStringLiteral("demo")).constLast().body, streamed);
    }

    void aProfileChangeStopsTheSources()
    {
        Setup s;
        open(s);
        s.bar->setStreaming(true);
        s.bar->setReceiverAddress(QStringLiteral("127.0.0.1:0"));
        s.bar->setReceiving(true);
        QTRY_COMPARE(s.f.server.openActivityStreams(), 1);
        // Chosen again (the secrets may have changed): a new client, the sources stop.
        QVERIFY(s.f.window->selectProfile(s.f.window->profileIds().first()));
        QTRY_COMPARE(s.f.server.openActivityStreams(), 0);
        QVERIFY(!s.bar->streamAction()->isChecked());
        QVERIFY(!s.f.window->liveEvents()->isReceiving());
    }
};

QTEST_MAIN(TestConsoleLiveEvents)
#include "tst_console_live_events.moc"
