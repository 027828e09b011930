/* Socket helpers: numeric addresses, bind with options, and datagrams
 * through recvmsg/sendmsg (or, batched, recvmmsg/sendmmsg) so that the
 * local address and interface of each request are known and the reply
 * leaves from them. */
#include "sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/udp.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define SOCK_CMSG_SPACE                                                                     \
	(CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(struct in_pktinfo)) + \
	 CMSG_SPACE(sizeof(uint32_t)))
#define SOCK_CHUNK 64   /* datagrams per recvmmsg/sendmmsg call */

union sock_control {
	char space[SOCK_CMSG_SPACE];
	struct cmsghdr align;
};

int sock_addr_parse(const char *host, uint16_t port, int family,
		    struct sockaddr_storage *ss, socklen_t *len)
{
	bool any = !host || !*host;
	memset(ss, 0, sizeof *ss);
	if (family == AF_UNSPEC)
		family = !any && strchr(host, ':') ? AF_INET6 : AF_INET;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		if (!any && inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return -1;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*len = sizeof *sin;
		return 0;
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		if (!any && inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return -1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*len = sizeof *sin6;
		return 0;
	}
	return -1;
}

const char *sock_addr_str(const struct sockaddr *sa, int with_port, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN] = "?";
	const void *addr = NULL;
	if (sa->sa_family == AF_INET)
		addr = &((const struct sockaddr_in *)sa)->sin_addr;
	else if (sa->sa_family == AF_INET6)
		addr = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (addr)
		inet_ntop(sa->sa_family, addr, host, sizeof host);
	bool v6 = sa->sa_family == AF_INET6;
	if (with_port && addr)
		snprintf(buf, size, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "",
			 (unsigned)sock_addr_port(sa));
	else
		snprintf(buf, size, "%s", host);
	return buf;
}

uint16_t sock_addr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

void sock_addr_set_port(struct sockaddr *sa, uint16_t port)
{
	if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = htons(port);
	else if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
}

socklen_t sock_addr_len(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return sizeof(struct sockaddr_in);
	if (sa->sa_family == AF_INET6)
		return sizeof(struct sockaddr_in6);
	return 0;
}

static int set_flag(int fd, int level, int name)
{
	int one = 1;
	return setsockopt(fd, level, name, &one, sizeof one);
}

int sock_enable_pktinfo(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET)
		return set_flag(fd, IPPROTO_IP, IP_PKTINFO);
	if (ss.ss_family != AF_INET6)
		return errno = EAFNOSUPPORT, -1;
	/* Also reports IPv4 datagrams of a dual-stack socket, v4-mapped. */
	return set_flag(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO);
}

static const struct {
	unsigned flag;
	int level, name;
	bool v6_only;
} sock_options[] = {
	{ SOCK_F_REUSEADDR, SOL_SOCKET, SO_REUSEADDR, false },
	{ SOCK_F_REUSEPORT, SOL_SOCKET, SO_REUSEPORT, false },
	{ SOCK_F_BROADCAST, SOL_SOCKET, SO_BROADCAST, false },
	{ SOCK_F_V6ONLY, IPPROTO_IPV6, IPV6_V6ONLY, true },
	{ SOCK_F_RXQ_OVFL, SOL_SOCKET, SO_RXQ_OVFL, false },
};

