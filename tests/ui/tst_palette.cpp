#include "PaletteColors.h"

#include <QtTest>

#include <cmath>

using namespace activity;

// State colours follow the palette: readable on a light and on a dark theme alike.
class TestPalette : public QObject
{
    Q_OBJECT
private:
    static double luminance(const QColor &c)
    {
        auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    }
    static double contrast(const QColor &a, const QColor &b)
    {
        const double la = luminance(a), lb = luminance(b);
        return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
    }
    static QPalette dark()
    {
        QPalette p(QColor(0x30, 0x30, 0x30));
        p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        return p;
    }
    static QPalette light()
    {
        QPalette p(QColor(0xef, 0xef, 0xef));
        p.setColor(QPalette::Base, Qt::white);
        p.setColor(QPalette::Text, Qt::black);
        p.setColor(QPalette::WindowText, Qt::black);
        return p;
    }

private Q_SLOTS:
    void shouldKeepInvalidStateReadable_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::newRow("light") << light();
        QTest::newRow("dark") << dark();
    }
    void shouldKeepInvalidStateReadable()
    {
        QFETCH(QPalette, palette);
        const QColor base = palette.color(QPalette::Base);
        const QColor background = palette::negativeBackground(palette);
        const QColor text = palette::negativeText(palette);
        // The background stays on the palette's side (light stays light, dark stays dark)...
        QVERIFY2(std::abs(background.lightness() - base.lightness()) < 80,
                 qPrintable(QStringLiteral("%1 vs %2").arg(background.name(), base.name())));
        // ...is visibly red-hued, and the text on it keeps a readable contrast (WCAG AA, large text).
        QVERIFY(background.hslHue() <= 20 || background.hslHue() >= 340);
        QVERIFY2(contrast(text, background) >= 3.0, qPrintable(QString::number(contrast(text, background))));
        QVERIFY(contrast(palette.color(QPalette::Text), background) >= 4.5);
    }
};

QTEST_MAIN(TestPalette)
#include "tst_palette.moc"
