/* Declarations: subnet, shared-network, group, pool, host and what only
 * they hold (range, hardware, fixed-address), and include. */
#include "parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "slurp.h"

static int h_subnet(struct parser *p, struct block *b, const char *kw, int line)
{
	uint32_t net, mask;
	if (p_ip(p, kw, &net) < 0)
		return -1;
	if (!p_accept(p, "netmask"))
		return p_error(p, line, kw, "expected 'netmask' after the subnet address");
	if (p_ip(p, kw, &mask) < 0)
		return -1;
	if ((~mask & (~mask + 1)) != 0 || (net & ~mask) != 0)
		return p_error(p, line, kw, "the netmask must be contiguous and the address a network address");
	struct conf_subnet *s = p_grow(p, (void **)&p->cfg->subnets, &p->cfg->n_subnets, &p->cap_subnets, sizeof *s);
	if (!s)
		return -1;
	s->net = net;
	s->mask = mask;
	s->shared = b->shared >= 0 ? b->shared : p->next_shared++;
	struct block in;
	int idx = (int)(p->cfg->n_subnets - 1);
	b->subnet = idx;
	int rc = p_block(p, b, &in, SCOPE_SUBNET, kw, line);
	b->subnet = -1;
	p->cfg->subnets[idx].scope = in.scope;
	return rc;
}

static int h_shared(struct parser *p, struct block *b, const char *kw, int line)
{
	const struct token *t = p_next(p);
	if (t->kind != TOK_WORD && t->kind != TOK_STRING)
		return p_error(p, line, kw, "name expected");
	struct block in;
	b->shared = p->next_shared++;
	int rc = p_block(p, b, &in, SCOPE_SHARED, kw, line);
	b->shared = -1;
	return rc;
}

static int h_group(struct parser *p, struct block *b, const char *kw, int line)
{
	struct block in;
	return p_block(p, b, &in, SCOPE_GROUP, kw, line);
}

static int h_pool(struct parser *p, struct block *b, const char *kw, int line)
{
	struct block in;
	return p_block(p, b, &in, SCOPE_POOL, kw, line);
}

static int h_host(struct parser *p, struct block *b, const char *kw, int line)
{
	const struct token *t = p_next(p);
	if (t->kind != TOK_WORD && t->kind != TOK_STRING)
		return p_error(p, line, kw, "host name expected");
	char *name = arena_strdup(p->cfg->arena, t->text);
	struct conf_host h = { .name = name };
	struct block in;
	b->host = &h;
	int rc = p_block(p, b, &in, SCOPE_HOST, kw, line);
	b->host = NULL;
	if (rc < 0)
		return rc;
	if (!h.hlen && !h.uid_len)
		return p_error(p, line, name, "host needs 'hardware ethernet' or 'option dhcp-client-identifier'");
	struct conf_host *dst = p_grow(p, (void **)&p->cfg->hosts, &p->cfg->n_hosts, &p->cap_hosts, sizeof *dst);
	if (!dst)
		return -1;
	*dst = h;
	dst->scope = in.scope;
	return 0;
}

static int h_hardware(struct parser *p, struct block *b, const char *kw, int line)
{
	char type[32], mac[64];
	if (p_word(p, kw, "hardware type", type, sizeof type) < 0 || p_word(p, kw, "hardware address", mac, sizeof mac) < 0)
		return -1;
	if (strcmp(type, "ethernet") != 0)
		return p_error(p, line, kw, "only 'hardware ethernet' is supported, not '%s'", type);
	int n = hex_parse(mac, b->host->hw, sizeof b->host->hw);
	if (n != 6)
		return p_error(p, line, kw, "'%s' is not an Ethernet address (aa:bb:cc:dd:ee:ff)", mac);
	b->host->htype = 1;
	b->host->hlen = 6;
	return p_semi(p, kw);
}

static int h_fixed_address(struct parser *p, struct block *b, const char *kw, int line)
{
	struct conf_host *h = b->host;
	do {
		if (h->n_fixed == sizeof h->fixed / sizeof h->fixed[0])
			return p_error(p, line, kw, "too many addresses");
		if (p_ip(p, kw, &h->fixed[h->n_fixed++]) < 0)
			return -1;
	} while (p_accept(p, ","));
	return p_semi(p, kw);
}

