/* Sending state machine; see xfer.h. */
#include "xfer.h"

#include <string.h>

void xfer_init(struct xfer_send *x, uint64_t size, unsigned blksize, unsigned window,
	       uint64_t timeout_us, unsigned max_retries)
{
	memset(x, 0, sizeof *x);
	x->size = size;
	x->blksize = blksize;
	x->window = window ? window : 1;
	x->last_block = size / blksize + 1;
	x->patience_us = rto_patience_us(timeout_us, max_retries);
	rto_init(&x->rto, timeout_us);
}

static void time_from(struct xfer_send *x, uint64_t block, uint64_t now_us)
{
	x->timing = true;
	x->timed_block = block;
	x->timed_at_us = now_us;
}

/* A new ACK: the round trip it ends, if one was timed. */
static void progress(struct xfer_send *x, uint64_t now_us)
{
	if (x->timing && x->acked >= x->timed_block) {
		rto_sample(&x->rto, now_us - x->timed_at_us);
		x->timing = false;
	}
	x->retries = 0;
	x->waited_us = 0;
}

static enum xfer_action send_from_acked(struct xfer_send *x, uint64_t now_us,
					struct xfer_window *w)
{
	uint64_t left = x->last_block - x->acked;
	uint64_t last;

	w->first = x->acked + 1;
	w->count = (unsigned)(left < x->window ? left : x->window);
	last = w->first + w->count - 1;
	if (w->first <= x->sent) {   /* a resend: count it, and time nothing (Karn) */
		x->resent_blocks += (last < x->sent ? last : x->sent) - w->first + 1;
		x->timing = false;
	} else if (!x->timing)
		time_from(x, last, now_us);
	if (last > x->sent)
		x->sent = last;
	return XFER_SEND_DATA;
}

/* The blocks not sent yet, up to a window past the acknowledged one. */
static enum xfer_action send_new(struct xfer_send *x, uint64_t now_us, struct xfer_window *w)
{
	uint64_t end = x->acked + x->window < x->last_block ? x->acked + x->window : x->last_block;

	if (end <= x->sent)
		return XFER_IGNORE;
	w->first = x->sent + 1;
	w->count = (unsigned)(end - x->sent);
	if (!x->timing)
		time_from(x, end, now_us);
	x->sent = end;
	return XFER_SEND_DATA;
}

enum xfer_action xfer_start(struct xfer_send *x, bool send_oack, uint64_t now_us,
			    struct xfer_window *w)
{
	x->oack_pending = send_oack;
	if (!send_oack)
		return send_from_acked(x, now_us, w);
	time_from(x, 0, now_us);
	return XFER_SEND_OACK;
}

enum xfer_action xfer_on_ack(struct xfer_send *x, uint16_t block, uint64_t now_us,
			     struct xfer_window *w)
{
	if (x->oack_pending) {
		if (block != 0)
			return XFER_IGNORE;
		x->oack_pending = false;
		progress(x, now_us);
		return send_from_acked(x, now_us, w);
	}
	uint16_t delta = (uint16_t)(block - (uint16_t)x->acked);
	if (delta == 0) {
		x->dup_acks++;
		return XFER_IGNORE;
	}
	if (delta > x->sent - x->acked)
		return XFER_IGNORE;     /* not a block we sent: stale or bogus */
	x->acked += delta;
	progress(x, now_us);
	if (x->acked == x->last_block)
		return XFER_DONE;
	if (x->acked < x->sent && x->acked <= x->resent_hi)
		return send_new(x, now_us, w);   /* an answer to a duplicate */
	return send_from_acked(x, now_us, w);
}

enum xfer_action xfer_on_timeout(struct xfer_send *x, struct xfer_window *w)
{
	x->waited_us += xfer_timeout_us(x);
	x->retries++;
	x->timing = false;      /* the next ACK may answer the resend */
	if (x->waited_us >= x->patience_us)
		return XFER_GIVE_UP;
	if (x->oack_pending)
		return XFER_SEND_OACK;
	x->resent_hi = x->sent;     /* the client may hold any of them: duplicates */
	return send_from_acked(x, 0, w);   /* a resend: not timed, no clock needed */
}

static uint64_t at_most(uint64_t v, uint64_t max)
{
	return v < max ? v : max;
}

void xfer_set_size(struct xfer_send *x, uint64_t size, struct xfer_window *w)
{
	x->size = size;
	x->last_block = size / x->blksize + 1;
	x->sent = at_most(x->sent, x->last_block);
	x->resent_hi = at_most(x->resent_hi, x->last_block);
	x->timed_block = at_most(x->timed_block, x->last_block);
	w->count = (unsigned)at_most(w->count, x->last_block - w->first + 1);
}

uint64_t xfer_timeout_us(const struct xfer_send *x)
{
	return rto_timeout_us(&x->rto, x->retries);
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
