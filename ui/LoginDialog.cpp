#include "LoginDialog.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>
#include <QWebEngineCertificateError>
#include <QWebEngineNewWindowRequest>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineView>

namespace activity {

namespace {

bool sameEndpoint(const QUrl &a, const QUrl &b)
{
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0 &&
        a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && a.port() == b.port() && a.path() == b.path();
}

} // namespace

// Decides every navigation before a request leaves.
class GuardedLoginPage : public QWebEnginePage
{
    Q_OBJECT
public:
    GuardedLoginPage(QWebEngineProfile *profile, QUrl authorizeUrl, QUrl callbackUrl, QObject *parent)
        : QWebEnginePage(profile, parent)
        , m_authorizeUrl(std::move(authorizeUrl))
        , m_callbackUrl(std::move(callbackUrl))
    {
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
        if (!isMainFrame)
            return true;
        const QUrl current = this->url();
        if (current.scheme() == QLatin1String("https") && url.scheme() == QLatin1String("http")) {
            Q_EMIT blocked(url, tr("The page tried to leave the encrypted connection (https to http)."));
            return false;
        }
        if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) {
            Q_EMIT blocked(url, tr("The page tried to open an address of an unknown kind."));
            return false;
        }
        if (type == NavigationTypeLinkClicked &&
            url.host().compare(m_authorizeUrl.host(), Qt::CaseInsensitive) != 0) {
            Q_EMIT openExternally(url);
            return false;
        }
        return true;
    }

    QWebEnginePage *createWindow(WebWindowType) override { return nullptr; }

private:
    QUrl m_authorizeUrl;
    QUrl m_callbackUrl;
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
    m_page = new GuardedLoginPage(m_profile, m_options.authorizeUrl, m_options.callbackUrl, m_view);
    m_view->setPage(m_page);

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
        m_options.openExternally(request.requestedUrl());
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
