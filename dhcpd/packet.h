/* BOOTP/DHCP message codec (RFC 951, 2131, 2132, 3396). Pure. */
#ifndef DHCPD_PACKET_H
#define DHCPD_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_FIXED_LEN 236
#define DHCP_MIN_LEN 300          /* RFC 1542: BOOTP replies at least this long */
#define DHCP_MIN_MAX_SIZE 576     /* RFC 2132 9.10 */
#define DHCP_MAX_PACKET 4096      /* largest datagram read or built */

enum dhcp_msg {
	DHCP_BOOTP = 0,               /* no option 53 */
	DHCPDISCOVER = 1, DHCPOFFER, DHCPREQUEST, DHCPDECLINE, DHCPACK, DHCPNAK, DHCPRELEASE, DHCPINFORM,
};

enum dhcp_opt {
	OPT_PAD = 0, OPT_SUBNET_MASK = 1, OPT_ROUTERS = 3, OPT_DNS = 6, OPT_HOST_NAME = 12,
	OPT_DOMAIN_NAME = 15, OPT_BROADCAST = 28, OPT_VENDOR_OPTS = 43, OPT_REQUESTED_IP = 50,
	OPT_LEASE_TIME = 51, OPT_OVERLOAD = 52, OPT_MSG_TYPE = 53, OPT_SERVER_ID = 54, OPT_PRL = 55,
	OPT_MESSAGE = 56, OPT_MAX_SIZE = 57, OPT_VENDOR_CLASS = 60, OPT_CLIENT_ID = 61,
	OPT_USER_CLASS = 77, OPT_RELAY_AGENT = 82, OPT_ARCH = 93, OPT_NDI = 94, OPT_UUID = 97,
	OPT_END = 255,
};

#define BOOTREQUEST 1
#define BOOTREPLY 2
#define DHCP_FLAG_BROADCAST 0x8000

/* The fixed BOOTP fields; addresses in host byte order. */
struct dhcp_hdr {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[16];
	char sname[64];  /* always NUL-terminated after parsing */
	char file[128];
};

/* A parsed request: options concatenated per code (RFC 3396), read from
 * the options field and, when option 52 says so, from file and sname. */
struct dhcp_packet {
	struct dhcp_hdr h;
	uint8_t msg_type;    /* enum dhcp_msg */
	bool has_cookie;
	uint8_t present[32]; /* bit per option code */
	uint16_t off[256], len[256];
	uint8_t data[DHCP_MAX_PACKET];
};

/* Returns NULL, or why the datagram is malformed. */
const char *dhcp_parse(struct dhcp_packet *p, const uint8_t *buf, size_t len);
const uint8_t *dhcp_opt(const struct dhcp_packet *p, uint8_t code, size_t *len);
/* The message type from the options field alone, without parsing the
 * datagram (for shedding load cheaply); DHCP_BOOTP when none is found. */
uint8_t dhcp_peek_type(const uint8_t *buf, size_t len);
/* A 1/2/4-byte option as a number; false when absent or of another size. */
bool dhcp_opt_u32(const struct dhcp_packet *p, uint8_t code, uint32_t *out);
bool dhcp_opt_u16(const struct dhcp_packet *p, uint8_t code, uint16_t *out);

struct dhcp_out_opt {
	uint8_t code;
	uint16_t len;
	const uint8_t *data;
};

#define DHCP_OUT_MAX_OPTS 64

struct dhcp_out {
	struct dhcp_hdr h;
	uint8_t msg_type;    /* 0: a BOOTP reply (no option 53) */
	struct dhcp_out_opt opt[DHCP_OUT_MAX_OPTS];
	size_t n_opt;
};

/* Appends an option (in priority order: options that do not fit within
 * the size limit are left out from the end). False when the list is full. */
bool dhcp_out_add(struct dhcp_out *o, uint8_t code, const void *data, size_t len);
/* Builds the datagram into buf (at most max bytes, at least 300). Options
 * over 255 bytes are split (RFC 3396). Returns the length, 0 on error. */
size_t dhcp_encode(const struct dhcp_out *o, uint8_t *buf, size_t max);

#endif
