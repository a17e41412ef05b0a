#include "ApplicationIcon.h"

#include "ActivityConfig.h"

namespace activity {

QString applicationIconResourcePath()
{
    return QStringLiteral(":/icons/" ACTIVITY_APP_ID ".svg");
}

QIcon applicationIcon()
{
    return QIcon::fromTheme(QStringLiteral(ACTIVITY_APP_ID), QIcon(applicationIconResourcePath()));
}

} // namespace activity
