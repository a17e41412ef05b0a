#include "FaultInjector.h"

namespace activity::sandbox {

QString Fault::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Latency:
        return QStringLiteral("latency");
    case Kind::Status:
        return QStringLiteral("status");
    case Kind::DropConnection:
        return QStringLiteral("drop-connection");
    case Kind::TruncatedJson:
        return QStringLiteral("truncated-json");
    case Kind::MalformedJson:
        return QStringLiteral("malformed-json");
    case Kind::WrongContentType:
        return QStringLiteral("wrong-content-type");
    case Kind::OversizedBody:
        return QStringLiteral("oversized-body");
    case Kind::SlowBody:
        return QStringLiteral("slow-body");
    case Kind::Answer:
        return QStringLiteral("answer");
    }
    return {};
}

static QRegularExpression globToRegex(const QString &pattern)
{
    // Qt 6.4's wildcardToRegularExpression treats '*' as "not '/'"; paths need '*' to span segments.
    QString regex;
    for (const QChar c : pattern)
        regex += c == QLatin1Char('*') ? QStringLiteral(".*") : QRegularExpression::escape(QString(c));
    return QRegularExpression(QRegularExpression::anchoredPattern(regex));
}

int FaultInjector::add(Rule rule, const QString &pathPattern)
{
    rule.id = m_nextId++;
    rule.path = globToRegex(pathPattern);
    rule.method = rule.method.toUpper();
    m_rules.append(std::move(rule));
    return m_rules.last().id;
}

int FaultInjector::forNext(int count, const QByteArray &method, const QString &pathPattern,
                           const Fault &fault)
{
    Rule rule;
    rule.method = method;
    rule.fault = fault;
    rule.remaining = qMax(0, count);
    return add(std::move(rule), pathPattern);
}

int FaultInjector::always(const QByteArray &method, const QString &pathPattern, const Fault &fault)
{
    Rule rule;
    rule.method = method;
    rule.fault = fault;
    return add(std::move(rule), pathPattern);
}

int FaultInjector::random(double probability, quint32 seed, const QByteArray &method,
                          const QString &pathPattern, const Fault &fault)
{
    Rule rule;
    rule.method = method;
    rule.fault = fault;
    rule.probability = qBound(0.0, probability, 1.0);
    rule.random.seed(seed);
    return add(std::move(rule), pathPattern);
}

void FaultInjector::remove(int id)
{
    m_rules.removeIf([id](const Rule &rule) { return rule.id == id; });
}

void FaultInjector::clear()
{
    m_rules.clear();
}

std::optional<Fault> FaultInjector::take(const QByteArray &method, const QString &path)
{
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        Rule &rule = m_rules[i];
        if (rule.remaining == 0)
            continue;
        if (!rule.method.isEmpty() && rule.method != method.toUpper())
            continue;
        if (!rule.path.match(path).hasMatch())
            continue;
        if (rule.probability < 1.0 && rule.random.generateDouble() >= rule.probability)
            continue;
        const Fault fault = rule.fault;
        if (rule.remaining > 0 && --rule.remaining == 0)
            m_rules.removeAt(i);
        return fault;
    }
    return std::nullopt;
}

} // namespace activity::sandbox
