#include "expr.h"

#include <stdio.h>
#include <string.h>

bool expr_is_boolean(const struct expr *e)
{
	return e->op >= EX_EXISTS;
}

static void set(struct expr_value *v, const void *src, size_t n)
{
	v->len = n < EXPR_DATA_MAX ? n : EXPR_DATA_MAX;
	v->null = false;
	if (v->len)
		memcpy(v->b, src, v->len);
}

static void eval_option(const struct expr *e, const struct dhcp_packet *pkt, struct expr_value *v)
{
	size_t n;
	const uint8_t *p = dhcp_opt(pkt, e->code, &n);
	if (p)
		set(v, p, n);
}

static void eval_hardware(const struct expr *e, const struct dhcp_packet *pkt, struct expr_value *v)
{
	uint8_t hw[17] = { pkt->h.htype };
	size_t n = pkt->h.hlen <= 16 ? pkt->h.hlen : 16;
	memcpy(hw + 1, pkt->h.chaddr, n);
	set(v, hw, n + 1);
}

static void eval_substring(const struct expr *e, const struct dhcp_packet *pkt, struct expr_value *v)
{
	expr_data(e->a, pkt, v);
	if (v->null)
		return;
	size_t off = e->n1 < v->len ? e->n1 : v->len;
	size_t n = v->len - off < e->n2 ? v->len - off : e->n2;
	memmove(v->b, v->b + off, n);
	v->len = n;
}

static void eval_suffix(const struct expr *e, const struct dhcp_packet *pkt, struct expr_value *v)
{
	expr_data(e->a, pkt, v);
	size_t n = v->len < e->n1 ? v->len : e->n1;
	memmove(v->b, v->b + v->len - n, n);
	v->len = n;
}

static void eval_concat(const struct expr *e, const struct dhcp_packet *pkt, struct expr_value *v)
{
	struct expr_value tail;
	expr_data(e->a, pkt, v);
	expr_data(e->b, pkt, &tail);
	if (v->null || tail.null) {
		v->null = true;
		return;
	}
	size_t n = tail.len < EXPR_DATA_MAX - v->len ? tail.len : EXPR_DATA_MAX - v->len;
	memcpy(v->b + v->len, tail.b, n);
	v->len += n;
}

/* Each `width`-bit unit (8, 16 or 32) of the data in `base`, joined by the separator. */
static void eval_bin2ascii(const struct expr *e, const struct dhcp_packet *pkt, struct expr_value *v)
{
	struct expr_value in;
	expr_data(e->a, pkt, &in);
	v->null = in.null;
	v->len = 0;
	size_t unit = e->n2 / 8;
	for (size_t i = 0; !in.null && unit && i + unit <= in.len; i += unit) {
		uint32_t x = 0;
		for (size_t k = 0; k < unit; k++)
			x = x << 8 | in.b[i + k];
		char num[16];
		int n = e->n1 == 16 ? snprintf(num, sizeof num, "%x", x)
			: e->n1 == 8 ? snprintf(num, sizeof num, "%o", x) : snprintf(num, sizeof num, "%u", x);
		if (v->len + (size_t)n + e->len > EXPR_DATA_MAX)
			break;
		if (i) {
			memcpy(v->b + v->len, e->data, e->len);
			v->len += e->len;
		}
		memcpy(v->b + v->len, num, (size_t)n);
		v->len += (size_t)n;
	}
}

static void eval_pick(const struct expr *e, const struct dhcp_packet *pkt, struct expr_value *v)
{
	expr_data(e->a, pkt, v);
	if (v->null || !v->len)
		expr_data(e->b, pkt, v);
}

void expr_data(const struct expr *e, const struct dhcp_packet *pkt, struct expr_value *v)
{
	v->len = 0;
	v->null = true;
	if (!pkt)
		return;
	switch (e->op) {
	case EX_CONST: set(v, e->data, e->len); break;
	case EX_OPTION: eval_option(e, pkt, v); break;
	case EX_HARDWARE: eval_hardware(e, pkt, v); break;
	case EX_SUBSTRING: eval_substring(e, pkt, v); break;
	case EX_SUFFIX: eval_suffix(e, pkt, v); break;
	case EX_CONCAT: eval_concat(e, pkt, v); break;
	case EX_BIN2ASCII: eval_bin2ascii(e, pkt, v); break;
	case EX_PICK: eval_pick(e, pkt, v); break;
	default: break;
	}
}

/* Firmware sends x64 UEFI as 7 or 9 (RFC 4578 says 9 is EBC, nobody ships
 * that): when option 93 is compared, both mean x64, so Red Hat's
 * `option architecture-type = 00:07` catches either. */
static void x64_alias(const struct expr *e, const struct expr *other, struct expr_value *v)
{
	bool arch = (e->op == EX_OPTION && e->code == OPT_ARCH) || (other->op == EX_OPTION && other->code == OPT_ARCH);
	if (arch && !v->null && v->len == 2 && v->b[0] == 0 && v->b[1] == 9)
		v->b[1] = 7;
}

static bool equal(const struct expr *e, const struct dhcp_packet *pkt)
{
	struct expr_value x, y;
	expr_data(e->a, pkt, &x);
	expr_data(e->b, pkt, &y);
	x64_alias(e->a, e->b, &x);
	x64_alias(e->b, e->a, &y);
	if (x.null || y.null)
		return x.null && y.null;   /* ISC: two missing values are equal */
	return x.len == y.len && memcmp(x.b, y.b, x.len) == 0;
}

bool expr_true(const struct expr *e, const struct dhcp_packet *pkt)
{
	size_t n;
	if (!pkt)
		return false;
	switch (e->op) {
	case EX_EXISTS: return dhcp_opt(pkt, e->code, &n) != NULL;
	case EX_EQ: return equal(e, pkt);
	case EX_NE: return !equal(e, pkt);
	case EX_AND: return expr_true(e->a, pkt) && expr_true(e->b, pkt);
	case EX_OR: return expr_true(e->a, pkt) || expr_true(e->b, pkt);
	case EX_NOT: return !expr_true(e->a, pkt);
	default: return false;
	}
}
