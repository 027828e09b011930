/* cpuloop: the CPU list, and a loop thread that runs where it is pinned,
 * under its name, wakes for its async handle and ends when it has none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <pthread.h>

#include "cpuloop.h"

struct probe {
	uv_async_t wake;
	int cpu;                 /* where the callback ran */
	char name[16];           /* the thread's name there */
};

static void on_wake(uv_async_t *async)
{
	struct probe *p = async->data;
	p->cpu = sched_getcpu();
	pthread_getname_np(pthread_self(), p->name, sizeof p->name);
	uv_close((uv_handle_t *)async, NULL);   /* the loop's last handle: it ends */
}

static void test_cpus(void **state)
{
	(void)state;
	int cpus[CPU_SETSIZE];
	cpu_set_t set;
	assert_int_equal(sched_getaffinity(0, sizeof set, &set), 0);
	unsigned n = cpuloop_cpus(cpus);
	if (CPU_COUNT(&set) < 2) {
		assert_int_equal(n, 0);
		return;
	}
	assert_int_equal(n, (unsigned)CPU_COUNT(&set));
	for (unsigned i = 0; i < n; i++) {
		assert_true(CPU_ISSET(cpus[i], &set));
		if (i > 0)
			assert_true(cpus[i] > cpus[i - 1]);
	}
}

static void test_thread_pinned_named(void **state)
{
	(void)state;
	int cpus[CPU_SETSIZE];
	unsigned n = cpuloop_cpus(cpus);
	if (n == 0)
		skip();
	for (unsigned i = 0; i < n; i++) {
		struct probe p = { .cpu = -1 };
		uv_thread_t thread;
		uv_loop_t loop;
		p.wake.data = &p;
		assert_int_equal(cpuloop_start(&thread, &loop, &p.wake, on_wake, cpus[i], "probe"), 0);
		assert_int_equal(uv_async_send(&p.wake), 0);
		cpuloop_join(&thread, &loop);
		assert_int_equal(p.cpu, cpus[i]);
		assert_string_equal(p.name, "probe");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_thread_pinned_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
