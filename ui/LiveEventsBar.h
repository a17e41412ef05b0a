#pragma once

#include "ActivityStreamClient.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QSettings;
class QToolButton;

namespace activity {

class EventsPane;
class LiveEvents;
class PaneContext;

// The Events tab's controls for where events come from and go (#16): the X Activity stream of the
// active profile (its Bearer token), the webhook receiver on a local address (its consumer secret),
// forwarding each new event to a program, and resending the selected ones. What they drive is the
// shared services/LiveEvents; this bar only asks, shows state in the pane's status strip, and stops
// the stream and the receiver when the profile changes (their credentials were that profile's).
class LiveEventsBar : public QWidget
{
    Q_OBJECT
public:
    LiveEventsBar(PaneContext *context, LiveEvents *live, EventsPane *pane, QSettings *settings,
                  QWidget *parent = nullptr);

    QAction *streamAction() const { return m_stream; }
    QAction *receiveAction() const { return m_receive; }
    QAction *forwardAction() const { return m_forward; }
    QAction *resendAction() const { return m_resend; }

    // What the actions ask for, settable without a dialog (tests, scripted use).
    void setReceiverAddress(const QString &hostAndPort); // "127.0.0.1:8080", kept in the settings
    QString receiverAddress() const;
    // Starts forwarding to `url` (empty: stops); a sentence when refused.
    QString forwardTo(const QString &url);
    QList<qint64> selectedRowIds() const;

public Q_SLOTS:
    void setStreaming(bool on); // with the active profile's Bearer token
    void setReceiving(bool on); // on receiverAddress(), with the profile's consumer secret
    void chooseForwardTarget(); // asks for the URL
    void resendSelected();

private:
    void showStreamState(ActivityStreamClient::State state, const QString &message);
    void showReceiverState();
    void profileChanged();
    void updateActions();

    PaneContext *m_context;
    QPointer<LiveEvents> m_live;
    EventsPane *m_pane;
    QSettings *m_settings;
    QAction *m_stream;
    QAction *m_receive;
    QAction *m_forward;
    QAction *m_resend;
    QString m_lastCrc;
};

} // namespace activity
