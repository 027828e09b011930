/* dhcpd.conf: tokens across includes, errors, blocks and statement
 * dispatch. Declarations are in parse_decl.c, parameters in
 * parse_params.c, conditions and classes in parse_cond.c. */
#include "parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct lexer *top(struct parser *p)
{
	while (p->depth > 1 && lex_peek(&p->lex[p->depth - 1])->kind == TOK_EOF) {
		p->depth--;
		free(p->src[p->depth]);
		free(p->names[p->depth]);
		p->src[p->depth] = p->names[p->depth] = NULL;
	}
	return &p->lex[p->depth - 1];
}

const struct token *p_next(struct parser *p)
{
	return lex_next(top(p));
}

const struct token *p_peek(struct parser *p)
{
	return lex_peek(top(p));
}

bool p_accept(struct parser *p, const char *s)
{
	return lex_accept(top(p), s);
}

static void __attribute__((format(printf, 6, 0)))
vformat(struct parser *p, char *buf, size_t size, int line, const char *kw, const char *fmt, va_list ap)
{
	int n = snprintf(buf, size, "%s:%d: %s: ", top(p)->file, line, kw);
	if (n >= 0 && (size_t)n < size)
		vsnprintf(buf + n, size - (size_t)n, fmt, ap);
}

int p_error(struct parser *p, int line, const char *kw, const char *fmt, ...)
{
	if (!p->failed) {
		va_list ap;
		va_start(ap, fmt);
		vformat(p, p->err, p->err_size, line, kw, fmt, ap);
		va_end(ap);
		p->failed = true;
	}
	return -1;
}

void p_warn(struct parser *p, int line, const char *kw, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vformat(p, msg, sizeof msg, line, kw, fmt, ap);
	va_end(ap);
	p->cfg->n_warnings++;
	if (p->warn)
		p->warn(msg, p->warn_ctx);
}

int p_semi(struct parser *p, const char *kw)
{
	const struct token *t = p_peek(p);
	if (tok_is(t, ";")) {
		p_next(p);
		return 0;
	}
	return p_error(p, t->line, kw, "expected ';' before '%s'", t->kind == TOK_EOF ? "end of file" : t->text);
}

int p_word(struct parser *p, const char *kw, const char *what, char *buf, size_t size)
{
	const struct token *t = p_next(p);
	if (t->kind != TOK_WORD || t->len >= size)
		return p_error(p, t->line, kw, "%s expected, not '%s'", what, t->text);
	memcpy(buf, t->text, t->len + 1);
	return 0;
}

int p_ip(struct parser *p, const char *kw, uint32_t *out)
{
	char w[64];
	int line = p_peek(p)->line;
	if (p_word(p, kw, "IPv4 address", w, sizeof w) < 0)
		return -1;
	if (!ip_parse(w, out))
		return p_error(p, line, kw, "'%s' is not an IPv4 address (host names are not resolved)", w);
	return 0;
}

int p_add_stmt(struct parser *p, struct block *b, const struct conf_stmt *st)
{
	if (b->n_stmts == b->cap_stmts) {
		size_t cap = b->cap_stmts ? b->cap_stmts * 2 : 8;
		struct conf_stmt *s = realloc(b->stmts, cap * sizeof *s);
		if (!s)
			return p_error(p, p_peek(p)->line, "config", "out of memory");
		b->stmts = s;
		b->cap_stmts = cap;
	}
	b->stmts[b->n_stmts++] = *st;
	return 0;
}

void *p_grow(struct parser *p, void **arr, size_t *n, size_t *cap, size_t elem)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		void *a = realloc(*arr, c * elem);
		if (!a) {
			p_error(p, p_peek(p)->line, "config", "out of memory");
			return NULL;
		}
		*arr = a;
		*cap = c;
	}
	void *e = (char *)*arr + (*n)++ * elem;
	memset(e, 0, elem);
	return e;
}

static struct conf_scope *new_scope(struct parser *p, enum scope_kind kind, const struct block *outer, int line)
{
	struct conf_scope *s = arena_alloc(p->cfg->arena, sizeof *s);
	if (!s) {
		p_error(p, line, "config", "out of memory");
		return NULL;
	}
	s->kind = kind;
	s->parent = outer->scope;
	s->line = line;
	return s;
}

