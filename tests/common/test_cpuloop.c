/* cpuloop: the CPU list, and a pool whose loops take what is handed to
 * them where they are pinned, under their name, and end when stopped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <pthread.h>

#include "cpuloop.h"

struct probe {
	struct cpuloop_item item;
	int cpu;                 /* where it was taken */
	char name[16];           /* the thread's name there */
	struct cpuloop *taken_by;
	bool stop_seen;
};

static void on_take(struct cpuloop *l, struct cpuloop_item *items, bool stop)
{
	for (; items; items = items->next) {
		struct probe *p = CPULOOP_OWNER(items, struct probe, item);
		p->cpu = sched_getcpu();
		pthread_getname_np(pthread_self(), p->name, sizeof p->name);
		p->taken_by = l;
	}
	if (stop)
		((struct probe *)l->pool->data)[l - l->pool->loops].stop_seen = true;
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

/* An item handed to each loop is taken on that loop's CPU, by its named
 * thread; stop reaches every loop, which then ends; nothing is taken after. */
static void test_pool(void **state)
{
	(void)state;
	int cpus[CPU_SETSIZE];
	unsigned n = cpuloop_cpus(cpus);
	struct probe probes[CPU_SETSIZE] = { 0 };
	uv_mutex_t lock;
	assert_int_equal(uv_mutex_init(&lock), 0);
	struct cpuloop_pool pool = { .lock = &lock, .take = on_take, .data = probes };
	assert_int_equal(cpuloop_pool_start(&pool, "probe"), 0);
	assert_int_equal(pool.n_loops, n);
	for (unsigned i = 0; i < n; i++) {
		probes[i].cpu = -1;
		assert_ptr_equal(cpuloop_of_cpu(&pool, cpus[i]), &pool.loops[i]);
		assert_true(cpuloop_hand(&pool.loops[i], &probes[i].item));
	}
	cpuloop_pool_stop(&pool);
	struct probe late = { 0 };
	if (n > 0)
		assert_false(cpuloop_hand(&pool.loops[0], &late.item));
	struct cpuloop *loops = pool.loops;
	cpuloop_pool_join(&pool);
	assert_int_equal(pool.n_loops, 0);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(probes[i].cpu, cpus[i]);
		assert_string_equal(probes[i].name, "probe");
		assert_ptr_equal(probes[i].taken_by, &loops[i]);
		assert_true(probes[i].stop_seen);
	}
	assert_true(pool.stopped);
	uv_mutex_destroy(&lock);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_pool),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
