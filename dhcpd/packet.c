/* BOOTP/DHCP codec. Everything read is bounded by rbuf; a malformed
 * datagram yields a reason string, never a crash. */
#include "packet.h"

#include <string.h>

#include "buf.h"

static const uint8_t cookie[4] = { 99, 130, 83, 99 };

static void read_hdr(struct rbuf *r, struct dhcp_hdr *h)
{
	h->op = rbuf_u8(r);
	h->htype = rbuf_u8(r);
	h->hlen = rbuf_u8(r);
	h->hops = rbuf_u8(r);
	h->xid = rbuf_u32(r);
	h->secs = rbuf_u16(r);
	h->flags = rbuf_u16(r);
	h->ciaddr = rbuf_u32(r);
	h->yiaddr = rbuf_u32(r);
	h->siaddr = rbuf_u32(r);
	h->giaddr = rbuf_u32(r);
	rbuf_copy(r, h->chaddr, sizeof h->chaddr);
	rbuf_copy(r, h->sname, sizeof h->sname);
	rbuf_copy(r, h->file, sizeof h->file);
	h->sname[sizeof h->sname - 1] = '\0';
	h->file[sizeof h->file - 1] = '\0';
}

struct span {
	uint8_t code;
	uint8_t len;
	const uint8_t *data;
};

struct spans {
	struct span s[DHCP_MAX_PACKET / 2];
	size_t n;
	uint8_t overload;
};

/* One options area into spans; stops at END. */
static const char *scan_area(const uint8_t *area, size_t size, struct spans *sp)
{
	struct rbuf r;
	rbuf_init(&r, area, size);
	while (rbuf_left(&r) > 0) {
		uint8_t code = rbuf_u8(&r);
		if (code == OPT_END)
			return NULL;
		if (code == OPT_PAD)
			continue;
		uint8_t len = rbuf_u8(&r);
		const uint8_t *data = rbuf_view(&r, len);
		if (!data)
			return "option runs past the end";
		if (code == OPT_OVERLOAD && len == 1)
			sp->overload = data[0];
		sp->s[sp->n++] = (struct span){ code, len, data };
	}
	return NULL;
}

/* Spans into p->data, each code's pieces joined in order. */
static void join_spans(struct dhcp_packet *p, const struct spans *sp)
{
	uint32_t total[256] = { 0 };
	for (size_t i = 0; i < sp->n; i++)
		total[sp->s[i].code] += sp->s[i].len;
	uint32_t used = 0;
	for (unsigned c = 0; c < 256; c++) {
		p->off[c] = (uint16_t)used;
		p->len[c] = 0;
		used += total[c];
	}
	memset(p->present, 0, sizeof p->present);
	for (size_t i = 0; i < sp->n; i++) {
		const struct span *s = &sp->s[i];
		memcpy(p->data + p->off[s->code] + p->len[s->code], s->data, s->len);
		p->len[s->code] += s->len;
		p->present[s->code / 8] |= (uint8_t)(1u << (s->code % 8));
	}
}

const char *dhcp_parse(struct dhcp_packet *p, const uint8_t *buf, size_t len)
{
	struct spans sp;  /* 32 KiB on the stack: one per call, no shared state */
	struct rbuf r;
	if (len > DHCP_MAX_PACKET)
		return "datagram too long";
	rbuf_init(&r, buf, len);
	read_hdr(&r, &p->h);
	if (!rbuf_ok(&r))
		return "shorter than the BOOTP header";
	if (p->h.op != BOOTREQUEST)
		return "not a BOOTREQUEST";
	if (p->h.hlen > sizeof p->h.chaddr)
		return "hardware address length above 16";
	sp.n = 0;
	sp.overload = 0;
	const uint8_t *c = rbuf_view(&r, 4);
	p->has_cookie = c && memcmp(c, cookie, 4) == 0;
	const char *e = NULL;
	if (p->has_cookie)
		e = scan_area(buf + DHCP_FIXED_LEN + 4, len - DHCP_FIXED_LEN - 4, &sp);
	if (!e && (sp.overload & 1))
		e = scan_area(buf + 108, 128, &sp);
	if (!e && (sp.overload & 2))
		e = scan_area(buf + 44, 64, &sp);
	if (e)
		return e;
	if (sp.overload & 1)
		p->h.file[0] = '\0';
	if (sp.overload & 2)
		p->h.sname[0] = '\0';
	join_spans(p, &sp);
	size_t mlen;
	const uint8_t *mt = dhcp_opt(p, OPT_MSG_TYPE, &mlen);
	p->msg_type = mt && mlen == 1 ? mt[0] : DHCP_BOOTP;
	if (p->msg_type > DHCPINFORM)
		return "unknown DHCP message type";
	return NULL;
}

