#pragma once

#include <QLocale>

class QCoreApplication;

namespace activity {

// Installs the translators for `locale` on `app` (which owns them): the program's own messages,
// compiled in under ":/i18n" as activity-console_<language>.qm, and Qt's own (qtbase_<language>.qm
// from the Qt installation) when the distribution ships them. Returns whether the program's own
// translation was found; without one the English source strings are shown.
bool installTranslators(QCoreApplication &app, const QLocale &locale = QLocale());

} // namespace activity
