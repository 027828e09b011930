/* The lease database: one record per pool address, found by address and
 * by client identity. Pure: time is passed in, nothing is written here
 * (the caller persists what dhcp_handle says to commit). */
#ifndef DHCPD_LEASE_H
#define DHCPD_LEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"

#define LEASE_NEVER INT64_MAX
#define LEASE_UID_MAX 64
#define LEASE_OFFER_HOLD 120   /* seconds an offered address stays reserved */

enum lease_state { LS_FREE, LS_ACTIVE, LS_EXPIRED, LS_RELEASED, LS_ABANDONED, LS_BACKUP, LS_N };

/* Who a client is. A client-id that only repeats the hardware address
 * (type 1 + MAC, as udhcpc sends) identifies the same PC as its MAC
 * (firmware sends none): both key by MAC, so one PC gets one address. */
struct client_key {
	uint8_t htype, hlen;
	uint8_t hw[16];
	uint8_t uid_len;
	uint8_t uid[LEASE_UID_MAX];
	bool by_uid;
};

struct lease {
	uint32_t addr;
	uint8_t state;           /* enum lease_state */
	bool bootp;
	struct client_key client;
	int64_t starts, ends, cltt;
	int64_t offer_until;     /* reserved for `client` until then (not persisted) */
	uint32_t hash;
	uint32_t next;           /* identity hash chain, UINT32_MAX = end */
	char hostname[64];
};

struct lease_db;

struct lease_db *lease_db_new(const struct dhcp_config *cfg);
void lease_db_free(struct lease_db *db);
const struct dhcp_config *lease_db_config(const struct lease_db *db);

void client_key_make(struct client_key *k, uint8_t htype, const uint8_t *hw, uint8_t hlen,
		     const uint8_t *uid, size_t uid_len);
bool client_key_equal(const struct client_key *a, const struct client_key *b);

struct lease *lease_by_addr(struct lease_db *db, uint32_t addr);
/* The client's most recent lease on shared network `shared` (-1: any). */
struct lease *lease_by_client(struct lease_db *db, const struct client_key *k, int shared);
/* Up to `max` active leases of `k` other than `keep`, into out; their number. */
size_t lease_others(struct lease_db *db, const struct client_key *k, const struct lease *keep, struct lease **out,
		    size_t max);
/* May `k` have this lease now? Its own, or free and not reserved for another. */
bool lease_usable(const struct lease *l, const struct client_key *k, int64_t now);
/* Whether range `r` may serve the client being allocated for (ISC's pool
 * permit lists). */
typedef bool lease_range_ok(const struct conf_range *r, void *arg);
/* A usable address for a new client on `shared`, from a range `ok`
 * accepts; bootp: only dynamic-bootp ranges. */
struct lease *lease_alloc(struct lease_db *db, int shared, bool bootp, const struct client_key *k, int64_t now,
			  lease_range_ok *ok, void *arg);
/* Gives the lease to `k` (updates the identity index); an empty key
 * leaves it without a client. */
void lease_set_client(struct lease_db *db, struct lease *l, const struct client_key *k);
/* Iteration over all records, for the leases file writer. */
size_t lease_count(const struct lease_db *db);
struct lease *lease_at(struct lease_db *db, size_t i);

extern const char *const lease_state_names[LS_N];

#endif
