/* Socket helpers. libuv's UDP callback gives neither the destination
 * address nor the interface of a datagram; DHCP and a multi-homed TFTP
 * server need both, so datagrams go through recvmsg/sendmsg here. */
#ifndef PXE_SOCK_H
#define PXE_SOCK_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

enum sock_flags {
	SOCK_F_REUSEADDR = 1 << 0,
	SOCK_F_BROADCAST = 1 << 1,
	SOCK_F_PKTINFO = 1 << 2,   /* IP_PKTINFO / IPV6_RECVPKTINFO */
	SOCK_F_V6ONLY = 1 << 3,
	SOCK_F_NONBLOCK = 1 << 4,
	SOCK_F_REUSEPORT = 1 << 5,
	SOCK_F_RXQ_OVFL = 1 << 6,  /* SO_RXQ_OVFL: received datagrams carry the drop count */
};

/* Parses a numeric IPv4/IPv6 address ("" or NULL = any of `family`) and a
 * port. family AF_UNSPEC: from the text, any = IPv4. Returns 0 or -1. */
int sock_addr_parse(const char *host, uint16_t port, int family,
		    struct sockaddr_storage *ss, socklen_t *len);
/* "198.18.0.1:69" / "[2001:db8::1]:69" (port omitted when with_port is 0). */
const char *sock_addr_str(const struct sockaddr *sa, int with_port, char *buf, size_t size);
uint16_t sock_addr_port(const struct sockaddr *sa);
void sock_addr_set_port(struct sockaddr *sa, uint16_t port);
socklen_t sock_addr_len(const struct sockaddr *sa);

/* socket + options + bind. Returns the fd, or -1 with errno set. */
int sock_udp_bind(const struct sockaddr *sa, socklen_t len, unsigned flags);
int sock_tcp_listen(const struct sockaddr *sa, socklen_t len, int backlog, unsigned flags);
/* Enables destination-address/interface reporting on an existing socket. */
int sock_enable_pktinfo(int fd);
/* Binds a UDP socket to a port chosen from [lo, hi] (both 0: any). */
int sock_udp_bind_range(const struct sockaddr *local, uint16_t lo, uint16_t hi, unsigned flags);
/* The TCP twin: a listening socket (backlog > 0) on a port from [lo, hi]
 * (both 0: any), e.g. an FTP passive port range. */
int sock_tcp_listen_range(const struct sockaddr *local, uint16_t lo, uint16_t hi, int backlog,
			  unsigned flags);

struct sock_pktinfo {
	struct sockaddr_storage peer;
	socklen_t peer_len;
	struct sockaddr_storage local;  /* destination of the datagram (port 0) */
	int ifindex;                    /* receiving interface, 0 if unknown */
	uint32_t rxq_dropped;           /* SOCK_F_RXQ_OVFL: datagrams the kernel dropped on
					   this socket so far (full receive queue), else 0 */
};

/* recvmsg with pktinfo. Returns the datagram length (truncated datagrams
 * return -1 with errno EMSGSIZE), or -1 with errno. */
ssize_t sock_recv(int fd, void *buf, size_t size, struct sock_pktinfo *info);
/* sendmsg from a given local address and/or interface (either may be
 * NULL/0: the kernel chooses). Returns bytes sent or -1 with errno. */
ssize_t sock_send(int fd, const void *buf, size_t len, const struct sockaddr *to,
		  const struct sockaddr *from, int ifindex);

/* Batches: one recvmmsg/sendmmsg for many datagrams, each with its own
 * pktinfo as above. */
struct sock_rx {
	void *buf;                   /* in: where the datagram goes, size bytes */
	size_t size;
	size_t len;                  /* out: datagram length */
	int truncated;               /* out: longer than size (len is then size) */
	struct sock_pktinfo info;    /* out */
};
/* Reads up to n datagrams that are already waiting, without blocking.
 * Returns how many (0: none), or -1 with errno. */
ssize_t sock_recv_batch(int fd, struct sock_rx *rx, size_t n);

struct sock_tx {
	const void *buf;
	size_t len;
	const struct iovec *iov;      /* gathered from iovlen pieces instead of buf, len */
	size_t iovlen;
	const struct sockaddr *to;
	const struct sockaddr *from;  /* local address, NULL: the kernel chooses */
	int ifindex;                  /* 0: the kernel chooses */
	uint16_t gso_size;            /* UDP_SEGMENT: the kernel cuts the datagram into
					 datagrams of this size; 0: sent as it is */
	int err;                      /* out: 0 if sent, else its errno */
};
/* Sends n datagrams; one that fails is marked (err) and skipped, the rest
 * still go. Returns how many were sent. */
size_t sock_send_batch(int fd, struct sock_tx *tx, size_t n);
/* Sends n datagrams in order until one fails (EINTR is retried): returns
 * how many were sent; when fewer than n, tx[returned].err says why. */
size_t sock_send_ordered(int fd, struct sock_tx *tx, size_t n);

/* MTU of an interface, or -1. */
int sock_if_mtu(int ifindex);

#endif
