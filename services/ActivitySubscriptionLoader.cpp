#include "ActivitySubscriptionLoader.h"

namespace activity {

ActivitySubscriptionLoader::ActivitySubscriptionLoader(QObject *parent)
    : QObject(parent)
{
}

void ActivitySubscriptionLoader::start(ApiClient *client, int pageSize)
{
    cancel();
    m_client = client;
    m_pageSize = pageSize;
    m_pages = 0;
    m_loaded = 0;
    m_seenTokens.clear();
    requestPage({});
}

void ActivitySubscriptionLoader::cancel()
{
    // The call's callback is tied to this context: without it the answer goes nowhere.
    delete m_call.data();
    m_call = nullptr;
}

void ActivitySubscriptionLoader::requestPage(const QString &token)
{
    if (!m_client) {
        Q_EMIT failed(ApiError::make(ApiError::Kind::MissingCredentials,
                                     tr("The profile's credentials are missing."),
                                     tr("Open the profile and enter its keys.")));
        return;
    }
    auto *context = new QObject(this);
    m_call = context;
    m_client->listActivitySubscriptions(
        token, context,
        [this, context](const Result<ActivitySubscriptionPage> &result) {
            context->deleteLater();
            m_call = nullptr;
            if (!result) {
                Q_EMIT failed(result.error());
                return;
            }
            const ActivitySubscriptionPage &page = result.value();
            ++m_pages;
            m_loaded += page.subscriptions.size();
            Q_EMIT pageLoaded(page.subscriptions, m_loaded, page.totalSubscriptions);
            if (page.nextToken.isEmpty() || page.subscriptions.isEmpty()) {
                Q_EMIT finished();
                return;
            }
            if (m_seenTokens.contains(page.nextToken)) {
                Q_EMIT failed(
                    ApiError::make(ApiError::Kind::MalformedResponse,
                                   tr("X sent the same next_token twice; the list stopped after %n page(s).",
                                      nullptr, m_pages),
                                   tr("Refresh again; if it repeats, the list is incomplete on X's side."),
                                   result.httpStatus()));
                return;
            }
            m_seenTokens.insert(page.nextToken);
            requestPage(page.nextToken);
        },
        m_pageSize);
}

} // namespace activity
