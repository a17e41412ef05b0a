#pragma once

#include "ApiError.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTextStream>

class QIODevice;

// Everything activity-cli prints goes through here: human-readable text and tables on stdout by
// default, one JSON document on stdout with --json; errors (cause and remedy) always on stderr.
// Much of it comes from outside (server messages and bodies, URLs, a tested endpoint's answer), so
// every text is passed through terminalSafe() on its way out.
namespace activity::cli {

// The text without the characters a terminal acts on: every control character but newline and
// tab (C0 such as ESC, CR and BEL, DEL, and C1 such as CSI and OSC) is dropped, so no ANSI or OSC
// sequence from a server can move the cursor, rewrite lines, retitle the window or set a link.
QString terminalSafe(const QString &text);

class Output
{
public:
    // `out` and `err` are the process's stdout and stderr, or a test's buffers.
    Output(bool json, QIODevice *out, QIODevice *err);

    bool json() const { return m_json; }
    void line(const QString &text);
    void table(const QStringList &headers, const QList<QStringList> &rows);
    // C0 controls are escaped by JSON itself; DEL and C1 are written as \u escapes too.
    void document(const QJsonObject &object);
    // One compact JSON object on a line of its own (a stream of them: listen --json).
    void jsonLine(const QJsonObject &object);
    void error(const QString &text);
    // Cause and remedy on stderr; with --json also {"error":{...}} on stdout.
    void apiError(const ApiError &error);
    // A line on stderr as it is (--verbose, instructions), and a prompt without a newline.
    void note(const QString &text);
    void prompt(const QString &text);

    static QJsonObject errorObject(const ApiError &error);

private:
    bool m_json;
    QTextStream m_out;
    QTextStream m_err;
};

// 0 ok, 1 the API refused, 2 usage, 3 network/TLS/timeout, 4 credentials.
int exitCodeFor(const ApiError &error);

} // namespace activity::cli
