/* ISC's lexical rules, reduced to what dhcpd.conf and dhcpd.leases use:
 * '#' comments to end of line, quoted strings with C and octal escapes,
 * and words made of everything that is not space or punctuation (so a MAC
 * address, an IP address or "00:07" is one word). */
#include "lex.h"

#include <string.h>

static bool is_punct(char c)
{
	return strchr("{};,=()!", c) != NULL && c != '\0';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

void lex_init(struct lexer *lx, const char *file, const char *src, size_t len)
{
	*lx = (struct lexer){ .file = file, .src = src, .len = len, .line = 1 };
}

static void skip_blanks(struct lexer *lx)
{
	while (lx->pos < lx->len) {
		char c = lx->src[lx->pos];
		if (c == '#') {
			while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
				lx->pos++;
		} else if (is_space(c)) {
			lx->line += c == '\n';
			lx->pos++;
		} else {
			return;
		}
	}
}

static bool put(struct token *t, char c)
{
	if (t->len >= TOK_MAX)
		return false;
	t->text[t->len++] = c;
	return true;
}

/* One escape after a backslash: \n \t \r, \NNN octal, else the byte. */
static char unescape(struct lexer *lx)
{
	char c = lx->src[lx->pos++];
	if (c >= '0' && c <= '7') {
		unsigned v = (unsigned)(c - '0');
		for (int i = 0; i < 2 && lx->pos < lx->len; i++) {
			char d = lx->src[lx->pos];
			if (d < '0' || d > '7')
				break;
			v = v * 8 + (unsigned)(d - '0');
			lx->pos++;
		}
		return (char)(v & 0xff);
	}
	return c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
}

static void lex_string(struct lexer *lx, struct token *t)
{
	lx->pos++;
	while (lx->pos < lx->len) {
		char c = lx->src[lx->pos++];
		if (c == '"')
			return;
		if (c == '\n')
			lx->line++;
		if (c == '\\' && lx->pos < lx->len)
			c = unescape(lx);
		if (!put(t, c))
			break;
	}
	t->kind = TOK_ERROR;
	t->len = 0;
	strcpy(t->text, "unterminated or overlong string");
}

static void lex_word(struct lexer *lx, struct token *t)
{
	while (lx->pos < lx->len) {
		char c = lx->src[lx->pos];
		if (is_space(c) || is_punct(c) || c == '"' || c == '#')
			return;
		if (!put(t, c)) {
			t->kind = TOK_ERROR;
			strcpy(t->text, "overlong word");
			return;
		}
		lx->pos++;
	}
}

static void lex_scan(struct lexer *lx, struct token *t)
{
	skip_blanks(lx);
	t->len = 0;
	t->line = lx->line;
	if (lx->pos >= lx->len) {
		t->kind = TOK_EOF;
	} else if (lx->src[lx->pos] == '"') {
		t->kind = TOK_STRING;
		lex_string(lx, t);
	} else if (is_punct(lx->src[lx->pos])) {
		t->kind = TOK_PUNCT;
		put(t, lx->src[lx->pos++]);
		if (t->text[0] == '!' && lx->pos < lx->len && lx->src[lx->pos] == '=')
			put(t, lx->src[lx->pos++]);
	} else {
		t->kind = TOK_WORD;
		lex_word(lx, t);
	}
	t->text[t->len] = '\0';
}

const struct token *lex_peek(struct lexer *lx)
{
	if (!lx->peeked) {
		lex_scan(lx, &lx->ahead);
		lx->peeked = true;
	}
	return &lx->ahead;
}

const struct token *lex_next(struct lexer *lx)
{
	lex_peek(lx);
	lx->peeked = false;
	return &lx->ahead;
}

bool tok_is(const struct token *t, const char *s)
{
	return (t->kind == TOK_WORD || t->kind == TOK_PUNCT) && strcmp(t->text, s) == 0;
}

bool lex_accept(struct lexer *lx, const char *s)
{
	if (!tok_is(lex_peek(lx), s))
		return false;
	lex_next(lx);
	return true;
}
