#include "ProfileNotices.h"

#include "EndpointCatalogue.h"
#include "PaletteColors.h"
#include "ResolvedProfile.h"

#include <QLabel>

namespace activity {

ProfileNotices::ProfileNotices(QWidget *bannerParent, QWidget *statusParent)
    : QObject(bannerParent)
    , m_banner(new QLabel(bannerParent))
    , m_deprecation(new QLabel(statusParent))
{
    m_banner->setObjectName(QStringLiteral("sandboxBanner"));
    m_banner->setTextFormat(Qt::RichText); // its own markup; the URL in it is escaped
    m_banner->setAccessibleName(tr("Sandbox notice"));
    m_banner->setWordWrap(true);
    m_banner->setAutoFillBackground(true);
    m_banner->setMargin(6);
    QPalette bannerPalette = m_banner->palette();
    bannerPalette.setColor(QPalette::Window, palette::neutralBackground(bannerPalette));
    m_banner->setPalette(bannerPalette);
    m_deprecation->setObjectName(QStringLiteral("deprecationLabel"));
    m_deprecation->setTextFormat(Qt::PlainText);
    show(nullptr);
}

void ProfileNotices::show(const ResolvedProfile *profile)
{
    const auto deprecation = profile ? endpoints::deprecation(profile->generation) : std::nullopt;
    m_deprecation->setVisible(deprecation.has_value());
    if (deprecation) {
        m_deprecation->setText(tr("API %1: deprecated by X since %2 (successor: %3)")
                                   .arg(endpoints::generationName(profile->generation),
                                        deprecation->markedOn.toString(Qt::ISODate), deprecation->successor));
        m_deprecation->setToolTip(deprecation->text);
    }
    const bool sandbox = profile && profile->builtInSandbox;
    m_banner->setVisible(sandbox);
    if (sandbox)
        m_banner->setText(tr("<b>Sandbox:</b> this is the built-in emulated X API on %1 (127.0.0.1). "
                             "No real X account is touched; the users, webhooks and events are demo data. "
                             "Add your X app under File ▸ Profiles to work with the real API.")
                              .arg(profile->baseUrl.toString().toHtmlEscaped()));
}

} // namespace activity