/* range [dynamic-bootp] LOW [HIGH];  as in ISC, a range inside an explicit
 * pool serves BOOTP clients without the keyword (ISC denies them only to
 * the pool it makes itself for a bare range in a subnet). */
static int h_range(struct parser *p, struct block *b, const char *kw, int line)
{
	bool dynamic_bootp = p_accept(p, "dynamic-bootp");
	struct conf_range r = { .dynamic_bootp = dynamic_bootp || b->scope->kind == SCOPE_POOL, .scope = b->scope };
	if (p_ip(p, kw, &r.lo) < 0)
		return -1;
	r.hi = r.lo;
	if (!tok_is(p_peek(p), ";") && p_ip(p, kw, &r.hi) < 0)
		return -1;
	if (r.hi < r.lo)
		return p_error(p, line, kw, "the first address must not be above the last");
	if (r.hi - r.lo >= (1u << 22))
		return p_error(p, line, kw, "range too large (at most 4194304 addresses)");
	const struct conf_subnet *s = b->subnet >= 0 ? &p->cfg->subnets[b->subnet] : NULL;
	if (s && ((r.lo & s->mask) != s->net || (r.hi & s->mask) != s->net))
		return p_error(p, line, kw, "range is not inside its subnet");
	struct conf_range *dst = p_grow(p, (void **)&p->cfg->ranges, &p->cfg->n_ranges, &p->cap_ranges, sizeof *dst);
	if (!dst)
		return -1;
	*dst = r;
	return p_semi(p, kw);
}

/* proxy-dhcp;  this subnet's addresses come from another DHCP server: answer
 * PXE clients with boot information only (PXE spec proxyDHCP). */
static int h_proxy(struct parser *p, struct block *b, const char *kw, int line)
{
	struct conf_subnet *s = &p->cfg->subnets[b->subnet];
	if (!s->proxy_line)
		p->cfg->n_proxy_subnets++;
	s->proxy_line = line;
	return p_semi(p, kw);
}

static int h_include(struct parser *p, struct block *b, const char *kw, int line)
{
	const struct token *t = p_next(p);
	if (t->kind != TOK_STRING)
		return p_error(p, line, kw, "quoted file name expected");
	char path[TOK_MAX + 1];
	memcpy(path, t->text, t->len + 1);
	if (p_semi(p, kw) < 0)
		return -1;
	if (p->depth == PARSE_MAX_INCLUDE)
		return p_error(p, line, kw, "includes nested too deep");
	size_t len;
	char *src = slurp(path, 1 << 24, &len);
	if (!src)
		return p_error(p, line, kw, "cannot read %s: %s", path, strerror(errno));
	p->src[p->depth] = src;
	p->names[p->depth] = strdup(path);
	lex_init(&p->lex[p->depth], p->names[p->depth], src, len);
	p->depth++;
	return 0;
}

const struct stmt_handler decl_handlers[] = {
	{ "subnet", h_subnet, IN(SCOPE_GLOBAL) | IN(SCOPE_SHARED) | IN(SCOPE_GROUP), false },
	{ "shared-network", h_shared, IN(SCOPE_GLOBAL) | IN(SCOPE_GROUP), false },
	{ "group", h_group, IN(SCOPE_GLOBAL) | IN(SCOPE_SHARED) | IN(SCOPE_SUBNET) | IN(SCOPE_GROUP), false },
	{ "pool", h_pool, IN(SCOPE_SHARED) | IN(SCOPE_SUBNET), false },
	{ "host", h_host, IN(SCOPE_GLOBAL) | IN(SCOPE_SHARED) | IN(SCOPE_SUBNET) | IN(SCOPE_GROUP), false },
	{ "hardware", h_hardware, IN(SCOPE_HOST), false },
	{ "fixed-address", h_fixed_address, IN(SCOPE_HOST), false },
	{ "range", h_range, IN(SCOPE_SUBNET) | IN(SCOPE_POOL), false },
	{ "include", h_include, IN(SCOPE_GLOBAL), false },
	{ "proxy-dhcp", h_proxy, IN(SCOPE_SUBNET), false },
};

const size_t n_decl_handlers = sizeof decl_handlers / sizeof decl_handlers[0];
