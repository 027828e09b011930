/* Expressions in dhcpd.conf (dhcp-eval(5) subset); nodes live in the
 * config's arena. */
#include "parse.h"

#include <stdlib.h>
#include <string.h>

static struct expr *node(struct parser *p, enum expr_op op)
{
	struct expr *e = arena_alloc(p->cfg->arena, sizeof *e);
	if (!e)
		p_error(p, p_peek(p)->line, "config", "out of memory");
	else
		e->op = op;
	return e;
}

static int expect(struct parser *p, const char *kw, const char *s)
{
	if (p_accept(p, s))
		return 0;
	return p_error(p, p_peek(p)->line, kw, "expected '%s', not '%s'", s, p_peek(p)->text);
}

static int number(struct parser *p, const char *kw, uint32_t *out)
{
	char w[16], *end;
	int line = p_peek(p)->line;
	if (p_word(p, kw, "number", w, sizeof w) < 0)
		return -1;
	unsigned long v = strtoul(w, &end, 10);
	if (*end || end == w || v > 0xffff)
		return p_error(p, line, kw, "'%s' is not a number (0..65535)", w);
	*out = (uint32_t)v;
	return 0;
}

int p_data_const(struct parser *p, const char *kw, const uint8_t **data, uint16_t *len)
{
	const struct token *t = p_next(p);
	uint8_t buf[TOK_MAX];
	int n = (int)t->len;
	if (t->kind == TOK_STRING)
		memcpy(buf, t->text, t->len);
	else if (t->kind != TOK_WORD || (n = hex_parse(t->text, buf, sizeof buf)) < 0)
		return p_error(p, t->line, kw, "quoted string or hex bytes (aa:bb) expected, not '%s'", t->text);
	*len = (uint16_t)n;
	*data = arena_dup(p->cfg->arena, buf, (size_t)n);
	return *data ? 0 : p_error(p, t->line, kw, "out of memory");
}

static int constant(struct parser *p, const char *kw, const struct expr **out)
{
	struct expr *e = node(p, EX_CONST);
	if (!e || p_data_const(p, kw, &e->data, &e->len) < 0)
		return -1;
	*out = e;
	return 0;
}

static int option_code(struct parser *p, const char *kw, uint8_t *code)
{
	char name[64];
	int line = p_peek(p)->line;
	if (p_word(p, kw, "option name", name, sizeof name) < 0)
		return -1;
	const struct opt_def *d = opt_by_name(&p->cfg->opts, name);
	if (!d)
		return p_error(p, line, name, "unknown option; define it first with 'option %s code N = TYPE;'", name);
	if (d->space)
		return p_error(p, line, name, "options of an option space cannot be tested in expressions");
	*code = d->code;
	return 0;
}

/* fn "(" arg {"," arg} ")" with each argument parsed by its letter:
 * d = data expression, n = number, s = data constant. */
static int call(struct parser *p, const char *kw, const char *sig, struct expr *e, int depth)
{
	if (expect(p, kw, "(") < 0)
		return -1;
	const struct expr **data_slot[] = { &e->a, &e->b };
	size_t n_data = 0;
	uint32_t *num_slot[] = { &e->n1, &e->n2 };
	size_t n_num = 0;
	for (const char *c = sig; *c; c++) {
		if (c != sig && expect(p, kw, ",") < 0)
			return -1;
		int rc = *c == 'd' ? p_data_expr(p, kw, data_slot[n_data++], depth + 1)
			 : *c == 'n' ? number(p, kw, num_slot[n_num++])
				     : p_data_const(p, kw, &e->data, &e->len);
		if (rc < 0)
			return -1;
	}
	return expect(p, kw, ")");
}

/* pick-first-value (a, b, c...) as a chain of two-way picks. */
static int pick_first(struct parser *p, const char *kw, const struct expr **out, int depth)
{
	if (expect(p, kw, "(") < 0 || p_data_expr(p, kw, out, depth + 1) < 0)
		return -1;
	while (p_accept(p, ",")) {
		struct expr *e = node(p, EX_PICK);
		if (!e || p_data_expr(p, kw, &e->b, depth + 1) < 0)
			return -1;
		e->a = *out;
		*out = e;
	}
	return expect(p, kw, ")");
}

