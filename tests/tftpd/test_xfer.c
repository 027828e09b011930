/* The sending state machine: windows, duplicates, gaps, wrap, retries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netascii_pieces.h"
#include "xfer.h"

static void assert_window(enum xfer_action a, const struct xfer_window *w, uint64_t first,
			  unsigned count)
{
	assert_int_equal(a, XFER_SEND_DATA);
	assert_int_equal(w->first, first);
	assert_int_equal(w->count, count);
}

static void test_lockstep(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 1024, 512, 1, 1000000, 5);    /* 512 + 512 + an empty last block */
	assert_int_equal(x.last_block, 3);
	assert_window(xfer_start(&x, false, 0, &w), &w, 1, 1);
	assert_window(xfer_on_ack(&x, 1, 0, &w), &w, 2, 1);
	assert_window(xfer_on_ack(&x, 2, 0, &w), &w, 3, 1);
	assert_int_equal(xfer_block_len(&x, 3), 0);
	assert_int_equal(xfer_on_ack(&x, 3, 0, &w), XFER_DONE);
	assert_int_equal(xfer_bytes_acked(&x), 1024);
}

static void test_sorcerers_apprentice(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 5000, 512, 1, 1000000, 5);
	xfer_start(&x, false, 0, &w);
	assert_window(xfer_on_ack(&x, 1, 0, &w), &w, 2, 1);
	/* the same ACK again (a delayed copy) sends nothing */
	assert_int_equal(xfer_on_ack(&x, 1, 0, &w), XFER_IGNORE);
	assert_int_equal(xfer_on_ack(&x, 1, 0, &w), XFER_IGNORE);
	assert_int_equal(x.dup_acks, 2);
	/* an ACK for a block never sent is ignored */
	assert_int_equal(xfer_on_ack(&x, 9, 0, &w), XFER_IGNORE);
	assert_int_equal(x.resent_blocks, 0);
}

static void test_oack_then_data(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 100, 1468, 4, 1000000, 5);
	assert_int_equal(xfer_start(&x, true, 0, &w), XFER_SEND_OACK);
	assert_int_equal(xfer_on_ack(&x, 1, 0, &w), XFER_IGNORE);
	assert_int_equal(xfer_on_timeout(&x, &w), XFER_SEND_OACK);
	assert_window(xfer_on_ack(&x, 0, 0, &w), &w, 1, 1);
	assert_int_equal(xfer_block_len(&x, 1), 100);
	assert_int_equal(xfer_on_ack(&x, 1, 0, &w), XFER_DONE);
}

static void test_window_and_gap(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 16 * 100 + 5, 100, 4, 1000000, 5);   /* 17 blocks */
	assert_window(xfer_start(&x, false, 0, &w), &w, 1, 4);
	assert_window(xfer_on_ack(&x, 4, 0, &w), &w, 5, 4);
	/* block 7 was lost: the client acknowledges 6; resend from 7 */
	assert_window(xfer_on_ack(&x, 6, 0, &w), &w, 7, 4);
	assert_int_equal(x.resent_blocks, 2);
	assert_window(xfer_on_ack(&x, 10, 0, &w), &w, 11, 4);
	assert_window(xfer_on_ack(&x, 14, 0, &w), &w, 15, 3);
	assert_int_equal(xfer_block_len(&x, 17), 5);
	assert_int_equal(xfer_on_ack(&x, 17, 0, &w), XFER_DONE);
}

/* netascii: the size is learnt when a window reaches the end of the file;
 * the window stops at the last block, short or empty. */
static void test_size_learnt_at_end(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, XFER_SIZE_UNKNOWN, 100, 4, 1000000, 5);
	assert_window(xfer_start(&x, false, 0, &w), &w, 1, 4);
	assert_int_equal(xfer_block_len(&x, 4), 100);
	assert_window(xfer_on_ack(&x, 4, 0, &w), &w, 5, 4);
	xfer_set_size(&x, 650, &w);
	assert_window(XFER_SEND_DATA, &w, 5, 3);
	assert_int_equal(xfer_block_len(&x, 7), 50);
	assert_window(xfer_on_ack(&x, 5, 0, &w), &w, 6, 2);
	assert_int_equal(xfer_on_ack(&x, 7, 0, &w), XFER_DONE);
	assert_int_equal(xfer_bytes_acked(&x), 650);

	xfer_init(&x, XFER_SIZE_UNKNOWN, 100, 4, 1000000, 5);
	xfer_start(&x, false, 0, &w);
	assert_window(xfer_on_ack(&x, 4, 0, &w), &w, 5, 4);
	xfer_set_size(&x, 800, &w);      /* full blocks: an empty one ends it */
	assert_window(XFER_SEND_DATA, &w, 5, 4);
	assert_window(xfer_on_ack(&x, 8, 0, &w), &w, 9, 1);
	assert_int_equal(xfer_block_len(&x, 9), 0);
	assert_int_equal(xfer_on_ack(&x, 9, 0, &w), XFER_DONE);
}

