#pragma once

#include <QString>

#include <functional>

class QIODevice;
class QWidget;

namespace activity {

class PaneContext;

// Exporting a pane's table as CSV, the same way in every pane: a save dialog, a QSaveFile (nothing
// half-written is left behind), and the outcome as a status line or an error that says what to do.
namespace csvexport {

using Writer = std::function<bool(QIODevice *)>;

bool save(const QString &path, const Writer &write, QString *error = nullptr);

// `objectName` names the dialog for tests; `doneText` is the status line after a successful export.
void askAndSave(QWidget *parent, PaneContext *context, const QString &title, const QString &objectName,
                const QString &suggestedFileName, Writer write,
                std::function<QString(const QString &path)> doneText);

} // namespace csvexport
} // namespace activity
