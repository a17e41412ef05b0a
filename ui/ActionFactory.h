#pragma once

#include <QAction>
#include <QStyle>
#include <QWidget>

namespace activity {

// One named action owned by `owner`, with a standard icon from its style (SP_CustomBase: none).
// The object name is how tests and the screenshot mode find it.
inline QAction *makeAction(QWidget *owner, const QString &objectName, const QString &text,
                           QStyle::StandardPixmap icon = QStyle::SP_CustomBase)
{
    auto *action = new QAction(text, owner);
    action->setObjectName(objectName);
    if (icon != QStyle::SP_CustomBase)
        action->setIcon(owner->style()->standardIcon(icon));
    return action;
}

} // namespace activity