/* Statements up to the closing brace; then the list moves to the arena. */
static int parse_body(struct parser *p, struct block *b, const char *kw)
{
	int rc = 0;
	while (rc == 0 && !p_accept(p, "}")) {
		if (p_peek(p)->kind == TOK_EOF)
			rc = p_error(p, p_peek(p)->line, kw, "missing '}' (block opened on line %d)", b->scope->line);
		else
			rc = p_statement(p, b);
	}
	if (rc == 0 && b->n_stmts) {
		b->scope->stmts = arena_dup(p->cfg->arena, b->stmts, b->n_stmts * sizeof *b->stmts);
		b->scope->n_stmts = b->n_stmts;
	}
	free(b->stmts);
	return rc;
}

int p_block(struct parser *p, struct block *outer, struct block *inner, enum scope_kind kind,
		       const char *kw, int line)
{
	if (!p_accept(p, "{"))
		return p_error(p, p_peek(p)->line, kw, "expected '{', not '%s'", p_peek(p)->text);
	*inner = *outer;
	inner->stmts = NULL;
	inner->n_stmts = inner->cap_stmts = 0;
	inner->scope = new_scope(p, kind, outer, line);
	return inner->scope ? parse_body(p, inner, kw) : -1;
}

int p_cond_body(struct parser *p, const struct block *b, const char *kw, const struct conf_stmt **list, size_t *n)
{
	if (!p_accept(p, "{"))
		return p_error(p, p_peek(p)->line, kw, "expected '{', not '%s'", p_peek(p)->text);
	struct block in = *b;
	in.stmts = NULL;
	in.n_stmts = in.cap_stmts = 0;
	in.in_if = true;
	int rc = 0;
	while (rc == 0 && !p_accept(p, "}")) {
		if (p_peek(p)->kind == TOK_EOF)
			rc = p_error(p, p_peek(p)->line, kw, "missing '}'");
		else
			rc = p_statement(p, &in);
	}
	*list = NULL;
	*n = 0;
	if (rc == 0 && in.n_stmts) {
		*list = arena_dup(p->cfg->arena, in.stmts, in.n_stmts * sizeof *in.stmts);
		*n = in.n_stmts;
	}
	free(in.stmts);
	return rc;
}

struct handler_table {
	const struct stmt_handler *h;
	const size_t *n;
};

static const struct handler_table tables[] = {
	{ decl_handlers, &n_decl_handlers },
	{ param_handlers, &n_param_handlers },
	{ cond_handlers, &n_cond_handlers },
};

#define N_TABLES (sizeof tables / sizeof tables[0])

static const char *const scope_names[] = {
	[SCOPE_GLOBAL] = "the global scope", [SCOPE_SHARED] = "a shared-network", [SCOPE_SUBNET] = "a subnet",
	[SCOPE_POOL] = "a pool", [SCOPE_GROUP] = "a group", [SCOPE_HOST] = "a host", [SCOPE_CLASS] = "a class",
};

