#include "ApplicationIcon.h"
#include "MainWindow.h"
#include "Translations.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Activity Console"));
    QApplication::setOrganizationName(QStringLiteral("ActivityConsole"));
    QApplication::setApplicationVersion(QStringLiteral(ACTIVITY_VERSION));
    QApplication::setDesktopFileName(QStringLiteral(ACTIVITY_APP_ID));
    QApplication::setWindowIcon(activity::applicationIcon());
    activity::installTranslators(app);

    activity::MainWindow window;
    window.show();
    return app.exec();
}
