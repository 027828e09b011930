/* Remap rule engine; see remap.h. */
#include "remap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum rule_flag {
	RULE_REWRITE = 1 << 0,
	RULE_GLOBAL = 1 << 1,
	RULE_ICASE = 1 << 2,
	RULE_EXIT = 1 << 3,
	RULE_RESTART = 1 << 4,
	RULE_ABORT = 1 << 5,
	RULE_GET = 1 << 6,
	RULE_PUT = 1 << 7,
	RULE_INVERSE = 1 << 8,
};

static const struct {
	char c;
	unsigned flag;
} flag_chars[] = {
	{ 'r', RULE_REWRITE }, { 'g', RULE_GLOBAL }, { 'i', RULE_ICASE },
	{ 'e', RULE_EXIT },    { 's', RULE_RESTART }, { 'a', RULE_ABORT },
	{ 'G', RULE_GET },     { 'P', RULE_PUT },     { '~', RULE_INVERSE },
};

struct rule {
	unsigned flags;
	regex_t re;
	char *replacement;
};

struct remap {
	struct rule *rules;
	size_t n;
};

#define NMATCH 10

/* ---- parsing ---- */

struct line_reader {
	const char *p;      /* inside the current line */
	const char *end;    /* end of the current line */
};

/* A whitespace-separated token; a backslash keeps the next character in it
 * (so "\ " is a space and "\\" reaches the regex compiler unchanged). */
static char *next_token(struct line_reader *lr)
{
	while (lr->p < lr->end && (*lr->p == ' ' || *lr->p == '\t' || *lr->p == '\r'))
		lr->p++;
	if (lr->p >= lr->end || *lr->p == '#')
		return NULL;
	const char *start = lr->p;
	while (lr->p < lr->end && *lr->p != ' ' && *lr->p != '\t' && *lr->p != '\r') {
		if (*lr->p == '\\' && lr->p + 1 < lr->end)
			lr->p++;
		lr->p++;
	}
	return strndup(start, (size_t)(lr->p - start));
}

static int parse_flags(const char *s, unsigned *flags)
{
	*flags = 0;
	for (; *s; s++) {
		size_t i;
		for (i = 0; i < sizeof flag_chars / sizeof flag_chars[0]; i++)
			if (flag_chars[i].c == *s)
				break;
		if (i == sizeof flag_chars / sizeof flag_chars[0])
			return -1;
		*flags |= flag_chars[i].flag;
	}
	return 0;
}

/* regcomp reads a class or collating name of at most this many bytes */
#define BRACKET_NAME_MAX 32

/* The end of a bracket expression starting at p ("[^]a]" included). Its
 * "[:class:]", "[.coll.]" and "[=equiv=]" end at their own ":]", ".]" or
 * "=]", not at the first ']': regcomp reads "[[:alpha:])]" as one bracket
 * expression, whose ')' closes no group. One not closed within the name
 * limit ends the regex for regcomp (an error), so here too. */
static const char *bracket_end(const char *p)
{
	p++;
	p += *p == '^';
	p += *p == ']';
	for (; *p && *p != ']'; p++) {
		if (*p != '[' || !p[1] || !strchr(":.=", p[1]))
			continue;
		const char close[] = { p[1], ']' };
		const char *end = memmem(p + 2, strnlen(p + 2, BRACKET_NAME_MAX + 2), close, 2);
		p = end ? end + 1 : p + strlen(p) - 1;
	}
	return *p ? p : p - 1;
}

/* What a regex costs regcomp, walked token by token. POSIX leaves "a**" or
 * "a+{2}" undefined and glibc expands them into automata that can take
 * gigabytes; and it copies the operand of a bound once per count (nested
 * bounds multiply), in time and memory that grow with the square of the
 * copies: "(a{0,255}){255}" takes a gigabyte. */
#define REGEX_DEPTH_MAX 32
#define REGEX_TOKENS_MAX 1024   /* counted with bounds expanded */

struct regex_cost {
	unsigned long tokens[REGEX_DEPTH_MAX + 1];   /* per open group, [0]: whole */
	size_t depth;
	unsigned long last;                          /* tokens of the last atom */
	bool after_quantifier;
};

static void cost_add(struct regex_cost *c, unsigned long n)
{
	unsigned long *t = &c->tokens[c->depth];
	*t = *t + n > REGEX_TOKENS_MAX ? REGEX_TOKENS_MAX + 1 : *t + n;
}

static void cost_atom(struct regex_cost *c, unsigned long n)
{
	cost_add(c, n);
	c->last = n;
	c->after_quantifier = false;
}

/* "{m}", "{m,}", "{,n}" or "{m,n}" at brace: the larger number. regcomp
 * reads an escaped byte in a bound as the byte ("{\,255}" is "{,255}",
 * "\0" a digit), so backslashes are skipped and every run of digits up to
 * the '}' counts. */
