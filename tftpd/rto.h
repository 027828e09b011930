/* The retransmission timeout of a transfer, learnt from its round trips:
 * RFC 6298's smoothed RTT and variance (with a margin of at least half the
 * smoothed RTT), kept between a floor and the
 * configured timeout (-T, or the client's timeout/utimeout option), which
 * is also the timeout until the first sample. Consecutive timeouts double
 * it, up to 8 times the configured one. Pure arithmetic, no clock: the
 * caller measures. */
#ifndef TFTPD_RTO_H
#define TFTPD_RTO_H

#include <stdint.h>

/* Below this a client or host that stalls now and then (a PXE ROM polling
 * its NIC, a loaded machine) would draw spurious resends; a LAN still
 * recovers a loss 20 times sooner than after tftp-hpa's fixed second. */
#define RTO_FLOOR_US 50000
#define RTO_BACKOFF_MAX_SHIFT 3     /* back-off stops at 8 times the configured timeout */

struct rto {
	uint64_t max_us;         /* configured: first timeout and ceiling */
	uint64_t srtt_us;        /* 0 until the first sample */
	uint64_t rttvar_us;
};

void rto_init(struct rto *r, uint64_t max_us);
void rto_sample(struct rto *r, uint64_t rtt_us);
/* The timer after `retries` consecutive timeouts. */
uint64_t rto_timeout_us(const struct rto *r, unsigned retries);
/* base_us doubled `retries` times, at most max_us << RTO_BACKOFF_MAX_SHIFT. */
uint64_t rto_backoff_us(uint64_t base_us, uint64_t max_us, unsigned retries);
/* How long a transfer may go without progress: the time `max_retries`
 * backed-off resends of the configured timeout take, as before learning. */
uint64_t rto_patience_us(uint64_t max_us, unsigned max_retries);

#endif
