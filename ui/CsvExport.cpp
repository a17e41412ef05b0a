#include "CsvExport.h"

#include "MessageBar.h"
#include "PaneContext.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QPointer>
#include <QSaveFile>

namespace activity::csvexport {

bool save(const QString &path, const Writer &write, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !write(&file) || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void askAndSave(QWidget *parent, PaneContext *context, const QString &title, const QString &objectName,
                const QString &suggestedFileName, Writer write,
                std::function<QString(const QString &)> doneText)
{
    auto *dialog = new QFileDialog(parent, title);
    dialog->setObjectName(objectName);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilter(QCoreApplication::translate("activity::csvexport", "CSV files (*.csv)"));
    dialog->setDefaultSuffix(QStringLiteral("csv"));
    dialog->selectFile(suggestedFileName);
    QObject::connect(
        dialog, &QFileDialog::fileSelected, context,
        [context = QPointer<PaneContext>(context), write = std::move(write),
         doneText = std::move(doneText)](const QString &path) {
            if (!context)
                return;
            QString error;
            if (save(path, write, &error)) {
                context->setStatus(doneText(path));
            } else {
                context->messageBar()->showMessage(
                    MessageBar::Level::Error,
                    QCoreApplication::translate("activity::csvexport", "The CSV file could not be written."),
                    QCoreApplication::translate("activity::csvexport", "%1 Choose another folder.")
                        .arg(error));
            }
        });
    dialog->open();
}

} // namespace activity::csvexport
