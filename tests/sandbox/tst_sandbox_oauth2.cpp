// OAuth 2.0 Authorization Code with PKCE against the sandbox, over real HTTP on 127.0.0.1: the
// authorize page driven with plain form POSTs, the code exchange, refresh and revoke through
// ApiClient, and the user token at work (v2 subscribe and check, users/me) and refused where X
// refuses it. The world clock is moved with the test API; nothing sleeps.

#include "ApiClient.h"
#include "OAuth2.h"
#include "SandboxTestSupport.h"

#include <QtTest>

#include <optional>

using namespace sandboxtest;
using namespace std::chrono_literals;
using activity::ApiClient;
using activity::ApiError;
using activity::AppCredentials;
using activity::ClientConfig;
using activity::CredentialKind;
using activity::Done;
using activity::Result;
using activity::UserCredentials;
using activity::UserInfo;
namespace oauth2 = activity::oauth2;

// Evaluates `expression` (often a whole call) once.
#define VERIFY_OK(expression)                                                                                \
    do {                                                                                                     \
        const auto &verified = (expression);                                                                 \
        QVERIFY2(verified.ok(), verified.ok() ? "" : qPrintable(verified.error().text()));                   \
    } while (false)

namespace {

// Starts a call with a callback and waits (processing events) until the callback ran.
template<typename T, typename Start> Result<T> run(Start start)
{
    std::optional<Result<T>> out;
    start([&](const Result<T> &result) { out.emplace(result); });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 15000))
        return ApiError::make(ApiError::Kind::Timeout,
                              QStringLiteral("The test gave up waiting for the callback."));
    return *out;
}

const QStringList accountActivity {QStringLiteral("dm.read"), QStringLiteral("dm.write"),
                                   QStringLiteral("tweet.read"), QStringLiteral("users.read")};

QStringList withOffline(QStringList scopes)
{
    scopes.append(QStringLiteral("offline.access"));
    scopes.sort();
    return scopes;
}

QString htmlUnescaped(QString text)
{
    text.replace(QLatin1String("&quot;"), QLatin1String("\""));
    text.replace(QLatin1String("&lt;"), QLatin1String("<"));
    text.replace(QLatin1String("&gt;"), QLatin1String(">"));
    text.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return text;
}

// The hidden fields of the authorize page, and the values of its checked scope checkboxes.
Params hiddenFields(const QByteArray &html)
{
    static const QRegularExpression hidden(
        QStringLiteral(R"re(<input type="hidden" name="([^"]+)" value="([^"]*)">)re"));
    Params fields;
    for (auto it = hidden.globalMatch(QString::fromUtf8(html)); it.hasNext();) {
        const auto match = it.next();
        fields.append({match.captured(1), htmlUnescaped(match.captured(2))});
    }
    return fields;
}

QStringList checkedScopes(const QByteArray &html)
{
    static const QRegularExpression box(QStringLiteral(
        R"re(<input type="checkbox" id="([^"]+)" name="scope" value="([^"]+)"( checked)?>)re"));
    QStringList scopes;
    for (auto it = box.globalMatch(QString::fromUtf8(html)); it.hasNext();) {
        const auto match = it.next();
        if (!match.captured(3).isEmpty())
            scopes.append(match.captured(2));
    }
    return scopes;
}

QString queryValue(const QUrl &url, const char *key)
{
    return QUrlQuery(url).queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
}

} // namespace

class TestSandboxOAuth2 : public SandboxTestCase
{
    Q_OBJECT

    QNetworkAccessManager m_network;

    // What an app puts on the authorize URL; every part can be spoiled by a test.
    struct Authorize
    {
        QString path = QStringLiteral("/i/oauth2/authorize");
        QString responseType = QStringLiteral("code");
        QByteArray clientId = demo::oauth2ClientId;
        QString redirectUri = demo::oauth2RedirectUri;
        QStringList scopes = accountActivity;
        QString state = QStringLiteral("st+ate/with=base64-chars");
        QByteArray verifier = oauth2::newPkce().verifier;
        QByteArray method = "S256";
        std::optional<QByteArray> challenge; // default: from the verifier and method
    };

    QUrl authorizeUrl(const Authorize &a) const
    {
        QUrl url = m_client->url(a.path);
        QUrlQuery query;
        const auto add = [&query](const char *key, const QString &value) {
            query.addQueryItem(QLatin1String(key), QString::fromUtf8(QUrl::toPercentEncoding(value)));
        };
        add("response_type", a.responseType);
        add("client_id", QString::fromUtf8(a.clientId));
        add("redirect_uri", a.redirectUri);
        add("scope", a.scopes.join(QLatin1Char(' ')));
        add("state", a.state);
        const QByteArray challenge =
            a.challenge.value_or(a.method == "S256" ? oauth2::s256Challenge(a.verifier) : a.verifier);
        add("code_challenge", QString::fromUtf8(challenge));
        add("code_challenge_method", QString::fromUtf8(a.method));
        url.setQuery(query);
        return url;
    }

    Response page(const Authorize &a) { return m_client->send("GET", authorizeUrl(a)); }

    // Submits the page's form as a browser would: its hidden fields, the scopes left checked (all
    // of the page's unless `checked` says), the credentials and the button pressed.
    Response submit(const QByteArray &html, const QString &action,
                    const QString &username = demo::bob.username,
                    const QString &password = demo::bob.password, std::optional<QStringList> checked = {},
                    const QString &path = QStringLiteral("/i/oauth2/authorize"))
    {
        Params fields = hiddenFields(html);
        fields.append({QStringLiteral("username"), username});
        fields.append({QStringLiteral("password"), password});
        for (const QString &scope : checked.value_or(checkedScopes(html)))
            fields.append({QStringLiteral("scope"), scope});
        fields.append({QStringLiteral("action"), action});
        return m_client->send("POST", m_client->url(path), {}, Client::formBody(fields),
                              "application/x-www-form-urlencoded");
    }

    // The code the browser lands with after approving (bob unless told), or empty.
    QByteArray approve(const Authorize &a, std::optional<QStringList> checked = {},
                       const demo::User &user = demo::bob)
    {
        const Response shown = page(a);
        if (shown.status != 200)
            return {};
        const Response approved =
            submit(shown.body, QStringLiteral("allow"), user.username, user.password, checked);
        if (approved.status != 302)
            return {};
        const QUrl location = QUrl::fromEncoded(approved.header("location"));
        const Result<QByteArray> code =
            oauth2::codeFromRedirect(oauth2::parseRedirect(location), a.state.toUtf8());
        return code ? code.value() : QByteArray();
    }

