/* The DHCP server's decisions: one request in, at most one reply out,
 * plus the lease record to put on disk before that reply leaves. Pure:
 * io.c supplies the receiving interface's address and the time. */
#ifndef DHCPD_SERVER_H
#define DHCPD_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "lease.h"
#include "packet.h"

struct dhcp_request {
	const struct dhcp_packet *pkt;
	uint32_t if_addr;     /* receiving interface's address in a declared subnet; 0 if none */
	uint32_t peer_addr;   /* the datagram's source, host order */
	uint16_t peer_port;
	bool boot_port;       /* came to the proxyDHCP boot server port (4011) */
	int64_t now;
};

enum reply_dest {
	DEST_NONE,        /* no reply */
	DEST_RELAY,       /* giaddr, port 67 */
	DEST_CIADDR,      /* unicast to the client's address, port 68 */
	DEST_BROADCAST,   /* 255.255.255.255, port 68 */
	DEST_HWADDR,      /* yiaddr at chaddr: the client has no address yet */
	DEST_PEER,        /* the request's source address and port, from port 4011 */
};

struct dhcp_result {
	enum reply_dest dest;
	uint32_t dest_addr;          /* host order */
	uint16_t dest_port;          /* DEST_PEER only */
	struct dhcp_out out;
	struct lease *commit;        /* persist before sending; NULL if nothing changed */
	struct lease *freed[4];      /* persisted with it: leases one-lease-per-client released */
	size_t n_freed;
	const char *event;           /* "offer", "ack" (also BOOTP), "nak", or NULL */
	const char *why;             /* for the log when dropped or NAKed */
	const char *fixed_host;      /* BOOTP: the host declaration whose fixed address this gives (logged) */
	/* storage the reply's options point into */
	uint8_t server_id[4], lease_time[4], mask[4], bcast[4], msg[64], vendor[256];
};

void dhcp_handle(struct lease_db *db, const struct dhcp_request *rq, struct dhcp_result *res);

#endif
