// activity-cli profiles list|add|remove and accounts: the console's stored profiles (settings plus
// keychain, through ProfileStore and ProfileResolver as the console uses them) from a script.
#include "CliProfileCommands.h"

#include "CliArguments.h"
#include "CliFormat.h"
#include "CliRunner.h"
#include "OAuth2.h"
#include "ProfileResolver.h"
#include "ProfileStore.h"
#include "Validation.h"

#include <QRegularExpression>

#include <memory>

namespace activity::cli {

namespace {

const QString kDefaultBaseUrl = QStringLiteral("https://api.x.com");
// More than any set of X's keys and tokens: a larger stdin is not a secrets list.
constexpr qint64 kMaxSecretInput = 64 * 1024;

// Where each secret goes in the app's credentials, by the name of its environment variable.
const QList<std::pair<QString, QByteArray AppCredentials::*>> &secretFields()
{
    static const QList<std::pair<QString, QByteArray AppCredentials::*>> fields {
        {QStringLiteral("ACTIVITY_CONSUMER_SECRET"), &AppCredentials::consumerSecret},
        {QStringLiteral("ACTIVITY_ACCESS_TOKEN"), &AppCredentials::ownerToken},
        {QStringLiteral("ACTIVITY_ACCESS_TOKEN_SECRET"), &AppCredentials::ownerTokenSecret},
        {QStringLiteral("ACTIVITY_BEARER_TOKEN"), &AppCredentials::bearerToken},
        {QStringLiteral("ACTIVITY_OAUTH2_CLIENT_SECRET"), &AppCredentials::oauth2ClientSecret},
    };
    return fields;
}

// Options that would put a secret on the command line (visible in the process list and the shell
// history), with the variable that carries it instead.
const QList<std::pair<QString, QString>> &refusedSecretOptions()
{
    static const QList<std::pair<QString, QString>> options {
        {QStringLiteral("consumer-secret"), QStringLiteral("ACTIVITY_CONSUMER_SECRET")},
        {QStringLiteral("access-token"), QStringLiteral("ACTIVITY_ACCESS_TOKEN")},
        {QStringLiteral("access-token-secret"), QStringLiteral("ACTIVITY_ACCESS_TOKEN_SECRET")},
        {QStringLiteral("owner-token"), QStringLiteral("ACTIVITY_ACCESS_TOKEN")},
        {QStringLiteral("owner-token-secret"), QStringLiteral("ACTIVITY_ACCESS_TOKEN_SECRET")},
        {QStringLiteral("bearer-token"), QStringLiteral("ACTIVITY_BEARER_TOKEN")},
        {QStringLiteral("client-secret"), QStringLiteral("ACTIVITY_OAUTH2_CLIENT_SECRET")},
        {QStringLiteral("oauth2-client-secret"), QStringLiteral("ACTIVITY_OAUTH2_CLIENT_SECRET")},
    };
    return options;
}

QString presetIds()
{
    QStringList ids;
    for (const oauth2::ScopePreset &preset : oauth2::scopePresets())
        ids.append(preset.id);
    return ids.join(QStringLiteral(", "));
}

ApiError invalid(const QString &cause, const QString &remedy = {})
{
    return ApiError::make(ApiError::Kind::Validation, cause, remedy);
}

// Did the keychain say there is no entry (rather than that it cannot be read)?
bool isMissingEntry(const ApiError &error)
{
    return error.name == QLatin1String("NotFound");
}

ProfileListing listingOf(const Profile &profile, qsizetype accounts,
                         const std::optional<AppCredentials> &credentials,
                         const std::optional<ApiError> &problem = std::nullopt)
{
    ProfileListing listing;
    listing.profile = profile;
    listing.accounts = accounts;
    if (credentials)
        listing.secrets = SecretPresence::of(*credentials);
    listing.keychainProblem = problem;
    return listing;
}

} // namespace

QList<QCommandLineOption> profileAddOptions()
{
    QList<QCommandLineOption> options {
        QCommandLineOption(QStringLiteral("update"),
                           QStringLiteral("Change the profile of that name if there is one (options and "
                                          "secrets not given keep their stored values) instead of refusing "
                                          "the name.")),
        QCommandLineOption(QStringLiteral("consumer-key"),
                           QStringLiteral("The app's API key (consumer key; not secret)."),
                           QStringLiteral("KEY")),
        QCommandLineOption(QStringLiteral("callback-url"),
                           QStringLiteral("OAuth 1.0a callback URL registered for the app (empty: the PIN "
                                          "flow)."),
                           QStringLiteral("URL")),
        QCommandLineOption(QStringLiteral("oauth2-client-id"),
                           QStringLiteral("The app's OAuth 2.0 client id (not secret)."),
                           QStringLiteral("ID")),
        QCommandLineOption(QStringLiteral("oauth2-redirect-uri"),
                           QStringLiteral("The OAuth 2.0 redirect URI exactly as registered in the developer "
                                          "portal (https://..., or http://127.0.0.1:PORT/... for a local "
                                          "callback)."),
                           QStringLiteral("URI")),
        QCommandLineOption(QStringLiteral("oauth2-scopes"),
                           QStringLiteral("The scopes an OAuth 2.0 sign-in asks for, space-separated "
                                          "(default: the account-activity preset)."),
                           QStringLiteral("\"SCOPE ...\"")),
        QCommandLineOption(QStringLiteral("oauth2-preset"),
                           QStringLiteral("Ask for a preset's scopes instead: %1.").arg(presetIds()),
                           QStringLiteral("PRESET")),
        QCommandLineOption(QStringLiteral("secrets-from-stdin"),
                           QStringLiteral("Read secrets from stdin as NAME=value lines (the names of the "
                                          "environment variables below; stdin wins over the environment).")),
    };
    for (const auto &[name, variable] : refusedSecretOptions()) {
        QCommandLineOption refused(name, QStringLiteral("Refused: use %1.").arg(variable),
                                   QStringLiteral("VALUE"));
        refused.setFlags(QCommandLineOption::HiddenFromHelp);
        options.append(refused);
    }
    return options;
}

std::optional<QString> refuseProfileOption(const QCommandLineParser &, Invocation &invocation)
{
    if (!invocation.profile.isEmpty())
        return QStringLiteral("'%1' does not take --profile; name the profile as the argument.")
            .arg(invocation.command);
    return std::nullopt;
}

std::optional<QString> applyProfileAddOptions(const QCommandLineParser &parser, Invocation &invocation)
{
    // First, and without the value: a secret typed here is in the shell history already.
    for (const auto &[name, variable] : refusedSecretOptions()) {
        if (parser.isSet(name))
            return QStringLiteral("--%1 is refused: secrets are never taken from arguments, which the "
                                  "process list and the shell history show. Set %2 in the environment, or "
                                  "pass --secrets-from-stdin and write %2=... on stdin.")
                .arg(name, variable);
    }
    if (const auto problem = refuseProfileOption(parser, invocation))
        return problem;
    ProfileOptions &o = invocation.profileOptions;
    const auto text = [&parser](const char *name) -> std::optional<QString> {
        const QString option = QString::fromLatin1(name);
        if (!parser.isSet(option))
            return std::nullopt;
        return parser.value(option).trimmed();
    };
    o.update = parser.isSet(QStringLiteral("update"));
    o.secretsFromStdin = parser.isSet(QStringLiteral("secrets-from-stdin"));
    o.consumerKey = text("consumer-key");
    o.callbackUrl = text("callback-url");
    o.oauth2ClientId = text("oauth2-client-id");
    o.oauth2RedirectUri = text("oauth2-redirect-uri");
    const std::optional<QString> scopes = text("oauth2-scopes");
    const std::optional<QString> preset = text("oauth2-preset");
    if (scopes && preset)
        return QStringLiteral(
            "--oauth2-scopes and --oauth2-preset both say which scopes to ask for; give one.");
    if (scopes) {
        o.oauth2Scopes = oauth2::parseScopes(*scopes);
        if (o.oauth2Scopes->isEmpty())
            return QStringLiteral("--oauth2-scopes takes at least one scope, e.g. \"%1\".")
                .arg(oauth2::joinScopes(oauth2::accountActivityScopes()));
    }
    if (preset) {
        const oauth2::ScopePreset *found = oauth2::findPreset(*preset);
        if (!found)
            return QStringLiteral("--oauth2-preset takes one of %1, not '%2'.").arg(presetIds(), *preset);
        o.oauth2Scopes = found->scopes;
    }
    return std::nullopt;
}

const QStringList &profileSecretNames()
{
    static const QStringList names = [] {
        QStringList list;
        for (const auto &field : secretFields())
            list.append(field.first);
        return list;
    }();
    return names;
}

SecretValues secretsFromEnvironment(const QProcessEnvironment &environment)
{
    SecretValues values;
    for (const QString &name : profileSecretNames()) {
        const QByteArray value = environment.value(name).trimmed().toUtf8();
        if (!value.isEmpty())
            values.insert(name, value);
    }
    return values;
}

Result<SecretValues> secretsFromLines(const QByteArray &text)
{
    SecretValues values;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype equals = line.indexOf('=');
        // Neither message repeats the line: it may be a secret pasted without its name.
        if (equals <= 0)
            return invalid(QStringLiteral("Line %1 of stdin is not NAME=value.").arg(i + 1),
                           QStringLiteral("Write one secret per line, named as its environment variable: %1.")
                               .arg(profileSecretNames().join(QStringLiteral(", "))));
        const QString name = QString::fromUtf8(line.left(equals).trimmed());
        if (!profileSecretNames().contains(name)) {
            static const QRegularExpression plainName(QStringLiteral("^[A-Za-z0-9_]{1,64}$"));
            return invalid(
                plainName.match(name).hasMatch()
                    ? QStringLiteral("Line %1 of stdin names '%2', which is not a profile secret.")
                          .arg(i + 1)
                          .arg(name)
                    : QStringLiteral("Line %1 of stdin does not start with a secret's name.").arg(i + 1),
                QStringLiteral("The names are: %1.").arg(profileSecretNames().join(QStringLiteral(", "))));
        }
        values.insert(name, line.mid(equals + 1).trimmed());
    }
    return values;
}

