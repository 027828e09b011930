/* RFC 2347 option negotiation: which options are acknowledged, with what
 * values, and the transfer parameters that follow. Only options the client
 * asked for are ever put in the OACK (PXELINUX aborts on any other). Pure. */
#ifndef TFTPD_NEGOTIATE_H
#define TFTPD_NEGOTIATE_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

enum tftp_optid {
	TFTP_OPT_BLKSIZE,
	TFTP_OPT_BLKSIZE2,        /* tftp-hpa's power-of-two blksize */
	TFTP_OPT_TSIZE,
	TFTP_OPT_TIMEOUT,
	TFTP_OPT_UTIMEOUT,
	TFTP_OPT_WINDOWSIZE,
	TFTP_OPT_ROLLOVER,        /* tftp-hpa's block number after 65535 */
	TFTP_OPT_COUNT,
};

#define TFTP_WINDOW_MAX 64        /* largest window we agree to */
#define TFTP_OPT_NAME_MAX 16
#define TFTP_OPT_VALUE_MAX 24

/* What the server allows. */
struct tftp_policy {
	unsigned refused;         /* bit (1u << tftp_optid) per -r option */
	unsigned max_blksize;     /* -B (TFTP_BLKSIZE_MAX when not given) */
	unsigned mtu_blksize;     /* from the receiving interface; 0 = unknown */
	uint64_t timeout_us;      /* -T: first retransmit timeout */
};

/* The outcome: transfer parameters and the OACK to send. */
struct tftp_params {
	unsigned blksize;
	unsigned windowsize;
	uint64_t timeout_us;
	bool has_tsize;
	uint64_t tsize;           /* WRQ: the size the client announced */
	struct tftp_opt oack[TFTP_OPT_COUNT];
	size_t n_oack;
	char oack_names[TFTP_OPT_COUNT][TFTP_OPT_NAME_MAX];
	char oack_values[TFTP_OPT_COUNT][TFTP_OPT_VALUE_MAX];
};

/* Looks up a -r name; -1 when unknown. */
int tftp_optid_lookup(const char *name);

/* file_size: the size reported for tsize in an RRQ. Returns false when
 * an option's value is outside its RFC's range (blksize under 8, timeout
 * outside 1..255, utimeout outside 10000..255000000, rollover over
 * 65535): in.tftpd answers such a request with error 8. A refused (-r) or
 * non-numeric one is ignored, as there. An option sent twice takes the
 * later value, as in in.tftpd, but is acknowledged once; so are blksize
 * and blksize2 together (the later one). */
bool tftp_negotiate(const struct tftp_request *req, const struct tftp_policy *pol,
		    uint64_t file_size, struct tftp_params *out);
/* tftp_negotiate's verdict alone, before a file is opened. */
bool tftp_options_valid(const struct tftp_request *req, const struct tftp_policy *pol);

/* The options as the client sent them, "name=value,..." for the log. */
size_t tftp_options_str(const struct tftp_request *req, char *buf, size_t size);

#endif
