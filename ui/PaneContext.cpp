#include "PaneContext.h"

#include "MessageBar.h"
#include "UserCache.h"

namespace activity {

PaneContext::PaneContext(QNetworkAccessManager *network, ConfirmationPrompter *prompter,
                         MessageBar *messageBar, WriteRecorder *recorder, std::function<QDateTime()> clock,
                         QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_prompter(prompter)
    , m_messageBar(messageBar)
    , m_recorder(recorder)
    , m_clock(std::move(clock))
    , m_userCache(std::make_unique<UserCache>())
{
}

PaneContext::~PaneContext() = default;

void PaneContext::setProfile(const ResolvedProfile &profile, ApiClient *client)
{
    m_profile = profile;
    m_client = client;
    // The calls of the previous client end silently with it.
    if (m_runningCalls > 0) {
        m_runningCalls = 0;
        Q_EMIT busyChanged(false);
    }
    m_userCache->clear();
    Q_EMIT profileChanged();
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
