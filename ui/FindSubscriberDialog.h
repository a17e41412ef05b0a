#pragma once

#include "SubscriberSearch.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QTreeWidget;

namespace activity {

class ApiClient;
class ProfileResolver;
class UserCache;

// "Is @someone subscribed, and to which webhook of which profile?" (#17) for the active profile
// or, with All profiles ticked, for it and every stored profile: the first search lists every
// webhook's subscribers into the SubscriberDirectory (Refresh lists does it again), then each search
// is a lookup in it; a @username is taken from the names the console has resolved, else looked up.
// A profile that cannot be listed is named with what to do, and the others still answer. The
// lower list shows who appeared and who disappeared on each webhook of each profile since its
// previous list (kept across runs as snapshots). Nothing is owned but the widgets and the search.
class FindSubscriberDialog : public QDialog
{
    Q_OBJECT
public:
    FindSubscriberDialog(SubscriberDirectory *directory, const QString &profile, ApiClient *client,
                         const UserCache *names, QWidget *parent = nullptr);

    // What "All profiles" reaches: the stored profiles through `resolver`, each with a client made
    // by `makeClient` as the console makes the active profile's; `activeProfileId` is the one
    // `client` reaches already. The box's state is kept in `settings` (health/findAllProfiles).
    // Without a resolver (no stored profiles) the box stays disabled.
    struct AllProfiles
    {
        ProfileResolver *resolver = nullptr;
        SubscriberSearch::MakeClient makeClient;
        QString activeProfileId;
        QSettings *settings = nullptr;
    };
    void setAllProfiles(AllProfiles all);

    // The columns of results().
    enum ResultColumn { ProfileColumn, WebhookColumn, UrlColumn, ListedColumn };
    // The columns of changes(): a webhook or user, the change, and the webhook's profile.
    enum ChangesColumn { ChangeSubjectColumn, ChangeTextColumn, ChangeProfileColumn };

    QLineEdit *queryEdit() const { return m_query; }
    QCheckBox *allProfilesBox() const { return m_allProfiles; }
    QPushButton *findButton() const { return m_find; }
    QPushButton *refreshButton() const { return m_refresh; }
    QTreeWidget *results() const { return m_results; }
    QTreeWidget *changes() const { return m_changes; }
    QLabel *status() const { return m_status; }
    QLabel *problems() const { return m_problems; } // a line per profile that could not be searched
    bool isBusy() const { return m_busy; }
    bool searchesAllProfiles() const;

    void find();
    void refreshLists();

Q_SIGNALS:
    void searched(bool subscribed);
    void listsRefreshed();

private:
    void startRefresh();
    void finishRefresh(const QStringList &profiles, int webhooks);
    void showHits(const UserInfo &user);
    void setBusy(bool busy);
    void updateTitle();
    ApiClient *lookupClient() const;
    QString nameOf(const QString &userId) const;

    SubscriberDirectory *m_directory;
    QString m_profile;
    QPointer<ApiClient> m_client;
    const UserCache *m_names;
    AllProfiles m_all;
    bool m_allOffered = false; // setAllProfiles() named a resolver
    SubscriberSearch *m_search;
    QLineEdit *m_query;
    QCheckBox *m_allProfiles;
    QPushButton *m_find;
    QPushButton *m_refresh;
    QLabel *m_status;
    QLabel *m_problems;
    QTreeWidget *m_results;
    QTreeWidget *m_changes;
    bool m_listed = false; // the lists of the profiles in scope were read in this dialog
    bool m_busy = false;
    QStringList m_searched; // the profiles the last refresh listed
    QStringList m_failures; // a line per profile it could not list
    std::optional<ApiError> m_lastError;
    std::optional<SubscriberQuery> m_pending; // a search waiting for the lists
};

} // namespace activity
