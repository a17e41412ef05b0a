#pragma once

#include <QDialog>
#include <QStringList>
#include <QUrl>

#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;
class QWebEngineProfile;
class QWebEngineView;

namespace activity {

class GuardedLoginPage;

// Shows X's authorize page in an embedded browser that keeps nothing: a fresh in-memory profile per
// dialog, so no cookie, cache or storage survives it and the previous person's session is never
// reused. The dialog knows nothing about OAuth: it reports the callback it caught (before any
// request leaves) or the PIN typed in, and whoever opened it does the rest. Only the sign-in helper
// (activity-signin) shows it, so Chromium never runs in the console's address space.
//
// Browser policy: main-frame navigations go only to the authorize page's own origin or, over https,
// to the allowed hosts and their subdomains; a clicked https link elsewhere is handed to the
// desktop (Chromium reports a script's `location = ...` as a link click too: it goes to the
// desktop as well, never into this window), anything else elsewhere (form posts, redirects, plain
// http, other schemes) is refused. Subframes are held to the same schemes. Scripts
// cannot open windows; a pop-up the person clicked is handed to the desktop if it is https.
// Downloads, permission requests (notifications, location, camera, microphone, screen), file-system
// access, protocol handlers, client certificates and full screen are all refused.
class LoginDialog : public QDialog
{
    Q_OBJECT
public:
    struct Options
    {
        QUrl authorizeUrl;
        QUrl callbackUrl; // empty: PIN flow (oob), the page shows a PIN to type in
        // Hosts the page may show besides the authorize page's own origin, over https; each
        // includes its subdomains ("x.com" allows "api.x.com").
        QStringList allowedHosts;
        // Opens off-site links and pop-ups outside the app (system browser); tests inject their own.
        std::function<void(const QUrl &)> openExternally;
    };

    explicit LoginDialog(Options options, QWidget *parent = nullptr);
    ~LoginDialog() override;

    QWebEngineView *view() const { return m_view; }
    QWebEngineProfile *profile() const { return m_profile; }
    bool isPinMode() const { return m_options.callbackUrl.isEmpty(); }
    // Shows a problem inside the dialog (e.g. a wrong PIN) without closing it.
    void showProblem(const QString &text);
    // Types `pin` into the PIN field and submits it, as the person would (PIN mode only).
    void enterPin(const QString &pin);
    // Closing the dialog before it finished counts as "closed by the user".
    void reject() override;

Q_SIGNALS:
    void callbackReached(const QUrl &url);
    void pinSubmitted(const QString &pin);
    void closedByUser();
    void navigationBlocked(const QUrl &url, const QString &reason);

private:
    void onUrlChanged(const QUrl &url);
    void onCallback(const QUrl &url);
    void submitPin();
    void refuseRequests();

    Options m_options;
    QWebEngineProfile *m_profile = nullptr;
    GuardedLoginPage *m_page = nullptr;
    QWebEngineView *m_view = nullptr;
    QLabel *m_security = nullptr;
    QLineEdit *m_address = nullptr;
    QLabel *m_problem = nullptr;
    QLineEdit *m_pin = nullptr;
    QPushButton *m_pinButton = nullptr;
    bool m_done = false;
};

} // namespace activity
