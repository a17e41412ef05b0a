#pragma once

#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;
class QToolButton;

namespace activity {

struct ApiError;

// The non-modal place for problems: a strip at the top of the central area with an icon, the cause
// in bold, the remedy and a close button. Both are plain text: they often quote a server. A message identical
// to the one on show is counted
// ("×3") instead of stacked, so a burst of failures never becomes a storm of boxes.
class MessageBar : public QFrame
{
    Q_OBJECT
public:
    enum class Level { Information, Warning, Error };
    Q_ENUM(Level)

    // What the person can do about the message right there ("Sign in again"): a button that runs
    // `triggered` and then dismisses the message. Empty text: no button.
    struct Action
    {
        QString text;
        std::function<void()> triggered;
    };

    explicit MessageBar(QWidget *parent = nullptr);

    void showError(const ApiError &error);
    void showMessage(Level level, const QString &cause, const QString &remedy = {}, Action action = {});
    void dismiss();

    bool isShowing() const;
    Level level() const { return m_level; }
    QString cause() const { return m_cause; }
    QString remedy() const { return m_remedy; }
    // The text of the action button on show; empty without one.
    QString actionText() const;
    // How many times the message on show was reported (1 for a new one).
    int repeatCount() const { return m_count; }

Q_SIGNALS:
    void messageShown();
    void dismissed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateLook();

    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QLabel *m_remedyText = nullptr;
    QLabel *m_counter = nullptr;
    QPushButton *m_action = nullptr;
    QToolButton *m_close = nullptr;
    std::function<void()> m_actionTriggered;
    Level m_level = Level::Information;
    QString m_cause;
    QString m_remedy;
    int m_count = 0;
    bool m_updatingLook = false;
};

} // namespace activity
