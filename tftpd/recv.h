/* The receiving side of a transfer (WRQ) as a pure state machine: which
 * DATA to store and when to acknowledge. With a window (RFC 7440) the
 * acknowledgement comes after `window` blocks since the last one, on the
 * short last block, and
 * at once on a gap or a duplicate (our ACK was lost), naming the last block
 * received in order so the sender restarts from there. */
#ifndef TFTPD_RECV_H
#define TFTPD_RECV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xfer_recv {
	unsigned blksize;
	unsigned window;
	unsigned max_retries;
	uint64_t received;      /* last block stored, in order */
	uint64_t bytes;         /* payload stored */
	unsigned unacked;       /* blocks stored since our last ACK */
	bool told_position;     /* a gap/duplicate ACK for `received` went out */
	bool oack_pending;      /* no DATA yet after our OACK */
	bool done;
	unsigned retries;
	uint64_t dup_blocks;    /* statistics */
};

struct recv_step {
	bool store;             /* the payload is block `received` */
	bool send_ack;          /* acknowledge `received` */
	bool done;              /* the short last block is in */
};

/* After the last block the receiver stays this many timeouts to answer a
 * retransmitted last block (its ACK was lost), then ends. */
#define RECV_DALLY_TIMEOUTS 3

enum recv_timeout {
	RECV_RESEND_OACK,
	RECV_RESEND_ACK,
	RECV_DALLY,         /* done: keep waiting quietly */
	RECV_GIVE_UP,       /* retries exhausted, or the dally is over */
};

void xrecv_init(struct xfer_recv *r, unsigned blksize, unsigned window, unsigned max_retries,
		bool oack);
struct recv_step xrecv_on_data(struct xfer_recv *r, uint16_t block, size_t len);
enum recv_timeout xrecv_on_timeout(struct xfer_recv *r);
uint64_t xrecv_bytes(const struct xfer_recv *r);

/* Netascii back to local text (CR LF -> LF, CR NUL -> CR), in place-safe
 * order; *cr carries a CR that ended the previous block. Returns the
 * length written to out (at most len + 1). */
size_t netascii_decode(const uint8_t *in, size_t len, uint8_t *out, bool *cr);

#endif
