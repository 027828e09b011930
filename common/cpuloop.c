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

int cpuloop_start(uv_thread_t *thread, uv_loop_t *loop, uv_async_t *wake, uv_async_cb on_wake,
		  int cpu, const char *name)
{
	struct start *st = malloc(sizeof *st);

	if (!st || uv_loop_init(loop) != 0) {
		free(st);
		return -1;
	}
	*st = (struct start){ loop, cpu, "" };
	snprintf(st->name, sizeof st->name, "%s", name);
	if (uv_async_init(loop, wake, on_wake) != 0) {
		free(st);
		uv_loop_close(loop);
		return -1;
	}
	if (uv_thread_create(thread, run_loop, st) != 0) {
		free(st);
		uv_close((uv_handle_t *)wake, NULL);
		uv_run(loop, UV_RUN_DEFAULT);   /* runs the close */
		uv_loop_close(loop);
		return -1;
	}
	return 0;
}

void cpuloop_join(uv_thread_t *thread, uv_loop_t *loop)
{
	uv_thread_join(thread);
	uv_loop_close(loop);
}
