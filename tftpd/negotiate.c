/* Option negotiation; see negotiate.h. */
#include "negotiate.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

struct opt_ctx {
	const struct tftp_request *req;
	const struct tftp_policy *pol;
	uint64_t file_size;
	struct tftp_params *out;
};

enum opt_verdict {
	OPT_ACK,        /* acknowledged with *ack */
	OPT_OMIT,       /* left out of the OACK */
	OPT_INVALID,    /* outside the RFC's range: in.tftpd refuses the request */
};

typedef enum opt_verdict opt_handler(struct opt_ctx *c, uint64_t asked, uint64_t *ack);

/* Strict decimal: digits only, at most 18 of them (no overflow). */
static bool parse_decimal(const char *s, uint64_t *v)
{
	size_t n = strlen(s);

	if (n == 0 || n > 18 || strspn(s, "0123456789") != n)
		return false;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	return true;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* RFC 2348: 8..65464; larger requests get the largest we can send. */
static enum opt_verdict opt_blksize(struct opt_ctx *c, uint64_t asked, uint64_t *ack)
{
	if (asked < 8)
		return OPT_INVALID;
	uint64_t v = min_u64(asked, TFTP_BLKSIZE_MAX);
	v = min_u64(v, c->pol->max_blksize);
	if (c->pol->mtu_blksize >= 8)
		v = min_u64(v, c->pol->mtu_blksize);
	c->out->blksize = (unsigned)v;
	*ack = v;
	return OPT_ACK;
}

/* tftp-hpa's blksize2: the largest power of two within blksize's limits.
 * in.tftpd 5.2 grants its cap unrounded to a request above it (100000
 * gets 65464); a client asking for a power of two gets one here. */
static enum opt_verdict opt_blksize2(struct opt_ctx *c, uint64_t asked, uint64_t *ack)
{
	enum opt_verdict v = opt_blksize(c, asked, ack);

	if (v == OPT_ACK) {
		while (*ack & (*ack - 1))
			*ack &= *ack - 1;
		c->out->blksize = (unsigned)*ack;
	}
	return v;
}

/* RFC 2349: an RRQ learns the size, a WRQ announces it. A netascii RRQ
 * gets no tsize: the converted size is the file's plus one byte per CR
 * and LF, not counted before sending. in.tftpd refuses such a request
 * with error 8; it is valid, so here it is served, without tsize. */
static enum opt_verdict opt_tsize(struct opt_ctx *c, uint64_t asked, uint64_t *ack)
{
	if (c->req->op == TFTP_RRQ && c->req->mode == TFTP_MODE_NETASCII)
		return OPT_OMIT;
	c->out->has_tsize = true;
	c->out->tsize = c->req->op == TFTP_RRQ ? c->file_size : asked;
	*ack = c->out->tsize;
	return OPT_ACK;
}

static enum opt_verdict opt_timeout(struct opt_ctx *c, uint64_t asked, uint64_t *ack)
{
	if (asked < 1 || asked > 255)
		return OPT_INVALID;
	c->out->timeout_us = asked * 1000000;
	*ack = asked;
	return OPT_ACK;
}

/* tftp-hpa's microsecond timeout. */
static enum opt_verdict opt_utimeout(struct opt_ctx *c, uint64_t asked, uint64_t *ack)
{
	if (asked < 10000 || asked > 255000000)
		return OPT_INVALID;
	c->out->timeout_us = asked;
	*ack = asked;
	return OPT_ACK;
}

/* RFC 7440: the server may answer with a smaller window. */
static enum opt_verdict opt_windowsize(struct opt_ctx *c, uint64_t asked, uint64_t *ack)
{
	if (asked < 1 || asked > 65535)
		return OPT_OMIT;
	c->out->windowsize = (unsigned)min_u64(asked, TFTP_WINDOW_MAX);
	*ack = c->out->windowsize;
	return OPT_ACK;
}

/* Block numbers here wrap to 0: that is acknowledged, any other start is
 * left out (the client then knows it is not honoured). Over 65535 is
 * in.tftpd's error 8. */
static enum opt_verdict opt_rollover(struct opt_ctx *c, uint64_t asked, uint64_t *ack)
{
	(void)c;
	if (asked > 65535)
		return OPT_INVALID;
	*ack = 0;
	return asked == 0 ? OPT_ACK : OPT_OMIT;
}

/* slot: the OACK entry an option shares (blksize2 replaces blksize). */
static const struct {
	const char *name;
	opt_handler *handle;
	enum tftp_optid slot;
} opt_table[TFTP_OPT_COUNT] = {
	[TFTP_OPT_BLKSIZE] = { "blksize", opt_blksize, TFTP_OPT_BLKSIZE },
	[TFTP_OPT_BLKSIZE2] = { "blksize2", opt_blksize2, TFTP_OPT_BLKSIZE },
	[TFTP_OPT_TSIZE] = { "tsize", opt_tsize, TFTP_OPT_TSIZE },
	[TFTP_OPT_TIMEOUT] = { "timeout", opt_timeout, TFTP_OPT_TIMEOUT },
	[TFTP_OPT_UTIMEOUT] = { "utimeout", opt_utimeout, TFTP_OPT_UTIMEOUT },
	[TFTP_OPT_WINDOWSIZE] = { "windowsize", opt_windowsize, TFTP_OPT_WINDOWSIZE },
	[TFTP_OPT_ROLLOVER] = { "rollover", opt_rollover, TFTP_OPT_ROLLOVER },
};

int tftp_optid_lookup(const char *name)
{
	for (int i = 0; i < TFTP_OPT_COUNT; i++)
		if (strcasecmp(name, opt_table[i].name) == 0)
			return i;
	return -1;
}

/* Echoes the client's own spelling of the name (at most as long as
 * ours). A repeated option overwrites its entry: in.tftpd lists it once
 * per request but uses the last value, and a client reading the first
 * would then use another block size than the server. */
static void set_oack(struct tftp_params *out, unsigned char *entry, const char *name,
		     uint64_t value)
{
	if (*entry == 0)
		*entry = (unsigned char)++out->n_oack;
	size_t i = *entry - 1u;

	snprintf(out->oack_names[i], sizeof out->oack_names[i], "%s", name);
	snprintf(out->oack_values[i], sizeof out->oack_values[i], "%llu", (unsigned long long)value);
	out->oack[i] = (struct tftp_opt){ out->oack_names[i], out->oack_values[i] };
}

bool tftp_negotiate(const struct tftp_request *req, const struct tftp_policy *pol,
		    uint64_t file_size, struct tftp_params *out)
{
	struct opt_ctx c = { req, pol, file_size, out };
	unsigned char entry[TFTP_OPT_COUNT] = { 0 };   /* OACK index + 1 per slot */
	bool valid = true;

	memset(out, 0, sizeof *out);
	out->blksize = TFTP_SEGSIZE;
	out->windowsize = 1;
	out->timeout_us = pol->timeout_us;
	for (size_t i = 0; i < req->n_opts; i++) {
		int id = tftp_optid_lookup(req->opts[i].name);
		uint64_t asked, ack;
		if (id < 0 || pol->refused & (1u << id) || !parse_decimal(req->opts[i].value, &asked))
			continue;
		enum opt_verdict v = opt_table[id].handle(&c, asked, &ack);
		if (v == OPT_ACK)
			set_oack(out, &entry[opt_table[id].slot], req->opts[i].name, ack);
		valid &= v != OPT_INVALID;
	}
	return valid;
}

bool tftp_options_valid(const struct tftp_request *req, const struct tftp_policy *pol)
{
	struct tftp_params scratch;

	return tftp_negotiate(req, pol, 0, &scratch);
}

size_t tftp_options_str(const struct tftp_request *req, char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	for (size_t i = 0; i < req->n_opts && len < size; i++) {
		int n = snprintf(buf + len, size - len, "%s%s=%s", i ? "," : "", req->opts[i].name,
				 req->opts[i].value);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	return len < size ? len : size - 1;
}
