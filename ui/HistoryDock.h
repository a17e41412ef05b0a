#pragma once

#include <QDockWidget>

class QLabel;
class QPushButton;

namespace activity {

class ConsoleTableView;
class HistoryStore;
class HistoryTableModel;

// The local history of write actions (this console's and activity-cli's, from the shared
// database). Pending entries of earlier runs are highlighted, and a banner above the table says
// what they mean: the answer never arrived, so the webhook or subscription has to be checked.
// Another process's writes appear on reload(): when the dock is shown and on "Refresh".
class HistoryWriter;
class MessageBar;

class HistoryDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit HistoryDock(HistoryStore *store, QWidget *parent = nullptr);

    HistoryTableModel *model() const { return m_model; }
    ConsoleTableView *view() const { return m_view; }
    // The writes of this run go through `writer` (on its own thread): follow what it writes.
    void followWriter(HistoryWriter *writer);
    // When earlier runs left changes whose answer never arrived, says so in `bar` (once the event
    // loop runs) and returns true.
    bool warnOfInterruptedChanges(MessageBar *bar);
    // The banner's text; empty while it is hidden.
    QString bannerText() const;

public Q_SLOTS:
    void reload();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void updateBanner();

    HistoryStore *m_store = nullptr;
    QString m_writeProblem; // the last write the writer could not make
    HistoryTableModel *m_model = nullptr;
    ConsoleTableView *m_view = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_unavailable = nullptr;
    QPushButton *m_refresh = nullptr;
};

} // namespace activity
