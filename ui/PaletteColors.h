#pragma once

#include <QColor>
#include <QPalette>

// Colours for states (invalid, warning) derived from the current palette instead of hard-coded
// values, so a dark or high-contrast theme keeps them readable.
namespace activity::palette {

// A red-hued text colour with the contrast of the palette's own text against its base.
QColor negativeText(const QPalette &palette);
// A faint red-hued background that stays close to the palette's base colour.
QColor negativeBackground(const QPalette &palette);
// The same for the sandbox banner and warnings (amber hue).
QColor neutralBackground(const QPalette &palette);
QColor positiveText(const QPalette &palette);

} // namespace activity::palette
