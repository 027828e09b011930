/* Internals shared by the dhcpd.conf parser files. */
#ifndef DHCPD_PARSE_H
#define DHCPD_PARSE_H

#include "arena.h"
#include "conf.h"
#include "lex.h"

#define PARSE_MAX_INCLUDE 8

struct parser {
	struct lexer lex[PARSE_MAX_INCLUDE];
	char *src[PARSE_MAX_INCLUDE];
	char *names[PARSE_MAX_INCLUDE];
	int depth;
	struct dhcp_config *cfg;
	char *err;
	size_t err_size;
	bool failed;
	conf_warn_fn *warn;
	void *warn_ctx;
	int next_shared;
	size_t cap_subnets, cap_ranges, cap_hosts, cap_classes;
};

/* What a block being parsed collects. */
struct block {
	struct conf_scope *scope;
	struct conf_stmt *stmts;   /* malloc'ed while parsing, copied to the arena at '}' */
	size_t n_stmts, cap_stmts;
	int subnet;                /* index of the enclosing subnet, -1 if none */
	int shared;                /* enclosing shared-network id, -1 if none */
	struct conf_host *host;    /* the host being declared, or NULL */
	int class_index;           /* the class being declared, -1 if none */
	bool in_if;                /* inside if/elsif/else: parameters only */
};

const struct token *p_next(struct parser *p);
const struct token *p_peek(struct parser *p);
bool p_accept(struct parser *p, const char *s);
/* Records the first error as "file:line: keyword: message"; returns -1. */
int p_error(struct parser *p, int line, const char *kw, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void p_warn(struct parser *p, int line, const char *kw, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Expects ';' after a statement. */
int p_semi(struct parser *p, const char *kw);
/* The next token must be a word; copied into buf. */
int p_word(struct parser *p, const char *kw, const char *what, char *buf, size_t size);
int p_ip(struct parser *p, const char *kw, uint32_t *out);
int p_add_stmt(struct parser *p, struct block *b, const struct conf_stmt *st);

typedef int stmt_fn(struct parser *p, struct block *b, const char *kw, int line);

struct stmt_handler {
	const char *kw;
	stmt_fn *fn;
	unsigned scopes;           /* bit set of enum scope_kind where it may appear */
	bool conditional;          /* may appear inside if/else */
};

#define IN(k) (1u << (k))
#define IN_ANY 0x7fu
#define IN_PARAMS (IN_ANY)

extern const struct stmt_handler decl_handlers[];
extern const size_t n_decl_handlers;
extern const struct stmt_handler param_handlers[];
extern const size_t n_param_handlers;
extern const struct stmt_handler cond_handlers[];
extern const size_t n_cond_handlers;

/* One statement into b (parse.c). */
int p_statement(struct parser *p, struct block *b);
/* "{ statements }" into a fresh list sharing b's scope; the list is
 * copied to the arena. */
int p_cond_body(struct parser *p, const struct block *b, const char *kw, const struct conf_stmt **list, size_t *n);
/* "{ statements }" as a new scope of `kind` inside outer. */
int p_block(struct parser *p, struct block *outer, struct block *inner, enum scope_kind kind, const char *kw,
	    int line);
/* Grows one of the config's tables by one zeroed element (parse.c). */
void *p_grow(struct parser *p, void **arr, size_t *n, size_t *cap, size_t elem);

/* Expressions (parse_expr.c). */
int p_bool_expr(struct parser *p, const char *kw, const struct expr **out, int depth);
int p_data_expr(struct parser *p, const char *kw, const struct expr **out, int depth);
/* A data constant: a quoted string or hex bytes aa:bb. */
int p_data_const(struct parser *p, const char *kw, const uint8_t **data, uint16_t *len);

#endif
