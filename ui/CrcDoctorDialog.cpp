#include "CrcDoctorDialog.h"

#include "ApiClient.h"
#include "PaletteColors.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace activity {

namespace {

using Check = CrcDoctorItem::Check;
using Verdict = CrcDoctorItem::Verdict;

enum Column { TitleColumn, ResultColumn, FindingColumn, ColumnCount };
constexpr int CheckRole = Qt::UserRole;

QIcon verdictIcon(const QStyle *style, Verdict verdict)
{
    switch (verdict) {
    case Verdict::Passed:
        return style->standardIcon(QStyle::SP_DialogApplyButton);
    case Verdict::Warned:
        return style->standardIcon(QStyle::SP_MessageBoxWarning);
    case Verdict::Failed:
        return style->standardIcon(QStyle::SP_MessageBoxCritical);
    case Verdict::Skipped:
        return style->standardIcon(QStyle::SP_MediaSkipForward);
    case Verdict::Running:
        return style->standardIcon(QStyle::SP_BrowserReload);
    case Verdict::Pending:
        break;
    }
    return {};
}

// One line, so that the report keeps one line per item.
QString oneLine(QString text)
{
    return text.replace(QLatin1Char('\n'), QLatin1Char(' ')).trimmed();
}

} // namespace

CrcDoctorDialog::CrcDoctorDialog(QNetworkAccessManager *network, CrcDoctorOptions options, const QUrl &url,
                                 QWidget *parent)
    : QDialog(parent)
    , m_network(network)
    , m_options(std::move(options))
    , m_webhookId(m_options.webhookId)
{
    setObjectName(QStringLiteral("crcDoctorDialog"));
    setWindowTitle(tr("CRC Doctor"));
    setModal(false);
    if (!m_webhookId.isEmpty())
        m_registeredUrl = url;
    // Nothing is changed when a value is unusable: the run then uses DNS and the system's CAs.
    m_environmentProblem = m_options.applyEnvironment(QProcessEnvironment::systemEnvironment());

    auto *intro = new QLabel(tr("Checks the URL the way X reaches it, one item after the other: the URL, "
                                "DNS, TCP, TLS, the CRC answer and its token, latency and compression. "
                                "Each item says what was found and what to do."),
                             this);
    intro->setWordWrap(true);

    m_url = new QLineEdit(url.toString(), this);
    m_url->setObjectName(QStringLiteral("crcDoctorUrl"));
    m_url->setAccessibleName(tr("Webhook URL to diagnose"));
    m_url->setPlaceholderText(QStringLiteral("https://example.com/webhooks/x"));
    m_url->setClearButtonEnabled(true);
    m_url->setMinimumWidth(420);
    connect(m_url, &QLineEdit::textChanged, this, &CrcDoctorDialog::updateScope);

    m_tries = new QSpinBox(this);
    m_tries->setObjectName(QStringLiteral("crcDoctorTries"));
    m_tries->setAccessibleName(tr("Tries"));
    m_tries->setRange(1, 20);
    m_tries->setValue(std::clamp(m_options.tries, 1, 20));
    m_tries->setToolTip(tr("How many CRC requests are timed for the latency figures"));

    m_run = new QPushButton(tr("&Run"), this);
    m_run->setObjectName(QStringLiteral("crcDoctorRun"));
    m_run->setDefault(true); // Enter in the URL runs it
    // While a run goes on, the same button stops it (a slow endpoint takes up to a minute).
    connect(m_run, &QPushButton::clicked, this, [this] { isRunning() ? stop() : run(); });

    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    auto *triesLabel = new QLabel(tr("&Tries:"), this);
    triesLabel->setBuddy(m_tries);
    urlRow->addWidget(triesLabel);
    urlRow->addWidget(m_tries);
    urlRow->addWidget(m_run);
    auto *form = new QFormLayout;
    auto *urlLabel = new QLabel(tr("&URL:"), this);
    urlLabel->setBuddy(m_url);
    form->addRow(urlLabel, urlRow);

    m_scope = new QLabel(this);
    m_scope->setObjectName(QStringLiteral("crcDoctorScope"));
    m_scope->setWordWrap(true);
    m_scope->setTextFormat(Qt::PlainText);

    m_environment = new QLabel(this);
    m_environment->setObjectName(QStringLiteral("crcDoctorEnvironment"));
    m_environment->setWordWrap(true);
    m_environment->setTextFormat(Qt::PlainText);
    if (!m_environmentProblem.isEmpty()) {
        QPalette warning = m_environment->palette();
        warning.setColor(QPalette::WindowText, palette::negativeText(warning));
        m_environment->setPalette(warning);
        m_environment->setText(
            tr("%1 This run uses DNS and the system's certificates.").arg(m_environmentProblem));
    }
    m_environment->setVisible(!m_environmentProblem.isEmpty());

    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("crcDoctorItems"));
    m_list->setAccessibleName(tr("CRC doctor items"));
    m_list->setColumnCount(ColumnCount);
    m_list->setHeaderLabels({tr("Item"), tr("Result"), tr("Finding")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(false);
    m_list->setWordWrap(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->header()->setStretchLastSection(true);
    m_list->header()->setSectionResizeMode(TitleColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(ResultColumn, QHeaderView::ResizeToContents);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &CrcDoctorDialog::showDetail);

    // The whole finding and remedy of the selected item, wrapped: the list cuts long lines.
    m_detail = new QPlainTextEdit(this);
    m_detail->setObjectName(QStringLiteral("crcDoctorDetail"));
    m_detail->setAccessibleName(tr("Selected item: finding and what to do"));
    m_detail->setReadOnly(true);
    m_detail->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_detail->setMaximumHeight(m_detail->fontMetrics().lineSpacing() * 7);
    m_detail->setPlaceholderText(tr("Select an item to read all of what was found and what to do."));

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("crcDoctorSummary"));
    m_summary->setAccessibleName(tr("CRC doctor summary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_copy = buttons->addButton(tr("&Copy report"), QDialogButtonBox::ActionRole);
    m_copy->setObjectName(QStringLiteral("crcDoctorCopy"));
    m_copy->setAutoDefault(false);
    m_copy->setToolTip(tr("Copy every item's result, finding and remedy as plain text"));
    connect(m_copy, &QPushButton::clicked, this, &CrcDoctorDialog::copyReport);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (QPushButton *close = buttons->button(QDialogButtonBox::Close))
        close->setAutoDefault(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_scope);
    layout->addWidget(m_environment);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_detail);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    resize(820, 560);

    updateScope();
    run();
}

CrcDoctorDialog::~CrcDoctorDialog() = default; // the doctor, a child, aborts its run

bool CrcDoctorDialog::isRunning() const
{
    return m_doctor && m_doctor->isRunning();
}

bool CrcDoctorDialog::includesRevalidation() const
{
    return !m_webhookId.isEmpty() && QUrl(m_url->text().trimmed()) == m_registeredUrl;
}

QString CrcDoctorDialog::verdictText(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Pending:
        return tr("Waiting");
    case Verdict::Running:
        return tr("Running…");
    case Verdict::Passed:
        return tr("Passed");
    case Verdict::Warned:
        return tr("Warning");
    case Verdict::Failed:
        return tr("Failed");
    case Verdict::Skipped:
        return tr("Skipped");
    }
    return {};
}

void CrcDoctorDialog::run()
{
    if (m_doctor) {
        // Not deleted here: run() may be called from a slot of the old doctor's finished().
        m_doctor->abort();
        m_doctor->disconnect(this);
        m_doctor->deleteLater();
        m_doctor = nullptr;
    }
    if (!m_network) {
        m_list->clear();
        m_summary->setText(tr("Cannot run: there is no network connection."));
        return;
    }
    CrcDoctorOptions options = m_options;
    options.tries = m_tries->value();
    if (!includesRevalidation()) {
        // Another URL than the registered one: X's PUT would test the registered URL instead.
        options.webhookId.clear();
        options.client = nullptr;
    }
    m_doctor = new CrcDoctor(m_network, std::move(options), this);
    connect(m_doctor, &CrcDoctor::itemChanged, this, &CrcDoctorDialog::showItem);
    connect(m_doctor, &CrcDoctor::finished, this, [this] {
        m_run->setText(tr("Run &again"));
        updateSummary();
        selectWorstItem();
        Q_EMIT runFinished();
    });
    m_doctor->run(QUrl(m_url->text().trimmed()));
    m_run->setText(tr("&Stop"));
    rebuildRows();
}

void CrcDoctorDialog::stop()
{
    if (!isRunning())
        return;
    m_doctor->abort();
    m_run->setText(tr("Run &again"));
    updateSummary();
    m_summary->setText(tr("Stopped. %1").arg(m_summary->text()));
}

void CrcDoctorDialog::setUrl(const QString &url)
{
    m_url->setText(url);
}

int CrcDoctorDialog::rowOf(Check check) const
{
    for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
        if (m_list->topLevelItem(row)->data(TitleColumn, CheckRole).toInt() == int(check))
            return row;
    }
    return -1;
}

