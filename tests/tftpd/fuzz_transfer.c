/* Fuzz target: the peer's side of a transfer. The first bytes pick the
 * negotiated parameters, then each 3 bytes are an ACK or DATA with its
 * block number, or a timeout, for the sending (RRQ) and receiving (WRQ)
 * state machines as io.c drives them; the windows they ask for must stay
 * inside the file and the negotiated window. The whole input also goes
 * through netascii out and back in pieces, which must give it back. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "negotiate.h"
#include "netascii_pieces.h"
#include "proto.h"
#include "recv.h"
#include "xfer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HDR_LEN 9
#define BLKSIZE_MIN 8      /* RFC 2348 */

struct sender {
	struct xfer_send xs;
	uint64_t real_size;     /* what a netascii conversion finds at the end */
	uint64_t now_us;
	bool over;
};

static void check_window(const struct xfer_send *x, const struct xfer_window *w)
{
	if (w->count < 1 || w->count > x->window || w->first <= x->acked ||
	    w->first + w->count - 1 > x->last_block || x->sent > x->last_block ||
	    xfer_block_len(x, w->first) > x->blksize)
		abort();
}

/* What io.c's act() and bound_window() do with an action. */
static void act(struct sender *s, enum xfer_action a, struct xfer_window *w, bool learn_early)
{
	struct xfer_send *x = &s->xs;
	if (a == XFER_DONE && x->acked != x->last_block)
		abort();
	s->over = a == XFER_DONE || a == XFER_GIVE_UP;
	if (a != XFER_SEND_DATA)
		return;
	if (x->size == XFER_SIZE_UNKNOWN &&
	    (learn_early || xfer_block_offset(x, w->first + w->count) >= s->real_size))
		xfer_set_size(x, s->real_size, w);
	check_window(x, w);
}

static void sender_step(struct sender *s, uint8_t op, uint16_t block)
{
	struct xfer_window w;
	s->now_us += (uint64_t)(op >> 2) * 997;
	if (op & 1)
		act(s, xfer_on_timeout(&s->xs, &w), &w, op & 0x80);
	else
		act(s, xfer_on_ack(&s->xs, block, s->now_us, &w), &w, op & 0x80);
	if (s->xs.acked > s->xs.sent || xfer_bytes_acked(&s->xs) > s->xs.size)
		abort();
}

/* DATA of any length up to the block size (io.c drops longer ones). */
static void receiver_step(struct xfer_recv *r, uint8_t op, uint16_t block, bool *over)
{
	if (op & 1) {
		*over = xrecv_on_timeout(r) == RECV_GIVE_UP;
		return;
	}
	uint64_t before = r->received;
	size_t len = op >> 2 >= 32 ? r->blksize : (size_t)(op >> 2) * r->blksize / 32;
	struct recv_step step = xrecv_on_data(r, block, len);
	if (step.store != (r->received == before + 1) || (step.done && !step.store) ||
	    r->bytes > r->received * r->blksize)
		abort();
}

static void run_transfer(const uint8_t *data, size_t size)
{
	struct sender s = { .now_us = 1 };
	struct xfer_recv r;
	struct xfer_window w;
	bool oack = data[0] & 1, recv_over = false;
	unsigned blksize = BLKSIZE_MIN + (data[1] << 8 | data[2]) % (TFTP_BLKSIZE_MAX - BLKSIZE_MIN + 1);
	unsigned window = 1 + data[3] % TFTP_WINDOW_MAX;
	unsigned max_retries = 1 + data[8] % 8;
	s.real_size = (uint64_t)data[4] << 24 | data[5] << 16 | data[6] << 8 | data[7];
	xfer_init(&s.xs, data[0] & 2 ? XFER_SIZE_UNKNOWN : s.real_size, blksize, window, 1000000,
		  max_retries);
	act(&s, xfer_start(&s.xs, oack, s.now_us, &w), &w, false);
	xrecv_init(&r, blksize, window, max_retries, oack);
	for (size_t i = HDR_LEN; i + 3 <= size; i += 3) {
		uint16_t block = (uint16_t)(data[i + 1] << 8 | data[i + 2]);
		if (!s.over)
			sender_step(&s, data[i], block);
		if (!recv_over)
			receiver_step(&r, data[i] >> 1, block, &recv_over);
	}
}

/* Decodes in DATA blocks of blksize bytes, as wire_store does. */
static size_t decode(const uint8_t *in, size_t len, uint8_t *out, size_t blksize)
{
	size_t n = 0;
	bool cr = false;
	for (size_t off = 0; off < len; off += blksize) {
		size_t part = len - off < blksize ? len - off : blksize;
		n += netascii_decode(in + off, part, out + n, &cr);
	}
	return cr ? SIZE_MAX : n;
}

static void round_trip(const uint8_t *data, size_t size)
{
	uint8_t *wire = malloc(2 * size + 1), *back = malloc(size + 2);
	if (wire && back) {
		size_t n = encode_in_pieces(data, size, 1 + data[0] % 16, wire);
		if (n > 2 * size || decode(wire, n, back, 1 + data[1] % 16) != size ||
		    memcmp(back, data, size) != 0)
			abort();
	}
	free(wire);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HDR_LEN)
		return 0;
	run_transfer(data, size);
	round_trip(data, size);
	return 0;
}
