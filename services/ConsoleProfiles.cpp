#include "ConsoleProfiles.h"

#include "AccountSignIns.h"

#include <QPointer>

namespace activity {

ConsoleProfiles::ConsoleProfiles(ProfileStore *store, QObject *parent)
    : QObject(parent)
    , m_resolver(store ? new ProfileResolver(store, this) : nullptr)
{
    if (store)
        connect(store, &ProfileStore::profilesChanged, this, &ConsoleProfiles::reload);
}

void ConsoleProfiles::setBuiltIn(const ResolvedProfile &profile)
{
    m_builtIn = profile;
    m_builtIn->builtInSandbox = true;
    if (m_builtIn->id.isEmpty())
        m_builtIn->id = builtInSandboxProfileId;
    m_profiles.removeIf([](const ResolvedProfile &p) { return p.builtInSandbox; });
    m_profiles.prepend(*m_builtIn);
    Q_EMIT listChanged();
}

void ConsoleProfiles::setBuiltInLauncher(const ResolvedProfile &placeholder, Launcher launcher)
{
    stopBuiltIn();
    m_launcher = std::move(launcher);
    setBuiltIn(placeholder);
}

void ConsoleProfiles::activateBuiltIn(const QString &profileId)
{
    ResolvedProfile *builtIn = findMutable(profileId);
    if (!m_launcher || m_builtInRunning) {
        Q_EMIT activated(*builtIn, std::nullopt);
        return;
    }
    Q_EMIT activationPending(builtIn->name);
    if (m_builtInStarting)
        return; // the answer of the start under way activates it
    m_builtInStarting = true;
    QPointer<ConsoleProfiles> self(this);
    m_launcher->start([self, profileId](const Result<ResolvedProfile> &started) {
        if (!self)
            return;
        self->m_builtInStarting = false;
        ResolvedProfile *profile = self->findMutable(profileId);
        if (!profile)
            return;
        if (!started) {
            Q_EMIT self->activated(*profile, started.error());
            return;
        }
        self->m_builtInRunning = true;
        *profile = started.value();
        profile->id = profileId;
        profile->builtInSandbox = true;
        self->m_builtIn = *profile;
        Q_EMIT self->listChanged(); // its address is known now
        if (self->m_builtInWanted)
            Q_EMIT self->activated(*self->findMutable(profileId), std::nullopt);
        else
            self->stopBuiltIn(); // another profile was chosen meanwhile
    });
}

void ConsoleProfiles::stopBuiltIn()
{
    if (!m_launcher || !m_builtInRunning)
        return;
    m_builtInRunning = false;
    m_launcher->stop();
}

QList<ResolvedProfile> ConsoleProfiles::stored() const
{
    QList<ResolvedProfile> result;
    for (const ResolvedProfile &profile : m_profiles) {
        if (!profile.builtInSandbox)
            result.append(profile);
    }
    return result;
}

const ResolvedProfile *ConsoleProfiles::find(const QString &profileId) const
{
    for (const ResolvedProfile &profile : m_profiles) {
        if (profile.id == profileId)
            return &profile;
    }
    return nullptr;
}

ResolvedProfile *ConsoleProfiles::findMutable(const QString &profileId)
{
    return const_cast<ResolvedProfile *>(find(profileId));
}

void ConsoleProfiles::reload()
{
    if (!store())
        return;
    QList<ResolvedProfile> merged;
    for (const ResolvedProfile &profile : std::as_const(m_profiles)) {
        if (profile.builtInSandbox)
            merged.append(profile);
    }
    for (const Profile &stored : store()->profiles()) {
        ResolvedProfile profile = ProfileResolver::fromStored(stored);
        // Secrets and accounts already read from the keychain stay in memory.
        if (const ResolvedProfile *known = find(stored.id)) {
            const AppCredentials settings = profile.credentials; // the non-secret ones, as stored
            profile.credentials = known->credentials;
            profile.credentials.consumerKey = settings.consumerKey;
            profile.credentials.oauth2ClientId = settings.oauth2ClientId;
            profile.accounts = known->accounts;
        }
        merged.append(profile);
    }
    m_profiles = merged;
    Q_EMIT listChanged();
}

void ConsoleProfiles::activate(const QString &profileId)
{
    const ResolvedProfile *found = find(profileId);
    if (!found)
        return;
    const quint64 attempt = ++m_activationAttempt;
    m_builtInWanted = found->builtInSandbox;
    if (found->builtInSandbox) {
        activateBuiltIn(profileId);
        return;
    }
    if (!m_resolver || m_secretsLoaded.contains(profileId)) {
        stopBuiltIn(); // the embedded server runs only while its profile is selected
        Q_EMIT activated(*found, std::nullopt);
        return;
    }
    Q_EMIT activationPending(found->name);
    const std::optional<Profile> stored = store()->profile(profileId);
    if (!stored)
        return;
    m_resolver->resolve(*stored, this, [this, profileId, attempt](const Result<ResolvedProfile> &resolved) {
        if (attempt != m_activationAttempt)
            return; // another profile was chosen meanwhile
        ResolvedProfile *profile = findMutable(profileId);
        if (!profile)
            return;
        stopBuiltIn(); // the embedded server runs only while its profile is selected
        if (!resolved) {
            // No plaintext fallback: say what is wrong and work without this profile's secrets.
            Q_EMIT activated(*profile, resolved.error());
            return;
        }
        profile->credentials = resolved.value().credentials;
        m_secretsLoaded.insert(profileId);
        Q_EMIT activated(*profile, std::nullopt);
        loadAccountsOf(profileId);
    });
}

void ConsoleProfiles::loadAccountsOf(const QString &profileId)
{
    m_resolver->loadAccounts(profileId, this,
                             [this, profileId](const Account &account, const Result<UserCredentials> &user) {
                                 if (!user) {
                                     Q_EMIT accountUnreadable(account.username, user.error());
                                     return;
                                 }
                                 addAccount(profileId, user.value());
                             });
}

void ConsoleProfiles::addAccount(const QString &profileId, const UserCredentials &account)
{
    ResolvedProfile *profile = findMutable(profileId);
    if (!profile)
        return;
    // A sign-in the other way before is kept beside the new one.
    UserCredentials previous;
    for (const UserCredentials &a : std::as_const(profile->accounts)) {
        if (a.userId == account.userId)
            previous = a;
    }
    profile->accounts.removeIf([&](const UserCredentials &a) { return a.userId == account.userId; });
    profile->accounts.append(accounts::merged(previous, account));
    Q_EMIT accountsChanged(profileId);
}

void ConsoleProfiles::removeAccount(const QString &profileId, const QString &userId, QObject *context,
                                    std::function<void(const Result<Done> &)> done)
{
    const ResolvedProfile *profile = find(profileId);
    if (!profile)
        return;
    auto forget = [this, profileId, userId] {
        if (ResolvedProfile *p = findMutable(profileId)) {
            p->accounts.removeIf([&](const UserCredentials &a) { return a.userId == userId; });
            Q_EMIT accountsChanged(profileId);
        }
    };
    if (profile->builtInSandbox || !store()) {
        forget();
        done(Done {});
        return;
    }
    store()->removeAccount(profileId, userId, context, [forget, done](const Result<Done> &removed) {
        forget(); // gone from the list either way; the store retries keychain removals later
        done(removed);
    });
}

void ConsoleProfiles::save(const ResolvedProfile &edited, bool secretsIncluded, QObject *context,
                           std::function<void(const QString &, const ResolvedProfile &)> done)
{
    ResolvedProfile profile = edited;
    if (!secretsIncluded) {
        // Keep what is in memory (if this profile is loaded); the keychain keeps its values.
        if (const ResolvedProfile *existing = find(profile.id)) {
            const AppCredentials edited = profile.credentials;
            profile.credentials = existing->credentials;
            // The non-secret ones are settings: the edited values count.
            profile.credentials.consumerKey = edited.consumerKey;
            profile.credentials.oauth2ClientId = edited.oauth2ClientId;
            profile.accounts = existing->accounts;
        }
    }
    auto remember = [this, secretsIncluded, done](const QString &problem, const ResolvedProfile &saved) {
        if (problem.isEmpty()) {
            if (ResolvedProfile *existing = findMutable(saved.id))
                *existing = saved;
            else
                m_profiles.append(saved);
            if (secretsIncluded)
                m_secretsLoaded.insert(saved.id);
            Q_EMIT listChanged();
        }
        done(problem, saved);
    };
    if (!store()) {
        remember(QString(), profile); // a session without a store keeps profiles in memory only
        return;
    }
    ResolvedProfile saved = profile;
    saved.id = store()->saveProfile(ProfileResolver::toStored(profile));
    if (!secretsIncluded) {
        remember(QString(), saved);
        return;
    }
    store()->saveSecrets(saved.id, ProfileResolver::secretsOf(profile.credentials), context,
                         [saved, remember](const Result<Done> &result) {
                             remember(result ? QString() : result.error().text(), saved);
                         });
}

void ConsoleProfiles::remove(const QString &profileId, QObject *context,
                             std::function<void(const QString &)> done)
{
    auto forget = [this, profileId, done](const QString &problem) {
        if (problem.isEmpty()) {
            m_profiles.removeIf(
                [&](const ResolvedProfile &p) { return p.id == profileId && !p.builtInSandbox; });
            m_secretsLoaded.remove(profileId);
            Q_EMIT listChanged();
        }
        done(problem);
    };
    if (!store()) {
        forget(QString());
        return;
    }
    store()->removeProfile(profileId, context, [forget](const Result<Done> &result) {
        // The store retries keychain removals later; the profile is gone from the list either way.
        forget(result ? QString() : result.error().text());
    });
}

void ConsoleProfiles::loadCredentials(const QString &profileId, QObject *context,
                                      std::function<void(const Result<AppCredentials> &)> done)
{
    const ResolvedProfile *profile = find(profileId);
    if (!profile || !store())
        return;
    if (m_secretsLoaded.contains(profileId)) {
        done(profile->credentials);
        return;
    }
    const QByteArray consumerKey = profile->credentials.consumerKey;
    store()->loadSecrets(profileId, context, [consumerKey, done](const Result<ProfileSecrets> &secrets) {
        if (!secrets) {
            done(secrets.error());
            return;
        }
        AppCredentials credentials;
        credentials.consumerKey = consumerKey;
        ProfileResolver::applySecrets(credentials, secrets.value());
        done(credentials);
    });
}

} // namespace activity
