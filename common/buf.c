/* Bounded reader and writer: every access checks the length first, and the
 * first failure is sticky so a codec can check once at the end. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rbuf_init(struct rbuf *r, const void *data, size_t len)
{
	*r = (struct rbuf){ .data = data, .len = data ? len : 0 };
}

size_t rbuf_left(const struct rbuf *r)
{
	return r->err ? 0 : r->len - r->pos;
}

bool rbuf_ok(const struct rbuf *r)
{
	return !r->err;
}

/* Consumes n bytes and returns where they start, or NULL (sticky error). */
static const uint8_t *rbuf_take(struct rbuf *r, size_t n)
{
	if (r->err || n > r->len - r->pos) {
		r->err = true;
		return NULL;
	}
	const uint8_t *p = r->data + r->pos;
	r->pos += n;
	return p;
}

uint8_t rbuf_u8(struct rbuf *r)
{
	const uint8_t *p = rbuf_take(r, 1);
	return p ? p[0] : 0;
}

uint16_t rbuf_u16(struct rbuf *r)
{
	const uint8_t *p = rbuf_take(r, 2);
	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

uint32_t rbuf_u32(struct rbuf *r)
{
	const uint8_t *p = rbuf_take(r, 4);
	return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
}

bool rbuf_copy(struct rbuf *r, void *dst, size_t n)
{
	const uint8_t *p = rbuf_take(r, n);
	if (!p) {
		memset(dst, 0, n);
		return false;
	}
	memcpy(dst, p, n);
	return true;
}

const uint8_t *rbuf_view(struct rbuf *r, size_t n)
{
	return rbuf_take(r, n);
}

bool rbuf_skip(struct rbuf *r, size_t n)
{
	return rbuf_take(r, n) != NULL;
}

bool rbuf_cstr(struct rbuf *r, const char **out, size_t *out_len)
{
	size_t left = rbuf_left(r);
	const uint8_t *start = r->data ? r->data + r->pos : NULL;
	const uint8_t *nul = left ? memchr(start, 0, left) : NULL;
	*out = NULL;
	*out_len = 0;
	if (!nul) {
		r->err = true;
		return false;
	}
	*out = (const char *)start;
	*out_len = (size_t)(nul - start);
	r->pos += *out_len + 1;
	return true;
}

bool rbuf_sub(struct rbuf *r, size_t n, struct rbuf *sub)
{
	const uint8_t *p = rbuf_take(r, n);
	rbuf_init(sub, p, p ? n : 0);
	sub->err = !p;
	return p != NULL;
}

void wbuf_init(struct wbuf *w, void *data, size_t cap)
{
	*w = (struct wbuf){ .data = data, .cap = data ? cap : 0 };
}

bool wbuf_ok(const struct wbuf *w)
{
	return !w->err;
}

size_t wbuf_left(const struct wbuf *w)
{
	return w->err ? 0 : w->cap - w->len;
}

uint8_t *wbuf_reserve(struct wbuf *w, size_t n)
{
	if (w->err || n > w->cap - w->len) {
		w->err = true;
		return NULL;
	}
	uint8_t *p = w->data + w->len;
	w->len += n;
	return p;
}

bool wbuf_bytes(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *p = wbuf_reserve(w, n);
	if (p && n)
		memcpy(p, src, n);
	return p != NULL;
}

bool wbuf_u8(struct wbuf *w, uint8_t v)
{
	return wbuf_bytes(w, &v, 1);
}

bool wbuf_u16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	return wbuf_bytes(w, b, sizeof b);
}

bool wbuf_u32(struct wbuf *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	return wbuf_bytes(w, b, sizeof b);
}

bool wbuf_cstr(struct wbuf *w, const char *s)
{
	return wbuf_bytes(w, s, strlen(s) + 1);
}

bool wbuf_zero(struct wbuf *w, size_t n)
{
	uint8_t *p = wbuf_reserve(w, n);
	if (p && n)
		memset(p, 0, n);
	return p != NULL;
}

/* Formats into the buffer without a NUL. vsnprintf always writes one, so
 * a result that exactly fills the buffer is formatted on the heap first. */
bool wbuf_printf(struct wbuf *w, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	size_t left = wbuf_left(w);
	char *tmp = NULL;
	if (n >= 0 && (size_t)n == left && n > 0)
		tmp = malloc((size_t)n + 1);
	if (n < 0 || w->err || (size_t)n > left || ((size_t)n == left && n > 0 && !tmp)) {
		va_end(ap2);
		w->err = true;
		return false;
	}
	if (tmp) {
		vsnprintf(tmp, (size_t)n + 1, fmt, ap2);
		memcpy(w->data + w->len, tmp, (size_t)n);
		free(tmp);
	} else if (n > 0) {
		vsnprintf((char *)w->data + w->len, left, fmt, ap2);
	}
	va_end(ap2);
	w->len += (size_t)n;
	return true;
}
