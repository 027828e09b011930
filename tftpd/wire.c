/* A transfer's datagrams; see wire.h. */
#include "wire.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "recv.h"

/* The port, claimed by a socket bound without SO_REUSEADDR (so that no
 * other transfer takes it), then allowed one more. */
static int claim_port(const struct sock_pktinfo *pi, uint16_t lo, uint16_t hi)
{
	struct sockaddr_storage any;
	socklen_t any_len;
	int one = 1;
	int fd = sock_udp_bind_range((const struct sockaddr *)&pi->local, lo, hi, 0);

	/* the request may have come to an address we cannot bind (broadcast) */
	if (fd < 0 && sock_addr_parse(NULL, 0, pi->peer.ss_family, &any, &any_len) == 0)
		fd = sock_udp_bind_range((const struct sockaddr *)&any, lo, hi, 0);
	if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The kernel gives the client's datagrams to the socket connected to it,
 * and only a connected UDP socket keeps the CPU they came in on
 * (SO_INCOMING_CPU, which io.c moves the transfer by). */
int wire_transfer_socket(const struct sock_pktinfo *pi, uint16_t lo, uint16_t hi,
			 size_t window_bytes, int *stranger_fd)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof local;
	int sndbuf = (int)(window_bytes + 65536);
	int fd = -1, port_fd = claim_port(pi, lo, hi);

	if (port_fd < 0)
		return -1;
	if (getsockname(port_fd, (struct sockaddr *)&local, &len) == 0)
		fd = sock_udp_bind((const struct sockaddr *)&local, len, SOCK_F_REUSEADDR);
	if (fd < 0 || connect(fd, (const struct sockaddr *)&pi->peer, pi->peer_len) != 0) {
		if (fd >= 0)
			close(fd);
		close(port_fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	*stranger_fd = port_fd;
	return fd;
}

unsigned wire_mtu_blksize(const struct sock_pktinfo *pi)
{
	int mtu = sock_if_mtu(pi->ifindex);
	int overhead = pi->peer.ss_family == AF_INET6 ? 40 + 8 + TFTP_HDR_LEN : 20 + 8 + TFTP_HDR_LEN;

	return pi->ifindex > 0 && mtu > overhead ? (unsigned)(mtu - overhead) : 0;
}

void wire_reply_error(int listen_fd, const struct sock_pktinfo *pi, enum tftp_errcode code,
		      const char *msg)
{
	uint8_t pkt[128];
	size_t len = tftp_build_error(pkt, sizeof pkt, code, msg);

	sock_send(listen_fd, pkt, len, (const struct sockaddr *)&pi->peer,
		  (const struct sockaddr *)&pi->local, pi->ifindex);
}

bool wire_same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_port == b4->sin_port && a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	return a6->sin6_port == b6->sin6_port && a6->sin6_scope_id == b6->sin6_scope_id &&
	       memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof a6->sin6_addr) == 0;
}

ssize_t wire_recv(const struct wire_peer *p, uint8_t *buf, size_t size)
{
	return recv(p->fd, buf, size, MSG_DONTWAIT);
}

int wire_client_cpu(const struct wire_peer *p)
{
	int cpu;
	socklen_t len = sizeof cpu;

	return getsockopt(p->fd, SOL_SOCKET, SO_INCOMING_CPU, &cpu, &len) == 0 ? cpu : -1;
}

ssize_t wire_recv_stranger(const struct wire_peer *p, uint8_t *buf, size_t size,
			   struct wire_peer *from)
{
	*from = (struct wire_peer){ .fd = p->stranger_fd, .stranger_fd = -1, .sa_len = sizeof from->sa };
	return recvfrom(p->stranger_fd, buf, size, MSG_DONTWAIT, (struct sockaddr *)&from->sa,
			&from->sa_len);
}

/* UDP GSO (UDP_SEGMENT): a run of full blocks goes down the stack as one
 * datagram the kernel cuts into segments of header + block, so a window
 * costs a few traversals instead of one per block. Turned off for the
 * transfer the first time the kernel refuses it (no GSO, or a block larger
 * than the path MTU). */
#define GSO_MAX_BYTES 65000
#define GSO_MAX_SEGS 64

struct window_msgs {
	struct sock_tx tx[TFTP_WINDOW_MAX];
	unsigned blocks[TFTP_WINDOW_MAX];       /* blocks carried by each message */
	unsigned n;
};