/* A socket of sa's family with the options of flags, bound to sa. */
static int open_bound(const struct sockaddr *sa, socklen_t len, int type, unsigned flags)
{
	int fd = socket(sa->sa_family, type | SOCK_CLOEXEC | (flags & SOCK_F_NONBLOCK ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return -1;
	for (size_t i = 0; i < sizeof sock_options / sizeof sock_options[0]; i++) {
		if (!(flags & sock_options[i].flag) || (sock_options[i].v6_only && sa->sa_family != AF_INET6))
			continue;
		if (set_flag(fd, sock_options[i].level, sock_options[i].name) != 0)
			goto fail;
	}
	if (bind(fd, sa, len) != 0)
		goto fail;
	if ((flags & SOCK_F_PKTINFO) && sock_enable_pktinfo(fd) != 0)
		goto fail;
	return fd;
fail:;
	int saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int sock_udp_bind(const struct sockaddr *sa, socklen_t len, unsigned flags)
{
	return open_bound(sa, len, SOCK_DGRAM, flags);
}

int sock_tcp_listen(const struct sockaddr *sa, socklen_t len, int backlog, unsigned flags)
{
	int fd = open_bound(sa, len, SOCK_STREAM, flags);
	if (fd >= 0 && listen(fd, backlog) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* socket + bind (+ listen when backlog > 0) on a port chosen from [lo, hi]. */
static int open_in_range(const struct sockaddr *local, uint16_t lo, uint16_t hi, int backlog,
			 unsigned flags)
{
	struct sockaddr_storage ss;
	socklen_t len = sock_addr_len(local);
	if (!len || hi < lo)
		return errno = EINVAL, -1;
	memcpy(&ss, local, len);
	unsigned n = (unsigned)(hi - lo) + 1;
	/* A random start spreads transfers and makes ports harder to guess. */
	unsigned start = lo == 0 && hi == 0 ? 0 : arc4random_uniform(n);
	for (unsigned i = 0; i < n; i++) {
		sock_addr_set_port((struct sockaddr *)&ss, (uint16_t)(lo + (start + i) % n));
		int fd = backlog > 0 ? sock_tcp_listen((struct sockaddr *)&ss, len, backlog, flags) :
				       sock_udp_bind((struct sockaddr *)&ss, len, flags);
		if (fd >= 0 || errno != EADDRINUSE)
			return fd;
	}
	return -1;
}

int sock_udp_bind_range(const struct sockaddr *local, uint16_t lo, uint16_t hi, unsigned flags)
{
	return open_in_range(local, lo, hi, 0, flags);
}

int sock_tcp_listen_range(const struct sockaddr *local, uint16_t lo, uint16_t hi, int backlog,
			  unsigned flags)
{
	if (backlog <= 0)
		return errno = EINVAL, -1;
	return open_in_range(local, lo, hi, backlog, flags);
}

/* The destination address, interface and drop count from one control
 * message. */
static void read_pktinfo(const struct cmsghdr *c, struct sock_pktinfo *info)
{
	if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
		struct in_pktinfo pi;
		struct sockaddr_in *l4 = (struct sockaddr_in *)&info->local;
		memcpy(&pi, CMSG_DATA(c), sizeof pi);
		info->ifindex = pi.ipi_ifindex;
		l4->sin_family = AF_INET;
		l4->sin_addr = pi.ipi_addr;
	} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
		struct in6_pktinfo pi6;
		struct sockaddr_in6 *l6 = (struct sockaddr_in6 *)&info->local;
		memcpy(&pi6, CMSG_DATA(c), sizeof pi6);
		info->ifindex = (int)pi6.ipi6_ifindex;
		l6->sin6_family = AF_INET6;
		l6->sin6_addr = pi6.ipi6_addr;
	} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
		memcpy(&info->rxq_dropped, CMSG_DATA(c), sizeof info->rxq_dropped);
	}
}

/* A receive header: the datagram into iov, its source into info (the
 * rest of info is set by rx_done, for the datagrams that came). */
static void rx_msg(struct msghdr *msg, struct iovec *iov, union sock_control *control,
		   struct sock_pktinfo *info)
{
	*msg = (struct msghdr){
		.msg_name = &info->peer, .msg_namelen = sizeof info->peer,
		.msg_iov = iov, .msg_iovlen = 1,
		.msg_control = control->space, .msg_controllen = sizeof control->space,
	};
}

static void rx_done(struct msghdr *msg, struct sock_pktinfo *info)
{
	socklen_t peer_len = msg->msg_namelen < sizeof info->peer ? msg->msg_namelen : sizeof info->peer;
	memset((char *)&info->peer + peer_len, 0, sizeof info->peer - peer_len);
	memset(&info->local, 0, sizeof *info - offsetof(struct sock_pktinfo, local));
	info->peer_len = msg->msg_namelen;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c))
		read_pktinfo(c, info);
}