static const struct {
	const char *name;
	enum expr_op op;
	const char *sig;
} functions[] = {
	{ "substring", EX_SUBSTRING, "dnn" },
	{ "suffix", EX_SUFFIX, "dn" },
	{ "concat", EX_CONCAT, "dd" },
	{ "binary-to-ascii", EX_BIN2ASCII, "nnsd" },
};

int p_data_expr(struct parser *p, const char *kw, const struct expr **out, int depth)
{
	if (depth > EXPR_MAX_DEPTH)
		return p_error(p, p_peek(p)->line, kw, "expression nested too deep");
	const struct token *t = p_peek(p);
	if (t->kind != TOK_WORD || strspn(t->text, "0123456789abcdefABCDEF:") == t->len)
		return constant(p, kw, out);
	char word[64];
	int line = t->line;
	if (p_word(p, kw, "expression", word, sizeof word) < 0)
		return -1;
	struct expr *e;
	if (strcmp(word, "option") == 0) {
		if (!(e = node(p, EX_OPTION)) || option_code(p, kw, &e->code) < 0)
			return -1;
	} else if (strcmp(word, "hardware") == 0) {
		if (!(e = node(p, EX_HARDWARE)))
			return -1;
	} else if (strcmp(word, "pick-first-value") == 0) {
		return pick_first(p, kw, out, depth);
	} else {
		size_t i = 0;
		while (i < sizeof functions / sizeof functions[0] && strcmp(word, functions[i].name) != 0)
			i++;
		if (i == sizeof functions / sizeof functions[0])
			return p_error(p, line, word, "expression not supported (option, substring, suffix, hardware, "
				       "concat, binary-to-ascii, pick-first-value, \"text\", aa:bb)");
		if (!(e = node(p, functions[i].op)) || call(p, word, functions[i].sig, e, depth) < 0)
			return -1;
	}
	*out = e;
	return 0;
}

static int bool_or(struct parser *p, const char *kw, const struct expr **out, int depth);

/* data ("=" | "!=") data */
static int comparison(struct parser *p, const char *kw, const struct expr **out, int depth)
{
	const struct expr *left;
	if (p_data_expr(p, kw, &left, depth + 1) < 0)
		return -1;
	enum expr_op op = p_accept(p, "=") ? EX_EQ : p_accept(p, "!=") ? EX_NE : EX_CONST;
	if (op == EX_CONST)
		return p_error(p, p_peek(p)->line, kw, "expected '=' or '!=' in a condition, not '%s'", p_peek(p)->text);
	struct expr *e = node(p, op);
	if (!e || p_data_expr(p, kw, &e->b, depth + 1) < 0)
		return -1;
	e->a = left;
	*out = e;
	return 0;
}

static int bool_not(struct parser *p, const char *kw, const struct expr **out, int depth)
{
	struct expr *e;
	if (depth > EXPR_MAX_DEPTH)
		return p_error(p, p_peek(p)->line, kw, "expression nested too deep");
	if (p_accept(p, "not") || p_accept(p, "!")) {
		if (!(e = node(p, EX_NOT)) || bool_not(p, kw, &e->a, depth + 1) < 0)
			return -1;
	} else if (p_accept(p, "(")) {
		return bool_or(p, kw, out, depth + 1) < 0 ? -1 : expect(p, kw, ")");
	} else if (p_accept(p, "exists")) {
		if (!(e = node(p, EX_EXISTS)) || option_code(p, kw, &e->code) < 0)
			return -1;
	} else {
		return comparison(p, kw, out, depth);
	}
	*out = e;
	return 0;
}

/* A left-associative chain of `word`-joined operands. */
static int chain(struct parser *p, const char *kw, const struct expr **out, int depth, const char *word,
		 enum expr_op op, int (*operand)(struct parser *, const char *, const struct expr **, int))
{
	if (operand(p, kw, out, depth) < 0)
		return -1;
	while (p_accept(p, word)) {
		struct expr *e = node(p, op);
		if (!e || operand(p, kw, &e->b, depth + 1) < 0)
			return -1;
		e->a = *out;
		*out = e;
	}
	return 0;
}

static int bool_and(struct parser *p, const char *kw, const struct expr **out, int depth)
{
	return chain(p, kw, out, depth, "and", EX_AND, bool_not);
}

static int bool_or(struct parser *p, const char *kw, const struct expr **out, int depth)
{
	return chain(p, kw, out, depth, "or", EX_OR, bool_and);
}

int p_bool_expr(struct parser *p, const char *kw, const struct expr **out, int depth)
{
	return bool_or(p, kw, out, depth);
}
