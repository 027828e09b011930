/* Parameter statements: what a scope sets for the clients in it. */
#include "parse.h"

#include <stdlib.h>
#include <string.h>
#include <syslog.h>

static int add(struct parser *p, struct block *b, enum stmt_kind kind, uint8_t code, uint32_t num,
	       const void *data, size_t len)
{
	struct conf_stmt st = { .kind = kind, .code = code, .num = num, .len = (uint16_t)len };
	if (data && !(st.data = arena_dup(p->cfg->arena, data, len)))
		return p_error(p, p_peek(p)->line, "config", "out of memory");
	return p_add_stmt(p, b, &st);
}

static int quoted(struct parser *p, const char *kw, char *buf, size_t size)
{
	const struct token *t = p_next(p);
	if (t->kind != TOK_STRING)
		return p_error(p, t->line, kw, "quoted string expected, not '%s'", t->text);
	if (t->len >= size || memchr(t->text, 0, t->len))
		return p_error(p, t->line, kw, "string too long or holds a NUL byte");
	memcpy(buf, t->text, t->len + 1);
	return 0;
}

static int string_stmt(struct parser *p, struct block *b, const char *kw, enum stmt_kind kind, size_t max)
{
	char s[256];
	if (quoted(p, kw, s, max + 1) < 0 || p_semi(p, kw) < 0)
		return -1;
	return add(p, b, kind, 0, 0, s, strlen(s) + 1);
}

/* filename "file";  or, per boot kind,  filename uefi-x64 "file"; */
static int h_filename(struct parser *p, struct block *b, const char *kw, int line)
{
	enum boot_kind kind = BOOT_ANY;
	char w[32], s[128];
	if (p_peek(p)->kind == TOK_WORD) {
		if (p_word(p, kw, "boot kind", w, sizeof w) < 0)
			return -1;
		if (!conf_boot_parse(w, &kind))
			return p_error(p, line, kw, "unknown boot kind '%s' (bios, uefi-ia32, uefi-x64, uefi-arm32, "
				       "uefi-arm64, http-ia32, http-x64, http-arm32, http-arm64, ipxe)", w);
	}
	if (quoted(p, kw, s, sizeof s) < 0 || p_semi(p, kw) < 0)
		return -1;
	return add(p, b, STMT_FILENAME, (uint8_t)kind, 0, s, strlen(s) + 1);
}

static int h_server_name(struct parser *p, struct block *b, const char *kw, int line)
{
	return string_stmt(p, b, kw, STMT_SERVER_NAME, 63);
}

static int h_next_server(struct parser *p, struct block *b, const char *kw, int line)
{
	uint32_t a;
	if (p_ip(p, kw, &a) < 0 || p_semi(p, kw) < 0)
		return -1;
	return add(p, b, STMT_NEXT_SERVER, 0, a, NULL, 0);
}

static int seconds(struct parser *p, const char *kw, uint32_t *out)
{
	char w[32], *end;
	int line = p_peek(p)->line;
	if (p_word(p, kw, "number of seconds", w, sizeof w) < 0)
		return -1;
	unsigned long long v = strtoull(w, &end, 10);
	if (*end || end == w || v > 0xffffffffULL)
		return p_error(p, line, kw, "'%s' is not a number of seconds", w);
	*out = (uint32_t)v;
	return p_semi(p, kw);
}

static const struct { const char *kw; enum stmt_kind kind; } lease_times[] = {
	{ "default-lease-time", STMT_DEFAULT_LEASE },
	{ "max-lease-time", STMT_MAX_LEASE },
	{ "min-lease-time", STMT_MIN_LEASE },
};

static int h_lease_time(struct parser *p, struct block *b, const char *kw, int line)
{
	uint32_t v = 0;
	if (seconds(p, kw, &v) < 0)
		return -1;
	for (size_t i = 0; i < sizeof lease_times / sizeof lease_times[0]; i++)
		if (strcmp(kw, lease_times[i].kw) == 0)
			return add(p, b, lease_times[i].kind, 0, v, NULL, 0);
	return -1;
}

