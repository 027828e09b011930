/* The sending side of a transfer (RRQ) as a pure state machine: which
 * blocks to (re)send after an ACK or a timeout. Block numbers are kept
 * 64-bit and wrap to 0 on the wire as tftp-hpa's do.
 *
 * Only a NEW acknowledgement moves the window: a duplicate ACK is counted
 * and ignored, so lost-and-retried ACKs never double the traffic
 * (Sorcerer's Apprentice). An ACK inside the window (the client saw a gap)
 * restarts the window after the acknowledged block, unless a timeout made
 * us resend that block: then the client may be answering a duplicate, the
 * blocks after it are still on their way, and only new blocks fill the
 * window (resending them would draw more duplicates, each answered again,
 * and the client's windows would stay out of step with ours).
 *
 * The retransmission timeout is learnt per transfer (rto.h): each window
 * sent afresh is timed from its send to the ACK of its last block (Karn:
 * never a window that was resent). The transfer gives up after as long
 * without progress as the configured timeout's back-offs take. */
#ifndef TFTPD_XFER_H
#define TFTPD_XFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rto.h"

enum xfer_action {
	XFER_IGNORE,      /* nothing to do */
	XFER_SEND_OACK,   /* (re)send the OACK */
	XFER_SEND_DATA,   /* send blocks [first, first + count) */
	XFER_DONE,        /* the last block is acknowledged */
	XFER_GIVE_UP,     /* retries exhausted */
};

struct xfer_window {
	uint64_t first;
	unsigned count;
};

#define XFER_SIZE_UNKNOWN UINT64_MAX    /* netascii: learnt at the end of the file */

struct xfer_send {
	uint64_t size;           /* bytes to send, or XFER_SIZE_UNKNOWN until learnt */
	unsigned blksize;
	unsigned window;
	uint64_t last_block;     /* size / blksize + 1: the final block is short */
	uint64_t acked;          /* highest block acknowledged */
	uint64_t sent;           /* highest block sent */
	uint64_t resent_hi;      /* highest block a timeout resent */
	bool oack_pending;       /* the OACK waits for ACK 0 */
	unsigned retries;        /* consecutive timeouts */
	uint64_t waited_us;      /* their timers' sum */
	uint64_t patience_us;    /* give up when waited_us reaches it */
	struct rto rto;
	bool timing;             /* a round trip is being timed: */
	uint64_t timed_block;    /* until this block's ACK (0: the OACK's) */
	uint64_t timed_at_us;
	uint64_t resent_blocks;  /* statistics */
	uint64_t dup_acks;
};

/* timeout_us: the configured timeout; max_retries: as many back-offs of
 * it make the patience. now_us: any monotonic clock, in microseconds. */
void xfer_init(struct xfer_send *x, uint64_t size, unsigned blksize, unsigned window,
	       uint64_t timeout_us, unsigned max_retries);
enum xfer_action xfer_start(struct xfer_send *x, bool send_oack, uint64_t now_us,
			    struct xfer_window *w);
enum xfer_action xfer_on_ack(struct xfer_send *x, uint16_t block, uint64_t now_us,
			     struct xfer_window *w);
enum xfer_action xfer_on_timeout(struct xfer_send *x, struct xfer_window *w);
/* The size learnt as window w is about to go out (it reaches past the
 * end): the last block becomes known, and w stops at it. */
void xfer_set_size(struct xfer_send *x, uint64_t size, struct xfer_window *w);
/* The timer to arm after an action that sent something. */
uint64_t xfer_timeout_us(const struct xfer_send *x);

uint64_t xfer_block_offset(const struct xfer_send *x, uint64_t block);
size_t xfer_block_len(const struct xfer_send *x, uint64_t block);
/* Bytes acknowledged so far. */
uint64_t xfer_bytes_acked(const struct xfer_send *x);

/* RFC 1350 netascii: LF -> CR LF, CR -> CR NUL, streamed in pieces of any
 * size. netascii_encode_part encodes from in until out (cap bytes) is
 * full; *used gets the input consumed. A pair cut by the end of out puts
 * its second byte in *held (else left alone): the caller writes it first
 * next time. */
size_t netascii_encode_part(const uint8_t *in, size_t len, size_t *used, uint8_t *out, size_t cap,
			    int *held);

#endif