uint8_t dhcp_peek_type(const uint8_t *buf, size_t len)
{
	size_t i = DHCP_FIXED_LEN + 4;
	while (i + 2 < len && buf[i] != OPT_END) {
		if (buf[i] == OPT_PAD) {
			i++;
			continue;
		}
		if (buf[i] == OPT_MSG_TYPE && buf[i + 1] == 1)
			return buf[i + 2];
		i += 2u + buf[i + 1];
	}
	return DHCP_BOOTP;
}

const uint8_t *dhcp_opt(const struct dhcp_packet *p, uint8_t code, size_t *len)
{
	if (!(p->present[code / 8] & (1u << (code % 8))))
		return NULL;
	*len = p->len[code];
	return p->data + p->off[code];
}

bool dhcp_opt_u32(const struct dhcp_packet *p, uint8_t code, uint32_t *out)
{
	size_t n;
	const uint8_t *d = dhcp_opt(p, code, &n);
	if (!d || (n != 1 && n != 2 && n != 4))
		return false;
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | d[i];
	*out = v;
	return true;
}

bool dhcp_opt_u16(const struct dhcp_packet *p, uint8_t code, uint16_t *out)
{
	size_t n;
	const uint8_t *d = dhcp_opt(p, code, &n);
	if (!d || n != 2)
		return false;
	*out = (uint16_t)(d[0] << 8 | d[1]);
	return true;
}

bool dhcp_out_add(struct dhcp_out *o, uint8_t code, const void *data, size_t len)
{
	if (o->n_opt == DHCP_OUT_MAX_OPTS || len > 1024)
		return false;
	o->opt[o->n_opt++] = (struct dhcp_out_opt){ code, (uint16_t)len, data };
	return true;
}

static void write_hdr(struct wbuf *w, const struct dhcp_hdr *h)
{
	wbuf_u8(w, h->op);
	wbuf_u8(w, h->htype);
	wbuf_u8(w, h->hlen);
	wbuf_u8(w, h->hops);
	wbuf_u32(w, h->xid);
	wbuf_u16(w, h->secs);
	wbuf_u16(w, h->flags);
	wbuf_u32(w, h->ciaddr);
	wbuf_u32(w, h->yiaddr);
	wbuf_u32(w, h->siaddr);
	wbuf_u32(w, h->giaddr);
	wbuf_bytes(w, h->chaddr, sizeof h->chaddr);
	wbuf_bytes(w, h->sname, sizeof h->sname);
	wbuf_bytes(w, h->file, sizeof h->file);
}

/* Bytes an option takes on the wire, split into 255-byte pieces. */
static size_t wire_size(const struct dhcp_out_opt *op)
{
	size_t pieces = op->len ? (op->len + 254) / 255 : 1;
	return op->len + 2 * pieces;
}

static void write_opt(struct wbuf *w, const struct dhcp_out_opt *op)
{
	size_t done = 0;
	do {
		size_t n = op->len - done > 255 ? 255 : op->len - done;
		wbuf_u8(w, op->code);
		wbuf_u8(w, (uint8_t)n);
		wbuf_bytes(w, op->data + done, n);
		done += n;
	} while (done < op->len);
}

size_t dhcp_encode(const struct dhcp_out *o, uint8_t *buf, size_t max)
{
	struct wbuf w;
	if (max < DHCP_MIN_LEN)
		return 0;
	wbuf_init(&w, buf, max);
	write_hdr(&w, &o->h);
	wbuf_bytes(&w, cookie, sizeof cookie);
	if (o->msg_type) {
		uint8_t mt[3] = { OPT_MSG_TYPE, 1, o->msg_type };
		wbuf_bytes(&w, mt, sizeof mt);
	}
	for (size_t i = 0; i < o->n_opt; i++)
		if (wire_size(&o->opt[i]) < wbuf_left(&w))
			write_opt(&w, &o->opt[i]);
	wbuf_u8(&w, OPT_END);
	if (w.len < DHCP_MIN_LEN)
		wbuf_zero(&w, DHCP_MIN_LEN - w.len);
	return wbuf_ok(&w) ? w.len : 0;
}
