/* Pinned loop threads; see cpuloop.h. */
#include "cpuloop.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

unsigned cpuloop_cpus(int cpus[CPU_SETSIZE])
{
	cpu_set_t set;
	unsigned n = 0;

	if (sched_getaffinity(0, sizeof set, &set) != 0 || CPU_COUNT(&set) < 2)
		return 0;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			cpus[n++] = cpu;
	return n;
}

struct start {
	uv_loop_t *loop;
	int cpu;
	char name[16];
};

/* Pinned before the loop runs anything. */
static void run_loop(void *arg)
{
	struct start st = *(struct start *)arg;
	cpu_set_t one;

	free(arg);
	CPU_ZERO(&one);
	CPU_SET(st.cpu, &one);
	/* Refused (a cpuset changed under us): still right, only dearer. */
	(void)pthread_setaffinity_np(pthread_self(), sizeof one, &one);
	(void)pthread_setname_np(pthread_self(), st.name);
	uv_run(st.loop, UV_RUN_DEFAULT);
}

static void on_wake(uv_async_t *async)
{
	struct cpuloop *l = async->data;
	struct cpuloop_pool *pool = l->pool;

	uv_mutex_lock(pool->lock);
	struct cpuloop_item *items = l->inbox;
	bool stop = pool->stopped;
	l->inbox = NULL;
	uv_mutex_unlock(pool->lock);
	if (stop)
		uv_close((uv_handle_t *)&l->wake, NULL);
	pool->take(l, items, stop);
}

static int loop_start(struct cpuloop *l, const char *name)
{
	struct start *st = malloc(sizeof *st);

	if (!st || uv_loop_init(&l->loop) != 0) {
		free(st);
		return -1;
	}
	*st = (struct start){ &l->loop, l->cpu, "" };
	snprintf(st->name, sizeof st->name, "%s", name);
	l->wake.data = l;
	if (uv_async_init(&l->loop, &l->wake, on_wake) != 0) {
		free(st);
		uv_loop_close(&l->loop);
		return -1;
	}
	if (uv_thread_create(&l->thread, run_loop, st) != 0) {
		free(st);
		uv_close((uv_handle_t *)&l->wake, NULL);
		uv_run(&l->loop, UV_RUN_DEFAULT);   /* runs the close */
		uv_loop_close(&l->loop);
		return -1;
	}
	return 0;
}

int cpuloop_pool_start(struct cpuloop_pool *pool, const char *name)
{
	int cpus[CPU_SETSIZE];
	unsigned n = cpuloop_cpus(cpus);

	if (n == 0)
		return 0;
	pool->loops = calloc(n, sizeof *pool->loops);
	if (!pool->loops)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		struct cpuloop *l = &pool->loops[i];
		*l = (struct cpuloop){ .pool = pool, .cpu = cpus[i] };
		if (loop_start(l, name) != 0)
			return -1;
		pool->n_loops++;
	}
	return 0;
}

struct cpuloop *cpuloop_of_cpu(const struct cpuloop_pool *pool, int cpu)
{
	for (unsigned i = 0; i < pool->n_loops; i++)
		if (pool->loops[i].cpu == cpu)
			return &pool->loops[i];
	return NULL;
}

bool cpuloop_hand(struct cpuloop *l, struct cpuloop_item *item)
{
	uv_mutex_lock(l->pool->lock);
	bool taken = !l->pool->stopped;
	if (taken) {
		item->next = l->inbox;
		l->inbox = item;
		uv_async_send(&l->wake);   /* under the lock: wake is closed once stopped is seen */
	}
	uv_mutex_unlock(l->pool->lock);
	return taken;
}

void cpuloop_pool_stop(struct cpuloop_pool *pool)
{
	uv_mutex_lock(pool->lock);
	pool->stopped = true;
	for (unsigned i = 0; i < pool->n_loops; i++)
		uv_async_send(&pool->loops[i].wake);
	uv_mutex_unlock(pool->lock);
}

void cpuloop_pool_join(struct cpuloop_pool *pool)
{
	for (unsigned i = 0; i < pool->n_loops; i++) {
		uv_thread_join(&pool->loops[i].thread);
		uv_loop_close(&pool->loops[i].loop);
	}
	free(pool->loops);
	pool->loops = NULL;
	pool->n_loops = 0;
}
