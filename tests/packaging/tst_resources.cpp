// The compiled-in application icon and the translator loading of resources/ (activity_resources).

#include "ActivityConfig.h"
#include "ApplicationIcon.h"
#include "Translations.h"

#include <QCoreApplication>
#include <QFile>
#include <QIcon>
#include <QImage>
#include <QPixmap>
#include <QTest>
#include <QTranslator>

class ResourcesTest : public QObject
{
    Q_OBJECT

private slots:
    void shouldCompileTheScalableIconInUnderTheApplicationId();
    void shouldRenderTheApplicationIconAtSixteenPixels();
    void shouldLoadTheCompiledInTranslationForTheLocale();
    void shouldFallBackToTheSourceStringsForAnUnknownLanguage();
};

void ResourcesTest::shouldCompileTheScalableIconInUnderTheApplicationId()
{
    QCOMPARE(activity::applicationIconResourcePath(), QStringLiteral(":/icons/" ACTIVITY_APP_ID ".svg"));
    QFile svg(activity::applicationIconResourcePath());
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("<svg"));
}

void ResourcesTest::shouldRenderTheApplicationIconAtSixteenPixels()
{
    // Needs the SVG icon engine plugin (libqt6svg6), as the installed program does.
    const QIcon icon = activity::applicationIcon();
    QVERIFY(!icon.isNull());
    const QImage image = icon.pixmap(QSize(16, 16)).toImage();
    QCOMPARE(image.size(), QSize(16, 16));
    QCOMPARE(qAlpha(image.pixel(0, 0)), 0); // a rounded corner
    QVERIFY(qAlpha(image.pixel(8, 8)) > 0);
}

void ResourcesTest::shouldLoadTheCompiledInTranslationForTheLocale()
{
    // This test carries its own build of translations/activity-console_en.qm under ":/i18n",
    // exactly where the console has it.
    QVERIFY(activity::installTranslators(*QCoreApplication::instance(),
                                         QLocale(QLocale::English, QLocale::UnitedStates)));
    const auto translators = QCoreApplication::instance()->findChildren<QTranslator *>();
    QVERIFY(!translators.isEmpty());
    for (QTranslator *translator : translators)
        QCoreApplication::removeTranslator(translator);
    qDeleteAll(translators);
}

void ResourcesTest::shouldFallBackToTheSourceStringsForAnUnknownLanguage()
{
    QVERIFY(!activity::installTranslators(*QCoreApplication::instance(),
                                          QLocale(QLocale::Zulu, QLocale::SouthAfrica)));
    // The English source text is shown unchanged.
    QCOMPARE(QCoreApplication::translate("activity::MainWindow", "Activity Console"),
             QStringLiteral("Activity Console"));
    qDeleteAll(QCoreApplication::instance()->findChildren<QTranslator *>());
}

QTEST_MAIN(ResourcesTest)
#include "tst_resources.moc"
