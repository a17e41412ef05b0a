// MainWindow's health tools (#17): the webhook watch of the active profile, Find Subscriber and
// Plan Replays. The rest of the frame is in MainWindow.cpp.
#include "MainWindow.h"

#include "ConsoleTableView.h"
#include "FindSubscriberDialog.h"
#include "PaneContext.h"
#include "ReplayPlannerDialog.h"
#include "SubscriberDirectory.h"
#include "WebhookHealthMonitor.h"
#include "WebhookTableModel.h"
#include "WebhooksPane.h"

namespace activity {

void MainWindow::attachHealth(WebhookTimeline *timeline)
{
    if (m_health || !timeline)
        return;
    m_services.timeline = timeline;
    m_health = new WebhookHealthMonitor(timeline, m_messageBar, settings(), this);
    // A change of `valid` shows in the webhooks table at once.
    connect(m_health, &WebhookHealthMonitor::webhookChanged, m_webhooksPane, &WebhooksPane::refresh);
    connect(m_health, &WebhookHealthMonitor::revalidateRequested, this, [this](const QString &webhookId) {
        if (m_webhooksPane->selectWebhook(webhookId))
            m_webhooksPane->validateSelected();
    });
    m_health->setWebhookModel(m_webhooksPane->model());
    connect(m_webhooksPane, &WebhooksPane::selectionChanged, m_health,
            &WebhookHealthMonitor::setSelectedWebhook);
    m_webhooksPane->view()->addAction(m_health->autoRevalidateAction());
    if (const ResolvedProfile *profile = currentProfile(); profile && m_client)
        m_health->setProfile(profile->name, m_client);
}

ReplayPlannerDialog *MainWindow::planReplays()
{
    const QString webhookId = selectedWebhookId();
    if (webhookId.isEmpty() || !m_client)
        return nullptr;
    auto *dialog = new ReplayPlannerDialog(m_context, webhookId, m_services.timeline, m_services.events,
                                           m_liveEvents, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The profile's client goes with a profile change: so does the plan.
    connect(this, &MainWindow::profileActivated, dialog, &QDialog::close);
    dialog->show();
    return dialog;
}

FindSubscriberDialog *MainWindow::findSubscriber()
{
    const ResolvedProfile *profile = currentProfile();
    if (!profile)
        return nullptr;
    if (m_findSubscriber && m_findSubscriber->property("profileId").toString() != profile->id)
        delete m_findSubscriber.data(); // another profile's
    if (!m_findSubscriber) {
        if (!m_subscribers)
            m_subscribers = std::make_unique<SubscriberDirectory>(m_services.subscribersFolder.isEmpty()
                                                                      ? SubscriberDirectory::defaultFolder()
                                                                      : m_services.subscribersFolder);
        m_findSubscriber = new FindSubscriberDialog(m_subscribers.get(), profile->name, m_client,
                                                    m_context->userCache(), this);
        m_findSubscriber->setProperty("profileId", profile->id);
        // "All profiles": every stored profile, each with a client made as the active one's.
        m_findSubscriber->setAllProfiles(
            {m_profiles->resolver(),
             [this](const ResolvedProfile &stored, QObject *parent) { return makeClient(stored, parent); },
             profile->id, settings()});
        m_findSubscriber->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_findSubscriber->show();
    m_findSubscriber->raise();
    m_findSubscriber->activateWindow();
    return m_findSubscriber;
}

} // namespace activity
