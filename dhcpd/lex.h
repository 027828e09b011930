/* Tokenizer for ISC dhcpd syntax, shared by dhcpd.conf and dhcpd.leases.
 * Pure: works on a byte buffer the caller read. */
#ifndef DHCPD_LEX_H
#define DHCPD_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tok_kind {
	TOK_EOF,
	TOK_WORD,    /* keywords, names, numbers, addresses, hex 00:07 */
	TOK_STRING,  /* "quoted", escapes decoded */
	TOK_PUNCT,   /* { } ; , = ( ) ! and "!=" */
	TOK_ERROR,   /* unterminated string, stray byte */
};

#define TOK_MAX 1024

struct token {
	enum tok_kind kind;
	int line;
	size_t len;             /* bytes in text (strings may hold NUL) */
	char text[TOK_MAX + 1]; /* always NUL-terminated */
};

struct lexer {
	const char *file;
	const char *src;
	size_t len;
	size_t pos;
	int line;
	bool peeked;
	struct token ahead;
};

void lex_init(struct lexer *lx, const char *file, const char *src, size_t len);
/* The next token; consumes it. */
const struct token *lex_next(struct lexer *lx);
/* The next token without consuming it. */
const struct token *lex_peek(struct lexer *lx);
/* True (and consumed) when the next token is the punctuation or word `s`. */
bool lex_accept(struct lexer *lx, const char *s);
bool tok_is(const struct token *t, const char *s);

#endif
