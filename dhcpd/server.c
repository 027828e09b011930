/* RFC 2131 server behaviour, one handler per message type. */
#include "server_ctx.h"

#include <stddef.h>
#include <string.h>

static bool same_network(const struct ctx *c, uint32_t addr)
{
	const struct conf_subnet *s = conf_subnet_of(c->cfg, addr);
	return s && s->shared == c->subnet->shared;
}

/* The host's fixed address on the client's network, or 0. */
static uint32_t fixed_address(const struct ctx *c)
{
	for (size_t i = 0; c->host && i < c->host->n_fixed; i++)
		if (same_network(c, c->host->fixed[i]))
			return c->host->fixed[i];
	return 0;
}

static const struct conf_host *find_host(const struct dhcp_config *cfg, const struct dhcp_packet *pkt)
{
	const struct conf_host *h = conf_host_by_hw(cfg, pkt->h.htype, pkt->h.chaddr, pkt->h.hlen, NULL);
	size_t n;
	const uint8_t *uid = dhcp_opt(pkt, OPT_CLIENT_ID, &n);
	for (size_t i = 0; !h && uid && n && i < cfg->n_hosts; i++)
		if (cfg->hosts[i].uid_len == n && memcmp(cfg->hosts[i].uid, uid, n) == 0)
			h = &cfg->hosts[i];
	return h;
}

static uint32_t lease_time(const struct ctx *c)
{
	uint32_t want;
	uint32_t t = dhcp_opt_u32(c->pkt, OPT_LEASE_TIME, &want) ? want : c->params.default_lease;
	if (t > c->params.max_lease)
		t = c->params.max_lease;
	return t < c->params.min_lease ? c->params.min_lease : t;
}

static bool admitted(struct ctx *c)
{
	if (c->params.allow[ALLOW_BOOTING] != MODE_ALLOW) {
		c->res->why = "booting denied";
		return false;
	}
	if (!c->host && c->params.allow[ALLOW_UNKNOWN] != MODE_ALLOW) {
		c->res->why = "unknown client";
		return false;
	}
	return true;
}

static void remember_hostname(struct lease *l, const struct dhcp_packet *pkt)
{
	size_t n;
	const uint8_t *name = dhcp_opt(pkt, OPT_HOST_NAME, &n);
	if (!name)
		return;
	n = n < sizeof l->hostname - 1 ? n : sizeof l->hostname - 1;
	memcpy(l->hostname, name, n);
	l->hostname[n] = '\0';
}

/* ISC's pool permit lists on [un]known clients. */
static bool pool_permits(const struct ctx *c, const struct conf_range *r)
{
	uint8_t who = c->host ? POOL_KNOWN : POOL_UNKNOWN;
	return !(r->scope->prohibit & who) && (!r->scope->permit || (r->scope->permit & who));
}

/* A pool that refuses this client is passed over, and another pool of its
 * network may serve it. A range outside any pool is admitted or not with
 * its whole subnet. */
static bool pool_admits(const struct conf_range *r, void *arg)
{
	struct ctx *c = arg;
	if (r->scope->kind != SCOPE_POOL)
		return true;
	if (!pool_permits(c, r))
		return false;
	ctx_params_for(c, r->lo);
	return admitted(c);
}

/* The lease for a new exchange: the client's own, the one it asks for,
 * or a fresh one. */
static struct lease *choose_lease(struct ctx *c, bool bootp)
{
	int64_t now = c->rq->now;
	struct lease *l = lease_by_client(c->db, &c->key, c->subnet->shared);
	if (l && lease_usable(l, &c->key, now) && (!bootp || conf_range_of(c->cfg, l->addr)->dynamic_bootp))
		return l;
	uint32_t want;
	if (!bootp && dhcp_opt_u32(c->pkt, OPT_REQUESTED_IP, &want) && same_network(c, want)) {
		l = lease_by_addr(c->db, want);
		if (l && lease_usable(l, &c->key, now) && pool_admits(conf_range_of(c->cfg, want), c))
			return l;
	}
	return lease_alloc(c->db, c->subnet->shared, bootp, &c->key, now, pool_admits, c);
}

static void bind_lease(struct ctx *c, struct lease *l, int64_t ends, bool bootp)
{
	if (!client_key_equal(&l->client, &c->key))
		lease_set_client(c->db, l, &c->key);
	l->state = LS_ACTIVE;
	l->bootp = bootp;
	l->starts = l->cltt = c->rq->now;
	l->ends = ends;
	l->offer_until = 0;
	remember_hostname(l, c->pkt);
	c->res->commit = l;
}

