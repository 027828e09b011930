/* The libuv side of pxe-ftpd: control connections, data connections,
 * timeouts and limits for every session, on one loop thread per CPU (one
 * loop on one CPU and in inetd mode). */
#ifndef FTPD_IO_H
#define FTPD_IO_H

#include <stddef.h>

#include "conf.h"
#include "session.h"

struct io_config {
	const struct ftpd_conf *conf;
	const struct session_logs *logs;
	int rootfd;                /* the anonymous root (see fs.h) */
	const char *banner_file_text;  /* before the 220 line, or NULL */
	const int *listen_fds;     /* listening control sockets */
	size_t n_listen_fds;
	int inetd_fd;              /* inetd mode: the one session's socket, else -1 */
};

/* Serves until SIGTERM or SIGINT (in inetd mode, until the session ends);
 * starts the loop threads, so call it after the privilege drop. Returns 0
 * (every thread joined), or -1 after logging why. */
int io_run(const struct io_config *cfg);

#endif
