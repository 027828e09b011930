/* Fuzzes rbuf/wbuf as a codec would use them: the first half of the input
 * is a program of operations, the rest the data they read. Checks that no
 * read or write leaves the buffers and that errors stay sticky. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct rbuf *r, const struct wbuf *w)
{
	if (r->pos > r->len || w->len > w->cap)
		abort();
	if ((!rbuf_ok(r) && rbuf_left(r)) || (!wbuf_ok(w) && wbuf_left(w)))
		abort();
}

/* One operation: reads per op code, writing what was read into w. */
static void step(uint8_t op, struct rbuf *r, struct wbuf *w)
{
	const char *s;
	size_t n = op >> 3;
	struct rbuf sub;
	uint8_t tmp[32];
	switch (op & 7) {
	case 0: wbuf_u8(w, rbuf_u8(r)); break;
	case 1: wbuf_u16(w, rbuf_u16(r)); break;
	case 2: wbuf_u32(w, rbuf_u32(r)); break;
	case 3: rbuf_copy(r, tmp, n); wbuf_bytes(w, tmp, n); break;
	case 4:
		if (rbuf_cstr(r, &s, &n)) {
			if (strlen(s) != n)
				abort();
			wbuf_cstr(w, s);
		}
		break;
	case 5: if (rbuf_sub(r, n, &sub)) wbuf_u16(w, rbuf_u16(&sub)); break;
	case 6:
		if (rbuf_view(r, n))
			wbuf_bytes(w, r->data + r->pos - n, n);
		break;
	default: rbuf_skip(r, n); wbuf_printf(w, "%zu", rbuf_left(r)); break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n_ops = size / 2;
	uint8_t out[64];
	struct rbuf r;
	struct wbuf w;
	rbuf_init(&r, data + n_ops, size - n_ops);
	wbuf_init(&w, out, sizeof out);
	for (size_t i = 0; i < n_ops; i++) {
		bool r_failed = !rbuf_ok(&r), w_failed = !wbuf_ok(&w);
		step(data[i], &r, &w);
		check(&r, &w);
		if ((r_failed && rbuf_ok(&r)) || (w_failed && wbuf_ok(&w)))
			abort();   /* errors never clear */
	}
	return 0;
}
