#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace activity {

// What a host name resolved to. `port` is 0 unless the resolver routes the name to a port of its
// own (a stand-in table does, so a test server on 127.0.0.1:PORT can play https://name/ on 443).
struct HostLookup
{
    QString host;
    QList<QHostAddress> addresses; // empty when the name did not resolve
    quint16 port = 0;
    QString error; // why not, when addresses is empty
    bool standIn = false; // a table replaced DNS: the addresses are stand-ins for public ones
};

// How the CRC doctor turns a host name into addresses. The system resolver asks DNS; a stand-in
// table answers from a fixed list and never asks DNS, so tests stay on 127.0.0.1.
class HostResolver
{
public:
    virtual ~HostResolver() = default;
    // `done` is called exactly once, later (never before lookup() returns), unless `context` is
    // destroyed first.
    virtual void lookup(const QString &host, QObject *context, std::function<void(HostLookup)> done) = 0;
};

// DNS through QHostInfo, asynchronously.
class SystemHostResolver : public HostResolver
{
public:
    void lookup(const QString &host, QObject *context, std::function<void(HostLookup)> done) override;
};

// A fixed table, name → address and port; a name not in it does not resolve. Built from
// "name=address:port[,name=address:port...]" (IPv6 addresses in brackets), the form of
// ACTIVITY_CRC_DOCTOR_HOSTS; a name mapped to nothing ("name=") is listed as not found.
class StandInHostResolver : public HostResolver
{
public:
    struct Route
    {
        QHostAddress address;
        quint16 port = 0;
    };
    void add(const QString &host, const QHostAddress &address, quint16 port);
    // Returns false (and leaves the table unchanged) when `table` is malformed; `error` says where.
    bool parse(const QString &table, QString *error = nullptr);
    bool isEmpty() const { return m_routes.isEmpty(); }

    void lookup(const QString &host, QObject *context, std::function<void(HostLookup)> done) override;

private:
    QHash<QString, QList<Route>> m_routes; // by lower-case name; an empty list = not found
};

} // namespace activity
