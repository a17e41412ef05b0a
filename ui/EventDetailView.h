#pragma once

#include "EventStore.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;

namespace activity {

// One event of the Events pane in full: what identifies it, its body pretty-printed (the raw text
// when it is not JSON) and the headers the store kept. It holds the body of the one event shown
// only; the pane reads it from the EventStore by row id when the selection moves.
class EventDetailView : public QWidget
{
    Q_OBJECT
public:
    explicit EventDetailView(QWidget *parent = nullptr);

    // Empty: nothing selected, or the event is no longer in the store.
    void setEvent(const std::optional<StoredEvent> &event);
    bool hasEvent() const { return m_event.has_value(); }
    const std::optional<StoredEvent> &event() const { return m_event; }
    QString bodyText() const;
    QString headersText() const;
    QString summaryText() const;

    // The body as JSON with QJsonDocument::Indented; not JSON: the bytes as UTF-8 text.
    static QString prettyBody(const QByteArray &body);
    // One "name: value" line per kept header, in name order.
    static QString headersAsText(const QJsonObject &headers);

private:
    std::optional<StoredEvent> m_event;
    QLabel *m_summary = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QPlainTextEdit *m_headers = nullptr;
};

} // namespace activity