/* one-lease-per-client: ISC presumes a client forgets every lease but the
 * one it requests, so the others are released with this ACK. */
static void release_others(struct ctx *c, const struct lease *keep)
{
	struct dhcp_result *r = c->res;
	r->n_freed = lease_others(c->db, &c->key, keep, r->freed, sizeof r->freed / sizeof r->freed[0]);
	for (size_t i = 0; i < r->n_freed; i++) {
		r->freed[i]->state = LS_RELEASED;
		r->freed[i]->ends = c->rq->now;
	}
}

static void on_discover(struct ctx *c)
{
	uint32_t fixed = fixed_address(c);
	if (fixed) {
		ctx_params_for(c, fixed);
		if (admitted(c))
			reply_build(c, DHCPOFFER, fixed, lease_time(c));
		return;
	}
	struct lease *l = choose_lease(c, false);
	if (!l) {
		c->res->why = "no free leases";
		return;
	}
	ctx_params_for(c, l->addr);
	if (!admitted(c))
		return;
	if (!client_key_equal(&l->client, &c->key))
		lease_set_client(c->db, l, &c->key);
	l->offer_until = c->rq->now + LEASE_OFFER_HOLD;
	reply_build(c, DHCPOFFER, l->addr, lease_time(c));
}

/* RFC 2131 4.3.2: which address a REQUEST is about, by client state. */
static bool requested_address(struct ctx *c, uint32_t *addr)
{
	uint32_t sid, req;
	bool has_req = dhcp_opt_u32(c->pkt, OPT_REQUESTED_IP, &req);
	if (dhcp_opt_u32(c->pkt, OPT_SERVER_ID, &sid)) {          /* SELECTING */
		if (sid != c->server_id) {
			struct lease *l = lease_by_client(c->db, &c->key, c->subnet->shared);
			if (l)
				l->offer_until = 0;   /* it chose another server */
			c->res->why = "client selected another server";
			return false;
		}
		*addr = has_req ? req : c->pkt->h.ciaddr;
	} else {                                                  /* INIT-REBOOT, RENEWING, REBINDING */
		*addr = c->pkt->h.ciaddr ? c->pkt->h.ciaddr : req;
	}
	if (!*addr)
		c->res->why = "REQUEST without an address";
	return *addr != 0;
}

static void refuse(struct ctx *c, uint32_t addr, const char *why)
{
	ctx_params_for(c, same_network(c, addr) ? addr : c->subnet->net);
	if (c->params.authoritative)
		reply_nak(c, why);
	else
		c->res->why = why;
}

static void on_request(struct ctx *c)
{
	uint32_t addr;
	if (!requested_address(c, &addr))
		return;
	if (!same_network(c, addr)) {
		refuse(c, addr, "address not on the client's network");
		return;
	}
	if (addr == fixed_address(c)) {
		ctx_params_for(c, addr);
		if (admitted(c))
			reply_build(c, DHCPACK, addr, lease_time(c));
		return;
	}
	struct lease *l = lease_by_addr(c->db, addr);
	if (!l || !lease_usable(l, &c->key, c->rq->now)) {
		refuse(c, addr, l ? "address belongs to another client" : "address not in a pool");
		return;
	}
	if (!pool_permits(c, conf_range_of(c->cfg, addr))) {
		refuse(c, addr, "the address's pool does not permit this client");
		return;
	}
	ctx_params_for(c, addr);
	if (!admitted(c))
		return;
	uint32_t t = lease_time(c);
	bind_lease(c, l, c->rq->now + t, false);
	if (c->params.flag[FLAG_ONE_LEASE])
		release_others(c, l);
	reply_build(c, DHCPACK, addr, t);
}

static void on_bootp(struct ctx *c)
{
	uint32_t fixed = fixed_address(c);
	struct lease *l = fixed ? NULL : choose_lease(c, true);
	uint32_t addr = fixed ? fixed : l ? l->addr : 0;
	if (!addr) {
		c->res->why = "no free dynamic-bootp leases";
		return;
	}
	ctx_params_for(c, addr);
	if (!admitted(c) || c->params.allow[ALLOW_BOOTP] != MODE_ALLOW) {
		c->res->why = c->res->why ? c->res->why : "bootp denied";
		return;
	}
	if (l)
		bind_lease(c, l, LEASE_NEVER, true);
	else
		c->res->fixed_host = c->host->name;
	reply_build(c, DHCP_BOOTP, addr, 0);
}

