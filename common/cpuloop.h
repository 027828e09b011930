/* libuv loops on threads pinned one to each CPU.
 *
 * A daemon serves each client on the loop of the CPU its packets arrive on
 * (SO_INCOMING_CPU): there, on loopback, the client itself runs, and on a
 * NIC its queue's interrupt, so replies wake the client on the same CPU
 * instead of by an interrupt to another one, and the kernel frees sent
 * buffers where they were built. The daemon owns the loops' handles and
 * what moves between loops; this module only starts, pins and joins. */
#ifndef PXE_CPULOOP_H
#define PXE_CPULOOP_H

#include <sched.h>
#include <uv.h>

/* The CPUs this process may run on, in ascending order, into cpus; how
 * many, or 0 when fewer than two (one loop serves everything then). */
unsigned cpuloop_cpus(int cpus[CPU_SETSIZE]);

/* Initialises loop with wake on it (on_wake; wake->data is the caller's,
 * set before or after) and runs it on a new thread pinned to cpu, named
 * name (at most 15 bytes shown). Returns 0, or -1 with nothing left open. */
int cpuloop_start(uv_thread_t *thread, uv_loop_t *loop, uv_async_t *wake, uv_async_cb on_wake,
		  int cpu, const char *name);

/* Waits for the thread's loop to run out of handles, then closes it. */
void cpuloop_join(uv_thread_t *thread, uv_loop_t *loop);

#endif
