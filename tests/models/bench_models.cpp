// Figures for the subscriptions table at 100,000 rows. Prints "BENCH name: value unit" lines and
// never fails on timing: compare Debug and Release builds by reading the output.
#include "BenchSupport.h"
#include "SubscriptionFilterProxy.h"
#include "SubscriptionTableModel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSortFilterProxyModel>

#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <cstdio>

using namespace activity;

namespace {
using benchsupport::report;
using benchsupport::reportKeystrokes;
using benchsupport::Stopwatch;
constexpr int kRows = 100'000;
constexpr int kBatch = 100;

void report(const QByteArray &name, const Stopwatch &watch)
{
    report(name.constData(), watch.wallMs(), "ms");
    report(QByteArray(name).append(" [cpu]").constData(), watch.cpuMs(), "ms");
}

size_t heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd; // large blocks (the row array) are mmapped and counted apart
}

QString userId(int i)
{
    return QString::number(1'200'000'000'000'000'000LL + qint64(i) * 7);
}

// Usernames are spread over the rows so that a filter result is scattered, as with real data.
UserInfo userFor(int i)
{
    const int n = int((qint64(i) * 7919) % kRows);
    return UserInfo {userId(i), QStringLiteral("user%1").arg(n),
                     QStringLiteral("Person %1 of Example Town").arg(n % 9973)};
}

// What the standard QSortFilterProxyModel would do with the same search strings: the baseline.
class PlainSortFilterProxy : public QSortFilterProxyModel
{
public:
    void setNeedle(const QString &needle)
    {
        m_needle = needle.toCaseFolded();
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        if (m_needle.isEmpty())
            return true;
        return sourceModel()
            ->index(row, 0, parent)
            .data(SubscriptionTableModel::SearchTextRole)
            .toString()
            .contains(m_needle);
    }

private:
    QString m_needle;
};

// Types `word` one character at a time, then deletes it again, timing each step.
template<typename SetText> void keystrokes(const char *label, const QString &word, SetText setText)
{
    QList<double> wall;
    QList<double> cpu;
    auto step = [&](const QString &text) {
        const Stopwatch watch;
        setText(text);
        wall.append(watch.wallMs());
        cpu.append(watch.cpuMs());
    };
    for (qsizetype i = 1; i <= word.size(); ++i)
        step(word.left(i));
    for (qsizetype i = word.size() - 1; i >= 0; --i)
        step(word.left(i));
    reportKeystrokes(label, wall, cpu, "max");
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
#ifdef NDEBUG
    std::printf("BENCH build: release (NDEBUG)\n");
#else
    std::printf("BENCH build: debug\n");
#endif
    std::printf("BENCH rows: %d\n", kRows);
    // The heap is measured with the id list and the lookup answers freed again, as in the console,
    // so the strings the model keeps count towards it.
    const size_t heapBefore = heapInUse();
    SubscriptionTableModel model;
    SubscriptionFilterProxy proxy;
    proxy.setSourceModel(&model);

    Stopwatch timer;
    {
        QStringList ids;
        ids.reserve(kRows);
        for (int i = 0; i < kRows; ++i)
            ids.append(userId(i));
        timer.restart();
        model.setUserIds(ids);
        report(QByteArrayLiteral("setUserIds 100000 (through the proxy)"), timer);
    }
    const size_t heapIds = heapInUse();

    // Names arrive as lookups of 100 would answer them.
    timer.restart();
    int batches = 0;
    for (;;) {
        const QStringList next = model.userIdsWithoutNames(kBatch);
        if (next.isEmpty())
            break;
        QList<UserInfo> answer;
        answer.reserve(next.size());
        for (const QString &id : next)
            answer.append(userFor(int((id.toLongLong() - userId(0).toLongLong()) / 7)));
        model.applyUsers(answer);
        ++batches;
    }
    // Includes making the answers, as a parser would.
    report(QByteArrayLiteral("applyUsers all names total"), timer);
    report("applyUsers per batch of 100", timer.wallMs() / batches, "ms");
    report("applyUsers per batch of 100 [cpu]", timer.cpuMs() / batches, "ms");
    const size_t heapNames = heapInUse();
    report("memory per row, ids only (rows, strings, id hash, proxy maps)",
           double(heapIds - heapBefore) / kRows, "bytes");
    report("memory per row, with names", double(heapNames - heapBefore) / kRows, "bytes");
    report("memory for 100000 rows with names", double(heapNames - heapBefore) / (1024.0 * 1024.0), "MiB");

    const QString word = QStringLiteral("user12");
    // rowCount() is what a view asks first; both proxies are timed up to that answer.
    keystrokes("filter unsorted", word, [&](const QString &text) {
        proxy.setFilterText(text);
        (void)proxy.rowCount();
    });
    proxy.setFilterText(word);
    std::printf("BENCH rows matching \"user12\": %d rows\n", proxy.rowCount());
    proxy.setFilterText({});

    timer.restart();
    proxy.sort(int(SubscriptionTableModel::Column::Name));
    report(QByteArrayLiteral("sort by name"), timer);
    timer.restart();
    proxy.sort(int(SubscriptionTableModel::Column::Username), Qt::DescendingOrder);
    report(QByteArrayLiteral("sort by username, descending"), timer);
    timer.restart();
    proxy.sort(int(SubscriptionTableModel::Column::UserId));
    report(QByteArrayLiteral("sort by id"), timer);
    proxy.sort(int(SubscriptionTableModel::Column::Name));
    keystrokes("filter sorted by name", word, [&](const QString &text) {
        proxy.setFilterText(text);
        (void)proxy.rowCount();
    });

    // Names changing while sorted: one batch of 100 and the re-sort it triggers.
    {
        QList<UserInfo> renamed;
        for (int i = 0; i < kBatch; ++i) {
            UserInfo user = userFor(i * 997);
            user.name = QStringLiteral("Renamed %1").arg(i);
            renamed.append(user);
        }
        timer.restart();
        model.applyUsers(renamed);
        QCoreApplication::processEvents();
        report(QByteArrayLiteral("rename 100 rows while sorted by name (incl. re-sort)"), timer);
    }

    {
        QStringList gone;
        for (int i = 0; i < 1000; ++i)
            gone.append(userId(i * 97));
        timer.restart();
        model.removeUserIds(gone);
        report(QByteArrayLiteral("removeUserIds 1000 scattered (sorted proxy attached)"), timer);
    }
    proxy.sort(-1);

    // The baseline, on the same model.
    PlainSortFilterProxy plain;
    timer.restart();
    plain.setSourceModel(&model);
    (void)plain.rowCount();
    report(QByteArrayLiteral("QSortFilterProxyModel baseline: attach"), timer);
    keystrokes("QSortFilterProxyModel baseline", word, [&](const QString &text) {
        plain.setNeedle(text);
        (void)plain.rowCount();
    });
    plain.setNeedle({});
    timer.restart();
    plain.sort(int(SubscriptionTableModel::Column::Name));
    report(QByteArrayLiteral("QSortFilterProxyModel baseline: sort by name"), timer);
    return 0;
}