/* Groups the (header, data) iovec pairs into messages of per_msg blocks. */
static void group_blocks(struct window_msgs *wm, struct iovec (*iov)[2],
			 unsigned count, unsigned per_msg, uint16_t seg_size)
{
	wm->n = 0;      /* only the messages used are filled: a lock-step send sets one */
	for (unsigned i = 0; i < count; i += per_msg) {
		unsigned n = count - i < per_msg ? count - i : per_msg;
		/* no address: the socket is connected, its route cached */
		wm->tx[wm->n] = (struct sock_tx){ .iov = iov[i], .iovlen = 2 * n,
						  .gso_size = n < 2 ? 0 : seg_size };
		wm->blocks[wm->n++] = n;
	}
}

/* Returns blocks sent (short when the socket buffer fills), or -1. */
static int send_grouped(int fd, struct window_msgs *wm)
{
	unsigned blocks = 0;
	size_t sent = sock_send_ordered(fd, wm->tx, wm->n);

	if (sent < wm->n && wm->tx[sent].err != EAGAIN && wm->tx[sent].err != ENOBUFS) {
		errno = wm->tx[sent].err;
		return -1;
	}
	for (size_t i = 0; i < sent; i++)
		blocks += wm->blocks[i];
	return (int)blocks;
}

int wire_send_window(struct wire_peer *p, const struct xfer_send *xs, struct source *src,
		     const struct xfer_window *w)
{
	uint8_t hdrs[TFTP_WINDOW_MAX][TFTP_HDR_LEN];
	struct iovec iov[TFTP_WINDOW_MAX][2];
	struct window_msgs wm;
	size_t total = 0;

	for (unsigned i = 0; i < w->count; i++)
		total += xfer_block_len(xs, w->first + i);
	const uint8_t *data = source_fetch(src, xfer_block_offset(xs, xs->acked + 1),
				    xfer_block_offset(xs, w->first), total);
	if (!data)
		return -1;
	total = 0;
	for (unsigned i = 0; i < w->count; i++) {
		size_t len = xfer_block_len(xs, w->first + i);
		tftp_build_data_hdr(hdrs[i], TFTP_HDR_LEN, (uint16_t)(w->first + i));
		iov[i][0] = (struct iovec){ hdrs[i], TFTP_HDR_LEN };
		iov[i][1] = (struct iovec){ (uint8_t *)data + total, len };
		total += len;
	}
	unsigned seg = TFTP_HDR_LEN + xs->blksize;
	unsigned per_msg = p->no_gso ? 1 : GSO_MAX_BYTES / seg;
	per_msg = per_msg > GSO_MAX_SEGS ? GSO_MAX_SEGS : per_msg ? per_msg : 1;
	group_blocks(&wm, iov, w->count, per_msg, (uint16_t)seg);
	int sent = send_grouped(p->fd, &wm);
	if (sent < 0 && per_msg > 1 && (errno == EIO || errno == EINVAL || errno == EOPNOTSUPP)) {
		p->no_gso = true;
		group_blocks(&wm, iov, w->count, 1, (uint16_t)seg);
		sent = send_grouped(p->fd, &wm);
	}
	if (sent < 0 && errno == EFAULT)
		errno = ESTALE;      /* the file shrank under its mapping (files.h) */
	return sent;
}

static int send_packet(const struct wire_peer *p, const uint8_t *pkt, size_t len)
{
	if (len == 0) {
		errno = EMSGSIZE;
		return -1;
	}
	return sendto(p->fd, pkt, len, 0, (const struct sockaddr *)&p->sa, p->sa_len) < 0 ? -1 : 0;
}

int wire_send_oack(const struct wire_peer *p, const struct tftp_params *params)
{
	uint8_t pkt[512];

	return send_packet(p, pkt, tftp_build_oack(pkt, sizeof pkt, params->oack, params->n_oack));
}

int wire_send_ack(const struct wire_peer *p, uint16_t block)
{
	uint8_t pkt[TFTP_HDR_LEN];

	return send_packet(p, pkt, tftp_build_ack(pkt, sizeof pkt, block));
}

int wire_send_error(const struct wire_peer *p, enum tftp_errcode code, const char *msg)
{
	uint8_t pkt[128];

	return send_packet(p, pkt, tftp_build_error(pkt, sizeof pkt, code, msg));
}

int wire_store(int wfd, bool netascii, bool *cr, uint8_t *scratch, const uint8_t *data,
	       size_t len)
{
	if (netascii) {
		len = netascii_decode(data, len, scratch, cr);
		data = scratch;
	}
	while (len > 0) {
		ssize_t n = write(wfd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}
