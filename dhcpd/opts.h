/* DHCP option names, codes and value types: the standard table plus
 * `option NAME code N = TYPE;` definitions, and the encoders that turn
 * dhcpd.conf values into option bytes. Pure. */
#ifndef DHCPD_OPTS_H
#define DHCPD_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum opt_type {
	OT_IP,       /* ip-address */
	OT_U8, OT_U16, OT_U32,
	OT_S8, OT_S16, OT_S32,
	OT_BOOL,
	OT_TEXT,     /* "quoted" */
	OT_STRING,   /* "quoted" or xx:yy hex */
	OT_DOMAINS,  /* domain-search: RFC 1035 names */
};

struct opt_def {
	char name[64];       /* "routers", or "SPACE.name" for an option space */
	uint8_t code;
	enum opt_type type;
	bool array;
	uint8_t space;       /* 0: the DHCP options; else an `option space` */
};

#define OPT_MAX_DEFS 320
#define OPT_MAX_SPACES 8

struct opt_table {
	struct opt_def defs[OPT_MAX_DEFS];
	size_t n;
	char spaces[OPT_MAX_SPACES][32];   /* [0] unused: the DHCP space */
	size_t n_spaces;
};

void opt_table_init(struct opt_table *t);
const struct opt_def *opt_by_name(const struct opt_table *t, const char *name);
/* Adds or replaces a definition; the space comes from a "SPACE." prefix,
 * which must name a declared space. Returns NULL or a message. */
const char *opt_define(struct opt_table *t, const char *name, uint8_t code, enum opt_type type, bool array);
/* `option space NAME;`. Returns false when the table is full. */
bool opt_space_add(struct opt_table *t, const char *name);
/* The space's id, or 0 when not declared. */
uint8_t opt_space_find(const struct opt_table *t, const char *name);
/* Parses a type as written after "code N =" from words ("unsigned integer
 * 16", "array of ip-address", "text"...). Returns false if unknown. */
bool opt_type_parse(const char *const *words, size_t n, enum opt_type *type, bool *array);

/* Encodes one scalar value of `type` from its token text (strings already
 * unquoted; is_string tells a quoted token). Appends to out (cap bytes,
 * *len in/out). Returns NULL or a message. */
const char *opt_encode(enum opt_type type, const char *text, size_t text_len, bool is_string,
		       uint8_t *out, size_t cap, size_t *len);

/* Parses dotted-quad into host order. */
bool ip_parse(const char *s, uint32_t *out);
/* Parses "aa:bb:cc" (1-2 hex digits per byte). Returns the byte count or -1. */
int hex_parse(const char *s, uint8_t *out, size_t cap);

#endif
