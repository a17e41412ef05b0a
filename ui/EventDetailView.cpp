#include "EventDetailView.h"

#include "EventExport.h"
#include "EventTableModel.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

namespace activity {

namespace {
QPlainTextEdit *monospaceText(QWidget *parent, const QString &objectName, const QString &accessibleName)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return edit;
}
} // namespace

EventDetailView::EventDetailView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("eventDetail"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("eventSummary"));
    // Event ids, types and tags come from the wire: text, never markup.
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    auto *split = new QSplitter(Qt::Vertical, this);
    m_body = monospaceText(split, QStringLiteral("eventBody"), tr("Event body"));
    m_headers = monospaceText(split, QStringLiteral("eventHeaders"), tr("Event headers"));
    split->addWidget(m_body);
    split->addWidget(m_headers);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    setEvent(std::nullopt);
}

QString EventDetailView::prettyBody(const QByteArray &body)
{
    return eventexport::prettyBody(body); // as activity-cli events show prints it
}

QString EventDetailView::headersAsText(const QJsonObject &headers)
{
    QStringList lines;
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) // QJsonObject: sorted keys
        lines.append(it.key() + QStringLiteral(": ") + it.value().toString());
    return lines.join(QLatin1Char('\n'));
}

void EventDetailView::setEvent(const std::optional<StoredEvent> &event)
{
    m_event = event;
    if (!event) {
        m_summary->setText(tr("Select an event to see its body and headers."));
        m_body->clear();
        m_headers->clear();
        return;
    }
    const QString received = QDateTime::fromMSecsSinceEpoch(event->receivedAtMs, Qt::UTC)
                                 .toLocalTime()
                                 .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    QString summary =
        tr("%1 · %2 · received %3 from the %4 · %5 bytes")
            .arg(event->eventType, event->eventId, received,
                 EventTableModel::sourceText(event->source).toLower(), QLocale().toString(event->bodySize));
    if (event->duplicates > 0)
        summary += QStringLiteral(" · ") + tr("delivered %n more time(s)", nullptr, event->duplicates);
    if (event->forward)
        summary +=
            QStringLiteral(" · ") + tr("forward: %1").arg(EventTableModel::forwardText(event->forward));
    m_summary->setText(summary);
    m_body->setPlainText(prettyBody(event->body));
    const QString headers = headersAsText(event->headers);
    m_headers->setPlainText(headers.isEmpty() ? tr("(no headers: events from the stream have none)")
                                              : headers);
}

QString EventDetailView::bodyText() const
{
    return m_body->toPlainText();
}

QString EventDetailView::headersText() const
{
    return m_headers->toPlainText();
}

QString EventDetailView::summaryText() const
{
    return m_summary->text();
}

} // namespace activity
