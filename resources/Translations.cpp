#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace activity {

namespace {

bool installTranslator(QCoreApplication &app, const QLocale &locale, const QString &name,
                       const QString &directory)
{
    auto *translator = new QTranslator(&app);
    if (!translator->load(locale, name, QStringLiteral("_"), directory)) {
        delete translator;
        return false;
    }
    QCoreApplication::installTranslator(translator);
    return true;
}

} // namespace

bool installTranslators(QCoreApplication &app, const QLocale &locale)
{
    installTranslator(app, locale, QStringLiteral("qtbase"),
                      QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return installTranslator(app, locale, QStringLiteral("activity-console"), QStringLiteral(":/i18n"));
}

} // namespace activity
