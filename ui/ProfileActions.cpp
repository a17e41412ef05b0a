#include "ProfileActions.h"

#include "AccountSignIns.h"
#include "ApiClient.h"
#include "ConfirmationPrompter.h"
#include "ConsoleProfiles.h"
#include "MessageBar.h"
#include "ProfileDialog.h"
#include "SignInController.h"
#include "UserTokenKeeper.h"

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

void ProfileActions::setCurrent(const QString &profileId, ApiClient *client, UserTokenKeeper *tokenKeeper)
{
    m_currentProfileId = profileId;
    m_client = client;
    m_tokenKeeper = tokenKeeper;
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
    signIn(false);
}

void ProfileActions::signInWithOAuth2()
{
    signIn(true);
}

void ProfileActions::signIn(bool oauth2)
{
    const ResolvedProfile *profile = m_profiles->find(m_currentProfileId);
    if (!profile || !m_client)
        return;
    if (oauth2) {
        QString missing;
        if (profile->credentials.oauth2ClientId.isEmpty())
            missing = tr("the OAuth 2.0 client ID");
        if (profile->oauth2RedirectUri.isEmpty())
            missing = missing.isEmpty() ? tr("the redirect URI") : tr("%1 and the redirect URI").arg(missing);
        std::optional<QString> redirectProblem;
        if (!profile->oauth2RedirectUri.isEmpty())
            redirectProblem = oauth2::redirectUriProblem(profile->oauth2RedirectUri);
        if (!missing.isEmpty() || redirectProblem) {
            m_messageBar->showMessage(
                MessageBar::Level::Warning,
                missing.isEmpty() ? *redirectProblem
                                  : tr("To sign in with OAuth 2.0, fill in %1 of the profile \"%2\".")
                                        .arg(missing, profile->name),
                tr("Both are in the developer portal under \"User authentication settings\"; the redirect "
                   "URI must equal a callback URL registered there."),
                {tr("Open profile settings"), [self = QPointer<ProfileActions>(this)] {
                     if (self)
                         self->openDialog();
                 }});
            return;
        }
    }
    const QString profileId = profile->id;
    // The built-in sandbox keeps its accounts in memory: its demo tokens open nothing real.
    ProfileStore *store = profile->builtInSandbox ? nullptr : m_profiles->store();
    auto *controller = new SignInController(m_client, store, profileId, profile->callbackUrl, this);
    if (oauth2)
        controller->useOAuth2(profile->oauth2RedirectUri, profile->oauth2ScopesToRequest());
    connect(controller, &SignInController::succeeded, this,
            [this, controller, profileId](const Account &account, const UserCredentials &credentials) {
                controller->deleteLater();
                m_profiles->addAccount(profileId, credentials);
                // A new OAuth 2.0 sign-in replaces whatever the keeper held for the account.
                if (m_tokenKeeper && profileId == m_currentProfileId) {
                    const ResolvedProfile *current = m_profiles->find(profileId);
                    for (const UserCredentials &user :
                         current ? current->accounts : QList<UserCredentials>()) {
                        if (user.userId == account.userId)
                            m_tokenKeeper->remember(user);
                    }
                }
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
    UserCredentials user;
    for (const UserCredentials &account : profile->accounts) {
        if (account.userId == userId)
            user = account;
    }
    if (m_tokenKeeper)
        user = m_tokenKeeper->latest(user); // a refresh may have rotated the refresh token
    Confirmation confirmation;
    confirmation.title = tr("Remove account");
    confirmation.question = tr("Remove %1 from this profile?").arg(label);
    QStringList details;
    if (user.hasOAuth2())
        details.append(tr("Its OAuth 2.0 sign-in is revoked at X first, so its tokens stop working."));
    details.append(stored ? tr("Its tokens are deleted from the keychain. The account stays subscribed "
                               "on X until you unsubscribe it.")
                          : tr("The account stays subscribed until you unsubscribe it."));
    confirmation.details = details.join(QLatin1Char(' '));
    confirmation.acceptLabel = tr("Remove");
    QPointer<ProfileActions> self(this);
    QPointer<ApiClient> client = m_client;
    m_prompter->ask(m_window, confirmation, [self, client, profileId, user](bool accepted) {
        if (!self || !accepted)
            return;
        // Revoked first; removed here whatever X answered.
        accounts::revokeOAuth2(
            client, user, self, [self, profileId, user](const std::optional<ApiError> &problem) {
                if (!self)
                    return;
                if (self->m_tokenKeeper)
                    self->m_tokenKeeper->forget(user.userId);
                self->m_profiles->removeAccount(
                    profileId, user.userId, self, [self, user, problem](const Result<Done> &removed) {
                        if (!self)
                            return;
                        if (problem)
                            self->m_messageBar->showMessage(MessageBar::Level::Warning,
                                                            accounts::revokeFailedText(user, *problem),
                                                            removed ? QString() : removed.error().text());
                        else if (!removed)
                            self->m_messageBar->showError(removed.error());
                    });
            });
    });
}

} // namespace activity
