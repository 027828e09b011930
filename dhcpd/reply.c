/* Building replies: fixed fields, options in the order clients need them,
 * and where the reply goes (RFC 2131 4.1). */
#include "server_ctx.h"

#include <string.h>

void ctx_params_for(struct ctx *c, uint32_t addr)
{
	const struct conf_range *r = conf_range_of(c->cfg, addr);
	const struct conf_subnet *s = conf_subnet_of(c->cfg, addr);
	const struct conf_scope *outer = r ? r->scope : s ? s->scope : &c->cfg->global;
	conf_params_for(&c->params, c->cfg, outer, c->host, c->pkt);
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static void reply_header(struct ctx *c, uint8_t type, uint32_t yiaddr)
{
	const struct dhcp_hdr *in = &c->pkt->h;
	struct dhcp_out *o = &c->res->out;
	memset(&o->h, 0, sizeof o->h);
	o->msg_type = type;
	o->h.op = BOOTREPLY;
	o->h.htype = in->htype;
	o->h.hlen = in->hlen;
	o->h.xid = in->xid;
	o->h.flags = in->flags;
	o->h.ciaddr = type == DHCPNAK ? 0 : in->ciaddr;
	o->h.yiaddr = yiaddr;
	o->h.giaddr = in->giaddr;
	memcpy(o->h.chaddr, in->chaddr, sizeof o->h.chaddr);
	c->res->server_id[0] = 0;
	uint32_t sid = c->server_id;
	if (c->params.opt_len[OPT_SERVER_ID] == 4)
		memcpy(&c->res->server_id, c->params.opt[OPT_SERVER_ID], 4);
	else
		put32(c->res->server_id, sid);
}

/* Options never sent from the config: they describe the exchange. */
static bool exchange_option(uint8_t code)
{
	return code == OPT_MSG_TYPE || code == OPT_PRL || code == OPT_REQUESTED_IP || code == OPT_CLIENT_ID ||
	       code == OPT_RELAY_AGENT || code == OPT_MAX_SIZE || code == OPT_SERVER_ID || code == OPT_LEASE_TIME ||
	       code == OPT_PAD || code == OPT_END;
}

struct opt_set {
	uint8_t sent[32];
};

static void add_once(struct ctx *c, struct opt_set *s, uint8_t code, const uint8_t *data, size_t len)
{
	if (!data || (s->sent[code / 8] & (1u << (code % 8))))
		return;
	if (dhcp_out_add(&c->res->out, code, data, len))
		s->sent[code / 8] |= (uint8_t)(1u << (code % 8));
}

/* A configured option, or the subnet's mask and broadcast by default. */
static void add_configured(struct ctx *c, struct opt_set *s, uint8_t code)
{
	if (exchange_option(code))
		return;
	if (c->params.opt[code]) {
		add_once(c, s, code, c->params.opt[code], c->params.opt_len[code]);
	} else if (code == OPT_SUBNET_MASK && c->subnet) {
		const struct conf_subnet *sn = conf_subnet_of(c->cfg, c->res->out.h.yiaddr ? c->res->out.h.yiaddr
											 : c->pkt->h.ciaddr);
		sn = sn ? sn : c->subnet;
		put32(c->res->mask, sn->mask);
		add_once(c, s, code, c->res->mask, 4);
	} else if (code == OPT_BROADCAST && c->subnet) {
		const struct conf_subnet *sn = conf_subnet_of(c->cfg, c->res->out.h.yiaddr);
		sn = sn ? sn : c->subnet;
		put32(c->res->bcast, sn->net | ~sn->mask);
		add_once(c, s, code, c->res->bcast, 4);
	}
}

/* Option 43 from vendor-option-space, unless option 43 itself is set. */
static void encapsulate_vendor_space(struct ctx *c)
{
	if (c->params.opt[OPT_VENDOR_OPTS])
		return;
	size_t n = conf_vendor_options(&c->params, c->res->vendor, sizeof c->res->vendor);
	if (n) {
		c->params.opt[OPT_VENDOR_OPTS] = c->res->vendor;
		c->params.opt_len[OPT_VENDOR_OPTS] = (uint16_t)n;
	}
}

static const uint8_t pxe_discovery_control[] = { 6, 1, 8, OPT_END };

/* For a PXE client given a boot file here: option 60 "PXEClient" stops
 * iPXE waiting 2-3 s for proxyDHCP offers, and OVMF accepts it only with
 * option 43 (PXE discovery control 8: boot the file given, no boot server
 * discovery). Without a file here a proxyDHCP server owns the boot, so
 * neither is sent. The client's UUID (97) is echoed as the PXE spec asks;
 * UEFI HTTP boot needs 60 "HTTPClient" back. */
static void add_boot_client_options(struct ctx *c, struct opt_set *s)
{
	size_t n, vc_len;
	const uint8_t *vc = dhcp_opt(c->pkt, OPT_VENDOR_CLASS, &vc_len);
	if (vc && vc_len >= 10 && memcmp(vc, "HTTPClient", 10) == 0)
		add_once(c, s, OPT_VENDOR_CLASS, (const uint8_t *)"HTTPClient", 10);
	if (!vc || vc_len < 9 || memcmp(vc, "PXEClient", 9) != 0)
		return;
	const uint8_t *uuid = dhcp_opt(c->pkt, OPT_UUID, &n);
	add_once(c, s, OPT_UUID, uuid, n);
	if (!c->params.filename || !c->params.filename[0])
		return;
	add_once(c, s, OPT_VENDOR_CLASS, (const uint8_t *)"PXEClient", 9);
	if (c->params.opt[OPT_VENDOR_OPTS])
		add_once(c, s, OPT_VENDOR_OPTS, c->params.opt[OPT_VENDOR_OPTS], c->params.opt_len[OPT_VENDOR_OPTS]);
	else
		add_once(c, s, OPT_VENDOR_OPTS, pxe_discovery_control, sizeof pxe_discovery_control);
}

/* ISC's order: the essentials, then what the client asked for (option
 * 55), or everything configured when it asked for nothing. */
static void add_options(struct ctx *c, uint32_t lease_time)
{
	static const uint8_t essentials[] = { OPT_SUBNET_MASK, OPT_ROUTERS, OPT_DNS, OPT_HOST_NAME, OPT_DOMAIN_NAME };
	struct opt_set s = { { 0 } };
	struct dhcp_out *o = &c->res->out;
	encapsulate_vendor_space(c);
	if (o->msg_type)
		add_once(c, &s, OPT_SERVER_ID, c->res->server_id, 4);
	if (c->subnet->proxy_line) {       /* boot information only */
		add_boot_client_options(c, &s);
		return;
	}
	if (lease_time) {
		put32(c->res->lease_time, lease_time);
		add_once(c, &s, OPT_LEASE_TIME, c->res->lease_time, 4);
	}
	for (size_t i = 0; i < sizeof essentials; i++)
		add_configured(c, &s, essentials[i]);
	size_t n;
	const uint8_t *prl = dhcp_opt(c->pkt, OPT_PRL, &n);
	for (size_t i = 0; prl && i < n; i++)
		add_configured(c, &s, prl[i]);
	for (unsigned code = 1; !prl && code < 255; code++)
		add_configured(c, &s, (uint8_t)code);
	add_boot_client_options(c, &s);
	const uint8_t *rai = dhcp_opt(c->pkt, OPT_RELAY_AGENT, &n);
	if (c->pkt->h.giaddr)
		add_once(c, &s, OPT_RELAY_AGENT, rai, n); /* RFC 3046: echoed, last */
}

static void set_dest(struct ctx *c)
{
	struct dhcp_result *r = c->res;
	const struct dhcp_hdr *in = &c->pkt->h;
	if (c->rq->boot_port) {   /* UEFI firmware listens for the boot server on 4011 only */
		r->dest = DEST_PEER;
		r->dest_addr = c->rq->peer_addr;
		r->dest_port = c->rq->peer_port;
	} else if (in->giaddr) {
		r->dest = DEST_RELAY;
		r->dest_addr = in->giaddr;
		if (r->out.msg_type == DHCPNAK)
			r->out.h.flags |= DHCP_FLAG_BROADCAST;
	} else if (r->out.msg_type == DHCPNAK) {
		r->dest = DEST_BROADCAST;
	} else if (in->ciaddr) {
		r->dest = DEST_CIADDR;
		r->dest_addr = in->ciaddr;
	} else if ((r->out.h.flags & DHCP_FLAG_BROADCAST) || !r->out.h.yiaddr) {
		r->dest = DEST_BROADCAST;   /* a proxyDHCP offer gives no address to unicast to */
	} else {
		r->dest = DEST_HWADDR;
		r->dest_addr = r->out.h.yiaddr;
	}
}

static const char *const event_of[] = {
	[DHCP_BOOTP] = "ack", [DHCPOFFER] = "offer", [DHCPACK] = "ack", [DHCPNAK] = "nak",
};

void reply_build(struct ctx *c, uint8_t type, uint32_t yiaddr, uint32_t lease_time)
{
	reply_header(c, type, yiaddr);
	struct dhcp_hdr *h = &c->res->out.h;
	if (c->params.has_next_server)
		h->siaddr = c->params.next_server;
	if (c->params.filename)
		strncpy(h->file, c->params.filename, sizeof h->file - 1);
	if (c->params.server_name)
		strncpy(h->sname, c->params.server_name, sizeof h->sname - 1);
	if (c->params.flag[FLAG_BROADCAST])
		h->flags |= DHCP_FLAG_BROADCAST;
	add_options(c, lease_time);
	set_dest(c);
	c->res->event = event_of[type];
}

void reply_nak(struct ctx *c, const char *why)
{
	reply_header(c, DHCPNAK, 0);
	struct opt_set s = { { 0 } };
	add_once(c, &s, OPT_SERVER_ID, c->res->server_id, 4);
	size_t n = strlen(why) < sizeof c->res->msg ? strlen(why) : sizeof c->res->msg;
	memcpy(c->res->msg, why, n);
	add_once(c, &s, OPT_MESSAGE, c->res->msg, n);
	const uint8_t *rai = dhcp_opt(c->pkt, OPT_RELAY_AGENT, &n);
	if (c->pkt->h.giaddr)
		add_once(c, &s, OPT_RELAY_AGENT, rai, n);
	set_dest(c);
	c->res->event = "nak";
	c->res->why = why;
}
