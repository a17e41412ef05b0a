#include "LoginDialog.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>
#include <QWebEngineCertificateError>
#include <QWebEngineClientCertificateSelection>
#include <QWebEngineDownloadRequest>
#include <QWebEngineFileSystemAccessRequest>
#include <QWebEngineFullScreenRequest>
#include <QWebEngineNewWindowRequest>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineRegisterProtocolHandlerRequest>
#include <QWebEngineSettings>
#include <QWebEngineView>

namespace activity {

namespace {

bool sameEndpoint(const QUrl &a, const QUrl &b)
{
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0 &&
        a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && a.port() == b.port() && a.path() == b.path();
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0 &&
        a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
        a.port(a.scheme() == QLatin1String("https") ? 443 : 80) ==
        b.port(b.scheme() == QLatin1String("https") ? 443 : 80);
}

bool isLoopback(const QUrl &url)
{
    const QHostAddress address(url.host());
    return url.host().compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
        (!address.isNull() && address.isLoopback());
}

} // namespace

// Decides every navigation before a request leaves (see LoginDialog's policy).
class GuardedLoginPage : public QWebEnginePage
{
    Q_OBJECT
public:
    GuardedLoginPage(QWebEngineProfile *profile, QUrl authorizeUrl, QUrl callbackUrl,
                     QStringList allowedHosts, QObject *parent)
        : QWebEnginePage(profile, parent)
        , m_authorizeUrl(std::move(authorizeUrl))
        , m_callbackUrl(std::move(callbackUrl))
        , m_allowedHosts(std::move(allowedHosts))
    {
    }

    // Plain http only for the sandbox on this computer, never for a page on the network.
    bool httpAllowed() const
    {
        return m_authorizeUrl.scheme() == QLatin1String("http") && isLoopback(m_authorizeUrl);
    }

    bool isAllowedHost(const QString &host) const
    {
        for (const QString &allowed : m_allowedHosts) {
            if (host.compare(allowed, Qt::CaseInsensitive) == 0 ||
                host.endsWith(QLatin1Char('.') + allowed, Qt::CaseInsensitive))
                return true;
        }
        return false;
    }

    bool isAllowedMainFrame(const QUrl &url) const
    {
        if (sameOrigin(url, m_authorizeUrl))
            return true;
        return url.scheme() == QLatin1String("https") && isAllowedHost(url.host());
    }

    bool isAllowedSubframeScheme(const QUrl &url) const
    {
        const QString scheme = url.scheme();
        if (scheme == QLatin1String("https") || (scheme == QLatin1String("http") && httpAllowed()))
            return true;
        // Empty frames load nothing.
        return url == QUrl(QStringLiteral("about:blank")) || url == QUrl(QStringLiteral("about:srcdoc"));
    }

Q_SIGNALS:
    void callbackReached(const QUrl &url);
    void openExternally(const QUrl &url);
    void blocked(const QUrl &url, const QString &reason);

protected:
    bool acceptNavigationRequest(const QUrl &url, NavigationType type, bool isMainFrame) override
    {
        if (!m_callbackUrl.isEmpty() && sameEndpoint(url, m_callbackUrl)) {
            Q_EMIT callbackReached(url);
            return false;
        }
        if (!isMainFrame) {
            if (isAllowedSubframeScheme(url))
                return true;
            Q_EMIT blocked(url,
                           tr("A part of the page tried to load an address of a kind the sign-in "
                              "does not allow (%1).")
                               .arg(url.scheme()));
            return false;
        }
        if (isAllowedMainFrame(url))
            return true;
        if (type == NavigationTypeLinkClicked && url.scheme() == QLatin1String("https")) {
            Q_EMIT openExternally(url);
            return false;
        }
        if (url.scheme() == QLatin1String("http") && this->url().scheme() == QLatin1String("https"))
            Q_EMIT blocked(url, tr("The page tried to leave the encrypted connection (https to http)."));
        else if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
            Q_EMIT blocked(url, tr("The page tried to open an address of an unknown kind."));
        else
            Q_EMIT blocked(url,
                           tr("The page tried to go to %1, which is not part of the sign-in; it was "
                              "stopped.")
                               .arg(url.host()));
        return false;
    }