static void test_timeouts(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 4096, 512, 8, 1000, 3);
	xfer_start(&x, false, 0, &w);
	/* nothing learnt yet: the configured timeout, doubled per retry, and
	 * given up after as long as 3 back-offs take (1 + 2 + 4 + 8 ms) */
	assert_int_equal(xfer_timeout_us(&x), 1000);
	assert_window(xfer_on_timeout(&x, &w), &w, 1, 8);
	assert_int_equal(xfer_timeout_us(&x), 2000);
	assert_window(xfer_on_timeout(&x, &w), &w, 1, 8);
	assert_window(xfer_on_timeout(&x, &w), &w, 1, 8);
	assert_int_equal(xfer_timeout_us(&x), 8000);
	assert_int_equal(xfer_on_timeout(&x, &w), XFER_GIVE_UP);
	assert_int_equal(x.resent_blocks, 24);
}

/* Round trips are timed per fresh window, from its send to the ACK of its
 * last block; the timeout follows them down to the floor. */
static void test_rtt_learnt(void **state)
{
	struct xfer_send x;
	struct xfer_window w;
	uint64_t now = 5000000;

	xfer_init(&x, 1000 * 1468, 1468, 4, 1000000, 6);
	assert_int_equal(xfer_start(&x, true, now, &w), XFER_SEND_OACK);
	assert_int_equal(xfer_timeout_us(&x), 1000000);
	now += 40000;
	assert_window(xfer_on_ack(&x, 0, now, &w), &w, 1, 4);     /* the OACK's trip */
	assert_int_equal(x.rto.srtt_us, 40000);
	assert_int_equal(xfer_timeout_us(&x), 40000 + 4 * 20000);
	for (uint16_t b = 4; b <= 200; b += 4) {
		now += 40000;
		assert_window(xfer_on_ack(&x, b, now, &w), &w, b + 1u, 4);
	}
	assert_int_equal(x.rto.srtt_us, 40000);
	assert_int_equal(xfer_timeout_us(&x), 60000);      /* steady: 1.5 srtt */
	/* a LAN's round trip: the floor */
	for (uint16_t b = 204; b <= 400; b += 4) {
		now += 200;
		xfer_on_ack(&x, b, now, &w);
	}
	assert_int_equal(xfer_timeout_us(&x), RTO_FLOOR_US);
}

/* Karn: an ACK that may answer a resend is not a sample. */
static void test_resend_not_timed(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 1000 * 512, 512, 1, 1000000, 6);
	xfer_start(&x, false, 0, &w);
	xfer_on_ack(&x, 1, 40000, &w);
	assert_int_equal(x.rto.srtt_us, 40000);
	assert_window(xfer_on_timeout(&x, &w), &w, 2, 1);
	xfer_on_ack(&x, 2, 40000 + 900000, &w);        /* slow, but ambiguous */
	assert_int_equal(x.rto.srtt_us, 40000);
	xfer_on_ack(&x, 3, 40000 + 900000 + 40000, &w); /* block 3 was fresh */
	assert_int_equal(x.rto.srtt_us, 40000);
	assert_int_equal(x.rto.rttvar_us, 15000);          /* a second sample */
	/* a gap ACK resends part of a window: not timed either */
	xfer_init(&x, 1000 * 512, 512, 8, 1000000, 6);
	xfer_start(&x, false, 0, &w);
	assert_window(xfer_on_ack(&x, 3, 10000, &w), &w, 4, 8);
	assert_false(x.timing);
}

/* A timeout resends the window; the client had all but its last block,
 * so the resend's first block is a duplicate it answers with the block
 * before the missing one. That ACK slides the window on with new blocks
 * only: the missing block is already on its way again, and resending the
 * rest would be answered as duplicates again, window after window. */
