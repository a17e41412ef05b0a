#pragma once

#include "Validation.h"

#include <QDateTime>
#include <QDialog>

#include <functional>

class QDateTimeEdit;
class QLabel;
class QPushButton;
class QTimer;

namespace activity {

struct ApiError;

// Asks for a replay window as local date-times, shows the UTC values that will be sent
// (yyyymmddhhmm) and checks them live against the rules of the profile's API generation. Submit
// stays disabled, with the reason on show, while the window is not allowed.
class ReplayDialog : public QDialog
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>; // UTC now; injectable for tests

    ReplayDialog(ApiGeneration generation, const QString &webhookLabel, Clock clock = {},
                 QWidget *parent = nullptr);

    QDateTime fromUtc() const;
    QDateTime toUtc() const;
    void setWindow(const QDateTime &from, const QDateTime &to);
    bool canSubmit() const;
    QString problem() const;
    QString rulesText() const;
    // Which minutes the window replays, in UTC ("12:00 up to and including 13:59").
    QString coverageText() const;
    // Non-blocking advice (a window longer than X recommends); empty when there is none.
    QString adviceText() const;

    void setBusy(bool busy);
    void showServerProblem(const ApiError &error);

Q_SIGNALS:
    void replayRequested(const QDateTime &fromUtc, const QDateTime &toUtc);

private:
    QDateTime now() const;
    void revalidate();
    void submit();

    ApiGeneration m_generation;
    Clock m_clock;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QLabel *m_fromUtc = nullptr;
    QLabel *m_toUtc = nullptr;
    QLabel *m_rules = nullptr;
    QLabel *m_coverage = nullptr;
    QLabel *m_advice = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_submit = nullptr;
    QTimer *m_recheck = nullptr;
    bool m_valid = false;
    bool m_busy = false;
};

} // namespace activity
