#pragma once

namespace activity::threadpriority {

// Lowers the calling thread's CPU priority by `niceSteps` (Linux nice levels, capped at 19), so the
// threads that answer people and senders get the cores first when they are all busy. Linux gives
// each thread its own nice value (setpriority on the thread id) and lowering it needs no privilege;
// it cannot be raised again. Elsewhere QThread's LowPriority.
void lowerCurrentThread(int niceSteps);

} // namespace activity::threadpriority