static void test_answer_to_duplicate_slides(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 1000 * 100, 100, 16, 1000000, 6);
	assert_window(xfer_start(&x, false, 0, &w), &w, 1, 16);
	assert_window(xfer_on_timeout(&x, &w), &w, 1, 16);
	assert_window(xfer_on_ack(&x, 15, 0, &w), &w, 17, 15);   /* 16 is in flight */
	assert_window(xfer_on_ack(&x, 31, 0, &w), &w, 32, 16);   /* in step again */
	/* a gap later on still restarts at once from the acknowledged block */
	assert_window(xfer_on_ack(&x, 40, 0, &w), &w, 41, 16);
	assert_int_equal(x.resent_blocks, 16 + 7);
	/* each answer to a duplicate slides the window by what it acknowledges */
	xfer_init(&x, 1000 * 100, 100, 4, 1000000, 6);
	xfer_start(&x, false, 0, &w);
	xfer_on_timeout(&x, &w);
	assert_int_equal(xfer_on_ack(&x, 1, 0, &w), XFER_SEND_DATA);
	assert_window(xfer_on_ack(&x, 2, 0, &w), &w, 6, 1);
}

/* After learning, back-off doubles from the learnt timeout up to 8x the
 * configured one, and the patience stays the configured back-offs' sum. */
static void test_backoff_after_learning(void **state)
{
	struct xfer_send x;
	struct xfer_window w;
	uint64_t waited = 0;
	unsigned resends = 0;

	xfer_init(&x, 1000 * 512, 512, 1, 1000000, 6);
	xfer_start(&x, false, 0, &w);
	xfer_on_ack(&x, 1, 1000, &w);
	assert_int_equal(xfer_timeout_us(&x), RTO_FLOOR_US);
	for (;;) {
		uint64_t t = xfer_timeout_us(&x);
		assert_true(t <= 8 * 1000000);
		waited += t;
		if (xfer_on_timeout(&x, &w) == XFER_GIVE_UP)
			break;
		resends++;
	}
	assert_int_equal(xfer_timeout_us(&x), 8 * 1000000);
	assert_true(waited >= 39 * 1000000ull);
	assert_true(resends < 16);
}

static void test_progress_resets_retries(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 4096, 512, 1, 1000000, 1);
	xfer_start(&x, false, 0, &w);
	assert_window(xfer_on_timeout(&x, &w), &w, 1, 1);
	assert_window(xfer_on_ack(&x, 1, 0, &w), &w, 2, 1);
	assert_window(xfer_on_timeout(&x, &w), &w, 2, 1);
}

static void test_wrap_acks(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 70000ull * 8, 8, 4, 1000000, 5);
	x.acked = 65533;
	x.sent = 65533;
	assert_window(xfer_start(&x, false, 0, &w), &w, 65534, 4);      /* 65534..65537 */
	assert_window(xfer_on_ack(&x, 1, 0, &w), &w, 65538, 4);          /* wire 1 = 65537 */
	assert_int_equal(x.acked, 65537);
	assert_int_equal(xfer_block_offset(&x, 65538), 65537ull * 8);
}

static void test_netascii(void **state)
{
	static const uint8_t in[] = "a\nb\rc";
	static const uint8_t want[] = "a\r\nb\r\0c";
	uint8_t out[32];
	size_t used;
	int held = -1;

	assert_int_equal(netascii_encode_part(in, 5, &used, out, sizeof out, &held), 7);
	assert_int_equal(used, 5);
	assert_int_equal(held, -1);
	assert_memory_equal(out, want, 7);
	/* a block ending between CR and its LF or NUL carries the second byte */
	assert_int_equal(netascii_encode_part(in, 5, &used, out, 2, &held), 2);
	assert_int_equal(used, 2);
	assert_int_equal(held, '\n');
	assert_memory_equal(out, "a\r", 2);
	held = -1;
	assert_int_equal(netascii_encode_part(in + 2, 3, &used, out, 2, &held), 2);
	assert_int_equal(used, 2);
	assert_int_equal(held, '\0');
	assert_memory_equal(out, "b\r", 2);
	/* every cut point gives the same stream */
	for (size_t piece = 1; piece <= 8; piece++) {
		memset(out, 0xEE, sizeof out);
		assert_int_equal(encode_in_pieces(in, 5, piece, out), 7);
		assert_memory_equal(out, want, 7);
	}
	/* an output of zero bytes consumes nothing */
	assert_int_equal(netascii_encode_part(in, 5, &used, out, 0, &held), 0);
	assert_int_equal(used, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lockstep),
		cmocka_unit_test(test_sorcerers_apprentice),
		cmocka_unit_test(test_oack_then_data),
		cmocka_unit_test(test_window_and_gap),
		cmocka_unit_test(test_size_learnt_at_end),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_rtt_learnt),
		cmocka_unit_test(test_resend_not_timed),
		cmocka_unit_test(test_backoff_after_learning),
		cmocka_unit_test(test_answer_to_duplicate_slides),
		cmocka_unit_test(test_progress_resets_retries),
		cmocka_unit_test(test_wrap_acks),
		cmocka_unit_test(test_netascii),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
