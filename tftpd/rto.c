/* Retransmission timeout; see rto.h. */
#include "rto.h"

void rto_init(struct rto *r, uint64_t max_us)
{
	*r = (struct rto){ .max_us = max_us };
}

static uint64_t diff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/* RFC 6298 2.2 and 2.3, with alpha 1/8 and beta 1/4. */
void rto_sample(struct rto *r, uint64_t rtt_us)
{
	if (r->srtt_us == 0) {
		r->srtt_us = rtt_us ? rtt_us : 1;
		r->rttvar_us = rtt_us / 2;
		return;
	}
	r->rttvar_us = (3 * r->rttvar_us + diff(r->srtt_us, rtt_us)) / 4;
	r->srtt_us = (7 * r->srtt_us + rtt_us) / 8;
	if (r->srtt_us == 0)
		r->srtt_us = 1;
}

/* RFC 6298's srtt + 4 rttvar, with at least half the srtt as margin: a
 * steady path drives rttvar towards 0, and then a client or a relay that
 * is late by a few percent would draw a spurious resend of a whole window. */
static uint64_t current(const struct rto *r)
{
	uint64_t floor = RTO_FLOOR_US < r->max_us ? RTO_FLOOR_US : r->max_us;
	uint64_t margin = 4 * r->rttvar_us > r->srtt_us / 2 ? 4 * r->rttvar_us : r->srtt_us / 2;
	uint64_t us = r->srtt_us + margin;

	if (r->srtt_us == 0 || us > r->max_us)
		return r->max_us;
	return us < floor ? floor : us;
}

uint64_t rto_backoff_us(uint64_t base_us, uint64_t max_us, unsigned retries)
{
	uint64_t cap = max_us << RTO_BACKOFF_MAX_SHIFT;

	for (unsigned i = 0; i < retries && base_us < cap; i++)
		base_us <<= 1;
	return base_us < cap ? base_us : cap;
}

uint64_t rto_timeout_us(const struct rto *r, unsigned retries)
{
	return rto_backoff_us(current(r), r->max_us, retries);
}

uint64_t rto_patience_us(uint64_t max_us, unsigned max_retries)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i <= max_retries; i++)
		sum += rto_backoff_us(max_us, max_us, i);
	return sum;
}