void CrcDoctorDialog::selectItem(Check check)
{
    const int row = rowOf(check);
    if (row >= 0)
        m_list->setCurrentItem(m_list->topLevelItem(row));
}

void CrcDoctorDialog::rebuildRows()
{
    m_list->clear();
    const QList<CrcDoctorItem> &items = m_doctor->items();
    for (int i = 0; i < items.size(); ++i) {
        auto *row = new QTreeWidgetItem(m_list);
        row->setData(TitleColumn, CheckRole, int(items[i].check));
        showItem(i);
    }
    m_detail->clear();
    updateSummary();
}

void CrcDoctorDialog::showItem(int index)
{
    if (!m_doctor || index < 0 || index >= m_doctor->items().size() || index >= m_list->topLevelItemCount())
        return;
    const CrcDoctorItem &item = m_doctor->items().at(index);
    QTreeWidgetItem *row = m_list->topLevelItem(index);
    row->setIcon(TitleColumn, verdictIcon(style(), item.verdict));
    row->setText(TitleColumn, item.title());
    row->setText(ResultColumn, verdictText(item.verdict));
    row->setText(FindingColumn, item.finding);
    row->setToolTip(FindingColumn,
                    item.remedy.isEmpty()
                        ? item.finding
                        : item.finding + QLatin1Char('\n') + tr("What to do: %1").arg(item.remedy));
    // The word says it; the colour only helps to find it.
    QPalette colours = m_list->palette();
    if (item.verdict == Verdict::Failed)
        row->setForeground(ResultColumn, palette::negativeText(colours));
    else if (item.verdict == Verdict::Passed)
        row->setForeground(ResultColumn, palette::positiveText(colours));
    else
        row->setForeground(ResultColumn, colours.color(QPalette::Text));
    if (row == m_list->currentItem())
        showDetail();
    updateSummary();
}