static const char *const allow_names[ALLOW_N] = {
	[ALLOW_BOOTING] = "booting", [ALLOW_BOOTP] = "bootp", [ALLOW_UNKNOWN] = "unknown-clients",
};

static const char *const mode_names[] = { [MODE_ALLOW] = "allow", [MODE_DENY] = "deny", [MODE_IGNORE] = "ignore" };

/* allow|deny [un]known-clients in a pool: ISC's permit lists. With an allow
 * the pool serves only whom its allows name; a deny refuses whom it names. */
static int pool_permit(struct parser *p, struct block *b, const char *kw, const char *what)
{
	uint8_t who = strcmp(what, "known-clients") == 0 ? POOL_KNOWN : POOL_UNKNOWN;
	if (strcmp(kw, "allow") == 0)
		b->scope->permit |= who;
	else
		b->scope->prohibit |= who;
	return p_semi(p, kw);
}

static int h_allow(struct parser *p, struct block *b, const char *kw, int line)
{
	char what[64];
	if (p_word(p, kw, "booting, bootp or unknown-clients", what, sizeof what) < 0)
		return -1;
	if ((strcmp(what, "unknown") == 0 || strcmp(what, "known") == 0) && p_accept(p, "clients"))
		strcat(what, "-clients");
	if (strcmp(what, "client-updates") == 0)   /* steers DDNS only, off as in ISC: ddns-update-style none */
		return p_semi(p, kw);
	bool in_pool = b->scope->kind == SCOPE_POOL && !b->in_if;
	if (in_pool && (strcmp(what, "unknown-clients") == 0 || strcmp(what, "known-clients") == 0))
		return pool_permit(p, b, kw, what);
	if (strcmp(what, "known-clients") == 0)
		return p_error(p, line, kw, "known-clients belongs in a pool (its permit list)");
	uint32_t mode = 0;
	while (strcmp(mode_names[mode], kw) != 0)
		mode++;
	for (uint8_t i = 0; i < ALLOW_N; i++)
		if (strcmp(what, allow_names[i]) == 0)
			return p_semi(p, kw) < 0 ? -1 : add(p, b, STMT_ALLOW, i, mode, NULL, 0);
	return p_error(p, line, kw, "'%s' is not supported (booting, bootp, unknown-clients, known-clients in a pool are)",
		       what);
}

static int h_authoritative(struct parser *p, struct block *b, const char *kw, int line)
{
	return p_semi(p, kw) < 0 ? -1 : add(p, b, STMT_AUTHORITATIVE, 0, 1, NULL, 0);
}

static int h_not(struct parser *p, struct block *b, const char *kw, int line)
{
	if (!p_accept(p, "authoritative"))
		return p_error(p, line, kw, "only 'not authoritative;' is supported");
	return p_semi(p, kw) < 0 ? -1 : add(p, b, STMT_AUTHORITATIVE, 0, 0, NULL, 0);
}

static int h_ddns_style(struct parser *p, struct block *b, const char *kw, int line)
{
	char w[32];
	if (p_word(p, kw, "none", w, sizeof w) < 0)
		return -1;
	if (strcmp(w, "none") != 0)
		return p_error(p, line, kw, "dynamic DNS updates are not supported; use 'ddns-update-style none;'");
	return p_semi(p, kw);
}

/* ISC's flag values: true/on or false/off, then ';'. */
static int flag(struct parser *p, const char *kw, int line, bool *on)
{
	char w[16];
	if (p_word(p, kw, "true or false", w, sizeof w) < 0)
		return -1;
	*on = strcmp(w, "true") == 0 || strcmp(w, "on") == 0;
	if (!*on && strcmp(w, "false") != 0 && strcmp(w, "off") != 0)
		return p_error(p, line, kw, "true or false expected");
	return p_semi(p, kw);
}

