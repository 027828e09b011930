/* dhcpd.leases reader and writer. Times are UTC ("W YYYY/MM/DD HH:MM:SS"),
 * or "epoch N", or "never". Statements this dhcpd has no use for are
 * skipped and counted, as ISC's own reader skips what it does not know
 * from a newer version. */
#include "leasefile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lex.h"

/* A truncated, NUL-terminated copy of a token's text. */
static void copy_text(char *dst, size_t size, const struct token *t)
{
	size_t n = t->len < size - 1 ? t->len : size - 1;
	memcpy(dst, t->text, n);
	dst[n] = '\0';
}

struct reader {
	struct lexer lx;
	char *err;
	size_t err_size;
	struct leasefile_stats *st;
};

static int fail(struct reader *r, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(struct reader *r, int line, const char *fmt, ...)
{
	int n = snprintf(r->err, r->err_size, "%s:%d: ", r->lx.file, line);
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->err_size)
		vsnprintf(r->err + n, r->err_size - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Skips the rest of a statement: to ';' or past a balanced block. */
static int skip_statement(struct reader *r)
{
	int depth = 0;
	for (;;) {
		const struct token *t = lex_next(&r->lx);
		if (t->kind == TOK_EOF || t->kind == TOK_ERROR)
			return fail(r, t->line, "unterminated statement");
		if (tok_is(t, "{"))
			depth++;
		else if (tok_is(t, "}") && --depth <= 0)
			return 0;
		else if (tok_is(t, ";") && depth == 0)
			return 0;
	}
}

static int expect_semi(struct reader *r)
{
	const struct token *t = lex_next(&r->lx);
	return tok_is(t, ";") ? 0 : fail(r, t->line, "expected ';', not '%s'", t->text);
}

static int read_time(struct reader *r, int64_t *out)
{
	const struct token *t = lex_next(&r->lx);
	int line = t->line;
	if (tok_is(t, "never")) {
		*out = LEASE_NEVER;
		return expect_semi(r);
	}
	if (tok_is(t, "epoch")) {
		t = lex_next(&r->lx);
		char *end;
		*out = strtoll(t->text, &end, 10);
		return *end || t->kind != TOK_WORD ? fail(r, line, "bad epoch time") : expect_semi(r);
	}
	char date[32];
	copy_text(date, sizeof date, lex_next(&r->lx));
	t = lex_next(&r->lx);
	struct tm tm = { 0 };
	char *end = strptime(date, "%Y/%m/%d", &tm);
	if (!end || *end || !(end = strptime(t->text, "%H:%M:%S", &tm)) || *end)
		return fail(r, line, "bad time (want W YYYY/MM/DD HH:MM:SS)");
	*out = (int64_t)timegm(&tm);
	return expect_semi(r);
}

struct record {
	int64_t starts, ends, cltt;
	uint8_t state;
	bool bootp;
	uint8_t htype, hlen, hw[16];
	uint8_t uid[LEASE_UID_MAX];
	size_t uid_len;
	char hostname[64];
};

static int read_state(struct reader *r, struct record *rec)
{
	const struct token *t = lex_next(&r->lx);
	if (!tok_is(t, "state"))
		return fail(r, t->line, "expected 'binding state'");
	t = lex_next(&r->lx);
	for (uint8_t s = 0; s < LS_N; s++) {
		if (tok_is(t, lease_state_names[s])) {
			rec->state = s;
			return expect_semi(r);
		}
	}
	return fail(r, t->line, "unknown binding state '%s'", t->text);
}

static int read_hardware(struct reader *r, struct record *rec)
{
	const struct token *t = lex_next(&r->lx);
	int line = t->line;
	rec->htype = tok_is(t, "ethernet") ? 1 : tok_is(t, "token-ring") ? 6 : 0;
	if (!rec->htype)
		return fail(r, line, "unknown hardware type '%s'", t->text);
	t = lex_next(&r->lx);
	int n = hex_parse(t->text, rec->hw, sizeof rec->hw);
	if (n <= 0)
		return fail(r, line, "bad hardware address '%s'", t->text);
	rec->hlen = (uint8_t)n;
	return expect_semi(r);
}

static int read_uid(struct reader *r, struct record *rec)
{
	const struct token *t = lex_next(&r->lx);
	int line = t->line;
	if (t->kind == TOK_STRING) {
		rec->uid_len = t->len < LEASE_UID_MAX ? t->len : LEASE_UID_MAX;
		memcpy(rec->uid, t->text, rec->uid_len);
	} else {
		int n = hex_parse(t->text, rec->uid, sizeof rec->uid);
		if (n <= 0)
			return fail(r, line, "bad uid");
		rec->uid_len = (size_t)n;
	}
	return expect_semi(r);
}

static int read_hostname(struct reader *r, struct record *rec)
{
	const struct token *t = lex_next(&r->lx);
	if (t->kind != TOK_STRING)
		return fail(r, t->line, "quoted client-hostname expected");
	copy_text(rec->hostname, sizeof rec->hostname, t);
	return expect_semi(r);
}

static int read_field(struct reader *r, struct record *rec, const struct token *kw)
{
	if (tok_is(kw, "starts"))
		return read_time(r, &rec->starts);
	if (tok_is(kw, "ends"))
		return read_time(r, &rec->ends);
	if (tok_is(kw, "cltt"))
		return read_time(r, &rec->cltt);
	if (tok_is(kw, "binding"))
		return read_state(r, rec);
	if (tok_is(kw, "hardware"))
		return read_hardware(r, rec);
	if (tok_is(kw, "uid"))
		return read_uid(r, rec);
	if (tok_is(kw, "client-hostname"))
		return read_hostname(r, rec);
	if (tok_is(kw, "dynamic-bootp")) {
		rec->bootp = true;
		return expect_semi(r);
	}
	r->st->skipped++;  /* tstp, tsfp, next/rewind binding state, set, on, abandoned... */
	return skip_statement(r);
}

static void apply(struct lease_db *db, uint32_t addr, const struct record *rec, struct leasefile_stats *st)
{
	struct lease *l = db ? lease_by_addr(db, addr) : NULL;
	if (!l) {
		st->outside_pools += db != NULL;
		return;
	}
	struct client_key k;
	client_key_make(&k, rec->htype, rec->hw, rec->hlen, rec->uid_len ? rec->uid : NULL, rec->uid_len);
	lease_set_client(db, l, &k);
	l->state = rec->state;
	l->bootp = rec->bootp;
	l->starts = rec->starts;
	l->ends = rec->ends;
	l->cltt = rec->cltt;
	l->offer_until = 0;
	memcpy(l->hostname, rec->hostname, sizeof l->hostname);
}

static int read_lease(struct reader *r, struct lease_db *db)
{
	const struct token *t = lex_next(&r->lx);
	uint32_t addr;
	if (t->kind != TOK_WORD || !ip_parse(t->text, &addr))
		return fail(r, t->line, "lease address expected, not '%s'", t->text);
	t = lex_next(&r->lx);
	if (!tok_is(t, "{"))
		return fail(r, t->line, "expected '{'");
	struct record rec = { .state = LS_FREE };
	for (;;) {
		t = lex_next(&r->lx);
		if (tok_is(t, "}"))
			break;
		if (t->kind != TOK_WORD)
			return fail(r, t->line, "unexpected '%s' in lease", t->kind == TOK_EOF ? "end of file" : t->text);
		struct token kw = *t;
		if (read_field(r, &rec, &kw) < 0)
			return -1;
	}
	r->st->records++;
	apply(db, addr, &rec, r->st);
	return 0;
}

int leasefile_parse(struct lease_db *db, const char *name, const char *src, size_t len,
		    struct leasefile_stats *st, char *err, size_t err_size)
{
	struct reader r = { .err = err, .err_size = err_size, .st = st };
	memset(st, 0, sizeof *st);
	lex_init(&r.lx, name, src, len);
	for (;;) {
		const struct token *t = lex_next(&r.lx);
		int rc;
		if (t->kind == TOK_EOF)
			return 0;
		if (tok_is(t, "lease")) {
			rc = read_lease(&r, db);
		} else if (t->kind == TOK_WORD) {
			st->skipped++;  /* authoring-byte-order, server-duid, host, failover... */
			rc = skip_statement(&r);
		} else {
			rc = fail(&r, t->line, "unexpected '%s'", t->text);
		}
		if (rc < 0)
			return -1;
	}
}

size_t leasefile_header(char *buf, size_t size)
{
	int n = snprintf(buf, size,
			 "# The format of this file is documented in the dhcpd.leases(5) manual page.\n"
			 "# This lease file was written by pxe-dhcpd " PXE_VERSION "\n\n"
			 "# authoring-byte-order entry is generated, DO NOT DELETE\n"
			 "authoring-byte-order little-endian;\n\n");
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

struct out {
	char *buf;
	size_t size, len;
	bool overflow;
};

static void emit(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = o->overflow ? -1 : vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->size - o->len)
		o->overflow = true;
	else
		o->len += (size_t)n;
}

/* n bytes as they are: the per-byte parts, where vsnprintf showed in
 * profiles. */
static void emit_raw(struct out *o, const char *s, size_t n)
{
	if (o->overflow || n >= o->size - o->len) {
		o->overflow = true;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void emit_time(struct out *o, const char *what, int64_t t)
{
	if (t == LEASE_NEVER) {
		emit(o, "  %s never;\n", what);
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	emit(o, "  %s %d %04d/%02d/%02d %02d:%02d:%02d;\n", what, tm.tm_wday, tm.tm_year + 1900, tm.tm_mon + 1,
	     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* A quoted string with ISC's octal escapes for anything not plainly printable. */
static void emit_quoted(struct out *o, const char *what, const uint8_t *s, size_t n)
{
	emit(o, "  %s \"", what);
	for (size_t i = 0; i < n; i++) {
		char octal[4] = { '\\', (char)('0' + (s[i] >> 6)), (char)('0' + (s[i] >> 3 & 7)), (char)('0' + (s[i] & 7)) };
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\')
			emit_raw(o, (const char *)&s[i], 1);
		else
			emit_raw(o, octal, sizeof octal);
	}
	emit_raw(o, "\";\n", 3);
}

static void emit_hw(struct out *o, const struct client_key *k)
{
	static const char digits[] = "0123456789abcdef";
	emit(o, "  hardware %s ", k->htype == 6 ? "token-ring" : "ethernet");
	for (size_t i = 0; i < k->hlen; i++) {
		char hex[3] = { ':', digits[k->hw[i] >> 4], digits[k->hw[i] & 15] };
		emit_raw(o, i ? hex : hex + 1, i ? 3 : 2);
	}
	emit_raw(o, ";\n", 2);
}

size_t leasefile_format(const struct lease *l, char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size };
	emit(&o, "lease %u.%u.%u.%u {\n", l->addr >> 24, (l->addr >> 16) & 0xff, (l->addr >> 8) & 0xff, l->addr & 0xff);
	emit_time(&o, "starts", l->starts);
	emit_time(&o, "ends", l->ends);
	emit_time(&o, "cltt", l->cltt);
	emit(&o, "  binding state %s;\n", lease_state_names[l->state]);
	if (l->state == LS_ACTIVE)
		emit(&o, "  next binding state free;\n  rewind binding state free;\n");
	if (l->bootp)
		emit(&o, "  dynamic-bootp;\n");
	if (l->client.hlen && (l->client.htype == 1 || l->client.htype == 6))
		emit_hw(&o, &l->client);
	if (l->client.uid_len)
		emit_quoted(&o, "uid", l->client.uid, l->client.uid_len);
	if (l->hostname[0])
		emit_quoted(&o, "client-hostname", (const uint8_t *)l->hostname, strlen(l->hostname));
	emit(&o, "}\n");
	return o.overflow ? 0 : o.len;
}

int leasefile_worth_keeping(const struct lease *l)
{
	return l->state != LS_FREE || l->client.hlen || l->client.uid_len;
}
