#pragma once

#include <QObject>

class QLabel;
class QWidget;

namespace activity {

struct ResolvedProfile;

// What the window says about the active profile wherever the person works: the sandbox banner
// above the panes (no real X account is touched) and X's deprecation notice for the profile's API
// generation in the status bar.
class ProfileNotices : public QObject
{
    Q_OBJECT
public:
    // The banner goes in `bannerParent`'s layout, the deprecation label in the status bar.
    ProfileNotices(QWidget *bannerParent, QWidget *statusParent);

    QLabel *banner() const { return m_banner; }
    QLabel *deprecationLabel() const { return m_deprecation; }
    // null: no profile, nothing to say.
    void show(const ResolvedProfile *profile);

private:
    QLabel *m_banner;
    QLabel *m_deprecation;
};

} // namespace activity
