/* Loading the config and reading it: parameters in force for a scope,
 * subnet/range/host look-ups. */
#include "conf.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slurp.h"

struct dhcp_config *conf_load(const char *path, char *err, size_t err_size,
			      conf_warn_fn *warn, void *warn_ctx)
{
	size_t len;
	char *src = slurp(path, 1 << 24, &len);
	if (!src) {
		snprintf(err, err_size, "%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	struct dhcp_config *cfg = conf_parse(path, src, len, err, err_size, warn, warn_ctx);
	free(src);
	return cfg;
}

/* ISC's defaults (dhcpd.conf(5)). */
void conf_params_init(struct conf_params *p)
{
	memset(p, 0, sizeof *p);
	p->default_lease = 43200;
	p->max_lease = 86400;
	p->min_lease = 0;
}

typedef void apply_fn(struct conf_params *p, const struct conf_stmt *st);

static void apply_space_option(struct conf_params *p, const struct conf_stmt *st)
{
	size_t i = 0;
	while (i < p->n_sub && (p->sub[i].space != st->num || p->sub[i].code != st->code))
		i++;
	if (i == sizeof p->sub / sizeof p->sub[0])
		return;
	p->n_sub += i == p->n_sub;
	p->sub[i] = (struct conf_space_opt){ (uint8_t)st->num, st->code, st->len, st->data };
}

static void apply_option(struct conf_params *p, const struct conf_stmt *st)
{
	if (st->num) {
		apply_space_option(p, st);
		return;
	}
	p->opt[st->code] = st->data;
	p->opt_len[st->code] = st->len;
}

static void apply_vendor_space(struct conf_params *p, const struct conf_stmt *st)
{
	p->vendor_space = (uint8_t)st->num;
}

static void apply_site_space(struct conf_params *p, const struct conf_stmt *st)
{
	p->site_space = (uint8_t)st->num;
}

/* site-option-space (ISC): from the space's lowest defined code up,
 * options come from that space, as options of their own codes (PXELINUX's
 * 208-211). */
static void site_options(struct conf_params *p, const struct opt_table *t)
{
	if (!p->site_space)
		return;
	unsigned lowest = 256;
	for (size_t i = 0; i < t->n; i++)
		if (t->defs[i].space == p->site_space && t->defs[i].code < lowest)
			lowest = t->defs[i].code;
	for (unsigned code = lowest; code < 256; code++)
		p->opt[code] = NULL;
	for (size_t i = 0; i < p->n_sub; i++) {
		const struct conf_space_opt *o = &p->sub[i];
		if (o->space == p->site_space && o->code >= lowest) {
			p->opt[o->code] = o->data;
			p->opt_len[o->code] = o->len;
		}
	}
}

size_t conf_vendor_options(const struct conf_params *p, uint8_t *buf, size_t size)
{
	size_t len = 0;
	for (size_t i = 0; p->vendor_space && i < p->n_sub; i++) {
		const struct conf_space_opt *o = &p->sub[i];
		if (o->space != p->vendor_space || o->len > 255 || len + 2 + o->len + 1 > size)
			continue;
		buf[len++] = o->code;
		buf[len++] = (uint8_t)o->len;
		memcpy(buf + len, o->data, o->len);
		len += o->len;
	}
	if (len)
		buf[len++] = 255;
	return len;
}

/* Within one scope a filename for the client's kind beats the generic
 * one whatever their order (iPXE beats an architecture); an inner scope
 * beats an outer one. */
static void apply_filename(struct conf_params *p, const struct conf_stmt *st)
{
	unsigned rank = st->code == BOOT_ANY ? 0 : st->code == BOOT_IPXE ? 2 : 1;
	bool matches = st->code == BOOT_ANY || (st->code == BOOT_IPXE ? p->ipxe : st->code == p->arch);
	if (!matches || (p->file_mark == p->mark && rank < p->file_rank))
		return;
	p->filename = (const char *)st->data;
	p->file_rank = rank;
	p->file_mark = p->mark;
}

static void apply_server_name(struct conf_params *p, const struct conf_stmt *st)
{
	p->server_name = (const char *)st->data;
}

static void apply_next_server(struct conf_params *p, const struct conf_stmt *st)
{
	p->has_next_server = true;
	p->next_server = st->num;
}

static void apply_default_lease(struct conf_params *p, const struct conf_stmt *st)
{
	p->default_lease = st->num;
}

static void apply_max_lease(struct conf_params *p, const struct conf_stmt *st)
{
	p->max_lease = st->num;
}

static void apply_min_lease(struct conf_params *p, const struct conf_stmt *st)
{
	p->min_lease = st->num;
}

static void apply_allow(struct conf_params *p, const struct conf_stmt *st)
{
	p->allow[st->code] = (uint8_t)st->num;
}

static void apply_authoritative(struct conf_params *p, const struct conf_stmt *st)
{
	p->authoritative = st->num != 0;
}

static void apply_flag(struct conf_params *p, const struct conf_stmt *st)
{
	p->flag[st->code] = st->num != 0;
}

static void apply_list(struct conf_params *p, const struct conf_stmt *list, size_t n);

static void apply_if(struct conf_params *p, const struct conf_stmt *st)
{
	if (expr_true(st->cond, p->pkt))
		apply_list(p, st->then_list, st->n_then);
	else
		apply_list(p, st->otherwise, st->n_otherwise);
}

static apply_fn *const appliers[] = {
	[STMT_OPTION] = apply_option,
	[STMT_FILENAME] = apply_filename,
	[STMT_SERVER_NAME] = apply_server_name,
	[STMT_NEXT_SERVER] = apply_next_server,
	[STMT_DEFAULT_LEASE] = apply_default_lease,
	[STMT_MAX_LEASE] = apply_max_lease,
	[STMT_MIN_LEASE] = apply_min_lease,
	[STMT_ALLOW] = apply_allow,
	[STMT_AUTHORITATIVE] = apply_authoritative,
	[STMT_IF] = apply_if,
	[STMT_VENDOR_SPACE] = apply_vendor_space,
	[STMT_FLAG] = apply_flag,
	[STMT_SITE_SPACE] = apply_site_space,
};

static void apply_list(struct conf_params *p, const struct conf_stmt *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		appliers[list[i].kind](p, &list[i]);
}

static bool is_ancestor_or_self(const struct conf_scope *s, const struct conf_scope *of)
{
	for (; of; of = of->parent)
		if (s == of)
			return true;
	return false;
}

void conf_apply_limited(struct conf_params *p, const struct conf_scope *inner, const struct conf_scope *limit,
			const struct dhcp_packet *pkt)
{
	const struct conf_scope *chain[32];
	size_t n = 0;
	if (pkt != p->pkt || !pkt) {
		p->pkt = pkt;
		p->arch = pkt ? conf_boot_arch(pkt) : BOOT_ANY;
		p->ipxe = pkt && conf_is_ipxe(pkt);
	}
	for (const struct conf_scope *s = inner; s && n < 32 && !is_ancestor_or_self(s, limit); s = s->parent)
		chain[n++] = s;
	while (n-- > 0) {
		p->mark++;
		apply_list(p, chain[n]->stmts, chain[n]->n_stmts);
	}
}

void conf_apply(struct conf_params *p, const struct conf_scope *inner, const struct dhcp_packet *pkt)
{
	conf_apply_limited(p, inner, NULL, pkt);
}

/* A spawning class makes one subclass per value of its spawn expression;
 * without lease limits every such subclass is the class itself. */
static bool in_class(const struct conf_class *c, const struct dhcp_packet *pkt)
{
	struct expr_value v;
	if (c->spawn) {
		expr_data(c->spawn, pkt, &v);
		return !v.null && (!c->match || expr_true(c->match, pkt));
	}
	if (!c->parent)
		return c->match && expr_is_boolean(c->match) && expr_true(c->match, pkt);
	expr_data(c->parent->match, pkt, &v);
	return !v.null && v.len == c->len && memcmp(v.b, c->data, v.len) == 0;
}

/* A class block's own statements only: classes are global, no outer scope. */
static void apply_class_block(struct conf_params *p, const struct conf_scope *block, const struct dhcp_packet *pkt)
{
	if (block)
		conf_apply_limited(p, block, block->parent, pkt);
}

/* A subclass member gets its class's statements, then its own block's
 * (none for a bare subclass), which override them: in ISC the subclass
 * scope nests in the class's. */
static void apply_class(struct conf_params *p, const struct conf_class *c, const struct dhcp_packet *pkt)
{
	if (c->parent)
		apply_class_block(p, c->parent->scope, pkt);
	apply_class_block(p, c->scope, pkt);
}

void conf_params_for(struct conf_params *p, const struct dhcp_config *cfg, const struct conf_scope *outer,
		     const struct conf_host *host, const struct dhcp_packet *pkt)
{
	conf_params_init(p);
	conf_apply(p, outer, pkt);
	for (size_t i = 0; pkt && i < cfg->n_classes; i++)
		if (cfg->classes[i].match || cfg->classes[i].parent || cfg->classes[i].spawn)
			if (in_class(&cfg->classes[i], pkt))
				apply_class(p, &cfg->classes[i], pkt);
	if (host)
		conf_apply_limited(p, host->scope, outer, pkt);
	site_options(p, &cfg->opts);
	if (p->flag[FLAG_HOST_DECL_NAMES] && host && !p->opt[OPT_HOST_NAME]) {
		p->opt[OPT_HOST_NAME] = (const uint8_t *)host->name;
		p->opt_len[OPT_HOST_NAME] = (uint16_t)strlen(host->name);
	}
}

static const char *const boot_names[BOOT_N] = {
	[BOOT_ANY] = "any", [BOOT_BIOS] = "bios", [BOOT_UEFI_IA32] = "uefi-ia32", [BOOT_UEFI_X64] = "uefi-x64",
	[BOOT_UEFI_ARM32] = "uefi-arm32", [BOOT_UEFI_ARM64] = "uefi-arm64", [BOOT_HTTP_IA32] = "http-ia32",
	[BOOT_HTTP_X64] = "http-x64", [BOOT_HTTP_ARM32] = "http-arm32", [BOOT_HTTP_ARM64] = "http-arm64",
	[BOOT_IPXE] = "ipxe",
};

const char *conf_boot_name(enum boot_kind k)
{
	return boot_names[k];
}

bool conf_boot_parse(const char *name, enum boot_kind *k)
{
	for (unsigned i = 1; i < BOOT_N; i++) {
		if (strcmp(name, boot_names[i]) == 0) {
			*k = (enum boot_kind)i;
			return true;
		}
	}
	return false;
}

/* RFC 4578 processor architecture types; 9 is x64 in practice (firmware
 * sends it though the registry says EBC). */
static const uint8_t arch_kinds[] = {
	[0] = BOOT_BIOS, [6] = BOOT_UEFI_IA32, [7] = BOOT_UEFI_X64, [9] = BOOT_UEFI_X64,
	[10] = BOOT_UEFI_ARM32, [11] = BOOT_UEFI_ARM64, [15] = BOOT_HTTP_IA32, [16] = BOOT_HTTP_X64,
	[19] = BOOT_HTTP_ARM32, [20] = BOOT_HTTP_ARM64,
};

enum boot_kind conf_boot_arch(const struct dhcp_packet *pkt)
{
	size_t n;
	const uint8_t *a = dhcp_opt(pkt, OPT_ARCH, &n);
	unsigned arch;
	const uint8_t *vc = dhcp_opt(pkt, OPT_VENDOR_CLASS, &n);
	char digits[6] = "";
	if (a && n >= 2) {
		arch = (unsigned)(a[0] << 8 | a[1]);
	} else if (vc && n >= 20 && memcmp(vc + 9, ":Arch:", 6) == 0) {
		memcpy(digits, vc + 15, 5);
		arch = (unsigned)strtoul(digits, NULL, 10);
	} else {
		return BOOT_ANY;
	}
	if (arch >= sizeof arch_kinds || !arch_kinds[arch])
		return BOOT_ANY;
	return (enum boot_kind)arch_kinds[arch];
}

bool conf_is_ipxe(const struct dhcp_packet *pkt)
{
	size_t n;
	if (dhcp_opt(pkt, 175, &n))
		return true;
	const uint8_t *uc = dhcp_opt(pkt, OPT_USER_CLASS, &n);
	return uc && ((n == 4 && memcmp(uc, "iPXE", 4) == 0) || (n == 5 && memcmp(uc, "\x04iPXE", 5) == 0));
}

const struct conf_subnet *conf_subnet_of(const struct dhcp_config *cfg, uint32_t addr)
{
	const struct conf_subnet *best = NULL;
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const struct conf_subnet *s = &cfg->subnets[i];
		if ((addr & s->mask) == s->net && (!best || s->mask > best->mask))
			best = s;
	}
	return best;
}

const struct conf_range *conf_range_of(const struct dhcp_config *cfg, uint32_t addr)
{
	size_t lo = 0, hi = cfg->n_ranges;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct conf_range *r = &cfg->ranges[mid];
		if (addr < r->lo)
			hi = mid;
		else if (addr > r->hi)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

const struct conf_host *conf_host_by_hw(const struct dhcp_config *cfg, uint8_t htype,
					const uint8_t *hw, uint8_t hlen, const struct conf_host *after)
{
	size_t i = after ? (size_t)(after - cfg->hosts) + 1 : 0;
	for (; i < cfg->n_hosts; i++) {
		const struct conf_host *h = &cfg->hosts[i];
		if (h->hlen == hlen && h->htype == htype && memcmp(h->hw, hw, hlen) == 0)
			return h;
	}
	return NULL;
}
