#include "ApiClient.h"
#include "SandboxDemo.h"
#include "SandboxServer.h"
#include "SignInFlow.h"
#include "SignInTestSupport.h"

#include <QtTest>

using namespace activity;
namespace demo = activity::sandbox::demo;

// The three-legged flow against the sandbox over real HTTP on 127.0.0.1; the test plays the person
// on the authorize page (the embedded browser has its own test).
class TestSignInFlow : public QObject
{
    Q_OBJECT
private:
    // QVERIFY2 evaluates its message even when the check passes.
    static QString problem(const SignInFlow &flow)
    {
        return flow.result().ok() ? QString() : flow.result().error().text();
    }

    sandbox::SandboxServer *m_sandbox = nullptr;
    QNetworkAccessManager *m_network = nullptr;

    ApiClient *client(ApiGeneration generation = ApiGeneration::V2)
    {
        ClientConfig config;
        config.baseUrl = m_sandbox->baseUrl();
        config.allowInsecureLoopback = true; // the sandbox, on plain http
        config.generation = generation;
        AppCredentials app {
            demo::consumerKey, demo::consumerSecret, demo::ownerToken, demo::ownerTokenSecret, {}};
        return new ApiClient(m_network, config, app, nullptr, this);
    }

    // Starts a flow and waits until it offers the authorize URL.
    bool startFlow(SignInFlow &flow)
    {
        QSignalSpy ready(&flow, &SignInFlow::authorizeUrlReady);
        QSignalSpy finished(&flow, &SignInFlow::finished);
        flow.start();
        return ready.wait(10000) && finished.isEmpty();
    }

    bool waitFinished(SignInFlow &flow)
    {
        QSignalSpy finished(&flow, &SignInFlow::finished);
        return flow.state() == SignInFlow::State::Succeeded || flow.state() == SignInFlow::State::Failed ||
            finished.wait(10000);
    }

private Q_SLOTS:
    void init()
    {
        m_sandbox = new sandbox::SandboxServer(this);
        QVERIFY(m_sandbox->listen());
        m_sandbox->seedDemo();
        m_network = new QNetworkAccessManager(this);
    }
    void cleanup()
    {
        delete m_network;
        delete m_sandbox;
    }

    void shouldSignInThroughTheCallbackAndSubscribeWithTheNewToken()
    {
        ApiClient *api = client();
        SignInFlow flow(api, demo::callbackUrl);
        QVERIFY(startFlow(flow));
        const QUrl authorize = flow.authorizeUrl();
        QCOMPARE(authorize.path(), QStringLiteral("/oauth/authorize"));
        QCOMPARE(QUrlQuery(authorize).queryItemValue(QStringLiteral("force_login")), QStringLiteral("true"));

        const auto page = signintest::get(*m_network, authorize);
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.contains("id=\"username\""));
        const auto approved =
            signintest::submitAuthorizeForm(*m_network, authorize, page.body, demo::bob.username,
                                            demo::bob.password, QStringLiteral("allow"));
        QCOMPARE(approved.status, 302);
        QVERIFY(approved.redirect.toString().startsWith(demo::callbackUrl));

        flow.handleCallback(approved.redirect);
        QVERIFY(waitFinished(flow));
        QVERIFY2(flow.result().ok(), qPrintable(problem(flow)));
        const SignedInUser user = flow.result().value();
        QCOMPARE(user.userId, demo::bob.id);
        QCOMPARE(user.username, demo::bob.username);
        QVERIFY(!user.token.isEmpty() && !user.tokenSecret.isEmpty());

