#pragma once

#include <QSocketNotifier>

#include <functional>
#include <memory>

class QObject;

namespace activity::cli {

// Ctrl+C and SIGTERM for a command that runs until it is stopped (events tail, listen, webhooks
// watch): `stop` runs on the event loop, since a signal handler may only write() to a pipe. Keep the
// notifier for as long as the command runs; null when the handlers could not be installed.
std::unique_ptr<QSocketNotifier> watchStopSignals(QObject *context, std::function<void()> stop);

} // namespace activity::cli