static const struct stmt_handler *find_handler(const char *kw)
{
	for (size_t t = 0; t < N_TABLES; t++)
		for (size_t i = 0; i < *tables[t].n; i++)
			if (strcmp(tables[t].h[i].kw, kw) == 0)
				return &tables[t].h[i];
	return NULL;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t lb = strlen(b), row[64];
	if (lb >= 64)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; a[i - 1]; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			best = up + 1 < best ? up + 1 : best;
			best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The closest known keyword, for "did you mean" on a typo. */
static const char *closest_keyword(const char *kw)
{
	const char *best = NULL;
	size_t best_d = 3;
	for (size_t t = 0; t < N_TABLES; t++) {
		for (size_t i = 0; i < *tables[t].n; i++) {
			size_t d = edit_distance(kw, tables[t].h[i].kw);
			if (d < best_d) {
				best_d = d;
				best = tables[t].h[i].kw;
			}
		}
	}
	return best;
}

static int unknown_statement(struct parser *p, const struct token *t)
{
	if (t->kind == TOK_STRING) {
		char kw[TOK_MAX + 3];
		snprintf(kw, sizeof kw, "\"%s\"", t->text);
		return p_error(p, t->line, kw, "a statement cannot start with a quoted string; did you mean: filename %s;", kw);
	}
	if (t->kind == TOK_EOF)
		return p_error(p, t->line, "end of file", "unexpected end of file");
	if (t->kind == TOK_ERROR)
		return p_error(p, t->line, "syntax", "%s", t->text);
	const char *hint = closest_keyword(t->text);
	if (hint)
		return p_error(p, t->line, t->text, "unknown statement; did you mean: %s", hint);
	return p_error(p, t->line, t->text, "statement not supported by this dhcpd");
}

int p_statement(struct parser *p, struct block *b)
{
	const struct token *t = p_next(p);
	if (tok_is(t, ";"))
		return 0;
	const struct stmt_handler *h = t->kind == TOK_WORD ? find_handler(t->text) : NULL;
	if (!h)
		return unknown_statement(p, t);
	int line = t->line;
	if (!(h->scopes & IN(b->scope->kind)))
		return p_error(p, line, h->kw, "not allowed in %s", scope_names[b->scope->kind]);
	if (b->in_if && !h->conditional)
		return p_error(p, line, h->kw, "declarations are not allowed inside if/else");
	return h->fn(p, b, h->kw, line);
}

static int parse_top(struct parser *p)
{
	struct block b = { .scope = &p->cfg->global, .subnet = -1, .shared = -1, .class_index = -1 };
	int rc = 0;
	while (rc == 0 && p_peek(p)->kind != TOK_EOF)
		rc = p_statement(p, &b);
	if (rc == 0 && b.n_stmts) {
		p->cfg->global.stmts = arena_dup(p->cfg->arena, b.stmts, b.n_stmts * sizeof *b.stmts);
		p->cfg->global.n_stmts = b.n_stmts;
	}
	free(b.stmts);
	return rc;
}

static int cmp_range(const void *a, const void *b)
{
	const struct conf_range *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Ranges sorted and disjoint, each tied to the subnet holding it. */
static int finish(struct parser *p)
{
	struct dhcp_config *c = p->cfg;
	for (size_t i = 0; i < c->n_classes; i++)
		if (c->classes[i].parent_index)
			c->classes[i].parent = &c->classes[c->classes[i].parent_index - 1];
	if (c->n_ranges)
		qsort(c->ranges, c->n_ranges, sizeof *c->ranges, cmp_range);
	for (size_t i = 0; i < c->n_ranges; i++) {
		struct conf_range *r = &c->ranges[i];
		r->subnet = conf_subnet_of(c, r->lo);
		if (!r->subnet || (r->hi & r->subnet->mask) != r->subnet->net)
			return p_error(p, r->scope->line, "range", "range is not inside a declared subnet");
		if (i && r->lo <= c->ranges[i - 1].hi)
			return p_error(p, r->scope->line, "range", "ranges overlap");
		if (r->subnet->proxy_line)
			return p_error(p, r->subnet->proxy_line, "proxy-dhcp",
				       "this subnet also has a range: a proxyDHCP subnet hands out no addresses "
				       "(another server owns them); remove the range or proxy-dhcp");
	}
	return 0;
}

struct dhcp_config *conf_parse(const char *name, const char *src, size_t len,
			       char *err, size_t err_size, conf_warn_fn *warn, void *warn_ctx)
{
	struct dhcp_config *cfg = calloc(1, sizeof *cfg);
	struct parser *p = calloc(1, sizeof *p);
	if (!cfg || !p || !(cfg->arena = arena_new())) {
		snprintf(err, err_size, "%s: out of memory", name);
		free(p);
		conf_free(cfg);
		return NULL;
	}
	opt_table_init(&cfg->opts);
	cfg->global.kind = SCOPE_GLOBAL;
	cfg->log_facility = -1;
	*p = (struct parser){ .cfg = cfg, .err = err, .err_size = err_size, .warn = warn, .warn_ctx = warn_ctx, .depth = 1 };
	lex_init(&p->lex[0], name, src, len);
	int rc = parse_top(p);
	if (rc == 0)
		rc = finish(p);
	for (int i = 1; i < PARSE_MAX_INCLUDE; i++) {
		free(p->src[i]);
		free(p->names[i]);
	}
	free(p);
	if (rc < 0) {
		conf_free(cfg);
		return NULL;
	}
	return cfg;
}

void conf_free(struct dhcp_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->subnets);
	free(cfg->ranges);
	free(cfg->hosts);
	free(cfg->classes);
	arena_free(cfg->arena);
	free(cfg);
}
