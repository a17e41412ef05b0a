#include "HostResolver.h"

#include <QHostInfo>
#include <QTimer>

namespace activity {

void SystemHostResolver::lookup(const QString &host, QObject *context, std::function<void(HostLookup)> done)
{
    QHostInfo::lookupHost(host, context, [host, done = std::move(done)](const QHostInfo &info) {
        HostLookup lookup;
        lookup.host = host;
        lookup.addresses = info.addresses();
        if (info.error() != QHostInfo::NoError || lookup.addresses.isEmpty()) {
            lookup.addresses.clear();
            lookup.error = info.error() == QHostInfo::NoError ? QStringLiteral("no address records")
                                                              : info.errorString();
        }
        done(lookup);
    });
}

void StandInHostResolver::add(const QString &host, const QHostAddress &address, quint16 port)
{
    QList<Route> &routes = m_routes[host.toLower()];
    if (!address.isNull())
        routes.append({address, port});
}

bool StandInHostResolver::parse(const QString &table, QString *error)
{
    StandInHostResolver parsed;
    const QStringList entries = table.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &raw : entries) {
        const QString entry = raw.trimmed();
        const qsizetype equals = entry.indexOf(QLatin1Char('='));
        const QString name = entry.left(equals).trimmed();
        if (equals <= 0 || name.isEmpty()) {
            if (error)
                *error = QStringLiteral("\"%1\" is not name=address:port").arg(entry);
            return false;
        }
        const QString target = entry.mid(equals + 1).trimmed();
        if (target.isEmpty()) {
            parsed.m_routes[name.toLower()]; // listed as not found
            continue;
        }
        const qsizetype colon = target.lastIndexOf(QLatin1Char(':'));
        QString address = target.left(colon);
        if (address.startsWith(QLatin1Char('[')) && address.endsWith(QLatin1Char(']')))
            address = address.mid(1, address.size() - 2);
        bool portOk = false;
        const uint port = target.mid(colon + 1).toUInt(&portOk);
        QHostAddress parsedAddress;
        if (colon <= 0 || !portOk || port == 0 || port > 65535 || !parsedAddress.setAddress(address)) {
            if (error)
                *error = QStringLiteral("\"%1\" is not name=address:port").arg(entry);
            return false;
        }
        parsed.add(name, parsedAddress, quint16(port));
    }
    for (auto it = parsed.m_routes.cbegin(); it != parsed.m_routes.cend(); ++it)
        m_routes.insert(it.key(), it.value());
    return true;
}

void StandInHostResolver::lookup(const QString &host, QObject *context, std::function<void(HostLookup)> done)
{
    HostLookup lookup;
    lookup.host = host;
    lookup.standIn = true;
    const QList<Route> routes = m_routes.value(host.toLower());
    for (const Route &route : routes)
        lookup.addresses.append(route.address);
    if (!routes.isEmpty())
        lookup.port = routes.first().port;
    else
        lookup.error = QStringLiteral("not in the stand-in host table (DNS is not consulted)");
    // Later, as DNS would be: callers may rely on that.
    QTimer::singleShot(0, context, [lookup, done = std::move(done)] { done(lookup); });
}

} // namespace activity
