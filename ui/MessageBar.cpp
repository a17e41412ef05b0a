#include "MessageBar.h"

#include "ApiError.h"
#include "PaletteColors.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <utility>

namespace activity {

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("messageBar"));
    setAccessibleName(tr("Message bar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);

    m_icon = new QLabel(this);
    m_icon->setObjectName(QStringLiteral("messageBarIcon"));
    // Plain text, never markup: the cause and the remedy often carry a server's words or a URL.
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("messageBarText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    QFont bold = m_text->font();
    bold.setBold(true);
    m_text->setFont(bold);
    m_remedyText = new QLabel(this);
    m_remedyText->setObjectName(QStringLiteral("messageBarRemedy"));
    m_remedyText->setWordWrap(true);
    m_remedyText->setTextFormat(Qt::PlainText);
    m_remedyText->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_remedyText->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_counter = new QLabel(this);
    m_counter->setObjectName(QStringLiteral("messageBarCounter"));
    m_action = new QPushButton(this);
    m_action->setObjectName(QStringLiteral("messageBarAction"));
    m_action->hide();
    connect(m_action, &QPushButton::clicked, this, [this] {
        // Taken first: what it runs may show another message.
        const std::function<void()> triggered = std::exchange(m_actionTriggered, {});
        dismiss();
        if (triggered)
            triggered();
    });
    m_close = new QToolButton(this);
    m_close->setObjectName(QStringLiteral("messageBarClose"));
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss this message"));
    m_close->setAccessibleName(tr("Dismiss message"));
    connect(m_close, &QToolButton::clicked, this, &MessageBar::dismiss);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    auto *texts = new QVBoxLayout;
    texts->setContentsMargins(0, 0, 0, 0);
    texts->setSpacing(0);
    texts->addWidget(m_text);
    texts->addWidget(m_remedyText);
    layout->addLayout(texts, 1);
    layout->addWidget(m_counter, 0, Qt::AlignTop);
    layout->addWidget(m_action, 0, Qt::AlignTop);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    hide();
}

void MessageBar::showError(const ApiError &error)
{
    const Level level = error.kind == ApiError::Kind::Validation || error.kind == ApiError::Kind::Cancelled
        ? Level::Warning
        : Level::Error;
    QString cause = error.cause;
    if (cause.isEmpty())
        cause = tr("The call failed.");
    showMessage(level, cause, error.remedy);
}

void MessageBar::showMessage(Level level, const QString &cause, const QString &remedy, Action action)
{
    if (isShowing() && level == m_level && cause == m_cause && remedy == m_remedy &&
        action.text == m_action->text()) {
        ++m_count;
    } else {
        m_level = level;
        m_cause = cause;
        m_remedy = remedy;
        m_count = 1;
    }
    m_text->setText(m_cause);
    m_remedyText->setText(m_remedy);
    m_remedyText->setVisible(!m_remedy.isEmpty());
    m_counter->setText(m_count > 1 ? tr("×%1").arg(m_count) : QString());
    m_counter->setAccessibleName(m_count > 1 ? tr("Reported %n times", nullptr, m_count) : QString());
    m_counter->setVisible(m_count > 1);
    m_action->setText(action.text);
    m_action->setVisible(!action.text.isEmpty());
    m_actionTriggered = action.text.isEmpty() ? std::function<void()>() : std::move(action.triggered);
    setAccessibleDescription(m_cause + QLatin1Char(' ') + m_remedy);
    updateLook();
    show();
    Q_EMIT messageShown();
}

void MessageBar::dismiss()
{
    const bool wasShowing = isShowing();
    hide();
    m_count = 0;
    m_cause.clear();
    m_remedy.clear();
    m_action->setText(QString());
    m_action->hide();
    m_actionTriggered = {};
    if (wasShowing)
        Q_EMIT dismissed();
}

QString MessageBar::actionText() const
{
    return m_action->text();
}

bool MessageBar::isShowing() const
{
    return m_count > 0;
}

void MessageBar::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        updateLook();
}

void MessageBar::updateLook()
{
    if (m_updatingLook)
        return;
    m_updatingLook = true; // setPalette sends a PaletteChange of its own
    QStyle::StandardPixmap pixmap = QStyle::SP_MessageBoxInformation;
    QPalette pal = parentWidget() ? parentWidget()->palette() : palette();
    switch (m_level) {
    case Level::Information:
        pal.setColor(QPalette::Window, pal.color(QPalette::AlternateBase));
        break;
    case Level::Warning:
        pixmap = QStyle::SP_MessageBoxWarning;
        pal.setColor(QPalette::Window, palette::neutralBackground(pal));
        break;
    case Level::Error:
        pixmap = QStyle::SP_MessageBoxCritical;
        pal.setColor(QPalette::Window, palette::negativeBackground(pal));
        break;
    }
    setPalette(pal);
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(pixmap, nullptr, this).pixmap(size, size));
    m_icon->setAccessibleName(m_level == Level::Error         ? tr("Error")
                                  : m_level == Level::Warning ? tr("Warning")
                                                              : tr("Information"));
    m_updatingLook = false;
}

} // namespace activity
