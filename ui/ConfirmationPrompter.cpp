#include "ConfirmationPrompter.h"

#include <QMessageBox>
#include <QPushButton>

namespace activity {

void MessageBoxPrompter::ask(QWidget *parent, const Confirmation &confirmation,
                             std::function<void(bool accepted)> answer)
{
    auto *box = new QMessageBox(parent);
    box->setObjectName(QStringLiteral("confirmationBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(confirmation.destructive ? QMessageBox::Warning : QMessageBox::Question);
    box->setWindowTitle(confirmation.title);
    box->setText(confirmation.question);
    box->setInformativeText(confirmation.details);
    box->setTextFormat(Qt::PlainText);
    auto *accept =
        box->addButton(confirmation.acceptLabel.isEmpty() ? QMessageBox::tr("OK") : confirmation.acceptLabel,
                       confirmation.destructive ? QMessageBox::DestructiveRole : QMessageBox::AcceptRole);
    auto *cancel = box->addButton(QMessageBox::Cancel);
    // Destructive actions default to Cancel, so a stray Enter never deletes anything.
    box->setDefaultButton(confirmation.destructive ? cancel : static_cast<QPushButton *>(accept));
    box->setEscapeButton(cancel);
    box->setWindowModality(Qt::WindowModal);
    QObject::connect(box, &QMessageBox::finished, box, [box, accept, answer = std::move(answer)](int) {
        answer(box->clickedButton() == accept);
    });
    box->open();
}

} // namespace activity
