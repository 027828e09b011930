/* libuv loops on threads pinned one to each CPU.
 *
 * A daemon serves each client on the loop of the CPU its packets arrive on
 * (SO_INCOMING_CPU): there, on loopback, the client itself runs, and on a
 * NIC its queue's interrupt, so replies wake the client on the same CPU
 * instead of by an interrupt to another one, and the kernel frees sent
 * buffers where they were built. The daemon owns the loops' handles and
 * what moves between loops; this module starts and pins the loops, carries
 * the daemon's objects to them, and stops and joins them. */
#ifndef PXE_CPULOOP_H
#define PXE_CPULOOP_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

/* The CPUs this process may run on, in ascending order, into cpus; how
 * many, or 0 when fewer than two (one loop serves everything then). */
unsigned cpuloop_cpus(int cpus[CPU_SETSIZE]);

/* What a daemon hands to a loop; embedded in its own object. */
struct cpuloop_item {
	struct cpuloop_item *next;
};

/* The object of type embedding item as member. */
#define CPULOOP_OWNER(item, type, member) ((type *)(void *)((char *)(item) - offsetof(type, member)))

struct cpuloop_pool;

struct cpuloop {
	struct cpuloop_pool *pool;
	int cpu;
	uv_thread_t thread;
	uv_loop_t loop;
	uv_async_t wake;               /* items in the inbox, or stop */
	struct cpuloop_item *inbox;    /* under *pool->lock */
};

/* On l's thread: the items handed to it, newest first. stop: the pool is
 * stopping and l's wake handle is closing; the daemon ends what runs on
 * l, so that its loop runs out of handles. */
typedef void cpuloop_take_cb(struct cpuloop *l, struct cpuloop_item *items, bool stop);

/* The caller sets lock (the daemon's own: it may guard more), take and
 * data, then starts the pool. */
struct cpuloop_pool {
	uv_mutex_t *lock;
	cpuloop_take_cb *take;
	void *data;
	struct cpuloop *loops;         /* one per CPU; none on one CPU */
	unsigned n_loops;
	bool stopped;                  /* under *lock */
};

/* One loop thread per CPU we may run on, named name (15 bytes shown),
 * none with fewer than two. Returns 0, or -1 with the started ones left
 * for cpuloop_pool_stop and cpuloop_pool_join. */
int cpuloop_pool_start(struct cpuloop_pool *pool, const char *name);
/* The loop pinned to cpu, or NULL. */
struct cpuloop *cpuloop_of_cpu(const struct cpuloop_pool *pool, int cpu);
/* Into l's inbox, l woken; false, and the item not taken, once stopped. */
bool cpuloop_hand(struct cpuloop *l, struct cpuloop_item *item);
/* Marks the pool stopped (also with no loops) and wakes every loop; does
 * not wait. */
void cpuloop_pool_stop(struct cpuloop_pool *pool);
/* Waits for every loop to end, then frees them. */
void cpuloop_pool_join(struct cpuloop_pool *pool);

#endif
