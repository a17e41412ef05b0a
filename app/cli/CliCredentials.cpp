#include "CliCredentials.h"

namespace activity::cli {

Credentials fromEnvironment(const QProcessEnvironment &environment)
{
    const auto value = [&](const char *name) {
        return environment.value(QString::fromLatin1(name)).trimmed().toUtf8();
    };
    Credentials c;
    c.app.consumerKey = value("ACTIVITY_CONSUMER_KEY");
    c.app.consumerSecret = value("ACTIVITY_CONSUMER_SECRET");
    c.app.ownerToken = value("ACTIVITY_ACCESS_TOKEN");
    c.app.ownerTokenSecret = value("ACTIVITY_ACCESS_TOKEN_SECRET");
    c.app.bearerToken = value("ACTIVITY_BEARER_TOKEN");
    c.user.token = value("ACTIVITY_USER_TOKEN");
    c.user.tokenSecret = value("ACTIVITY_USER_TOKEN_SECRET");
    c.app.oauth2ClientId = value("ACTIVITY_OAUTH2_CLIENT_ID");
    c.app.oauth2ClientSecret = value("ACTIVITY_OAUTH2_CLIENT_SECRET");
    c.user.oauth2.accessToken = value("ACTIVITY_OAUTH2_USER_TOKEN");
    if (!c.user.oauth2.accessToken.isEmpty()) {
        // The scopes such a token was granted are not written on it: ACTIVITY_OAUTH2_SCOPES says, and
        // without it every scope is assumed and X itself refuses what the token lacks.
        const QString scopes = environment.value(QStringLiteral("ACTIVITY_OAUTH2_SCOPES"));
        c.user.oauth2.scopes =
            scopes.trimmed().isEmpty() ? oauth2::knownScopes() : oauth2::parseScopes(scopes);
    }
    // The user id is the numeric prefix of an X access token ("12345-abc...").
    const qsizetype dash = c.user.token.indexOf('-');
    if (dash > 0)
        c.user.userId = QString::fromLatin1(c.user.token.left(dash));
    return c;
}

QStringList missingFor(CredentialKind kind, const Credentials &c)
{
    QStringList missing;
    const auto need = [&missing](const QByteArray &value, const char *name) {
        if (value.isEmpty())
            missing.append(QString::fromLatin1(name));
    };
    switch (kind) {
    case CredentialKind::AppOwner:
        need(c.app.consumerKey, "ACTIVITY_CONSUMER_KEY");
        need(c.app.consumerSecret, "ACTIVITY_CONSUMER_SECRET");
        need(c.app.ownerToken, "ACTIVITY_ACCESS_TOKEN");
        need(c.app.ownerTokenSecret, "ACTIVITY_ACCESS_TOKEN_SECRET");
        break;
    case CredentialKind::SubscribingUser:
        need(c.app.consumerKey, "ACTIVITY_CONSUMER_KEY");
        need(c.app.consumerSecret, "ACTIVITY_CONSUMER_SECRET");
        need(c.user.token, "ACTIVITY_USER_TOKEN");
        need(c.user.tokenSecret, "ACTIVITY_USER_TOKEN_SECRET");
        break;
    case CredentialKind::OAuth2User:
        need(c.user.oauth2.accessToken, "ACTIVITY_OAUTH2_USER_TOKEN");
        break;
    case CredentialKind::OAuth2Client:
        need(c.app.oauth2ClientId, "ACTIVITY_OAUTH2_CLIENT_ID");
        break;
    case CredentialKind::AppOnly:
        if (c.app.bearerToken.isEmpty() && (c.app.consumerKey.isEmpty() || c.app.consumerSecret.isEmpty()))
            missing.append(QStringLiteral(
                "ACTIVITY_BEARER_TOKEN (or ACTIVITY_CONSUMER_KEY and ACTIVITY_CONSUMER_SECRET)"));
        break;
    case CredentialKind::ConsumerBasic:
    case CredentialKind::ConsumerOnly:
    case CredentialKind::RequestToken:
        need(c.app.consumerKey, "ACTIVITY_CONSUMER_KEY");
        need(c.app.consumerSecret, "ACTIVITY_CONSUMER_SECRET");
        break;
    case CredentialKind::None:
        break;
    }
    return missing;
}

QString environmentPath(const QProcessEnvironment &environment, const QString &variable,
                        const QString &fallback)
{
    const QString path = environment.value(variable);
    return path.isEmpty() ? fallback : path;
}

} // namespace activity::cli