void CrcDoctorDialog::showDetail()
{
    const QTreeWidgetItem *row = m_list->currentItem();
    const CrcDoctorItem *item =
        row && m_doctor ? m_doctor->item(Check(row->data(TitleColumn, CheckRole).toInt())) : nullptr;
    if (!item) {
        m_detail->clear();
        return;
    }
    QStringList lines {tr("%1: %2").arg(item->title(), verdictText(item->verdict))};
    if (!item->finding.isEmpty())
        lines << item->finding;
    if (!item->remedy.isEmpty())
        lines << tr("What to do: %1").arg(item->remedy);
    m_detail->setPlainText(lines.join(QLatin1Char('\n')));
}

void CrcDoctorDialog::selectWorstItem()
{
    // The first failure (else the first warning) is what to read first.
    for (Verdict wanted : {Verdict::Failed, Verdict::Warned}) {
        const QList<CrcDoctorItem> &items = m_doctor->items();
        for (int i = 0; i < items.size() && i < m_list->topLevelItemCount(); ++i) {
            if (items[i].verdict == wanted) {
                m_list->setCurrentItem(m_list->topLevelItem(i));
                return;
            }
        }
    }
}

void CrcDoctorDialog::updateSummary()
{
    if (!m_doctor)
        return;
    const QList<CrcDoctorItem> &items = m_doctor->items();
    const auto count = [&items](Verdict verdict) {
        return int(std::count_if(items.begin(), items.end(),
                                 [verdict](const CrcDoctorItem &item) { return item.verdict == verdict; }));
    };
    if (m_doctor->isRunning()) {
        const int done = int(std::count_if(items.begin(), items.end(),
                                           [](const CrcDoctorItem &item) { return item.isDone(); }));
        m_summary->setText(tr("Checking… %1 of %2 items done.").arg(done).arg(items.size()));
        m_copy->setEnabled(false);
        return;
    }
    QStringList parts;
    if (const int n = count(Verdict::Passed))
        parts << tr("%n passed", nullptr, n);
    if (const int n = count(Verdict::Warned))
        parts << tr("%n warning(s)", nullptr, n);
    if (const int n = count(Verdict::Failed))
        parts << tr("%n failed", nullptr, n);
    if (const int n = count(Verdict::Skipped))
        parts << tr("%n skipped", nullptr, n);
    if (const int n = count(Verdict::Pending) + count(Verdict::Running))
        parts << tr("%n not run", nullptr, n);
    m_summary->setText(parts.join(QStringLiteral(", ")) + QLatin1Char('.'));
    m_copy->setEnabled(!items.isEmpty());
}

void CrcDoctorDialog::updateScope()
{
    if (includesRevalidation()) {
        m_scope->setText(tr("Webhook %1 is registered at this URL: the run ends with X's own "
                            "re-validation (PUT), which updates its state at X.")
                             .arg(m_webhookId));
    } else if (!m_webhookId.isEmpty()) {
        m_scope->setText(tr("Not the URL of webhook %1: X's re-validation is left out.").arg(m_webhookId));
    } else {
        m_scope->setText(tr("Not a registered webhook: X's re-validation is not part of the run."));
    }
}

QString CrcDoctorDialog::report() const
{
    if (!m_doctor)
        return {};
    QStringList lines {tr("CRC doctor: %1").arg(m_doctor->url().toString(QUrl::RemoveUserInfo))};
    for (const CrcDoctorItem &item : m_doctor->items()) {
        QString line = tr("%1 — %2: %3").arg(verdictText(item.verdict), item.title(), oneLine(item.finding));
        if (!item.remedy.isEmpty())
            line += QLatin1Char(' ') + tr("What to do: %1").arg(oneLine(item.remedy));
        lines << line;
    }
    lines << m_summary->text();
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void CrcDoctorDialog::copyReport()
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(report());
}

void CrcDoctorDialog::done(int result)
{
    // Closing stops the run (a hidden dialog must not keep calling the endpoint or X).
    stop();
    QDialog::done(result);
}

} // namespace activity
