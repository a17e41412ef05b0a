#include "ThreadPriority.h"

#include <QThread>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace activity::threadpriority {

#ifdef Q_OS_LINUX

void lowerCurrentThread(int niceSteps)
{
    const id_t thread = id_t(::syscall(SYS_gettid));
    errno = 0; // -1 is a valid nice value
    const int nice = ::getpriority(PRIO_PROCESS, thread);
    if (errno != 0 || niceSteps <= 0)
        return;
    ::setpriority(PRIO_PROCESS, thread, std::min(19, nice + niceSteps)); // a failure leaves it as it was
}

#else

void lowerCurrentThread(int niceSteps)
{
    if (niceSteps > 0)
        QThread::currentThread()->setPriority(QThread::LowPriority);
}

#endif

} // namespace activity::threadpriority
