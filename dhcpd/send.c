#include "send.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <string.h>
#include <sys/socket.h>

#include "events.h"
#include "frame.h"
#include "log.h"
#include "sock.h"

int sender_open_packet_socket(void)
{
	return socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
}

/* IPv4+UDP built here, Ethernet header by the kernel, to the client's MAC. */
static void send_hwaddr(const struct sender *s, const struct reply_dest_info *d, const uint8_t *data, size_t len)
{
	uint8_t frame[DHCP_MAX_PACKET + FRAME_HDR_LEN];
	size_t n = frame_udp4(frame, sizeof frame, d->src_addr, d->dest_addr, s->port, (uint16_t)(s->port + 1), data,
			      len);
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				  .sll_ifindex = d->ifindex, .sll_halen = 6 };
	memcpy(ll.sll_addr, d->mac, 6);
	if (n && sendto(s->pkt_fd, frame, n, 0, (struct sockaddr *)&ll, sizeof ll) < 0)
		log_warn("packet socket send to %s: %s", ip_str(d->dest_addr), strerror(errno));
}

/* From our address on the receiving interface (broadcasts leave by it too). */
static void send_udp(int fd, uint32_t to, uint16_t port, const struct reply_dest_info *d, bool broadcast,
		     const uint8_t *data, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(to) };
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(d->src_addr) };
	if (sock_send(fd, data, len, (struct sockaddr *)&sin, d->src_addr ? (struct sockaddr *)&from : NULL,
		      broadcast ? d->ifindex : 0) < 0)
		log_warn("send to %s: %s", ip_str(to), strerror(errno));
}

void sender_send(const struct sender *s, const struct reply_dest_info *d, const uint8_t *data, size_t len)
{
	enum reply_dest dest = d->dest;
	uint32_t to = d->dest_addr;
	uint16_t port = (uint16_t)(s->port + 1);
	if (dest == DEST_PEER) {
		send_udp(s->boot_fd, to, d->dest_port, d, false, data, len);
		return;
	}
	if (dest == DEST_HWADDR && (s->pkt_fd < 0 || !d->mac_ok))
		dest = DEST_BROADCAST;
	if (s->send_to && (dest == DEST_BROADCAST || dest == DEST_HWADDR)) {
		dest = DEST_CIADDR;
		to = s->send_to;
	}
	if (dest == DEST_HWADDR) {
		send_hwaddr(s, d, data, len);
		return;
	}
	if (dest == DEST_BROADCAST)
		to = INADDR_BROADCAST;
	else if (dest == DEST_RELAY)
		port = s->port;
	send_udp(s->fd, to, port, d, dest == DEST_BROADCAST, data, len);
}
