/* Sending state machine; see xfer.h. */
#include "xfer.h"

#include <string.h>

void xfer_init(struct xfer_send *x, uint64_t size, unsigned blksize, unsigned window,
	       unsigned max_retries)
{
	memset(x, 0, sizeof *x);
	x->size = size;
	x->blksize = blksize;
	x->window = window ? window : 1;
	x->max_retries = max_retries;
	x->last_block = size / blksize + 1;
}

static enum xfer_action send_from_acked(struct xfer_send *x, struct xfer_window *w)
{
	uint64_t left = x->last_block - x->acked;
	uint64_t last;

	w->first = x->acked + 1;
	w->count = (unsigned)(left < x->window ? left : x->window);
	last = w->first + w->count - 1;
	if (w->first <= x->sent)   /* a resend: count it */
		x->resent_blocks += (last < x->sent ? last : x->sent) - w->first + 1;
	if (last > x->sent)
		x->sent = last;
	return XFER_SEND_DATA;
}

enum xfer_action xfer_start(struct xfer_send *x, bool send_oack, struct xfer_window *w)
{
	x->oack_pending = send_oack;
	return send_oack ? XFER_SEND_OACK : send_from_acked(x, w);
}

enum xfer_action xfer_on_ack(struct xfer_send *x, uint16_t block, struct xfer_window *w)
{
	if (x->oack_pending) {
		if (block != 0)
			return XFER_IGNORE;
		x->oack_pending = false;
		x->retries = 0;
		return send_from_acked(x, w);
	}
	uint16_t delta = (uint16_t)(block - (uint16_t)x->acked);
	if (delta == 0) {
		x->dup_acks++;
		return XFER_IGNORE;
	}
	if (delta > x->sent - x->acked)
		return XFER_IGNORE;     /* not a block we sent: stale or bogus */
	x->acked += delta;
	x->retries = 0;
	if (x->acked == x->last_block)
		return XFER_DONE;
	return send_from_acked(x, w);
}

enum xfer_action xfer_on_timeout(struct xfer_send *x, struct xfer_window *w)
{
	if (++x->retries > x->max_retries)
		return XFER_GIVE_UP;
	if (x->oack_pending)
		return XFER_SEND_OACK;
	return send_from_acked(x, w);
}

uint64_t xfer_block_offset(const struct xfer_send *x, uint64_t block)
{
	return (block - 1) * x->blksize;
}

size_t xfer_block_len(const struct xfer_send *x, uint64_t block)
{
	uint64_t off = xfer_block_offset(x, block);

	if (off >= x->size)
		return 0;
	return x->size - off < x->blksize ? (size_t)(x->size - off) : x->blksize;
}

uint64_t xfer_bytes_acked(const struct xfer_send *x)
{
	uint64_t bytes = x->acked * x->blksize;

	return bytes < x->size ? bytes : x->size;
}

uint64_t xfer_backoff_us(uint64_t base_us, unsigned retries)
{
	unsigned shift = retries < 3 ? retries : 3;

	return base_us << shift;
}

size_t netascii_encoded_len(const uint8_t *in, size_t len)
{
	size_t n = len;

	for (size_t i = 0; i < len; i++)
		n += in[i] == '\n' || in[i] == '\r';
	return n;
}

size_t netascii_encode_part(const uint8_t *in, size_t len, size_t *used, uint8_t *out, size_t cap,
			    int *held)
{
	size_t i, n = 0;

	for (i = 0; i < len && n < cap; i++) {
		uint8_t c = in[i];
		if (c != '\n' && c != '\r') {
			out[n++] = c;
			continue;
		}
		uint8_t second = c == '\n' ? '\n' : '\0';
		out[n++] = '\r';
		if (n < cap)
			out[n++] = second;
		else
			*held = second;
	}
	*used = i;
	return n;
}
