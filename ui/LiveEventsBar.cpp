#include "LiveEventsBar.h"

#include "ConsoleTableView.h"
#include "EventFilterProxy.h"
#include "EventTableModel.h"
#include "EventsPane.h"
#include "LiveEvents.h"
#include "MessageBar.h"
#include "PaneContext.h"

#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QSettings>
#include <QToolButton>

namespace activity {

namespace {

const QString receiverAddressKey = QStringLiteral("events/receiverAddress");
const QString forwardTargetKey = QStringLiteral("events/forwardTo");

QToolButton *buttonFor(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

} // namespace

LiveEventsBar::LiveEventsBar(PaneContext *context, LiveEvents *live, EventsPane *pane, QSettings *settings,
                             QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_live(live)
    , m_pane(pane)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("liveEventsBar"));
    m_stream = new QAction(tr("&Stream"), this);
    m_stream->setObjectName(QStringLiteral("eventsStreamAction"));
    m_stream->setCheckable(true);
    m_stream->setToolTip(tr("Read the X Activity stream of this profile's app (its Bearer token)."));
    m_receive = new QAction(tr("&Receive webhooks…"), this);
    m_receive->setObjectName(QStringLiteral("eventsReceiveAction"));
    m_receive->setCheckable(true);
    m_receive->setToolTip(tr("Answer CRC checks and take X's signed deliveries on a local address, behind "
                             "your own HTTPS endpoint or tunnel."));
    m_forward = new QAction(tr("&Forward to…"), this);
    m_forward->setObjectName(QStringLiteral("eventsForwardAction"));
    m_forward->setToolTip(tr("Re-post each new event to your program, re-signed with the consumer secret."));
    m_resend = new QAction(tr("Rese&nd selected"), this);
    m_resend->setObjectName(QStringLiteral("eventsResendAction"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QAction *action : {m_stream, m_receive, m_forward, m_resend})
        layout->addWidget(buttonFor(action, this));
    layout->addStretch(1);

    connect(m_stream, &QAction::toggled, this, &LiveEventsBar::setStreaming);
    // Only a person's click asks where to listen; setReceiving() (tests, restore) uses the last address.
    connect(m_receive, &QAction::triggered, this, [this](bool on) {
        if (!on)
            return setReceiving(false);
        bool ok = false;
        const QString text = QInputDialog::getText(
            this, tr("Receive webhooks"),
            tr("Listen on (ADDRESS:PORT; X reaches it through your HTTPS endpoint or tunnel):"),
            QLineEdit::Normal, receiverAddress(), &ok);
        if (!ok) {
            const QSignalBlocker blocker(m_receive);
            m_receive->setChecked(false);
            return;
        }
        setReceiverAddress(text.trimmed());
        setReceiving(true);
    });
    connect(m_forward, &QAction::triggered, this, &LiveEventsBar::chooseForwardTarget);
    connect(m_resend, &QAction::triggered, this, &LiveEventsBar::resendSelected);
    connect(m_live, &LiveEvents::streamStateChanged, this, &LiveEventsBar::showStreamState);
    connect(m_live, &LiveEvents::streamNotice, this, [this](const QString &message) {
        m_context->messageBar()->showMessage(MessageBar::Level::Warning, message);
    });
    connect(m_live, &LiveEvents::crcAnswered, this, [this](const CrcCheck &check) {
        m_lastCrc = tr("%1 from %2%3")
                        .arg(QDateTime::fromMSecsSinceEpoch(check.atMs).toString(QStringLiteral("HH:mm:ss")),
                             check.peer, check.ok ? QString() : tr(" (no crc_token)"));
        showReceiverState();
    });
    connect(m_live, &LiveEvents::deliveryRejected, this, [this](const RejectedDelivery &rejected) {
        m_context->messageBar()->showMessage(
            MessageBar::Level::Warning,
            tr("A delivery from %1 was refused (%2): %3")
                .arg(rejected.peer)
                .arg(rejected.status)
                .arg(rejected.reason),
            tr("Its body was not kept. If it came from X, check the profile's consumer secret."));
    });
    connect(m_live, &LiveEvents::eventStored, m_pane, [this] { m_pane->loadNewEvents(); });
    connect(m_pane->view()->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &LiveEventsBar::updateActions);
    connect(m_context, &PaneContext::profileChanged, this, &LiveEventsBar::profileChanged);
    updateActions();
    showReceiverState();
}

void LiveEventsBar::setReceiverAddress(const QString &hostAndPort)
{
    if (m_settings)
        m_settings->setValue(receiverAddressKey, hostAndPort);
}

QString LiveEventsBar::receiverAddress() const
{
    return m_settings ? m_settings->value(receiverAddressKey, QStringLiteral("127.0.0.1:8080")).toString()
                      : QStringLiteral("127.0.0.1:8080");
}

void LiveEventsBar::setStreaming(bool on)
{
    {
        const QSignalBlocker blocker(m_stream);
        m_stream->setChecked(on);
    }
    if (!on) {
        m_live->stopStream();
        return;
    }
    if (!m_context->client()) {
        m_context->messageBar()->showMessage(MessageBar::Level::Error,
                                             tr("The X Activity stream needs the app's Bearer token."),
                                             tr("Add it, or the consumer key and secret, in the profile."));
        const QSignalBlocker blocker(m_stream);
        m_stream->setChecked(false);
        return;
    }
    // The profile's token, or one the client obtains with the consumer key and secret.
    const QUrl baseUrl = m_context->profile().baseUrl;
    m_context->client()->withBearerToken(this, [this, baseUrl](const Result<QByteArray> &token) {
        if (!m_stream->isChecked())
            return; // switched off meanwhile
        if (!token) {
            m_context->showError(token.error());
            const QSignalBlocker blocker(m_stream);
            m_stream->setChecked(false);
            return;
        }
        ActivityStreamConfig config;
        config.baseUrl = baseUrl;
        config.bearerToken = token.value();
        m_live->startStream(config);
    });
}

void LiveEventsBar::setReceiving(bool on)
{
    {
        const QSignalBlocker blocker(m_receive);
        m_receive->setChecked(on);
    }
    if (!on) {
        m_live->stopReceiver();
        showReceiverState();
        return;
    }
    const auto refuse = [this](const QString &cause, const QString &remedy) {
        m_context->messageBar()->showMessage(MessageBar::Level::Error, cause, remedy);
        const QSignalBlocker blocker(m_receive);
        m_receive->setChecked(false);
        showReceiverState();
    };
    const QString text = receiverAddress();
    const auto address = WebhookReceiver::parseAddress(text);
    if (!address)
        return refuse(tr("'%1' is not an address to listen on.").arg(text),
                      tr("Type ADDRESS:PORT with an IP address, such as 127.0.0.1:8080."));
    if (!m_context->hasProfile())
        return refuse(tr("No profile is selected."), tr("Choose a profile first."));
    if (std::optional<QString> problem = m_live->startReceiver(
            address->first, address->second, m_context->profile().credentials.consumerSecret))
        return refuse(*problem, tr("Choose another port."));
    m_lastCrc.clear();
    showReceiverState();
}

QString LiveEventsBar::forwardTo(const QString &url)
{
    const QByteArray secret =
        m_context->hasProfile() ? m_context->profile().credentials.consumerSecret : QByteArray();
    const QString problem =
        m_live->setForwardTarget(url.isEmpty() ? QUrl() : QUrl::fromUserInput(url), secret);
    if (problem.isEmpty() && m_settings)
        m_settings->setValue(forwardTargetKey, url);
    m_forward->setText(url.isEmpty() || !problem.isEmpty() ? tr("&Forward to…")
                                                           : tr("&Forward to %1").arg(url));
    updateActions();
    return problem;
}

void LiveEventsBar::chooseForwardTarget()
{
    bool ok = false;
    const QString current = m_live->forwardTarget().isEmpty()
        ? (m_settings ? m_settings->value(forwardTargetKey).toString() : QString())
        : m_live->forwardTarget().toString();
    const QString url = QInputDialog::getText(
        this, tr("Forward events"),
        tr("Post each new event to (empty: stop forwarding), e.g. http://127.0.0.1:3000/webhooks:"),
        QLineEdit::Normal, current, &ok);
    if (!ok)
        return;
    if (const QString problem = forwardTo(url.trimmed()); !problem.isEmpty())
        m_context->messageBar()->showMessage(MessageBar::Level::Error, problem);
}

QList<qint64> LiveEventsBar::selectedRowIds() const
{
    QList<qint64> rows;
    const QModelIndexList selected = m_pane->view()->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(m_pane->model()->rowId(m_pane->proxy()->mapToSource(index).row()));
    std::sort(rows.begin(), rows.end());
    return rows;
}

void LiveEventsBar::resendSelected()
{
    const QList<qint64> rows = selectedRowIds();
    if (rows.isEmpty())
        return;
    if (m_live->forwardTarget().isEmpty()) {
        chooseForwardTarget();
        if (m_live->forwardTarget().isEmpty())
            return;
    }
    if (const QString problem = m_live->resend(rows); !problem.isEmpty())
        m_context->messageBar()->showMessage(MessageBar::Level::Error, problem);
    else
        m_context->setStatus(tr("Resending %n event(s) to %1", nullptr, int(rows.size()))
                                 .arg(m_live->forwardTarget().toString()));
}

void LiveEventsBar::showStreamState(ActivityStreamClient::State state, const QString &message)
{
    using State = ActivityStreamClient::State;
    const bool healthy = state == State::Connected || state == State::Connecting || state == State::Ended;
    QString text = ActivityStreamClient::stateName(state);
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    m_pane->setStreamState(tr("Stream: %1").arg(text), healthy || state == State::Idle);
    if (state == State::Failed) {
        m_context->messageBar()->showMessage(MessageBar::Level::Error,
                                             tr("The X Activity stream stopped: %1").arg(message));
        const QSignalBlocker blocker(m_stream);
        m_stream->setChecked(false);
    }
}

void LiveEventsBar::showReceiverState()
{
    m_pane->setReceiverState(m_live->receiverUrl(), m_lastCrc);
}

void LiveEventsBar::profileChanged()
{
    // The stream and the receiver ran with the previous profile's secrets.
    if (m_live->isStreamRunning())
        setStreaming(false);
    if (m_live->isReceiving())
        setReceiving(false);
    if (!m_live->forwardTarget().isEmpty())
        forwardTo(m_live->forwardTarget().toString()); // re-signed with the new profile's secret
    updateActions();
}

void LiveEventsBar::updateActions()
{
    m_resend->setEnabled(m_pane->view()->selectionModel()->hasSelection());
}

} // namespace activity
