/* The event loop side of the server: listening sockets, one transfer per
 * request on its own port (TID), retransmit timers, signals. All transfers
 * of the process run here: requests on the main loop, then each transfer
 * on the loop thread of the CPU its client's packets come in on (one per
 * CPU; on a single CPU, the main loop only). */
#ifndef TFTPD_IO_H
#define TFTPD_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "args.h"
#include "cpuloop.h"
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

/* main() fills conf, files, remap, remap_fd, policy, exit_when_idle and
 * the listeners' fds; io owns everything else. */
struct tftpd_server {
	const struct tftpd_conf *conf;
	struct file_table files;
	struct remap *remap;
	int remap_fd;               /* the -m file held open in a -s chroot, else -1 */
	struct tftp_policy policy;
	bool exit_when_idle;        /* inetd mode: exit after conf->idle_secs */
	struct tftpd_listener listeners[TFTPD_LISTEN_MAX];
	unsigned n_listeners;

	uv_loop_t *loop;                /* the main loop */
	uv_timer_t idle_timer;
	uv_timer_t linger_timer;        /* closes files no transfer took up again */
	uv_async_t idle_wake;           /* on any loop: a transfer ended, or a file lingers */
	uv_signal_t signals[3];
	/* Shared by the loops, under lock (files too: any loop may release one): */
	uv_mutex_t lock;
	struct cpuloop_pool pool;       /* its stopped flag and inboxes */
	struct transfer *transfers;     /* on every loop */
	unsigned n_transfers;
	uint64_t bad_packets;
	struct log_ratelimit bad_log;
};

/* Registers the listeners, timers and signals on loop. Returns 0 or -1. */
int tftpd_io_start(struct tftpd_server *srv, uv_loop_t *loop);
/* Runs until SIGTERM/SIGINT (or idle in inetd mode); every handle is
 * closed and every worker joined when it returns. */
void tftpd_io_run(struct tftpd_server *srv);

#endif
