#pragma once

namespace activity::threadpriority {

// Lowers the calling thread's CPU priority by `niceSteps` (Linux nice levels, capped at 19), so the
// threads that answer people and senders get the cores first when they are all busy. Linux gives
// each thread its own nice value (setpriority on the thread id) and lowering it needs no privilege;
// it cannot be raised again. Elsewhere QThread's LowPriority. Returns the thread's nice value after
// the change (0 where there is none).
int lowerCurrentThread(int niceSteps);

// The calling thread's nice value (Linux), 0 elsewhere.
int currentNice();

} // namespace activity::threadpriority
