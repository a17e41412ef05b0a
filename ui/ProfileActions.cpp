#include "ProfileActions.h"

#include "ApiClient.h"
#include "ConfirmationPrompter.h"
#include "ConsoleProfiles.h"
#include "MessageBar.h"
#include "ProfileDialog.h"
#include "SignInController.h"

#include <QWidget>

namespace activity {

ProfileActions::ProfileActions(ConsoleProfiles *profiles, QNetworkAccessManager *network,
                               ConfirmationPrompter *prompter, MessageBar *messageBar, QWidget *window)
    : QObject(window)
    , m_profiles(profiles)
    , m_network(network)
    , m_prompter(prompter)
    , m_messageBar(messageBar)
    , m_window(window)
{
    connect(m_profiles, &ConsoleProfiles::listChanged, this, [this] {
        if (m_dialog)
            m_dialog->setProfiles(m_profiles->stored());
    });
}

void ProfileActions::setCurrent(const QString &profileId, ApiClient *client)
{
    m_currentProfileId = profileId;
    m_client = client;
}

ProfileDialog *ProfileActions::openDialog()
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return m_dialog;
    }
    auto *dialog = new ProfileDialog(m_network, m_prompter, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setProfiles(m_profiles->stored());
    if (!m_currentProfileId.isEmpty())
        dialog->selectProfile(m_currentProfileId);
    connect(dialog, &ProfileDialog::saveRequested, this,
            [this](const ResolvedProfile &edited, bool withSecrets) {
                m_profiles->save(
                    edited, withSecrets, this, [this](const QString &problem, const ResolvedProfile &saved) {
                        if (m_dialog)
                            m_dialog->setStoreResult(problem.isEmpty() ? tr("Saved.") : problem);
                        if (!problem.isEmpty())
                            m_messageBar->showMessage(MessageBar::Level::Error,
                                                      tr("The profile could not be saved."), problem);
                        else if (saved.id == m_currentProfileId)
                            Q_EMIT currentProfileSaved(saved.id); // new values take effect at once
                    });
            });
    connect(dialog, &ProfileDialog::secretsNeeded, this, [this](const QString &profileId) {
        m_profiles->loadCredentials(profileId, this,
                                    [this, profileId](const Result<AppCredentials> &credentials) {
                                        if (m_dialog && credentials)
                                            m_dialog->setSecrets(profileId, credentials.value());
                                        else if (m_dialog)
                                            m_dialog->setStoreResult(credentials.error().text());
                                    });
    });
    connect(dialog, &ProfileDialog::removeRequested, this, [this](const QString &profileId) {
        m_profiles->remove(profileId, this, [this, profileId](const QString &problem) {
            if (!problem.isEmpty()) {
                if (m_dialog)
                    m_dialog->setStoreResult(problem);
                m_messageBar->showMessage(MessageBar::Level::Error, tr("The profile could not be removed."),
                                          problem);
            } else if (profileId == m_currentProfileId) {
                Q_EMIT currentProfileRemoved();
            }
        });
    });
    m_dialog = dialog;
    dialog->open();
    return dialog;
}

void ProfileActions::signInWithBrowser()
{
    const ResolvedProfile *profile = m_profiles->find(m_currentProfileId);
    if (!profile || !m_client)
        return;
    const QString profileId = profile->id;
    // The built-in sandbox keeps its accounts in memory: its demo tokens open nothing real.
    ProfileStore *store = profile->builtInSandbox ? nullptr : m_profiles->store();
    auto *controller = new SignInController(m_client, store, profileId, profile->callbackUrl, this);
    connect(controller, &SignInController::succeeded, this,
            [this, controller, profileId](const Account &account, const UserCredentials &credentials) {
                controller->deleteLater();
                m_profiles->addAccount(profileId, credentials);
                Q_EMIT accountSignedIn(account.userId);
                m_messageBar->showMessage(
                    MessageBar::Level::Information, tr("@%1 is signed in.").arg(account.username),
                    tr("Choose Subscribe to subscribe the account to the selected webhook."));
            });
    connect(controller, &SignInController::failed, this, [this, controller](const ApiError &error) {
        controller->deleteLater();
        if (error.kind == ApiError::Kind::Cancelled)
            m_messageBar->showMessage(MessageBar::Level::Information, error.cause, error.remedy);
        else
            m_messageBar->showError(error);
    });
    controller->start();
}

void ProfileActions::removeAccount(const QString &userId, const QString &label)
{
    const ResolvedProfile *profile = m_profiles->find(m_currentProfileId);
    if (!profile)
        return;
    const QString profileId = profile->id;
    const bool stored = !profile->builtInSandbox && m_profiles->store();
    Confirmation confirmation;
    confirmation.title = tr("Remove account");
    confirmation.question = tr("Remove %1 from this profile?").arg(label);
    confirmation.details = stored
        ? tr("Its tokens are deleted from the keychain. The account stays subscribed "
             "on X until you unsubscribe it.")
        : tr("The account stays subscribed until you unsubscribe it.");
    confirmation.acceptLabel = tr("Remove");
    QPointer<ProfileActions> self(this);
    m_prompter->ask(m_window, confirmation, [self, profileId, userId](bool accepted) {
        if (!self || !accepted)
            return;
        self->m_profiles->removeAccount(profileId, userId, self, [self](const Result<Done> &removed) {
            if (self && !removed)
                self->m_messageBar->showError(removed.error());
        });
    });
}

} // namespace activity
