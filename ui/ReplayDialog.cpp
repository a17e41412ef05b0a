#include "ReplayDialog.h"

#include "ApiError.h"
#include "PaletteColors.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace activity {

namespace {

QDateTime toMinute(const QDateTime &time)
{
    QDateTime utc = time.toUTC();
    utc.setTime(QTime(utc.time().hour(), utc.time().minute()));
    return utc;
}

QLabel *plainLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    return label;
}

} // namespace

ReplayDialog::ReplayDialog(ApiGeneration generation, const QString &webhookLabel, Clock clock,
                           QWidget *parent)
    : QDialog(parent)
    , m_generation(generation)
    , m_clock(std::move(clock))
{
    setObjectName(QStringLiteral("replayDialog"));
    setWindowTitle(tr("Replay events"));

    auto *intro = new QLabel(tr("Re-send the events X delivered (or tried to deliver) to %1 in this window. "
                                "Completion arrives later as a replay_job_status event.")
                                 .arg(webhookLabel),
                             this);
    intro->setTextFormat(Qt::PlainText); // the webhook's URL, as X lists it
    intro->setWordWrap(true);

    auto makeEdit = [this](const QString &name, const QString &accessible) {
        auto *edit = new QDateTimeEdit(this);
        edit->setObjectName(name);
        edit->setAccessibleName(accessible);
        edit->setTimeSpec(Qt::LocalTime);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setCalendarPopup(true);
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &ReplayDialog::revalidate);
        return edit;
    };
    m_from = makeEdit(QStringLiteral("replayFrom"), tr("From (local time)"));
    m_to = makeEdit(QStringLiteral("replayTo"), tr("To (local time)"));
    m_fromUtc = new QLabel(this);
    m_fromUtc->setObjectName(QStringLiteral("replayFromUtc"));
    m_toUtc = new QLabel(this);
    m_toUtc->setObjectName(QStringLiteral("replayToUtc"));

    auto *form = new QFormLayout;
    auto *fromLabel = new QLabel(tr("&From (local):"), this);
    fromLabel->setBuddy(m_from);
    auto *toLabel = new QLabel(tr("&To (local):"), this);
    toLabel->setBuddy(m_to);
    form->addRow(fromLabel, m_from);
    form->addRow(tr("Sent as:"), m_fromUtc);
    form->addRow(toLabel, m_to);
    form->addRow(tr("Sent as:"), m_toUtc);

    m_coverage = plainLabel(QStringLiteral("replayCoverage"), this);
    form->addRow(tr("Replays:"), m_coverage);

    // One text for the console and activity-cli replay --help.
    m_rules = plainLabel(QStringLiteral("replayRules"), this);
    m_rules->setText(validate::ReplayRules::forGeneration(generation).description());

    m_advice = plainLabel(QStringLiteral("replayAdvice"), this);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("replayProblem"));
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setAccessibleName(tr("Why this window is not allowed"));
    m_problem->setWordWrap(true);
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::WindowText, palette::negativeText(problemPalette));
    m_problem->setPalette(problemPalette);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_submit = buttons->addButton(tr("&Submit replay"), QDialogButtonBox::AcceptRole);
    m_submit->setObjectName(QStringLiteral("replaySubmit"));
    m_submit->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &ReplayDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_rules);
    layout->addWidget(m_advice);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);

    setMinimumWidth(520);

    // A window that suits every generation: about two hours, ending a quarter of an hour ago.
    const QDateTime to = toMinute(now()).addSecs(-15 * 60);
    setWindow(to.addSecs(-2 * 3600), to);

    // The rules are relative to now: re-check while the dialog is open.
    m_recheck = new QTimer(this);
    m_recheck->setInterval(std::chrono::seconds(30));
    connect(m_recheck, &QTimer::timeout, this, &ReplayDialog::revalidate);
    m_recheck->start();
}

QDateTime ReplayDialog::now() const
{
    return m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
}

QDateTime ReplayDialog::fromUtc() const
{
    return toMinute(m_from->dateTime());
}

QDateTime ReplayDialog::toUtc() const
{
    return toMinute(m_to->dateTime());
}

void ReplayDialog::setWindow(const QDateTime &from, const QDateTime &to)
{
    m_from->setDateTime(from.toLocalTime());
    m_to->setDateTime(to.toLocalTime());
    revalidate();
}

bool ReplayDialog::canSubmit() const
{
    return m_valid && !m_busy;
}

QString ReplayDialog::problem() const
{
    return m_problem->text();
}

QString ReplayDialog::rulesText() const
{
    return m_rules->text();
}

QString ReplayDialog::coverageText() const
{
    return m_coverage->text();
}

QString ReplayDialog::adviceText() const
{
    return m_advice->text();
}

void ReplayDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_from->setReadOnly(busy);
    m_to->setReadOnly(busy);
    m_submit->setEnabled(canSubmit());
}

void ReplayDialog::showServerProblem(const ApiError &error)
{
    setBusy(false);
    m_problem->setText(error.remedy.isEmpty() ? error.cause : error.cause + QLatin1Char(' ') + error.remedy);
}

void ReplayDialog::revalidate()
{
    const QDateTime from = fromUtc();
    const QDateTime to = toUtc();
    m_fromUtc->setText(tr("from_date=%1 (UTC)").arg(validate::formatReplayTime(from)));
    m_toUtc->setText(tr("to_date=%1 (UTC)").arg(validate::formatReplayTime(to)));
    if (from < to)
        m_coverage->setText(tr("%1 up to and including %2 UTC (the end minute %3 is not replayed)")
                                .arg(from.toString(QStringLiteral("yyyy-MM-dd hh:mm")),
                                     to.addSecs(-60).toString(QStringLiteral("yyyy-MM-dd hh:mm")),
                                     to.toString(QStringLiteral("hh:mm"))));
    else
        m_coverage->setText(tr("nothing: the end must come after the start"));
    m_advice->setText(validate::replayWindowAdvice(m_generation, from, to));
    if (const auto error = validate::replayWindow(m_generation, from, to, toMinute(now()))) {
        m_valid = false;
        m_problem->setText(error->remedy.isEmpty() ? error->cause
                                                   : error->cause + QLatin1Char(' ') + error->remedy);
    } else {
        m_valid = true;
        m_problem->clear();
    }
    m_submit->setEnabled(canSubmit());
}

void ReplayDialog::submit()
{
    revalidate();
    if (!canSubmit())
        return;
    setBusy(true);
    Q_EMIT replayRequested(fromUtc(), toUtc());
}

} // namespace activity
