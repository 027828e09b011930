/* The receiving state machine (WRQ) and netascii decoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "recv.h"

static void assert_step(struct recv_step s, bool store, bool ack, bool done)
{
	assert_int_equal(s.store, store);
	assert_int_equal(s.send_ack, ack);
	assert_int_equal(s.done, done);
}

static void test_lockstep(void **state)
{
	struct xfer_recv r;

	xrecv_init(&r, 512, 1, 5, false);
	assert_step(xrecv_on_data(&r, 1, 512), true, true, false);
	assert_step(xrecv_on_data(&r, 2, 100), true, true, true);
	assert_int_equal(r.received, 2);
	assert_int_equal(xrecv_bytes(&r), 612);
	/* the client lost our last ACK and sends block 2 again, and again */
	assert_step(xrecv_on_data(&r, 2, 100), false, true, false);
	assert_step(xrecv_on_data(&r, 2, 100), false, true, false);
	assert_int_equal(xrecv_bytes(&r), 612);
}

static void test_window(void **state)
{
	struct xfer_recv r;

	xrecv_init(&r, 100, 4, 5, true);
	assert_int_equal(xrecv_on_timeout(&r), RECV_RESEND_OACK);
	assert_step(xrecv_on_data(&r, 1, 100), true, false, false);
	assert_int_equal(xrecv_on_timeout(&r), RECV_RESEND_ACK);
	assert_step(xrecv_on_data(&r, 2, 100), true, false, false);
	/* block 3 lost: block 4 is a gap, acknowledged at once with 2, once */
	assert_step(xrecv_on_data(&r, 4, 100), false, true, false);
	assert_step(xrecv_on_data(&r, 4, 100), false, false, false);
	assert_step(xrecv_on_data(&r, 2, 100), false, false, false);
	assert_int_equal(r.received, 2);
	/* the window counts from that ACK: 3..6 */
	assert_step(xrecv_on_data(&r, 3, 100), true, false, false);
	assert_step(xrecv_on_data(&r, 4, 100), true, false, false);
	assert_step(xrecv_on_data(&r, 5, 100), true, false, false);
	assert_step(xrecv_on_data(&r, 6, 100), true, true, false);
	assert_step(xrecv_on_data(&r, 7, 0), true, true, true);
}

/* Block 1 lost after our OACK: the gap shows the OACK arrived, so our
 * timer repeats ACK 0 (restart from block 1), never the OACK. */
static void test_gap_after_oack(void **state)
{
	struct xfer_recv r;

	xrecv_init(&r, 100, 4, 5, true);
	assert_step(xrecv_on_data(&r, 2, 100), false, true, false);
	assert_int_equal(r.received, 0);
	assert_int_equal(xrecv_on_timeout(&r), RECV_RESEND_ACK);
	assert_int_equal(xrecv_on_timeout(&r), RECV_RESEND_ACK);
	assert_step(xrecv_on_data(&r, 1, 100), true, false, false);
}

static void test_dally(void **state)
{
	struct xfer_recv r;

	xrecv_init(&r, 512, 1, 5, false);
	assert_step(xrecv_on_data(&r, 1, 10), true, true, true);
	assert_int_equal(xrecv_on_timeout(&r), RECV_DALLY);
	assert_step(xrecv_on_data(&r, 1, 10), false, true, false);   /* our ACK was lost */
	assert_int_equal(xrecv_on_timeout(&r), RECV_DALLY);
	assert_int_equal(xrecv_on_timeout(&r), RECV_DALLY);
	assert_int_equal(xrecv_on_timeout(&r), RECV_GIVE_UP);
}

static void test_give_up(void **state)
{
	struct xfer_recv r;

	xrecv_init(&r, 512, 1, 2, false);
	assert_int_equal(xrecv_on_timeout(&r), RECV_RESEND_ACK);
	assert_int_equal(xrecv_on_timeout(&r), RECV_RESEND_ACK);
	assert_int_equal(xrecv_on_timeout(&r), RECV_GIVE_UP);
}

static void test_wraps(void **state)
{
	struct xfer_recv r;

	xrecv_init(&r, 8, 1, 5, false);
	r.received = 65535;
	assert_step(xrecv_on_data(&r, 0, 8), true, true, false);
	assert_int_equal(r.received, 65536);
}

static void test_netascii_decode(void **state)
{
	uint8_t out[16];
	bool cr = false;

	assert_int_equal(netascii_decode((const uint8_t *)"a\r\nb\r\0c\r", 8, out, &cr), 5);
	assert_memory_equal(out, "a\nb\rc", 5);
	assert_true(cr);
	/* the CR LF pair split across two blocks */
	assert_int_equal(netascii_decode((const uint8_t *)"\nd", 2, out, &cr), 2);
	assert_memory_equal(out, "\nd", 2);
	assert_false(cr);
	cr = true;   /* a stray CR stays */
	assert_int_equal(netascii_decode((const uint8_t *)"x", 1, out, &cr), 2);
	assert_memory_equal(out, "\rx", 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lockstep),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_gap_after_oack),
		cmocka_unit_test(test_give_up),
		cmocka_unit_test(test_dally),
		cmocka_unit_test(test_wraps),
		cmocka_unit_test(test_netascii_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
