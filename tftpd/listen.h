/* The sockets requests arrive on, in every in.tftpd mode: bound here
 * (-l/-L, -a), passed by socket activation (LISTEN_FDS), or inherited on
 * fd 0 from inetd or systemd (StandardInput=socket). */
#ifndef TFTPD_LISTEN_H
#define TFTPD_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

#include "args.h"

enum listen_mode { LISTEN_STANDALONE, LISTEN_ACTIVATED, LISTEN_INETD };

#define LISTEN_ERR_LOOKUP (-2)

/* Fills fds (up to max); returns the count, or -1 with a message in err
 * (LISTEN_ERR_LOOKUP when the -a host does not resolve). */
int listen_open(const struct tftpd_conf *conf, int *fds, size_t max, enum listen_mode *mode,
		char *err, size_t err_size);

#endif