void applySecrets(AppCredentials &credentials, const SecretValues &values)
{
    for (const auto &[name, field] : secretFields()) {
        if (values.contains(name))
            credentials.*field = values.value(name);
    }
}

void Runner::listProfiles()
{
    openProfileStore();
    const QList<Profile> stored = m_profiles->profiles();
    if (stored.isEmpty()) {
        format::profiles(m_output, {});
        return finish(ExitOk);
    }
    // One keychain read per profile, all under way at once; printed in the store's order.
    struct Progress
    {
        QList<ProfileListing> listings;
        qsizetype remaining = 0;
    };
    auto progress = std::make_shared<Progress>();
    progress->remaining = stored.size();
    for (const Profile &profile : stored)
        progress->listings.append(listingOf(profile, m_profiles->accounts(profile.id).size(), std::nullopt));
    for (qsizetype i = 0; i < stored.size(); ++i) {
        m_resolver->resolve(stored[i], this, [this, progress, i](const Result<ResolvedProfile> &resolved) {
            ProfileListing &listing = progress->listings[i];
            if (resolved)
                listing.secrets = SecretPresence::of(resolved.value().credentials);
            else if (isMissingEntry(resolved.error()))
                listing.secrets = SecretPresence {}; // no entry: no secrets
            else
                listing.keychainProblem = resolved.error();
            if (--progress->remaining > 0)
                return;
            format::profiles(m_output, progress->listings);
            int exitCode = ExitOk;
            for (const ProfileListing &done : std::as_const(progress->listings)) {
                if (done.keychainProblem) {
                    m_output.error(
                        QStringLiteral("%1: %2").arg(done.profile.name, done.keychainProblem->text()));
                    if (exitCode == ExitOk)
                        exitCode = exitCodeFor(*done.keychainProblem);
                }
            }
            finish(exitCode);
        });
    }
}

