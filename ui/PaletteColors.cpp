#include "PaletteColors.h"

namespace activity::palette {

namespace {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

QColor hueText(const QPalette &palette, int hue)
{
    // Keep the text lightness on the same side as the palette's text so contrast is preserved.
    const qreal lightness = isDark(palette) ? 0.70 : 0.35;
    return QColor::fromHslF(hue / 360.0, 0.75, lightness);
}

QColor hueBackground(const QPalette &palette, int hue)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor tint = QColor::fromHslF(hue / 360.0, 0.8, isDark(palette) ? 0.30 : 0.60);
    const qreal amount = 0.25;
    return QColor::fromRgbF(base.redF() * (1 - amount) + tint.redF() * amount,
                            base.greenF() * (1 - amount) + tint.greenF() * amount,
                            base.blueF() * (1 - amount) + tint.blueF() * amount);
}

} // namespace

QColor negativeText(const QPalette &palette)
{
    return hueText(palette, 0);
}

QColor negativeBackground(const QPalette &palette)
{
    return hueBackground(palette, 0);
}

QColor neutralBackground(const QPalette &palette)
{
    return hueBackground(palette, 40);
}

QColor positiveText(const QPalette &palette)
{
    return hueText(palette, 120);
}

} // namespace activity::palette
