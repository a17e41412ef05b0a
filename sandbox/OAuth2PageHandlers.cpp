// The OAuth 2.0 authorize page (x-api-2026.md §5.1): GET checks the authorization request and shows
// the sign-in form with the requested scopes as checkboxes; POST signs the person in and sends the
// browser back to the redirect URI with a code (or with error=access_denied on Cancel).
//
// A request naming an unknown client or an unregistered redirect URI gets an error page: nothing
// is ever sent to a URI that was not registered. Other problems with a request (response_type,
// PKCE, state, scope) are sent back to the registered redirect URI as RFC 6749 §4.1.2.1 errors.

#include "OAuth2PageHandlers.h"

#include "OAuth2.h"
#include "Pages.h"

#include <QUrlQuery>

namespace activity::sandbox {

OAuth2PageHandlers::OAuth2PageHandlers(const SandboxParts &parts)
    : HandlerGroup(parts)
{
}

void OAuth2PageHandlers::registerRoutes()
{
    // Not API calls: pages a person's browser shows, so neither catalogued nor rate-limited. X's
    // documentation and xurl use x.com/i/oauth2/authorize; the spec's securityScheme names
    // api.x.com/2/oauth2/authorize: both are served.
    const QString pages = QStringLiteral("/(?:i|2)/oauth2/authorize");
    m_router.addLocal("GET", pages, RouteFamily::OAuth, AuthNeed::None,
                      handler(&OAuth2PageHandlers::authorizePage));
    m_router.addLocal("POST", pages, RouteFamily::OAuth, AuthNeed::None,
                      handler(&OAuth2PageHandlers::authorizeSubmit));
}

namespace {

constexpr qsizetype maxStateLength = 500; // X: "at most 500 characters"

// The parameters of an authorization request, from the query (GET) or the form's hidden fields.
struct AuthorizeRequest
{
    QByteArray clientId;
    QString redirectUri;
    QString responseType;
    QString state;
    QByteArray challenge;
    QByteArray challengeMethod;
    QString scopeText; // as asked: space-separated
    QStringList scopes; // parsed: sorted, without duplicates
};

QStringList parseRequestedScopes(QString text)
{
    // X documents %20 between scopes; a '+' (form-style encoding) is read as a space too.
    text.replace(QLatin1Char('+'), QLatin1Char(' '));
    return oauth2::parseScopes(text);
}

AuthorizeRequest fromQuery(const Exchange &ex)
{
    const QUrlQuery query(ex.url);
    const auto value = [&query](const char *key) {
        return query.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
    };
    AuthorizeRequest request;
    request.clientId = value("client_id").toUtf8();
    request.redirectUri = value("redirect_uri");
    request.responseType = value("response_type");
    request.state = value("state");
    request.challenge = value("code_challenge").toUtf8();
    request.challengeMethod = value("code_challenge_method").toUtf8();
    request.scopeText = value("scope");
    request.scopes = parseRequestedScopes(request.scopeText);
    return request;
}

QString formValue(const oauth1::ParamList &form, const char *key)
{
    const QByteArray *value = findParam(form, key);
    return value ? QString::fromUtf8(*value) : QString();
}

// The page's hidden fields carry the request; "requested_scope" holds what the app asked for.
AuthorizeRequest fromForm(const oauth1::ParamList &form)
{
    AuthorizeRequest request;
    request.clientId = formValue(form, "client_id").toUtf8();
    request.redirectUri = formValue(form, "redirect_uri");
    request.responseType = formValue(form, "response_type");
    request.state = formValue(form, "state");
    request.challenge = formValue(form, "code_challenge").toUtf8();
    request.challengeMethod = formValue(form, "code_challenge_method").toUtf8();
    request.scopeText = formValue(form, "requested_scope");
    request.scopes = parseRequestedScopes(request.scopeText);
    return request;
}

// Why a request is refused: an error page (client or redirect URI problems), or an error sent back
// to the redirect URI.
struct Refusal
{
    QString pageText; // not empty: show an error page with this sentence
    QString error; // else: redirect with this RFC 6749 error
    QString description;
};

std::optional<Refusal> check(const AuthorizeRequest &request, const OAuth2Store &store)
{
    if (request.clientId.isEmpty())
        return Refusal {QStringLiteral("The request names no client_id."), {}, {}};
    const OAuth2Client *client = store.client(request.clientId);
    if (!client) {
        return Refusal {QStringLiteral("The client_id “%1” is not the OAuth 2.0 Client ID of any app.")
                            .arg(QString::fromUtf8(request.clientId)),
                        {},
                        {}};
    }
    if (request.redirectUri.isEmpty())
        return Refusal {QStringLiteral("The request names no redirect_uri."), {}, {}};
    // Exactly as registered, trailing slash and all (developer-apps.mdx).
    if (!client->redirectUris.contains(request.redirectUri)) {
        return Refusal {QStringLiteral("The redirect_uri “%1” is not registered for this app; it must match "
                                       "a callback URL of the app's User authentication settings exactly.")
                            .arg(request.redirectUri),
                        {},
                        {}};
    }
    const auto invalid = [](const QString &description) {
        return Refusal {{}, QStringLiteral("invalid_request"), description};
    };
    if (request.responseType.isEmpty())
        return invalid(QStringLiteral("Missing required parameter [response_type]."));
    if (request.responseType != QLatin1String("code")) {
        return Refusal {{},
                        QStringLiteral("unsupported_response_type"),
                        QStringLiteral("Only response_type=code is supported.")};
    }
    if (request.challenge.isEmpty())
        return invalid(QStringLiteral("Missing required parameter [code_challenge]."));
    if (request.challengeMethod != "S256" && request.challengeMethod != "plain")
        return invalid(QStringLiteral("The code_challenge_method must be S256 or plain."));
    // Both methods give 43 to 128 characters of the verifier alphabet (RFC 7636 §4.2).
    if (!oauth2::isValidVerifier(request.challenge))
        return invalid(QStringLiteral("The code_challenge is not a valid PKCE challenge."));
    if (request.state.isEmpty())
        return invalid(QStringLiteral("Missing required parameter [state]."));
    if (request.state.size() > maxStateLength)
        return invalid(QStringLiteral("The state is longer than %1 characters.").arg(maxStateLength));
    if (request.scopes.isEmpty())
        return invalid(QStringLiteral("Missing required parameter [scope]."));
    QStringList unknown;
    for (const QString &scope : request.scopes) {
        if (!oauth2::knownScopes().contains(scope))
            unknown.append(scope);
    }
    if (!unknown.isEmpty()) {
        return Refusal {{},
                        QStringLiteral("invalid_scope"),
                        QStringLiteral("Unknown scope: %1.").arg(unknown.join(QLatin1Char(' ')))};
    }
    return std::nullopt;
}

Reply refusalReply(const Refusal &refusal, const AuthorizeRequest &request)
{
    if (!refusal.pageText.isEmpty()) {
        Reply reply = htmlReply(400,
                                messagePage(QStringLiteral("Something went wrong"),
                                            QStringLiteral("<p class=\"error\" id=\"error\">%1</p>"
                                                           "<p>You weren't able to give access to the "
                                                           "app. Go back and try signing in again.</p>")
                                                .arg(refusal.pageText.toHtmlEscaped())));
        reply.errorName = QStringLiteral("invalid_request");
        return reply;
    }
    QList<std::pair<QString, QString>> items {{QStringLiteral("error"), refusal.error},
                                              {QStringLiteral("error_description"), refusal.description}};
    if (!request.state.isEmpty())
        items.append({QStringLiteral("state"), request.state});
    Reply reply = redirectReply(QUrl(request.redirectUri), items);
    reply.errorName = refusal.error;
    return reply;
}

// "dm.read" → "scope-dm-read": ids without dots, so that CSS selectors need no escaping.
QString scopeElementId(const QString &scope)
{
    QString id = scope;
    id.replace(QLatin1Char('.'), QLatin1Char('-'));
    return QStringLiteral("scope-") + id;
}

QString hiddenField(const char *name, const QString &value)
{
    return QStringLiteral("<input type=\"hidden\" name=\"%1\" value=\"%2\">")
        .arg(QLatin1String(name), value.toHtmlEscaped());
}

// The sign-in form: the same field names and element ids as the OAuth 1.0a page (form#login,
// #username, #password, #allow and #deny as name="action" buttons, #error, #app-name), plus one
// checkbox per requested scope (name="scope", id="scope-<scope with - for .>").
QString authorizeHtml(const QString &appName, const QString &action, const AuthorizeRequest &request,
                      const QStringList &checked, const QString &username, const QString &error)
{
    QString html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                  "<title>Authorize %1 to access your account? — X Sandbox</title>%2</head>"
                                  "<body><h1>Authorize <span id=\"app-name\">%1</span> to access your "
                                  "account?</h1>"
                                  "<p>This is the Activity Console sandbox on your own machine, not X.</p>")
                       .arg(appName.toHtmlEscaped(), signInPageStyle());
    if (!error.isEmpty())
        html += QStringLiteral("<p class=\"error\" id=\"error\">%1</p>").arg(error.toHtmlEscaped());
    html += QStringLiteral("<form method=\"post\" action=\"%1\" id=\"login\">").arg(action.toHtmlEscaped());
    html += hiddenField("response_type", request.responseType);
    html += hiddenField("client_id", QString::fromUtf8(request.clientId));
    html += hiddenField("redirect_uri", request.redirectUri);
    html += hiddenField("state", request.state);
    html += hiddenField("code_challenge", QString::fromUtf8(request.challenge));
    html += hiddenField("code_challenge_method", QString::fromUtf8(request.challengeMethod));
    html += hiddenField("requested_scope", oauth2::joinScopes(request.scopes));
    html +=
        QStringLiteral(
            "<label for=\"username\">Username</label>"
            "<input id=\"username\" name=\"username\" autocomplete=\"username\" value=\"%1\">"
            "<label for=\"password\">Password</label>"
            "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">"
            "<fieldset id=\"scopes\"><legend>The app asks to (uncheck what you do not want to "
            "allow):</legend>")
            .arg(username.toHtmlEscaped());
    for (const QString &scope : request.scopes) {
        const QString id = scopeElementId(scope);
        html += QStringLiteral("<label for=\"%1\"><input type=\"checkbox\" id=\"%1\" name=\"scope\" "
                               "value=\"%2\"%3><code>%2</code></label>")
                    .arg(id.toHtmlEscaped(), scope.toHtmlEscaped(),
                         checked.contains(scope) ? QStringLiteral(" checked") : QString());
    }
    html += QStringLiteral(
        "</fieldset>"
        "<button id=\"allow\" type=\"submit\" name=\"action\" value=\"allow\">Authorize app</button>"
        "<button id=\"deny\" type=\"submit\" name=\"action\" value=\"deny\">Cancel</button>"
        "</form></body></html>\n");
    return html;
}

} // namespace