    QWebEnginePage *createWindow(WebWindowType) override { return nullptr; }

private:
    QUrl m_authorizeUrl;
    QUrl m_callbackUrl;
    QStringList m_allowedHosts;
};

LoginDialog::LoginDialog(Options options, QWidget *parent)
    : QDialog(parent)
    , m_options(std::move(options))
{
    setObjectName(QStringLiteral("loginDialog"));
    setWindowTitle(tr("Sign in to X"));
    resize(560, 720);
    if (!m_options.openExternally)
        m_options.openExternally = [](const QUrl &url) { QDesktopServices::openUrl(url); };

    // An unnamed profile is off the record: cookies, cache and storage live in memory only and
    // die with this dialog.
    m_profile = new QWebEngineProfile(this);
    m_profile->setHttpCacheType(QWebEngineProfile::MemoryHttpCache);
    m_profile->setPersistentCookiesPolicy(QWebEngineProfile::NoPersistentCookies);

    m_view = new QWebEngineView(this);
    m_view->setObjectName(QStringLiteral("loginView"));
    m_view->setAccessibleName(tr("X sign-in page"));
    // No "open in new window", "save link" or "inspect": the sign-in page is all there is.
    m_view->setContextMenuPolicy(Qt::NoContextMenu);
    m_page = new GuardedLoginPage(m_profile, m_options.authorizeUrl, m_options.callbackUrl,
                                  m_options.allowedHosts, m_view);
    m_view->setPage(m_page);
    refuseRequests();

    m_security = new QLabel(this);
    m_security->setObjectName(QStringLiteral("securityIndicator"));
    m_address = new QLineEdit(this);
    m_address->setObjectName(QStringLiteral("addressBar"));
    m_address->setReadOnly(true);
    m_address->setAccessibleName(tr("Address of the sign-in page"));
    auto *addressRow = new QHBoxLayout;
    addressRow->addWidget(m_security);
    addressRow->addWidget(m_address, 1);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("loginProblem"));
    m_problem->setTextFormat(Qt::PlainText); // errors quote X and the pages it shows
    m_problem->setWordWrap(true);
    m_problem->setVisible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(addressRow);
    layout->addWidget(m_problem);
    layout->addWidget(m_view, 1);

    if (isPinMode()) {
        auto *pinRow = new QHBoxLayout;
        auto *pinLabel = new QLabel(tr("PIN shown by X:"), this);
        m_pin = new QLineEdit(this);
        m_pin->setObjectName(QStringLiteral("pinEdit"));
        m_pin->setAccessibleName(tr("PIN"));
        m_pin->setPlaceholderText(tr("e.g. 1234567"));
        m_pin->setValidator(
            new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,16}")), m_pin));
        pinLabel->setBuddy(m_pin);
        m_pinButton = new QPushButton(tr("Continue"), this);
        m_pinButton->setObjectName(QStringLiteral("pinButton"));
        m_pinButton->setEnabled(false);
        connect(m_pin, &QLineEdit::textChanged, this,
                [this](const QString &text) { m_pinButton->setEnabled(!text.isEmpty()); });
        connect(m_pin, &QLineEdit::returnPressed, this, &LoginDialog::submitPin);
        connect(m_pinButton, &QPushButton::clicked, this, &LoginDialog::submitPin);
        pinRow->addWidget(pinLabel);
        pinRow->addWidget(m_pin, 1);
        pinRow->addWidget(m_pinButton);
        layout->addLayout(pinRow);
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &LoginDialog::reject);
    layout->addWidget(buttons);

    connect(m_page, &GuardedLoginPage::callbackReached, this, &LoginDialog::onCallback);
    connect(m_page, &GuardedLoginPage::openExternally, this,
            [this](const QUrl &url) { m_options.openExternally(url); });
    connect(m_page, &GuardedLoginPage::blocked, this, [this](const QUrl &url, const QString &reason) {
        showProblem(reason);
        Q_EMIT navigationBlocked(url, reason);
    });
    connect(m_page, &QWebEnginePage::newWindowRequested, this, [this](QWebEngineNewWindowRequest &request) {
        // Never opened here (createWindow() makes no page); only what the person clicked goes on.
        const QUrl url = request.requestedUrl();
        if (!request.isUserInitiated()) {
            Q_EMIT navigationBlocked(url, tr("The page tried to open a window by itself; it was stopped."));
            return;
        }
        if (url.scheme() != QLatin1String("https")) {
            showProblem(tr("The page tried to open an unencrypted or unknown kind of address in a new "
                           "window; it was stopped."));
            Q_EMIT navigationBlocked(url, m_problem->text());
            return;
        }
        m_options.openExternally(url);
    });
    connect(m_page, &QWebEnginePage::certificateError, this, [this](const QWebEngineCertificateError &error) {
        // Never "continue anyway": a sign-in page with a bad certificate may be an impostor.
        auto rejected = error;
        rejected.rejectCertificate();
        showProblem(tr("The sign-in page's certificate is not valid (%1). The connection was stopped; "
                       "check your network or proxy and try again.")
                        .arg(error.description()));
    });
    connect(m_page, &QWebEnginePage::urlChanged, this, &LoginDialog::onUrlChanged);

