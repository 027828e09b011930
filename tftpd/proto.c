/* TFTP packet codec; see proto.h. */
#include "proto.h"

#include <string.h>
#include <strings.h>

#include "buf.h"

static const struct {
	const char *name;
	enum tftp_mode mode;
} tftp_modes[] = {
	{ "octet", TFTP_MODE_OCTET },
	{ "netascii", TFTP_MODE_NETASCII },
};

static bool mode_lookup(const char *name, enum tftp_mode *mode)
{
	for (size_t i = 0; i < sizeof tftp_modes / sizeof tftp_modes[0]; i++)
		if (strcasecmp(name, tftp_modes[i].name) == 0) {
			*mode = tftp_modes[i].mode;
			return true;
		}
	return false;
}

/* Old ROMs pad the name with 0xFF: strip it, keep everything else. */
static enum tftp_parse_status copy_filename(struct tftp_request *req, const char *name, size_t len)
{
	while (len > 0 && (uint8_t)name[len - 1] == 0xff)
		len--;
	if (len > TFTP_NAME_MAX)
		return TFTP_PARSE_LONGNAME;
	memcpy(req->filename, name, len);
	req->filename[len] = '\0';
	req->filename_len = len;
	return TFTP_PARSE_OK;
}

/* The next string; false at the end of the packet. in.tftpd 5.2 reads
 * the byte after the packet in its buffer as the terminator: zero unless
 * an earlier, longer request left one there, so a fresh in.tftpd (as
 * xinetd starts it) serves a request whose last string is unterminated.
 * Here the packet's end always ends it, copied into req->tail (cut after
 * TFTP_NAME_MAX + 1 bytes: too long for a name, meaningless otherwise). */
static bool next_string(struct rbuf *r, struct tftp_request *req, const char **s, size_t *len)
{
	size_t left = rbuf_left(r);

	if (left == 0)
		return false;
	if (memchr(r->data + r->pos, 0, left))
		return rbuf_cstr(r, s, len);
	*len = left < sizeof req->tail ? left : sizeof req->tail - 1;
	memcpy(req->tail, rbuf_view(r, left), *len);
	req->tail[*len] = '\0';
	*s = req->tail;
	return true;
}

/* Options until the packet ends; an empty name or a name without a value
 * is padding. Options past TFTP_OPTS_MAX are dropped (never
 * acknowledged). */
static void parse_options(struct rbuf *r, struct tftp_request *req)
{
	const char *name, *value;
	size_t name_len, value_len;

	while (next_string(r, req, &name, &name_len)) {
		if (name_len == 0 || !next_string(r, req, &value, &value_len))
			return;
		if (req->n_opts < TFTP_OPTS_MAX)
			req->opts[req->n_opts++] = (struct tftp_opt){ name, value };
	}
}

enum tftp_parse_status tftp_parse_request(const uint8_t *pkt, size_t len, struct tftp_request *req)
{
	struct rbuf r;
	const char *name, *mode;
	size_t name_len, mode_len;

	memset(req, 0, sizeof *req);
	rbuf_init(&r, pkt, len);
	uint16_t op = rbuf_u16(&r);
	if (!rbuf_ok(&r))
		return TFTP_PARSE_SHORT;
	if (op != TFTP_RRQ && op != TFTP_WRQ)
		return TFTP_PARSE_BADOP;
	req->op = op;
	if (!next_string(&r, req, &name, &name_len))
		return TFTP_PARSE_NOMODE;
	enum tftp_parse_status st = copy_filename(req, name, name_len);
	if (st != TFTP_PARSE_OK)
		return st;
	/* in.tftpd's parser stops at the first empty string: an empty name
	 * or mode is a missing mode to it */
	if (name_len == 0 || !next_string(&r, req, &mode, &mode_len) || mode_len == 0)
		return TFTP_PARSE_NOMODE;
	if (!mode_lookup(mode, &req->mode))
		return TFTP_PARSE_BADMODE;   /* the name is kept for the log */
	parse_options(&r, req);
	return TFTP_PARSE_OK;
}

