/* Sending a reply where RFC 2131 4.1 says it goes, including to a client
 * that has no address yet. Plain sockets, no libuv. */
#ifndef DHCPD_SEND_H
#define DHCPD_SEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server.h"

struct sender {
	int fd;          /* the UDP socket bound to the server port */
	int boot_fd;     /* the proxyDHCP boot server socket (port 4011), -1 if none */
	int pkt_fd;      /* AF_PACKET socket, -1 if none */
	uint16_t port;   /* server port; clients listen on port + 1 */
	uint32_t send_to;/* -s: instead of broadcast (host order), 0: off */
};

struct reply_dest_info {
	enum reply_dest dest;
	uint32_t dest_addr, src_addr;  /* host order */
	uint16_t dest_port;            /* DEST_PEER only */
	int ifindex;
	uint8_t mac[6];
	bool mac_ok;                   /* Ethernet chaddr: a packet socket can reach it */
};

/* Opens the packet socket. It costs CAP_NET_RAW, once, here: the socket
 * only sends (protocol 0 receives nothing), and keeps working after the
 * privilege drop, so the daemon then holds no capability (SIOCSARP ARP
 * injection, dnsmasq's way, would need CAP_NET_ADMIN at every reply).
 * Returns the fd or -1. */
int sender_open_packet_socket(void);

struct reply_msg {
	struct reply_dest_info to;
	const uint8_t *data;
	size_t len;
};
/* Sends replies: those through the UDP sockets with one sendmmsg per run
 * of replies on the same socket, those to a hardware address one by one. */
void sender_send(const struct sender *s, const struct reply_msg *msgs, size_t n);

#endif
