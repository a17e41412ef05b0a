#pragma once

#include "CrcDoctor.h"

#include <QDialog>
#include <QPointer>
#include <QUrl>

class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace activity {

// The CRC doctor of #17 in the console: one button runs the checklist against a webhook URL and
// each item shows as passed, warned, failed or skipped, with what was found and what to do (the
// selected item's whole text below the list). Non-modal; it runs as soon as it is made, and again
// on Run. The URL can be edited to diagnose any URL; X's re-validation is part of a run only while
// the URL is the registered webhook's. The environment's ACTIVITY_CRC_DOCTOR_HOSTS and
// ACTIVITY_CRC_DOCTOR_CA are applied to the options; a value that cannot be used is shown, and the
// run uses DNS and the system's certificates. Closing the dialog stops a run.
class CrcDoctorDialog : public QDialog
{
    Q_OBJECT
public:
    // `options.webhookId` (with `options.client`): the registered webhook at `url`.
    CrcDoctorDialog(QNetworkAccessManager *network, CrcDoctorOptions options, const QUrl &url,
                    QWidget *parent = nullptr);
    ~CrcDoctorDialog() override;

    // The doctor of the current (or last) run; null before the first.
    CrcDoctor *doctor() const { return m_doctor; }
    bool isRunning() const;
    // Whether the current run ends with X's re-validation of the registered webhook.
    bool includesRevalidation() const;
    QString webhookId() const { return m_webhookId; }

    QLineEdit *urlEdit() const { return m_url; }
    QSpinBox *triesBox() const { return m_tries; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *copyButton() const { return m_copy; }
    QTreeWidget *itemList() const { return m_list; }
    QLabel *summary() const { return m_summary; }
    QPlainTextEdit *detail() const { return m_detail; }
    // Why the environment's settings were not used; empty when they were (or there were none).
    QString environmentProblem() const { return m_environmentProblem; }

    // The list row of an item; -1 when the run has no such item.
    int rowOf(CrcDoctorItem::Check check) const;
    // Shows the item's title, verdict, finding and remedy below the list.
    void selectItem(CrcDoctorItem::Check check);
    // Plain text, one line per item (verdict, title, finding, remedy); never a secret.
    QString report() const;

    static QString verdictText(CrcDoctorItem::Verdict verdict);

public Q_SLOTS:
    // Runs the checklist against the URL in the line edit with the tries chosen.
    void run();
    // Stops the run going on; its items keep what they showed.
    void stop();
    void setUrl(const QString &url);
    void copyReport();

Q_SIGNALS:
    // A run ended (not emitted for one stopped by a new run or by closing).
    void runFinished();

protected:
    void done(int result) override;

private:
    void rebuildRows();
    void showItem(int index);
    void showDetail();
    void updateSummary();
    void updateScope();
    void selectWorstItem();

    QPointer<QNetworkAccessManager> m_network;
    CrcDoctorOptions m_options;
    QString m_webhookId;
    QUrl m_registeredUrl;
    QString m_environmentProblem;
    CrcDoctor *m_doctor = nullptr;

    QLineEdit *m_url = nullptr;
    QSpinBox *m_tries = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_copy = nullptr;
    QLabel *m_scope = nullptr;
    QLabel *m_environment = nullptr;
    QTreeWidget *m_list = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QLabel *m_summary = nullptr;
};

} // namespace activity
