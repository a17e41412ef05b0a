#pragma once

#include "ProfileResolver.h"
#include "ResolvedProfile.h"

#include <QObject>
#include <QSet>

#include <functional>
#include <optional>

namespace activity {

// The profiles the console offers: the built-in sandbox (when there is one) and the stored
// profiles, with the secrets and signed-in accounts of those already activated held in memory.
// Activating a stored profile reads its secrets from the keychain in one round trip first; a
// profile chosen meanwhile wins. Without a ProfileStore only the built-in profile exists, and
// saved profiles live in memory for the session.
class ConsoleProfiles : public QObject
{
    Q_OBJECT
public:
    explicit ConsoleProfiles(ProfileStore *store, QObject *parent = nullptr);

    void setBuiltIn(const ResolvedProfile &profile);
    // A built-in profile whose server starts only while it is selected (the embedded sandbox):
    // `placeholder` is listed (its base URL is unknown until then); activating it calls `start`,
    // which answers `done` (at once or later) with the complete profile or why it could not start;
    // choosing another profile calls `stop`. Nothing is started before the profile is chosen.
    struct Launcher
    {
        using Done = std::function<void(const Result<ResolvedProfile> &)>;
        std::function<void(Done done)> start;
        std::function<void()> stop;
    };
    void setBuiltInLauncher(const ResolvedProfile &placeholder, Launcher launcher);
    bool isBuiltInRunning() const { return m_builtInRunning; }
    const std::optional<ResolvedProfile> &builtIn() const { return m_builtIn; }
    ProfileStore *store() const { return m_resolver ? m_resolver->store() : nullptr; }
    // Null without a ProfileStore.
    ProfileResolver *resolver() const { return m_resolver; }

    // Built-in first, then the stored ones by name.
    const QList<ResolvedProfile> &all() const { return m_profiles; }
    QList<ResolvedProfile> stored() const;
    const ResolvedProfile *find(const QString &profileId) const;
    bool contains(const QString &profileId) const { return find(profileId) != nullptr; }

    // Re-reads the stored profiles, keeping the secrets and accounts already in memory.
    void reload();
    // activated() follows: at once for a profile whose secrets are in memory, else after the
    // keychain answered (with the error when it could not).
    void activate(const QString &profileId);

    void addAccount(const QString &profileId, const UserCredentials &account);
    // Forgets the account; a stored profile's account also leaves the keychain.
    void removeAccount(const QString &profileId, const QString &userId, QObject *context,
                       std::function<void(const Result<Done> &)> done);

    // Saves the profile (with its secrets when `secretsIncluded`); `done` gets "" or what went
    // wrong, and the profile as saved (with its new id).
    void save(const ResolvedProfile &edited, bool secretsIncluded, QObject *context,
              std::function<void(const QString &problem, const ResolvedProfile &saved)> done);
    void remove(const QString &profileId, QObject *context, std::function<void(const QString &problem)> done);
    // The app credentials of a profile, from memory or the keychain (for the profile dialog).
    void loadCredentials(const QString &profileId, QObject *context,
                         std::function<void(const Result<AppCredentials> &)> done);

Q_SIGNALS:
    void listChanged();
    // A stored profile's secrets are being read (the keychain may ask to be unlocked).
    void activationPending(const QString &profileName);
    // `problem`: the secrets could not be read; the profile is still selected, but nothing is sent.
    void activated(const activity::ResolvedProfile &profile,
                   const std::optional<activity::ApiError> &problem);
    void accountsChanged(const QString &profileId);
    void accountUnreadable(const QString &username, const activity::ApiError &error);

private:
    ResolvedProfile *findMutable(const QString &profileId);
    // Activates the launched built-in profile, starting its server first when needed.
    void activateBuiltIn(const QString &profileId);
    void stopBuiltIn();
    void loadAccountsOf(const QString &profileId);

    ProfileResolver *m_resolver = nullptr;
    std::optional<ResolvedProfile> m_builtIn;
    QList<ResolvedProfile> m_profiles;
    QSet<QString> m_secretsLoaded; // stored profiles whose keychain secrets are in memory
    quint64 m_activationAttempt = 0;
    std::optional<Launcher> m_launcher;
    bool m_builtInRunning = false;
    bool m_builtInStarting = false;
    bool m_builtInWanted = false; // the built-in profile is the one chosen last
};

} // namespace activity
