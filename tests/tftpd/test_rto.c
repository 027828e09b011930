/* The learnt retransmission timeout: RFC 6298 arithmetic, floor, ceiling,
 * back-off and patience. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rto.h"

static void test_unlearnt_is_configured(void **state)
{
	struct rto r;

	rto_init(&r, 1000000);
	assert_int_equal(rto_timeout_us(&r, 0), 1000000);
	assert_int_equal(rto_timeout_us(&r, 1), 2000000);
	assert_int_equal(rto_timeout_us(&r, 3), 8000000);
	assert_int_equal(rto_timeout_us(&r, 40), 8000000);      /* no overflow */
}

static void test_samples(void **state)
{
	struct rto r;

	rto_init(&r, 1000000);
	rto_sample(&r, 100000);
	assert_int_equal(r.srtt_us, 100000);
	assert_int_equal(r.rttvar_us, 50000);
	assert_int_equal(rto_timeout_us(&r, 0), 300000);
	rto_sample(&r, 60000);          /* rttvar 3/4 50000 + 1/4 40000; srtt 7/8 + 1/8 */
	assert_int_equal(r.rttvar_us, 47500);
	assert_int_equal(r.srtt_us, 95000);
	assert_int_equal(rto_timeout_us(&r, 0), 95000 + 4 * 47500);
	for (int i = 0; i < 100; i++)   /* steady: the margin stays half the srtt */
		rto_sample(&r, 60000);
	assert_int_equal(r.srtt_us, 60000);
	assert_int_equal(rto_timeout_us(&r, 0), 90000);
	rto_sample(&r, 5000000);        /* a huge one: capped at the configured */
	assert_int_equal(rto_timeout_us(&r, 0), 1000000);
}

static void test_floor(void **state)
{
	struct rto r;

	rto_init(&r, 1000000);
	rto_sample(&r, 0);              /* below the clock's resolution */
	assert_int_equal(rto_timeout_us(&r, 0), RTO_FLOOR_US);
	assert_int_equal(rto_timeout_us(&r, 2), 4 * RTO_FLOOR_US);
	/* a configured timeout below the floor wins */
	rto_init(&r, 5000);
	rto_sample(&r, 100);
	assert_int_equal(rto_timeout_us(&r, 0), 5000);
}

static void test_patience(void **state)
{
	/* in.tftpd-like: 1 + 2 + 4 + 8 * 4 seconds for 6 retries */
	assert_int_equal(rto_patience_us(1000000, 6), 39000000);
	assert_int_equal(rto_patience_us(1000, 0), 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unlearnt_is_configured),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_floor),
		cmocka_unit_test(test_patience),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