ssize_t sock_recv(int fd, void *buf, size_t size, struct sock_pktinfo *info)
{
	union sock_control control;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg;
	memset(info, 0, sizeof *info);
	rx_msg(&msg, &iov, &control, info);
	ssize_t n = recvmsg(fd, &msg, 0);
	if (n < 0)
		return -1;
	if (msg.msg_flags & MSG_TRUNC)
		return errno = EMSGSIZE, -1;
	rx_done(&msg, info);
	return n;
}

/* One recvmmsg of at most SOCK_CHUNK datagrams. */
static int recv_chunk(int fd, struct sock_rx *rx, size_t n)
{
	struct mmsghdr mm[SOCK_CHUNK];
	struct iovec iov[SOCK_CHUNK];
	union sock_control control[SOCK_CHUNK];
	for (size_t i = 0; i < n; i++) {
		iov[i] = (struct iovec){ .iov_base = rx[i].buf, .iov_len = rx[i].size };
		rx_msg(&mm[i].msg_hdr, &iov[i], &control[i], &rx[i].info);
	}
	int got = recvmmsg(fd, mm, (unsigned)n, MSG_DONTWAIT, NULL);
	for (int i = 0; i < got; i++) {
		rx[i].len = mm[i].msg_len;
		rx[i].truncated = (mm[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
		rx_done(&mm[i].msg_hdr, &rx[i].info);
	}
	return got;
}

ssize_t sock_recv_batch(int fd, struct sock_rx *rx, size_t n)
{
	size_t done = 0;
	while (done < n) {
		size_t want = n - done < SOCK_CHUNK ? n - done : SOCK_CHUNK;
		int got = recv_chunk(fd, rx + done, want);
		if (got < 0 && done == 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		if (got < 0)
			break;
		done += (size_t)got;
		if ((size_t)got < want)
			break;  /* the queue is empty: spare the call that says so */
	}
	return (ssize_t)done;
}

static bool is_v4_mapped(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 &&
	       IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)sa)->sin6_addr);
}

/* IP_PKTINFO for an IPv4 (or v4-mapped) destination, IPV6_PKTINFO otherwise;
 * returns the control length used. */
static size_t write_pktinfo(struct cmsghdr *c, const struct sockaddr *to,
			    const struct sockaddr *from, int ifindex)
{
	if (to->sa_family == AF_INET || is_v4_mapped(to)) {
		struct in_pktinfo pi = { .ipi_ifindex = ifindex };
		if (from && from->sa_family == AF_INET)
			pi.ipi_spec_dst = ((const struct sockaddr_in *)from)->sin_addr;
		else if (from && is_v4_mapped(from))
			memcpy(&pi.ipi_spec_dst, &((const struct sockaddr_in6 *)from)->sin6_addr.s6_addr[12], 4);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof pi);
		memcpy(CMSG_DATA(c), &pi, sizeof pi);
		return CMSG_SPACE(sizeof pi);
	}
	struct in6_pktinfo pi6 = { .ipi6_ifindex = (unsigned)ifindex };
	if (from && from->sa_family == AF_INET6)
		pi6.ipi6_addr = ((const struct sockaddr_in6 *)from)->sin6_addr;
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof pi6);
	memcpy(CMSG_DATA(c), &pi6, sizeof pi6);
	return CMSG_SPACE(sizeof pi6);
}

/* The UDP_SEGMENT size for a GSO datagram; returns the control length used. */
static size_t write_gso(struct cmsghdr *c, uint16_t gso_size)
{
	c->cmsg_level = IPPROTO_UDP;
	c->cmsg_type = UDP_SEGMENT;
	c->cmsg_len = CMSG_LEN(sizeof gso_size);
	memcpy(CMSG_DATA(c), &gso_size, sizeof gso_size);
	return CMSG_SPACE(sizeof gso_size);
}

