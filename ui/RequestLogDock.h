#pragma once

#include <QDockWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace activity {

class ConsoleTableView;
class RequestLog;
class RequestLogModel;
class TableFilterProxy;
struct RequestLogEntry;

// Every call the console made (time, method, path, credential kind, status, duration, rate-limit
// remaining) with a redacted detail view and "Copy as curl". Everything shown comes from the
// RequestLog, which holds only redacted text.
class RequestLogDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit RequestLogDock(RequestLog *log, QWidget *parent = nullptr);

    RequestLogModel *model() const { return m_model; }
    ConsoleTableView *view() const { return m_view; }
    // The detail text of the selected entry ("" when none).
    QString detailText() const;
    // Copies the selected entry's redacted curl command; false when nothing is selected.
    bool copySelectedAsCurl();

private:
    void showSelected();
    static QString describe(const RequestLogEntry &entry);

    RequestLog *m_log = nullptr;
    RequestLogModel *m_model = nullptr;
    TableFilterProxy *m_proxy = nullptr;
    ConsoleTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QPushButton *m_copyCurl = nullptr;
    quint64 m_selectedId = 0;
};

} // namespace activity
