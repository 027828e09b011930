/* ISC's dhcpd.leases format (dhcpd.leases(5)): read at start so an admin
 * switching from ISC keeps every lease, written the same way so stock
 * dhcpd reads ours. Pure: text in, text out. */
#ifndef DHCPD_LEASEFILE_H
#define DHCPD_LEASEFILE_H

#include <stddef.h>
#include <stdint.h>

#include "lease.h"

struct leasefile_stats {
	size_t records;        /* lease blocks read */
	size_t outside_pools;  /* for addresses in no configured range: dropped */
	size_t skipped;        /* statements this dhcpd does not keep (host, failover, set...) */
};

/* Applies every lease record of the text to db, later records winning.
 * Returns 0, or -1 with "file:line: message" in err. db may be NULL (-T
 * without applying). */
int leasefile_parse(struct lease_db *db, const char *name, const char *src, size_t len,
		    struct leasefile_stats *st, char *err, size_t err_size);

/* The header ISC writes at the top of a new file. */
size_t leasefile_header(char *buf, size_t size);
/* One lease block; 0 when it does not fit. */
size_t leasefile_format(const struct lease *l, char *buf, size_t size);
/* Whether a record carries anything worth writing at compaction. */
int leasefile_worth_keeping(const struct lease *l);

#endif