void OAuth2PageHandlers::authorizePage(const ExchangePtr &ex)
{
    const AuthorizeRequest request = fromQuery(*ex);
    if (const auto refusal = check(request, m_world.oauth2)) {
        answer(ex, refusalReply(*refusal, request));
        return;
    }
    const QString appName = m_world.apps.value(m_world.oauth2.client(request.clientId)->appId).name;
    answer(ex, htmlReply(200, authorizeHtml(appName, ex->path, request, request.scopes, {}, {})));
}

void OAuth2PageHandlers::authorizeSubmit(const ExchangePtr &ex)
{
    const oauth1::ParamList form = ex->formParams();
    const AuthorizeRequest request = fromForm(form);
    if (const auto refusal = check(request, m_world.oauth2)) {
        answer(ex, refusalReply(*refusal, request));
        return;
    }
    const OAuth2Client *client = m_world.oauth2.client(request.clientId);
    const QString appName = m_world.apps.value(client->appId).name;

    if (formValue(form, "action") != QLatin1String("allow")) {
        Reply reply = redirectReply(
            QUrl(request.redirectUri),
            {{QStringLiteral("error"), QStringLiteral("access_denied")},
             {QStringLiteral("error_description"), QStringLiteral("The user did not authorize the app.")},
             {QStringLiteral("state"), request.state}});
        reply.errorName = QStringLiteral("access_denied");
        answer(ex, reply);
        return;
    }

    // What the person left checked, of what was asked (nothing more can be granted).
    QStringList chosen;
    for (const auto &[key, value] : form) {
        const QString scope = QString::fromUtf8(value);
        if (key == "scope" && request.scopes.contains(scope) && !chosen.contains(scope))
            chosen.append(scope);
    }
    chosen.sort();
    const QString username = formValue(form, "username").trimmed();
    const User *user = m_world.userWithPassword(username, formValue(form, "password"));
    if (!user) {
        answer(ex,
               htmlReply(200,
                         authorizeHtml(appName, ex->path, request, chosen, username,
                                       QStringLiteral("The username and password did not match."))));
        return;
    }
    if (chosen.isEmpty()) {
        answer(ex,
               htmlReply(200,
                         authorizeHtml(appName, ex->path, request, chosen, username,
                                       QStringLiteral("Choose at least one permission to give the "
                                                      "app, or cancel."))));
        return;
    }

    OAuth2Code code;
    code.clientId = client->id;
    code.redirectUri = request.redirectUri;
    code.challenge = request.challenge;
    code.challengeMethod = request.challengeMethod;
    code.userId = user->id;
    code.scopes = chosen;
    const QByteArray value = m_world.oauth2.addCode(code, m_world.now());
    answer(ex,
           redirectReply(QUrl(request.redirectUri),
                         {{QStringLiteral("state"), request.state},
                          {QStringLiteral("code"), QString::fromLatin1(value)}}));
}

} // namespace activity::sandbox
