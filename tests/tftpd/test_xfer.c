/* The sending state machine: windows, duplicates, gaps, wrap, retries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

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

	xfer_init(&x, 1024, 512, 1, 5);    /* 512 + 512 + an empty last block */
	assert_int_equal(x.last_block, 3);
	assert_window(xfer_start(&x, false, &w), &w, 1, 1);
	assert_window(xfer_on_ack(&x, 1, &w), &w, 2, 1);
	assert_window(xfer_on_ack(&x, 2, &w), &w, 3, 1);
	assert_int_equal(xfer_block_len(&x, 3), 0);
	assert_int_equal(xfer_on_ack(&x, 3, &w), XFER_DONE);
	assert_int_equal(xfer_bytes_acked(&x), 1024);
}

static void test_sorcerers_apprentice(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 5000, 512, 1, 5);
	xfer_start(&x, false, &w);
	assert_window(xfer_on_ack(&x, 1, &w), &w, 2, 1);
	/* the same ACK again (a delayed copy) sends nothing */
	assert_int_equal(xfer_on_ack(&x, 1, &w), XFER_IGNORE);
	assert_int_equal(xfer_on_ack(&x, 1, &w), XFER_IGNORE);
	assert_int_equal(x.dup_acks, 2);
	/* an ACK for a block never sent is ignored */
	assert_int_equal(xfer_on_ack(&x, 9, &w), XFER_IGNORE);
	assert_int_equal(x.resent_blocks, 0);
}

static void test_oack_then_data(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 100, 1468, 4, 5);
	assert_int_equal(xfer_start(&x, true, &w), XFER_SEND_OACK);
	assert_int_equal(xfer_on_ack(&x, 1, &w), XFER_IGNORE);
	assert_int_equal(xfer_on_timeout(&x, &w), XFER_SEND_OACK);
	assert_window(xfer_on_ack(&x, 0, &w), &w, 1, 1);
	assert_int_equal(xfer_block_len(&x, 1), 100);
	assert_int_equal(xfer_on_ack(&x, 1, &w), XFER_DONE);
}

static void test_window_and_gap(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 16 * 100 + 5, 100, 4, 5);   /* 17 blocks */
	assert_window(xfer_start(&x, false, &w), &w, 1, 4);
	assert_window(xfer_on_ack(&x, 4, &w), &w, 5, 4);
	/* block 7 was lost: the client acknowledges 6; resend from 7 */
	assert_window(xfer_on_ack(&x, 6, &w), &w, 7, 4);
	assert_int_equal(x.resent_blocks, 2);
	assert_window(xfer_on_ack(&x, 10, &w), &w, 11, 4);
	assert_window(xfer_on_ack(&x, 14, &w), &w, 15, 3);
	assert_int_equal(xfer_block_len(&x, 17), 5);
	assert_int_equal(xfer_on_ack(&x, 17, &w), XFER_DONE);
}

static void test_timeouts(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 4096, 512, 8, 3);
	xfer_start(&x, false, &w);
	assert_int_equal(xfer_backoff_us(1000, x.retries), 1000);
	assert_window(xfer_on_timeout(&x, &w), &w, 1, 8);
	assert_int_equal(xfer_backoff_us(1000, x.retries), 2000);
	assert_window(xfer_on_timeout(&x, &w), &w, 1, 8);
	assert_window(xfer_on_timeout(&x, &w), &w, 1, 8);
	assert_int_equal(xfer_backoff_us(1000, x.retries), 8000);
	assert_int_equal(xfer_on_timeout(&x, &w), XFER_GIVE_UP);
	assert_int_equal(x.resent_blocks, 24);
}

static void test_progress_resets_retries(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 4096, 512, 1, 1);
	xfer_start(&x, false, &w);
	assert_window(xfer_on_timeout(&x, &w), &w, 1, 1);
	assert_window(xfer_on_ack(&x, 1, &w), &w, 2, 1);
	assert_window(xfer_on_timeout(&x, &w), &w, 2, 1);
}

static void test_wrap_acks(void **state)
{
	struct xfer_send x;
	struct xfer_window w;

	xfer_init(&x, 70000ull * 8, 8, 4, 5);
	x.acked = 65533;
	x.sent = 65533;
	assert_window(xfer_start(&x, false, &w), &w, 65534, 4);      /* 65534..65537 */
	assert_window(xfer_on_ack(&x, 1, &w), &w, 65538, 4);          /* wire 1 = 65537 */
	assert_int_equal(x.acked, 65537);
	assert_int_equal(xfer_block_offset(&x, 65538), 65537ull * 8);
}

/* Encodes in with the output cut every `piece` bytes, as per-block
 * conversion does, and returns the concatenation's length in out. */
static size_t encode_in_pieces(const uint8_t *in, size_t len, size_t piece, uint8_t *out)
{
	size_t n = 0, used;
	int held = -1;

	while (len > 0 || held >= 0) {
		size_t room = piece;
		if (held >= 0) {
			out[n++] = (uint8_t)held;
			held = -1;
			room--;
		}
		size_t got = netascii_encode_part(in, len, &used, out + n, room, &held);
		n += got;
		in += used;
		len -= used;
	}
	return n;
}

static void test_netascii(void **state)
{
	static const uint8_t in[] = "a\nb\rc";
	static const uint8_t want[] = "a\r\nb\r\0c";
	uint8_t out[32];
	size_t used;
	int held = -1;

	assert_int_equal(netascii_encoded_len(in, 5), 7);
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
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_progress_resets_retries),
		cmocka_unit_test(test_wrap_acks),
		cmocka_unit_test(test_netascii),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