void Runner::addProfile()
{
    openProfileStore();
    const ProfileOptions &o = m_inv.profileOptions;
    const QString name = m_inv.arguments.value(0).trimmed();
    if (name.isEmpty())
        return fail(invalid(QStringLiteral("A profile needs a name.")));
    std::optional<Profile> existing;
    for (const Profile &profile : m_profiles->profiles()) {
        if (profile.name.compare(name, Qt::CaseInsensitive) == 0)
            existing = profile;
    }
    if (existing && !o.update)
        return fail(invalid(QStringLiteral("There is a profile named '%1' already (id %2).")
                                .arg(existing->name, existing->id),
                            QStringLiteral("Choose another name, or pass --update to change that profile.")));

    // The stored profile, or a new one with the console's defaults; the options change it.
    ResolvedProfile profile = existing ? ProfileResolver::fromStored(*existing) : ResolvedProfile {};
    if (!existing) {
        profile.name = name;
        profile.generation = ApiGeneration::V2;
    }
    if (m_inv.generationSet)
        profile.generation = m_inv.generation;
    const bool allowInsecureLoopback =
        m_inv.allowInsecureLoopback || (existing && (existing->allowInsecureLoopback || existing->isSandbox));
    const QString baseUrlText =
        !m_inv.baseUrl.isEmpty() ? m_inv.baseUrl : (existing ? existing->baseUrl : kDefaultBaseUrl);
    const Result<QUrl> baseUrl = validate::baseUrl(baseUrlText, allowInsecureLoopback);
    if (!baseUrl)
        return fail(baseUrl.error());
    profile.baseUrl = baseUrl.value();
    if (o.consumerKey)
        profile.credentials.consumerKey = o.consumerKey->toUtf8();
    if (o.callbackUrl)
        profile.callbackUrl = *o.callbackUrl;
    if (o.oauth2ClientId)
        profile.credentials.oauth2ClientId = o.oauth2ClientId->toUtf8();
    if (o.oauth2RedirectUri) {
        const QUrl redirect(*o.oauth2RedirectUri, QUrl::StrictMode);
        if (!o.oauth2RedirectUri->isEmpty()) {
            if (const std::optional<QString> problem = oauth2::redirectUriProblem(redirect))
                return fail(invalid(*problem));
        }
        profile.oauth2RedirectUri = o.oauth2RedirectUri->isEmpty() ? QUrl() : redirect;
    }
    if (o.oauth2Scopes)
        profile.oauth2Scopes = *o.oauth2Scopes;

    // Everything the command line says is checked; warnings do not stop the command.
    QStringList unknown;
    for (const QString &scope : std::as_const(profile.oauth2Scopes)) {
        if (!oauth2::knownScopes().contains(scope))
            unknown.append(scope);
    }
    if (!unknown.isEmpty())
        m_output.error(
            QStringLiteral("warning: X does not document the scope(s) %1; a sign-in that asks for "
                           "them is likely to be refused. Known scopes: %2.")
                .arg(unknown.join(QStringLiteral(", ")), oauth2::joinScopes(oauth2::knownScopes())));
    if (!profile.credentials.oauth2ClientId.isEmpty() && profile.oauth2RedirectUri.isEmpty())
        m_output.error(QStringLiteral("warning: an OAuth 2.0 sign-in also needs --oauth2-redirect-uri, the "
                                      "callback registered for the client in the developer portal."));

    // What toStored() cannot know: the sandbox mark, and the profile's own loopback setting (a
    // ResolvedProfile's counts the sandbox mark in).
    Profile stored = ProfileResolver::toStored(profile);
    stored.isSandbox = existing && existing->isSandbox;
    stored.allowInsecureLoopback =
        m_inv.allowInsecureLoopback || (existing && existing->allowInsecureLoopback);

    // Settings and keychain are written only once the secrets are known and read without problems.
    auto store = [this, stored, existing, credentials = profile.credentials](const SecretValues &given) {
        const qsizetype accounts = existing ? m_profiles->accounts(existing->id).size() : 0;
        if (!existing) {
            // A new profile: its settings, then its keychain entry (also when empty, so that the
            // profile resolves); a keychain that fails takes the profile back out.
            AppCredentials merged = credentials;
            applySecrets(merged, given);
            const QString id = m_profiles->saveProfile(stored);
            Profile saved = stored;
            saved.id = id;
            m_profiles->saveSecrets(id, ProfileResolver::secretsOf(merged), this,
                                    [this, saved, merged](const Result<Done> &written) {
                                        if (written) {
                                            format::profileSaved(m_output, listingOf(saved, 0, merged), true);
                                            return finish(ExitOk);
                                        }
                                        const ApiError error = written.error();
                                        m_profiles->removeProfile(
                                            saved.id, this,
                                            [this, error](const Result<Done> &) { fail(error); });
                                    });
            return;
        }
        // An existing profile: its secrets are read first, so that those not given stay as they are.
        m_resolver->resolve(
            *existing, this,
            [this, stored, accounts, given, credentials](const Result<ResolvedProfile> &read) {
                std::optional<AppCredentials> current;
                if (read)
                    current = read.value().credentials;
                else if (isMissingEntry(read.error()))
                    current = AppCredentials {};
                else if (!given.isEmpty())
                    return fail(read.error()); // nothing changed
                if (given.isEmpty()) {
                    // Settings only: the keychain is not written, so it may also be unreadable.
                    m_profiles->saveProfile(stored);
                    if (!current)
                        m_output.error(QStringLiteral("warning: ") + read.error().text());
                    format::profileSaved(m_output, listingOf(stored, accounts, current), false);
                    return finish(ExitOk);
                }
                AppCredentials merged = *current;
                merged.consumerKey = credentials.consumerKey;
                merged.oauth2ClientId = credentials.oauth2ClientId;
                applySecrets(merged, given);
                // The keychain first: when it refuses, the settings stay as they were too.
                m_profiles->saveSecrets(stored.id, ProfileResolver::secretsOf(merged), this,
                                        [this, stored, accounts, merged](const Result<Done> &written) {
                                            if (!written)
                                                return fail(written.error());
                                            m_profiles->saveProfile(stored);
                                            format::profileSaved(m_output,
                                                                 listingOf(stored, accounts, merged), false);
                                            finish(ExitOk);
                                        });
            });
    };

    const SecretValues fromEnvironment = secretsFromEnvironment(m_env.variables);
    if (!o.secretsFromStdin)
        return store(fromEnvironment);
    if (inputIsTerminal())
        m_output.prompt(QStringLiteral("Secrets as NAME=value lines (%1), then Ctrl-D:\n")
                            .arg(profileSecretNames().join(QStringLiteral(", "))));
    readAllInput(kMaxSecretInput, [this, fromEnvironment, store](const std::optional<QByteArray> &input) {
        if (!input)
            return fail(invalid(QStringLiteral("stdin holds more than %1 KiB; that is not a list of secrets.")
                                    .arg(kMaxSecretInput / 1024)));
        const Result<SecretValues> parsed = secretsFromLines(*input);
        if (!parsed)
            return fail(parsed.error());
        SecretValues given = fromEnvironment;
        for (auto it = parsed.value().cbegin(); it != parsed.value().cend(); ++it)
            given.insert(it.key(), it.value()); // stdin wins
        store(given);
    });
}