/* The refusals in in.tftpd's words and codes; SHORT and BADOP get no
 * answer (their words are for the log). */
static const struct {
	enum tftp_errcode code;
	const char *msg;
} parse_refusals[] = {
	[TFTP_PARSE_OK] = { TFTP_EUNDEF, "ok" },
	[TFTP_PARSE_SHORT] = { TFTP_EUNDEF, "truncated request" },
	[TFTP_PARSE_BADOP] = { TFTP_EUNDEF, "not a request" },
	[TFTP_PARSE_BADMODE] = { TFTP_EBADOP, "Unknown mode" },
	[TFTP_PARSE_NOMODE] = { TFTP_EBADOP, "Missing mode" },
	[TFTP_PARSE_LONGNAME] = { TFTP_EUNDEF, "File name too long" },
};

const char *tftp_parse_status_str(enum tftp_parse_status st)
{
	return st < sizeof parse_refusals / sizeof parse_refusals[0] ? parse_refusals[st].msg : "?";
}

enum tftp_errcode tftp_parse_refusal_code(enum tftp_parse_status st)
{
	return st < sizeof parse_refusals / sizeof parse_refusals[0] ? parse_refusals[st].code
								      : TFTP_EUNDEF;
}

bool tftp_parse_reply(const uint8_t *pkt, size_t len, struct tftp_reply *rep)
{
	struct rbuf r;

	memset(rep, 0, sizeof *rep);
	rbuf_init(&r, pkt, len);
	rep->op = rbuf_u16(&r);
	uint16_t arg = rbuf_u16(&r);
	if (!rbuf_ok(&r))
		return false;
	rep->data = pkt + TFTP_HDR_LEN;
	rep->data_len = len - TFTP_HDR_LEN;
	switch (rep->op) {
	case TFTP_DATA:
	case TFTP_ACK:
		rep->block = arg;
		return true;
	case TFTP_ERROR:
		rep->errcode = arg;
		/* the message may lack its NUL: keep what is there */
		if (rep->data_len > 0 && rep->data[rep->data_len - 1] == '\0')
			rep->data_len--;
		return true;
	default:
		return false;
	}
}

static size_t finish(const struct wbuf *w)
{
	return wbuf_ok(w) ? w->len : 0;
}

/* DATA and ACK: opcode and block number. */
static size_t build_block_hdr(uint8_t *buf, size_t cap, enum tftp_opcode op, uint16_t block)
{
	struct wbuf w;

	wbuf_init(&w, buf, cap);
	wbuf_u16(&w, op);
	wbuf_u16(&w, block);
	return finish(&w);
}

size_t tftp_build_data_hdr(uint8_t *buf, size_t cap, uint16_t block)
{
	return build_block_hdr(buf, cap, TFTP_DATA, block);
}

size_t tftp_build_ack(uint8_t *buf, size_t cap, uint16_t block)
{
	return build_block_hdr(buf, cap, TFTP_ACK, block);
}

size_t tftp_build_error(uint8_t *buf, size_t cap, enum tftp_errcode code, const char *msg)
{
	struct wbuf w;

	wbuf_init(&w, buf, cap);
	wbuf_u16(&w, TFTP_ERROR);
	wbuf_u16(&w, code);
	wbuf_cstr(&w, msg);
	return finish(&w);
}

size_t tftp_build_oack(uint8_t *buf, size_t cap, const struct tftp_opt *opts, size_t n_opts)
{
	struct wbuf w;

	wbuf_init(&w, buf, cap);
	wbuf_u16(&w, TFTP_OACK);
	for (size_t i = 0; i < n_opts; i++) {
		wbuf_cstr(&w, opts[i].name);
		wbuf_cstr(&w, opts[i].value);
	}
	return finish(&w);
}
