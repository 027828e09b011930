/* ISC dhcpd.conf expressions (dhcp-eval(5)), the subset PXE configs use:
 * booleans (=, !=, and, or, not, exists) over data (option, substring,
 * suffix, hardware, concat, binary-to-ascii, pick-first-value, strings,
 * hex bytes). Evaluated against a request; pure. */
#ifndef DHCPD_EXPR_H
#define DHCPD_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

enum expr_op {
	EX_CONST,     /* data, len */
	EX_OPTION,    /* code */
	EX_HARDWARE,  /* htype + chaddr */
	EX_SUBSTRING, /* a, n1 offset, n2 length */
	EX_SUFFIX,    /* a, n1 length */
	EX_CONCAT,    /* a, b */
	EX_BIN2ASCII, /* a, n1 base, n2 width, data: separator */
	EX_PICK,      /* a, else b (pick-first-value) */
	EX_EXISTS,    /* code */
	EX_EQ, EX_NE, EX_AND, EX_OR, EX_NOT,
};

struct expr {
	enum expr_op op;
	const struct expr *a, *b;
	uint32_t n1, n2;
	uint8_t code;
	uint16_t len;
	const uint8_t *data;
};

#define EXPR_DATA_MAX 512
#define EXPR_MAX_DEPTH 16

struct expr_value {
	uint8_t b[EXPR_DATA_MAX];
	size_t len;
	bool null;   /* no value: option absent, substring out of range... */
};

bool expr_is_boolean(const struct expr *e);
/* A boolean expression; a NULL packet makes every test false. */
bool expr_true(const struct expr *e, const struct dhcp_packet *pkt);
void expr_data(const struct expr *e, const struct dhcp_packet *pkt, struct expr_value *out);

#endif
