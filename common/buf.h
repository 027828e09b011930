/* Bounded byte reader and writer for protocol codecs. Reading or writing
 * past the end is impossible through this API: the first overrun sets a
 * sticky error, later calls do nothing and read zeros. No syscalls. */
#ifndef PXE_BUF_H
#define PXE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rbuf {
	const uint8_t *data;
	size_t len;
	size_t pos;
	bool err;
};

struct wbuf {
	uint8_t *data;
	size_t cap;
	size_t len;
	bool err;
};

void rbuf_init(struct rbuf *r, const void *data, size_t len);
size_t rbuf_left(const struct rbuf *r);
bool rbuf_ok(const struct rbuf *r);
uint8_t rbuf_u8(struct rbuf *r);
uint16_t rbuf_u16(struct rbuf *r);   /* network byte order */
uint32_t rbuf_u32(struct rbuf *r);   /* network byte order */
/* Copies n bytes into dst (zeros on overrun). */
bool rbuf_copy(struct rbuf *r, void *dst, size_t n);
/* Points *out at the next n bytes without copying (NULL on overrun). */
const uint8_t *rbuf_view(struct rbuf *r, size_t n);
bool rbuf_skip(struct rbuf *r, size_t n);
/* A NUL-terminated string inside the buffer: *out points at it, *out_len
 * is its length without the NUL; the position moves past the NUL. Fails
 * (sticky) when no NUL is left. */
bool rbuf_cstr(struct rbuf *r, const char **out, size_t *out_len);
/* A sub-reader over the next n bytes (the parent moves past them). */
bool rbuf_sub(struct rbuf *r, size_t n, struct rbuf *sub);

void wbuf_init(struct wbuf *w, void *data, size_t cap);
bool wbuf_ok(const struct wbuf *w);
size_t wbuf_left(const struct wbuf *w);
bool wbuf_u8(struct wbuf *w, uint8_t v);
bool wbuf_u16(struct wbuf *w, uint16_t v);
bool wbuf_u32(struct wbuf *w, uint32_t v);
bool wbuf_bytes(struct wbuf *w, const void *src, size_t n);
/* The string and its terminating NUL. */
bool wbuf_cstr(struct wbuf *w, const char *s);
/* Zero fill. */
bool wbuf_zero(struct wbuf *w, size_t n);
/* printf into the buffer (no NUL written); an overflow is an error. */
bool wbuf_printf(struct wbuf *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reserves n bytes and returns where they start (NULL on overflow), for
 * length fields filled in later. */
uint8_t *wbuf_reserve(struct wbuf *w, size_t n);

#endif
