/* TFTP packet codec (RFC 1350, 2347): parse requests and replies, build
 * DATA/ACK/ERROR/OACK. Pure functions over byte buffers. */
#ifndef TFTPD_PROTO_H
#define TFTPD_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tftp_opcode {
	TFTP_RRQ = 1,
	TFTP_WRQ = 2,
	TFTP_DATA = 3,
	TFTP_ACK = 4,
	TFTP_ERROR = 5,
	TFTP_OACK = 6,
};

enum tftp_errcode {
	TFTP_EUNDEF = 0,
	TFTP_ENOTFOUND = 1,
	TFTP_EACCESS = 2,
	TFTP_ENOSPACE = 3,
	TFTP_EBADOP = 4,
	TFTP_EBADID = 5,
	TFTP_EEXISTS = 6,
	TFTP_ENOUSER = 7,
	TFTP_EOPTNEG = 8,
};

enum tftp_mode { TFTP_MODE_OCTET, TFTP_MODE_NETASCII };

#define TFTP_HDR_LEN 4
#define TFTP_SEGSIZE 512          /* RFC 1350 block size */
#define TFTP_BLKSIZE_MAX 65464    /* RFC 2348 */
#define TFTP_NAME_MAX 1024        /* longest file name accepted */
#define TFTP_OPTS_MAX 16          /* options kept from one request */
#define TFTP_PKT_MAX (TFTP_HDR_LEN + TFTP_BLKSIZE_MAX)

/* An option as the client sent it; both point into the packet. */
struct tftp_opt {
	const char *name;
	const char *value;
};

struct tftp_request {
	enum tftp_opcode op;            /* TFTP_RRQ or TFTP_WRQ */
	enum tftp_mode mode;
	char filename[TFTP_NAME_MAX + 1];
	size_t filename_len;            /* may hold NUL-free bytes only */
	struct tftp_opt opts[TFTP_OPTS_MAX];
	size_t n_opts;
	char tail[TFTP_NAME_MAX + 2];   /* an unterminated last string, terminated */
};

enum tftp_parse_status {
	TFTP_PARSE_OK,
	TFTP_PARSE_SHORT,      /* no opcode */
	TFTP_PARSE_BADOP,      /* not a request */
	TFTP_PARSE_BADMODE,    /* "mail" or unknown mode */
	TFTP_PARSE_NOMODE,     /* no mode, or an empty file name */
	TFTP_PARSE_LONGNAME,   /* file name over TFTP_NAME_MAX */
};

/* Parses an RRQ/WRQ. The end of the packet ends its last string (as in a
 * fresh in.tftpd 5.2). Trailing NUL/0xFF padding after the last complete
 * option (as some PXE ROMs send) is ignored, as is 0xFF padding at the end
 * of the file name. Option pointers refer into pkt or req->tail. With
 * BADMODE and NOMODE the op and file name are filled in. */
enum tftp_parse_status tftp_parse_request(const uint8_t *pkt, size_t len, struct tftp_request *req);
const char *tftp_parse_status_str(enum tftp_parse_status st);
/* The error code in.tftpd answers a request that parsed to st with;
 * tftp_parse_status_str(st) is its message. */
enum tftp_errcode tftp_parse_refusal_code(enum tftp_parse_status st);

/* A packet received on a transfer's own port. */
struct tftp_reply {
	enum tftp_opcode op;
	uint16_t block;          /* DATA, ACK */
	uint16_t errcode;        /* ERROR */
	const uint8_t *data;     /* DATA payload, or ERROR message (not terminated) */
	size_t data_len;
};

/* Returns false for anything but a well-formed DATA, ACK or ERROR. */
bool tftp_parse_reply(const uint8_t *pkt, size_t len, struct tftp_reply *rep);

/* Builders return the packet length, 0 when it does not fit. */
size_t tftp_build_data_hdr(uint8_t *buf, size_t cap, uint16_t block);
size_t tftp_build_ack(uint8_t *buf, size_t cap, uint16_t block);
size_t tftp_build_error(uint8_t *buf, size_t cap, enum tftp_errcode code, const char *msg);
size_t tftp_build_oack(uint8_t *buf, size_t cap, const struct tftp_opt *opts, size_t n_opts);

#endif
