#pragma once

#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <functional>

namespace activity {

// Runs `work` once, on the event-loop turn after `window`'s first paint: what can wait for the
// window to be on screen (the history database, keychain reads, starting the sandbox, the first
// requests) then never delays it. A zero timer after show() is not enough: it fires before the
// window system has asked for the first paint.
inline void runAfterFirstPaint(QWidget &window, std::function<void()> work)
{
    class FirstPaintWatch : public QObject
    {
    public:
        FirstPaintWatch(QWidget &window, std::function<void()> work)
            : QObject(&window)
            , m_window(window)
            , m_work(std::move(work))
        {
            window.installEventFilter(this);
        }

    protected:
        bool eventFilter(QObject *, QEvent *event) override
        {
            if (event->type() == QEvent::Paint) {
                m_window.removeEventFilter(this);
                QTimer::singleShot(0, &m_window, std::move(m_work));
                deleteLater();
            }
            return false;
        }

    private:
        QWidget &m_window;
        std::function<void()> m_work;
    };
    new FirstPaintWatch(window, std::move(work));
}

} // namespace activity