static int h_ping_check(struct parser *p, struct block *b, const char *kw, int line)
{
	bool on;
	if (flag(p, kw, line, &on) < 0)
		return -1;
	if (on)
		p_warn(p, line, kw, "this dhcpd never pings: an offered address is reserved for its client instead");
	return 0;
}

/* ISC's on/off statements: those obeyed, and those with one value only
 * here (the other is refused, saying why). */
static const struct {
	const char *kw;
	int flag;          /* enum conf_flag; -1: changes nothing here */
	int only;          /* -1: either value; else the one accepted */
	const char *why;
} flag_stmts[] = {
	{ "use-host-decl-names", FLAG_HOST_DECL_NAMES, -1, NULL },
	{ "one-lease-per-client", FLAG_ONE_LEASE, -1, NULL },
	{ "always-broadcast", FLAG_BROADCAST, -1, NULL },
	{ "ddns-updates", -1, 0, "dynamic DNS updates are not supported; use 'ddns-updates off;'" },
	{ "always-reply-rfc1048", -1, 1, "replies always carry RFC 1048 options (the magic cookie)" },
	/* steers dynamic DNS only, off here as in ISC with ddns-update-style none */
	{ "update-static-leases", -1, -1, NULL },
};

static int h_flag(struct parser *p, struct block *b, const char *kw, int line)
{
	bool on;
	if (flag(p, kw, line, &on) < 0)
		return -1;
	size_t i = 0;
	while (strcmp(flag_stmts[i].kw, kw) != 0)
		i++;
	if (flag_stmts[i].only >= 0 && on != flag_stmts[i].only)
		return p_error(p, line, kw, "%s", flag_stmts[i].why);
	return flag_stmts[i].flag < 0 ? 0 : add(p, b, STMT_FLAG, (uint8_t)flag_stmts[i].flag, on, NULL, 0);
}

/* boot-unknown-clients false;  is ISC's older spelling of deny unknown-clients. */
static int h_boot_unknown(struct parser *p, struct block *b, const char *kw, int line)
{
	bool on;
	if (flag(p, kw, line, &on) < 0)
		return -1;
	return add(p, b, STMT_ALLOW, ALLOW_UNKNOWN, on ? MODE_ALLOW : MODE_DENY, NULL, 0);
}

static int h_lease_file(struct parser *p, struct block *b, const char *kw, int line)
{
	char s[256];
	if (quoted(p, kw, s, sizeof s) < 0 || p_semi(p, kw) < 0)
		return -1;
	p->cfg->lease_file = arena_strdup(p->cfg->arena, s);
	return 0;
}