/* RELEASE and DECLINE change a lease the client owns and send nothing. */
static void end_lease(struct ctx *c, uint32_t addr, enum lease_state state)
{
	struct lease *l = lease_by_addr(c->db, addr);
	if (!l || !client_key_equal(&l->client, &c->key) || l->state != LS_ACTIVE) {
		c->res->why = "not this client's lease";
		return;
	}
	l->state = (uint8_t)state;
	l->ends = c->rq->now;
	l->offer_until = 0;
	c->res->commit = l;
}

static void on_release(struct ctx *c)
{
	end_lease(c, c->pkt->h.ciaddr, LS_RELEASED);
}

static void on_decline(struct ctx *c)
{
	uint32_t addr;
	if (dhcp_opt_u32(c->pkt, OPT_REQUESTED_IP, &addr))
		end_lease(c, addr, LS_ABANDONED);
}

static void on_inform(struct ctx *c)
{
	uint32_t addr = c->pkt->h.ciaddr;
	if (!addr || !same_network(c, addr)) {
		c->res->why = "INFORM from an address not on this network";
		return;
	}
	ctx_params_for(c, addr);
	reply_build(c, DHCPACK, 0, 0);
}

static bool is_pxe_client(const struct dhcp_packet *pkt)
{
	size_t n;
	const uint8_t *vc = dhcp_opt(pkt, OPT_VENDOR_CLASS, &n);
	return vc && n >= 9 && memcmp(vc, "PXEClient", 9) == 0;
}

/* proxyDHCP (PXE spec 2.2): to a PXE client's DISCOVER, an offer without an
 * address; to its REQUEST (port 67 with our server id, or port 4011), an
 * ACK without one (from 4011 back to the client's source port, see
 * set_dest). Another server hands out the addresses. */
static void on_proxy(struct ctx *c)
{
	uint32_t sid;
	uint8_t type = c->pkt->msg_type;
	if (!is_pxe_client(c->pkt) || (type != DHCPDISCOVER && type != DHCPREQUEST)) {
		c->res->why = "proxyDHCP: only PXE clients' DISCOVER and REQUEST are answered";
		return;
	}
	if (type == DHCPREQUEST && dhcp_opt_u32(c->pkt, OPT_SERVER_ID, &sid) && sid != c->server_id) {
		c->res->why = "proxyDHCP: REQUEST for another server";
		return;
	}
	ctx_params_for(c, c->pkt->h.ciaddr && same_network(c, c->pkt->h.ciaddr) ? c->pkt->h.ciaddr : c->subnet->net);
	if (!c->params.filename || !c->params.filename[0]) {
		c->res->why = "proxyDHCP: no boot file for this client";
		return;
	}
	reply_build(c, type == DHCPDISCOVER ? DHCPOFFER : DHCPACK, 0, 0);
}

static void on_ignored(struct ctx *c)
{
	c->res->why = "server message type";
}

typedef void msg_fn(struct ctx *c);

static msg_fn *const handlers[] = {
	[DHCP_BOOTP] = on_bootp,
	[DHCPDISCOVER] = on_discover,
	[DHCPOFFER] = on_ignored,
	[DHCPREQUEST] = on_request,
	[DHCPDECLINE] = on_decline,
	[DHCPACK] = on_ignored,
	[DHCPNAK] = on_ignored,
	[DHCPRELEASE] = on_release,
	[DHCPINFORM] = on_inform,
};

void dhcp_handle(struct lease_db *db, const struct dhcp_request *rq, struct dhcp_result *res)
{
	const struct dhcp_packet *pkt = rq->pkt;
	memset(res, 0, offsetof(struct dhcp_result, server_id));
	struct ctx c = { .db = db, .cfg = lease_db_config(db), .rq = rq, .pkt = pkt, .res = res };
	uint32_t where = pkt->h.giaddr ? pkt->h.giaddr : rq->if_addr;
	c.subnet = where ? conf_subnet_of(c.cfg, where) : NULL;
	if (!c.subnet) {
		res->why = "no subnet declared for this network";
		return;
	}
	size_t uid_len = 0;
	const uint8_t *uid = dhcp_opt(pkt, OPT_CLIENT_ID, &uid_len);
	client_key_make(&c.key, pkt->h.htype, pkt->h.chaddr, pkt->h.hlen, uid, uid_len);
	c.server_id = rq->if_addr;
	c.host = find_host(c.cfg, pkt);
	if (rq->boot_port && (!c.subnet->proxy_line || !rq->peer_addr))
		res->why = "port 4011: only a proxyDHCP subnet's clients with an address are answered there";
	else if (c.subnet->proxy_line)
		on_proxy(&c);
	else
		handlers[pkt->msg_type](&c);
}
