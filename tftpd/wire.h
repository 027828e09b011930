/* A transfer's datagrams and file bytes, below the event loop: the window
 * read and sent with one sendmmsg, OACK/ACK/ERROR, received blocks
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
#include "xfer.h"

#define WIRE_NETASCII_MAX (64u << 20)   /* netascii files are converted in memory */

#define WIRE_READAHEAD (128 * 1024)       /* file bytes read at once for a lock-step client */

/* Where a read transfer's bytes come from: the shared file through a
 * read-ahead buffer (one pread serves many blocks), or the netascii
 * conversion in memory. */
struct wire_source {
	const struct tftpd_file *file;
	const uint8_t *ascii;
	uint8_t *cache;          /* cache_cap bytes: at least one window */
	size_t cache_cap;
	uint64_t cache_off;
	size_t cache_len;
	bool no_gso;             /* the kernel refused UDP_SEGMENT once */
};

/* Sends the window's blocks, runs of them as one UDP GSO datagram where
 * the kernel takes it. Returns how many went out before the socket buffer
 * filled, or -1. */
int wire_send_window(int fd, const struct xfer_send *xs, struct wire_source *src,
		     const struct xfer_window *w);
int wire_send_oack(int fd, const struct tftp_params *params);
int wire_send_ack(int fd, uint16_t block);
int wire_send_error(int fd, enum tftp_errcode code, const char *msg);

/* A transfer's own port (TID) within [lo, hi] (0, 0: any), on the address
 * the request came to, connected to the client. Returns the fd or -1. */
int wire_transfer_socket(const struct sock_pktinfo *pi, uint16_t lo, uint16_t hi,
			 size_t window_bytes);
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
/* The whole file in netascii (*size: in, the file's; out, the result's). */
uint8_t *wire_load_netascii(const struct tftpd_file *file, uint64_t *size);

#endif
