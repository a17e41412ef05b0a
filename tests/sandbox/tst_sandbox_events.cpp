// Event delivery with signatures, replay jobs and their rules, fault injection and rate limits.

#include "SandboxTestSupport.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace sandboxtest;
using namespace std::chrono_literals;

namespace {

QString minuteText(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyyMMddHHmm"));
}

QDateTime floorMinute(const QDateTime &t)
{
    const QDateTime utc = t.toUTC();
    return QDateTime(utc.date(), QTime(utc.time().hour(), utc.time().minute()), Qt::UTC);
}

} // namespace

class TestSandboxEvents : public SandboxTestCase
{
    Q_OBJECT

private:
    QString v1Replay(const QString &id, const QString &from, const QString &to) const
    {
        QString path =
            QStringLiteral("/1.1/account_activity/replay/webhooks/%1/subscriptions/all.json?").arg(id);
        if (!from.isNull())
            path += QStringLiteral("from_date=") + from + QLatin1Char('&');
        if (!to.isNull())
            path += QStringLiteral("to_date=") + to;
        return path;
    }
    // POST /2/webhooks/replay, v2's only replay since 2026-03-25.
    Response v2Replay(const QString &id, const QString &from, const QString &to) const
    {
        return m_client->bearerJson("POST", QStringLiteral("/2/webhooks/replay"),
                                    QJsonObject {{QStringLiteral("webhook_id"), id},
                                                 {QStringLiteral("from_date"), from},
                                                 {QStringLiteral("to_date"), to}});
    }

private Q_SLOTS:
    void shouldDeliverSignedEventsToSubscribedUsersWebhooks()
    {
        Receiver receiver;
        const QString id = m_server->addWebhook(receiver.url(), true);
        QVERIFY(m_server->subscribe(id, demo::bob.id));
        QSignalSpy delivered(m_server.get(), &SandboxServer::eventDelivered);
        QCOMPARE(m_server->deliverEvent(demo::bob.id, QStringLiteral("favorite_events")), 1);
        QTRY_COMPARE(receiver.bodies.size(), 1);
        QVERIFY(receiver.signaturesValid.at(0)); // the receiver checked crc::verifySignature
        const QJsonObject body = QJsonDocument::fromJson(receiver.bodies.at(0)).object();
        QCOMPARE(body.value(QStringLiteral("for_user_id")).toString(), demo::bob.id);
        QVERIFY(body.value(QStringLiteral("favorite_events")).isArray());
        QTRY_COMPARE(delivered.count(), 1);
        const DeliveryRecord record = delivered.at(0).at(0).value<DeliveryRecord>();
        QVERIFY(record.delivered);
        QCOMPARE(record.httpStatus, 200);

        // Not subscribed, or the webhook is invalid: nothing is sent.
        QCOMPARE(m_server->deliverEvent(demo::carol.id, QStringLiteral("follow_events")), 0);
        m_server->setWebhookValid(id, false);
        QCOMPARE(m_server->deliverEvent(demo::bob.id, QStringLiteral("follow_events")), 0);
    }

