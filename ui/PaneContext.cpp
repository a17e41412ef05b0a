#include "PaneContext.h"

#include "AccountSignIns.h"
#include "ConsoleProfiles.h"
#include "MessageBar.h"
#include "ProfileResolver.h"
#include "UserCache.h"
#include "UserTokenKeeper.h"

namespace activity {

PaneContext::PaneContext(QNetworkAccessManager *network, ConfirmationPrompter *prompter,
                         MessageBar *messageBar, WriteRecorder *recorder, ConsoleProfiles *profiles,
                         std::function<QDateTime()> clock, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_prompter(prompter)
    , m_messageBar(messageBar)
    , m_recorder(recorder)
    , m_profiles(profiles)
    , m_clock(std::move(clock))
    , m_userCache(std::make_unique<UserCache>())
{
}

PaneContext::~PaneContext() = default;

void PaneContext::setProfile(const ResolvedProfile &profile, ApiClient *client)
{
    m_profile = profile;
    m_client = client;
    makeTokenKeeper(profile, client);
    // The calls of the previous client end silently with it.
    if (m_runningCalls > 0) {
        m_runningCalls = 0;
        Q_EMIT busyChanged(false);
    }
    m_userCache->clear();
    Q_EMIT profileChanged();
}

void PaneContext::makeTokenKeeper(const ResolvedProfile &profile, ApiClient *client)
{
    delete m_tokenKeeper; // its refreshes end silently with the old client
    m_tokenKeeper = nullptr;
    if (!client)
        return;
    m_tokenKeeper = new UserTokenKeeper(client, this);
    const QString profileId = profile.id;
    ProfileStore *store = m_profiles && !profile.builtInSandbox ? m_profiles->store() : nullptr;
    if (store && !profileId.isEmpty()) {
        // Renewed tokens of a stored profile's account replace the old ones in its keychain entry
        // (the built-in sandbox keeps its accounts in memory only).
        QPointer<PaneContext> self(this);
        m_tokenKeeper->setSave([self, store, profileId](const UserCredentials &user,
                                                        std::function<void(const Result<Done> &)> saved) {
            if (!self)
                return saved(Done {});
            accounts::saveRefreshed(
                store, profileId, user, self, [self, user, saved](const Result<Done> &result) {
                    if (!result && self)
                        self->m_messageBar->showMessage(
                            MessageBar::Level::Warning,
                            tr("The renewed sign-in of @%1 could not be kept in the keychain.")
                                .arg(user.username),
                            result.error().text());
                    saved(result);
                });
        });
    }
    connect(m_tokenKeeper, &UserTokenKeeper::refreshed, this, [this, profileId](const UserCredentials &user) {
        if (m_profiles)
            m_profiles->addAccount(profileId, user); // the account list shows the new expiry
    });
    connect(m_tokenKeeper, &UserTokenKeeper::signInNeeded, this,
            [this](const UserCredentials &user, const ApiError &error) {
                // Nothing is removed: the account stays listed until it signs in again.
                m_messageBar->showMessage(MessageBar::Level::Warning, error.cause, error.remedy,
                                          {tr("Sign in again"), [this] { Q_EMIT oauth2SignInRequested(); }});
                Q_EMIT signInNeeded(user.userId);
            });
}

void PaneContext::setAccounts(const QList<UserCredentials> &accounts)
{
    if (!m_profile)
        return;
    m_profile->accounts = accounts;
    Q_EMIT accountsChanged();
}

QDateTime PaneContext::now() const
{
    return m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
}

void PaneContext::callStarted()
{
    if (m_runningCalls++ == 0)
        Q_EMIT busyChanged(true);
}

void PaneContext::callEnded()
{
    if (m_runningCalls > 0 && --m_runningCalls == 0)
        Q_EMIT busyChanged(false);
}

void PaneContext::showError(const ApiError &error)
{
    if (error.name != QLatin1String("sign_in_again"))
        m_messageBar->showError(error);
    Q_EMIT callFailed(error);
}

void PaneContext::showPartialErrors(const QList<ApiError> &problems)
{
    if (problems.isEmpty())
        return;
    const ApiError &first = problems.first();
    m_messageBar->showMessage(
        MessageBar::Level::Warning,
        tr("X answered with success but also reported %n problem(s): %1", nullptr, int(problems.size()))
            .arg(first.cause.isEmpty() ? first.serverMessage : first.cause),
        first.remedy);
}

} // namespace activity
