// Webhooks, CRC and subscriptions on both API generations, with X's statuses, bodies and rules.

#include "SandboxTestSupport.h"

#include <QtTest>

using namespace sandboxtest;
using namespace std::chrono_literals;

class TestSandboxWebhooks : public SandboxTestCase
{
    Q_OBJECT

private:
    Response registerV1(const QString &url)
    {
        return m_client->signedCall(
            "POST", QStringLiteral("/1.1/account_activity/webhooks.json?url=") + encoded(url), owner());
    }
    Response registerV2(const QString &url)
    {
        return m_client->bearerJson("POST", QStringLiteral("/2/webhooks"),
                                    QJsonObject {{QStringLiteral("url"), url}});
    }
    QString v1All(const QString &id) const
    {
        return QStringLiteral("/1.1/account_activity/webhooks/%1/subscriptions/all.json").arg(id);
    }
    QString v2All(const QString &id) const
    {
        return QStringLiteral("/2/account_activity/webhooks/%1/subscriptions/all").arg(id);
    }

private Q_SLOTS:
    void shouldListSeededWebhooksInBothShapes()
    {
        const Response v1 = m_client->bearer("GET", QStringLiteral("/1.1/account_activity/webhooks.json"));
        QCOMPARE(v1.status, 200);
        const QJsonArray list = v1.json().array();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).toObject().value(QStringLiteral("id")).toString(), demo::validWebhookId);
        QCOMPARE(list.at(0).toObject().value(QStringLiteral("url")).toString(),
                 m_server->demoReceiverUrl(demo::receiverName));
        QVERIFY(list.at(0).toObject().value(QStringLiteral("valid")).toBool());
        QCOMPARE(list.at(1).toObject().value(QStringLiteral("url")).toString(), demo::invalidWebhookUrl);
        QVERIFY(!list.at(1).toObject().value(QStringLiteral("valid")).toBool());
        QVERIFY(
            list.at(0).toObject().value(QStringLiteral("created_at")).toString().endsWith(QLatin1Char('Z')));

        const Response v2 = m_client->bearer("GET", QStringLiteral("/2/webhooks"));
        QCOMPARE(v2.status, 200);
        QCOMPARE(v2.object().value(QStringLiteral("data")).toArray().size(), 2);
        QCOMPARE(v2.object()
                     .value(QStringLiteral("meta"))
                     .toObject()
                     .value(QStringLiteral("result_count"))
                     .toInt(),
                 2);
        QVERIFY(v2.object()
                    .value(QStringLiteral("data"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("created_at"))
                    .toString()
                    .contains(QRegularExpression(QStringLiteral("\\.[0-9]{3}Z$"))));
    }

    void shouldRegisterAfterPassingCrc()
    {
        Receiver receiver;
        const Response r = registerV1(receiver.url());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("url")).toString(), receiver.url());
        QVERIFY(r.object().value(QStringLiteral("valid")).toBool());
        QVERIFY(!r.object().value(QStringLiteral("id")).toString().isEmpty());
        QCOMPARE(receiver.crcRequests, 1);
        // The CRC GET carries crc_token and nonce, signed over the query string.
        QVERIFY(receiver.lastCrcQuery.contains("crc_token=") && receiver.lastCrcQuery.contains("&nonce="));
        QVERIFY(activity::crc::verifySignature(demo::consumerSecret, receiver.lastCrcQuery,
                                               receiver.lastCrcSignature));

        Receiver second;
        const Response v2 = registerV2(second.url());
        // Quota 3: the demo has two, the first registration made three.
        QCOMPARE(v2.status, 403);
        QCOMPARE(v2.v2Reason(), QStringLiteral("WebhookLimitExceeded"));
        m_server->setWebhookLimit(5);
        const Response ok = registerV2(second.url());
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.data().value(QStringLiteral("url")).toString(), second.url());
        QVERIFY(ok.data().value(QStringLiteral("valid")).toBool());
    }

    void shouldRefuseFailedCrc_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("message");
        QTest::newRow("wrong token")
            << int(Receiver::Crc::WrongToken)
            << QStringLiteral(
                   "Webhook URL does not meet the requirements. Invalid CRC token or json response format.");
        QTest::newRow("non-200") << int(Receiver::Crc::Status500)
                                 << QStringLiteral(
                                        "Non-200 response code during CRC GET request (i.e. 404, 500, etc).");
        QTest::newRow("bad json")
            << int(Receiver::Crc::BadJson)
            << QStringLiteral(
                   "Webhook URL does not meet the requirements. Invalid CRC token or json response format.");
    }
    void shouldRefuseFailedCrc()
    {
        QFETCH(int, mode);
        QFETCH(QString, message);
        Receiver receiver;
        receiver.crcMode = Receiver::Crc(mode);
        const Response r = registerV1(receiver.url());
        QCOMPARE(r.status, 403);
        QCOMPARE(r.v1Code(), 214);
        QCOMPARE(r.v1Message(), message);
        const Response v2 = registerV2(receiver.url());
        QCOMPARE(v2.status, 400);
        QCOMPARE(v2.v2Reason(), QStringLiteral("CrcValidationFailed"));
        QVERIFY(!v2.object().value(QStringLiteral("detail")).toString().isEmpty());
        // One problem at the top level, as X sends it, not a mix with an "errors" array.
        QVERIFY(!v2.object().contains(QStringLiteral("errors")));
        QCOMPARE(v2.object().value(QStringLiteral("status")).toInt(), 400);
        QVERIFY(v2.object()
                    .value(QStringLiteral("type"))
                    .toString()
                    .startsWith(QLatin1String("https://api.x.com/2/problems/")));
        QCOMPARE(m_server->webhooks().size(), 2); // nothing registered
    }

    void shouldTimeOutSlowCrcWithoutBlocking()
    {
        m_server->setCrcTimeout(300ms);
        SilentReceiver silent;
        // While the CRC waits, the server keeps answering other requests.
        QNetworkRequest request(m_client->url(QStringLiteral("/1.1/account_activity/webhooks.json?url=") +
                                              encoded(silent.url())));
        request.setRawHeader("Authorization", Client::oauthHeader("POST", request.url(), owner()));
        QNetworkReply *pending = m_client->nam().post(request, QByteArray());
        QSignalSpy finished(pending, &QNetworkReply::finished);
        QCOMPARE(
            m_client->bearer("GET", QStringLiteral("/1.1/account_activity/subscriptions/count.json")).status,
            200);
        QVERIFY(finished.count() == 0);
        QVERIFY(finished.wait(5000));
        QCOMPARE(pending->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 403);
        const QJsonObject error = QJsonDocument::fromJson(pending->readAll())
                                      .object()
                                      .value(QStringLiteral("errors"))
                                      .toArray()
                                      .at(0)
                                      .toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toInt(), 214);
        QCOMPARE(error.value(QStringLiteral("message")).toString(),
                 QStringLiteral(
                     "High latency on CRC GET request. Your webhook should respond in less than 3 seconds."));
        pending->deleteLater();
    }

    void shouldApplyUrlRules_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("strict");
        QTest::newRow("http") << QStringLiteral("http://hooks.example.com/x") << false;
        QTest::newRow("port") << QStringLiteral("https://hooks.example.com:8443/x") << false;
        QTest::newRow("ip address") << QStringLiteral("https://10.1.2.3/x") << false;
        QTest::newRow("not a url") << QStringLiteral("hooks") << false;
        QTest::newRow("loopback when strict") << QStringLiteral("http://127.0.0.1:9/x") << true;
    }
    void shouldApplyUrlRules()
    {
        QFETCH(QString, url);
        QFETCH(bool, strict);
        m_server->setLenientLoopbackUrls(!strict);
        const Response r = registerV1(url);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.v1Code(), 214);
        QCOMPARE(r.v1Message(), QStringLiteral("Webhook URL does not meet the requirements."));
        const Response v2 = registerV2(url);
        QCOMPARE(v2.status, 400);
        QCOMPARE(v2.v2Reason(), QStringLiteral("UrlValidationFailed"));
    }

    void shouldNotContactHostsBeyondLoopback()
    {
        // A URL that meets X's rules is CRC-checked, but the sandbox never leaves the machine.
        const Response r = registerV2(QStringLiteral("https://hooks.example.org/activity"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.v2Reason(), QStringLiteral("CrcValidationFailed"));
        QVERIFY(
            r.object().value(QStringLiteral("detail")).toString().contains(QStringLiteral("not contacted")));
    }

    void shouldRefuseDuplicateUrl()
    {
        const QString url = m_server->demoReceiverUrl(demo::receiverName);
        const Response r = registerV1(url);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.v1Code(), 214);
        QCOMPARE(r.v1Message(), QStringLiteral("Webhook URL already registered."));
        const Response v2 = registerV2(url);
        QCOMPARE(v2.status, 409);
        QCOMPARE(v2.v2Reason(), QStringLiteral("DuplicateUrlFailed"));
        QCOMPARE(v2.object().value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://api.x.com/2/problems/conflict"));
    }

    void shouldRefuseOverWebhookQuotaOnV1()
    {
        m_server->setWebhookLimit(2);
        const Response r = registerV1(m_server->demoReceiverUrl(QStringLiteral("third")));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.v1Code(), 214);
        QCOMPARE(r.v1Message(), QStringLiteral("Too many resources already created."));
    }

    void shouldValidateAndInvalidateWithCrc()
    {
        Receiver receiver;
        const QString id = m_server->addWebhook(receiver.url(), false);
        const QString v1Path = QStringLiteral("/1.1/account_activity/webhooks/%1.json").arg(id);
        QCOMPARE(m_client->signedCall("PUT", v1Path, owner()).status, 204);
        QVERIFY(m_server->webhook(id)->valid);

        receiver.crcMode = Receiver::Crc::WrongToken;
        const Response failed = m_client->signedCall("PUT", v1Path, owner());
        QCOMPARE(failed.status, 403);
        QCOMPARE(failed.v1Code(), 214);
        QVERIFY(!m_server->webhook(id)->valid); // a failed check leaves it valid:false

        const Response v2Failed = m_client->bearer("PUT", QStringLiteral("/2/webhooks/") + id);
        QCOMPARE(v2Failed.status, 400);
        QCOMPARE(v2Failed.v2Reason(), QStringLiteral("CrcValidationFailed"));
        receiver.crcMode = Receiver::Crc::Correct;
        const Response v2 = m_client->bearer("PUT", QStringLiteral("/2/webhooks/") + id);
        QCOMPARE(v2.status, 200);
        QCOMPARE(v2.body, QByteArrayLiteral("{\"data\":{\"valid\":true}}"));
        QVERIFY(m_server->webhook(id)->valid);
    }

    void shouldAnswerUnknownWebhook()
    {
        const Response put =
            m_client->signedCall("PUT", QStringLiteral("/1.1/account_activity/webhooks/999.json"), owner());
        QCOMPARE(put.status, 404);
        QCOMPARE(put.v1Code(), 34);
        QCOMPARE(
            put.v1Message(),
            QStringLiteral("Webhook does not exist or is associated with a different twitter application."));
        const Response del = m_client->bearer("DELETE", QStringLiteral("/2/webhooks/999"));
        QCOMPARE(del.status, 404);
        QCOMPARE(del.v2Reason(), QStringLiteral("WebhookIdInvalid"));
        QCOMPARE(
            m_client->signedCall("POST", v1All(QStringLiteral("999")), userCredentials(demo::bob)).v1Code(),
            34);
        QCOMPARE(
            m_client->signedCall("POST", v2All(QStringLiteral("999")), userCredentials(demo::bob)).v2Reason(),
            QStringLiteral("WebhookIdInvalid"));
        QCOMPARE(
            m_client
                ->bearer("GET",
                         QStringLiteral("/1.1/account_activity/webhooks/999/subscriptions/all/list.json"))
                .v1Code(),
            34);
    }

    void shouldDeleteWebhooks()
    {
        const QString a = m_server->addWebhook(QStringLiteral("https://a.example.com/h"), false);
        const QString b = m_server->addWebhook(QStringLiteral("https://b.example.com/h"), false);
        QCOMPARE(m_client
                     ->signedCall("DELETE", QStringLiteral("/1.1/account_activity/webhooks/%1.json").arg(a),
                                  owner())
                     .status,
                 204);
        const Response v2 = m_client->bearer("DELETE", QStringLiteral("/2/webhooks/") + b);
        QCOMPARE(v2.status, 200);
        QCOMPARE(v2.body, QByteArrayLiteral("{\"data\":{\"deleted\":true}}"));
        QCOMPARE(m_server->webhooks().size(), 2);
    }

    void shouldSubscribeCheckAndRefuseDuplicatesOnV1()
    {
        const QString id = demo::validWebhookId;
        QCOMPARE(m_client->signedCall("GET", v1All(id), userCredentials(demo::bob)).v1Code(), 34);
        const Response sub = m_client->signedCall("POST", v1All(id), userCredentials(demo::bob));
        QCOMPARE(sub.status, 204);
        QVERIFY(sub.body.isEmpty());
        QCOMPARE(m_client->signedCall("GET", v1All(id), userCredentials(demo::bob)).status, 204);
        const Response dup = m_client->signedCall("POST", v1All(id), userCredentials(demo::bob));
        QCOMPARE(dup.status, 409);
        QCOMPARE(dup.v1Code(), 355);
        QCOMPARE(dup.v1Message(), QStringLiteral("Subscription already exists."));
        // The owner may subscribe itself.
        QCOMPARE(m_client->signedCall("POST", v1All(id), owner()).status, 204);
        // Deprecated user-context unsubscribe.
        QCOMPARE(m_client->signedCall("DELETE", v1All(id), userCredentials(demo::bob)).status, 204);
        const Response gone = m_client->signedCall("DELETE", v1All(id), userCredentials(demo::bob));
        QCOMPARE(gone.status, 404);
        QCOMPARE(gone.v1Message(), QStringLiteral("Sorry, that page does not exist."));
    }

    void shouldSubscribeCheckAndRefuseDuplicatesOnV2()
    {
        const QString id = demo::validWebhookId;
        QCOMPARE(m_client->signedCall("GET", v2All(id), userCredentials(demo::carol)).body,
                 QByteArrayLiteral("{\"data\":{\"subscribed\":false}}"));
        const Response sub = m_client->signedCall("POST", v2All(id), userCredentials(demo::carol));
        QCOMPARE(sub.status, 200);
        QCOMPARE(sub.body, QByteArrayLiteral("{\"data\":{\"subscribed\":true}}"));
        QCOMPARE(m_client->signedCall("GET", v2All(id), userCredentials(demo::carol)).body,
                 QByteArrayLiteral("{\"data\":{\"subscribed\":true}}"));
        const Response dup = m_client->signedCall("POST", v2All(id), userCredentials(demo::carol));
        QCOMPARE(dup.status, 409);
        QCOMPARE(dup.v2Reason(), QStringLiteral("DuplicateSubscriptionFailed"));
    }

    void shouldRefuseUsersWhoDidNotPermitSubscriptions()
    {
        const Response r =
            m_client->signedCall("POST", v1All(demo::validWebhookId), userCredentials(demo::eve));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.v1Code(), 348);
        QCOMPARE(r.v1Message(),
                 QStringLiteral(
                     "Client application is not permitted to access this user's webhook subscriptions."));
    }

    void shouldEnforceProvisionedSubscriptions()
    {
        m_server->setProvisionedSubscriptions(m_server->subscriptionCount());
        const Response r =
            m_client->signedCall("POST", v1All(demo::validWebhookId), userCredentials(demo::bob));
        QCOMPARE(r.status, 403);
        QVERIFY(r.v1Message().contains(QStringLiteral("provisioned")));
        const Response v2 =
            m_client->signedCall("POST", v2All(demo::validWebhookId), userCredentials(demo::bob));
        QCOMPARE(v2.status, 403);
        QCOMPARE(v2.v2Reason(), QStringLiteral("SubscriptionLimitExceeded"));
        QVERIFY(!m_server->isSubscribed(demo::validWebhookId, demo::bob.id));
    }

    void shouldUnsubscribeByUserId()
    {
        const QString v1 = QStringLiteral("/1.1/account_activity/webhooks/%1/subscriptions/%2/all.json");
        const QString v2 = QStringLiteral("/2/account_activity/webhooks/%1/subscriptions/%2/all");
        const Response missing = m_client->bearer("DELETE", v1.arg(demo::validWebhookId, demo::bob.id));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.v1Code(), 34);
        QCOMPARE(missing.v1Message(), QStringLiteral("Sorry, that page does not exist."));
        const Response missing2 = m_client->bearer("DELETE", v2.arg(demo::validWebhookId, demo::bob.id));
        QCOMPARE(missing2.status, 404);
        QCOMPARE(missing2.v2Reason(), QStringLiteral("SubscriptionNotFound"));

        const QString first = m_server->subscribers(demo::validWebhookId).at(1);
        const QString second = m_server->subscribers(demo::validWebhookId).at(2);
        const Response ok = m_client->bearer("DELETE", v1.arg(demo::validWebhookId, first));
        QCOMPARE(ok.status, 204);
        QVERIFY(ok.body.isEmpty());
        const Response ok2 = m_client->bearer("DELETE", v2.arg(demo::validWebhookId, second));
        QCOMPARE(ok2.status, 200);
        QCOMPARE(ok2.body, QByteArrayLiteral("{\"data\":{\"subscribed\":false}}"));
        QVERIFY(!m_server->isSubscribed(demo::validWebhookId, first));
        QVERIFY(!m_server->isSubscribed(demo::validWebhookId, second));
    }

    void shouldCountAndListSubscriptionsAsStrings()
    {
        const int expected = demo::seededSubscriberCount + 1; // alice
        const Response v1 =
            m_client->bearer("GET", QStringLiteral("/1.1/account_activity/subscriptions/count.json"));
        QCOMPARE(v1.status, 200);
        QCOMPARE(v1.object().value(QStringLiteral("account_name")).toString(), demo::accountName);
        QCOMPARE(v1.object().value(QStringLiteral("subscriptions_count_all")).toString(),
                 QString::number(expected));
        QCOMPARE(v1.object().value(QStringLiteral("subscriptions_count_direct_messages")).toString(),
                 QStringLiteral("0"));
        QCOMPARE(v1.object().value(QStringLiteral("provisioned_count")).toString(),
                 QString::number(demo::provisionedSubscriptions));
        const Response v2 =
            m_client->bearer("GET", QStringLiteral("/2/account_activity/subscriptions/count"));
        QCOMPARE(v2.data().value(QStringLiteral("subscriptions_count_all")).toString(),
                 QString::number(expected));

        const Response list =
            m_client->bearer("GET",
                             QStringLiteral("/1.1/account_activity/webhooks/%1/subscriptions/all/list.json")
                                 .arg(demo::validWebhookId));
        QCOMPARE(list.status, 200);
        QCOMPARE(list.object().value(QStringLiteral("webhook_id")).toString(), demo::validWebhookId);
        QCOMPARE(list.object().value(QStringLiteral("application_id")).toString(), demo::appId);
        QCOMPARE(list.object().value(QStringLiteral("webhook_url")).toString(),
                 m_server->demoReceiverUrl(demo::receiverName));
        const QJsonArray subs = list.object().value(QStringLiteral("subscriptions")).toArray();
        QCOMPARE(subs.size(), expected);
        QCOMPARE(subs.at(0).toObject().value(QStringLiteral("user_id")).toString(), demo::alice.id);
        const Response list2 =
            m_client->bearer("GET",
                             QStringLiteral("/2/account_activity/webhooks/%1/subscriptions/all/list")
                                 .arg(demo::validWebhookId));
        QCOMPARE(list2.data().value(QStringLiteral("subscriptions")).toArray().size(), expected);
    }

    void shouldLookUpUsersOnBothGenerations()
    {
        const QString someone = m_server->subscribers(demo::validWebhookId).at(5);
        const Response v1 = m_client->bearer(
            "GET", QStringLiteral("/1.1/users/lookup.json?user_id=%1,%2,42").arg(demo::alice.id, someone));
        QCOMPARE(v1.status, 200);
        const QJsonArray users = v1.json().array();
        QCOMPARE(users.size(), 2);
        for (const QJsonValue &user : users) {
            QVERIFY(!user.toObject().value(QStringLiteral("screen_name")).toString().isEmpty());
            QVERIFY(!user.toObject().value(QStringLiteral("name")).toString().isEmpty());
        }
        QCOMPARE(m_client->bearer("GET", QStringLiteral("/1.1/users/lookup.json?user_id=42")).status, 404);

        const Response v2 = m_client->bearer("GET", QStringLiteral("/2/users?ids=%1,42").arg(demo::bob.id));
        QCOMPARE(v2.status, 200);
        const QJsonArray data = v2.object().value(QStringLiteral("data")).toArray();
        QCOMPARE(data.size(), 1);
        QCOMPARE(data.at(0).toObject().value(QStringLiteral("username")).toString(), demo::bob.username);
        QCOMPARE(data.at(0).toObject().value(QStringLiteral("name")).toString(), demo::bob.name);
        const QJsonArray errors = v2.object().value(QStringLiteral("errors")).toArray();
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.at(0).toObject().value(QStringLiteral("resource_id")).toString(),
                 QStringLiteral("42"));
        QCOMPARE(m_client->bearer("GET", QStringLiteral("/2/users?ids=abc")).status, 400);
    }

    void shouldGenerateDeterministicNamedSubscribers()
    {
        SandboxServer other;
        other.seedDemo();
        QCOMPARE(other.subscribers(demo::validWebhookId), m_server->subscribers(demo::validWebhookId));
        QCOMPARE(m_server->subscribers(demo::validWebhookId).size(), demo::seededSubscriberCount + 1);
    }

    // One definition of names: every call of the endpoint catalogue is served at the catalogue's
    // method and path, and rated under the catalogue's key (the OAuth ones, without a documented
    // limit, unrated).
    void shouldServeEveryCataloguedEndpointUnderItsRateLimitKey()
    {
        for (const activity::Endpoint &endpoint : endpoints::all()) {
            QString path = endpoint.pathTemplate;
            path.replace(QStringLiteral("{webhook_id}"), demo::validWebhookId);
            path.replace(QStringLiteral("{user_id}"), demo::alice.id);
            path.replace(QStringLiteral("{subscription_id}"), demo::activityBioSubscriptionId);
            const QString what = QString::fromLatin1(endpoint.method) + QLatin1Char(' ') + path;
            m_server->clearJournal();
            // The activity stream answers until it is closed; with an end_time in the past it sends
            // what was kept up to then and ends.
            const QString query = endpoint.op == Operation::ActivityStream
                ? QStringLiteral("?end_time=2020-01-01T00:00:00Z")
                : QString();
            const Response response = m_client->bearer(endpoint.method, path + query);
            QVERIFY2(response.status > 0, qPrintable(what));
            const QList<JournalEntry> seen = m_server->journal().forPath(path, endpoint.method);
            QVERIFY2(seen.size() == 1, qPrintable(what));
            QCOMPARE(seen.first().endpointKey, endpoint.rateLimitKey);
            if (endpoint.documentedLimitPer15Min == 0) {
                // Unrated: no rule and no x-rate-limit headers; served, not the route table's
                // "page does not exist".
                QVERIFY2(response.status != 404, qPrintable(what));
                QVERIFY2(!response.headers.contains("x-rate-limit-limit"), qPrintable(what));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestSandboxWebhooks)
#include "tst_sandbox_webhooks.moc"
