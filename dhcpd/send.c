#include "send.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <string.h>
#include <sys/socket.h>

#include "frame.h"
#include "isclog.h"
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

#define TX_CHUNK 64

/* Datagrams for one UDP socket, from our address on the receiving
 * interface (broadcasts leave by it too). */
struct udp_batch {
	int fd;
	size_t n;
	struct sock_tx tx[TX_CHUNK];
	struct sockaddr_in to[TX_CHUNK], from[TX_CHUNK];
};

static void flush_udp(struct udp_batch *b)
{
	if (b->n && sock_send_batch(b->fd, b->tx, b->n) < b->n)
		for (size_t i = 0; i < b->n; i++)
			if (b->tx[i].err)
				log_warn("send to %s: %s", ip_str(ntohl(b->to[i].sin_addr.s_addr)),
					 strerror(b->tx[i].err));
	b->n = 0;
}

static void queue_udp(struct udp_batch *b, int fd, uint32_t to, uint16_t port, const struct reply_msg *m,
		      bool broadcast)
{
	if (b->n == TX_CHUNK || (b->n && b->fd != fd))
		flush_udp(b);
	size_t i = b->n++;
	b->fd = fd;
	b->to[i] = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(to) };
	b->from[i] = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr.s_addr = htonl(m->to.src_addr) };
	b->tx[i] = (struct sock_tx){ .buf = m->data, .len = m->len, .to = (struct sockaddr *)&b->to[i],
				     .from = m->to.src_addr ? (struct sockaddr *)&b->from[i] : NULL,
				     .ifindex = broadcast ? m->to.ifindex : 0 };
}

/* RFC 2131 4.1: where one reply goes. */
static void route(const struct sender *s, struct udp_batch *b, const struct reply_msg *m)
{
	const struct reply_dest_info *d = &m->to;
	enum reply_dest dest = d->dest;
	uint32_t to = d->dest_addr;
	uint16_t port = (uint16_t)(s->port + 1);
	if (dest == DEST_PEER) {
		queue_udp(b, s->boot_fd, to, d->dest_port, m, false);
		return;
	}
	if (dest == DEST_HWADDR && (s->pkt_fd < 0 || !d->mac_ok))
		dest = DEST_BROADCAST;
	if (s->send_to && (dest == DEST_BROADCAST || dest == DEST_HWADDR)) {
		dest = DEST_CIADDR;
		to = s->send_to;
	}
	if (dest == DEST_HWADDR) {
		send_hwaddr(s, d, m->data, m->len);
		return;
	}
	if (dest == DEST_BROADCAST)
		to = INADDR_BROADCAST;
	else if (dest == DEST_RELAY)
		port = s->port;
	queue_udp(b, s->fd, to, port, m, dest == DEST_BROADCAST);
}

void sender_send(const struct sender *s, const struct reply_msg *msgs, size_t n)
{
	struct udp_batch b = { .fd = -1 };
	for (size_t i = 0; i < n; i++)
		route(s, &b, &msgs[i]);
	flush_udp(&b);
}
