#pragma once
// Starting a thread on a core other than the caller's.
#include <pthread.h>

/// Starts `body(argument)` on a new thread (joinable unless `detached`; its id in `thread`). Returns
/// pthread_create's result (0 on success).
///
/// The new thread is created allowed only on the cores the process may use other than the caller's, and
/// widens itself back to all of them before `body` runs. Created plainly, a thread that starts while its
/// creator keeps running was placed on the creator's core and waited there for the scheduler's next
/// balancing tick: 1.5 to 3.8 ms on the two-core virtual machines measured, where it started in about
/// 0.1 ms this way. With one core allowed, when the cores cannot be read, or when the narrowed set is
/// refused, it is created plainly.
int keywarden_thread_start(void *(*body)(void *), void *argument, int detached, pthread_t *thread);

/// The calling thread's allowed cores as the raw bytes of its `cpu_set_t` (up to `size` bytes into `out`);
/// the number of bytes written, or -1 when they cannot be read. For tests.
long keywarden_thread_allowed_cores(unsigned char *out, size_t size);
