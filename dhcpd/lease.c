/* Lease records live in one array, range after range, so an address maps
 * to its record by arithmetic; a chained hash on the client identity finds
 * a client's lease. Allocation scans from a per-range cursor. */
#include "lease.h"

#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

struct lease_db {
	const struct dhcp_config *cfg;
	struct lease *leases;
	size_t n;
	size_t *base;      /* first record of each range */
	size_t *cursor;    /* next record to try for reuse, per range */
	size_t *fresh;     /* no never-used record below this, per range */
	uint32_t *buckets;
	uint32_t mask;
};

const char *const lease_state_names[LS_N] = {
	[LS_FREE] = "free", [LS_ACTIVE] = "active", [LS_EXPIRED] = "expired",
	[LS_RELEASED] = "released", [LS_ABANDONED] = "abandoned", [LS_BACKUP] = "backup",
};

static uint32_t pow2_at_least(size_t n)
{
	uint32_t p = 1024;
	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

struct lease_db *lease_db_new(const struct dhcp_config *cfg)
{
	struct lease_db *db = calloc(1, sizeof *db);
	if (!db)
		return NULL;
	db->cfg = cfg;
	size_t nr = cfg->n_ranges;
	db->base = calloc(nr + 1, sizeof *db->base);
	db->cursor = calloc(nr + 1, sizeof *db->cursor);
	db->fresh = calloc(nr + 1, sizeof *db->fresh);
	for (size_t i = 0; db->base && i < nr; i++)
		db->base[i + 1] = db->base[i] + (cfg->ranges[i].hi - cfg->ranges[i].lo + 1);
	db->n = db->base ? db->base[nr] : 0;
	db->leases = calloc(db->n + 1, sizeof *db->leases);
	db->mask = pow2_at_least(2 * db->n) - 1;
	db->buckets = malloc(((size_t)db->mask + 1) * sizeof *db->buckets);
	if (!db->base || !db->cursor || !db->fresh || !db->leases || !db->buckets) {
		lease_db_free(db);
		return NULL;
	}
	memset(db->buckets, 0xff, ((size_t)db->mask + 1) * sizeof *db->buckets);
	for (size_t r = 0; r < nr; r++) {
		db->cursor[r] = db->fresh[r] = db->base[r];
		for (size_t i = db->base[r]; i < db->base[r + 1]; i++) {
			db->leases[i].addr = cfg->ranges[r].lo + (uint32_t)(i - db->base[r]);
			db->leases[i].next = NIL;
		}
	}
	return db;
}

void lease_db_free(struct lease_db *db)
{
	if (!db)
		return;
	free(db->leases);
	free(db->base);
	free(db->cursor);
	free(db->fresh);
	free(db->buckets);
	free(db);
}

const struct dhcp_config *lease_db_config(const struct lease_db *db)
{
	return db->cfg;
}

void client_key_make(struct client_key *k, uint8_t htype, const uint8_t *hw, uint8_t hlen,
		     const uint8_t *uid, size_t uid_len)
{
	memset(k, 0, sizeof *k);
	k->htype = htype;
	k->hlen = hlen > sizeof k->hw ? sizeof k->hw : hlen;
	memcpy(k->hw, hw, k->hlen);
	if (!uid || !uid_len)
		return;
	k->uid_len = (uint8_t)(uid_len > LEASE_UID_MAX ? LEASE_UID_MAX : uid_len);
	memcpy(k->uid, uid, k->uid_len);
	bool is_hw = uid_len == (size_t)k->hlen + 1 && uid[0] == htype && memcmp(uid + 1, hw, k->hlen) == 0;
	k->by_uid = !is_hw;
}

bool client_key_equal(const struct client_key *a, const struct client_key *b)
{
	if (a->by_uid != b->by_uid)
		return false;
	if (a->by_uid)
		return a->uid_len == b->uid_len && memcmp(a->uid, b->uid, a->uid_len) == 0;
	return a->hlen && a->htype == b->htype && a->hlen == b->hlen && memcmp(a->hw, b->hw, a->hlen) == 0;
}

/* FNV-1a over the identifying bytes. */
static uint32_t key_hash(const struct client_key *k)
{
	const uint8_t *p = k->by_uid ? k->uid : k->hw;
	size_t n = k->by_uid ? k->uid_len : k->hlen;
	uint32_t h = 2166136261u ^ (k->by_uid ? 0x55u : k->htype);
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

struct lease *lease_by_addr(struct lease_db *db, uint32_t addr)
{
	const struct conf_range *r = conf_range_of(db->cfg, addr);
	if (!r)
		return NULL;
	return &db->leases[db->base[r - db->cfg->ranges] + (addr - r->lo)];
}

static int shared_of(const struct lease_db *db, const struct lease *l)
{
	return conf_range_of(db->cfg, l->addr)->subnet->shared;
}

struct lease *lease_by_client(struct lease_db *db, const struct client_key *k, int shared)
{
	struct lease *best = NULL;
	if (!k->hlen && !k->uid_len)
		return NULL;
	for (uint32_t i = db->buckets[key_hash(k) & db->mask]; i != NIL; i = db->leases[i].next) {
		struct lease *l = &db->leases[i];
		if (!client_key_equal(&l->client, k) || (shared >= 0 && shared_of(db, l) != shared))
			continue;
		if (!best || l->cltt > best->cltt || (l->cltt == best->cltt && l->offer_until > best->offer_until))
			best = l;
	}
	return best;
}

size_t lease_others(struct lease_db *db, const struct client_key *k, const struct lease *keep, struct lease **out,
		    size_t max)
{
	size_t n = 0;
	for (uint32_t i = db->buckets[key_hash(k) & db->mask]; i != NIL && n < max; i = db->leases[i].next) {
		struct lease *l = &db->leases[i];
		if (l != keep && l->state == LS_ACTIVE && client_key_equal(&l->client, k))
			out[n++] = l;
	}
	return n;
}

static bool is_own(const struct lease *l, const struct client_key *k)
{
	return client_key_equal(&l->client, k);
}

bool lease_usable(const struct lease *l, const struct client_key *k, int64_t now)
{
	if (is_own(l, k))
		return l->state != LS_ABANDONED && l->state != LS_BACKUP;
	if (l->offer_until > now)
		return false;
	switch (l->state) {
	case LS_FREE:
	case LS_EXPIRED:
	case LS_RELEASED:
		return true;
	case LS_ACTIVE:
		return l->ends < now;
	default:
		return false;
	}
}

static void unlink_lease(struct lease_db *db, struct lease *l)
{
	uint32_t idx = (uint32_t)(l - db->leases);
	for (uint32_t *pp = &db->buckets[l->hash & db->mask]; *pp != NIL; pp = &db->leases[*pp].next) {
		if (*pp == idx) {
			*pp = l->next;
			break;
		}
	}
	l->next = NIL;
}

void lease_set_client(struct lease_db *db, struct lease *l, const struct client_key *k)
{
	if (l->client.hlen || l->client.uid_len)
		unlink_lease(db, l);
	l->client = *k;
	if (!k->hlen && !k->uid_len)
		return;
	l->hash = key_hash(k);
	uint32_t *head = &db->buckets[l->hash & db->mask];
	l->next = *head;
	*head = (uint32_t)(l - db->leases);
}

static bool never_used(const struct lease *l)
{
	return !l->client.hlen && !l->client.uid_len;
}

/* Records never given to any client, from a cursor that only moves on:
 * a record that had a client never becomes fresh again. */
static struct lease *next_fresh(struct lease_db *db, size_t r)
{
	for (; db->fresh[r] < db->base[r + 1]; db->fresh[r]++)
		if (never_used(&db->leases[db->fresh[r]]) && db->leases[db->fresh[r]].state == LS_FREE)
			return &db->leases[db->fresh[r]];
	return NULL;
}

/* Reuse of expired or released records, round robin. */
static struct lease *next_reusable(struct lease_db *db, size_t r, const struct client_key *k, int64_t now)
{
	size_t lo = db->base[r], hi = db->base[r + 1], n = hi - lo;
	for (size_t step = 0; step < n; step++) {
		size_t i = db->cursor[r] + step;
		if (i >= hi)
			i -= n;
		if (lease_usable(&db->leases[i], k, now)) {
			db->cursor[r] = i + 1 < hi ? i + 1 : lo;
			return &db->leases[i];
		}
	}
	return NULL;
}

struct lease *lease_alloc(struct lease_db *db, int shared, bool bootp, const struct client_key *k, int64_t now,
			  lease_range_ok *ok, void *arg)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t r = 0; r < db->cfg->n_ranges; r++) {
			const struct conf_range *range = &db->cfg->ranges[r];
			if (range->subnet->shared != shared || (bootp && !range->dynamic_bootp) || !ok(range, arg))
				continue;
			struct lease *l = pass == 0 ? next_fresh(db, r) : next_reusable(db, r, k, now);
			if (l)
				return l;
		}
	}
	return NULL;
}

size_t lease_count(const struct lease_db *db)
{
	return db->n;
}

struct lease *lease_at(struct lease_db *db, size_t i)
{
	return i < db->n ? &db->leases[i] : NULL;
}
