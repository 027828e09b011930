/* pxe-status's I/O: reading logs, and the live view's event socket and
 * redraw loop (the one file that talks to libuv). */
#ifndef STATUS_IO_H
#define STATUS_IO_H

#include <stdio.h>

#include "feed.h"

/* Wall-clock seconds, the clock events and log stamps share. */
double io_now(void);

/* Feeds every line of f. Returns -1 on a read error. */
int io_read_log(FILE *f, struct feed *feed);

/* Binds the abstract datagram socket "\0name"; -1 (errno set) on failure. */
int io_listen(const char *name);

/* Applies datagrams from fd and redraws the table about once a second
 * until SIGINT or SIGTERM. Returns 0, or -1 when the loop cannot start. */
int io_live(int fd, struct feed *feed);

#endif