static unsigned long bound_count(const char *brace)
{
	unsigned long n = 0, max = 0;
	for (const char *p = brace + 1; *p && *p != '}'; p++) {
		if (*p >= '0' && *p <= '9')
			n = n > REGEX_TOKENS_MAX ? n : n * 10 + (unsigned long)(*p - '0');
		else if (*p != '\\')
			n = 0;
		max = n > max ? n : max;
	}
	return max;
}

/* A bound at *p, advanced to its '}': the last atom again count-1 times. */
static const char *cost_bound(struct regex_cost *c, const char **p)
{
	unsigned long count = bound_count(*p);
	if (c->after_quantifier)
		return "stacked quantifiers in regular expression";
	if (count > REGEX_TOKENS_MAX)
		return "bound too large in regular expression";
	if (count > 1)
		cost_add(c, c->last * (count - 1));
	*p += strcspn(*p, "}");
	if (!**p)
		(*p)--;   /* regcomp reports it */
	c->after_quantifier = true;
	return NULL;
}

/* One token at *p (advanced past a multi-character one); an error or NULL. */
static const char *cost_token(struct regex_cost *c, const char **p)
{
	switch (**p) {
	case '\\':
		*p += (*p)[1] != '\0';
		cost_atom(c, 1);
		return NULL;
	case '[':
		*p = bracket_end(*p);
		cost_atom(c, 1);
		return NULL;
	case '(':
		if (c->depth == REGEX_DEPTH_MAX)
			return "groups nested too deep in regular expression";
		c->tokens[++c->depth] = 0;
		c->after_quantifier = false;
		return NULL;
	case ')':
		if (c->depth == 0) {
			cost_atom(c, 1);
			return NULL;
		}
		c->depth--;
		cost_atom(c, c->tokens[c->depth + 1]);
		return NULL;
	case '{':
		return cost_bound(c, p);
	case '*':
	case '+':
	case '?':
		if (c->after_quantifier)
			return "stacked quantifiers in regular expression";
		cost_add(c, 1);
		c->after_quantifier = true;
		return NULL;
	default:
		cost_atom(c, 1);
		return NULL;
	}
}

/* Why regcomp must not see re, or NULL. */
static const char *regex_too_costly(const char *re)
{
	struct regex_cost c = { .depth = 0 };
	for (const char *p = re; *p; p++) {
		const char *why = cost_token(&c, &p);
		if (why)
			return why;
	}
	while (c.depth > 0) {   /* unclosed groups: regcomp reports them, after expanding */
		c.depth--;
		cost_add(&c, c.tokens[c.depth + 1]);
	}
	return c.tokens[0] > REGEX_TOKENS_MAX ? "regular expression too big" : NULL;
}

static const char *rule_build(struct rule *r, const char *flags, const char *regex, char *repl)
{
	if (parse_flags(flags, &r->flags) != 0)
		return "unknown flag";
	if ((r->flags & RULE_REWRITE) && !repl)
		return "rewrite rule without a replacement";
	if ((r->flags & RULE_REWRITE) && (r->flags & RULE_INVERSE))
		return "r and ~ cannot be combined";
	if (!regex)
		return "missing regular expression";
	const char *too_costly = regex_too_costly(regex);
	if (too_costly)
		return too_costly;
	int cflags = REG_EXTENDED | ((r->flags & RULE_ICASE) ? REG_ICASE : 0);
	if (regcomp(&r->re, regex, cflags) != 0)
		return "bad regular expression";
	r->replacement = repl;
	return NULL;
}

/* Parses one line into rm; returns an error text or NULL. */
static const char *parse_line(struct remap *rm, struct line_reader *lr)
{
	char *flags = next_token(lr);
	if (!flags)
		return NULL;    /* blank or comment */
	char *regex = next_token(lr);
	char *repl = next_token(lr);
	struct rule *grown = realloc(rm->rules, (rm->n + 1) * sizeof *grown);
	const char *why = grown ? NULL : "out of memory";
	if (grown) {
		rm->rules = grown;
		why = rule_build(&rm->rules[rm->n], flags, regex, repl);
	}
	if (!why)
		rm->n++;
	else
		free(repl);
	free(flags);
	free(regex);
	return why;
}

struct remap *remap_parse(const char *text, char *err, size_t err_size)
{
	struct remap *rm = calloc(1, sizeof *rm);
	unsigned line = 0;

	if (!rm) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	while (*text) {
		const char *eol = strchr(text, '\n');
		struct line_reader lr = { text, eol ? eol : text + strlen(text) };
		const char *why = parse_line(rm, &lr);
		line++;
		if (why) {
			snprintf(err, err_size, "line %u: %s", line, why);
			remap_free(rm);
			return NULL;
		}
		text = eol ? eol + 1 : lr.end;
	}
	return rm;
}

void remap_free(struct remap *rm)
{
	if (!rm)
		return;
	for (size_t i = 0; i < rm->n; i++) {
		regfree(&rm->rules[i].re);
		free(rm->rules[i].replacement);
	}
	free(rm->rules);
	free(rm);
}

