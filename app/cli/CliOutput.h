#pragma once

#include "ApiError.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <cstdio>

// Everything activity-cli prints goes through here: human-readable text and tables on stdout by
// default, one JSON document on stdout with --json; errors (cause and remedy) always on stderr.
namespace activity::cli {

class Output
{
public:
    explicit Output(bool json, FILE *out = stdout, FILE *err = stderr);

    bool json() const { return m_json; }
    void line(const QString &text);
    void table(const QStringList &headers, const QList<QStringList> &rows);
    void document(const QJsonObject &object);
    void error(const QString &text);
    // Cause and remedy on stderr; with --json also {"error":{...}} on stdout.
    void apiError(const ApiError &error);

    static QJsonObject errorObject(const ApiError &error);

private:
    bool m_json;
    QTextStream m_out;
    QTextStream m_err;
};

// 0 ok, 1 the API refused, 2 usage, 3 network/TLS/timeout, 4 credentials.
int exitCodeFor(const ApiError &error);

} // namespace activity::cli