    void shouldDeliverToTheDemoReceiverThroughHttp()
    {
        m_client->setHeader(sandboxTokenHeader, m_server->controlToken());
        const Response r = m_client->send("POST", m_client->url(QStringLiteral("/sandbox/events")), {},
                                          R"({"for_user_id":")" + demo::alice.id.toLatin1() +
                                              R"(","event":"direct_message_events"})",
                                          "application/json");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("delivered_to")).toInt(), 1);
        QTRY_COMPARE(m_server->receivedEvents(demo::receiverName).size(), 1);
        const ReceivedEvent event = m_server->receivedEvents(demo::receiverName).at(0);
        QVERIFY(event.signatureValid);
        const QJsonObject body = QJsonDocument::fromJson(event.body).object();
        QVERIFY(body.contains(QStringLiteral("direct_message_events")));
        QVERIFY(body.contains(QStringLiteral("users")));
        const Response listed =
            m_client->send("GET", m_client->url(QStringLiteral("/sandbox/receiver/demo/events")));
        QCOMPARE(listed.json().array().size(), 1);
    }

    void shouldReplayTheWindowAndReportCompletion()
    {
        const QString id = demo::validWebhookId; // the demo receiver, alice is subscribed
        const QDateTime start = floorMinute(m_server->now());
        for (int i = 0; i < 3; ++i)
            m_server->deliverEvent(demo::alice.id, QStringLiteral("favorite_events"));
        QTRY_COMPARE(m_server->receivedEvents().size(), 3);
        m_server->advance(2h);
        m_server->deliverEvent(demo::alice.id, QStringLiteral("follow_events")); // outside the window
        QTRY_COMPARE(m_server->receivedEvents().size(), 4);

        // Hold each replayed POST a little, so the job is surely still running for the conflict check.
        m_server->faults().always("POST", QStringLiteral("/sandbox/receiver/*"), Fault::delay(200ms));
        QSignalSpy finished(m_server.get(), &SandboxServer::replayFinished);
        const QString from = minuteText(start.addSecs(-60));
        const QString to = minuteText(start.addSecs(120));
        const Response r = m_client->bearer("POST", v1Replay(id, from, to));
        QCOMPARE(r.status, 202);
        const QString jobId = r.object().value(QStringLiteral("job_id")).toString();
        QVERIFY(!jobId.isEmpty());
        QVERIFY(r.object().value(QStringLiteral("created_at")).toString().endsWith(QLatin1Char('Z')));
        QVERIFY(m_server->hasRunningReplay(id));
        const Response conflict = m_client->bearer("POST", v1Replay(id, from, to));
        QCOMPARE(conflict.status, 409);
        QCOMPARE(conflict.v1Code(), 355);
        QCOMPARE(conflict.v1Message(),
                 QStringLiteral("A replay job is already in progress for this webhook."));
        const Response conflict2 = v2Replay(id, from, to);
        QCOMPARE(conflict2.status, 409);
        QCOMPARE(conflict2.v2Reason(), QStringLiteral("ReplayConflictError"));

        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toString(), jobId);
        QVERIFY(finished.at(0).at(2).toBool());
        const QList<ReceivedEvent> received = m_server->receivedEvents(demo::receiverName);
        QCOMPARE(received.size(), 4 + 3 + 1); // three replayed, then the status
        for (int i = 4; i < 7; ++i)
            QVERIFY(QJsonDocument::fromJson(received.at(i).body)
                        .object()
                        .contains(QStringLiteral("favorite_events")));
        const QJsonObject status = QJsonDocument::fromJson(received.last().body)
                                       .object()
                                       .value(QStringLiteral("replay_job_status"))
                                       .toObject();
        QCOMPARE(status.value(QStringLiteral("job_state")).toString(), QStringLiteral("Complete"));
        QCOMPARE(status.value(QStringLiteral("job_id")).toString(), jobId);
        QCOMPARE(status.value(QStringLiteral("webhook_id")).toString(), id);
        QCOMPARE(status.value(QStringLiteral("job_state_description")).toString(),
                 QStringLiteral("Job completed successfully"));
        QVERIFY(!m_server->hasRunningReplay(id));
        for (const ReceivedEvent &event : received)
            QVERIFY(event.signatureValid);
        // The slot is free again.
        QCOMPARE(m_client->bearer("POST", v1Replay(id, from, to)).status, 202);
    }

    void shouldReportIncompleteWhenDeliveriesFail()
    {
        const QString id = demo::validWebhookId;
        const QDateTime start = floorMinute(m_server->now());
        m_server->deliverEvent(demo::alice.id, QStringLiteral("mute_events"));
        QTRY_COMPARE(m_server->receivedEvents().size(), 1);
        m_server->advance(1h);
        // The demo receiver now fails every POST (faults also apply to the sandbox's own receiver).
        m_server->faults().always("POST", QStringLiteral("/sandbox/receiver/*"), Fault::httpStatus(503));
        QSignalSpy finished(m_server.get(), &SandboxServer::replayFinished);
        const Response r = v2Replay(id, minuteText(start), minuteText(start.addSecs(60)));
        QCOMPARE(r.status, 200);
        QVERIFY(!r.data().value(QStringLiteral("job_id")).toString().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000); // may have come while the answer was read
        QVERIFY(!finished.at(0).at(2).toBool());
        const DeliveryRecord last = m_server->deliveries().last();
        QCOMPARE(last.eventKey, QStringLiteral("replay_job_status"));
        QVERIFY(last.body.contains("\"Incomplete\""));
        QVERIFY(!m_server->hasRunningReplay(id)); // the slot frees
    }

    void shouldReplayTheHalfOpenWindowOnV2Webhooks()
    {
        // [from, to): the start minute is replayed, the end minute is not.
        const QDateTime first = floorMinute(m_server->now());
        m_server->deliverEvent(demo::alice.id, QStringLiteral("block_events"));
        QTRY_COMPARE(m_server->receivedEvents().size(), 1);
        m_server->advance(1min);
        m_server->deliverEvent(demo::alice.id, QStringLiteral("mute_events")); // in the end minute
        QTRY_COMPARE(m_server->receivedEvents().size(), 2);
        m_server->advance(1h);
        QSignalSpy finished(m_server.get(), &SandboxServer::replayFinished);
        const Response r = v2Replay(demo::validWebhookId, minuteText(first), minuteText(first.addSecs(60)));
        QCOMPARE(r.status, 200);
        QVERIFY(!r.data().value(QStringLiteral("job_id")).toString().isEmpty());
        QVERIFY(r.data().value(QStringLiteral("created_at")).toString().endsWith(QLatin1Char('Z')));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000); // may have come while the answer was read
        QTRY_COMPARE(m_server->receivedEvents().size(), 4); // two originals, one replay, the status
        QVERIFY(m_server->receivedEvents().at(2).body.contains("block_events"));
        QVERIFY(m_server->receivedEvents().at(3).body.contains("replay_job_status"));
    }

    void shouldAnswerTheRetiredV2ReplayWithNotFound()
    {
        const QDateTime now = m_server->now();
        const Response r = m_client->bearer(
            "POST",
            QStringLiteral("/2/account_activity/replay/webhooks/%1/subscriptions/all?from_date=%2&to_date=%3")
                .arg(demo::validWebhookId, minuteText(now.addSecs(-7200)), minuteText(now.addSecs(-3600))));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.object().value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://api.x.com/2/problems/resource-not-found"));
        QVERIFY(r.object()
                    .value(QStringLiteral("detail"))
                    .toString()
                    .contains(QLatin1String("POST /2/webhooks/replay")));
        QVERIFY(!r.object().contains(QStringLiteral("errors"))); // one problem, not a mix of shapes
        QVERIFY(!m_server->hasRunningReplay(demo::validWebhookId));
    }

    void shouldApplyV1ReplayRules_data()
    {
        QTest::addColumn<int>("fromMinutesAgo"); // -1 = missing, -2 = unparsable
        QTest::addColumn<int>("toMinutesAgo");
        QTest::addColumn<int>("code");
        QTest::newRow("from missing") << -1 << 20 << 357;
        QTest::newRow("to missing") << 60 << -1 << 357;
        QTest::newRow("from unparsable") << -2 << 20 << 358;
        QTest::newRow("from after to") << 60 << 90 << 356;
        QTest::newRow("older than 5 days") << 5 * 24 * 60 + 5 << 20 << 356;
        QTest::newRow("from under 31 minutes ago") << 25 << 15 << 368;
        QTest::newRow("to under 10 minutes ago") << 60 << 5 << 368;
    }
    void shouldApplyV1ReplayRules()
    {
        QFETCH(int, fromMinutesAgo);
        QFETCH(int, toMinutesAgo);
        QFETCH(int, code);
        const QDateTime now = m_server->now();
        const auto text = [&](int minutes) {
            return minutes == -1 ? QString()
                : minutes == -2  ? QStringLiteral("2024-01-01")
                                 : minuteText(now.addSecs(-60 * minutes));
        };
        const Response r = m_client->bearer(
            "POST", v1Replay(demo::validWebhookId, text(fromMinutesAgo), text(toMinutesAgo)));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.v1Code(), code);
    }

    void shouldAcceptV1ReplayAtTheLimits()
    {
        const QDateTime now = m_server->now();
        const Response r = m_client->bearer("POST",
                                            v1Replay(demo::validWebhookId, minuteText(now.addSecs(-32 * 60)),
                                                     minuteText(now.addSecs(-11 * 60))));
        QCOMPARE(r.status, 202);
    }

    void shouldRefuseReplayOfInvalidWebhook()
    {
        const QDateTime now = m_server->now();
        const Response r = m_client->bearer(
            "POST",
            v1Replay(demo::invalidWebhookId, minuteText(now.addSecs(-3600)), minuteText(now.addSecs(-1800))));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.v1Code(), 214);
        QCOMPARE(r.v1Message(), QStringLiteral("Webhook is marked invalid and requires a CRC check."));
    }

    void shouldApplyV2ReplayRules_data()
    {
        QTest::addColumn<int>("fromMinutesAgo");
        QTest::addColumn<int>("toMinutesAgo");
        QTest::addColumn<QString>("parameter");
        QTest::newRow("in the future") << 10 << -10 << QStringLiteral("to_date");
        QTest::newRow("older than 24 hours") << 25 * 60 << 60 << QStringLiteral("from_date");
        QTest::newRow("from equals to") << 60 << 60 << QStringLiteral("from_date");
        QTest::newRow("from after to") << 60 << 120 << QStringLiteral("from_date");
        QTest::newRow("from under 31 minutes ago") << 30 << 15 << QStringLiteral("from_date");
        QTest::newRow("to under 10 minutes ago") << 60 << 9 << QStringLiteral("to_date");
    }
    void shouldApplyV2ReplayRules()
    {
        QFETCH(int, fromMinutesAgo);
        QFETCH(int, toMinutesAgo);
        QFETCH(QString, parameter);
        const QDateTime now = floorMinute(m_server->now());
        const Response bad = v2Replay(demo::validWebhookId, minuteText(now.addSecs(-60 * fromMinutesAgo)),
                                      minuteText(now.addSecs(-60 * toMinutesAgo)));
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.v2Reason(), QStringLiteral("QueryParamInvalid"));
        QCOMPARE(bad.object().value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://api.x.com/2/problems/invalid-request"));
        QCOMPARE(bad.object().value(QStringLiteral("status")).toInt(), 400);
        QCOMPARE(bad.object().value(QStringLiteral("parameter")).toString(), parameter);
        QVERIFY(!m_server->hasRunningReplay(demo::validWebhookId));
    }

    void shouldAcceptV2ReplayAtTheLimits()
    {
        const QDateTime now = floorMinute(m_server->now());
        QCOMPARE(v2Replay(demo::validWebhookId, minuteText(now.addSecs(-24 * 3600)),
                          minuteText(now.addSecs(-10 * 60)))
                     .status,
                 200);
    }

    void shouldRequireTheDocumentedV2ReplayBody()
    {
        // Missing fields, a malformed id and a non-JSON body are refused; nothing starts.
        const QDateTime now = floorMinute(m_server->now());
        const QString from = minuteText(now.addSecs(-7200));
        const QString to = minuteText(now.addSecs(-3600));
        const Response noId = m_client->bearerJson(
            "POST", QStringLiteral("/2/webhooks/replay"),
            QJsonObject {{QStringLiteral("from_date"), from}, {QStringLiteral("to_date"), to}});
        QCOMPARE(noId.status, 400);
        QCOMPARE(noId.object().value(QStringLiteral("parameter")).toString(), QStringLiteral("webhook_id"));
        const Response badId = v2Replay(QStringLiteral("12ab"), from, to);
        QCOMPARE(badId.status, 400);
        QCOMPARE(badId.object().value(QStringLiteral("parameter")).toString(), QStringLiteral("webhook_id"));
        const Response unknown = v2Replay(QStringLiteral("1999999999999999999"), from, to);
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.v2Reason(), QStringLiteral("WebhookIdInvalid"));
        QVERIFY(!m_server->hasRunningReplay(demo::validWebhookId));
    }

    void shouldInjectStatusFaultsForTheNextRequests()
    {
        m_server->faults().forNext(1, "GET", QStringLiteral("/1.1/account_activity/*"),
                                   Fault::httpStatus(503));
        const Response r = m_client->bearer("GET", QStringLiteral("/1.1/account_activity/webhooks.json"));
        QCOMPARE(r.status, 503);
        QCOMPARE(r.v1Code(), 130);
        QCOMPARE(m_server->journal().last().fault, QStringLiteral("status"));
        QCOMPARE(m_client->bearer("GET", QStringLiteral("/1.1/account_activity/webhooks.json")).status, 200);
        m_server->faults().always({}, QStringLiteral("/2/*"), Fault::httpStatus(500));
        QCOMPARE(m_client->bearer("GET", QStringLiteral("/2/webhooks")).status, 500);
        QCOMPARE(m_client->bearer("GET", QStringLiteral("/2/webhooks")).v1Code(), 131);
    }

    void shouldDropTheConnection()
    {
        m_server->faults().forNext(2, "GET", QStringLiteral("/2/webhooks"), Fault::drop());
        const Response r = m_client->bearer("GET", QStringLiteral("/2/webhooks"));
        QCOMPARE(r.status, 0);
        QCOMPARE(r.error, QNetworkReply::RemoteHostClosedError);
        QCOMPARE(m_server->journal().last().status, 0);
        QCOMPARE(m_client->bearer("GET", QStringLiteral("/2/webhooks")).status, 200);
    }

    void shouldServeBrokenBodies()
    {
        auto &faults = m_server->faults();
        const QString path = QStringLiteral("/2/webhooks");
        faults.forNext(1, "GET", path, Fault::truncatedJson());
        Response r = m_client->bearer("GET", path);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().isNull());
        QVERIFY(r.body.startsWith("{\"data\""));

        faults.forNext(1, "GET", path, Fault::malformedJson());
        r = m_client->bearer("GET", path);
        QVERIFY(r.json().isNull());
        QVERIFY(r.header("content-type").startsWith("application/json"));

        faults.forNext(1, "GET", path, Fault::wrongContentType());
        r = m_client->bearer("GET", path);
        QVERIFY(r.header("content-type").startsWith("text/html"));

        faults.forNext(1, "GET", path, Fault::oversized());
        r = m_client->bearer("GET", path);
        QCOMPARE(r.body.size(), 20 * 1024 * 1024);
        QVERIFY(r.json().isObject());
    }

    void shouldDelayAndDripAnswers()
    {
        QElapsedTimer timer;
        m_server->faults().forNext(1, "GET", QStringLiteral("/2/webhooks"), Fault::delay(300ms));
        timer.start();
        QCOMPARE(m_client->bearer("GET", QStringLiteral("/2/webhooks")).status, 200);
        QVERIFY(timer.elapsed() >= 250);

        m_server->faults().forNext(1, "GET", QStringLiteral("/2/webhooks"), Fault::slowBody(400ms, 8));
        timer.restart();
        const Response slow = m_client->bearer("GET", QStringLiteral("/2/webhooks"));
        QCOMPARE(slow.status, 200);
        QVERIFY(slow.json().isObject());
        QVERIFY(timer.elapsed() >= 300);
    }

    void shouldFireRandomFaultsReproducibly()
    {
        const auto pattern = [](quint32 seed) {
            FaultInjector injector;
            injector.random(0.5, seed, "GET", QStringLiteral("/*"), Fault::httpStatus(500));
            QString out;
            for (int i = 0; i < 32; ++i)
                out += injector.take("GET", QStringLiteral("/x")) ? QLatin1Char('x') : QLatin1Char('.');
            return out;
        };
        QCOMPARE(pattern(7), pattern(7));
        QVERIFY(pattern(7).contains(QLatin1Char('x')) && pattern(7).contains(QLatin1Char('.')));
    }

    void shouldLimitRatesWithHeadersAndWindow()
    {
        m_server->setRateLimit(endpoints::find(Operation::ListWebhooks, ApiGeneration::V1_1)->rateLimitKey, 2,
                               60s);
        const Response first = m_client->bearer("GET", QStringLiteral("/1.1/account_activity/webhooks.json"));
        QCOMPARE(first.header("x-rate-limit-limit"), QByteArray("2"));
        QCOMPARE(first.header("x-rate-limit-remaining"), QByteArray("1"));
        const qint64 reset = first.header("x-rate-limit-reset").toLongLong();
        QVERIFY(qAbs(reset - (m_server->now().toSecsSinceEpoch() + 60)) <= 2);
        QCOMPARE(m_client->bearer("GET", QStringLiteral("/1.1/account_activity/webhooks.json"))
                     .header("x-rate-limit-remaining"),
                 QByteArray("0"));
        const Response limited =
            m_client->bearer("GET", QStringLiteral("/1.1/account_activity/webhooks.json"));
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.body,
                 QByteArrayLiteral("{\"errors\":[{\"code\":88,\"message\":\"Rate limit exceeded\"}]}"));
        QCOMPARE(limited.header("x-rate-limit-remaining"), QByteArray("0"));
        QCOMPARE(limited.header("x-rate-limit-reset").toLongLong(), reset);
        // Other endpoints draw on other pools.
        QCOMPARE(m_client->bearer("GET", QStringLiteral("/1.1/account_activity/subscriptions/count.json"))
                     .header("x-rate-limit-limit"),
                 QByteArray("15"));
        // The window follows the sandbox clock.
        m_server->advance(61s);
        QCOMPARE(m_client->bearer("GET", QStringLiteral("/1.1/account_activity/webhooks.json")).status, 200);
    }

    void shouldUseDocumentedDefaultLimitsAndV2Shape()
    {
        QCOMPARE(m_client->bearer("GET", QStringLiteral("/2/webhooks")).header("x-rate-limit-limit"),
                 QByteArray("450"));
        const QDateTime now = m_server->now();
        QCOMPARE(m_client
                     ->bearer("POST",
                              v1Replay(demo::validWebhookId, minuteText(now.addSecs(-7200)),
                                       minuteText(now.addSecs(-3600))))
                     .header("x-rate-limit-limit"),
                 QByteArray("5"));
        m_server->setRateLimit(endpoints::find(Operation::CheckSubscription, ApiGeneration::V2)->rateLimitKey,
                               1, 900s);
        const QString check =
            QStringLiteral("/2/account_activity/webhooks/%1/subscriptions/all").arg(demo::validWebhookId);
        QCOMPARE(m_client->signedCall("GET", check, userCredentials(demo::alice)).status, 200);
        // Per user: bob has his own pool.
        QCOMPARE(m_client->signedCall("GET", check, userCredentials(demo::bob)).status, 200);
        const Response limited = m_client->signedCall("GET", check, userCredentials(demo::alice));
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.v1Code(), 88);
    }
};

QTEST_GUILESS_MAIN(TestSandboxEvents)
#include "tst_sandbox_events.moc"
