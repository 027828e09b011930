/* A transfer's datagrams, below the event loop: the window sent with one
 * sendmmsg, OACK/ACK/ERROR, stranger packets told apart, received blocks
 * written. Plain syscalls on descriptors the caller owns; no libuv. */
#ifndef TFTPD_WIRE_H
#define TFTPD_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "files.h"
#include "negotiate.h"
#include "proto.h"
#include "sock.h"
#include "source.h"
#include "xfer.h"

/* A transfer's sockets and its client: one connected to the client, one
 * on the same port for anyone else's datagrams, to be answered with
 * error 5. */
struct wire_peer {
	int fd;
	int stranger_fd;
	struct sockaddr_storage sa;
	socklen_t sa_len;
	bool no_gso;             /* the kernel refused UDP_SEGMENT once */
};

/* Sends the window's blocks, runs of them as one UDP GSO datagram where
 * the kernel takes it. Returns how many went out before the socket buffer
 * filled, or -1. */
int wire_send_window(struct wire_peer *p, const struct xfer_send *xs, struct source *src,
		     const struct xfer_window *w);
int wire_send_oack(const struct wire_peer *p, const struct tftp_params *params);
int wire_send_ack(const struct wire_peer *p, uint16_t block);
int wire_send_error(const struct wire_peer *p, enum tftp_errcode code, const char *msg);

/* Receives one datagram from the client. Returns its length, or -1 with
 * errno. */
ssize_t wire_recv(const struct wire_peer *p, uint8_t *buf, size_t size);
/* Receives one datagram from anyone else; *from can answer it. */
ssize_t wire_recv_stranger(const struct wire_peer *p, uint8_t *buf, size_t size,
			   struct wire_peer *from);
/* The CPU the client's last datagram came in on, or -1. */
int wire_client_cpu(const struct wire_peer *p);
/* Same address and port. */
bool wire_same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b);

/* A transfer's own port (TID) within [lo, hi] (0, 0: any), on the address
 * the request came to. Returns the fd connected to the client, the
 * strangers' one in *stranger_fd; or -1. */
int wire_transfer_socket(const struct sock_pktinfo *pi, uint16_t lo, uint16_t hi,
			 size_t window_bytes, int *stranger_fd);
/* The largest block the receiving interface carries in one frame; 0 if
 * unknown. */
unsigned wire_mtu_blksize(const struct sock_pktinfo *pi);
/* An error answering a request, from the listening socket. */
void wire_reply_error(int listen_fd, const struct sock_pktinfo *pi, enum tftp_errcode code,
		      const char *msg);

/* Writes a received block (netascii decoded into scratch, blksize + 1
 * bytes or more; *cr carries a CR across blocks). Returns 0 or -1 with errno. */
int wire_store(int wfd, bool netascii, bool *cr, uint8_t *scratch, const uint8_t *data,
	       size_t len);

#endif
