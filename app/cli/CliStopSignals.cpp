#include "CliStopSignals.h"

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace activity::cli {

namespace {

// The signals reach the event loop through a pipe: a signal handler may only write().
int stopPipe[2] = {-1, -1};

extern "C" void onStopSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(stopPipe[1], &byte, 1);
}

bool installStopHandlers()
{
    if (stopPipe[0] < 0 && ::pipe2(stopPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

} // namespace

std::unique_ptr<QSocketNotifier> watchStopSignals(QObject *context, std::function<void()> stop)
{
    if (!installStopHandlers())
        return nullptr;
    auto notifier = std::make_unique<QSocketNotifier>(stopPipe[0], QSocketNotifier::Read);
    QObject::connect(notifier.get(), &QSocketNotifier::activated, context, [stop = std::move(stop)] {
        char drained[16];
        while (::read(stopPipe[0], drained, sizeof(drained)) > 0) { }
        stop();
    });
    return notifier;
}

} // namespace activity::cli