        // The freshly issued token works in the subscribing-user context.
        const QString webhookId = m_sandbox->webhooks().constFirst().id;
        bool subscribed = false;
        QSignalSpy called(this, &QObject::objectNameChanged);
        api->subscribe(webhookId, user.credentials(), this, [&](const Result<Done> &r) {
            subscribed = r.ok();
            setObjectName(r.ok() ? QStringLiteral("ok") : r.error().text());
        });
        QVERIFY(called.wait(10000));
        QVERIFY2(subscribed, qPrintable(objectName()));
        QVERIFY(m_sandbox->isSubscribed(webhookId, demo::bob.id));
    }

    void shouldReportADenialPlainly()
    {
        SignInFlow flow(client(), demo::callbackUrl);
        QVERIFY(startFlow(flow));
        const auto page = signintest::get(*m_network, flow.authorizeUrl());
        const auto denied =
            signintest::submitAuthorizeForm(*m_network, flow.authorizeUrl(), page.body, demo::bob.username,
                                            demo::bob.password, QStringLiteral("deny"));
        QCOMPARE(denied.status, 302);
        QVERIFY(QUrlQuery(denied.redirect).hasQueryItem(QStringLiteral("denied")));
        flow.handleCallback(denied.redirect);
        QVERIFY(waitFinished(flow));
        QVERIFY(!flow.result().ok());
        QCOMPARE(flow.result().error().kind, ApiError::Kind::Permission);
        QVERIFY(flow.result().error().cause.contains(QStringLiteral("declined")));
        QVERIFY(!flow.result().error().remedy.isEmpty());
    }

    void shouldRefuseACallbackForAnotherRequestToken()
    {
        SignInFlow flow(client(), demo::callbackUrl);
        QVERIFY(startFlow(flow));
        QUrl forged(demo::callbackUrl);
        forged.setQuery(QStringLiteral("oauth_token=someone-elses-token&oauth_verifier=123"));
        flow.handleCallback(forged);
        QVERIFY(waitFinished(flow));
        QCOMPARE(flow.result().error().kind, ApiError::Kind::Authentication);
        QVERIFY(flow.result().error().cause.contains(QStringLiteral("different request token")));
    }

    void shouldFailOnAWrongVerifier()
    {
        SignInFlow flow(client(), demo::callbackUrl);
        QVERIFY(startFlow(flow));
        const auto page = signintest::get(*m_network, flow.authorizeUrl());
        const auto approved =
            signintest::submitAuthorizeForm(*m_network, flow.authorizeUrl(), page.body, demo::alice.username,
                                            demo::alice.password, QStringLiteral("allow"));
        QUrl tampered = approved.redirect;
        QUrlQuery query(tampered);
        query.removeAllQueryItems(QStringLiteral("oauth_verifier"));
        query.addQueryItem(QStringLiteral("oauth_verifier"), QStringLiteral("not-the-verifier"));
        tampered.setQuery(query);
        flow.handleCallback(tampered);
        QVERIFY(waitFinished(flow));
        QVERIFY(!flow.result().ok());
        QCOMPARE(flow.result().error().kind, ApiError::Kind::Authentication);
        QVERIFY(!flow.result().error().remedy.isEmpty());
    }

    void shouldSignInWithThePinAndAllowASecondTryAfterAWrongPin()
    {
        SignInFlow flow(client(ApiGeneration::V1_1), {});
        QVERIFY(flow.isPinFlow());
        QVERIFY(startFlow(flow));
        const auto page = signintest::get(*m_network, flow.authorizeUrl());
        const auto shown =
            signintest::submitAuthorizeForm(*m_network, flow.authorizeUrl(), page.body, demo::carol.username,
                                            demo::carol.password, QStringLiteral("allow"));
        QCOMPARE(shown.status, 200);
        const QString pin = signintest::pinFrom(shown.body);
        QCOMPARE(pin.size(), 7);

        QSignalSpy rejected(&flow, &SignInFlow::pinRejected);
        flow.submitPin(QStringLiteral("12ab"));
        QCOMPARE(rejected.size(), 1); // not digits: refused before sending
        const QString wrong =
            pin == QStringLiteral("1111111") ? QStringLiteral("2222222") : QStringLiteral("1111111");
        flow.submitPin(wrong);
        QVERIFY(rejected.wait(10000));
        QCOMPARE(flow.state(), SignInFlow::State::WaitingForUser);

        flow.submitPin(pin);
        QVERIFY(waitFinished(flow));
        QVERIFY2(flow.result().ok(), qPrintable(problem(flow)));
        QCOMPARE(flow.result().value().userId, demo::carol.id);
    }

    void shouldExplainAnUnregisteredCallback()
    {
        SignInFlow flow(client(), QStringLiteral("https://not-registered.example/callback"));
        QSignalSpy finished(&flow, &SignInFlow::finished);
        flow.start();
        QVERIFY(finished.wait(10000));
        const ApiError error = flow.result().error();
        QCOMPARE(error.code, 415);
        QVERIFY2(error.remedy.contains(QStringLiteral("Callback"), Qt::CaseInsensitive) ||
                     error.remedy.contains(QStringLiteral("callback"), Qt::CaseInsensitive),
                 qPrintable(error.remedy));
    }

    void shouldEndCleanlyWhenTheWindowIsClosed()
    {
        SignInFlow flow(client(), demo::callbackUrl);
        QVERIFY(startFlow(flow));
        QSignalSpy finished(&flow, &SignInFlow::finished);
        flow.cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(flow.result().error().kind, ApiError::Kind::Cancelled);
        flow.cancel(); // exactly one finished()
        QCOMPARE(finished.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSignInFlow)
#include "tst_signinflow.moc"
