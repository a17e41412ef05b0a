#pragma once

#include <QIcon>
#include <QString>

namespace activity {

// The resource path of the scalable application icon compiled into the programs.
QString applicationIconResourcePath();

// The application icon: the installed theme icon named after the application id when the desktop
// provides one (so a theme can restyle it), else the SVG compiled into the program.
QIcon applicationIcon();

} // namespace activity
