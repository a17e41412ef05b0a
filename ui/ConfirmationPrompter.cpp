#include "ConfirmationPrompter.h"

#include <QLabel>
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
    // Questions name webhooks by their URL and accounts by their name, as X gave them: plain text.
    box->setTextFormat(Qt::PlainText);
    box->setText(confirmation.question);
    box->setInformativeText(confirmation.details);
    // setTextFormat() covers the main text only, and QMessageBox lets its labels open links: every
    // label of the box (text, informative text) shows plain text and opens nothing.
    const auto labels = box->findChildren<QLabel *>();
    for (QLabel *label : labels) {
        label->setTextFormat(Qt::PlainText);
        label->setOpenExternalLinks(false);
    }
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
