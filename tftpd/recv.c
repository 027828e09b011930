/* Receiving state machine; see recv.h. */
#include "recv.h"

#include <string.h>

void xrecv_init(struct xfer_recv *r, unsigned blksize, unsigned window, unsigned max_retries,
		bool oack)
{
	memset(r, 0, sizeof *r);
	r->blksize = blksize;
	r->window = window ? window : 1;
	r->max_retries = max_retries;
	r->oack_pending = oack;
}

struct recv_step xrecv_on_data(struct xfer_recv *r, uint16_t block, size_t len)
{
	struct recv_step step = { 0 };
	uint16_t delta = (uint16_t)(block - (uint16_t)r->received);

	/* Any DATA, even out of order, shows the client has our OACK: from
	 * now on a timeout repeats our position. A repeated OACK would not
	 * do: atftp takes it for an ACK of its whole window and moves on. */
	r->oack_pending = false;
	if (r->done || delta != 1) {
		/* A duplicate or a gap: say where we are, once per position (a
		 * sender that answers every ACK with DATA would otherwise keep
		 * a storm going); our timer repeats it if it is lost. After the
		 * last block every duplicate means our last ACK was lost. */
		r->dup_blocks++;
		r->unacked = 0;
		step.send_ack = r->done || !r->told_position;
		r->told_position = true;
		return step;
	}
	r->retries = 0;
	r->told_position = false;
	r->received++;
	r->bytes += len;
	step.store = true;
	step.done = r->done = len < r->blksize;
	step.send_ack = step.done || ++r->unacked == r->window;
	if (step.send_ack)
		r->unacked = 0;
	return step;
}

enum recv_timeout xrecv_on_timeout(struct xfer_recv *r)
{
	if (r->done)
		return ++r->retries > RECV_DALLY_TIMEOUTS ? RECV_GIVE_UP : RECV_DALLY;
	r->unacked = 0;
	if (++r->retries > r->max_retries)
		return RECV_GIVE_UP;
	return r->oack_pending ? RECV_RESEND_OACK : RECV_RESEND_ACK;
}

uint64_t xrecv_bytes(const struct xfer_recv *r)
{
	return r->bytes;
}

size_t netascii_decode(const uint8_t *in, size_t len, uint8_t *out, bool *cr)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		uint8_t c = in[i];
		if (*cr) {
			*cr = false;
			if (c == '\n' || c == '\0') {
				out[n++] = c == '\n' ? '\n' : '\r';
				continue;
			}
			out[n++] = '\r';
		}
		if (c == '\r')
			*cr = true;
		else
			out[n++] = c;
	}
	return n;
}
