/* The event loop side of the server: listening sockets, one transfer per
 * request on its own port (TID), retransmit timers, signals. All transfers
 * of the process run here, on one libuv loop. */
#ifndef TFTPD_IO_H
#define TFTPD_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "args.h"
#include "files.h"
#include "log.h"
#include "negotiate.h"
#include "proto.h"
#include "remap.h"

#define TFTPD_LISTEN_MAX 8
#define TFTPD_MAX_RETRIES 6

struct tftpd_server;
struct transfer;

struct tftpd_listener {
	uv_poll_t poll;
	int fd;
	struct tftpd_server *srv;
};

/* main() fills conf, files, remap, policy, exit_when_idle and the
 * listeners' fds; io owns everything else. */
struct tftpd_server {
	const struct tftpd_conf *conf;
	struct file_table files;
	struct remap *remap;
	struct tftp_policy policy;
	bool exit_when_idle;        /* inetd mode: exit after conf->idle_secs */
	struct tftpd_listener listeners[TFTPD_LISTEN_MAX];
	unsigned n_listeners;

	uv_loop_t *loop;
	uv_timer_t idle_timer;
	uv_signal_t signals[3];
	struct transfer *transfers;
	unsigned n_transfers;
	uint64_t bad_packets;
	struct log_ratelimit bad_log;
	uint8_t rx[TFTP_PKT_MAX + 1];
};

/* Registers the listeners, timers and signals on loop. Returns 0 or -1. */
int tftpd_io_start(struct tftpd_server *srv, uv_loop_t *loop);
/* Runs until SIGTERM/SIGINT (or idle in inetd mode); every handle is
 * closed when it returns. */
void tftpd_io_run(struct tftpd_server *srv);

#endif
