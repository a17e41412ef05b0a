// activity-cli login: X's PIN flow, or OAuth 2.0 with PKCE (--oauth2); the account's tokens kept
// under the profile.
#include "AccountSignIns.h"
#include "CliCommands.h"
#include "CliFormat.h"
#include "CliRunner.h"
#include "LoopbackRedirectReceiver.h"
#include "OAuth2.h"
#include "OAuth2SignInFlow.h"
#include "ProfileStore.h"
#include "SignInFlow.h"

#include <QCommandLineParser>

namespace activity::cli {

QList<QCommandLineOption> loginOptions()
{
    return {
        QCommandLineOption(QStringLiteral("oauth2"),
                           QStringLiteral("OAuth 2.0 Authorization Code with PKCE instead of the PIN flow.")),
        QCommandLineOption(QStringLiteral("scopes"),
                           QStringLiteral("OAuth 2.0 scopes to ask for, space-separated (default: the "
                                          "profile's, else the Account Activity preset)."),
                           QStringLiteral("SCOPES")),
        QCommandLineOption(QStringLiteral("preset"),
                           QStringLiteral("OAuth 2.0 scopes of a preset (see below)."),
                           QStringLiteral("NAME"))};
}

std::optional<QString> readLoginOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    invocation.oauth2 = parser.isSet(QStringLiteral("oauth2"));
    const bool scopes = parser.isSet(QStringLiteral("scopes"));
    const bool preset = parser.isSet(QStringLiteral("preset"));
    if ((scopes || preset) && !invocation.oauth2)
        return QStringLiteral("--scopes and --preset belong to an OAuth 2.0 sign-in: add --oauth2.");
    if (scopes && preset)
        return QStringLiteral("Give either --scopes or --preset, not both.");
    if (scopes) {
        invocation.scopes = oauth2::parseScopes(parser.value(QStringLiteral("scopes")));
        if (invocation.scopes.isEmpty())
            return QStringLiteral(
                "--scopes needs at least one scope, e.g. --scopes \"tweet.read users.read\".");
        for (const QString &scope : std::as_const(invocation.scopes)) {
            if (!oauth2::knownScopes().contains(scope))
                return QStringLiteral("'%1' is not an X OAuth 2.0 scope. Known: %2.")
                    .arg(scope, oauth2::knownScopes().join(QLatin1Char(' ')));
        }
    }
    if (preset) {
        const oauth2::ScopePreset *found = oauth2::findPreset(parser.value(QStringLiteral("preset")));
        if (!found) {
            QStringList names;
            for (const oauth2::ScopePreset &p : oauth2::scopePresets())
                names.append(p.id);
            return QStringLiteral("Unknown preset '%1'. Presets: %2.")
                .arg(parser.value(QStringLiteral("preset")), names.join(QStringLiteral(", ")));
        }
        invocation.scopes = found->scopes;
    }
    return std::nullopt;
}

QString loginDetails()
{
    QString text = QStringLiteral(
        "\nWith --oauth2 the authorize address is printed on a line of its own. Open it, sign in and approve "
        "the "
        "app; X then sends the browser to the profile's redirect URI. When that is http://127.0.0.1:PORT/... "
        "(or localhost) activity-cli listens there and takes the answer itself; you can also paste the "
        "address "
        "the browser ended on. The code is exchanged at once (X's codes live 30 seconds).\n\nPresets:\n");
    for (const oauth2::ScopePreset &preset : oauth2::scopePresets())
        text += QStringLiteral("  %1: %2\n      %3\n")
                    .arg(preset.id, preset.title, oauth2::joinScopes(preset.scopes));
    return text;
}

namespace {

ApiError needsProfile()
{
    return ApiError::make(
        ApiError::Kind::MissingCredentials,
        QStringLiteral("'login' keeps the signed-in account under a stored profile, and none was given."),
        QStringLiteral(
            "Pass --profile NAME (create one in the console or with 'activity-cli profiles add')."));
}

} // namespace