    std::unique_ptr<ApiClient> apiClient(const QByteArray &clientId = demo::oauth2ClientId,
                                         const QByteArray &clientSecret = demo::oauth2ClientSecret)
    {
        ClientConfig config;
        config.baseUrl = m_server->baseUrl();
        config.allowInsecureLoopback = true; // the sandbox, on plain http
        config.generation = ApiGeneration::V2;
        config.transferTimeout = 10s;
        config.backoffBase = 1ms;
        SandboxServer *server = m_server.get();
        config.clock = [server] { return server->now(); };
        AppCredentials credentials {demo::consumerKey, demo::consumerSecret, demo::ownerToken,
                                    demo::ownerTokenSecret, demo::bearerToken};
        credentials.oauth2ClientId = clientId;
        credentials.oauth2ClientSecret = clientSecret;
        return std::make_unique<ApiClient>(&m_network, config, credentials);
    }

    Result<oauth2::Token> exchange(ApiClient &api, const QByteArray &code, const Authorize &a,
                                   std::optional<QString> redirectUri = {})
    {
        return run<oauth2::Token>([&](auto done) {
            api.exchangeOAuth2Code(code, QUrl(redirectUri.value_or(a.redirectUri)), a.verifier, a.scopes,
                                   this, done);
        });
    }

    // Signs bob in through the page and exchanges the code: the token, or a failed QVERIFY.
    oauth2::Token signIn(ApiClient &api, const Authorize &a, std::optional<QStringList> checked = {})
    {
        const QByteArray code = approve(a, checked);
        if (code.isEmpty())
            return {};
        const Result<oauth2::Token> token = exchange(api, code, a);
        return token ? token.value() : oauth2::Token();
    }

    static UserCredentials oauth2User(const oauth2::Token &token, const demo::User &user = demo::bob,
                                      std::optional<QStringList> claimedScopes = {})
    {
        UserCredentials credentials;
        credentials.userId = user.id;
        credentials.username = user.username;
        credentials.oauth2 = token;
        credentials.oauth2.scopes = claimedScopes.value_or(token.scopes);
        return credentials;
    }

    Result<Done> subscribe(ApiClient &api, const UserCredentials &user)
    {
        return run<Done>([&](auto done) { api.subscribe(demo::validWebhookId, user, this, done); });
    }

    Result<bool> check(ApiClient &api, const UserCredentials &user)
    {
        return run<bool>([&](auto done) { api.checkSubscription(demo::validWebhookId, user, this, done); });
    }

    // A token request sent by hand (client authentication and body exactly as given).
    Response tokenRequest(const Params &form, const QByteArray &authorization = {},
                          const QString &path = QStringLiteral("/2/oauth2/token"))
    {
        return m_client->send("POST", m_client->url(path), authorization, Client::formBody(form),
                              "application/x-www-form-urlencoded");
    }

    static QByteArray basic(const QByteArray &id, const QByteArray &secret)
    {
        return "Basic " +
            QByteArray(QUrl::toPercentEncoding(QString::fromUtf8(id)) + ':' +
                       QUrl::toPercentEncoding(QString::fromUtf8(secret)))
                .toBase64();
    }

private Q_SLOTS:
    // ---- the authorize page ------------------------------------------------------------------

