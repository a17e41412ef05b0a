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

namespace {

id_t currentThreadId()
{
    return id_t(::syscall(SYS_gettid));
}

} // namespace

int currentNice()
{
    errno = 0; // -1 is a valid answer
    const int nice = ::getpriority(PRIO_PROCESS, currentThreadId());
    return errno == 0 ? nice : 0;
}

int lowerCurrentThread(int niceSteps)
{
    const int target = std::min(19, currentNice() + std::max(0, niceSteps));
    ::setpriority(PRIO_PROCESS, currentThreadId(), target); // a failure leaves it as it was
    return currentNice();
}

#else

int currentNice()
{
    return 0;
}

int lowerCurrentThread(int niceSteps)
{
    if (niceSteps > 0)
        QThread::currentThread()->setPriority(QThread::LowPriority);
    return 0;
}

#endif

} // namespace activity::threadpriority