void Runner::login()
{
    if (m_profileId.isEmpty())
        return fail(needsProfile());
    if (m_inv.oauth2)
        return loginOAuth2();
    if (!prepareClient({Operation::RequestToken, Operation::AccessToken}))
        return;
    // The terminal has no browser to catch a callback: always the PIN (out-of-band) flow.
    m_signIn = new SignInFlow(m_client.get(), QStringLiteral("oob"), this);
    connect(m_signIn, &SignInFlow::authorizeUrlReady, this, [this](const QUrl &url) {
        m_output.note(QStringLiteral("Open this address in a browser, sign in as the user to subscribe, and "
                                     "authorise the app:\n\n  ") +
                      url.toString(QUrl::FullyEncoded) + QLatin1Char('\n'));
        promptPin();
    });
    connect(m_signIn, &SignInFlow::pinRejected, this, [this](const ApiError &error) {
        m_output.error(error.text());
        promptPin();
    });
    connect(m_signIn, &SignInFlow::finished, this, [this] {
        stopReadingInput();
        if (!m_signIn->result())
            return fail(m_signIn->result().error());
        keepSignIn(m_signIn->result().value().credentials());
    });
    m_signIn->start();
}

void Runner::promptPin()
{
    m_output.prompt(QStringLiteral("PIN shown by X: "));
    readInput(128, [this](const QByteArray &typed) {
        if (typed.isEmpty()) {
            // The input closed before a PIN came: the person gave up.
            m_signIn->cancel();
            return;
        }
        m_signIn->submitPin(QString::fromLocal8Bit(typed).trimmed());
    });
}

void Runner::loginOAuth2()
{
    if (!prepareClient({Operation::OAuth2Token}))
        return;
    const QUrl redirectUri = m_resolved ? m_resolved->oauth2RedirectUri : QUrl();
    const QStringList scopes = !m_inv.scopes.isEmpty()
        ? m_inv.scopes
        : (m_resolved ? m_resolved->oauth2ScopesToRequest() : QStringList());
    m_oauth2SignIn = new OAuth2SignInFlow(m_client.get(), redirectUri, scopes, this);
    connect(m_oauth2SignIn, &OAuth2SignInFlow::authorizeUrlReady, this, [this, redirectUri](const QUrl &url) {
        // On a loopback redirect URI the answer comes by itself; pasting works everywhere.
        m_redirectReceiver = new LoopbackRedirectReceiver(this);
        const std::optional<ApiError> listening = m_redirectReceiver->listen(redirectUri);
        connect(m_redirectReceiver, &LoopbackRedirectReceiver::redirectReceived, m_oauth2SignIn,
                &OAuth2SignInFlow::handleRedirect);
        m_output.note(QStringLiteral("Open this address in a browser, sign in as the user to subscribe, and "
                                     "authorise the app:\n"));
        // The address alone on its line, so that a script can take it.
        m_output.note(url.toString(QUrl::FullyEncoded));
        if (!listening) {
            m_output.note(
                QStringLiteral("\nWaiting for X to send the browser to %1 ... (or paste the address "
                               "the browser ended on and press Enter)")
                    .arg(redirectUri.toString()));
        } else {
            m_output.note(
                QStringLiteral("\n%1\nAfter approving, paste the address the browser ended on (it starts "
                               "with %2) and press Enter.")
                    .arg(listening->text(), redirectUri.toString()));
        }
        readRedirect();
    });
    connect(m_oauth2SignIn, &OAuth2SignInFlow::finished, this, [this] {
        stopReadingInput();
        if (m_redirectReceiver)
            m_redirectReceiver->close();
        if (!m_oauth2SignIn->result())
            return fail(m_oauth2SignIn->result().error());
        keepSignIn(m_oauth2SignIn->result().value());
    });
    m_oauth2SignIn->start();
}

void Runner::readRedirect()
{
    m_output.prompt(QStringLiteral("Address: "));
    readInput(8192, [this](const QByteArray &typed) {
        const QString text = QString::fromLocal8Bit(typed).trimmed();
        if (typed.isEmpty()) {
            // The input closed: the loopback listener may still bring the answer; without it the
            // person gave up.
            if (!m_redirectReceiver || !m_redirectReceiver->isListening())
                m_oauth2SignIn->cancel();
            return;
        }
        if (text.isEmpty())
            return readRedirect();
        m_oauth2SignIn->handleRedirect(QUrl(text));
    });
}

void Runner::keepSignIn(const UserCredentials &signedIn)
{
    accounts::keep(m_profiles.get(), m_profileId, signedIn, this,
                   [this](const Result<UserCredentials> &kept) {
                       if (!kept)
                           return fail(kept.error());
                       Account account;
                       account.userId = kept.value().userId;
                       account.username = kept.value().username;
                       account.hasOAuth1 = kept.value().hasOAuth1();
                       account.hasOAuth2 = kept.value().hasOAuth2();
                       format::signedIn(m_output, account, m_inv.profile, kept.value().oauth2);
                       finish(ExitOk);
                   });
}

} // namespace activity::cli