    onUrlChanged(m_options.authorizeUrl);
    m_view->load(m_options.authorizeUrl);
}

LoginDialog::~LoginDialog()
{
    // The page must go before the profile it uses.
    delete m_view;
    m_view = nullptr;
    m_page = nullptr;
}

void LoginDialog::refuseRequests()
{
    QWebEngineSettings *settings = m_page->settings();
    settings->setAttribute(QWebEngineSettings::JavascriptCanOpenWindows, false);
    settings->setAttribute(QWebEngineSettings::JavascriptCanAccessClipboard, false);
    settings->setAttribute(QWebEngineSettings::JavascriptCanPaste, false);
    settings->setAttribute(QWebEngineSettings::AllowWindowActivationFromJavaScript, false);
    settings->setAttribute(QWebEngineSettings::LocalContentCanAccessRemoteUrls, false);
    settings->setAttribute(QWebEngineSettings::LocalContentCanAccessFileUrls, false);
    settings->setAttribute(QWebEngineSettings::AllowRunningInsecureContent, false);
    settings->setAttribute(QWebEngineSettings::AllowGeolocationOnInsecureOrigins, false);
    settings->setAttribute(QWebEngineSettings::PluginsEnabled, false);
    settings->setAttribute(QWebEngineSettings::PdfViewerEnabled, false);
    settings->setAttribute(QWebEngineSettings::FullScreenSupportEnabled, false);
    settings->setAttribute(QWebEngineSettings::ScreenCaptureEnabled, false);
    settings->setAttribute(QWebEngineSettings::WebRTCPublicInterfacesOnly, true);
    settings->setAttribute(QWebEngineSettings::NavigateOnDropEnabled, false);
    settings->setAttribute(QWebEngineSettings::HyperlinkAuditingEnabled, false);

    connect(m_profile, &QWebEngineProfile::downloadRequested, this,
            [this](QWebEngineDownloadRequest *download) {
                download->cancel();
                Q_EMIT navigationBlocked(download->url(),
                                         tr("The page tried to download a file; it was refused."));
            });
    connect(m_page, &QWebEnginePage::featurePermissionRequested, this,
            [this](const QUrl &origin, QWebEnginePage::Feature feature) {
                m_page->setFeaturePermission(origin, feature, QWebEnginePage::PermissionDeniedByUser);
                Q_EMIT navigationBlocked(origin, tr("The page asked for a permission; it was refused."));
            });
    connect(m_page, &QWebEnginePage::fileSystemAccessRequested, this,
            [](QWebEngineFileSystemAccessRequest request) { request.reject(); });
    connect(m_page, &QWebEnginePage::registerProtocolHandlerRequested, this,
            [](QWebEngineRegisterProtocolHandlerRequest request) { request.reject(); });
    connect(m_page, &QWebEnginePage::fullScreenRequested, this,
            [](QWebEngineFullScreenRequest request) { request.reject(); });
    connect(m_page, &QWebEnginePage::selectClientCertificate, this,
            [](QWebEngineClientCertificateSelection selection) { selection.selectNone(); });
}

void LoginDialog::showProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

void LoginDialog::onUrlChanged(const QUrl &url)
{
    m_address->setText(url.toDisplayString(QUrl::RemoveUserInfo));
    const bool secure = url.scheme() == QLatin1String("https");
    m_security->setText(secure ? QStringLiteral("\U0001F512") : tr("Not encrypted"));
    m_security->setToolTip(secure ? tr("Encrypted connection (https)")
                                  : tr("This page is not encrypted (http)."));
    m_security->setAccessibleName(m_security->toolTip());
}

void LoginDialog::onCallback(const QUrl &url)
{
    if (m_done)
        return;
    m_done = true;
    m_view->stop();
    Q_EMIT callbackReached(url);
}

void LoginDialog::submitPin()
{
    if (!m_pin || m_pin->text().trimmed().isEmpty())
        return;
    showProblem({});
    Q_EMIT pinSubmitted(m_pin->text().trimmed());
}

void LoginDialog::enterPin(const QString &pin)
{
    if (!m_pin)
        return;
    m_pin->setText(pin);
    submitPin();
}

void LoginDialog::reject()
{
    if (!m_done) {
        m_done = true;
        Q_EMIT closedByUser();
    }
    QDialog::reject();
}

} // namespace activity

#include "LoginDialog.moc"