static const struct { const char *name; int facility; } facilities[] = {
	{ "daemon", LOG_DAEMON }, { "user", LOG_USER }, { "syslog", LOG_SYSLOG },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

static int h_log_facility(struct parser *p, struct block *b, const char *kw, int line)
{
	char w[32];
	if (p_word(p, kw, "facility", w, sizeof w) < 0)
		return -1;
	for (size_t i = 0; i < sizeof facilities / sizeof facilities[0]; i++) {
		if (strcmp(w, facilities[i].name) == 0) {
			p->cfg->log_facility = facilities[i].facility;
			return p_semi(p, kw);
		}
	}
	return p_error(p, line, kw, "unknown facility '%s' (daemon, user, local0..local7)", w);
}

/* option NAME code N = TYPE; */
static int option_define(struct parser *p, const char *name, int line)
{
	char code_w[16], words[6][32], *end;
	const char *wp[6];
	if (p_word(p, name, "option code", code_w, sizeof code_w) < 0)
		return -1;
	unsigned long code = strtoul(code_w, &end, 10);
	if (*end || code < 1 || code > 254)
		return p_error(p, line, name, "option code must be 1..254");
	if (!p_accept(p, "="))
		return p_error(p, line, name, "expected '=' after the option code");
	size_t n = 0;
	while (n < 6 && p_peek(p)->kind == TOK_WORD) {
		if (p_word(p, name, "type", words[n], sizeof words[n]) < 0)
			return -1;
		wp[n] = words[n];
		n++;
	}
	enum opt_type type;
	bool array;
	if (!opt_type_parse(wp, n, &type, &array))
		return p_error(p, line, name, "unsupported option type (ip-address, [un]signed integer 8/16/32, "
			       "boolean, text, string, optionally 'array of')");
	const char *e = opt_define(&p->cfg->opts, name, (uint8_t)code, type, array);
	return e ? p_error(p, line, name, "%s", e) : p_semi(p, name);
}

/* option NAME value[, value...]; */
static int option_value(struct parser *p, struct block *b, const struct opt_def *d, int line)
{
	uint8_t buf[1024];
	size_t len = 0;
	do {
		const struct token *t = p_next(p);
		if (t->kind != TOK_WORD && t->kind != TOK_STRING)
			return p_error(p, t->line, d->name, "value expected, not '%s'", t->text);
		const char *e = opt_encode(d->type, t->text, t->len, t->kind == TOK_STRING, buf, sizeof buf, &len);
		if (e)
			return p_error(p, t->line, d->name, "%s", e);
	} while (d->array && p_accept(p, ","));
	if (p_semi(p, d->name) < 0)
		return -1;
	if (d->space)
		return add(p, b, STMT_OPTION, d->code, d->space, buf, len);
	if (d->code == 61 && b->host) {
		b->host->uid = arena_dup(p->cfg->arena, buf, len);
		b->host->uid_len = (uint16_t)len;
	}
	return add(p, b, STMT_OPTION, d->code, 0, buf, len);
}

/* One of ISC's clauses after `option space NAME`. Option 43 encapsulation
 * has one-byte codes and lengths, so only width 1 is accepted; the hash
 * size is a hint to ISC's tables with no meaning here. */
static int space_clause(struct parser *p, int line)
{
	static const struct {
		const char *first, *second;
		unsigned long only;   /* the one value accepted, 0: any */
	} clauses[] = { { "code", "width", 1 }, { "length", "width", 1 }, { "hash", "size", 0 } };
	const size_t n_clauses = sizeof clauses / sizeof clauses[0];
	char w[16], num[16], *end;
	if (p_word(p, "option space", "clause", w, sizeof w) < 0)
		return -1;
	size_t i = 0;
	while (i < n_clauses && strcmp(w, clauses[i].first) != 0)
		i++;
	if (i == n_clauses)
		return p_error(p, line, w, "unknown option space clause (code width, length width, hash size)");
	if (!p_accept(p, clauses[i].second))
		return p_error(p, line, w, "expected '%s %s N'", w, clauses[i].second);
	if (p_word(p, w, "number", num, sizeof num) < 0)
		return -1;
	unsigned long v = strtoul(num, &end, 10);
	if (*end || !num[0] || (clauses[i].only && v != clauses[i].only))
		return p_error(p, line, w, "%s %s %s: only %s %s 1 is supported (option 43 encapsulation)", w,
			       clauses[i].second, num, w, clauses[i].second);
	return 0;
}

/* option space NAME [code width 1] [length width 1] [hash size N]; */
static int option_space(struct parser *p, struct block *b, int line)
{
	char name[32];
	if (b->scope->kind != SCOPE_GLOBAL)
		return p_error(p, line, "option space", "option spaces belong in the global scope");
	if (p_word(p, "option space", "space name", name, sizeof name) < 0)
		return -1;
	if (!opt_space_add(&p->cfg->opts, name))
		return p_error(p, line, "option space", "too many option spaces");
	while (p_peek(p)->kind == TOK_WORD)
		if (space_clause(p, line) < 0)
			return -1;
	return p_semi(p, "option space");
}

/* vendor-option-space NAME;  site-option-space "NAME";  (either quoted or not) */
static int h_option_space_use(struct parser *p, struct block *b, const char *kw, int line)
{
	const struct token *t = p_next(p);
	if ((t->kind != TOK_WORD && t->kind != TOK_STRING) || t->len >= 32)
		return p_error(p, line, kw, "option space name expected, not '%s'", t->text);
	char name[32];
	memcpy(name, t->text, t->len + 1);
	uint8_t space = opt_space_find(&p->cfg->opts, name);
	if (!space)
		return p_error(p, line, kw, "unknown option space '%s'; declare it with 'option space %s;'", name, name);
	enum stmt_kind kind = strcmp(kw, "site-option-space") == 0 ? STMT_SITE_SPACE : STMT_VENDOR_SPACE;
	return p_semi(p, kw) < 0 ? -1 : add(p, b, kind, 0, space, NULL, 0);
}

static int h_option(struct parser *p, struct block *b, const char *kw, int line)
{
	char name[64];
	if (p_word(p, kw, "option name", name, sizeof name) < 0)
		return -1;
	if (strcmp(name, "space") == 0)
		return option_space(p, b, line);
	if (p_accept(p, "code")) {
		if (b->scope->kind != SCOPE_GLOBAL)
			return p_error(p, line, name, "option definitions belong in the global scope");
		return option_define(p, name, line);
	}
	if (p_accept(p, "="))
		return p_error(p, line, name, "option values computed from expressions (option NAME = ...) are not "
			       "supported; give the value itself");
	if (strncmp(name, "fqdn.", 5) == 0)
		return p_error(p, line, name, "the client FQDN options (fqdn.*) serve dynamic DNS only, which is not "
			       "supported");
	const struct opt_def *d = opt_by_name(&p->cfg->opts, name);
	if (!d)
		return p_error(p, line, name, "unknown option; define it first with 'option %s code N = TYPE;'", name);
	return option_value(p, b, d, line);
}

const struct stmt_handler param_handlers[] = {
	{ "option", h_option, IN_PARAMS, true },
	{ "vendor-option-space", h_option_space_use, IN_PARAMS, true },
	{ "site-option-space", h_option_space_use, IN_PARAMS, true },
	{ "filename", h_filename, IN_PARAMS, true },
	{ "server-name", h_server_name, IN_PARAMS, true },
	{ "next-server", h_next_server, IN_PARAMS, true },
	{ "default-lease-time", h_lease_time, IN_PARAMS, true },
	{ "max-lease-time", h_lease_time, IN_PARAMS, true },
	{ "min-lease-time", h_lease_time, IN_PARAMS, true },
	{ "allow", h_allow, IN_PARAMS, true },
	{ "deny", h_allow, IN_PARAMS, true },
	{ "ignore", h_allow, IN_PARAMS, true },
	{ "authoritative", h_authoritative, IN_PARAMS, true },
	{ "not", h_not, IN_PARAMS, true },
	{ "ddns-update-style", h_ddns_style, IN(SCOPE_GLOBAL), false },
	{ "ping-check", h_ping_check, IN_PARAMS, true },
	{ "use-host-decl-names", h_flag, IN_PARAMS, true },
	{ "one-lease-per-client", h_flag, IN_PARAMS, true },
	{ "always-broadcast", h_flag, IN_PARAMS, true },
	{ "boot-unknown-clients", h_boot_unknown, IN_PARAMS, true },
	{ "ddns-updates", h_flag, IN_PARAMS, true },
	{ "always-reply-rfc1048", h_flag, IN_PARAMS, true },
	{ "update-static-leases", h_flag, IN_PARAMS, true },
	{ "lease-file-name", h_lease_file, IN(SCOPE_GLOBAL), false },
	{ "log-facility", h_log_facility, IN(SCOPE_GLOBAL), false },
};

const size_t n_param_handlers = sizeof param_handlers / sizeof param_handlers[0];
