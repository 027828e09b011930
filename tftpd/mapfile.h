/* Reads a -m remap file into rules (at start-up and on SIGHUP). */
#ifndef TFTPD_MAPFILE_H
#define TFTPD_MAPFILE_H

#include <stddef.h>

#include "remap.h"

#define MAPFILE_MAX (1024 * 1024)

/* Returns the rules, or NULL with "path: why" in err. */
struct remap *mapfile_load(const char *path, char *err, size_t err_size);
/* The same from fd, the file opened as path, read from its start: how a
 * server inside its -s chroot re-reads a file it cannot reach by name. */
struct remap *mapfile_read(int fd, const char *path, char *err, size_t err_size);

#endif
