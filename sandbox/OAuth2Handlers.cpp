// The OAuth 2.0 token and revoke endpoints (x-api-2026.md §5.2, RFC 6749, RFC 7636, RFC 7009).
//
// Client authentication: a confidential client sends Basic base64(urlenc(id):urlenc(secret)) (a
// body client_id, when also sent, must name the same client); a public client sends its client_id
// in the body. Anything else: 401 {"error":"invalid_client"}.
//
// Refusals are RFC 6749 §5.2 errors with HTTP 400 {"error","error_description"}; a code that is
// unknown or used already gets the body X was seen sending for a reused code (invalid_request with
// "errors" next to it), and a reused code also ends the grant first issued for it (RFC 6749
// §4.1.2). Success is the shape captured from X:
// {"token_type":"bearer","expires_in":7200,"access_token":..,"scope":..[,"refresh_token":..]}.

#include "OAuth2Handlers.h"

#include "Crc.h"
#include "OAuth2.h"

namespace activity::sandbox {

OAuth2Handlers::OAuth2Handlers(const SandboxParts &parts)
    : HandlerGroup(parts)
{
}

void OAuth2Handlers::registerRoutes()
{
    // Both authenticate the client themselves; X documents no rate limit for them.
    const auto any = ApiGeneration::V2;
    m_router.addApi(Operation::OAuth2Token, any, AuthNeed::None, handler(&OAuth2Handlers::token));
    m_router.addApi(Operation::OAuth2Revoke, any, AuthNeed::None, handler(&OAuth2Handlers::revoke));
    // What SandboxServer::addOAuth2RedirectUri does in-process, for a standalone sandbox: the
    // run's X-Sandbox-Token, like the other control endpoints.
    m_router
        .addLocal("POST", QStringLiteral("/sandbox/oauth2/redirect-uris"), RouteFamily::Sandbox,
                  AuthNeed::None, handler(&OAuth2Handlers::addRedirectUri))
        .flags = ControlToken | JsonBody;
}

namespace {

// Token answers are never cached (RFC 6749 §5.1).
void addNoStore(Reply &reply)
{
    reply.headers.append({QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")});
    reply.headers.append({QByteArrayLiteral("Pragma"), QByteArrayLiteral("no-cache")});
}

Reply oauth2Error(int status, const QString &error, const QString &description)
{
    Reply reply = jsonReply(
        status,
        QJsonObject {{QStringLiteral("error"), error}, {QStringLiteral("error_description"), description}});
    reply.errorName = error;
    addNoStore(reply);
    return reply;
}

Reply missingParameter(const char *name)
{
    return oauth2Error(400, QStringLiteral("invalid_request"),
                       QStringLiteral("Missing required parameter [%1].").arg(QLatin1String(name)));
}

// What X answered for a code that was used already (node-twitter-api-v2 issue #496); the code in
// "errors" was not shown there and is the sandbox's choice.
Reply invalidCode()
{
    const QString message = QStringLiteral("Value passed for the authorization code was invalid.");
    Reply reply = jsonReply(400,
                            QJsonObject {{QStringLiteral("error"), QStringLiteral("invalid_request")},
                                         {QStringLiteral("error_description"), message},
                                         {QStringLiteral("errors"),
                                          QJsonArray {QJsonObject {{QStringLiteral("message"), message},
                                                                   {QStringLiteral("code"), 32}}}}});
    reply.errorName = QStringLiteral("invalid_request");
    addNoStore(reply);
    return reply;
}

Reply tokenReply(const OAuth2Issued &issued)
{
    QJsonObject body {{QStringLiteral("token_type"), QStringLiteral("bearer")},
                      {QStringLiteral("expires_in"), issued.expiresIn},
                      {QStringLiteral("access_token"), QString::fromLatin1(issued.accessToken)},
                      {QStringLiteral("scope"), oauth2::joinScopes(issued.scopes)}};
    if (!issued.refreshToken.isEmpty())
        body.insert(QStringLiteral("refresh_token"), QString::fromLatin1(issued.refreshToken));
    Reply reply = jsonReply(200, body);
    addNoStore(reply);
    return reply;
}

QByteArray formValue(const oauth1::ParamList &form, const char *key)
{
    const QByteArray *value = findParam(form, key);
    return value ? *value : QByteArray();
}

} // namespace

bool OAuth2Handlers::requireForm(const ExchangePtr &ex)
{
    if (ex->header(QByteArrayLiteral("content-type"))
            .toLower()
            .startsWith("application/x-www-form-urlencoded"))
        return true;
    answer(ex,
           oauth2Error(400, QStringLiteral("invalid_request"),
                       QStringLiteral("The body must be application/x-www-form-urlencoded.")));
    return false;
}

const OAuth2Client *OAuth2Handlers::authenticateClient(const ExchangePtr &ex, const oauth1::ParamList &form)
{
    ex->credential = CredentialKind::OAuth2Client;
    const auto refuse = [this, ex](const QString &description) -> const OAuth2Client * {
        answer(ex, oauth2Error(401, QStringLiteral("invalid_client"), description));
        return nullptr;
    };
    const QByteArray *bodyId = findParam(form, "client_id");
    const QByteArray authorization = ex->header(QByteArrayLiteral("authorization")).trimmed();
    const OAuth2Client *client = nullptr;
    if (!authorization.isEmpty()) {
        if (!authorization.startsWith("Basic "))
            return refuse(QStringLiteral("Missing valid authorization header."));
        const auto decoded = QByteArray::fromBase64Encoding(authorization.mid(6).trimmed(),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        const qsizetype colon = decoded ? decoded.decoded.indexOf(':') : -1;
        if (colon < 0)
            return refuse(QStringLiteral("Missing valid authorization header."));
        // RFC 6749 §2.3.1: both parts are form-encoded before base64.
        const QByteArray id = oauth1::percentDecode(decoded.decoded.left(colon), true);
        const QByteArray secret = oauth1::percentDecode(decoded.decoded.mid(colon + 1), true);
        client = m_world.oauth2.client(id);
        if (!client)
            return refuse(QStringLiteral("Unknown client_id."));
        const bool secretHolds =
            client->isPublic() ? secret.isEmpty() : crc::constantTimeEquals(client->secret, secret);
        if (!secretHolds)
            return refuse(QStringLiteral("The client secret is not correct."));
        if (bodyId && *bodyId != id)
            return refuse(QStringLiteral("The client_id in the body names another client than the "
                                         "Authorization header."));
    } else {
        if (!bodyId || bodyId->isEmpty())
            return refuse(QStringLiteral("Missing valid authorization header."));
        client = m_world.oauth2.client(*bodyId);
        if (!client)
            return refuse(QStringLiteral("Unknown client_id."));
        // A confidential client must prove itself with its secret.
        if (!client->isPublic())
            return refuse(QStringLiteral("Missing valid authorization header."));
    }
    ex->verified = true;
    ex->appId = client->appId;
    return client;
}

void OAuth2Handlers::token(const ExchangePtr &ex)
{
    if (!requireForm(ex))
        return;
    const oauth1::ParamList form = ex->formParams();
    const QByteArray grantType = formValue(form, "grant_type");
    if (!grantType.isEmpty())
        ++m_world.oauth2.tokenRequests[QString::fromUtf8(grantType)];
    const OAuth2Client *client = authenticateClient(ex, form);
    if (!client)
        return;
    if (grantType.isEmpty()) {
        answer(ex, missingParameter("grant_type"));
        return;
    }
    if (grantType == "authorization_code") {
        exchangeCode(ex, *client, form);
        return;
    }
    if (grantType == "refresh_token") {
        refresh(ex, *client, form);
        return;
    }
    answer(ex,
           oauth2Error(400, QStringLiteral("unsupported_grant_type"),
                       QStringLiteral("The grant_type must be authorization_code or refresh_token.")));
}

void OAuth2Handlers::exchangeCode(const ExchangePtr &ex, const OAuth2Client &client,
                                  const oauth1::ParamList &form)
{
    const QByteArray codeValue = formValue(form, "code");
    const QString redirectUri = QString::fromUtf8(formValue(form, "redirect_uri"));
    const QByteArray verifier = formValue(form, "code_verifier");
    if (codeValue.isEmpty()) {
        answer(ex, missingParameter("code"));
        return;
    }
    if (redirectUri.isEmpty()) {
        answer(ex, missingParameter("redirect_uri"));
        return;
    }
    if (verifier.isEmpty()) {
        answer(ex, missingParameter("code_verifier"));
        return;
    }
    OAuth2Store &store = m_world.oauth2;
    const QDateTime now = m_world.now();
    const auto it = store.codes.find(codeValue);
    if (it == store.codes.end()) {
        answer(ex, invalidCode());
        return;
    }
    const auto invalidGrant = [this, ex](const QString &description) {
        answer(ex, oauth2Error(400, QStringLiteral("invalid_grant"), description));
    };
    if (it->clientId != client.id) {
        invalidGrant(QStringLiteral("The authorization code was issued to another client."));
        return;
    }
    if (it->used()) {
        // A second exchange may be an attacker's: the tokens of the first one end too.
        store.revoke(it->grantId);
        answer(ex, invalidCode());
        return;
    }
    if (it->expiredAt(now)) {
        invalidGrant(QStringLiteral("The authorization code expired (codes are valid for %1 seconds).")
                         .arg(OAuth2Code::lifetimeSeconds));
        return;
    }
    if (it->redirectUri != redirectUri) {
        invalidGrant(QStringLiteral("The redirect_uri does not match the one of the authorization request."));
        return;
    }
    if (!oauth2::isValidVerifier(verifier)) {
        answer(ex,
               oauth2Error(400, QStringLiteral("invalid_request"),
                           QStringLiteral("The code_verifier must be 43 to 128 characters of "
                                          "[A-Za-z0-9-._~].")));
        return;
    }
    const QByteArray expected = it->challengeMethod == "S256" ? oauth2::s256Challenge(verifier) : verifier;
    if (!crc::constantTimeEquals(expected, it->challenge)) {
        invalidGrant(QStringLiteral("Value passed for the code verifier did not match the code challenge."));
        return;
    }
    const OAuth2Code code = *it;
    QString grantId;
    const OAuth2Issued issued =
        store.newGrant(client.id, client.appId, code.userId, code.scopes, now, &grantId);
    store.codes[codeValue].grantId = grantId; // used: single use
    ex->userId = code.userId;
    answer(ex, tokenReply(issued));
}

void OAuth2Handlers::refresh(const ExchangePtr &ex, const OAuth2Client &client, const oauth1::ParamList &form)
{
    const QByteArray refreshToken = formValue(form, "refresh_token");
    if (refreshToken.isEmpty()) {
        answer(ex, missingParameter("refresh_token"));
        return;
    }
    OAuth2Store &store = m_world.oauth2;
    const QString grantId = store.refreshTokens.value(refreshToken);
    const auto grant = store.grants.constFind(grantId);
    if (grantId.isEmpty() || grant == store.grants.cend()) {
        answer(ex,
               oauth2Error(400, QStringLiteral("invalid_grant"),
                           QStringLiteral("Value passed for the token was invalid.")));
        return;
    }
    if (grant->clientId != client.id) {
        answer(ex,
               oauth2Error(400, QStringLiteral("invalid_grant"),
                           QStringLiteral("The refresh token was issued to another client.")));
        return;
    }
    ex->userId = grant->userId;
    answer(ex, tokenReply(store.renew(grantId, m_world.now())));
}

void OAuth2Handlers::revoke(const ExchangePtr &ex)
{
    if (!requireForm(ex))
        return;
    const oauth1::ParamList form = ex->formParams();
    const OAuth2Client *client = authenticateClient(ex, form);
    if (!client)
        return;
    const QByteArray token = formValue(form, "token");
    if (token.isEmpty()) {
        answer(ex, missingParameter("token"));
        return;
    }
    // An unknown token, or another client's, is "revoked" too (RFC 7009 §2.2): nothing is said
    // about tokens the caller does not own.
    OAuth2Store &store = m_world.oauth2;
    const QString grantId = store.grantIdOf(token);
    const auto grant = store.grants.constFind(grantId);
    if (!grantId.isEmpty() && grant != store.grants.cend() && grant->clientId == client->id) {
        ex->userId = grant->userId;
        store.revoke(grantId);
    }
    Reply reply = jsonReply(200, QJsonObject {{QStringLiteral("revoked"), true}});
    addNoStore(reply);
    answer(ex, reply);
}

void OAuth2Handlers::addRedirectUri(const ExchangePtr &ex)
{
    const QJsonObject request = QJsonDocument::fromJson(ex->body).object();
    const QByteArray clientId = request.value(QStringLiteral("client_id")).toString().toUtf8();
    const QString redirectUri = request.value(QStringLiteral("redirect_uri")).toString();
    const auto refuse = [this, ex](int status, const QString &text) {
        answer(ex, jsonReply(status, QJsonObject {{QStringLiteral("error"), text}}));
    };
    if (const auto problem = oauth2::redirectUriProblem(QUrl(redirectUri, QUrl::StrictMode))) {
        refuse(400, QStringLiteral("Send {\"client_id\":\"..\",\"redirect_uri\":\"..\"}: %1").arg(*problem));
        return;
    }
    if (!m_world.oauth2.addRedirectUri(clientId, redirectUri)) {
        refuse(
            404,
            QStringLiteral("No OAuth 2.0 client has the client_id \"%1\".").arg(QString::fromUtf8(clientId)));
        return;
    }
    answer(
        ex,
        jsonReply(200,
                  QJsonObject {{QStringLiteral("client_id"), QString::fromUtf8(clientId)},
                               {QStringLiteral("redirect_uris"),
                                QJsonArray::fromStringList(m_world.oauth2.client(clientId)->redirectUris)}}));
}

} // namespace activity::sandbox