void Runner::removeProfile()
{
    openProfileStore();
    const Result<Profile> found = m_resolver->find(m_inv.arguments.value(0));
    if (!found)
        return fail(found.error());
    const Profile profile = found.value();
    const qsizetype accounts = m_profiles->accounts(profile.id).size();
    confirmThen(
        QStringLiteral("Remove profile '%1' (id %2)? Its settings, its secrets in the keychain and the "
                       "tokens of its %3 signed-in account(s) are deleted from this computer. "
                       "Webhooks and subscriptions at X are not changed, and OAuth 2.0 tokens are not "
                       "revoked.")
            .arg(profile.name, profile.id)
            .arg(accounts),
        profile.name, [this, profile] {
            m_profiles->removeProfile(profile.id, this, [this, profile](const Result<Done> &removed) {
                // The settings are gone either way; the store lists keychain entries it could
                // not delete and deletes them when the keychain is back.
                format::profileRemoved(m_output, profile,
                                       removed ? std::nullopt : std::optional<ApiError>(removed.error()));
                finish(removed ? int(ExitOk) : exitCodeFor(removed.error()));
            });
        });
}

void Runner::listAccounts()
{
    if (m_inv.profile.isEmpty())
        return fail(ApiError::make(
            ApiError::Kind::MissingCredentials,
            QStringLiteral(
                "'accounts' lists the signed-in accounts of a stored profile, and none was given."),
            QStringLiteral("Pass --profile NAME ('activity-cli profiles list' shows them).")));
    openProfileStore();
    const Result<Profile> found = m_resolver->find(m_inv.profile);
    if (!found)
        return fail(found.error());
    const Profile profile = found.value();
    const QList<Account> accounts = m_profiles->accounts(profile.id);
    if (accounts.isEmpty()) {
        format::accounts(m_output, profile, {}, QDateTime::currentDateTimeUtc());
        return finish(ExitOk);
    }
    // One keychain read per account; a problem with one is shown for that one.
    struct Progress
    {
        QList<AccountListing> listings;
        qsizetype remaining = 0;
    };
    auto progress = std::make_shared<Progress>();
    progress->listings.resize(accounts.size());
    progress->remaining = accounts.size();
    for (qsizetype i = 0; i < accounts.size(); ++i) {
        const Account account = accounts[i];
        m_resolver->loadAccount(profile.id, account, this,
                                [this, progress, profile, account, i](const Result<UserCredentials> &user) {
                                    progress->listings[i] = AccountListing::of(account, user);
                                    if (--progress->remaining > 0)
                                        return;
                                    format::accounts(m_output, profile, progress->listings,
                                                     QDateTime::currentDateTimeUtc());
                                    int exitCode = ExitOk;
                                    for (const AccountListing &listing : std::as_const(progress->listings)) {
                                        if (listing.keychainProblem && exitCode == ExitOk)
                                            exitCode = exitCodeFor(*listing.keychainProblem);
                                    }
                                    finish(exitCode);
                                });
    }
}

} // namespace activity::cli