size_t remap_count(const struct remap *rm)
{
	return rm ? rm->n : 0;
}

void remap_client_set(struct remap_client *c, const struct sockaddr *sa)
{
	const uint8_t *bytes = NULL;
	size_t n = 0;

	c->ip[0] = c->hex[0] = '\0';
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &in->sin_addr, c->ip, sizeof c->ip);
		bytes = (const uint8_t *)&in->sin_addr;
		n = 4;
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, c->ip, sizeof c->ip);
		bytes = (const uint8_t *)&in6->sin6_addr;
		n = 16;
	}
	for (size_t i = 0; i < n; i++)
		snprintf(c->hex + 2 * i, sizeof c->hex - 2 * i, "%02X", bytes[i]);
}

/* ---- applying ---- */

struct out_buf {
	char *p;
	size_t size;
	size_t len;
	bool overflow;
};

static void out_add(struct out_buf *o, const char *s, size_t n)
{
	if (o->len + n >= o->size) {
		o->overflow = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

/* The replacement text for one match of subject. */
static void expand(struct out_buf *o, const char *repl, const char *subject, const regmatch_t *m,
		   const struct remap_client *client)
{
	for (const char *p = repl; *p; p++) {
		if (*p != '\\' || p[1] == '\0') {
			out_add(o, p, 1);
			continue;
		}
		char c = *++p;
		if (c >= '0' && c <= '9') {
			const regmatch_t *s = &m[c - '0'];
			if (s->rm_so >= 0)
				out_add(o, subject + s->rm_so, (size_t)(s->rm_eo - s->rm_so));
		} else if (c == 'i') {
			out_add(o, client->ip, strlen(client->ip));
		} else if (c == 'x') {
			out_add(o, client->hex, strlen(client->hex));
		} else {
			out_add(o, &c, 1);
		}
	}
}

/* Rewrites the first match of cur into o, as tftp-hpa does: the text
 * before it, the expanded replacement, the text after it. */
static void rewrite(const struct rule *r, const char *cur, const struct remap_client *client,
		    struct out_buf *o)
{
	regmatch_t m[NMATCH];

	if (regexec(&r->re, cur, NMATCH, m, 0) != 0) {
		out_add(o, cur, strlen(cur));
		return;
	}
	out_add(o, cur, (size_t)m[0].rm_so);
	expand(o, r->replacement, cur, m, client);
	out_add(o, cur + m[0].rm_eo, strlen(cur + m[0].rm_eo));
}

static bool rule_applies(const struct rule *r, bool is_put)
{
	if ((r->flags & RULE_GET) && is_put)
		return false;
	if ((r->flags & RULE_PUT) && !is_put)
		return false;
	return true;
}

static bool rule_matches(const struct rule *r, const char *cur)
{
	bool match = regexec(&r->re, cur, 0, NULL, 0) == 0;

	return (r->flags & RULE_INVERSE) ? !match : match;
}

/* Applies a rule that matched o's text. Like tftp-hpa, g applies it again
 * to the result until it no longer matches ("rg aa a" turns "aaaab" into
 * "ab"). tftp-hpa spins for ever on a g rule that keeps matching ("rg a a");
 * here every application spends the deadman budget, so such a rule aborts. */
static enum remap_result rule_run(const struct rule *r, const struct remap_client *client,
				  struct out_buf *o, unsigned *deadman)
{
	char before[REMAP_OUT_MAX];

	do {
		if (--*deadman == 0 || (r->flags & RULE_ABORT))
			return REMAP_ABORT;
		if (r->flags & RULE_REWRITE) {
			snprintf(before, sizeof before, "%s", o->p);
			o->len = 0;
			o->p[0] = '\0';
			rewrite(r, before, client, o);
		}
	} while ((r->flags & RULE_GLOBAL) && !o->overflow && rule_matches(r, o->p));
	return o->overflow ? REMAP_TOOLONG : REMAP_OK;
}

enum remap_result remap_apply(const struct remap *rm, const char *name, bool is_put,
			      const struct remap_client *client, char *out, size_t out_size)
{
	struct out_buf o = { out, out_size, 0, false };
	unsigned deadman = REMAP_DEADMAN;

	out_add(&o, name, strlen(name));
	for (size_t i = 0; rm && i < rm->n && !o.overflow; i++) {
		const struct rule *r = &rm->rules[i];
		if (!rule_applies(r, is_put) || !rule_matches(r, out))
			continue;
		enum remap_result result = rule_run(r, client, &o, &deadman);
		if (result != REMAP_OK)
			return result;
		if (r->flags & RULE_EXIT)
			break;
		if (r->flags & RULE_RESTART)
			i = (size_t)-1;   /* the loop's i++ makes it 0 */
	}
	return o.overflow ? REMAP_TOOLONG : REMAP_OK;
}