/* A send header for iov to `to`, from a local address/interface if given,
 * cut into gso_size segments if not 0. */
static void tx_msg(struct msghdr *msg, struct iovec *iov, size_t iovlen,
		   union sock_control *control, const struct sock_tx *tx)
{
	*msg = (struct msghdr){
		.msg_name = (void *)tx->to, .msg_namelen = tx->to ? sock_addr_len(tx->to) : 0,
		.msg_iov = iov, .msg_iovlen = iovlen,
	};
	memset(control, 0, sizeof *control);
	bool pktinfo = tx->to && (tx->from || tx->ifindex);
	if (!pktinfo && !tx->gso_size)
		return;
	size_t used = 0;
	msg->msg_control = control->space;
	msg->msg_controllen = sizeof control->space;
	if (pktinfo)
		used += write_pktinfo(CMSG_FIRSTHDR(msg), tx->to, tx->from, tx->ifindex);
	if (tx->gso_size)
		used += write_gso((struct cmsghdr *)(control->space + used), tx->gso_size);
	msg->msg_controllen = used;
}

ssize_t sock_send(int fd, const void *buf, size_t len, const struct sockaddr *to,
		  const struct sockaddr *from, int ifindex)
{
	union sock_control control;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg;
	struct sock_tx tx = { .to = to, .from = from, .ifindex = ifindex };
	tx_msg(&msg, &iov, 1, &control, &tx);
	return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

/* One sendmmsg of at most SOCK_CHUNK datagrams: how many left, or -1. */
static int send_chunk(int fd, const struct sock_tx *tx, size_t n)
{
	struct mmsghdr mm[SOCK_CHUNK];
	struct iovec iov[SOCK_CHUNK];
	union sock_control control[SOCK_CHUNK];
	for (size_t i = 0; i < n; i++) {
		iov[i] = (struct iovec){ .iov_base = (void *)tx[i].buf, .iov_len = tx[i].len };
		if (tx[i].iov)
			tx_msg(&mm[i].msg_hdr, (struct iovec *)tx[i].iov, tx[i].iovlen, &control[i], &tx[i]);
		else
			tx_msg(&mm[i].msg_hdr, &iov[i], 1, &control[i], &tx[i]);
	}
	return sendmmsg(fd, mm, (unsigned)n, MSG_NOSIGNAL);
}

/* sendmmsg stops at the first failure and reports it alone: that datagram
 * is marked, then skipped (in_order false) or the end of the send. */
static size_t send_all(int fd, struct sock_tx *tx, size_t n, bool in_order)
{
	size_t sent = 0, i = 0;
	while (i < n) {
		size_t want = n - i < SOCK_CHUNK ? n - i : SOCK_CHUNK;
		int got = send_chunk(fd, tx + i, want);
		if (got < 0 && errno == EINTR && in_order)
			continue;
		if (got <= 0) {
			tx[i++].err = got < 0 ? errno : EIO;
			if (in_order)
				break;
			continue;
		}
		for (int k = 0; k < got; k++)
			tx[i + (size_t)k].err = 0;
		sent += (size_t)got;
		i += (size_t)got;
	}
	return sent;
}

size_t sock_send_batch(int fd, struct sock_tx *tx, size_t n)
{
	return send_all(fd, tx, n, false);
}

size_t sock_send_ordered(int fd, struct sock_tx *tx, size_t n)
{
	return send_all(fd, tx, n, true);
}

int sock_if_mtu(int ifindex)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	if (ifindex <= 0 || !if_indextoname((unsigned)ifindex, ifr.ifr_name))
		return -1;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int rc = ioctl(fd, SIOCGIFMTU, &ifr);
	close(fd);
	return rc == 0 ? ifr.ifr_mtu : -1;
}
