#pragma once

#include <QPointer>
#include <QString>
#include <QWidget>

#include <functional>

namespace activity {

// One question before a destructive or far-reaching action. `details` names exactly what will be
// affected (the webhook URL, the users), so nobody confirms something they cannot see.
struct Confirmation
{
    QString title;
    QString question; // "Delete the webhook https://…?"
    QString details; // consequences: "Its 12 subscriptions are removed with it."
    QString acceptLabel; // the verb on the button: "Delete", "Unsubscribe 3 users"
    bool destructive = true;
};

// Every confirmation goes through this interface (KeePassXC's MessageBox wrapper idea), so tests
// can pre-answer it and the product code never opens a blocking modal loop: the answer arrives
// through the callback, possibly later.
class ConfirmationPrompter
{
public:
    virtual ~ConfirmationPrompter() = default;
    virtual void ask(QWidget *parent, const Confirmation &confirmation,
                     std::function<void(bool accepted)> answer) = 0;
};

// The product implementation: a window-modal QMessageBox opened with open(), not exec().
class MessageBoxPrompter : public ConfirmationPrompter
{
public:
    void ask(QWidget *parent, const Confirmation &confirmation,
             std::function<void(bool accepted)> answer) override;
};

} // namespace activity
