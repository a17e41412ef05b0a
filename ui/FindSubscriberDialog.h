#pragma once

#include "SubscriberSearch.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace activity {

class ApiClient;
class UserCache;

// "Is @someone subscribed, and to which webhook?" (#17) for the active profile: the first search
// lists every webhook's subscribers into the SubscriberDirectory (Refresh lists does it again), then
// each search is a lookup in it; a @username is taken from the names the console has resolved, else
// looked up. The lower list shows who appeared and who disappeared on each webhook since its
// previous list (kept across runs as snapshots). Nothing is owned but the widgets.
class FindSubscriberDialog : public QDialog
{
    Q_OBJECT
public:
    FindSubscriberDialog(SubscriberDirectory *directory, const QString &profile, ApiClient *client,
                         const UserCache *names, QWidget *parent = nullptr);

    QLineEdit *queryEdit() const { return m_query; }
    QPushButton *findButton() const { return m_find; }
    QPushButton *refreshButton() const { return m_refresh; }
    QTreeWidget *results() const { return m_results; }
    QTreeWidget *changes() const { return m_changes; }
    QLabel *status() const { return m_status; }
    bool isBusy() const { return m_busy; }

    void find();
    void refreshLists();

Q_SIGNALS:
    void searched(bool subscribed);
    void listsRefreshed();

private:
    void showHits(const UserInfo &user);
    void setBusy(bool busy);
    QString nameOf(const QString &userId) const;

    SubscriberDirectory *m_directory;
    QString m_profile;
    QPointer<ApiClient> m_client;
    const UserCache *m_names;
    SubscriberSearch *m_search;
    QLineEdit *m_query;
    QPushButton *m_find;
    QPushButton *m_refresh;
    QLabel *m_status;
    QTreeWidget *m_results;
    QTreeWidget *m_changes;
    bool m_listed = false; // the lists were read in this dialog
    bool m_busy = false;
    std::optional<SubscriberQuery> m_pending; // a search waiting for the lists
};

} // namespace activity