    void shouldRenderTheAuthorizePage_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("x.com's address") << QStringLiteral("/i/oauth2/authorize");
        QTest::newRow("the spec's address") << QStringLiteral("/2/oauth2/authorize");
    }
    void shouldRenderTheAuthorizePage()
    {
        QFETCH(QString, path);
        Authorize a;
        a.path = path;
        a.scopes = withOffline(accountActivity);
        const Response r = page(a);
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("text/html"));
        const QString html = QString::fromUtf8(r.body);
        for (const char *id :
             {"id=\"login\"", "id=\"username\"", "id=\"password\"", "id=\"allow\"", "id=\"deny\"",
              "id=\"app-name\"", "id=\"scopes\"", "name=\"action\" value=\"allow\"",
              "name=\"action\" value=\"deny\"", "id=\"scope-dm-read\"", "id=\"scope-offline-access\""})
            QVERIFY2(html.contains(QLatin1String(id)), id);
        QVERIFY(html.contains(demo::appName));
        QVERIFY(html.contains(QStringLiteral("action=\"%1\"").arg(path)));
        QCOMPARE(checkedScopes(r.body), a.scopes); // all asked for, all checked
        QVERIFY(!html.contains(QLatin1String("id=\"error\"")));
        // The authorization request rides along in the form, as sent.
        const Params hidden = hiddenFields(r.body);
        QVERIFY(hidden.contains({QStringLiteral("state"), a.state}));
        QVERIFY(hidden.contains({QStringLiteral("redirect_uri"), a.redirectUri}));
        QVERIFY(hidden.contains({QStringLiteral("client_id"), QString::fromUtf8(demo::oauth2ClientId)}));
    }

    void shouldRefuseAnUnknownClientOrRedirectUriWithoutRedirecting_data()
    {
        QTest::addColumn<QByteArray>("clientId");
        QTest::addColumn<QString>("redirectUri");
        QTest::newRow("unknown client") << QByteArray("no-such-client") << demo::oauth2RedirectUri;
        QTest::newRow("no client") << QByteArray() << demo::oauth2RedirectUri;
        QTest::newRow("unregistered redirect")
            << demo::oauth2ClientId << QStringLiteral("https://evil.example/cb");
        QTest::newRow("trailing slash")
            << demo::oauth2ClientId << QString(demo::oauth2RedirectUri + QLatin1Char('/'));
        QTest::newRow("other case") << demo::oauth2PublicClientId << demo::oauth2RedirectUri.toUpper();
        QTest::newRow("no redirect") << demo::oauth2ClientId << QString();
    }
    void shouldRefuseAnUnknownClientOrRedirectUriWithoutRedirecting()
    {
        QFETCH(QByteArray, clientId);
        QFETCH(QString, redirectUri);
        Authorize a;
        a.clientId = clientId;
        a.redirectUri = redirectUri;
        const Response shown = page(a);
        QCOMPARE(shown.status, 400);
        QVERIFY(shown.header("location").isEmpty());
        QVERIFY(shown.body.contains("id=\"error\""));
        QVERIFY(!shown.body.contains("id=\"login\""));

        // The form's hidden fields changed on the way back are checked again.
        Authorize good;
        const Response form = page(good);
        QCOMPARE(form.status, 200);
        QByteArray tampered = form.body;
        tampered.replace(demo::oauth2RedirectUri.toUtf8(), "https://evil.example/cb");
        const Response posted = submit(tampered, QStringLiteral("allow"));
        QCOMPARE(posted.status, 400);
        QVERIFY(posted.header("location").isEmpty());
    }

    void shouldSendOtherRequestProblemsBackToTheApp_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("error");
        const auto row = [](const char *name, const char *field, const QString &value, const char *error) {
            QTest::newRow(name) << QString::fromLatin1(field) << value << QString::fromLatin1(error);
        };
        row("response_type=token", "response_type", QStringLiteral("token"), "unsupported_response_type");
        row("no response_type", "response_type", {}, "invalid_request");
        row("no challenge", "code_challenge", {}, "invalid_request");
        row("short challenge", "code_challenge", QStringLiteral("abc"), "invalid_request");
        row("method S512", "code_challenge_method", QStringLiteral("S512"), "invalid_request");
        row("no method", "code_challenge_method", {}, "invalid_request");
        row("no state", "state", {}, "invalid_request");
        row("state of 501", "state", QString(501, QLatin1Char('s')), "invalid_request");
        row("unknown scope", "scope", QStringLiteral("dm.read account.follows.read"), "invalid_scope");
        row("no scope", "scope", {}, "invalid_request");
    }
    void shouldSendOtherRequestProblemsBackToTheApp()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, error);
        Authorize a;
        if (field == QLatin1String("response_type"))
            a.responseType = value;
        else if (field == QLatin1String("code_challenge"))
            a.challenge = value.toUtf8();
        else if (field == QLatin1String("code_challenge_method"))
            a.method = value.toUtf8();
        else if (field == QLatin1String("state"))
            a.state = value;
        else if (field == QLatin1String("scope"))
            a.scopes = value.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        const Response r = page(a);
        QCOMPARE(r.status, 302);
        const QUrl location = QUrl::fromEncoded(r.header("location"));
        QCOMPARE(location.adjusted(QUrl::RemoveQuery).toString(), demo::oauth2RedirectUri);
        QCOMPARE(queryValue(location, "error"), error);
        QVERIFY(!queryValue(location, "error_description").isEmpty());
        QCOMPARE(queryValue(location, "state"), a.state);
        QVERIFY(queryValue(location, "code").isEmpty());
    }

    void shouldRedirectWithStateAndCodeOnApproval()
    {
        Authorize a;
        a.state = QStringLiteral("a+b/c=d&e f%g");
        const Response shown = page(a);
        QCOMPARE(shown.status, 200);
        const Response r = submit(shown.body, QStringLiteral("allow"));
        QCOMPARE(r.status, 302);
        const QUrl location = QUrl::fromEncoded(r.header("location"));
        QCOMPARE(location.adjusted(QUrl::RemoveQuery).toString(), demo::oauth2RedirectUri);
        // state first, then code, each percent-encoded so that it comes back as it was sent.
        QVERIFY(location.query(QUrl::FullyEncoded).startsWith(QLatin1String("state=")));
        const oauth2::Redirect redirect = oauth2::parseRedirect(location);
        QCOMPARE(redirect.state, a.state.toUtf8());
        QVERIFY(redirect.code.size() >= 20);
        QVERIFY(redirect.error.isEmpty());
        // Each approval gets its own code.
        QVERIFY(approve(a) != redirect.code);
    }

    void shouldRedirectWithAccessDeniedOnCancel()
    {
        Authorize a;
        const Response shown = page(a);
        const Response r = submit(shown.body, QStringLiteral("deny"), QString(), QString());
        QCOMPARE(r.status, 302);
        const QUrl location = QUrl::fromEncoded(r.header("location"));
        QCOMPARE(location.adjusted(QUrl::RemoveQuery).toString(), demo::oauth2RedirectUri);
        QCOMPARE(queryValue(location, "error"), QStringLiteral("access_denied"));
        QVERIFY(!queryValue(location, "error_description").isEmpty());
        QCOMPARE(queryValue(location, "state"), a.state);
        QVERIFY(queryValue(location, "code").isEmpty());
        // What the console makes of it.
        const Result<QByteArray> code =
            oauth2::codeFromRedirect(oauth2::parseRedirect(location), a.state.toUtf8());
        QVERIFY(!code.ok());
        QCOMPARE(code.error().name, QStringLiteral("access_denied"));
    }

    void shouldShowThePageAgainOnWrongPasswordEscapingWhatItEchoes()
    {
        Authorize a;
        a.state = QStringLiteral("\"><script>alert(1)</script>");
        const Response shown = page(a);
        QCOMPARE(shown.status, 200);
        QVERIFY(!shown.body.contains("<script>"));
        QVERIFY(shown.body.contains("&quot;&gt;&lt;script&gt;"));

        const QStringList chosen {QStringLiteral("dm.read"), QStringLiteral("users.read")};
        const Response r = submit(shown.body, QStringLiteral("allow"), QStringLiteral("<b>bob</b>"),
                                  QStringLiteral("wrong"), chosen);
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("location").isEmpty());
        QVERIFY(r.body.contains("id=\"error\""));
        QVERIFY(r.body.contains("&lt;b&gt;bob&lt;/b&gt;"));
        QVERIFY(!r.body.contains("<b>bob"));
        QVERIFY(!r.body.contains("<script>"));
        QCOMPARE(checkedScopes(r.body), chosen); // the person's choice is kept
        // The page shown again still works.
        const Response retried = submit(r.body, QStringLiteral("allow"));
        QCOMPARE(retried.status, 302);
        QCOMPARE(oauth2::parseRedirect(QUrl::fromEncoded(retried.header("location"))).state,
                 a.state.toUtf8());

        // Nothing left checked: the page again, asking for a choice.
        const Response none = submit(shown.body, QStringLiteral("allow"), demo::bob.username,
                                     demo::bob.password, QStringList());
        QCOMPARE(none.status, 200);
        QVERIFY(none.body.contains("id=\"error\""));
    }

    // ---- the token endpoint --------------------------------------------------------------------

    void shouldExchangeTheCodeForTheConfidentialClient()
    {
        auto api = apiClient();
        Authorize a;
        const QDateTime before = m_server->now();
        const QByteArray code = approve(a);
        QVERIFY(!code.isEmpty());
        const Result<oauth2::Token> token = exchange(*api, code, a);
        VERIFY_OK(token);
        QVERIFY(!token.value().accessToken.isEmpty());
        QVERIFY(token.value().refreshToken.isEmpty()); // no offline.access asked for
        QCOMPARE(token.value().scopes, accountActivity);
        QVERIFY(qAbs(before.secsTo(token.value().expiresAt) - 7200) <= 5);
        QCOMPARE(m_server->oauth2Scopes(token.value().accessToken), accountActivity);
        QCOMPARE(m_server->oauth2TokenRequests(QStringLiteral("authorization_code")), 1);

        const auto entries = m_server->journal().forPath(QStringLiteral("/2/oauth2/token"));
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.constFirst().credential, CredentialKind::OAuth2Client);
        QVERIFY(entries.constFirst().credentialVerified);
        QCOMPARE(entries.constFirst().status, 200);
    }

    void shouldExchangeTheCodeForThePublicClient()
    {
        auto api = apiClient(demo::oauth2PublicClientId, {});
        Authorize a;
        a.clientId = demo::oauth2PublicClientId;
        a.scopes = withOffline(accountActivity);
        const QByteArray code = approve(a);
        QVERIFY(!code.isEmpty());
        const Result<oauth2::Token> token = exchange(*api, code, a);
        VERIFY_OK(token);
        QCOMPARE(token.value().scopes, a.scopes);
        QVERIFY(!token.value().refreshToken.isEmpty());
    }

    void shouldAcceptThePlainMethod()
    {
        auto api = apiClient();
        Authorize a;
        a.method = "plain";
        const QByteArray code = approve(a);
        QVERIFY(!code.isEmpty());
        VERIFY_OK(exchange(*api, code, a));
    }

    void shouldIssueARefreshTokenOnlyWithOfflineAccess()
    {
        auto api = apiClient();
        Authorize a;
        a.scopes = withOffline(accountActivity);
        // Asked for, but the person unchecked it: granted scopes only, no refresh token.
        const oauth2::Token without = signIn(*api, a, accountActivity);
        QVERIFY(!without.isEmpty());
        QVERIFY(without.refreshToken.isEmpty());
        QCOMPARE(without.scopes, accountActivity);
        const oauth2::Token with = signIn(*api, a);
        QVERIFY(!with.isEmpty());
        QVERIFY(!with.refreshToken.isEmpty());
        QCOMPARE(with.scopes, a.scopes);
    }

    void shouldRefuseAWrongVerifier()
    {
        auto api = apiClient();
        Authorize a;
        const QByteArray code = approve(a);
        QVERIFY(!code.isEmpty());
        Authorize other = a;
        other.verifier = oauth2::newPkce().verifier;
        const Result<oauth2::Token> token = exchange(*api, code, other);
        QVERIFY(!token.ok());
        QCOMPARE(token.error().name, QStringLiteral("invalid_grant"));
        QCOMPARE(token.error().kind, ApiError::Kind::Authentication);
        QCOMPARE(token.error().httpStatus, 400);
        // The code was not burnt by the failed attempt.
        VERIFY_OK(exchange(*api, code, a));
    }

    void shouldRefuseAReusedCodeAndEndItsFirstGrant()
    {
        auto api = apiClient();
        Authorize a;
        const QByteArray code = approve(a);
        const Result<oauth2::Token> first = exchange(*api, code, a);
        VERIFY_OK(first);
        VERIFY_OK(check(*api, oauth2User(first.value())));

        const Result<oauth2::Token> second = exchange(*api, code, a);
        QVERIFY(!second.ok());
        QCOMPARE(second.error().name, QStringLiteral("invalid_request"));
        QCOMPARE(second.error().httpStatus, 400);
        QCOMPARE(second.error().serverMessage,
                 QStringLiteral("Value passed for the authorization code was invalid."));

        // X's body, seen by hand.
        const Response raw =
            tokenRequest({{QStringLiteral("code"), QString::fromLatin1(code)},
                          {QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                          {QStringLiteral("redirect_uri"), a.redirectUri},
                          {QStringLiteral("code_verifier"), QString::fromLatin1(a.verifier)}},
                         basic(demo::oauth2ClientId, demo::oauth2ClientSecret));
        QCOMPARE(raw.status, 400);
        QCOMPARE(raw.object().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_request"));
        QCOMPARE(raw.object()
                     .value(QStringLiteral("errors"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString(),
                 QStringLiteral("Value passed for the authorization code was invalid."));

        // The tokens of the first exchange ended with it (RFC 6749 §4.1.2).
        const Result<bool> after = check(*api, oauth2User(first.value()));
        QVERIFY(!after.ok());
        QCOMPARE(after.error().httpStatus, 401);
    }

    void shouldRefuseACodeOlderThanThirtySeconds()
    {
        auto api = apiClient();
        Authorize a;
        const QByteArray code = approve(a);
        QVERIFY(!code.isEmpty());
        m_server->advance(31s);
        const Result<oauth2::Token> token = exchange(*api, code, a);
        QVERIFY(!token.ok());
        QCOMPARE(token.error().name, QStringLiteral("invalid_grant"));
        QCOMPARE(token.error().httpStatus, 400);

        // 29 seconds is fine.
        const QByteArray fresh = approve(a);
        m_server->advance(29s);
        VERIFY_OK(exchange(*api, fresh, a));
    }

    void shouldRefuseAnotherRedirectUri()
    {
        auto api = apiClient();
        const QString loopback = QStringLiteral("http://127.0.0.1:%1/callback").arg(m_server->port() + 1);
        QVERIFY(m_server->addOAuth2RedirectUri(demo::oauth2ClientId, loopback));
        QVERIFY(!m_server->addOAuth2RedirectUri("no-such-client", loopback));
        Authorize a;
        const QByteArray code = approve(a);
        QVERIFY(!code.isEmpty());
        const Result<oauth2::Token> token = exchange(*api, code, a, loopback);
        QVERIFY(!token.ok());
        QCOMPARE(token.error().name, QStringLiteral("invalid_grant"));

        // The registered loopback URI itself works end to end.
        Authorize viaLoopback;
        viaLoopback.redirectUri = loopback;
        const QByteArray loopbackCode = approve(viaLoopback);
        QVERIFY(!loopbackCode.isEmpty());
        VERIFY_OK(exchange(*api, loopbackCode, viaLoopback));
    }

    void shouldRefuseAWrongClientSecret()
    {
        Authorize a;
        const QByteArray code = approve(a);
        QVERIFY(!code.isEmpty());
        auto wrong = apiClient(demo::oauth2ClientId, "not-the-secret");
        const Result<oauth2::Token> token = exchange(*wrong, code, a);
        QVERIFY(!token.ok());
        QCOMPARE(token.error().name, QStringLiteral("invalid_client"));
        QCOMPARE(token.error().kind, ApiError::Kind::Authentication);
        QCOMPARE(token.error().httpStatus, 401);
        // The confidential client without its secret (client_id in the body only).
        auto noSecret = apiClient(demo::oauth2ClientId, {});
        const Result<oauth2::Token> bodyOnly = exchange(*noSecret, code, a);
        QVERIFY(!bodyOnly.ok());
        QCOMPARE(bodyOnly.error().name, QStringLiteral("invalid_client"));
        // An unknown public client.
        auto unknown = apiClient("no-such-client", {});
        const Result<oauth2::Token> unknownClient = exchange(*unknown, code, a);
        QVERIFY(!unknownClient.ok());
        QCOMPARE(unknownClient.error().name, QStringLiteral("invalid_client"));
        // Basic names one client and the body another.
        const Response mixed =
            tokenRequest({{QStringLiteral("code"), QString::fromLatin1(code)},
                          {QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                          {QStringLiteral("redirect_uri"), a.redirectUri},
                          {QStringLiteral("code_verifier"), QString::fromLatin1(a.verifier)},
                          {QStringLiteral("client_id"), QString::fromLatin1(demo::oauth2PublicClientId)}},
                         basic(demo::oauth2ClientId, demo::oauth2ClientSecret));
        QCOMPARE(mixed.status, 401);
        QCOMPARE(mixed.object().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_client"));
        const auto entry = m_server->journal().last();
        QCOMPARE(entry.credential, CredentialKind::OAuth2Client);
        QVERIFY(!entry.credentialVerified);
        // None of that used the code up.
        auto right = apiClient();
        VERIFY_OK(exchange(*right, code, a));
    }

    void shouldRegisterALoopbackRedirectUriThroughTheControlEndpoint()
    {
        const QString loopback = QStringLiteral("http://127.0.0.1:%1/callback").arg(m_server->port() + 2);
        const QString path = QStringLiteral("/sandbox/oauth2/redirect-uris");
        const QJsonObject body {
            {QStringLiteral("client_id"), QString::fromLatin1(demo::oauth2PublicClientId)},
            {QStringLiteral("redirect_uri"), loopback}};
        const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
        // Without the run's token: refused.
        QCOMPARE(m_client->send("POST", m_client->url(path), {}, json, "application/json").status, 403);
        m_client->setHeader(sandboxTokenHeader, m_server->controlToken());
        const Response added = m_client->send("POST", m_client->url(path), {}, json, "application/json");
        QCOMPARE(added.status, 200);
        QVERIFY(added.object().value(QStringLiteral("redirect_uris")).toArray().contains(loopback));
        const QJsonObject notLoopback {
            {QStringLiteral("client_id"), QString::fromLatin1(demo::oauth2PublicClientId)},
            {QStringLiteral("redirect_uri"), QStringLiteral("http://example.com/cb")}};
        QCOMPARE(m_client
                     ->send("POST", m_client->url(path), {},
                            QJsonDocument(notLoopback).toJson(QJsonDocument::Compact), "application/json")
                     .status,
                 400);
        const QJsonObject unknown {{QStringLiteral("client_id"), QStringLiteral("no-such-client")},
                                   {QStringLiteral("redirect_uri"), loopback}};
        QCOMPARE(m_client
                     ->send("POST", m_client->url(path), {},
                            QJsonDocument(unknown).toJson(QJsonDocument::Compact), "application/json")
                     .status,
                 404);
        m_client->removeHeader(sandboxTokenHeader);

        Authorize a;
        a.clientId = demo::oauth2PublicClientId;
        a.redirectUri = loopback;
        const QByteArray code = approve(a);
        QVERIFY(!code.isEmpty());
        auto api = apiClient(demo::oauth2PublicClientId, {});
        VERIFY_OK(exchange(*api, code, a));
    }

    void shouldRefuseTheCodeOfAnotherClient()
    {
        Authorize a;
        a.clientId = demo::oauth2PublicClientId;
        const QByteArray code = approve(a);
        QVERIFY(!code.isEmpty());
        auto confidential = apiClient();
        const Result<oauth2::Token> token = exchange(*confidential, code, a);
        QVERIFY(!token.ok());
        QCOMPARE(token.error().name, QStringLiteral("invalid_grant"));
    }

    void shouldRefuseBadTokenRequests_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        const auto row = [](const char *name, const char *body, const char *error) {
            QTest::newRow(name) << QString::fromLatin1(body) << 400 << QString::fromLatin1(error);
        };
        row("unknown grant type", "grant_type=password&username=bob", "unsupported_grant_type");
        row("client credentials", "grant_type=client_credentials", "unsupported_grant_type");
        row("no grant type", "code=abc", "invalid_request");
        row("no code", "grant_type=authorization_code&redirect_uri=x&code_verifier=y", "invalid_request");
        row("no verifier", "grant_type=authorization_code&code=abc&redirect_uri=x", "invalid_request");
        row("no refresh token", "grant_type=refresh_token", "invalid_request");
        row("unknown refresh token", "grant_type=refresh_token&refresh_token=nope", "invalid_grant");
    }
    void shouldRefuseBadTokenRequests()
    {
        QFETCH(QString, body);
        QFETCH(int, status);
        QFETCH(QString, error);
        const Response r = m_client->send("POST", m_client->url(QStringLiteral("/2/oauth2/token")),
                                          basic(demo::oauth2ClientId, demo::oauth2ClientSecret),
                                          body.toUtf8(), "application/x-www-form-urlencoded");
        QCOMPARE(r.status, status);
        QCOMPARE(r.object().value(QStringLiteral("error")).toString(), error);
        QVERIFY(!r.object().value(QStringLiteral("error_description")).toString().isEmpty());
        QCOMPARE(r.header("cache-control"), QByteArray("no-store"));
    }

    void shouldRefuseATokenRequestThatIsNotAForm()
    {
        const Response r = m_client->send("POST", m_client->url(QStringLiteral("/2/oauth2/token")),
                                          basic(demo::oauth2ClientId, demo::oauth2ClientSecret),
                                          R"({"grant_type":"refresh_token"})", "application/json");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.object().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_request"));
    }

    void shouldRotateRefreshTokens()
    {
        auto api = apiClient();
        Authorize a;
        a.scopes = withOffline(accountActivity);
        const oauth2::Token first = signIn(*api, a);
        QVERIFY(!first.refreshToken.isEmpty());
        m_server->advance(3600s);
        const QDateTime now = m_server->now();
        const Result<oauth2::Token> second =
            run<oauth2::Token>([&](auto done) { api->refreshOAuth2Token(first.refreshToken, this, done); });
        VERIFY_OK(second);
        QVERIFY(!second.value().accessToken.isEmpty());
        QVERIFY(second.value().accessToken != first.accessToken);
        QVERIFY(!second.value().refreshToken.isEmpty());
        QVERIFY(second.value().refreshToken != first.refreshToken);
        QCOMPARE(second.value().scopes, a.scopes);
        QVERIFY(qAbs(now.secsTo(second.value().expiresAt) - 7200) <= 5);
        QCOMPARE(m_server->oauth2TokenRequests(QStringLiteral("refresh_token")), 1);

        // The old refresh token stopped working; the new one works (and rotates again).
        const Result<oauth2::Token> reused =
            run<oauth2::Token>([&](auto done) { api->refreshOAuth2Token(first.refreshToken, this, done); });
        QVERIFY(!reused.ok());
        QCOMPARE(reused.error().name, QStringLiteral("invalid_grant"));
        const Result<oauth2::Token> third = run<oauth2::Token>(
            [&](auto done) { api->refreshOAuth2Token(second.value().refreshToken, this, done); });
        VERIFY_OK(third);
        // Access tokens issued earlier keep working until they expire.
        VERIFY_OK(check(*api, oauth2User(first)));
        VERIFY_OK(check(*api, oauth2User(third.value())));
        // Another client cannot use the grant's refresh token.
        auto publicClient = apiClient(demo::oauth2PublicClientId, {});
        const Result<oauth2::Token> stolen = run<oauth2::Token>(
            [&](auto done) { publicClient->refreshOAuth2Token(third.value().refreshToken, this, done); });
        QVERIFY(!stolen.ok());
        QCOMPARE(stolen.error().name, QStringLiteral("invalid_grant"));
    }

    void shouldEndTheGrantOnRevoke_data()
    {
        QTest::addColumn<bool>("byRefreshToken");
        QTest::newRow("access token") << false;
        QTest::newRow("refresh token") << true;
    }
    void shouldEndTheGrantOnRevoke()
    {
        QFETCH(bool, byRefreshToken);
        auto api = apiClient();
        Authorize a;
        a.scopes = withOffline(accountActivity);
        const oauth2::Token token = signIn(*api, a);
        QVERIFY(!token.refreshToken.isEmpty());
        VERIFY_OK(check(*api, oauth2User(token)));

        const QByteArray revoked = byRefreshToken ? token.refreshToken : token.accessToken;
        VERIFY_OK(run<Done>([&](auto done) { api->revokeOAuth2Token(revoked, this, done); }));

        const Result<Done> subscribed = subscribe(*api, oauth2User(token));
        QVERIFY(!subscribed.ok());
        QCOMPARE(subscribed.error().httpStatus, 401);
        QCOMPARE(subscribed.error().kind, ApiError::Kind::Authentication);
        QVERIFY(!m_server->isSubscribed(demo::validWebhookId, demo::bob.id));
        const Result<oauth2::Token> refreshed =
            run<oauth2::Token>([&](auto done) { api->refreshOAuth2Token(token.refreshToken, this, done); });
        QVERIFY(!refreshed.ok());
        QCOMPARE(refreshed.error().name, QStringLiteral("invalid_grant"));
        QVERIFY(m_server->oauth2Scopes(token.accessToken).isEmpty());

        // An unknown token is "revoked" too (RFC 7009), and the body says so.
        const Response unknown = tokenRequest({{QStringLiteral("token"), QStringLiteral("never-issued")}},
                                              basic(demo::oauth2ClientId, demo::oauth2ClientSecret),
                                              QStringLiteral("/2/oauth2/revoke"));
        QCOMPARE(unknown.status, 200);
        QCOMPARE(unknown.object().value(QStringLiteral("revoked")).toBool(), true);
        // Revoking needs the client's authentication like the token endpoint.
        const Response unauthenticated =
            tokenRequest({{QStringLiteral("token"), QStringLiteral("never-issued")}},
                         basic(demo::oauth2ClientId, "wrong"), QStringLiteral("/2/oauth2/revoke"));
        QCOMPARE(unauthenticated.status, 401);
        QCOMPARE(unauthenticated.object().value(QStringLiteral("error")).toString(),
                 QStringLiteral("invalid_client"));
    }

    void shouldNotRevokeAnotherClientsToken()
    {
        auto api = apiClient();
        const oauth2::Token token = signIn(*api, Authorize());
        QVERIFY(!token.isEmpty());
        auto other = apiClient(demo::oauth2PublicClientId, {});
        VERIFY_OK(run<Done>([&](auto done) { other->revokeOAuth2Token(token.accessToken, this, done); }));
        VERIFY_OK(check(*api, oauth2User(token)));
    }

    void shouldEndEveryGrantOfAUserWhoRemovesTheApp()
    {
        auto api = apiClient();
        const oauth2::Token first = signIn(*api, Authorize());
        const oauth2::Token second = signIn(*api, Authorize());
        QVERIFY(!first.isEmpty() && !second.isEmpty());
        QCOMPARE(m_server->revokeOAuth2Grants(demo::bob.id), 2);
        QCOMPARE(check(*api, oauth2User(first)).error().httpStatus, 401);
        QCOMPARE(check(*api, oauth2User(second)).error().httpStatus, 401);
        QCOMPARE(m_server->revokeOAuth2Grants(demo::bob.id), 0);
    }

    void shouldExpireAccessTokensAfterTwoHours()
    {
        auto api = apiClient();
        const oauth2::Token token = signIn(*api, Authorize());
        QVERIFY(!token.isEmpty());
        m_server->advance(7200s - 60s);
        VERIFY_OK(check(*api, oauth2User(token)));
        m_server->advance(61s);
        const Result<bool> expired = check(*api, oauth2User(token));
        QVERIFY(!expired.ok());
        QCOMPARE(expired.error().httpStatus, 401);
        QCOMPARE(expired.error().kind, ApiError::Kind::Authentication);
        // In v2's shape.
        const Response raw = m_client->bearer(
            "GET",
            QStringLiteral("/2/account_activity/webhooks/%1/subscriptions/all").arg(demo::validWebhookId), {},
            {}, token.accessToken);
        QCOMPARE(raw.status, 401);
        QCOMPARE(raw.object(),
                 (QJsonObject {{QStringLiteral("title"), QStringLiteral("Unauthorized")},
                               {QStringLiteral("type"), QStringLiteral("about:blank")},
                               {QStringLiteral("status"), 401},
                               {QStringLiteral("detail"), QStringLiteral("Unauthorized")}}));
    }

    // ---- the user token at work ----------------------------------------------------------------

    void shouldSubscribeAndCheckWithTheAccountActivityScopes()
    {
        auto api = apiClient();
        const oauth2::Token token = signIn(*api, Authorize());
        QVERIFY(!token.isEmpty());
        const UserCredentials bob = oauth2User(token);
        QCOMPARE(ApiClient::userCredentialFor(*api->endpoint(Operation::Subscribe), bob).value(),
                 CredentialKind::OAuth2User);

        const Result<bool> before = check(*api, bob);
        VERIFY_OK(before);
        QCOMPARE(before.value(), false);
        m_server->clearJournal();
        VERIFY_OK(subscribe(*api, bob));
        QVERIFY(m_server->isSubscribed(demo::validWebhookId, demo::bob.id));
        const Result<bool> after = check(*api, bob);
        VERIFY_OK(after);
        QCOMPARE(after.value(), true);

        const QString path =
            QStringLiteral("/2/account_activity/webhooks/%1/subscriptions/all").arg(demo::validWebhookId);
        const auto entries = m_server->journal().forPath(path);
        QCOMPARE(entries.size(), 2);
        for (const JournalEntry &entry : entries) {
            QCOMPARE(entry.credential, CredentialKind::OAuth2User);
            QVERIFY(entry.credentialVerified);
            QCOMPARE(entry.status, 200);
        }
        QCOMPARE(entries.at(0).method, QByteArray("POST"));
        QCOMPARE(entries.at(0).endpointKey,
                 endpoints::find(Operation::Subscribe, ApiGeneration::V2)->rateLimitKey);

        // The answer itself, by hand: {"data":{"subscribed":true}}.
        const Response raw = m_client->bearer("GET", path, {}, {}, token.accessToken);
        QCOMPARE(raw.status, 200);
        QCOMPARE(
            raw.object(),
            (QJsonObject {{QStringLiteral("data"), QJsonObject {{QStringLiteral("subscribed"), true}}}}));
        QVERIFY(!raw.header("x-rate-limit-remaining").isEmpty());
    }

    void shouldRefuseATokenWithoutDmWrite()
    {
        auto api = apiClient();
        // The person unchecked dm.write on the page; the console believes it has all four.
        QStringList granted = accountActivity;
        granted.removeOne(QStringLiteral("dm.write"));
        const oauth2::Token token = signIn(*api, Authorize(), granted);
        QVERIFY(!token.isEmpty());
        QCOMPARE(token.scopes, granted);
        const UserCredentials claimed = oauth2User(token, demo::bob, accountActivity);

        const Result<Done> subscribed = subscribe(*api, claimed);
        QVERIFY(!subscribed.ok());
        QCOMPARE(subscribed.error().httpStatus, 403);
        QCOMPARE(subscribed.error().kind, ApiError::Kind::Permission);
        QVERIFY2(subscribed.error().text().contains(QLatin1String("dm.write")),
                 qPrintable(subscribed.error().text()));
        QVERIFY(!m_server->isSubscribed(demo::validWebhookId, demo::bob.id));
        const Result<bool> checked = check(*api, claimed);
        QCOMPARE(checked.error().httpStatus, 403);

        const Response raw = m_client->bearer(
            "GET",
            QStringLiteral("/2/account_activity/webhooks/%1/subscriptions/all").arg(demo::validWebhookId), {},
            {}, token.accessToken);
        QCOMPARE(raw.status, 403);
        QCOMPARE(raw.object().value(QStringLiteral("missing_scopes")).toArray(),
                 QJsonArray {QStringLiteral("dm.write")});
        QVERIFY(raw.object().value(QStringLiteral("detail")).toString().contains(QLatin1String("dm.write")));
        QCOMPARE(m_server->journal().last().credential, CredentialKind::OAuth2User);
        QVERIFY(m_server->journal().last().credentialVerified);
    }

    void shouldRefuseUserTokensWhereXDoes()
    {
        const IssuedOAuth2Token token =
            m_server->issueOAuth2Token(demo::bob.id, withOffline(accountActivity));
        QVERIFY(!token.accessToken.isEmpty());
        QCOMPARE(m_server->oauth2Scopes(token.accessToken), withOffline(accountActivity));

        // App-only v2 endpoints: 403 Unsupported Authentication.
        for (const QString &path :
             {QStringLiteral("/2/webhooks"), QStringLiteral("/2/account_activity/subscriptions/count")}) {
            const Response r = m_client->bearer("GET", path, {}, {}, token.accessToken);
            QCOMPARE(r.status, 403);
            QCOMPARE(r.v2Title(), QStringLiteral("Unsupported Authentication"));
            QVERIFY(r.object()
                        .value(QStringLiteral("detail"))
                        .toString()
                        .contains(QLatin1String("OAuth 2.0 User Context")));
        }
        // v1.1 never takes them: 403 with code 220.
        const Response v1List = m_client->bearer("GET", QStringLiteral("/1.1/account_activity/webhooks.json"),
                                                 {}, {}, token.accessToken);
        QCOMPARE(v1List.status, 403);
        QCOMPARE(v1List.v1Code(), 220);
        const Response v1Subscribe =
            m_client->bearer("POST",
                             QStringLiteral("/1.1/account_activity/webhooks/%1/subscriptions/all.json")
                                 .arg(demo::validWebhookId),
                             {}, {}, token.accessToken);
        QCOMPARE(v1Subscribe.status, 403);
        QCOMPARE(v1Subscribe.v1Code(), 220);
        QVERIFY(!m_server->isSubscribed(demo::validWebhookId, demo::bob.id));
        // And the app's bearer on subscribe names the OAuth 2.0 user context among the choices.
        const Response appOnly = m_client->bearer(
            "GET",
            QStringLiteral("/2/account_activity/webhooks/%1/subscriptions/all").arg(demo::validWebhookId));
        QCOMPARE(appOnly.status, 403);
        QVERIFY(appOnly.object()
                    .value(QStringLiteral("detail"))
                    .toString()
                    .contains(QLatin1String("[OAuth 1.0a User Context, OAuth 2.0 User Context]")));
        // A token the sandbox never issued: 401.
        const Response unknown =
            m_client->bearer("GET", QStringLiteral("/2/users/me"), {}, {}, QByteArrayLiteral("not-a-token"));
        QCOMPARE(unknown.status, 401);
    }

    void shouldTellWhoseTokenItIs()
    {
        auto api = apiClient();
        const oauth2::Token token = signIn(*api, Authorize());
        QVERIFY(!token.isEmpty());
        const Result<UserInfo> me =
            run<UserInfo>([&](auto done) { api->currentUser(oauth2User(token), this, done); });
        VERIFY_OK(me);
        QCOMPARE(me.value().id, demo::bob.id);
        QCOMPARE(me.value().username, demo::bob.username);
        QCOMPARE(me.value().name, demo::bob.name);
        const JournalEntry entry = m_server->journal().last();
        QCOMPARE(entry.path, QStringLiteral("/2/users/me"));
        QCOMPARE(entry.credential, CredentialKind::OAuth2User);
        QCOMPARE(entry.endpointKey, QStringLiteral("v2/users.me"));

        const Response raw =
            m_client->bearer("GET", QStringLiteral("/2/users/me"), {}, {}, token.accessToken);
        QCOMPARE(raw.status, 200);
        QCOMPARE(raw.data(),
                 (QJsonObject {{QStringLiteral("id"), demo::bob.id},
                               {QStringLiteral("name"), demo::bob.name},
                               {QStringLiteral("username"), demo::bob.username}}));
        QCOMPARE(raw.header("x-rate-limit-limit"), QByteArray("75"));

        // An OAuth 1.0a user token works too.
        const Response oauth1 =
            m_client->signedCall("GET", QStringLiteral("/2/users/me"), userCredentials(demo::carol));
        QCOMPARE(oauth1.status, 200);
        QCOMPARE(oauth1.data().value(QStringLiteral("username")).toString(), demo::carol.username);
        // The app's bearer is not a user.
        const Response app = m_client->bearer("GET", QStringLiteral("/2/users/me"));
        QCOMPARE(app.status, 403);
        QCOMPARE(app.v2Title(), QStringLiteral("Unsupported Authentication"));
        // users/me needs tweet.read and users.read.
        const IssuedOAuth2Token dmOnly =
            m_server->issueOAuth2Token(demo::bob.id, {QStringLiteral("dm.read"), QStringLiteral("dm.write")});
        const Response lacking =
            m_client->bearer("GET", QStringLiteral("/2/users/me"), {}, {}, dmOnly.accessToken);
        QCOMPARE(lacking.status, 403);
        QCOMPARE(lacking.object().value(QStringLiteral("missing_scopes")).toArray(),
                 (QJsonArray {QStringLiteral("tweet.read"), QStringLiteral("users.read")}));
    }

    // ---- what is kept ----------------------------------------------------------------------------

    void shouldNeverJournalASecret()
    {
        auto api = apiClient();
        Authorize a;
        a.scopes = withOffline(accountActivity);
        const QByteArray code = approve(a);
        QVERIFY(!code.isEmpty());
        const Result<oauth2::Token> token = exchange(*api, code, a);
        VERIFY_OK(token);
        const Result<oauth2::Token> refreshed = run<oauth2::Token>(
            [&](auto done) { api->refreshOAuth2Token(token.value().refreshToken, this, done); });
        VERIFY_OK(refreshed);
        VERIFY_OK(check(*api, oauth2User(refreshed.value())));
        VERIFY_OK(
            run<Done>([&](auto done) { api->revokeOAuth2Token(refreshed.value().accessToken, this, done); }));
        // A client that puts the code and verifier in the query string.
        const Response queried = m_client->send(
            "POST",
            m_client->url(
                QStringLiteral("/2/oauth2/token?grant_type=authorization_code&code=%1&code_verifier=%2")
                    .arg(QString::fromLatin1(code), QString::fromLatin1(a.verifier))),
            basic(demo::oauth2ClientId, demo::oauth2ClientSecret), "client_id=x",
            "application/x-www-form-urlencoded");
        QCOMPARE(queried.status, 401);

        const QList<QByteArray> secrets {code,
                                         a.verifier,
                                         token.value().accessToken,
                                         token.value().refreshToken,
                                         refreshed.value().accessToken,
                                         refreshed.value().refreshToken,
                                         demo::oauth2ClientSecret,
                                         demo::bob.password.toUtf8()};
        QVERIFY(m_server->journal().size() >= 7);
        for (const JournalEntry &entry : m_server->journal().entries()) {
            const QByteArray text =
                entry.path.toUtf8() + ' ' + entry.query.toUtf8() + ' ' + entry.errorName.toUtf8();
            for (const QByteArray &secret : secrets) {
                QVERIFY2(!text.contains(secret), text.constData());
                QVERIFY2(!text.contains(QUrl::toPercentEncoding(QString::fromLatin1(secret))),
                         text.constData());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestSandboxOAuth2)
#include "tst_sandbox_oauth2.moc"
